"""Argument parsing and error reporting; each command calls one core function."""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence

import spanlab
from spanlab.cli import commands
from spanlab.core.errors import SpanLabError

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as one line and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """The full command tree."""
    parser = _Parser(
        prog="spanlab",
        description="Build labelled NLP datasets (spans, relations) from news articles.",
    )
    parser.add_argument("--version", action="version", version=f"spanlab {spanlab.__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="show tracebacks on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    init = sub.add_parser("init", help="create a new project file")
    init.add_argument("project", help="project file (e.g. news.spanlab) or database URL")
    init.add_argument("--schema", help="schema TOML file (default: the bundled news schema)")
    init.add_argument("--name", help="display name of the project")
    init.set_defaults(handler=commands.init)

    imp = sub.add_parser("import", help="import articles into a project")
    imp.add_argument("project")
    imp.add_argument("paths", nargs="+", metavar="PATH", help="files to import")
    imp.add_argument(
        "--all-or-nothing", action="store_true", help="import nothing if any file fails"
    )
    imp.set_defaults(handler=commands.import_)

    stats = sub.add_parser("stats", help="documents, spans per label and annotator, statuses")
    stats.add_argument("project")
    stats.set_defaults(handler=commands.stats)

    schema = sub.add_parser("schema", help="show, export or import the project's tag set")
    schema.add_argument("project")
    group = schema.add_mutually_exclusive_group()
    group.add_argument("--export", metavar="FILE", help="write the schema as TOML")
    group.add_argument("--import", dest="import_", metavar="FILE", help="replace the schema")
    schema.add_argument(
        "--rename",
        action="append",
        default=[],
        metavar="OLD=NEW",
        help="with --import: rename a label or relation type, keeping its annotations",
    )
    schema.set_defaults(handler=commands.schema)

    sample = sub.add_parser("sample", help="create the bundled sample project")
    sample.add_argument("project")
    sample.set_defaults(handler=commands.sample)

    gui = sub.add_parser("gui", help="open the desktop application")
    gui.add_argument("project", nargs="?", help="project to open")
    gui.set_defaults(handler=commands.gui)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "handler", None) is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return int(args.handler(args) or 0)
    except SpanLabError as exc:
        if args.verbose:
            traceback.print_exc()
        print(f"spanlab: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("spanlab: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: say so in one line, details on request
        if args.verbose:
            traceback.print_exc()
        detail = f"{type(exc).__name__}: {exc}"
        print(
            f"spanlab: internal error: {detail} (run with --verbose for details)", file=sys.stderr
        )
        return EXIT_INTERNAL
