"""Golden export samples: every format's export of the bundled sample project.

``python3 tasks.py golden`` (or ``python -m spanlab.core.golden DIR``) rebuilds the
sample project in a temporary folder and exports it to ``exports/golden/<format>/``;
``tests/test_golden_exports.py`` regenerates into a temporary folder and fails when
the committed files drift from what the exporters produce.

Settings: every annotator (``merged``: formats that hold one annotator per file get a
folder per annotator), every document (``--all-documents``), default options. The
documents' sources are rewritten to ``resources/samples/<file>`` so the files do not
depend on where the repository is checked out. Formats whose module is not present
are skipped (and reported).
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import update

from spanlab.core.exporting import DocumentChoice, ExportSelection, export_project
from spanlab.core.formats import registry
from spanlab.core.project import Project
from spanlab.core.samples import build_sample_project
from spanlab.core.storage import repository as repo

SELECTION = ExportSelection(documents=DocumentChoice.ALL)


def format_module(format: str) -> str:
    """The module that implements a format's exporter."""
    return registry._EXPORTERS[format].partition(":")[0]


def available_formats() -> list[str]:
    """Formats whose exporter module exists in this checkout."""
    return [f for f in registry.export_formats() if importlib.util.find_spec(format_module(f))]


def portable_sources(project: Project) -> None:
    """Make document sources independent of the checkout: ``resources/samples/<file>``."""
    with project.edit() as store:
        for summary in project.documents():
            name = Path(summary.source or summary.title).name
            store.conn.execute(
                update(repo.DOC)
                .where(repo.DOC.c.id == summary.id)
                .values(source=f"resources/samples/{name}")
            )


def generate(root: Path, formats: Sequence[str] | None = None) -> dict[str, str]:
    """Write ``root/<format>/`` for each format; return format -> what happened."""
    outcome: dict[str, str] = {}
    wanted = list(formats) if formats is not None else registry.export_formats()
    present = set(available_formats())
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="spanlab-golden-") as tmp:
        work = Path(tmp)
        with build_sample_project(work / "sample.spanlab") as project:
            portable_sources(project)
            for format in wanted:
                if format not in present:
                    outcome[format] = f"skipped (no module {format_module(format)} yet)"
                    continue
                staging = work / format
                report = export_project(
                    project, format=format, out_dir=staging, selection=SELECTION
                )
                if not report.ok:
                    outcome[format] = f"failed: {report.failed or 'cancelled'}"
                    continue
                target = root / format
                if target.exists():
                    shutil.rmtree(target)
                shutil.move(str(staging), str(target))
                outcome[format] = f"{len(report.files)} file(s)"
    return outcome


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m spanlab.core.golden [DIR] [FORMAT ...]``."""
    args = list(sys.argv[1:] if argv is None else argv)
    root = Path(args.pop(0)) if args else Path("exports") / "golden"
    outcome = generate(root, args or None)
    for format, what in outcome.items():
        print(f"{format:12} {what}")
    return 1 if any(w.startswith("failed") for w in outcome.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
