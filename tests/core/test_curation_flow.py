"""Curating the sample project: accept, reject, next unresolved; roles; states; gold export."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from spanlab.core.curation import (
    AcceptRelation,
    CandidateKind,
    CandidateStatus,
    CurationError,
    CurationState,
    Decision,
    RejectCandidate,
    RelationCandidate,
    SetCurationState,
    SetRole,
    SpanCandidate,
    accept_candidate,
    curation_state,
    curation_states,
    curation_view,
    curators,
    next_unresolved,
    set_role,
)
from spanlab.core.errors import IntegrityError
from spanlab.core.model import GOLD_ANNOTATOR, AnnotatorRole, DocumentId
from spanlab.core.project import Project


def first_document(project: Project) -> DocumentId:
    return project.documents()[0].id


def test_accept_reject_and_next_unresolved_flow(sample_project: Project) -> None:
    project = sample_project
    doc = first_document(project)
    view = curation_view(project, doc)
    assert view.annotators == ("alice", "bob")
    assert view.state is CurationState.NOT_STARTED
    total = len(view.unresolved())
    assert total == len(view.items()) > 30

    # 1. the first candidate everyone agrees on: accept it with one command
    current = next_unresolved(view)
    assert isinstance(current, SpanCandidate)
    assert (current.text, current.status) == ("South Korea", CandidateStatus.ALL_AGREE)
    project.execute(accept_candidate(current))
    view = curation_view(project, doc)
    assert view.state is CurationState.IN_PROGRESS
    accepted = view.spans[current.index]
    assert accepted.decision is Decision.ACCEPTED and not accepted.unresolved
    assert accepted.gold_span is not None
    assert dict(accepted.gold_span.attributes) == {"iso_code": "KR"}

    # 2. jump to the next disagreement: the role alice and bob bounded differently
    current = next_unresolved(view, after=current, kinds=[CandidateKind.SPAN])
    assert isinstance(current, SpanCandidate)
    assert current.status is CandidateStatus.CONFLICTING_BOUNDARIES
    assert current.text == "First Vice Foreign Minister"
    rival = view.spans[current.conflicts[0]]
    assert rival.text == "Vice Foreign Minister" and rival.holders == ("bob",)
    project.execute(accept_candidate(current, "alice"))
    view = curation_view(project, doc)
    assert view.spans[current.index].decision is Decision.ACCEPTED
    assert view.spans[rival.index].decision is Decision.REJECTED  # resolved by the choice
    # bob's relations through his role are resolved with it
    through_rival = [r for r in view.relations if rival.index in (r.head, r.tail)]
    assert through_rival and all(r.decision is Decision.REJECTED for r in through_rival)

    # 3. accept alice's HOLDS_ROLE: gold lacks Baek Tae-jin, so the end comes along
    holds = next(
        r
        for r in view.relations
        if r.label == "HOLDS_ROLE" and r.tail == current.index and "alice" in r.holders
    )
    project.execute(accept_candidate(holds, "alice"))
    view = curation_view(project, doc)
    assert view.relations[holds.index].decision is Decision.ACCEPTED
    assert view.spans[holds.head].decision is Decision.ACCEPTED

    # 4. reject bob's extra span: nothing to record, the curator moves on past it
    extra = next(c for c in view.spans if c.status is CandidateStatus.ONLY_ONE)
    assert extra.holders == ("bob",) and extra.text == "백태진"
    before = project.spans(doc)
    assert project.execute(RejectCandidate(extra)).is_empty
    assert project.spans(doc) == before
    following = next_unresolved(curation_view(project, doc), after=extra)
    assert following is not None and following.position >= extra.position
    assert following != extra

    # 5. accept then reject: removed from gold again (and undo brings it back)
    us = next(c for c in view.spans if c.text == "U.S.")
    project.execute(accept_candidate(us))
    reject = RejectCandidate(us)
    project.execute(reject)
    assert curation_view(project, doc).spans[us.index].decision is Decision.OPEN
    project.revert(reject)
    assert curation_view(project, doc).spans[us.index].decision is Decision.ACCEPTED

    # 6. the curator marks the document curated: nothing is left unresolved
    view = curation_view(project, doc)
    assert 0 < len(view.unresolved()) < total
    project.execute(SetCurationState(doc, CurationState.CURATED))
    view = curation_view(project, doc)
    assert view.curated and view.unresolved() == [] and next_unresolved(view) is None
    assert curation_states(project)[doc] is CurationState.CURATED


def test_accepting_a_relation_twice_is_refused(sample_project: Project) -> None:
    doc = first_document(sample_project)
    view = curation_view(sample_project, doc)
    meets = next(r for r in view.relations if r.label == "MEETS")
    assert isinstance(meets, RelationCandidate) and meets.status is CandidateStatus.ALL_AGREE
    sample_project.execute(accept_candidate(meets, "alice"))
    with pytest.raises(IntegrityError, match="gold already has this MEETS relation"):
        sample_project.execute(AcceptRelation(meets.relations["bob"].id))


def test_curation_states(sample_project: Project) -> None:
    project = sample_project
    ids = [d.id for d in project.documents()]
    assert set(curation_states(project).values()) == {CurationState.NOT_STARTED}
    assert curation_state(project, ids[0]) is CurationState.NOT_STARTED
    command = SetCurationState(ids[1], CurationState.CURATED)
    project.execute(command)
    states = curation_states(project)
    assert states[ids[1]] is CurationState.CURATED
    assert [d for d, s in states.items() if s is CurationState.NOT_STARTED] == [
        d for d in ids if d != ids[1]
    ]
    project.revert(command)
    assert curation_state(project, ids[1]) is CurationState.NOT_STARTED
    project.execute(SetCurationState(ids[2], CurationState.IN_PROGRESS))
    assert curation_state(project, ids[2]) is CurationState.IN_PROGRESS
    assert CurationState.CURATED.display_name == "curated"
    assert CurationState.of(CurationState.IN_PROGRESS.status) is CurationState.IN_PROGRESS


def test_roles(sample_project: Project) -> None:
    project = sample_project
    assert curators(project) == []
    alice = set_role(project, "alice", "curator")
    assert alice.role is AnnotatorRole.CURATOR
    assert [a.name for a in curators(project)] == ["alice"]
    carol = set_role(project, "carol", AnnotatorRole.MANAGER)  # a person without a layer
    assert project.annotator("carol") == carol and carol.role is AnnotatorRole.MANAGER
    command = SetRole(alice.id, AnnotatorRole.ANNOTATOR)
    project.execute(command)
    demoted = project.annotator("alice")
    assert demoted is not None and demoted.role is AnnotatorRole.ANNOTATOR
    project.revert(command)
    found = project.annotator("alice")
    assert found is not None and found.role is AnnotatorRole.CURATOR
    with pytest.raises(CurationError, match=r"unknown role 'boss' \(roles: annotator"):
        set_role(project, "alice", "boss")
    with pytest.raises(CurationError, match="not a person"):
        set_role(project, GOLD_ANNOTATOR, "curator")
    gold = project.ensure_annotator(GOLD_ANNOTATOR)
    with pytest.raises(IntegrityError, match="not a person"):
        project.execute(SetRole(gold.id, AnnotatorRole.CURATOR))


def read_jsonl(folder: Path) -> list[dict[str, Any]]:
    (path,) = sorted(folder.rglob("*.jsonl"))
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def test_gold_export_holds_exactly_the_accepted_annotations(
    sample_project: Project, tmp_path: Path
) -> None:
    from spanlab.core.exporting import (
        DocumentChoice,
        ExportMode,
        ExportSelection,
        export_project,
    )

    project = sample_project
    doc = first_document(project)
    view = curation_view(project, doc)
    chosen_spans = [c for c in view.spans if c.text in ("Seoul", "Friday", "talks")]
    for candidate in chosen_spans:
        project.execute(accept_candidate(candidate))
    holds = next(
        r
        for r in view.relations
        if r.label == "HOLDS_ROLE" and view.spans[r.head].text == "Haruki Takeda"
    )
    project.execute(accept_candidate(holds, "bob"))  # brings its two ends
    happened = next(r for r in view.relations if r.label == "HAPPENED_ON")
    project.execute(accept_candidate(happened, "alice"))  # both ends already in gold
    project.execute(SetCurationState(doc, CurationState.CURATED))

    expected_spans = {
        (c.start, c.end, c.label, c.text, tuple(sorted(c.spans[c.holders[0]].attributes.items())))
        for c in [*chosen_spans, view.spans[holds.head], view.spans[holds.tail]]
    }
    expected_relations = {
        ("HOLDS_ROLE", view.spans[holds.head].key, view.spans[holds.tail].key),
        ("HAPPENED_ON", view.spans[happened.head].key, view.spans[happened.tail].key),
    }

    out = tmp_path / "gold"
    report = export_project(
        project,
        format="jsonl",
        out_dir=out,
        selection=ExportSelection(mode=ExportMode.GOLD, documents=DocumentChoice.DONE),
    )
    assert report.ok and report.documents == 1
    (record,) = read_jsonl(out)
    (layer,) = record["annotations"]
    assert layer["annotator"] == GOLD_ANNOTATOR and layer["status"] == "done"
    spans = {
        (s["start"], s["end"], s["label"], s["text"], tuple(sorted(s["attributes"].items())))
        for s in layer["spans"]
    }
    assert spans == expected_spans
    assert len(layer["spans"]) == len(expected_spans)
    key_of = {s["id"]: (s["start"], s["end"], s["label"]) for s in layer["spans"]}
    relations = {(r["label"], key_of[r["head"]], key_of[r["tail"]]) for r in layer["relations"]}
    assert relations == expected_relations
    assert len(layer["relations"]) == 2
    happened_record = next(r for r in layer["relations"] if r["label"] == "HAPPENED_ON")
    assert happened_record["attributes"] == dict(happened.relations["alice"].attributes)
