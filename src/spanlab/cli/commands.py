"""CLI command handlers: turn parsed arguments into one core call and print the result."""

from __future__ import annotations

import argparse
import importlib
from pathlib import Path

from spanlab.cli import render
from spanlab.cli.display_check import display_advice, missing_display_packages
from spanlab.core.commands import UpdateSchema
from spanlab.core.errors import SpanLabError
from spanlab.core.importing.pipeline import check_options, import_paths
from spanlab.core.importing.records import DEFAULT_INCLUDE, ImportOptions
from spanlab.core.project import Project
from spanlab.core.samples import build_sample_project
from spanlab.core.schema import load_schema, save_schema
from spanlab.core.stats import project_stats


def init(args: argparse.Namespace) -> int:
    """``spanlab init``."""
    schema = load_schema(args.schema) if args.schema else None
    with Project.create(args.project, schema=schema, name=args.name) as project:
        render.out(f"Created {args.project} with schema '{project.schema().name}'.")
    return 0


def import_(args: argparse.Namespace) -> int:
    """``spanlab import``: exit 1 when anything failed (or nothing with --all-or-nothing)."""
    options = ImportOptions(
        format=args.format,
        encoding=args.encoding,
        text_field=args.text_field,
        id_field=args.id_field,
        include=tuple(args.include) if args.include else DEFAULT_INCLUDE,
        all_or_nothing=args.all_or_nothing,
    )
    check_options(options)  # before opening the project: a typo should not wait for it
    with Project.open(args.project) as project, render.progress("Importing") as progress:
        report = import_paths(
            project, [Path(p) for p in args.paths], options=options, progress=progress
        )
    render.import_summary(report, all_or_nothing=args.all_or_nothing)
    return 0 if report.ok else 1


def stats(args: argparse.Namespace) -> int:
    """``spanlab stats``."""
    with Project.open(args.project) as project:
        render.stats_table(project_stats(project))
    return 0


def schema(args: argparse.Namespace) -> int:
    """``spanlab schema``."""
    renames = _parse_renames(args.rename)
    if renames and not args.import_:
        raise SpanLabError("--rename only applies together with --import")
    with Project.open(args.project) as project:
        if args.export:
            save_schema(project.schema(), args.export)
            render.out(f"Wrote the schema to {args.export}.")
        elif args.import_:
            project.execute(UpdateSchema(load_schema(args.import_), renames))
            render.out(f"Schema replaced from {args.import_}.")
        render.schema_table(project.schema())
    return 0


def sample(args: argparse.Namespace) -> int:
    """``spanlab sample``."""
    with build_sample_project(args.project) as project:
        render.out(f"Created the sample project {args.project}.")
        render.stats_table(project_stats(project))
    return 0


def gui(args: argparse.Namespace) -> int:
    """``spanlab gui``: imported lazily so the CLI never loads Qt otherwise."""
    missing = missing_display_packages()
    if missing:
        raise SpanLabError(display_advice(missing))
    app = importlib.import_module("spanlab.ui.app")
    result: int = app.run(project=args.project)
    return result


def _parse_renames(items: list[str]) -> dict[str, str]:
    renames: dict[str, str] = {}
    for item in items:
        old, sep, new = item.partition("=")
        if not sep or not old or not new:
            raise SpanLabError(f"--rename expects OLD=NEW, got {item!r}")
        renames[old] = new
    return renames
