"""HTML news pages: the article body as text, plus title, byline, date and canonical URL.

Steps, each explicit so nothing is guessed silently:

1. **Decode** the bytes ourselves (``decode_html``): forced encoding, else BOM, else the
   declared charset (``<meta charset>``, ``http-equiv``, XML declaration), else strict
   UTF-8, else charset-normalizer. lxml only ever sees a ``str``.
2. **Refuse entity declarations.** A DOCTYPE with ``<!ENTITY`` (entity-expansion bombs,
   external entities) is refused before parsing. XHTML is parsed with
   ``resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False``; HTML
   with lxml's HTML parser (which never loads DTDs or touches the network).
   Malformed markup is repaired by the parser and reported as a notice.
3. **Metadata** with lxml first (``og:title``, ``link rel=canonical``,
   ``article:published_time``, ``meta name=author``, JSON-LD, byline elements), then
   what trafilatura found.
4. **Body** with trafilatura (never its fetch functions: it only gets a parsed tree),
   or with our own fallback extractor when trafilatura finds nothing: the main
   ``<article>``/``<main>`` without scripts, styles, navigation, headers, footers,
   forms, figures, share widgets, ads and other page furniture.

Text layout (the same for both extractors): the headline (the page's ``<h1>``, else
its title) is the first paragraph; **paragraphs are separated by a blank line**
(``"\\n\\n"``), ``<br>``, list items and table rows by a single newline, table cells
by a tab. Whitespace inside a paragraph collapses to single spaces as a browser shows
it; ``<pre>`` keeps its lines. This matches SpanLab's plain-text articles (headline,
blank line, paragraphs separated by blank lines), so the same article imported as
``.txt`` and as ``.html`` gives the same text. Image captions, duplicated captions,
the byline line and share-widget texts ("Link copied") are not part of the text.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html import entities as html_entities
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html  # type: ignore[import-untyped, unused-ignore]  # no stubs for lxml
from lxml import etree

from spanlab.core.errors import InputError
from spanlab.core.importing.dates import normalise_date
from spanlab.core.importing.encoding import (
    Decoded,
    bom_encoding,
    check_encoding_name,
    decode_text,
    read_bytes,
)
from spanlab.core.importing.records import ArticleRecord, ImportOptions, ReadResult

TRAFILATURA_MAX_CHARS = 3_000_000
"""Larger pages skip trafilatura (it needs seconds per megabyte) for the fallback."""
PARAGRAPH_SEPARATOR = "\n\n"
LINE_SEPARATOR = "\n"

_DECLARATION_WINDOW = 4096
_META_CHARSET = re.compile(rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""\A\s*<\?xml\b[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")
_XML_DECLARATION = re.compile(r"\A\s*<\?xml\b[^>]*\?>")
_XHTML = re.compile(r"""<html\b[^>]*\bxmlns\s*=\s*["']http://www\.w3\.org/1999/xhtml""", re.I)
_ENTITY_DECLARATION = re.compile(r"<!ENTITY", re.I)
_WHITESPACE = re.compile(r"[ \t\n\r\f]+")
_TOKEN_SPLIT = re.compile(r"[^a-z0-9]+")
_BY = re.compile(r"^\s*by\s+", re.I)
# WHATWG: these labels mean windows-1252 in browsers; a UTF-16 label on ASCII bytes is UTF-8.
_CHARSET_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "utf-16": "utf-8",
    "utf-16le": "utf-8",
    "utf-16be": "utf-8",
}

DROP_TAGS = frozenset(
    {
        "script", "style", "noscript", "template", "nav", "header", "footer", "aside",
        "form", "button", "input", "select", "textarea", "label", "iframe", "object",
        "embed", "svg", "canvas", "video", "audio", "picture", "img", "figure",
        "figcaption", "menu", "dialog", "head", "title", "meta", "link",
    }
)  # fmt: skip
BOILERPLATE_TOKENS = frozenset(
    {
        "nav", "navbar", "navigation", "menu", "share", "sharing", "social", "related",
        "byline", "author", "dateline", "date", "meta", "ad", "ads", "advert",
        "advertisement", "banner", "promo", "sponsor", "sponsored", "newsletter",
        "subscribe", "cookie", "cookies", "consent", "comment", "comments", "footer",
        "header", "sidebar", "toolbar", "breadcrumb", "breadcrumbs", "caption", "toast",
        "popup", "modal", "masthead", "widget", "tags", "copyright", "print", "hidden",
        "recommended", "popular", "trending", "outbrain", "taboola",
    }
)  # fmt: skip
BOILERPLATE_TEXTS = frozenset(
    {
        "link copied", "copy link", "copy the link", "share", "share this article",
        "share this", "advertisement", "print", "email", "tweet", "close",
    }
)  # fmt: skip
_PARAGRAPH_TAGS = frozenset(
    {
        "p", "div", "head", "h1", "h2", "h3", "h4", "h5", "h6", "quote", "blockquote",
        "list", "ul", "ol", "dl", "table", "section", "article", "main", "address",
        "hr", "center", "details", "summary", "fieldset", "body", "html",
    }
)  # fmt: skip
_LINE_TAGS = frozenset({"item", "li", "row", "tr", "dt", "dd", "caption"})
_CELL_TAGS = frozenset({"cell", "td", "th"})
_BREAK_TAGS = frozenset({"br", "lb"})
_PRE_TAGS = frozenset({"pre", "code"})
_DATE_META_NAMES = (
    "datepublished", "date", "pubdate", "publishdate", "publish-date", "dc.date",
    "dc.date.issued", "dcterms.created", "sailthru.date", "parsely-pub-date",
)  # fmt: skip
_TRAFILATURA_PRUNE = ["//figure", "//figcaption", "//noscript", "//template", "//button"]
_FURNITURE_TAGS = frozenset({"header", "nav", "footer", "aside", "menu"})
_LOGO_TOKENS = frozenset({"logo", "brand", "masthead", "sitename"})
_LOGGERS = ("trafilatura", "htmldate", "courlan", "justext")


@dataclass(slots=True)
class PageMetadata:
    """What the page says about itself."""

    title: str | None = None
    url: str | None = None
    published: str | None = None
    byline: str | None = None
    headline: str | None = None
    description: str | None = None
    site_name: str | None = None
    language: str | None = None
    captions: set[str] = field(default_factory=set)


# --------------------------------------------------------------------------- reading
def read_html(path: Path, options: ImportOptions) -> Iterator[ReadResult]:
    """The ``html`` reader."""
    yield read_html_file(path, options)


def read_html_file(path: Path, options: ImportOptions | None = None) -> ArticleRecord:
    """One article from an HTML page (see the module docstring)."""
    decoded = decode_html(path, read_bytes(path), forced=(options or ImportOptions()).encoding)
    return extract_article(
        decoded.text,
        source=str(path),
        metadata={"format": "html", **decoded.metadata()},
        notices=(decoded.notice,) if decoded.notice else (),
    )


def declared_charset(data: bytes) -> str | None:
    """The charset the page declares in its first bytes, as a Python codec name."""
    head = data[:_DECLARATION_WINDOW]
    found = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    if found is None:
        return None
    label = found.group(1).decode("ascii").lower()
    label = _CHARSET_ALIASES.get(label, label)
    try:
        return check_encoding_name(label)
    except ValueError:
        return None


def decode_html(path: Path, data: bytes, *, forced: str | None = None) -> Decoded:
    """Decode a page: forced, BOM, declared charset, strict UTF-8, detection."""
    if forced is not None or bom_encoding(data) is not None:
        return decode_text(path, data, forced=forced)
    return decode_text(path, data, declared=declared_charset(data))


# --------------------------------------------------------------------------- extraction
def extract_article(
    markup: str,
    *,
    source: str,
    metadata: dict[str, Any] | None = None,
    notices: tuple[str, ...] = (),
) -> ArticleRecord:
    """Turn decoded HTML into an article; ``InputError`` when there is no article body."""
    refuse_entity_declarations(markup, source)
    root, parse_notices, problems = parse_page(markup, source)
    page = page_metadata(root)
    meta: dict[str, Any] = dict(metadata or {})
    blocks, extractor, found, extraction_notices = _extract_blocks(root, page, len(markup))
    _merge_found(page, found)
    blocks = _clean_blocks(blocks, page)
    if not blocks:
        raise InputError(
            source,
            "no article body found (no paragraphs of text outside navigation, scripts "
            "and other page furniture)",
        )
    headline = page.headline or page.title
    if headline and _norm(blocks[0]) != _norm(headline):
        blocks.insert(0, headline)
    published = normalise_date(page.published)
    for key, value in (
        ("byline", page.byline),
        ("description", page.description),
        ("site_name", page.site_name),
        ("language", page.language),
        ("published_raw", page.published if page.published and not published else None),
    ):
        if value:
            meta[key] = value
    meta["extractor"] = extractor
    if problems:
        meta["html_errors"] = problems
    return ArticleRecord(
        source=source,
        text=PARAGRAPH_SEPARATOR.join(blocks),
        title=page.title or page.headline,
        url=page.url,
        published=published,
        metadata=meta,
        notices=(*notices, *parse_notices, *extraction_notices),
    )


def refuse_entity_declarations(markup: str, source: str) -> None:
    """Entity declarations (billion laughs, external entities) are never parsed."""
    found = _ENTITY_DECLARATION.search(markup)
    if found is not None:
        line = markup.count("\n", 0, found.start()) + 1
        raise InputError(
            source,
            "entity declarations are not allowed (<!ENTITY ...> in the DOCTYPE); "
            "SpanLab never expands XML entities",
            line=line,
        )


def parse_page(markup: str, source: str) -> tuple[Any, list[str], int]:
    """(root element, notices, number of repaired problems); XHTML parsed safely first."""
    notices: list[str] = []
    markup = _XML_DECLARATION.sub("", markup, count=1)  # str input must not declare bytes
    if _XHTML.search(markup, 0, _DECLARATION_WINDOW) is not None:
        parser = lxml.html.XHTMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )
        try:
            root = etree.fromstring(markup, parser)
        except etree.XMLSyntaxError as exc:
            notices.append(f"not well-formed XHTML ({exc}); read as HTML instead")
        else:
            _check_dtd(root, source)
            _replace_entity_references(root)
            lxml.html.xhtml_to_html(root)
            return root, notices, 0
    parser = lxml.html.HTMLParser(
        remove_comments=True, remove_pis=True, no_network=True, huge_tree=False
    )
    try:
        root = lxml.html.document_fromstring(markup, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError) as exc:
        raise InputError(source, f"no article body found (the page is empty: {exc})") from exc
    _check_dtd(root, source)
    errors = [e for e in parser.error_log if e.level >= etree.ErrorLevels.ERROR]
    fatal = [e for e in errors if e.level >= etree.ErrorLevels.FATAL]
    if fatal:
        raise InputError(
            source,
            f"malformed HTML: the parser gave up ({fatal[0].message})",
            line=fatal[0].line or None,
        )
    if errors:
        first = errors[0]
        notices.append(
            f"malformed HTML: the parser repaired {len(errors)} problem(s) "
            f"(first at line {first.line}: {first.message})"
        )
    return root, notices, len(errors)


def _replace_entity_references(root: Any) -> None:
    """Turn references left unresolved (``&nbsp;``: no DTD is loaded) into characters.

    Only the fixed HTML entity names are known; a reference to anything else is dropped.
    Declared entities never get here: declarations are refused before parsing.
    """
    for entity in list(root.iter(etree.Entity)):
        name = str(entity.name)
        text = html_entities.html5.get(f"{name};", "") + (entity.tail or "")
        parent = entity.getparent()
        previous = entity.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + text
        elif parent is not None:
            parent.text = (parent.text or "") + text
        if parent is not None:
            parent.remove(entity)


def _check_dtd(root: Any, source: str) -> None:
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.entities()):
        raise InputError(source, "entity declarations are not allowed (internal DTD subset)")


# --------------------------------------------------------------------------- metadata
def page_metadata(root: Any) -> PageMetadata:
    """Title, canonical URL, publication date, byline and more, read with lxml."""
    metas: dict[str, str] = {}
    for meta in root.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        content = _collapse(meta.get("content") or "")
        if key and content and key not in metas:
            metas[key] = content
    ld = _json_ld(root)
    page = PageMetadata()
    page.title = _first(metas.get("og:title"), metas.get("twitter:title"), ld.get("headline"))
    canonical = next(
        (
            link.get("href")
            for link in root.iter("link")
            if "canonical" in (link.get("rel") or "").lower().split() and link.get("href")
        ),
        None,
    )
    og_url = metas.get("og:url")
    if canonical and not urlsplit(canonical).scheme and og_url and urlsplit(og_url).scheme:
        canonical = urljoin(og_url, canonical)
    page.url = _first(canonical, og_url, ld.get("url"))
    page.published = _first(
        metas.get("article:published_time"),
        metas.get("og:published_time"),
        ld.get("datePublished"),
        *(metas.get(name) for name in _DATE_META_NAMES),
        _article_time(root),
    )
    page.byline = _clean_byline(
        _first(
            _not_url(metas.get("author")),
            _not_url(metas.get("article:author")),
            ld.get("author"),
            _byline_element(root),
        )
    )
    page.headline = _headline(root)
    page.description = _first(metas.get("description"), metas.get("og:description"))
    page.site_name = metas.get("og:site_name")
    page.language = _collapse(root.get("lang") or "") or None
    page.captions = _captions(root)
    return page


def _first(*values: str | None) -> str | None:
    for value in values:
        if value and value.strip():
            return _collapse(value)
    return None


def _collapse(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _not_url(value: str | None) -> str | None:
    return None if value is None or urlsplit(value).scheme in ("http", "https") else value


def _clean_byline(value: str | None) -> str | None:
    if not value:
        return None
    value = _BY.sub("", _collapse(value))
    return value[:200] or None


def _json_ld(root: Any) -> dict[str, str]:
    """headline, datePublished, url and author of the first JSON-LD article object."""
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        for item in _ld_items(data):
            kind = item.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            if not any(isinstance(k, str) and k.endswith("Article") for k in kinds):
                continue
            found: dict[str, str] = {}
            for key in ("headline", "datePublished", "url"):
                if isinstance(item.get(key), str):
                    found[key] = item[key]
            authors = item.get("author")
            names = [
                a["name"] if isinstance(a, dict) else a
                for a in (authors if isinstance(authors, list) else [authors])
                if isinstance(a, str) or (isinstance(a, dict) and isinstance(a.get("name"), str))
            ]
            if names:
                found["author"] = ", ".join(names)
            return found
    return {}


def _ld_items(data: Any) -> Iterator[dict[str, Any]]:
    items = data if isinstance(data, list) else [data]
    for item in items:
        if isinstance(item, dict):
            yield item
            graph = item.get("@graph")
            if isinstance(graph, list):
                yield from (g for g in graph if isinstance(g, dict))


def _article_time(root: Any) -> str | None:
    for article in root.iter("article"):
        for time in article.iter("time"):
            if time.get("datetime"):
                return str(time.get("datetime"))
    return None


def _byline_element(root: Any) -> str | None:
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if (
            "byline" in _tokens(element)
            or (element.get("rel") or "").lower() == "author"
            or (element.get("itemprop") or "").lower() == "author"
        ):
            text = _collapse(element.text_content())
            if text and len(text) <= 200:
                return text
    return None


def _headline(root: Any) -> str | None:
    """The article's ``<h1>``; not a site logo in the page header."""
    for scope in (*root.iter("article"), *root.iter("main"), root):
        for h1 in scope.iter("h1"):
            if _in_furniture(h1):
                continue
            text = _collapse(h1.text_content())
            if text:
                return text
    return None


def _in_furniture(element: Any) -> bool:
    """A logo, or inside the page's header/nav/footer/aside (an article's own is fine)."""
    parent = element.getparent()
    for candidate in (element, parent):
        if candidate is not None and not _tokens(candidate).isdisjoint(_LOGO_TOKENS):
            return True
    tags = [a.tag for a in element.iterancestors() if isinstance(a.tag, str)]
    return "article" not in tags and "main" not in tags and not _FURNITURE_TAGS.isdisjoint(tags)


def _captions(root: Any) -> set[str]:
    captions = {_norm(c.text_content()) for c in root.iter("figcaption")}
    captions.update(_norm(img.get("alt") or "") for img in root.iter("img"))
    captions.discard("")
    return captions


def _tokens(element: Any) -> set[str]:
    names = f"{element.get('class') or ''} {element.get('id') or ''}".lower()
    return set(_TOKEN_SPLIT.split(names)) - {""}


# --------------------------------------------------------------------------- body
def _extract_blocks(
    root: Any, page: PageMetadata, size: int
) -> tuple[list[str], str, dict[str, str], list[str]]:
    """(paragraphs, extractor name, what trafilatura found, notices)."""
    notices: list[str] = []
    found: dict[str, str] = {}
    body = None
    if size > TRAFILATURA_MAX_CHARS:
        notices.append(
            f"large page ({size:,} characters of markup): used the fallback extractor, "
            "trafilatura would take minutes"
        )
    else:
        try:
            body, found = _trafilatura(root)
        except Exception as exc:  # a third-party heuristic: fall back instead of failing
            notices.append(f"trafilatura failed ({type(exc).__name__}: {exc}); used the fallback")
    fallback = fallback_blocks(root)
    if body is not None:
        blocks = render_blocks(body)
        cleaned = _clean_blocks(blocks, page)
        furniture = _furniture_text(root)
        if any(_squash(block) not in furniture for block in cleaned):
            if _same_text_more_structure(cleaned, _clean_blocks(fallback, page), page):
                return fallback, "fallback", found, notices
            return blocks, "trafilatura", found, notices
    return fallback, "fallback", found, notices


def _same_text_more_structure(chosen: list[str], fallback: list[str], page: PageMetadata) -> bool:
    """Whether the fallback has the text trafilatura chose, in more paragraphs.

    For short pages trafilatura's rescue path returns the whole text as one paragraph;
    the paragraphs must not be lost because of that.
    """
    headline = _squash(page.headline or "")
    others = [key for key in map(_squash, fallback) if key != headline]
    if len(others) <= len([block for block in chosen if _squash(block) != headline]):
        return False
    chosen_text = "".join(_squash(block) for block in chosen)
    return all(key in chosen_text for key in others)


def _furniture_text(root: Any) -> str:
    """Text of navigation, headers, footers and sidebars: never an article body alone."""
    parts = [_squash(e.text_content()) for e in root.iter(*_FURNITURE_TAGS)]
    return "\n".join(parts)


def _squash(text: str) -> str:
    """Text without any whitespace: ``text_content()`` runs adjacent links together."""
    return "".join(text.split()).casefold()


def _trafilatura(root: Any) -> tuple[Any, dict[str, str]]:
    """trafilatura's body tree and metadata, from our parsed tree (it never fetches)."""
    _quiet_loggers()
    import trafilatura  # slow to import; only needed for HTML

    document = trafilatura.bare_extraction(
        root,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        include_formatting=False,
        deduplicate=False,
        prune_xpath=_TRAFILATURA_PRUNE,
        # Dates only from the page's markup: free-text search finds copyright years.
        date_extraction_params={"original_date": True, "extensive_search": False},
    )
    if document is None:
        return None, {}
    found = {
        key: value
        for key in ("title", "author", "date", "url")
        if isinstance(value := getattr(document, key, None), str) and value
    }
    return getattr(document, "body", None), found


def _merge_found(page: PageMetadata, found: dict[str, str]) -> None:
    page.title = page.title or _first(found.get("title"))
    page.url = page.url or _first(found.get("url"))
    page.published = page.published or _first(found.get("date"))
    page.byline = page.byline or _clean_byline(found.get("author"))


_logging_quiet = False


def _quiet_loggers() -> None:
    """Keep trafilatura's log records off stderr unless the application logs them."""
    global _logging_quiet
    if not _logging_quiet:
        for name in _LOGGERS:
            logging.getLogger(name).addHandler(logging.NullHandler())
        _logging_quiet = True


def fallback_blocks(root: Any) -> list[str]:
    """Paragraphs of the page's main content, without page furniture (lxml only)."""
    content = _content_root(root)
    return render_blocks(content, drop=DROP_TAGS, skip_boilerplate=True)


def _content_root(root: Any) -> Any:
    candidates = [
        *root.iter("article", "main"),
        *root.xpath("//*[@itemprop='articleBody' or @role='main']"),
    ]
    if candidates:
        return max(candidates, key=lambda e: len(_collapse(e.text_content())))
    body = root.find("body")
    return body if body is not None else root


def render_blocks(
    root: Any, *, drop: frozenset[str] = frozenset(), skip_boilerplate: bool = False
) -> list[str]:
    """Paragraphs of ``root`` as text (see the module docstring for the layout).

    Works on HTML and on trafilatura's output vocabulary (``head``, ``list``/``item``,
    ``row``/``cell``, ``lb``). Iterative, so deeply nested markup cannot overflow the
    stack.
    """
    paragraphs: list[str] = []
    lines: list[str] = []
    cells: list[str] = []
    current: list[str] = []

    def end_cell() -> None:
        text = _collapse("".join(current))
        current.clear()
        if text:
            cells.append(text)

    def end_line() -> None:
        end_cell()
        if cells:
            lines.append("\t".join(cells))
            cells.clear()

    def end_paragraph() -> None:
        end_line()
        if lines:
            paragraphs.append(LINE_SEPARATOR.join(lines))
            lines.clear()

    walker = etree.iterwalk(root, events=("start", "end"))
    skipped: Any = None
    for event, element in walker:
        tag = element.tag
        name = tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""
        if event == "start":
            if (
                not name
                or name in drop
                or (skip_boilerplate and element is not root and _is_furniture(element))
            ):
                walker.skip_subtree()
                skipped = element
                continue
            if name in _BREAK_TAGS:
                end_line()
            elif name in _PARAGRAPH_TAGS:
                end_paragraph()
            elif name in _LINE_TAGS:
                end_line()
            elif name in _CELL_TAGS:
                end_cell()
            elif name in _PRE_TAGS and _is_block_pre(element, name):
                end_paragraph()
                lines.extend(
                    line.rstrip() for line in element.text_content().splitlines() if line.strip()
                )
                end_paragraph()
                walker.skip_subtree()
                skipped = element
                continue
            if element.text:
                current.append(element.text)
            continue
        if element is skipped:
            skipped = None
        elif name in _PARAGRAPH_TAGS:
            end_paragraph()
        elif name in _LINE_TAGS:
            end_line()
        elif name in _CELL_TAGS:
            end_cell()
        if element.tail and element is not root:
            current.append(element.tail)
    end_paragraph()
    return paragraphs


def _is_block_pre(element: Any, name: str) -> bool:
    if name == "pre":
        return True
    parent = element.getparent()  # <code> alone is inline unless it is trafilatura's block
    return parent is not None and parent.tag in ("body", "doc")


def _is_furniture(element: Any) -> bool:
    if element.get("hidden") is not None or (element.get("aria-hidden") or "") == "true":
        return True
    style = (element.get("style") or "").replace(" ", "").lower()
    if "display:none" in style:
        return True
    return not _tokens(element).isdisjoint(BOILERPLATE_TOKENS)


def _clean_blocks(blocks: Iterable[str], page: PageMetadata) -> list[str]:
    """Drop captions, share-widget texts, the byline line and repeated paragraphs."""
    drop = set(page.captions)
    if page.byline:
        drop.update({_norm(page.byline), _norm(f"By {page.byline}")})
    kept: list[str] = []
    for block in blocks:
        key = _norm(block)
        if not key or key in drop or key in BOILERPLATE_TEXTS:
            continue
        if kept and _norm(kept[-1]) == key:
            continue
        kept.append(block)
    return kept
