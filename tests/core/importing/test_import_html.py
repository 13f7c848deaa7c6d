"""HTML news pages: article text and metadata, encodings, hostile and broken markup."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest

from spanlab.core.errors import InputError
from spanlab.core.importing import ImportReport, html_reader, import_paths
from spanlab.core.importing.html_reader import (
    fallback_blocks,
    page_metadata,
    parse_page,
    read_html_file,
)
from spanlab.core.project import Project

NEWS_BLOCKS = [
    "Busan hosts first coastal cities climate summit",
    "Mayors and deputy mayors from twelve port cities gathered in Busan on Monday for the "
    "first Coastal Cities Climate Summit, pledging to cut harbour emissions by half before 2035.",
    "Busan Mayor Park Seo-jun opened the two-day meeting at the BEXCO convention centre, "
    'telling delegates that ports "cannot wait for national governments to move first."',
    "Rotterdam's deputy mayor, Anouk de Vries, said her city would share data from its "
    "shore-power programme with every participant.",
    "The summit's draft declaration commits members to three steps:\n"
    "electrify container terminals,\n"
    "publish annual emissions audits,\n"
    "and fund a joint research centre in Busan.",
    "Kaohsiung and Yokohama are expected to host the next two meetings, according to organisers.",
]
NEWS_TEXT = "\n\n".join(NEWS_BLOCKS)
PAGE_FURNITURE = [
    "National", "Most popular", "Advertisement", "Link copied", "Share on Facebook",
    "Container cranes", "Related articles", "Port strike", "All rights reserved", "Privacy",
    "Sponsored", "dataLayer", "display", "tracking", "By Han Ji-woo", "Published",
]  # fmt: skip

XHTML = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN"
  "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" lang="en">
<head><title>Ferry service resumes</title></head>
<body><article><h1>Ferry service resumes</h1>
<p>The ferry between Busan and Fukuoka resumed on{space}Tuesday after repairs.</p>
<p>Operators expect full bookings.</p></article></body></html>
"""


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def refused(path: Path) -> str:
    with pytest.raises(InputError) as info:
        read_html_file(path)
    return str(info.value)


def test_news_page_text_and_metadata(data_dir: Path) -> None:
    record = read_html_file(data_dir / "news_page.html")
    assert record.text == NEWS_TEXT
    for furniture in PAGE_FURNITURE:
        assert furniture not in record.text
    assert record.title == "Busan hosts first coastal cities climate summit"
    assert record.url == "https://news.example.org/world/busan-climate-summit"  # canonical
    assert record.published == "2024-03-04T09:15:00+09:00"
    assert record.metadata == {
        "format": "html",
        "encoding": "utf-8",
        "encoding_source": "declared",
        "byline": "Han Ji-woo",
        "description": "Mayors from twelve port cities met in Busan.",
        "language": "en",
        "extractor": "trafilatura",
    }
    assert record.notices == ()


def test_fallback_extractor_gives_the_same_text(data_dir: Path) -> None:
    markup = (data_dir / "news_page.html").read_text(encoding="utf-8")
    root, notices, problems = parse_page(markup, "news_page.html")
    assert (notices, problems) == ([], 0)
    assert fallback_blocks(root) == NEWS_BLOCKS


def test_fallback_is_used_when_trafilatura_fails(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(root: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(html_reader, "_trafilatura", broken)
    record = read_html_file(data_dir / "news_page.html")
    assert record.text == NEWS_TEXT
    assert record.metadata["extractor"] == "fallback"
    assert record.metadata["byline"] == "Han Ji-woo"
    assert record.notices == ("trafilatura failed (RuntimeError: boom); used the fallback",)


def test_html_and_text_of_the_same_article_give_the_same_text(
    project: Project, data_dir: Path
) -> None:
    first = import_paths(project, [data_dir / "news_page.html"])
    second = import_paths(project, [data_dir / "news_article_crlf_bom.txt"])
    assert first.ok and len(first.imported) == 1
    assert second.ok and second.imported == []
    assert second.duplicates == [str(data_dir / "news_article_crlf_bom.txt")]
    document = project.document(first.imported[0])
    assert document.text == NEWS_TEXT
    assert document.url == "https://news.example.org/world/busan-climate-summit"
    assert document.published == "2024-03-04T09:15:00+09:00"
    assert document.metadata["byline"] == "Han Ji-woo"


def test_paragraphs_and_breaks_never_run_together(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "a.html",
        "<html><body><p>Macron met Olaf Scholz<p>in Berlin.<br>On Monday.<div>Then "
        "<b>Paris</b>.</div><script>var x='<p>B</p>'</script><style>p{}</style>"
        "<ul><li>one<li>two</ul><table><tr><td>Seoul<td>9.7m</table></body></html>",
    )
    assert read_html_file(path).text == (
        "Macron met Olaf Scholz\n\nin Berlin.\nOn Monday.\n\nThen Paris.\n\none\ntwo\n\nSeoul\t9.7m"
    )


def test_page_metadata_from_json_ld_and_byline_element() -> None:
    markup = """<html><head><title>Site | x</title>
    <script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
      {"@type": "WebSite", "name": "x"},
      {"@type": "NewsArticle", "headline": "Tide gauges go digital",
       "datePublished": "2024-05-01", "author": [{"name": "Kim Min-ji"}, {"name": "Ana Ruiz"}],
       "url": "https://example.org/tide"}]}</script></head>
    <body><article><span class="byline">By Someone Else</span><h1>Tide gauges</h1>
    <p>Text.</p></article></body></html>"""
    root, _, _ = parse_page(markup, "x.html")
    page = page_metadata(root)
    assert (page.title, page.url, page.published, page.byline, page.headline) == (
        "Tide gauges go digital",
        "https://example.org/tide",
        "2024-05-01",
        "Kim Min-ji, Ana Ruiz",
        "Tide gauges",
    )


def test_declared_legacy_charset(tmp_path: Path) -> None:
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
        "</head><body><article><h1>Le café ferme</h1><p>“C'est la fin”, a déclaré Mme Dupré "
        "— après 40 ans.</p></article></body></html>"
    )
    record = read_html_file(write(tmp_path, "a.html", page.encode("cp1252")))
    assert record.text == "Le café ferme\n\n“C'est la fin”, a déclaré Mme Dupré — après 40 ans."
    # iso-8859-1 means windows-1252 in browsers (the curly quotes are 0x93/0x94).
    assert (record.metadata["encoding"], record.metadata["encoding_source"]) == (
        "cp1252",
        "declared",
    )


def test_bom_overrides_a_wrong_meta_charset(tmp_path: Path) -> None:
    page = '<html><head><meta charset="windows-1251"></head><body><p>Café Zürich</p></body></html>'
    record = read_html_file(write(tmp_path, "a.html", b"\xef\xbb\xbf" + page.encode()))
    assert record.text == "Café Zürich"
    assert (record.metadata["encoding"], record.metadata["encoding_source"]) == ("utf-8", "bom")


def test_invalid_utf8_in_a_page_names_the_byte(tmp_path: Path) -> None:
    data = '<html><head><meta charset="utf-8"></head><body><p>Zürich '.encode() + b"\xff</p>"
    path = write(tmp_path, "a.html", data + b"</body></html>")
    assert refused(path) == f"{path}: invalid UTF-8 at byte 58 (0xff: invalid start byte)"


@pytest.mark.parametrize(
    ("name", "markup", "line"),
    [
        (
            "bomb.xhtml",
            '<?xml version="1.0"?>\n<!DOCTYPE html [\n <!ENTITY a "lol">\n'
            ' <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n <!ENTITY c "&b;&b;&b;&b;&b;&b;">\n'
            ']>\n<html xmlns="http://www.w3.org/1999/xhtml"><body><p>&c;</p></body></html>',
            3,
        ),
        (
            "xxe.html",
            '<!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
            "<html><body><p>&xxe;</p></body></html>",
            1,
        ),
        (
            "parameter.xhtml",
            '<?xml version="1.0"?>\n\n<!DOCTYPE html [<!entity % remote SYSTEM '
            '"http://example.invalid/x.dtd"> %remote;]>\n<html><body><p>x</p></body></html>',
            3,
        ),
    ],
)
def test_entity_declarations_are_refused(tmp_path: Path, name: str, markup: str, line: int) -> None:
    path = write(tmp_path, name, markup)
    assert refused(path) == (
        f"{path}:{line}: entity declarations are not allowed (<!ENTITY ...> in the DOCTYPE); "
        "SpanLab never expands XML entities"
    )


def test_xhtml_with_an_external_dtd_never_touches_the_network(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the importer tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    record = read_html_file(write(tmp_path, "a.xhtml", XHTML.format(space=" ")))
    assert record.text == (
        "Ferry service resumes\n\nThe ferry between Busan and Fukuoka resumed on Tuesday "
        "after repairs.\n\nOperators expect full bookings."
    )


def test_html_entities_in_xhtml_become_characters(tmp_path: Path) -> None:
    markup = XHTML.format(space="&nbsp;")
    root, notices, _ = parse_page(markup, "a.xhtml")
    assert notices == []
    assert "resumed on\u00a0Tuesday after repairs." in fallback_blocks(root)[1]
    record = read_html_file(write(tmp_path, "a.xhtml", markup))
    assert "resumed on Tuesday after repairs." in record.text  # trafilatura: NBSP -> space


def test_malformed_html_is_repaired_and_reported(project: Project, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "storm.html",
        "<html><head><title>Storm</title></head><body><div><p>Heavy rain hit <b>Jeju<p>on "
        "Sunday</div></span><p>Flights were cancelled</td></body>",
    )
    report = import_paths(project, [path])
    assert report.ok
    document = project.document(report.imported[0])
    assert document.text == "Storm\n\nHeavy rain hit Jeju\n\non Sunday\n\nFlights were cancelled"
    assert document.metadata["html_errors"] == 2
    assert [(n.source, n.message) for n in report.notices] == [
        (
            str(path),
            "malformed HTML: the parser repaired 2 problem(s) (first at line 1: "
            "Unexpected end tag : span)",
        )
    ]


def test_markup_nested_too_deeply_is_refused(tmp_path: Path) -> None:
    body = "<div>" * 5000 + "<p>Deep.</p>" + "</div>" * 5000
    path = write(tmp_path, "deep.html", f"<html><body>{body}</body></html>")
    assert refused(path) == (
        f"{path}:1: malformed HTML: the parser gave up (Excessive depth in document: 256, "
        "use XML_PARSE_HUGE option)"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "<html><head><title>Menu</title><script>var a='<p>x</p>';</script></head><body>"
            "<nav><a href='/'>Home</a><a href='/world'>World</a></nav><footer><p>(c) 2024</p>"
            "</footer></body></html>",
            "no article body found (no paragraphs of text outside navigation, scripts and "
            "other page furniture)",
        ),
        ("   \n  ", "no article body found (the page is empty: Document is empty)"),
        ("<!-- nothing -->", "no article body found (the page is empty: Document is empty)"),
        ("", "empty file (0 bytes)"),
    ],
)
def test_pages_without_an_article_body(tmp_path: Path, content: str, message: str) -> None:
    path = write(tmp_path, "empty.html", content)
    assert refused(path) == f"{path}: {message}"


def test_binary_file_named_html(tmp_path: Path) -> None:
    path = write(tmp_path, "photo.html", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00")
    assert refused(path).startswith(f"{path}: looks like a binary file (")


def test_bad_pages_fail_and_the_rest_of_the_batch_is_imported(
    project: Project, data_dir: Path, tmp_path: Path
) -> None:
    bad = write(tmp_path, "nav.html", "<html><body><nav>Home</nav></body></html>")
    report: ImportReport = import_paths(project, [bad, data_dir / "news_page.html"])
    assert len(report.imported) == 1
    assert [f.source for f in report.failures] == [str(bad)]
    assert not report.ok


@pytest.mark.parametrize(
    "header",
    [
        '<header><h1 class="logo">The Harbour Daily</h1></header>',
        "<header><h1>The Harbour Daily</h1></header>",
        '<div class="site-logo"><h1>The Harbour Daily</h1></div>',
    ],
)
def test_the_headline_is_the_article_h1_not_the_site_logo(tmp_path: Path, header: str) -> None:
    page = (
        f"<html><head><title>Tide gauges | The Harbour Daily</title></head><body>{header}"
        "<main><article><header><h1>Tide gauges go digital</h1><p class='byline'>By Ana Ruiz"
        "</p></header><p>All forty tide gauges on the coast now report every minute, the "
        "agency said on Tuesday.</p><p>The old paper charts go to the city archive.</p>"
        "</article></main></body></html>"
    )
    record = read_html_file(write(tmp_path, "a.html", page))
    assert record.text == (
        "Tide gauges go digital\n\nAll forty tide gauges on the coast now report every "
        "minute, the agency said on Tuesday.\n\nThe old paper charts go to the city archive."
    )
    assert record.metadata["byline"] == "Ana Ruiz"


def test_large_pages_skip_trafilatura(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html_reader, "TRAFILATURA_MAX_CHARS", 1000)
    record = read_html_file(data_dir / "news_page.html")
    assert record.text == NEWS_TEXT
    assert record.metadata["extractor"] == "fallback"
    assert record.notices == (
        "large page (4,021 characters of markup): used the fallback extractor, trafilatura "
        "would take minutes",
    )


def test_page_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.html"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024 + 1)
    assert refused(path) == (
        f"{path}: too large: 52,428,801 bytes (50.0 MB); the limit is 50 MB per document"
    )
