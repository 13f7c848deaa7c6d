"""exports/golden/ must be exactly what the exporters write for the sample project.

On drift: ``python3 tasks.py golden`` regenerates the files; review the diff and commit
it. Formats whose module does not exist are skipped; every other format is compared.
``.spacy`` files are compared by loading them with spaCy and ``.zip`` files member by
member, so compression details do not matter.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest

from spanlab.core.formats import registry
from spanlab.core.golden import available_formats, format_module, generate

GOLDEN = Path(__file__).resolve().parents[1] / "exports" / "golden"
HINT = "run python3 tasks.py golden and review the diff"


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("golden")
    outcome = generate(root, available_formats())
    failed = {f: what for f, what in outcome.items() if what.startswith("failed")}
    assert not failed, failed
    return root


def _files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def _spacy_docs(path: Path) -> list[Any]:
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import DocBin

    nlp = spacy.blank("en")
    docbin = DocBin(store_user_data=True).from_disk(path)
    return [
        (doc.to_json(), repr(sorted(doc.user_data.items(), key=repr)))
        for doc in docbin.get_docs(nlp.vocab)
    ]


def _zip_members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in sorted(archive.namelist())}


def _same(committed: Path, fresh: Path) -> bool:
    if committed.suffix == ".spacy":
        return _spacy_docs(committed) == _spacy_docs(fresh)
    if committed.suffix == ".zip":
        return _zip_members(committed) == _zip_members(fresh)
    return committed.read_bytes() == fresh.read_bytes()


@pytest.mark.parametrize("format", registry.export_formats())
def test_golden_files_match_the_exporter(format: str, regenerated: Path) -> None:
    if format not in available_formats():
        pytest.skip(f"{format_module(format)} does not exist yet")
    committed = GOLDEN / format
    fresh = regenerated / format
    assert committed.is_dir(), f"exports/golden/{format}/ is missing: {HINT}"
    assert _files(committed) == _files(fresh), f"exports/golden/{format}/ has other files: {HINT}"
    for name in _files(fresh):
        assert _same(committed / name, fresh / name), (
            f"exports/golden/{format}/{name} differs from what the exporter writes: {HINT}"
        )


def test_every_format_has_a_golden_folder_or_no_module() -> None:
    present = set(available_formats())
    folders = {p.name for p in GOLDEN.iterdir() if p.is_dir()} if GOLDEN.is_dir() else set()
    assert present <= folders, f"missing golden samples for {sorted(present - folders)}: {HINT}"
    assert folders <= set(registry.export_formats()), f"unknown folders in exports/golden: {HINT}"
