"""Argument parsing and error reporting; each command calls one core function."""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence

import spanlab
from spanlab.cli import commands
from spanlab.core.errors import SpanLabError
from spanlab.core.importing.records import DEFAULT_INCLUDE
from spanlab.core.importing.registry import reader_names

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

    imp = sub.add_parser(
        "import",
        help="import articles (text, HTML, JSONL, folders) into a project",
        description="Import articles. Text is canonicalised once (LF line endings, no BOM "
        "or control characters, NFC) and the same text is never imported twice.",
    )
    imp.add_argument("project")
    imp.add_argument(
        "paths", nargs="+", metavar="PATH", help="files or folders (searched recursively)"
    )
    imp.add_argument(
        "--format",
        default="auto",
        choices=["auto", *reader_names()],
        help="how to read the files (default: auto, by suffix and content)",
    )
    imp.add_argument(
        "--encoding", metavar="ENC", help="decode every file with ENC instead of detecting"
    )
    imp.add_argument(
        "--text-field", default="text", metavar="F", help="JSONL field with the text (text)"
    )
    imp.add_argument("--id-field", metavar="F", help="JSONL field with the record id")
    imp.add_argument(
        "--include",
        action="append",
        metavar="GLOB",
        help=f"file-name pattern for folders, repeatable (default: {' '.join(DEFAULT_INCLUDE)})",
    )
    imp.add_argument(
        "--all-or-nothing", action="store_true", help="import nothing if anything fails"
    )
    imp.set_defaults(handler=commands.import_)
    _add_annotated_import_options(imp)

    _add_export_command(sub)

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
    gui.add_argument(
        "--smoke-test",
        action="store_true",
        help="open PROJECT offscreen, print its document count and quit (checks an install)",
    )
    gui.set_defaults(handler=commands.gui)

    agreement = sub.add_parser(
        "agreement",
        help="inter-annotator agreement: span and relation F1, kappa, alpha",
        description="Inter-annotator agreement on the documents every compared annotator "
        "marked done: span F1 (exact, overlap, partial), relation F1, token-level Cohen's "
        "and Fleiss' kappa and Krippendorff's alpha, unitizing alpha, attribute agreement, "
        "per pair and per label. Output: a table on the terminal, or JSON, CSV or a "
        "standalone HTML report with charts (--format, --out). The JSON layout is "
        "described in docs/agreement-json.md.",
    )
    agreement.add_argument("project")
    agreement.add_argument(
        "--annotators",
        nargs="+",
        metavar="NAME",
        help="annotators to compare (default: everyone with annotations, except gold)",
    )
    agreement.add_argument(
        "--labels", nargs="+", metavar="LABEL", help="only spans with these labels"
    )
    agreement.add_argument(
        "--documents", nargs="+", type=int, metavar="ID", help="only these document ids"
    )
    agreement.add_argument(
        "--all-documents",
        action="store_true",
        help="also documents not yet marked done (every compared annotator must have started them)",
    )
    agreement.add_argument(
        "--format",
        choices=["table", "json", "csv", "html"],
        help="output format (default: from the --out suffix, else table)",
    )
    agreement.add_argument("--out", metavar="FILE", help="write to FILE instead of stdout")
    agreement.add_argument(
        "--pair",
        nargs=2,
        metavar=("A", "B"),
        help="annotator pair of the confusion matrix (default: the first two)",
    )
    agreement.add_argument(
        "--against",
        choices=["gold"],
        help="each annotator's precision, recall and F1 against the curated gold layer "
        "(documents curated and done by the annotator; table, json or csv)",
    )
    agreement.set_defaults(handler=commands.agreement)
    _add_curate_command(sub)
    _add_team_commands(sub)
    return parser


def _add_annotated_import_options(imp: argparse.ArgumentParser) -> None:
    """``spanlab import`` of annotation files (brat, doccano, Label Studio, SpanLab JSONL)."""
    from spanlab.core.formats.registry import import_formats

    for action in imp._actions:  # --format also accepts the annotated formats
        if action.dest == "format" and action.choices is not None:
            action.choices = list(dict.fromkeys([*action.choices, *import_formats()]))
    imp.add_argument(
        "--annotator",
        metavar="NAME",
        help="whose annotations the files hold, where they do not say (brat, doccano)",
    )
    imp.add_argument(
        "--add-labels",
        action="store_true",
        help="add labels and relation types missing from the schema instead of refusing",
    )
    imp.add_argument(
        "--replace",
        action="store_true",
        help="replace an annotator's earlier annotations on a document instead of refusing",
    )


def _add_export_command(sub: argparse._SubParsersAction[_Parser]) -> None:
    """``spanlab export``."""
    from spanlab.core.formats.registry import export_formats

    exp = sub.add_parser(
        "export",
        help="export annotations (jsonl, conll, spacy, brat, doccano, labelstudio, ...)",
        description="Export annotations. By default: every annotator's work on the "
        "documents they all marked done, one record per document where the format allows.",
    )
    exp.add_argument("project")
    exp.add_argument("--format", "-f", required=True, choices=export_formats())
    exp.add_argument("--out", metavar="DIR", help="output folder (exports/<project>-<format>)")
    exp.add_argument("--force", action="store_true", help="write into a non-empty folder")
    exp.add_argument(
        "--annotator",
        action="extend",
        nargs="+",
        metavar="NAME",
        help="only these annotators (default: everyone but gold)",
    )
    who = exp.add_mutually_exclusive_group()
    who.add_argument("--per-annotator", action="store_true", help="one folder per annotator")
    who.add_argument("--gold", action="store_true", help="the curated gold layer only")
    exp.add_argument(
        "--all-documents",
        action="store_true",
        help="all documents, not only those marked done",
    )
    exp.add_argument(
        "--split", metavar="TRAIN,DEV,TEST", help="split by document, e.g. 0.8,0.1,0.1"
    )
    exp.add_argument("--seed", type=int, default=0, help="seed of the split (default 0)")
    exp.add_argument("--per-document", action="store_true", help="one file per document")
    exp.add_argument(
        "--tokenizer", choices=["spanlab", "spacy"], default="spanlab", help="token formats"
    )
    exp.add_argument(
        "--alignment",
        choices=["contract", "expand", "refuse"],
        default="expand",
        help="spans off token boundaries (token formats; default expand)",
    )
    exp.add_argument(
        "--scheme",
        choices=["IOB2", "IOB1", "BIOES", "BILOU"],
        default="IOB2",
        help="tagging scheme (conll, hf)",
    )
    exp.add_argument(
        "--no-negatives", action="store_true", help="TACRED: leave out no_relation pairs"
    )
    exp.set_defaults(handler=commands.export)


def _add_curate_command(sub: argparse._SubParsersAction[_Parser]) -> None:
    """``spanlab curate`` (spanlab.core.curation)."""
    curate = sub.add_parser(
        "curate",
        help="merge annotators' work into the gold layer; set curator roles",
        description="Apply a merge strategy to build the gold layer: unanimous (what every "
        "compared annotator made), majority:K (what at least K made and no competitor "
        "matches), prefer:NAME (NAME's layer) or empty. Only layers of annotators who "
        "marked the document done count (--all-documents: who started it). Documents "
        "whose gold layer already has annotations are skipped (--replace starts them "
        "over). Reports what was merged and what is left for a person; the curator "
        "marks documents curated.",
    )
    curate.add_argument("project")
    curate.add_argument(
        "--strategy",
        metavar="STRATEGY",
        help="unanimous | majority:K | prefer:NAME | empty",
    )
    curate.add_argument(
        "--documents", nargs="+", type=int, metavar="ID", help="only these document ids"
    )
    curate.add_argument(
        "--annotators",
        nargs="+",
        metavar="NAME",
        help="annotators to merge (default: everyone but gold)",
    )
    curate.add_argument(
        "--all-documents",
        action="store_true",
        help="also count layers of annotators who have not marked the document done",
    )
    curate.add_argument(
        "--replace",
        action="store_true",
        help="delete existing gold annotations of the documents first (also curated ones)",
    )
    curate.add_argument(
        "--dry-run", action="store_true", help="show what would be merged; change nothing"
    )
    curate.add_argument(
        "--role",
        action="append",
        default=[],
        metavar="NAME=ROLE",
        help="give a person a role (annotator, curator, manager); repeatable",
    )
    curate.set_defaults(handler=commands.curate)


def _add_team_commands(sub: argparse._SubParsersAction[_Parser]) -> None:
    """``spanlab users``, ``assign``, ``checkout``, ``merge`` (spanlab.core.team)."""
    users = sub.add_parser(
        "users",
        help="list people and roles; add people; create database logins (PostgreSQL)",
        description="Without options: list the project's people, roles and database "
        "logins. --add NAME adds a person (or changes their role). On a PostgreSQL "
        "project --login also creates their own database login, restricted by row-level "
        "security: an annotator's login can read and change only that annotator's "
        "annotations. Passwords are read from the terminal or --password-stdin, never "
        "from the command line.",
    )
    users.add_argument("project", help="project file or database URL (without password)")
    users.add_argument("--add", metavar="NAME", help="add this person or change their role")
    users.add_argument(
        "--role",
        choices=["annotator", "curator", "manager"],
        default="annotator",
        help="role of the person added (default annotator)",
    )
    users.add_argument(
        "--login", action="store_true", help="with --add: create their database login"
    )
    users.add_argument("--login-name", metavar="ROLE", help="login name (default spanlab_NAME)")
    secret = users.add_mutually_exclusive_group()
    secret.add_argument(
        "--password-stdin", action="store_true", help="read the login's password from stdin"
    )
    secret.add_argument(
        "--no-password", action="store_true", help="a login without password (peer, cert)"
    )
    users.add_argument("--revoke-login", metavar="NAME", help="remove this person's database login")
    users.set_defaults(handler=commands.users)

    assign = sub.add_parser(
        "assign",
        help="assign documents to annotators (named documents or N annotators each)",
        description="Assign documents to annotators: --documents gives the named "
        "annotators those documents; --per-document N gives every document (or the "
        "--documents) N of the annotators, spreading the work evenly; running it again "
        "adds nothing. Without --annotators: show the assignments.",
    )
    assign.add_argument("project")
    assign.add_argument("--annotators", nargs="+", metavar="NAME", help="who gets the work")
    assign.add_argument("--documents", nargs="+", type=int, metavar="ID", help="these document ids")
    assign.add_argument(
        "--per-document", type=int, metavar="N", help="N of the annotators on each document"
    )
    assign.add_argument("--seed", type=int, default=0, help="tie-breaking seed (default 0)")
    assign.add_argument(
        "--remove", action="store_true", help="remove the assignments instead of adding"
    )
    assign.set_defaults(handler=commands.assign)

    checkout = sub.add_parser(
        "checkout",
        help="copy an annotator's documents into a local file for working offline",
        description="Write a SQLite project with the annotator's assigned documents (or "
        "--documents) and their work so far. Work on it with SpanLab without the server, "
        "close SpanLab, and hand the file back to the lead for 'spanlab merge'.",
    )
    checkout.add_argument("project")
    checkout.add_argument("--annotator", required=True, metavar="NAME")
    checkout.add_argument("--out", required=True, metavar="FILE", help="the package to write")
    checkout.add_argument(
        "--documents", nargs="+", type=int, metavar="ID", help="instead of the assignments"
    )
    checkout.set_defaults(handler=commands.checkout)

    merge = sub.add_parser(
        "merge",
        help="merge a package made by 'spanlab checkout' back into the project",
        description="Replace the annotator's layer on each document of the package with "
        "the package's version (documents matched by their text's SHA-256; other text is "
        "refused). Merging the same package twice changes nothing. A document changed "
        "in the project since the checkout as well is reported as a conflict and left "
        "alone unless --overwrite.",
    )
    merge.add_argument("project")
    merge.add_argument("package", help="the file made by 'spanlab checkout'")
    merge.add_argument(
        "--overwrite", action="store_true", help="replace the layer even on conflicts"
    )
    merge.set_defaults(handler=commands.merge)


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
