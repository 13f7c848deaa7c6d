"""CLI command handlers: turn parsed arguments into one core call and print the result."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from pathlib import Path

from spanlab.cli import render
from spanlab.cli.display_check import display_advice, missing_display_packages
from spanlab.core.agreement_report import (
    AgreementReport,
    AgreementRequest,
    DocumentRule,
    annotation_pace,
    compute_agreement,
    to_csv,
    to_html,
    to_json,
)
from spanlab.core.commands import UpdateSchema
from spanlab.core.errors import SpanLabError
from spanlab.core.importing.pipeline import check_options, import_paths
from spanlab.core.importing.records import DEFAULT_INCLUDE, ImportOptions
from spanlab.core.project import Project
from spanlab.core.samples import build_sample_project
from spanlab.core.schema import load_schema, save_schema
from spanlab.core.stats import project_stats
from spanlab.core.storage.engine import redact_url


def init(args: argparse.Namespace) -> int:
    """``spanlab init``."""
    schema = load_schema(args.schema) if args.schema else None
    with Project.create(args.project, schema=schema, name=args.name) as project:
        render.out(f"Created {redact_url(args.project)} with schema '{project.schema().name}'.")
    return 0


def import_(args: argparse.Namespace) -> int:
    """``spanlab import``: exit 1 when anything failed (or nothing with --all-or-nothing)."""
    if wants_annotated_import(args):  # brat, doccano, Label Studio, SpanLab JSONL, ...
        return import_annotated(args)
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
    if getattr(args, "smoke_test", False):
        if args.project is None:
            raise SpanLabError("--smoke-test needs a project to open")
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        smoke: int = importlib.import_module("spanlab.ui.app").smoke_test(args.project)
        return smoke
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


# --------------------------------------------------------------------------- export and
# annotated import (spanlab.core.exporting, spanlab.core.importing.annotated)


def export(args: argparse.Namespace) -> int:
    """``spanlab export``: exit 1 when nothing was written (reason printed)."""
    from spanlab.core.exporting import (
        DocumentChoice,
        ExportMode,
        ExportSelection,
        export_project,
        parse_split,
    )
    from spanlab.core.formats.base import Alignment, ExportOptions, Tokenizer

    if args.gold and args.annotator:
        raise SpanLabError("--gold exports the gold layer only; drop --annotator")
    mode = ExportMode.MERGED
    if args.gold:
        mode = ExportMode.GOLD
    elif args.per_annotator:
        mode = ExportMode.PER_ANNOTATOR
    selection = ExportSelection(
        annotators=tuple(args.annotator) if args.annotator else None,
        mode=mode,
        documents=DocumentChoice.ALL if args.all_documents else DocumentChoice.DONE,
        split=parse_split(args.split) if args.split else None,
        seed=args.seed,
    )
    options = ExportOptions(
        alignment=Alignment(args.alignment),
        tokenizer=Tokenizer(args.tokenizer),
        one_file=not args.per_document,
        scheme=args.scheme,
        include_negatives=not args.no_negatives,
    )
    with Project.open(args.project) as project, render.progress("Exporting") as progress:
        report = export_project(
            project,
            format=args.format,
            out_dir=Path(args.out) if args.out else None,
            selection=selection,
            options=options,
            force=args.force,
            progress=progress,
        )
    render.export_summary(report)
    return 0 if report.ok else 1


def wants_annotated_import(args: argparse.Namespace) -> bool:
    """Whether ``spanlab import`` should read annotation files instead of articles.

    Yes for ``--format`` brat, doccano, labelstudio, ... and for files that auto-
    detection recognises as one of those. ``jsonl`` names both the article format and
    SpanLab's lossless JSONL: the files' content decides. Mixing annotation files and
    articles in one call is refused.
    """
    from spanlab.core.formats.registry import import_formats
    from spanlab.core.importing.annotated import detect_format, has_annotated_files
    from spanlab.core.importing.registry import reader_names

    fmt = getattr(args, "format", "auto") or "auto"
    annotated = set(import_formats())
    if fmt in annotated and fmt not in reader_names():
        return True
    if fmt != "auto" and fmt not in annotated:
        _no_annotation_options(args, f"--format {fmt} reads articles")
        return False
    paths = [Path(p) for p in args.paths]
    if fmt == "auto":
        found = [p.exists() and has_annotated_files(p) for p in paths]
    else:  # a name of both kinds (jsonl): annotations only if the content says so
        found = [
            p.exists()
            and (
                any(detect_format(f) == fmt for f in sorted(p.rglob("*")) if f.is_file())
                if p.is_dir()
                else detect_format(p) == fmt
            )
            for p in paths
        ]
    if all(found):
        return True
    if any(found):
        recognised = ", ".join(str(p) for p, ok in zip(paths, found, strict=True) if ok)
        others = ", ".join(str(p) for p, ok in zip(paths, found, strict=True) if not ok)
        raise SpanLabError(
            f"{recognised} hold(s) annotations but {others} do(es) not; import annotation "
            "files and plain articles in separate runs"
        )
    _no_annotation_options(args, "these are not annotation files")
    return False


def _no_annotation_options(args: argparse.Namespace, why: str) -> None:
    used = [
        flag
        for flag, value in (
            ("--annotator", getattr(args, "annotator", None)),
            ("--add-labels", getattr(args, "add_labels", False)),
            ("--replace", getattr(args, "replace", False)),
        )
        if value
    ]
    if used:
        raise SpanLabError(f"{', '.join(used)} only apply to annotation files ({why})")


def import_annotated(args: argparse.Namespace) -> int:
    """``spanlab import`` of annotation files: exit 1 when any file was not imported."""
    from spanlab.core.formats.registry import import_formats
    from spanlab.core.importing import annotated

    fmt = args.format if getattr(args, "format", None) in import_formats() else None
    with Project.open(args.project) as project, render.progress("Importing") as progress:
        report = annotated.import_annotated(
            project,
            [Path(p) for p in args.paths],
            format=fmt,
            annotator=getattr(args, "annotator", None),
            add_labels=getattr(args, "add_labels", False),
            all_or_nothing=getattr(args, "all_or_nothing", False),
            replace=getattr(args, "replace", False),
            progress=progress,
        )
    render.annotated_import_summary(report)
    return 0 if report.ok else 1


_REPORT_SUFFIXES = {".json": "json", ".csv": "csv", ".html": "html", ".htm": "html"}


def agreement(args: argparse.Namespace) -> int:
    """``spanlab agreement``: a table on the terminal, or JSON / CSV / HTML (--out or stdout)."""
    if getattr(args, "against", None):  # per-annotator quality against gold (curation)
        return agreement_against_gold(args)
    output_format = _agreement_format(args.format, args.out)
    request = AgreementRequest(
        annotators=tuple(args.annotators) if args.annotators else None,
        labels=tuple(args.labels) if args.labels else None,
        documents=tuple(args.documents) if args.documents else None,
        include_unfinished=args.all_documents,
        confusion_pair=(args.pair[0], args.pair[1]) if args.pair else None,
    )
    with Project.open(args.project) as project:
        with render.progress("Computing agreement") as progress:
            report = compute_agreement(project, request, progress=progress)
        if report.documents.used == 0:
            raise SpanLabError(_no_agreement_documents(report))
        if output_format == "table":
            render.agreement_table(report)
            return 0
        if output_format == "json":
            data = to_json(report)
            text = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
        elif output_format == "csv":
            text = to_csv(report)
        else:
            pace = annotation_pace(project, report.annotators)
            text = to_html(report, stats=project_stats(project), pace=pace)
    if not args.out:
        sys.stdout.write(text)
        return 0
    try:
        with Path(args.out).open("w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    except OSError as exc:
        raise SpanLabError(f"{args.out}: cannot write the report ({exc.strerror or exc})") from exc
    render.out(f"Wrote the agreement report ({output_format}) to {args.out}.")
    render.out(report.documents.summary[:1].upper() + report.documents.summary[1:])
    return 0


def _agreement_format(requested: str | None, out: str | None) -> str:
    if requested is None:
        return _REPORT_SUFFIXES.get(Path(out).suffix.lower(), "table") if out else "table"
    if requested == "table" and out:
        raise SpanLabError("--out needs --format json, csv or html (the table is for the terminal)")
    return requested


def _no_agreement_documents(report: AgreementReport) -> str:
    selection = report.documents
    names = ", ".join(report.annotators)
    head = f"documents used: 0 of {selection.candidates}"
    if selection.rule is DocumentRule.DONE_BY_ALL:
        return (
            f"{head} — no document is marked done by every compared annotator ({names}); "
            "use --all-documents to include unfinished documents"
        )
    return f"{head} — no document has been started by every compared annotator ({names})"


# --------------------------------------------------------------------------- curation
# (spanlab.core.curation)


def curate(args: argparse.Namespace) -> int:
    """``spanlab curate``: roles, then a merge strategy over the documents."""
    from spanlab.core.curation import MergeStrategy, curate_documents, parse_role, set_role

    if not args.strategy and not args.role:
        raise SpanLabError(
            "nothing to do: give --strategy (unanimous, majority:K, prefer:NAME, empty) "
            "or --role NAME=ROLE"
        )
    roles = []
    for item in args.role:
        name, sep, role = item.partition("=")
        if not sep or not name.strip() or not role.strip():
            raise SpanLabError(f"--role expects NAME=ROLE, got {item!r}")
        roles.append((name.strip(), parse_role(role)))
    strategy = MergeStrategy.parse(args.strategy) if args.strategy else None
    with Project.open(args.project) as project:
        for name, role in roles:
            person = set_role(project, name, role)
            render.out(f"{person.name} is now a {person.role.value}.")
        if strategy is None:
            return 0
        with render.progress("Curating") as progress:
            report = curate_documents(
                project,
                strategy=strategy,
                documents=tuple(args.documents) if args.documents else None,
                annotators=tuple(args.annotators) if args.annotators else None,
                include_unfinished=args.all_documents,
                replace=args.replace,
                dry_run=args.dry_run,
                progress=progress,
            )
    render.curation_summary(report)
    return 0


def agreement_against_gold(args: argparse.Namespace) -> int:
    """``spanlab agreement --against gold``: each annotator's precision, recall and F1."""
    from spanlab.core.curation import quality_against_gold, quality_to_csv, quality_to_json

    if args.against != "gold":
        raise SpanLabError(f"--against takes 'gold', not {args.against!r}")
    if args.pair:
        raise SpanLabError("--pair does not apply with --against gold")
    output_format = _agreement_format(args.format, args.out)
    if output_format == "html":
        raise SpanLabError("--against gold writes a table, JSON or CSV, not HTML")
    with Project.open(args.project) as project:
        report = quality_against_gold(
            project,
            annotators=tuple(args.annotators) if args.annotators else None,
            documents=tuple(args.documents) if args.documents else None,
            labels=tuple(args.labels) if args.labels else None,
            include_unfinished=args.all_documents,
        )
    if not report.curated:
        hint = (
            "no document has gold annotations or a started curation"
            if report.include_unfinished
            else "no document is curated (gold marked done); use --all-documents to include "
            "documents still being curated"
        )
        raise SpanLabError(f"{report.summary} — {hint}")
    if output_format == "table":
        render.gold_quality_table(report)
        return 0
    if output_format == "json":
        text = json.dumps(quality_to_json(report), indent=2, ensure_ascii=False) + "\n"
    else:
        text = quality_to_csv(report)
    if not args.out:
        sys.stdout.write(text)
        return 0
    try:
        with Path(args.out).open("w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    except OSError as exc:
        raise SpanLabError(f"{args.out}: cannot write the report ({exc.strerror or exc})") from exc
    render.out(f"Wrote the quality report against gold ({output_format}) to {args.out}.")
    return 0


# --------------------------------------------------------------------------- team work
# (spanlab.core.team: people and logins, assignments, offline checkout and merge)


def _password_prompt(where: str) -> str | None:
    """Ask for a database password on the terminal (None without a terminal)."""
    import getpass

    if not sys.stdin.isatty():
        return None
    return getpass.getpass(f"Password for {where}: ") or None


def _open_team_project(location: str) -> Project:
    from spanlab.core.team.credentials import open_project

    return open_project(location, prompt=_password_prompt)


def _new_login_password(args: argparse.Namespace) -> str | None:
    import getpass

    if args.no_password:
        return None
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin.isatty():
        password = getpass.getpass(f"New password for {args.add}: ")
        if getpass.getpass("Repeat it: ") != password:
            raise SpanLabError("the passwords differ; nothing was changed")
    else:
        raise SpanLabError("give the new login's password with --password-stdin (or --no-password)")
    if not password:
        raise SpanLabError("an empty password is not allowed")
    return password


def users(args: argparse.Namespace) -> int:
    """``spanlab users``: list people; add one (with a database login); revoke a login."""
    from spanlab.core.model import AnnotatorRole
    from spanlab.core.team.access import add_person, create_login, drop_login, people

    if (args.login or args.login_name) and not args.add:
        raise SpanLabError("--login and --login-name need --add NAME")
    with _open_team_project(args.project) as project:
        if args.add:
            role = AnnotatorRole(args.role)
            if args.login:
                person = create_login(
                    project, args.add, role, _new_login_password(args), login=args.login_name
                )
                render.out(f"{person.name} ({person.role.value}) can log in as {person.login}.")
            else:
                person = add_person(project, args.add, role)
                render.out(f"{person.name} is a(n) {person.role.value}.")
        if args.revoke_login:
            dropped = drop_login(project, args.revoke_login)
            render.out(
                f"Revoked the login of {args.revoke_login}"
                + (" and dropped the role." if dropped else "; the role is used elsewhere.")
            )
        render.people_table(people(project))
    return 0


def assign(args: argparse.Namespace) -> int:
    """``spanlab assign``."""
    from spanlab.core.team.assignments import assign as assign_documents
    from spanlab.core.team.assignments import (
        assign_round_robin,
        assignment_counts,
        unassign,
    )

    with _open_team_project(args.project) as project:
        if not args.annotators:
            if args.documents or args.per_document or args.remove:
                raise SpanLabError("name the annotators with --annotators")
            render.assignment_table(assignment_counts(project), project.document_count())
            return 0
        if args.remove:
            if args.per_document:
                raise SpanLabError(
                    "--remove takes --documents (or nothing: all), not --per-document"
                )
            report = unassign(project, args.documents, args.annotators)
        elif args.per_document is not None:
            report = assign_round_robin(
                project,
                per_document=args.per_document,
                annotators=args.annotators,
                seed=args.seed,
                documents=args.documents,
            )
        elif args.documents:
            report = assign_documents(project, args.documents, args.annotators)
        else:
            raise SpanLabError("say what to assign: --documents ID... or --per-document N")
        render.assignment_summary(report)
    return 0


def checkout(args: argparse.Namespace) -> int:
    """``spanlab checkout``."""
    from spanlab.core.team.exchange import checkout as checkout_package

    with _open_team_project(args.project) as project, render.progress("Checking out") as bar:
        report = checkout_package(
            project,
            annotator=args.annotator,
            out_path=Path(args.out),
            documents=args.documents,
            progress=bar,
        )
    render.checkout_summary(report)
    return 0


def merge(args: argparse.Namespace) -> int:
    """``spanlab merge``: exit 1 when a document was refused or conflicted."""
    from spanlab.core.team.exchange import merge as merge_package

    with _open_team_project(args.project) as project, render.progress("Merging") as bar:
        report = merge_package(project, Path(args.package), overwrite=args.overwrite, progress=bar)
    render.merge_summary(report)
    return 0 if report.ok else 1
