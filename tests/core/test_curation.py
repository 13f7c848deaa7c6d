"""Curation on hand-made disagreements: candidates, statuses, merge strategies, commands.

Three annotators on one document (n = 3):

* ROLE boundaries: alice and carol "First Vice Foreign Minister", bob "Vice Foreign
  Minister" (boundary conflict, 2 against 1);
* "Baek Tae-jin", "Baek" (PERSON) and "Japan" (COUNTRY): all three agree, but on Japan's
  iso_code carol says JA (attribute conflict);
* "Chang Ho-jin" (PERSON): alice and bob only (carol missed it);
* "Seoul": LOCATION for alice and carol, COUNTRY for bob (label conflict);
* "Friday" (DATE): alice only;
* HOLDS_ROLE from Baek Tae-jin to each one's ROLE span (relation conflict on one end);
* MEETS Baek Tae-jin <-> Chang Ho-jin: alice and bob;
* entity {Baek Tae-jin, Baek}: alice and bob.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from spanlab.core.commands import AddRelation, AddSpan, SetStatus
from spanlab.core.curation import (
    AcceptAttribute,
    AcceptEntity,
    AcceptRelation,
    AcceptSpan,
    AttributeCandidate,
    CandidateKind,
    CandidateStatus,
    CurationError,
    CurationState,
    Decision,
    EntityCandidate,
    LeftReason,
    MergeStrategy,
    RejectCandidate,
    RelationCandidate,
    SetCurationState,
    SpanCandidate,
    StrategyKind,
    accept_candidate,
    apply_merge,
    curate_documents,
    curation_state,
    curation_view,
    next_unresolved,
    preview_merge,
)
from spanlab.core.entities import CreateEntity
from spanlab.core.errors import IntegrityError
from spanlab.core.model import GOLD_ANNOTATOR, Annotator, DocumentId, DocumentStatus, SpanId
from spanlab.core.project import Command, Project

TEXT = (
    "First Vice Foreign Minister Baek Tae-jin met Chang Ho-jin in Seoul on Friday. "
    "Baek later flew to Japan."
)


@dataclass
class World:
    project: Project
    doc: DocumentId
    people: dict[str, Annotator]
    ids: dict[tuple[str, str], SpanId]  # (annotator, name) -> span id

    def gold(self) -> Annotator | None:
        return self.project.annotator(GOLD_ANNOTATOR)

    def view(self, **options: Any) -> Any:
        return curation_view(self.project, self.doc, **options)

    def span(self, view: Any, text: str, label: str | None = None) -> SpanCandidate:
        found = [c for c in view.spans if c.text == text and label in (None, c.label)]
        assert len(found) == 1, found
        return found[0]


def locate(needle: str, occurrence: int = 1) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence):
        start = TEXT.index(needle, start + 1)
    return start, start + len(needle)


LAYERS: dict[str, list[tuple[str, str, str, int, dict[str, Any]]]] = {
    # (name, label, needle, occurrence, attributes)
    "alice": [
        ("role", "ROLE", "First Vice Foreign Minister", 1, {}),
        ("baek", "PERSON", "Baek Tae-jin", 1, {}),
        ("chang", "PERSON", "Chang Ho-jin", 1, {}),
        ("seoul", "LOCATION", "Seoul", 1, {}),
        ("friday", "DATE", "Friday", 1, {}),
        ("baek2", "PERSON", "Baek", 2, {}),
        ("japan", "COUNTRY", "Japan", 1, {"iso_code": "JP"}),
    ],
    "bob": [
        ("role", "ROLE", "Vice Foreign Minister", 1, {}),
        ("baek", "PERSON", "Baek Tae-jin", 1, {}),
        ("chang", "PERSON", "Chang Ho-jin", 1, {}),
        ("seoul", "COUNTRY", "Seoul", 1, {}),
        ("baek2", "PERSON", "Baek", 2, {}),
        ("japan", "COUNTRY", "Japan", 1, {"iso_code": "JP"}),
    ],
    "carol": [
        ("role", "ROLE", "First Vice Foreign Minister", 1, {}),
        ("baek", "PERSON", "Baek Tae-jin", 1, {}),
        ("seoul", "LOCATION", "Seoul", 1, {}),
        ("baek2", "PERSON", "Baek", 2, {}),
        ("japan", "COUNTRY", "Japan", 1, {"iso_code": "JA"}),
    ],
}


@pytest.fixture
def world(project: Project) -> World:
    people = {name: project.ensure_annotator(name) for name in LAYERS}
    ids: dict[tuple[str, str], SpanId] = {}
    with project.edit() as store:  # one transaction, still through the commands
        (doc,) = store.insert_documents([{"title": "Talks", "text": TEXT, "sha256": "t"}])
        for who, spans in LAYERS.items():
            for name, label, needle, occurrence, attributes in spans:
                start, end = locate(needle, occurrence)
                command = AddSpan(doc, people[who].id, label, start, end, attributes)
                command.apply(store)
                assert command.span_id is not None
                ids[(who, name)] = command.span_id
        for who in ("alice", "bob", "carol"):
            AddRelation(ids[(who, "baek")], ids[(who, "role")], "HOLDS_ROLE").apply(store)
        for who in ("alice", "bob"):
            AddRelation(ids[(who, "baek")], ids[(who, "chang")], "MEETS").apply(store)
            mentions = [ids[(who, "baek")], ids[(who, "baek2")]]
            CreateEntity(doc, people[who].id, "Baek Tae-jin", mentions).apply(store)
        for who in LAYERS:
            SetStatus(doc, people[who].id, DocumentStatus.DONE).apply(store)
    return World(project, doc, people, ids)


def snapshot(w: World, *, timestamps: bool = True) -> tuple[object, ...]:
    """Every annotation and status of the project, compared exactly.

    Redoing a status change stamps it anew, so redo is compared without timestamps.
    """
    project = w.project
    entities = tuple(
        entity for a in project.annotators() for entity in project.entities(w.doc, a.id)
    )
    return (
        tuple(project.spans(w.doc)),
        tuple(project.relations(w.doc)),
        entities,
        tuple(
            sorted(
                (s.document_id, s.annotator_id, s.status)
                + ((s.started_at, s.finished_at) if timestamps else ())
                for s in project.statuses()
            )
        ),
    )


def gold_content(w: World) -> tuple[set[tuple[Any, ...]], set[tuple[Any, ...]], list[set[str]]]:
    """Gold's spans (offsets, label, attributes), relations and entity groups by text."""
    gold = w.gold()
    assert gold is not None
    spans = w.project.spans(w.doc, gold.id)
    by_id = {s.id: s for s in spans}
    relations = {
        (r.label, by_id[r.head_id].text, by_id[r.tail_id].text)
        for r in w.project.relations(w.doc, gold.id)
    }
    groups = [
        {s.text for s in spans if s.entity_id == entity.id}
        for entity in w.project.entities(w.doc, gold.id)
    ]
    return (
        {(s.text, s.label, tuple(sorted(s.attributes.items()))) for s in spans},
        relations,
        groups,
    )


def check_undo_redo(w: World, command: Command) -> None:
    """Execute, undo, redo: exactly the same store each time."""
    w.project.ensure_annotator(GOLD_ANNOTATOR)  # the gold row itself is not undone
    before = snapshot(w)
    w.project.execute(command)
    after = snapshot(w, timestamps=False)
    assert snapshot(w) != before
    w.project.revert(command)
    assert snapshot(w) == before
    w.project.execute(command)
    assert snapshot(w, timestamps=False) == after


# --------------------------------------------------------------------------- the view


def test_span_candidates_and_statuses(world: World) -> None:
    view = world.view()
    assert view.annotators == ("alice", "bob", "carol")
    assert view.state is CurationState.NOT_STARTED
    assert view.gold_id is None
    status = {(c.text, c.label): (c.status, c.holders) for c in view.spans}
    assert status == {
        ("First Vice Foreign Minister", "ROLE"): (
            CandidateStatus.CONFLICTING_BOUNDARIES,
            ("alice", "carol"),
        ),
        ("Vice Foreign Minister", "ROLE"): (CandidateStatus.CONFLICTING_BOUNDARIES, ("bob",)),
        ("Baek Tae-jin", "PERSON"): (CandidateStatus.ALL_AGREE, ("alice", "bob", "carol")),
        ("Chang Ho-jin", "PERSON"): (CandidateStatus.SOME_AGREE, ("alice", "bob")),
        ("Seoul", "LOCATION"): (CandidateStatus.CONFLICTING_LABEL, ("alice", "carol")),
        ("Seoul", "COUNTRY"): (CandidateStatus.CONFLICTING_LABEL, ("bob",)),
        ("Friday", "DATE"): (CandidateStatus.ONLY_ONE, ("alice",)),
        ("Baek", "PERSON"): (CandidateStatus.ALL_AGREE, ("alice", "bob", "carol")),
        ("Japan", "COUNTRY"): (CandidateStatus.ALL_AGREE, ("alice", "bob", "carol")),
    }
    assert [c.start for c in view.spans] == sorted(c.start for c in view.spans)
    long_role = world.span(view, "First Vice Foreign Minister")
    short_role = world.span(view, "Vice Foreign Minister")
    assert long_role.conflicts == (short_role.index,)
    assert long_role.group == short_role.group == long_role.index
    assert all(c.decision is Decision.OPEN and c.unresolved for c in view.spans)
    counts = view.status_counts()
    assert counts[CandidateStatus.ALL_AGREE] == 3
    assert view.candidate_for_span(world.ids[("bob", "role")]) == short_role


def test_relation_entity_and_attribute_candidates(world: World) -> None:
    view = world.view()
    relations = {
        (r.label, view.spans[r.head].text, view.spans[r.tail].text): (r.status, r.holders)
        for r in view.relations
    }
    assert relations == {
        ("HOLDS_ROLE", "Baek Tae-jin", "First Vice Foreign Minister"): (
            CandidateStatus.CONFLICTING_BOUNDARIES,
            ("alice", "carol"),
        ),
        ("HOLDS_ROLE", "Baek Tae-jin", "Vice Foreign Minister"): (
            CandidateStatus.CONFLICTING_BOUNDARIES,
            ("bob",),
        ),
        ("MEETS", "Baek Tae-jin", "Chang Ho-jin"): (
            CandidateStatus.SOME_AGREE,
            ("alice", "bob"),
        ),
    }
    (entity,) = view.entities
    assert entity.status is CandidateStatus.SOME_AGREE
    assert [view.spans[i].text for i in entity.members] == ["Baek Tae-jin", "Baek"]
    assert dict(entity.names) == {"alice": "Baek Tae-jin", "bob": "Baek Tae-jin"}
    (attribute,) = view.attributes
    assert attribute.name == "iso_code"
    assert view.spans[attribute.owner].text == "Japan"
    assert dict(attribute.values) == {"alice": "JP", "bob": "JP", "carol": "JA"}
    assert attribute.options == (("JP", ("alice", "bob")), ("JA", ("carol",)))
    assert not attribute.unresolved  # its span is not in gold yet


def test_nested_spans_everyone_made_do_not_compete(project: Project) -> None:
    text = "South Korea's Ministry of Foreign Affairs said"
    with project.edit() as store:
        (doc,) = store.insert_documents([{"title": "t", "text": text, "sha256": "n"}])
    for name in ("a", "b"):
        person = project.ensure_annotator(name)
        project.execute(AddSpan(doc, person.id, "ORGANIZATION", 0, 41))
        project.execute(AddSpan(doc, person.id, "COUNTRY", 0, 11))
        project.execute(SetStatus(doc, person.id, DocumentStatus.DONE))
    extra = project.ensure_annotator("c")
    project.execute(AddSpan(doc, extra.id, "ORGANIZATION", 0, 41))
    project.execute(SetStatus(doc, extra.id, DocumentStatus.DONE))
    view = curation_view(project, doc)
    status = {c.label: c.status for c in view.spans}
    # c made only the organisation: the country is missing for c, not a conflict
    assert status == {
        "ORGANIZATION": CandidateStatus.ALL_AGREE,
        "COUNTRY": CandidateStatus.SOME_AGREE,
    }


def test_only_finished_layers_count_unless_asked(world: World) -> None:
    world.project.execute(
        SetStatus(world.doc, world.people["carol"].id, DocumentStatus.IN_PROGRESS)
    )
    view = world.view()
    assert view.annotators == ("alice", "bob")
    assert view.excluded == {"carol": "has not marked the document done (in_progress)"}
    assert world.span(view, "Baek Tae-jin").status is CandidateStatus.ALL_AGREE
    assert world.view(include_unfinished=True).annotators == ("alice", "bob", "carol")
    assert world.view(annotators=["carol", "bob"], include_unfinished=True).annotators == (
        "carol",
        "bob",
    )
    with pytest.raises(CurationError, match=r"unknown annotator\(s\): dave"):
        world.view(annotators=["dave"])
    with pytest.raises(CurationError, match="layer being curated"):
        world.view(annotators=[GOLD_ANNOTATOR])


# --------------------------------------------------------------------------- merge strategies


def test_preview_does_not_change_the_store(world: World) -> None:
    before = snapshot(world), tuple(world.project.annotators())
    for strategy in ("unanimous", "majority:1", "majority:2", "prefer:bob", "empty"):
        preview_merge(world.project, world.doc, MergeStrategy.parse(strategy))
    assert (snapshot(world), tuple(world.project.annotators())) == before
    assert world.gold() is None


def test_unanimous_takes_what_everyone_made(world: World) -> None:
    preview = preview_merge(world.project, world.doc, MergeStrategy.unanimous())
    assert [(p.text, p.key.label) for p in preview.spans] == [
        ("Baek Tae-jin", "PERSON"),
        ("Baek", "PERSON"),
        ("Japan", "COUNTRY"),
    ]
    japan = preview.spans[2]
    assert dict(japan.attributes) == {}  # carol's JA disagrees: left for a person
    assert preview.relations == () and preview.entities == ()
    reasons = {(item.kind, item.what): item.reason for item in preview.left}
    assert reasons == {
        (
            CandidateKind.SPAN,
            "ROLE 'First Vice Foreign Minister'",
        ): LeftReason.CONFLICTING_BOUNDARIES,
        (CandidateKind.SPAN, "ROLE 'Vice Foreign Minister'"): LeftReason.CONFLICTING_BOUNDARIES,
        (CandidateKind.SPAN, "PERSON 'Chang Ho-jin'"): LeftReason.TOO_FEW,
        (CandidateKind.SPAN, "LOCATION 'Seoul'"): LeftReason.CONFLICTING_LABEL,
        (CandidateKind.SPAN, "COUNTRY 'Seoul'"): LeftReason.CONFLICTING_LABEL,
        (CandidateKind.SPAN, "DATE 'Friday'"): LeftReason.TOO_FEW,
        (CandidateKind.ATTRIBUTE, "COUNTRY 'Japan': iso_code"): LeftReason.VALUES_DIFFER,
        (
            CandidateKind.RELATION,
            "HOLDS_ROLE 'Baek Tae-jin' -> 'First Vice Foreign Minister'",
        ): LeftReason.CONFLICTING_BOUNDARIES,
        (
            CandidateKind.RELATION,
            "HOLDS_ROLE 'Baek Tae-jin' -> 'Vice Foreign Minister'",
        ): LeftReason.CONFLICTING_BOUNDARIES,
        (CandidateKind.RELATION, "MEETS 'Baek Tae-jin' -> 'Chang Ho-jin'"): LeftReason.TOO_FEW,
        (CandidateKind.ENTITY, "entity 'Baek Tae-jin' (2 mentions)"): LeftReason.TOO_FEW,
    }
    details = {item.what: item.detail for item in preview.left}
    assert details["LOCATION 'Seoul'"] == "labels differ: LOCATION (alice, carol) / COUNTRY (bob)"
    assert details["PERSON 'Chang Ho-jin'"] == "2 of 3: alice, bob"
    assert details["COUNTRY 'Japan': iso_code"] == "values differ: 'JP' (alice, bob), 'JA' (carol)"
    assert preview.overruled == 0
    assert [item.position for item in preview.left] == sorted(i.position for i in preview.left)

    world.project.execute(apply_merge(preview))
    spans, relations, groups = gold_content(world)
    assert spans == {
        ("Baek Tae-jin", "PERSON", ()),
        ("Baek", "PERSON", ()),
        ("Japan", "COUNTRY", ()),
    }
    assert relations == set() and groups == []
    assert curation_state(world.project, world.doc) is CurationState.IN_PROGRESS
    # after the merge, exactly what was left is unresolved
    view = world.view()
    assert len(view.unresolved()) == len(preview.left)
    assert [a.unresolved for a in view.attributes] == [True]


@pytest.mark.parametrize("k", [1, 2])
def test_majority_takes_the_winner_of_each_conflict(world: World, k: int) -> None:
    preview = preview_merge(world.project, world.doc, MergeStrategy.majority(k))
    world.project.execute(apply_merge(preview))
    spans, relations, groups = gold_content(world)
    expected = {
        ("First Vice Foreign Minister", "ROLE", ()),  # 2 against 1
        ("Baek Tae-jin", "PERSON", ()),
        ("Chang Ho-jin", "PERSON", ()),  # 2 of 3, no competitor
        ("Seoul", "LOCATION", ()),  # 2 against 1
        ("Baek", "PERSON", ()),
        ("Japan", "COUNTRY", ()),  # iso_code JP/JP/JA: not unanimous among contributors
    }
    if k == 1:
        expected.add(("Friday", "DATE", ()))
    assert spans == expected
    assert relations == {
        ("HOLDS_ROLE", "Baek Tae-jin", "First Vice Foreign Minister"),
        ("MEETS", "Baek Tae-jin", "Chang Ho-jin"),
    }
    assert groups == [{"Baek Tae-jin", "Baek"}]
    assert preview.overruled == 3  # bob's ROLE, bob's COUNTRY Seoul, bob's HOLDS_ROLE
    left = {(item.what, item.reason) for item in preview.left}
    expected_left = {("COUNTRY 'Japan': iso_code", LeftReason.VALUES_DIFFER)}
    if k == 2:
        expected_left.add(("DATE 'Friday'", LeftReason.TOO_FEW))
    assert left == expected_left


def test_majority_leaves_ties(project: Project) -> None:
    with project.edit() as store:
        (doc,) = store.insert_documents([{"title": "t", "text": "Kim met Lee.", "sha256": "x"}])
    for name, label in (("a", "PERSON"), ("b", "ORGANIZATION")):
        person = project.ensure_annotator(name)
        project.execute(AddSpan(doc, person.id, label, 0, 3))
        project.execute(SetStatus(doc, person.id, DocumentStatus.DONE))
    preview = preview_merge(project, doc, MergeStrategy.majority(1))
    assert preview.spans == ()
    assert [item.reason for item in preview.left] == [LeftReason.CONFLICTING_LABEL] * 2


def test_prefer_takes_one_layer(world: World) -> None:
    preview = preview_merge(world.project, world.doc, MergeStrategy.prefer("bob"))
    assert all(p.sources == ("bob",) for p in preview.spans)
    world.project.execute(apply_merge(preview))
    spans, relations, groups = gold_content(world)
    assert spans == {
        ("Vice Foreign Minister", "ROLE", ()),
        ("Baek Tae-jin", "PERSON", ()),
        ("Chang Ho-jin", "PERSON", ()),
        ("Seoul", "COUNTRY", ()),
        ("Baek", "PERSON", ()),
        ("Japan", "COUNTRY", (("iso_code", "JP"),)),
    }
    assert relations == {
        ("HOLDS_ROLE", "Baek Tae-jin", "Vice Foreign Minister"),
        ("MEETS", "Baek Tae-jin", "Chang Ho-jin"),
    }
    assert groups == [{"Baek Tae-jin", "Baek"}]
    assert [(item.what, item.reason, item.detail) for item in preview.left] == [
        ("DATE 'Friday'", LeftReason.NOT_PREFERRED, "not in bob's layer (made by alice)")
    ]
    assert preview.overruled == 3


def test_empty_takes_nothing_but_starts_curation(world: World) -> None:
    preview = preview_merge(world.project, world.doc, MergeStrategy.empty())
    assert preview.merged == 0
    assert len(preview.left) == 9 + 3 + 1  # spans, relations, entity
    assert {item.reason for item in preview.left} == {LeftReason.START_EMPTY}
    world.project.execute(apply_merge(preview))
    assert curation_state(world.project, world.doc) is CurationState.IN_PROGRESS
    gold = world.gold()
    assert gold is not None and world.project.spans(world.doc, gold.id) == []


@pytest.mark.parametrize("strategy", ["unanimous", "majority:2", "prefer:alice", "empty"])
def test_apply_then_undo_restores_exactly(world: World, strategy: str) -> None:
    world.project.ensure_annotator(GOLD_ANNOTATOR)
    before = snapshot(world)
    command = apply_merge(preview_merge(world.project, world.doc, MergeStrategy.parse(strategy)))
    world.project.execute(command)
    after = snapshot(world, timestamps=False)
    assert snapshot(world) != before
    world.project.revert(command)
    assert snapshot(world) == before
    world.project.execute(command)  # redo gives the same ids
    assert snapshot(world, timestamps=False) == after


def test_merge_adds_to_existing_gold_and_respects_its_decisions(world: World) -> None:
    # the curator already took bob's ROLE: a majority merge must not add alice's
    world.project.execute(AcceptSpan(world.ids[("bob", "role")]))
    preview = preview_merge(world.project, world.doc, MergeStrategy.majority(2))
    texts = [p.text for p in preview.spans]
    assert "First Vice Foreign Minister" not in texts
    assert "Vice Foreign Minister" not in texts  # already in gold
    # alice's HOLDS_ROLE ends on a rejected span; bob's ends are in gold but it lost 1:2
    assert {r.label for r in preview.relations} == {"MEETS"}
    world.project.execute(apply_merge(preview))
    assert len([s for s in gold_content(world)[0] if s[1] == "ROLE"]) == 1


def test_replace_starts_from_empty_gold(world: World) -> None:
    world.project.execute(AcceptSpan(world.ids[("alice", "friday")]))
    world.project.execute(SetCurationState(world.doc, CurationState.CURATED))
    preview = preview_merge(world.project, world.doc, MergeStrategy.unanimous(), replace=True)
    assert [s.text for s in preview.removed_spans] == ["Friday"]
    before = snapshot(world)
    command = apply_merge(preview)
    world.project.execute(command)
    assert {s[0] for s in gold_content(world)[0]} == {"Baek Tae-jin", "Baek", "Japan"}
    assert curation_state(world.project, world.doc) is CurationState.IN_PROGRESS
    world.project.revert(command)
    assert snapshot(world) == before


def test_stale_preview_is_refused(world: World) -> None:
    preview = preview_merge(world.project, world.doc, MergeStrategy.unanimous())
    world.project.execute(AcceptSpan(world.ids[("alice", "baek")]))
    with pytest.raises(IntegrityError, match="changed since the preview"):
        world.project.execute(apply_merge(preview))


def test_strategy_parsing_and_checks(world: World) -> None:
    assert MergeStrategy.parse("majority:2") == MergeStrategy.majority(2)
    assert str(MergeStrategy.parse(" prefer:bob ")) == "prefer:bob"
    assert MergeStrategy.parse("EMPTY").kind is StrategyKind.EMPTY
    for bad, message in [
        ("best", "unknown strategy 'best'"),
        ("majority:0", "at least 1"),
        ("majority:x", "majority needs a number"),
        ("majority", "majority needs a number"),
        ("prefer:", "prefer needs an annotator"),
        ("unanimous:2", "takes no argument"),
    ]:
        with pytest.raises(CurationError, match=message):
            MergeStrategy.parse(bad)
    with pytest.raises(CurationError, match=r"majority:4 needs at least 4 annotators; only 3"):
        preview_merge(world.project, world.doc, MergeStrategy.majority(4))
    with pytest.raises(CurationError, match="dave is not among the compared annotators"):
        preview_merge(world.project, world.doc, MergeStrategy.prefer("dave"))


def test_too_few_counting_layers_skip_the_document(world: World) -> None:
    for who in ("bob", "carol"):
        world.project.execute(
            SetStatus(world.doc, world.people[who].id, DocumentStatus.IN_PROGRESS)
        )
    preview = preview_merge(world.project, world.doc, MergeStrategy.unanimous())
    assert preview.skipped == (
        "agreement needs two annotators whose layer counts here; only alice does"
    )
    with pytest.raises(CurationError, match="nothing to merge"):
        apply_merge(preview)
    skipped = preview_merge(world.project, world.doc, MergeStrategy.prefer("bob")).skipped
    assert skipped == "bob has not marked the document done (in_progress)"
    assert preview_merge(world.project, world.doc, MergeStrategy.prefer("alice")).skipped is None


def test_bulk_curation_skips_documents_with_gold_unless_replace(world: World) -> None:
    with world.project.edit() as store:
        (other,) = store.insert_documents([{"title": "Other", "text": TEXT, "sha256": "o"}])
    report = curate_documents(world.project, strategy=MergeStrategy.majority(2), dry_run=True)
    assert report.dry_run and world.gold() is None
    assert [d.skipped for d in report.documents] == [
        None,
        "majority:2 needs 2 annotators whose layer counts here; none does",
    ]
    # left: Friday (one of three) and Japan's iso_code (JP, JP, JA)
    assert (report.spans, report.relations, report.entities, report.left) == (6, 2, 1, 2)

    report = curate_documents(
        world.project, strategy=MergeStrategy.unanimous(), documents=[world.doc]
    )
    assert [d.applied for d in report.documents] == [True]
    assert report.spans == 3 and report.curated == 1

    again = curate_documents(world.project, strategy=MergeStrategy.majority(2))
    assert again.documents[0].skipped == "gold already has 3 span(s) (use replace to start over)"
    assert again.spans == 0

    replaced = curate_documents(
        world.project, strategy=MergeStrategy.majority(2), documents=[world.doc], replace=True
    )
    assert replaced.spans == 6
    assert len(gold_content(world)[0]) == 6

    world.project.execute(SetCurationState(world.doc, CurationState.CURATED))
    done = curate_documents(world.project, strategy=MergeStrategy.empty(), documents=[world.doc])
    assert done.documents[0].skipped == "already curated (use replace to start over)"
    assert other  # the second document only ever got skipped
    with pytest.raises(CurationError, match=r"unknown document id\(s\): 99"):
        curate_documents(world.project, strategy=MergeStrategy.empty(), documents=[99])
    with pytest.raises(CurationError, match=r"unknown annotator\(s\): dave"):
        curate_documents(world.project, strategy=MergeStrategy.empty(), annotators=["dave"])


def test_bulk_reports_progress(world: World) -> None:
    calls: list[tuple[int, int, str]] = []
    curate_documents(
        world.project,
        strategy=MergeStrategy.unanimous(),
        progress=lambda done, total, current: calls.append((done, total, current)),
    )
    assert calls == [(0, 1, "Talks"), (1, 1, "")]


# --------------------------------------------------------------------------- commands


def test_accept_span_copies_attributes_and_refuses_duplicates(world: World) -> None:
    command = AcceptSpan(world.ids[("carol", "japan")])
    check_undo_redo(world, command)
    assert gold_content(world)[0] == {("Japan", "COUNTRY", (("iso_code", "JA"),))}
    with pytest.raises(IntegrityError, match="gold already has COUNTRY 'Japan'"):
        world.project.execute(AcceptSpan(world.ids[("carol", "japan")]))
    # accepting alice's identical span takes her attribute values
    world.project.execute(AcceptSpan(world.ids[("alice", "japan")]))
    assert gold_content(world)[0] == {("Japan", "COUNTRY", (("iso_code", "JP"),))}
    gold = world.gold()
    assert gold is not None
    gold_span = world.project.spans(world.doc, gold.id)[0]
    with pytest.raises(IntegrityError, match="already in the gold layer"):
        world.project.execute(AcceptSpan(gold_span.id))


def test_accept_span_replaces_a_competing_gold_span(world: World) -> None:
    world.project.execute(
        AcceptRelation(world.project.relations(world.doc, world.people["alice"].id)[0].id)
    )
    gold = world.gold()
    assert gold is not None
    role_before = next(s for s in world.project.spans(world.doc, gold.id) if s.label == "ROLE")
    command = AcceptSpan(world.ids[("bob", "role")])
    check_undo_redo(world, command)
    role_after = next(s for s in world.project.spans(world.doc, gold.id) if s.label == "ROLE")
    assert role_after.id == role_before.id and role_after.text == "Vice Foreign Minister"
    # the relation stays on the resized span
    assert gold_content(world)[1] == {("HOLDS_ROLE", "Baek Tae-jin", "Vice Foreign Minister")}
    view = world.view()
    assert world.span(view, "Vice Foreign Minister").decision is Decision.ACCEPTED
    assert world.span(view, "First Vice Foreign Minister").decision is Decision.REJECTED
    # a label conflict is replaced too
    world.project.execute(AcceptSpan(world.ids[("bob", "seoul")]))
    world.project.execute(AcceptSpan(world.ids[("alice", "seoul")]))
    assert {s for s in gold_content(world)[0] if s[0] == "Seoul"} == {("Seoul", "LOCATION", ())}
    # without replace, the competitor is added alongside
    world.project.execute(AcceptSpan(world.ids[("bob", "seoul")], replace=False))
    assert {s[1] for s in gold_content(world)[0] if s[0] == "Seoul"} == {"LOCATION", "COUNTRY"}


def test_accept_relation_brings_its_ends(world: World) -> None:
    relation = next(
        r for r in world.project.relations(world.doc, world.people["bob"].id) if r.label == "MEETS"
    )
    check_undo_redo(world, AcceptRelation(relation.id))
    spans, relations, _ = gold_content(world)
    assert spans == {("Baek Tae-jin", "PERSON", ()), ("Chang Ho-jin", "PERSON", ())}
    assert relations == {("MEETS", "Baek Tae-jin", "Chang Ho-jin")}
    alice_meets = next(
        r
        for r in world.project.relations(world.doc, world.people["alice"].id)
        if r.label == "MEETS"
    )
    with pytest.raises(IntegrityError, match="gold already has this MEETS relation"):
        world.project.execute(AcceptRelation(alice_meets.id))
    view = world.view()
    meets = next(r for r in view.relations if r.label == "MEETS")
    assert meets.decision is Decision.ACCEPTED and meets.gold_relation is not None


def test_accept_attribute_and_entity(world: World) -> None:
    view = world.view()
    (attribute,) = view.attributes
    with pytest.raises(CurationError, match="accept the span first"):
        accept_candidate(attribute)
    world.project.execute(AcceptSpan(world.ids[("alice", "japan")]))
    (attribute,) = world.view().attributes
    assert attribute.decision is Decision.ACCEPTED and attribute.gold_value == "JP"
    command = accept_candidate(attribute, "carol")
    assert isinstance(command, AcceptAttribute)
    check_undo_redo(world, command)
    (attribute,) = world.view().attributes
    assert attribute.gold_value == "JA"
    world.project.execute(AcceptAttribute(attribute.gold_owner_id or 0, "iso_code", None))
    (attribute,) = world.view().attributes
    assert attribute.decision is Decision.OPEN and attribute.unresolved

    (entity,) = world.view().entities
    command = accept_candidate(entity, "bob")
    assert isinstance(command, AcceptEntity)
    check_undo_redo(world, command)
    assert gold_content(world)[2] == [{"Baek Tae-jin", "Baek"}]
    (entity,) = world.view().entities
    assert entity.decision is Decision.ACCEPTED
    with pytest.raises(IntegrityError, match="gold already groups these mentions"):
        world.project.execute(accept_candidate(entity, "alice"))
    check_undo_redo(world, RejectCandidate(entity))
    assert gold_content(world)[2] == []


def test_reject_removes_what_gold_holds_and_records_nothing_else(world: World) -> None:
    view = world.view()
    friday = world.span(view, "Friday")
    before = snapshot(world)
    change = world.project.execute(RejectCandidate(friday))
    assert change.is_empty and snapshot(world) == before
    assert world.span(world.view(), "Friday").unresolved  # rejection is "not in gold"

    world.project.execute(accept_candidate(friday))
    assert world.span(world.view(), "Friday").decision is Decision.ACCEPTED
    check_undo_redo(world, RejectCandidate(friday))
    assert world.span(world.view(), "Friday").decision is Decision.OPEN

    world.project.execute(
        AcceptRelation(world.project.relations(world.doc, world.people["bob"].id)[0].id)
    )
    relation = next(r for r in world.view().relations if r.decision is Decision.ACCEPTED)
    check_undo_redo(world, RejectCandidate(relation))
    assert gold_content(world)[1] == set()


def test_gold_only_spans_reject_what_they_overlap(world: World) -> None:
    gold = world.project.ensure_annotator(GOLD_ANNOTATOR)
    start, end = locate("Foreign Minister")
    world.project.execute(AddSpan(world.doc, gold.id, "ROLE", start, end))
    view = world.view()
    assert [s.text for s in view.gold_only_spans] == ["Foreign Minister"]
    assert world.span(view, "First Vice Foreign Minister").decision is Decision.REJECTED
    assert world.span(view, "Vice Foreign Minister").decision is Decision.REJECTED
    assert world.span(view, "Baek Tae-jin").decision is Decision.OPEN


def test_next_unresolved_walks_in_text_order(world: World) -> None:
    view = world.view()
    order = [(item.kind, item.position) for item in view.unresolved()]
    assert order == sorted(order, key=lambda pair: pair[1])
    first = next_unresolved(view)
    assert isinstance(first, SpanCandidate) and first.text == "First Vice Foreign Minister"
    # the relation to it starts at the same offset: not skipped
    second = next_unresolved(view, after=first)
    assert isinstance(second, RelationCandidate) and second.position == first.position
    third = next_unresolved(view, after=second)
    assert isinstance(third, SpanCandidate) and third.text == "Vice Foreign Minister"
    # after an offset, candidates starting at or before it are skipped
    later = next_unresolved(view, world.span(view, "Friday").start)
    assert isinstance(later, SpanCandidate) and later.text == "Baek"
    only_relations = next_unresolved(view, kinds=[CandidateKind.RELATION])
    assert isinstance(only_relations, RelationCandidate)
    last = view.unresolved()[-1]
    assert next_unresolved(view, after=last) == view.unresolved()[0]
    assert next_unresolved(view, after=last, wrap=False) is None
    world.project.execute(SetCurationState(world.doc, CurationState.CURATED))
    curated = world.view()
    assert curated.curated and curated.unresolved() == []
    assert next_unresolved(curated) is None


def test_view_item_types(world: World) -> None:
    items = world.view().items()
    kinds = {type(item) for item in items}
    assert kinds == {SpanCandidate, RelationCandidate, AttributeCandidate, EntityCandidate}


def test_rejected_relation_end_rejects_the_relation(world: World) -> None:
    world.project.execute(AcceptSpan(world.ids[("alice", "role")]))
    view = world.view()
    decisions = {
        view.spans[r.tail].text: r.decision for r in view.relations if r.label == "HOLDS_ROLE"
    }
    assert decisions == {
        "First Vice Foreign Minister": Decision.OPEN,
        "Vice Foreign Minister": Decision.REJECTED,
    }


def test_failed_commands_change_nothing(world: World) -> None:
    from spanlab.core.errors import NotFoundError

    with pytest.raises(NotFoundError):
        world.project.execute(AcceptSpan(9999))
    with pytest.raises(IntegrityError, match="onto gold spans only"):
        world.project.execute(AcceptAttribute(world.ids[("alice", "japan")], "iso_code", "JP"))
    world.project.execute(AcceptSpan(world.ids[("alice", "friday")]))
    before = snapshot(world)
    duplicate = AcceptSpan(world.ids[("alice", "friday")])
    with pytest.raises(IntegrityError, match="gold already has DATE 'Friday'"):
        world.project.execute(duplicate)
    assert snapshot(world) == before and duplicate.steps == ()
    command = AcceptSpan(world.ids[("bob", "chang")])
    world.project.execute(command)
    assert [type(step).__name__ for step in command.steps] == ["AddSpan"]
    assert command.text == "Accept PERSON"
