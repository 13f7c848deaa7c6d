"""The agreement report: document selection, equality with the pure metrics, disagreements."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from spanlab.core.agreement import (
    F1Scheme,
    RelationScheme,
    attribute_agreement,
    relation_f1,
    span_confusion_matrix,
    span_f1,
    token_cohen_kappa,
    token_fleiss_kappa,
    token_krippendorff_alpha,
    unitizing_alpha,
)
from spanlab.core.agreement_report import (
    LABEL_METRICS,
    MATRIX_METRICS,
    METRIC_INFO,
    OVERALL_METRICS,
    PAIR_METRICS,
    AgreementRequest,
    AgreementSelectionError,
    DisagreementKind,
    DocumentRule,
    annotation_pace,
    compute_agreement,
    disagreements,
    pace_from_statuses,
)
from spanlab.core.model import (
    AnnotatorId,
    DocumentId,
    DocumentStatus,
    Relation,
    Span,
    StatusRecord,
)
from spanlab.core.project import Project
from spanlab.core.text import tokenize

TEXT = "Angela Merkel met Emmanuel Macron in Paris on Monday."
OTHER = "The ministers of Germany and France spoke in Berlin on Friday."

SpanSpec = tuple[str, str]  # (label, covered text): located by the first occurrence
Layers = dict[str, dict[int, list[SpanSpec]]]


def at(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def build(
    project: Project,
    texts: list[str],
    layers: Layers,
    *,
    done: dict[str, list[int]] | None = None,
    in_progress: dict[str, list[int]] | None = None,
    titles: list[str] | None = None,
) -> list[DocumentId]:
    """Documents, spans (by covered text) and statuses, written through the edit store."""
    with project.edit() as store:
        ids = store.insert_documents(
            [
                {
                    "title": (titles or [])[i] if titles else f"doc {i}",
                    "text": text,
                    "sha256": f"h{i}",
                }
                for i, text in enumerate(texts)
            ]
        )
        for name, per_document in layers.items():
            annotator = store.ensure_annotator(name)
            for index, specs in per_document.items():
                for label, needle in specs:
                    start, end = at(texts[index], needle)
                    store.insert_span(
                        document_id=ids[index],
                        annotator_id=annotator.id,
                        label=label,
                        start=start,
                        end=end,
                    )
        for statuses, status in ((done or {}, DocumentStatus.DONE), (in_progress or {}, None)):
            for name, indexes in statuses.items():
                annotator = store.ensure_annotator(name)
                for index in indexes:
                    store.set_status(ids[index], annotator.id, status or DocumentStatus.IN_PROGRESS)
    return ids


SAME: list[SpanSpec] = [
    ("PERSON", "Angela Merkel"),
    ("PERSON", "Emmanuel Macron"),
    ("LOCATION", "Paris"),
    ("DATE", "Monday"),
]
SAME_OTHER: list[SpanSpec] = [
    ("COUNTRY", "Germany"),
    ("COUNTRY", "France"),
    ("LOCATION", "Berlin"),
    ("DATE", "Friday"),
]


# --------------------------------------------------------------------------- the sample project


def _pure_inputs(project: Project) -> dict[str, Any]:
    """Everything of the sample, loaded independently of the report code."""
    documents = [d.id for d in project.documents()]
    spans: list[Span] = []
    relations: list[Relation] = []
    tokens: dict[DocumentId, list[tuple[int, int]]] = {}
    lengths: dict[DocumentId, int] = {}
    for document in documents:
        spans.extend(project.spans(document))
        relations.extend(project.relations(document))
        text = project.document(document).text
        tokens[document] = [(t.start, t.end) for t in tokenize(text)]
        lengths[document] = len(text)
    ids = {a.name: a.id for a in project.annotators()}
    completed: dict[AnnotatorId, set[DocumentId]] = {a: set() for a in ids.values()}
    for record in project.statuses():
        if record.status is DocumentStatus.DONE:
            completed[record.annotator_id].add(record.document_id)
    return {
        "alice": ids["alice"],
        "bob": ids["bob"],
        "spans": spans,
        "relations": relations,
        "tokens": tokens,
        "lengths": lengths,
        "completed": completed,
        "documents": documents,
    }


def test_sample_uses_the_six_documents_both_marked_done(sample_project: Project) -> None:
    report = compute_agreement(sample_project)
    data = _pure_inputs(sample_project)
    both = data["completed"][data["alice"]] & data["completed"][data["bob"]]
    assert report.annotators == ("alice", "bob")
    assert report.documents.rule is DocumentRule.DONE_BY_ALL
    assert (report.documents.used, report.documents.candidates) == (6, 8)
    assert set(report.documents.used_ids) == both
    assert report.documents.summary.startswith("documents used: 6 of 8")
    for metric in report.metrics.values():
        assert metric.documents_used == 6
        assert metric.unit == METRIC_INFO[metric.key].unit
    assert tuple(report.metrics) == OVERALL_METRICS


def test_sample_values_equal_the_pure_metrics(sample_project: Project) -> None:
    report = compute_agreement(sample_project)
    d = _pure_inputs(sample_project)
    a, b, spans, completed = d["alice"], d["bob"], d["spans"], d["completed"]
    symmetric = {r.name for r in sample_project.schema().relations if r.symmetric}
    metrics = report.metrics

    spans_report = span_f1(spans, completed=completed)
    for key, scheme in (
        ("span_f1_exact", F1Scheme.EXACT),
        ("span_f1_overlap", F1Scheme.OVERLAP),
        ("span_f1_partial", F1Scheme.PARTIAL),
        ("span_f1_exact_unlabelled", F1Scheme.EXACT_UNLABELLED),
        ("span_f1_overlap_unlabelled", F1Scheme.OVERLAP_UNLABELLED),
    ):
        assert metrics[key].value == spans_report.overall[scheme].value
    relations = relation_f1(spans, d["relations"], symmetric_types=symmetric, completed=completed)
    for key, rscheme in (
        ("relation_f1_strict", RelationScheme.STRICT),
        ("relation_f1_lenient", RelationScheme.LENIENT),
        ("relation_f1_strict_given_endpoints", RelationScheme.STRICT_GIVEN_ENDPOINTS),
        ("relation_f1_lenient_given_endpoints", RelationScheme.LENIENT_GIVEN_ENDPOINTS),
    ):
        assert metrics[key].value == relations.overall[rscheme].value

    tokens = d["tokens"]
    cohen = token_cohen_kappa(spans, tokens, a, b, completed=completed)
    fleiss = token_fleiss_kappa(spans, tokens, completed=completed)
    alpha = token_krippendorff_alpha(spans, tokens, completed=completed)
    for key, result in (
        ("token_cohen_kappa", cohen),
        ("token_fleiss_kappa", fleiss),
        ("token_krippendorff_alpha", alpha),
    ):
        assert metrics[key].value == result.all_tokens.value
        assert metrics[key].observed_agreement == result.all_tokens.observed_agreement
        assert metrics[key].expected_agreement == result.all_tokens.expected_agreement
        assert metrics[key].items == result.tokens
        assert metrics[f"{key}_labelled"].value == result.labelled_tokens.value
    assert cohen.documents_used == 6

    alpha_u = unitizing_alpha(spans, d["lengths"], completed=completed)
    assert metrics["unitizing_alpha"].value == alpha_u.value
    assert metrics["unitizing_alpha"].observed_disagreement == alpha_u.observed_disagreement

    (pair,) = report.pairs
    assert (pair.a, pair.b) == ("alice", "bob")
    assert tuple(pair.metrics) == PAIR_METRICS
    assert (
        pair.metrics["span_f1_overlap"].value
        == spans_report.pairs[0].overall[F1Scheme.OVERLAP].value
    )
    assert pair.metrics["token_cohen_kappa"].value == cohen.all_tokens.value
    assert pair.metrics["token_cohen_kappa_labelled"].value == cohen.labelled_tokens.value

    for row in report.per_label:
        assert tuple(row.metrics) == LABEL_METRICS
        assert (
            row.metrics["span_f1_exact"].value
            == spans_report.per_label[row.label][F1Scheme.EXACT].value
        )
        assert row.metrics["unitizing_alpha"].value == alpha_u.per_label[row.label].value
        assert (
            row.metrics["token_category_kappa"].value == fleiss.all_tokens.category_kappa[row.label]
        )
    assert {row.label for row in report.per_label} == set(spans_report.per_label)

    for kind in report.relation_types:
        assert (
            kind.metrics["relation_f1_lenient"].value
            == relations.per_type[kind.type][RelationScheme.LENIENT].value
        )
        assert kind.symmetric == (kind.type in symmetric)

    attributes = attribute_agreement(spans, completed=completed)
    assert {r.name: r.metric.value for r in report.attributes} == {
        name: result.value for name, result in attributes.attributes.items()
    }

    confusion = span_confusion_matrix(spans, a, b, completed=completed)
    assert report.confusion is not None
    assert report.confusion.counts == confusion.table()
    assert report.confusion.rows == confusion.rows


def test_sample_with_unfinished_documents_uses_all_eight(sample_project: Project) -> None:
    report = compute_agreement(sample_project, AgreementRequest(include_unfinished=True))
    assert report.documents.rule is DocumentRule.STARTED_BY_ALL
    assert (report.documents.used, report.documents.candidates) == (8, 8)
    d = _pure_inputs(sample_project)
    everything = {d["alice"]: d["documents"], d["bob"]: d["documents"]}
    expected = span_f1(d["spans"], completed=everything).overall[F1Scheme.OVERLAP].value
    assert report.metrics["span_f1_overlap"].value == expected


def test_sample_documents_are_sorted_by_disagreement(sample_project: Project) -> None:
    report = compute_agreement(sample_project)
    rows = report.documents_by_disagreement
    assert {row.document_id for row in rows} == set(report.documents.used_ids)
    f1 = [row.span_f1_overlap for row in rows]
    assert all(v is not None for v in f1)
    assert f1 == sorted(f1)  # type: ignore[type-var]
    titles = {d.id: d.title for d in sample_project.documents()}
    for row in rows:
        assert row.title == titles[row.document_id]
        listed = disagreements(sample_project, row.document_id, "alice", "bob")
        assert row.disagreements == len(listed)
        assert sum(row.by_kind.values()) == row.disagreements
    assert any(row.disagreements for row in rows)


def test_progress_reports_every_document(sample_project: Project) -> None:
    calls: list[tuple[int, int, str]] = []
    compute_agreement(sample_project, progress=lambda *args: calls.append(args))
    done = [c[0] for c in calls]
    assert done == sorted(done)
    assert calls[-1][0] == calls[-1][1] == 7  # 6 documents + the metrics step
    assert len(calls) >= 7


def test_label_selection_filters_spans_and_relations(sample_project: Project) -> None:
    request = AgreementRequest(labels=("PERSON", "ROLE"))
    report = compute_agreement(sample_project, request)
    assert report.labels == ("PERSON", "ROLE")
    assert [row.label for row in report.per_label] == ["PERSON", "ROLE"]
    d = _pure_inputs(sample_project)
    kept = [s for s in d["spans"] if s.label in {"PERSON", "ROLE"}]
    ids = {s.id for s in kept}
    relations = [r for r in d["relations"] if r.head_id in ids and r.tail_id in ids]
    assert (
        report.metrics["span_f1_exact"].value
        == span_f1(kept, completed=d["completed"]).overall[F1Scheme.EXACT].value
    )
    cohen = token_cohen_kappa(kept, d["tokens"], d["alice"], d["bob"], completed=d["completed"])
    assert report.metrics["token_cohen_kappa"].value == cohen.all_tokens.value
    symmetric = {"MEETS"}
    expected = relation_f1(kept, relations, symmetric_types=symmetric, completed=d["completed"])
    assert report.metrics["relation_f1_strict"].value == (
        expected.overall[RelationScheme.STRICT].value
    )
    assert {row.type for row in report.relation_types} <= {"HOLDS_ROLE", "MEETS"}


def test_confusion_pair_can_be_chosen_and_is_checked(sample_project: Project) -> None:
    report = compute_agreement(sample_project, AgreementRequest(confusion_pair=("bob", "alice")))
    assert report.confusion is not None
    assert (report.confusion.a, report.confusion.b) == ("bob", "alice")
    with pytest.raises(AgreementSelectionError, match="confusion pair"):
        compute_agreement(sample_project, AgreementRequest(confusion_pair=("bob", "bob")))


# --------------------------------------------------------------------------- constructed projects


def test_identical_annotations_agree_perfectly(project: Project) -> None:
    build(
        project,
        [TEXT, OTHER],
        {"ann": {0: SAME, 1: SAME_OTHER}, "ben": {0: SAME, 1: SAME_OTHER}},
        done={"ann": [0, 1], "ben": [0, 1]},
    )
    report = compute_agreement(project)
    assert report.documents.summary.startswith("documents used: 2 of 2")
    for key in (
        "span_f1_exact",
        "span_f1_overlap",
        "span_f1_partial",
        "token_cohen_kappa",
        "token_fleiss_kappa",
        "token_krippendorff_alpha",
        "token_cohen_kappa_labelled",
        "unitizing_alpha",
    ):
        assert report.metrics[key].value == pytest.approx(1.0), key
    assert report.metrics["relation_f1_strict"].value is None
    assert report.metrics["relation_f1_strict"].reason
    assert all(row.disagreements == 0 for row in report.documents_by_disagreement)
    assert report.confusion is not None
    for i, row in enumerate(report.confusion.counts):
        for j, count in enumerate(row):
            assert count == 0 or i == j


def test_disjoint_annotations_have_zero_f1(project: Project) -> None:
    build(
        project,
        [TEXT],
        {"ann": {0: SAME[:2]}, "ben": {0: SAME[2:]}},
        done={"ann": [0], "ben": [0]},
    )
    report = compute_agreement(project)
    for key in ("span_f1_exact", "span_f1_overlap", "span_f1_overlap_unlabelled"):
        assert report.metrics[key].value == 0.0
    (row,) = report.documents_by_disagreement
    assert row.by_kind[DisagreementKind.MISSING_IN_B] == 2
    assert row.by_kind[DisagreementKind.MISSING_IN_A] == 2
    assert row.span_f1_overlap == 0.0


def test_disagreement_kinds(project: Project) -> None:
    (doc,) = build(
        project,
        [TEXT],
        {
            "ann": {
                0: [
                    ("PERSON", "Angela Merkel"),
                    ("PERSON", "Emmanuel Macron"),
                    ("LOCATION", "Paris"),
                    ("DATE", "Monday"),
                ]
            },
            "ben": {
                0: [
                    ("PERSON", "Merkel"),  # boundary
                    ("PERSON", "Emmanuel Macron"),  # agreement
                    ("COUNTRY", "Paris"),  # label
                    ("DATE", "on Monday"),  # boundary
                    ("EVENT", "met"),  # missing in ann
                ]
            },
        },
        done={"ann": [0], "ben": [0]},
    )
    found = disagreements(project, doc, "ann", "ben")
    kinds = [
        (d.kind, d.span_a.text if d.span_a else d.span_b.text if d.span_b else "") for d in found
    ]
    assert kinds == [
        (DisagreementKind.BOUNDARY, "Angela Merkel"),
        (DisagreementKind.MISSING_IN_A, "met"),
        (DisagreementKind.LABEL, "Paris"),
        (DisagreementKind.BOUNDARY, "Monday"),
    ]
    label = found[2]
    assert label.same_offsets and label.span_a is not None and label.span_b is not None
    assert (label.span_a.label, label.span_b.label) == ("LOCATION", "COUNTRY")
    assert not found[0].same_offsets
    reverse = disagreements(project, doc, "ben", "ann")
    assert [d.kind for d in reverse].count(DisagreementKind.MISSING_IN_B) == 1
    assert disagreements(project, doc, "ann", "ben", labels=["DATE"])[0].kind is (
        DisagreementKind.BOUNDARY
    )
    with pytest.raises(AgreementSelectionError, match="unknown annotator"):
        disagreements(project, doc, "ann", "zoe")


def test_three_annotators_pairs_matrices_and_means(project: Project) -> None:
    build(
        project,
        [TEXT, OTHER],
        {
            "ann": {0: SAME, 1: SAME_OTHER},
            "ben": {0: SAME[:3], 1: SAME_OTHER},
            "cat": {0: SAME[1:], 1: SAME_OTHER[:2]},
        },
        done={"ann": [0, 1], "ben": [0, 1], "cat": [0]},
    )
    report = compute_agreement(project)
    assert report.annotators == ("ann", "ben", "cat")
    assert report.documents.used == 1  # only the first document is done by all three
    assert [(p.a, p.b) for p in report.pairs] == [("ann", "ben"), ("ann", "cat"), ("ben", "cat")]
    for key in MATRIX_METRICS:
        matrix = report.matrix(key)
        assert len(matrix) == 3
        for i in range(3):
            assert matrix[i][i] is None
            for j in range(3):
                assert matrix[i][j] == matrix[j][i]
    assert report.matrix("span_f1_exact")[0][1] == report.pairs[0].metrics["span_f1_exact"].value
    kappa = report.metrics["token_cohen_kappa"]
    values = [p.metrics["token_cohen_kappa"].value for p in report.pairs]
    assert kappa.pairs == 3
    assert kappa.value == pytest.approx(sum(v for v in values if v is not None) / 3)
    assert kappa.sd is not None
    assert report.metrics["span_f1_exact"].sd is not None
    subset = compute_agreement(project, AgreementRequest(annotators=("ann", "ben")))
    assert subset.documents.used == 2


def test_default_annotators_skip_gold_unless_named(project: Project) -> None:
    build(
        project,
        [TEXT],
        {"ann": {0: SAME}, "ben": {0: SAME}, "gold": {0: SAME}},
        done={"ann": [0], "ben": [0], "gold": [0]},
    )
    assert compute_agreement(project).annotators == ("ann", "ben")
    named = compute_agreement(project, AgreementRequest(annotators=("gold", "ann")))
    assert named.annotators == ("gold", "ann")


def test_unfinished_documents_need_every_annotator_to_have_started(project: Project) -> None:
    build(
        project,
        [TEXT, OTHER, TEXT + " Later.", OTHER + " Later."],
        {"ann": {0: SAME, 1: SAME_OTHER, 2: SAME}, "ben": {0: SAME, 2: SAME[:1]}},
        done={"ann": [0, 1, 2], "ben": [0]},
        in_progress={"ben": [1]},
    )
    strict = compute_agreement(project)
    assert strict.documents.used == 1
    loose = compute_agreement(project, AgreementRequest(include_unfinished=True))
    # doc 1: ben in progress; doc 2: ben has a span there; doc 3: nobody started it.
    assert loose.documents.used == 3
    assert loose.documents.candidates == 4


def test_no_document_done_by_all_gives_undefined_values(project: Project) -> None:
    build(project, [TEXT], {"ann": {0: SAME}, "ben": {0: SAME}}, done={"ann": [0]})
    report = compute_agreement(project)
    assert report.documents.used == 0
    assert report.documents.summary.startswith("documents used: 0 of 1")
    for metric in report.metrics.values():
        assert metric.value is None
        assert metric.reason == "no document to compare"
    assert report.documents_by_disagreement == ()


def test_document_selection(project: Project) -> None:
    ids = build(
        project,
        [TEXT, OTHER],
        {"ann": {0: SAME, 1: SAME_OTHER}, "ben": {0: SAME, 1: SAME_OTHER[:1]}},
        done={"ann": [0, 1], "ben": [0, 1]},
    )
    report = compute_agreement(project, AgreementRequest(documents=(ids[1],)))
    assert report.documents.used_ids == (ids[1],)
    assert report.documents.candidates == 1
    assert report.metrics["span_f1_exact"].value == pytest.approx(2 * 1 / (4 + 1))
    with pytest.raises(AgreementSelectionError, match=r"unknown document id\(s\): 99"):
        compute_agreement(project, AgreementRequest(documents=(99,)))


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        (
            AgreementRequest(annotators=("ann", "zoe")),
            r"unknown annotator\(s\): zoe \(known: ann, ben",
        ),
        (AgreementRequest(annotators=("ann",)), "at least two annotators, got ann"),
        (AgreementRequest(labels=("PERSON", "NOPE")), r"unknown label\(s\): NOPE \(known: PERSON"),
    ],
)
def test_selection_errors_name_what_is_known(
    project: Project, request_: AgreementRequest, message: str
) -> None:
    build(project, [TEXT], {"ann": {0: SAME}, "ben": {0: SAME}}, done={"ann": [0], "ben": [0]})
    with pytest.raises(AgreementSelectionError, match=message):
        compute_agreement(project, request_)


def test_a_project_with_one_annotator_is_an_error(project: Project) -> None:
    build(project, [TEXT], {"ann": {0: SAME}}, done={"ann": [0]})
    with pytest.raises(AgreementSelectionError, match="at least two annotators"):
        compute_agreement(project)


# --------------------------------------------------------------------------- pace


def _record(annotator: int, document: int, finished: datetime | None) -> StatusRecord:
    status = DocumentStatus.DONE if finished else DocumentStatus.IN_PROGRESS
    return StatusRecord(DocumentId(document), AnnotatorId(annotator), status, finished_at=finished)


def test_pace_counts_documents_finished_per_day_with_gaps() -> None:
    records = [
        _record(1, 1, datetime(2024, 3, 1, 9, tzinfo=UTC)),
        _record(1, 2, datetime(2024, 3, 1, 17, tzinfo=UTC)),
        _record(2, 1, datetime(2024, 3, 3, 23, 59, tzinfo=UTC)),
        _record(2, 2, None),
        _record(3, 1, datetime(2024, 3, 2, tzinfo=UTC)),  # not asked for
    ]
    pace = pace_from_statuses(records, {AnnotatorId(1): "ann", AnnotatorId(2): "ben"})
    assert pace.days == (date(2024, 3, 1), date(2024, 3, 2), date(2024, 3, 3))
    assert pace.finished["ann"] == (2, 0, 0)
    assert pace.finished["ben"] == (0, 0, 1)
    assert pace.total("ann") == 2
    empty = pace_from_statuses([], {AnnotatorId(1): "ann"})
    assert empty.days == () and empty.finished["ann"] == ()


def test_annotation_pace_of_the_sample(sample_project: Project) -> None:
    pace = annotation_pace(sample_project)
    assert pace.annotators == ("alice", "bob")
    assert pace.total("alice") == 8
    assert pace.total("bob") == 6
