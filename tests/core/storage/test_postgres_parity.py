"""The same scenario on SQLite and PostgreSQL gives the same project.

Create, import the sample articles, add / undo / redo spans and relations, delete and
restore (explicit ids), statuses, a schema change with a rename, statistics, and the
bundled sample project: compared by content (ids may differ between backends).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from spanlab.core.commands import (
    AddRelation,
    AddSpan,
    Batch,
    RemoveSpans,
    SetStatus,
    UpdateRelation,
    UpdateSchema,
    UpdateSpan,
)
from spanlab.core.entities import CreateEntity
from spanlab.core.importing import import_paths
from spanlab.core.model import DocumentStatus
from spanlab.core.project import Project
from spanlab.core.resources import real_path, resource, sample_article_names
from spanlab.core.samples import build_sample_project
from spanlab.core.schema_edit import apply_label_edits, edits_from_schema
from spanlab.core.stats import ProjectStats, project_stats

SAMPLES = [real_path(resource("samples", name)) for name in sample_article_names()]


def _find(text: str, needle: str, occurrence: int = 1) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def snapshot(project: Project) -> dict[str, Any]:
    """A backend-neutral picture of a project: everything by content, nothing by id."""
    names = {a.id: a.name for a in project.annotators()}
    documents = project.documents()
    layers: dict[str, Any] = {}
    for doc in documents:
        spans = project.spans(doc.id)
        key = {s.id: (names[s.annotator_id], s.start, s.end, s.label) for s in spans}
        layers[doc.sha256] = {
            "spans": sorted((*key[s.id], s.text, dict(s.attributes)) for s in spans),
            "relations": sorted(
                (key[r.head_id], key[r.tail_id], r.label, sorted(r.attributes.items()))
                for r in project.relations(doc.id)
            ),
        }
    statuses = sorted(
        (names[s.annotator_id], s.document_id, s.status.value) for s in project.statuses()
    )
    by_sha = {d.id: d.sha256 for d in documents}
    return {
        "documents": [(d.title, d.sha256, d.length) for d in documents],
        "annotators": sorted((a.name, a.role.value) for a in project.annotators()),
        "schema": project.schema(),
        "layers": layers,
        "statuses": [(n, by_sha[d], s) for n, d, s in statuses],
        "stats": _stats(project_stats(project)),
    }


def _stats(stats: ProjectStats) -> dict[str, Any]:
    data = dataclasses.asdict(stats)
    data["statuses"] = {k: dict(v) for k, v in stats.statuses.items()}
    return data


def run_scenario(location: str) -> dict[str, Any]:
    with Project.create(location, name="parity") as project:
        report = import_paths(project, SAMPLES)
        assert not report.failures and len(report.imported) == len(SAMPLES)
        again = import_paths(project, SAMPLES[:1])
        assert len(again.duplicates) == 1
        alice = project.ensure_annotator("alice")
        bob = project.ensure_annotator("bob")
        doc = project.documents()[0]
        text = project.document(doc.id).text

        baek = AddSpan(doc.id, alice.id, "PERSON", *_find(text, "Baek Tae-jin"))
        takeda = AddSpan(doc.id, alice.id, "PERSON", *_find(text, "Haruki Takeda"))
        role = AddSpan(
            doc.id,
            alice.id,
            "ROLE",
            *_find(text, "First Vice Foreign Minister"),
            {"former": False},
        )
        for command in (baek, takeda, role):
            project.execute(command)
        assert baek.span_id and takeda.span_id and role.span_id
        meets = AddRelation(baek.span_id, takeda.span_id, "MEETS")
        holds = AddRelation(baek.span_id, role.span_id, "HOLDS_ROLE", {"note": "x"})
        project.execute(meets)
        project.execute(holds)
        # undo and redo: redo reuses the ids the first apply got from the sequence
        project.revert(holds)
        project.revert(meets)
        project.execute(meets)
        project.execute(holds)
        project.execute(UpdateRelation(holds.relation_id or 0, attributes={"note": "y"}))
        # delete with relations, undo (explicit ids back), then new inserts still work
        remove = RemoveSpans([baek.span_id])
        project.execute(remove)
        assert project.relations(doc.id) == []
        project.revert(remove)
        assert len(project.relations(doc.id)) == 2
        seoul = AddSpan(doc.id, alice.id, "LOCATION", *_find(text, "Seoul"))
        project.execute(seoul)
        relabel = UpdateSpan(seoul.span_id or 0, label="COUNTRY")
        project.execute(relabel)
        project.revert(relabel)
        # bob works on the same document, in one batch, and groups an entity
        bob_spans = [
            AddSpan(doc.id, bob.id, "PERSON", *_find(text, "Baek Tae-jin")),
            AddSpan(doc.id, bob.id, "COUNTRY", *_find(text, "South Korea")),
        ]
        project.execute(Batch("bob", bob_spans))
        project.execute(CreateEntity(doc.id, bob.id, "Baek Tae-jin", [bob_spans[0].span_id or 0]))
        project.execute(SetStatus(doc.id, alice.id, DocumentStatus.DONE))
        project.execute(SetStatus(project.documents()[1].id, bob.id, DocumentStatus.IN_PROGRESS))
        # schema change with a rename keeps the annotations
        edits = edits_from_schema(project.schema())
        edits = [dataclasses.replace(e, name="HUMAN") if e.name == "PERSON" else e for e in edits]
        schema, renames = apply_label_edits(project.schema(), edits)
        change = UpdateSchema(schema, renames)
        project.execute(change)
        assert "HUMAN" in project.schema().label_names
        project.revert(change)
        project.execute(change)
        assert {s.label for s in project.spans(doc.id)} >= {"HUMAN", "ROLE"}
        return snapshot(project)


def test_scenario_gives_the_same_project_on_sqlite_and_postgresql(
    pg_url: str, tmp_path: Path
) -> None:
    on_sqlite = run_scenario(str(tmp_path / "parity.spanlab"))
    on_postgres = run_scenario(pg_url)
    assert on_postgres == on_sqlite
    assert on_sqlite["stats"]["spans"][("alice", "HUMAN")] == 2


def test_sample_project_is_the_same_on_sqlite_and_postgresql(
    pg_url: str, sample_project_file: Path
) -> None:
    with Project.open(sample_project_file) as on_sqlite:
        expected = snapshot(on_sqlite)
    with build_sample_project(pg_url) as on_postgres:
        assert snapshot(on_postgres) == expected
        assert on_postgres.name == "SpanLab sample"


def test_reopening_keeps_everything(backend_location: str) -> None:
    before = run_scenario(backend_location)
    with Project.open(backend_location) as project:
        assert not project.migration.migrated
        assert snapshot(project) == before
