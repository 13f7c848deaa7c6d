"""import_paths: folders, formats, duplicates, batches, all-or-nothing and cancelling."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from spanlab.core.errors import InputError
from spanlab.core.importing import (
    ArticleRecord,
    ImportOptions,
    ImportOptionsError,
    ImportReport,
    ReadResult,
    import_paths,
    pipeline,
    reader_names,
    register_reader,
)
from spanlab.core.importing.registry import reader_for, unregister_reader
from spanlab.core.project import Project


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A folder of articles in subfolders, with files that must be left out."""
    root = tmp_path / "articles"
    write(root / "b.txt", "Second article\n\nBody b.")
    write(root / "a.txt", "First article\n\nBody a.")
    write(
        root / "2024" / "03" / "c.HTML", "<html><body><p>Third article, in HTML.</p></body></html>"
    )
    write(root / "2024" / "d.jsonl", '{"text": "Fourth"}\n{"text": "Fifth"}\n')
    write(root / "2024" / "notes.md", "# not an article")
    write(root / ".hidden.txt", "hidden file")
    write(root / ".git" / "e.txt", "inside a hidden folder")
    return root


def texts(project: Project, report: ImportReport) -> list[str]:
    return [project.document(i).text for i in report.imported]


def test_folders_are_searched_recursively_in_a_stable_order(project: Project, tree: Path) -> None:
    report = import_paths(project, [tree])
    assert report.ok
    assert texts(project, report) == [
        "First article\n\nBody a.",
        "Second article\n\nBody b.",
        "Fourth",
        "Fifth",
        "Third article, in HTML.",
    ]
    assert [d.title for d in project.documents()] == [
        "First article",
        "Second article",
        "Fourth",
        "Fifth",
        "Third article, in HTML.",
    ]


def test_include_patterns_choose_the_files(project: Project, tree: Path) -> None:
    options = ImportOptions(include=("*.md", "a.*"), format="txt")
    report = import_paths(project, [tree], options=options)
    assert report.ok
    assert texts(project, report) == ["First article\n\nBody a.", "# not an article"]


def test_folder_without_matching_files(project: Project, tmp_path: Path) -> None:
    write(tmp_path / "docs" / "x.pdf", "%PDF")
    report = import_paths(project, [tmp_path / "docs"])
    assert [(f.source, f.reason) for f in report.failures] == [
        (str(tmp_path / "docs"), "no files matching *.txt, *.html, *.htm, *.jsonl in this folder")
    ]


def test_several_paths_and_a_file_given_twice(project: Project, tree: Path) -> None:
    report = import_paths(project, [tree / "a.txt", tree, tree / "a.txt"])
    assert report.ok and len(report.imported) == 5 and report.duplicates == []


def test_duplicates_within_the_run_and_against_the_project(
    project: Project, tmp_path: Path
) -> None:
    one = write(tmp_path / "one.txt", "Same text\r\n")
    two = write(tmp_path / "two.txt", "\ufeffSame text\n\n")  # the same canonical text
    three = write(tmp_path / "three.txt", "Other text")
    first = import_paths(project, [one, two])
    assert (len(first.imported), first.duplicates) == (1, [str(two)])
    second = import_paths(project, [three, two, one])
    assert len(second.imported) == 1
    assert sorted(second.duplicates) == sorted([str(two), str(one)])
    assert second.ok
    assert project.document_count() == 2


def test_batches_and_duplicates_across_batches(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "BATCH_SIZE", 2)
    lines = [f'{{"text": "article {n % 4}"}}' for n in range(7)]
    path = write(tmp_path / "a.jsonl", "\n".join(lines))
    report = import_paths(project, [path])
    assert len(report.imported) == 4
    assert report.duplicates == [f"{path}:{n}" for n in (5, 6, 7)]
    assert [d.title for d in project.documents()] == [f"article {n}" for n in range(4)]


def test_failures_do_not_stop_the_rest(project: Project, tmp_path: Path) -> None:
    good = write(tmp_path / "good.txt", "Good")
    empty = write(tmp_path / "empty.txt", "   ")
    report = import_paths(project, [empty, tmp_path / "missing.txt", good])
    assert [f.source for f in report.failures] == [str(tmp_path / "missing.txt"), str(empty)]
    assert texts(project, report) == ["Good"]
    assert not report.ok and not report.rolled_back


def test_all_or_nothing_leaves_the_project_unchanged(
    project: Project, tmp_path: Path, data_dir: Path, snapshot: Callable[[Project], object]
) -> None:
    import_paths(project, [write(tmp_path / "earlier.txt", "Earlier article")])
    before = snapshot(project)
    options = ImportOptions(all_or_nothing=True)
    report = import_paths(
        project,
        [data_dir / "news_page.html", data_dir / "articles.jsonl", tmp_path / "missing.txt"],
        options=options,
    )
    assert report.imported == [] and report.rolled_back and not report.ok
    assert [f.source for f in report.failures] == [
        str(tmp_path / "missing.txt"),
        f"{data_dir / 'articles.jsonl'}:3",  # every problem is reported, not only the first
    ]
    assert snapshot(project) == before


def test_all_or_nothing_imports_everything_when_nothing_fails(
    project: Project, data_dir: Path
) -> None:
    options = ImportOptions(all_or_nothing=True)
    report = import_paths(project, [data_dir / "news_page.html"], options=options)
    assert report.ok and len(report.imported) == 1 and not report.rolled_back


@pytest.mark.parametrize("stop_after", [0, 1, 3])
def test_cancel_rolls_back_the_whole_run(
    project: Project,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    snapshot: Callable[[Project], object],
    stop_after: int,
) -> None:
    monkeypatch.setattr(pipeline, "BATCH_SIZE", 1)  # batches are written before cancelling
    import_paths(project, [write(tmp_path / "earlier.txt", "Earlier article")])
    before = snapshot(project)
    paths = [write(tmp_path / f"{n}.txt", f"Article {n}") for n in range(5)]
    calls = 0

    def cancel() -> bool:
        nonlocal calls
        calls += 1
        return calls > stop_after

    report = import_paths(project, paths, cancel=cancel)
    assert report.cancelled and report.rolled_back and not report.ok
    assert report.imported == []
    assert snapshot(project) == before


def test_progress_reports_each_file(project: Project, tmp_path: Path) -> None:
    paths = [write(tmp_path / f"{n}.txt", f"Article {n}") for n in range(3)]
    calls: list[tuple[int, int, str]] = []
    import_paths(project, paths, progress=lambda *args: calls.append(args))
    assert calls == [
        (0, 3, str(paths[0])),
        (1, 3, str(paths[1])),
        (2, 3, str(paths[2])),
        (3, 3, ""),
    ]


def test_unknown_format_is_refused(project: Project) -> None:
    with pytest.raises(ImportOptionsError, match="unknown import format 'pdf' \\(known: auto, txt"):
        import_paths(project, [Path("x")], options=ImportOptions(format="pdf"))


def test_forced_format_and_sniffing_of_unknown_suffixes(tmp_path: Path) -> None:
    html = write(
        tmp_path / "page.dat", "<!-- saved -->\n<!DOCTYPE html><html><body><p>x</p></body></html>"
    )
    jsonl = write(tmp_path / "rows.dat", '{"text": "x"}\n')
    text = write(tmp_path / "notes.dat", "Plain words")
    utf16 = tmp_path / "page16.dat"
    utf16.write_bytes(b"\xff\xfe" + "<html><body>x</body></html>".encode("utf-16-le"))
    assert [reader_for(p).name for p in (html, jsonl, text, utf16)] == [
        "html",
        "jsonl",
        "txt",
        "html",
    ]
    assert reader_for(html, "txt").name == "txt"
    assert reader_for(tmp_path / "missing.htm").name == "html"


def test_a_registered_reader_is_used(project: Project, tmp_path: Path) -> None:
    def read_shouting(path: Path, options: ImportOptions) -> Iterator[ReadResult]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.startswith("!"):
                yield InputError(path, "no shouting", line=number)
            else:
                yield ArticleRecord(
                    str(path), line.upper(), metadata={"format": "shout"}, line=number
                )

    register_reader("shout", read_shouting, suffixes=(".shout",))
    try:
        assert "shout" in reader_names()
        with pytest.raises(ValueError, match="already registered"):
            register_reader("shout", read_shouting)
        path = write(tmp_path / "a.shout", "hello\n!bad\nworld")
        report = import_paths(project, [path])
        assert texts(project, report) == ["HELLO", "WORLD"]
        assert [(f.source, f.reason) for f in report.failures] == [(f"{path}:2", "no shouting")]
    finally:
        unregister_reader("shout")
    assert "shout" not in reader_names()


def test_the_sample_articles_still_import(project: Project) -> None:
    from spanlab.core.resources import real_path, resource, sample_article_names

    paths = [real_path(resource("samples", n)) for n in sample_article_names()]
    report = import_paths(project, paths)
    assert report.ok and len(report.imported) == len(paths)
