"""Offline exchange: checkout a SQLite copy, work without the server, merge it back."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest

from spanlab.core.commands import AddRelation, AddSpan, RemoveSpans, SetStatus
from spanlab.core.entities import CreateEntity
from spanlab.core.errors import SpanLabError
from spanlab.core.importing import import_paths
from spanlab.core.model import Annotator, DocumentId, DocumentStatus
from spanlab.core.project import Project
from spanlab.core.resources import real_path, resource, sample_article_names
from spanlab.core.storage.engine import redact_url
from spanlab.core.team.assignments import assign
from spanlab.core.team.exchange import (
    MergeOutcome,
    checkout,
    layer_fingerprint,
    merge,
    package_info,
    read_layer,
)
from spanlab.core.team.live import change_token

SAMPLES = [real_path(resource("samples", name)) for name in sample_article_names()]


def _find(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


@dataclass
class Setup:
    project: Project
    alice: Annotator
    bob: Annotator
    docs: list[DocumentId]


@pytest.fixture
def setup(any_project: Project) -> Setup:
    project = any_project
    assert not import_paths(project, SAMPLES[:4]).failures
    docs = [d.id for d in project.documents()]
    alice = project.ensure_annotator("alice")
    bob = project.ensure_annotator("bob")
    assign(project, docs[:3], ["alice"])
    text = project.document(docs[0]).text
    first = AddSpan(docs[0], alice.id, "PERSON", *_find(text, "Baek Tae-jin"))
    second = AddSpan(docs[0], alice.id, "PERSON", *_find(text, "Haruki Takeda"))
    project.execute(first)
    project.execute(second)
    project.execute(AddRelation(first.span_id or 0, second.span_id or 0, "MEETS"))
    project.execute(AddSpan(docs[0], bob.id, "COUNTRY", *_find(text, "South Korea")))
    return Setup(project, alice, bob, docs)


def _layer_fp(project: Project, doc: DocumentId, annotator: str) -> str:
    who = project.annotator(annotator)
    assert who is not None
    with project.read() as conn:
        return layer_fingerprint(read_layer(conn, doc, who.id), project.schema())


def _by_sha(project: Project) -> dict[str, DocumentId]:
    return {d.sha256: d.id for d in project.documents()}


def _work_offline(package_path: Path) -> None:
    """What alice does on her laptop: change document 1, annotate document 2."""
    with Project.open(package_path) as package:
        alice = package.annotator("alice")
        assert alice is not None
        docs = [d.id for d in package.documents()]
        first = package.spans(docs[0], alice.id)
        package.execute(RemoveSpans([first[0].id]))
        text = package.document(docs[1]).text
        word = next(w for w in text.split() if len(w) > 4 and w.isalpha())
        span = AddSpan(docs[1], alice.id, "ORGANIZATION", *_find(text, word), {"note": "n"})
        package.execute(span)
        package.execute(CreateEntity(docs[1], alice.id, word, [span.span_id or 0]))
        package.execute(SetStatus(docs[1], alice.id, DocumentStatus.DONE))


def test_checkout_copies_the_assigned_documents_and_the_annotators_work(
    setup: Setup, tmp_path: Path
) -> None:
    path = tmp_path / "alice.spanlab"
    report = checkout(setup.project, annotator="alice", out_path=path)
    assert (report.documents, report.spans, report.relations) == (3, 2, 1)
    with Project.open(path) as package:
        info = package_info(package)
        assert info["annotator"] == "alice"
        assert info["source"] == redact_url(setup.project.url)
        assert [d.sha256 for d in package.documents()] == [
            d.sha256 for d in setup.project.documents()[:3]
        ]
        assert package.schema() == setup.project.schema()
        assert [a.name for a in package.annotators()] == ["alice"]
        local = _by_sha(package)
        for doc in setup.docs[:3]:
            sha = setup.project.document(doc).sha256
            assert _layer_fp(package, local[sha], "alice") == _layer_fp(setup.project, doc, "alice")
            assert info["base"][sha] == _layer_fp(setup.project, doc, "alice")
        assert package.document(local[setup.project.documents()[0].sha256]).text == (
            setup.project.document(setup.docs[0]).text
        )


def test_merge_replaces_the_layers_reports_and_is_idempotent(setup: Setup, tmp_path: Path) -> None:
    path = tmp_path / "alice.spanlab"
    checkout(setup.project, annotator="alice", out_path=path)
    bob_before = _layer_fp(setup.project, setup.docs[0], "bob")
    _work_offline(path)
    report = merge(setup.project, path)
    outcomes = [(d.title[:10], d.outcome) for d in report.documents]
    assert [o for _, o in outcomes] == [
        MergeOutcome.MERGED,
        MergeOutcome.MERGED,
        MergeOutcome.UNCHANGED,
    ], outcomes
    assert (report.merged, report.unchanged, report.refused, report.conflicts) == (2, 1, 0, 0)
    assert report.ok
    with Project.open(path) as package:
        local = _by_sha(package)
        for doc in setup.docs[:3]:
            sha = setup.project.document(doc).sha256
            assert _layer_fp(setup.project, doc, "alice") == _layer_fp(package, local[sha], "alice")
    alice = setup.alice
    assert setup.project.status(setup.docs[1], alice.id).status is DocumentStatus.DONE
    assert len(setup.project.entities(setup.docs[1], alice.id)) == 1
    assert _layer_fp(setup.project, setup.docs[0], "bob") == bob_before  # others untouched
    # Merging the same package again changes nothing at all.
    token = change_token(setup.project)
    again = merge(setup.project, path)
    assert (again.merged, again.unchanged, again.refused) == (0, 3, 0)
    assert change_token(setup.project) == token


def test_handing_back_the_same_checkout_again_after_more_work_merges(
    setup: Setup, tmp_path: Path
) -> None:
    path = tmp_path / "alice.spanlab"
    checkout(setup.project, annotator="alice", out_path=path)
    _work_offline(path)
    assert merge(setup.project, path).merged == 2
    with Project.open(path) as package:
        alice = package.annotator("alice")
        assert alice is not None
        doc = package.documents()[0].id
        package.execute(SetStatus(doc, alice.id, DocumentStatus.DONE))
    second = merge(setup.project, path)
    assert (second.merged, second.unchanged, second.conflicts) == (1, 2, 0)
    assert setup.project.status(setup.docs[0], setup.alice.id).status is DocumentStatus.DONE


def test_work_changed_in_the_project_meanwhile_is_a_conflict_unless_overwritten(
    setup: Setup, tmp_path: Path
) -> None:
    path = tmp_path / "alice.spanlab"
    checkout(setup.project, annotator="alice", out_path=path)
    _work_offline(path)
    # Meanwhile the lead corrects alice's first document and starts her third.
    setup.project.execute(SetStatus(setup.docs[0], setup.alice.id, DocumentStatus.DONE))
    setup.project.execute(SetStatus(setup.docs[2], setup.alice.id, DocumentStatus.IN_PROGRESS))
    project_version = _layer_fp(setup.project, setup.docs[0], "alice")
    report = merge(setup.project, path)
    assert [d.outcome for d in report.documents] == [
        MergeOutcome.CONFLICT,
        MergeOutcome.MERGED,
        MergeOutcome.UNCHANGED,  # not changed offline: the project's newer status stays
    ]
    assert not report.ok and "since the checkout" in report.documents[0].reason
    assert _layer_fp(setup.project, setup.docs[0], "alice") == project_version
    assert setup.project.status(setup.docs[2], setup.alice.id).status is (
        DocumentStatus.IN_PROGRESS
    )
    forced = merge(setup.project, path, overwrite=True)
    assert forced.documents[0].outcome is MergeOutcome.MERGED


def test_documents_with_other_text_are_refused(setup: Setup, tmp_path: Path) -> None:
    path = tmp_path / "alice.spanlab"
    checkout(setup.project, annotator="alice", out_path=path)
    with sqlite3.connect(path) as conn:  # the text of the second document was edited
        conn.execute("UPDATE document SET text = text || ' Extra.' WHERE position = 2")
    other = tmp_path / "other.spanlab"
    with Project.create(other) as elsewhere:  # a project that lacks document 3
        assert not import_paths(elsewhere, [SAMPLES[0], SAMPLES[1], SAMPLES[5]]).failures
        elsewhere.ensure_annotator("alice")
        foreign = tmp_path / "foreign.spanlab"
        checkout(elsewhere, annotator="alice", out_path=foreign, documents=[3])
    report = merge(setup.project, path)
    assert [d.outcome for d in report.documents] == [
        MergeOutcome.UNCHANGED,
        MergeOutcome.REFUSED,
        MergeOutcome.UNCHANGED,
    ]
    assert "does not match its SHA-256" in report.documents[1].reason
    refused = merge(setup.project, foreign)
    assert refused.refused == 1 and "no document with this text" in refused.documents[0].reason


def test_checkout_and_merge_refuse_clearly(setup: Setup, tmp_path: Path) -> None:
    with pytest.raises(SpanLabError, match="no documents are assigned to bob"):
        checkout(setup.project, annotator="bob", out_path=tmp_path / "bob.spanlab")
    with pytest.raises(SpanLabError, match="no annotator called 'zoe'"):
        checkout(setup.project, annotator="zoe", out_path=tmp_path / "zoe.spanlab")
    taken = tmp_path / "taken.spanlab"
    taken.write_text("x")
    with pytest.raises(SpanLabError, match="already exists"):
        checkout(setup.project, annotator="alice", out_path=taken)
    plain = tmp_path / "plain.spanlab"
    Project.create(plain).close()
    with pytest.raises(SpanLabError, match="not a package made by 'spanlab checkout'"):
        merge(setup.project, plain)
    with pytest.raises(SpanLabError, match="no such package file"):
        merge(setup.project, tmp_path / "missing.spanlab")
    only_bob = checkout(
        setup.project, annotator="bob", out_path=tmp_path / "b.spanlab", documents=[1]
    )
    assert only_bob.documents == 1 and only_bob.spans == 1
