"""Agreement report exports: JSON as documented, CSV long format, standalone HTML."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import lxml.html
import pytest

from spanlab.core.agreement_report import (
    CSV_COLUMNS,
    JSON_FORMAT,
    MATRIX_METRICS,
    OVERALL_METRICS,
    AgreementReport,
    annotation_pace,
    compute_agreement,
    to_csv,
    to_html,
    to_json,
)
from spanlab.core.model import DocumentStatus
from spanlab.core.project import Project
from spanlab.core.stats import project_stats

DOCS = Path(__file__).resolve().parents[2] / "docs" / "agreement-json.md"
EVIL_TITLE = '<script>alert("x")</script> & <b>Co</b>'
EVIL_ANNOTATOR = "<i>eve</i>"


def documented_keys(section: str) -> list[str]:
    """Keys in the first column of the table that follows ``section`` in the JSON docs."""
    lines = DOCS.read_text(encoding="utf-8").splitlines()
    index = lines.index(section)
    while not lines[index].startswith("|"):
        index += 1
    keys = []
    while index < len(lines) and lines[index].startswith("|"):
        found = re.match(r"^\| `([a-z_]+)` \|", lines[index])
        if found:
            keys.append(found.group(1))
        index += 1
    return keys


@pytest.fixture
def report(sample_project: Project) -> AgreementReport:
    return compute_agreement(sample_project)


# --------------------------------------------------------------------------- JSON


def test_json_top_level_and_metric_keys_are_the_documented_ones(report: AgreementReport) -> None:
    data = to_json(report)
    assert list(data) == documented_keys("## Top level")
    assert list(data["documents"]) == documented_keys("### `documents`")
    metric_keys = documented_keys("## The metric object")
    for metric in data["metrics"].values():
        assert list(metric) == metric_keys
    for pair in data["pairs"]:
        assert set(pair) == {"a", "b", "metrics"}
        for metric in pair["metrics"].values():
            assert list(metric) == metric_keys
    text = DOCS.read_text(encoding="utf-8")
    for key in OVERALL_METRICS:
        assert f"`{key}`" in text


def test_json_content(report: AgreementReport) -> None:
    data = json.loads(json.dumps(to_json(report), allow_nan=False))
    assert data["format"] == JSON_FORMAT
    assert data["version"] == 1
    assert data["annotators"] == ["alice", "bob"]
    assert data["documents"]["used"] == 6
    assert data["documents"]["total"] == 8
    assert data["documents"]["summary"] == report.documents.summary
    assert data["documents"]["ids"] == [int(d) for d in report.documents.used_ids]
    assert list(data["metrics"]) == list(OVERALL_METRICS)
    exact = data["metrics"]["span_f1_exact"]
    assert exact["value"] == report.metrics["span_f1_exact"].value
    assert exact["unit"] == "spans"
    assert exact["documents_used"] == 6
    assert data["metrics"]["token_cohen_kappa_labelled"]["unit"] == (
        "tokens (excluding tokens nobody labelled)"
    )
    assert set(data["matrices"]) == set(MATRIX_METRICS)
    overlap = data["matrices"]["span_f1_overlap"]["values"]
    assert overlap[0][0] is None and overlap[0][1] == overlap[1][0]
    assert [row["label"] for row in data["per_label"]] == list(report.labels)
    assert data["confusion"]["rows"][-1] == "∅"
    first = data["documents_by_disagreement"][0]
    assert set(first) == {"id", "title", "span_f1_overlap", "disagreements", "by_kind", "spans"}
    assert set(first["by_kind"]) == {"boundary", "label", "missing_in_a", "missing_in_b"}
    assert data["request"] == {
        "annotators": None,
        "labels": None,
        "documents": None,
        "include_unfinished": False,
        "confusion_pair": None,
    }


# --------------------------------------------------------------------------- CSV


def test_csv_is_long_format_and_matches_the_report(report: AgreementReport) -> None:
    rows = list(csv.DictReader(io.StringIO(to_csv(report))))
    assert tuple(rows[0]) == CSV_COLUMNS
    overall = [row for row in rows if row["scope"] == "overall"]
    assert [row["metric"] for row in overall] == list(OVERALL_METRICS)
    for row in overall:
        metric = report.metrics[row["metric"]]
        assert row["unit"] == metric.unit
        assert int(row["documents_used"]) == 6
        if metric.value is None:
            assert row["value"] == "" and row["reason"]
        else:
            assert float(row["value"]) == metric.value
    scopes = {row["scope"] for row in rows}
    assert scopes == {"overall", "pair", "label", "relation_type", "attribute", "document"}
    pair_rows = [row for row in rows if row["scope"] == "pair"]
    assert {(row["a"], row["b"]) for row in pair_rows} == {("alice", "bob")}
    label_rows = [row for row in rows if row["scope"] == "label"]
    assert {row["label"] for row in label_rows} == set(report.labels)
    document_rows = [row for row in rows if row["scope"] == "document"]
    assert {int(row["document"]) for row in document_rows} == set(report.documents.used_ids)
    counts = {
        int(row["document"]): int(row["value"])
        for row in document_rows
        if row["metric"] == "disagreements"
    }
    assert counts == {d.document_id: d.disagreements for d in report.documents_by_disagreement}


# --------------------------------------------------------------------------- HTML


def _svg_labels(tree: lxml.html.HtmlElement) -> list[str]:
    return [svg.get("aria-label", "") for svg in tree.iter("svg")]


def test_html_is_standalone_with_charts(sample_project: Project, report: AgreementReport) -> None:
    page = to_html(
        report, stats=project_stats(sample_project), pace=annotation_pace(sample_project)
    )
    tree = lxml.html.document_fromstring(page)
    assert tree.find(".//title") is not None
    labels = _svg_labels(tree)
    assert "Span F1 (overlap) per pair" in labels
    assert "Agreement per label" in labels
    assert "Progress per annotator" in labels
    assert "Spans per label" in labels
    assert "Documents finished per day" in labels
    heatmap = next(svg for svg in tree.iter("svg") if svg.get("aria-label", "").endswith("pair"))
    assert len(heatmap.findall(".//rect")) == 4  # 2 x 2 cells
    assert tree.find_class("confusion")
    assert "documents used: 6 of 8" in page.lower()
    # Offline and script-free: no script, no external reference of any kind.
    assert not list(tree.iter("script"))
    for element in tree.iter():
        for attribute in ("src", "href"):
            assert element.get(attribute) is None
    assert "http:" not in page and "https:" not in page and "@import" not in page


def test_html_without_overview(report: AgreementReport) -> None:
    tree = lxml.html.document_fromstring(to_html(report))
    assert "Progress per annotator" not in _svg_labels(tree)
    assert "Span F1 (overlap) per pair" in _svg_labels(tree)


def test_html_escapes_project_text(project: Project) -> None:
    text = "Angela Merkel met Emmanuel Macron in Paris on Monday."
    with project.edit() as store:
        (doc,) = store.insert_documents([{"title": EVIL_TITLE, "text": text, "sha256": "e"}])
        for name, end in ((EVIL_ANNOTATOR, 13), ("ben", 6)):
            annotator = store.ensure_annotator(name)
            store.insert_span(
                document_id=doc, annotator_id=annotator.id, label="PERSON", start=0, end=end
            )
            store.set_status(doc, annotator.id, DocumentStatus.DONE)
    report = compute_agreement(project)
    page = to_html(report, stats=project_stats(project), pace=annotation_pace(project))
    assert "<script>" not in page
    assert "<i>eve</i>" not in page and "<b>Co</b>" not in page
    assert "&lt;script&gt;" in page
    tree = lxml.html.document_fromstring(page)
    assert not list(tree.iter("script"))
    assert not list(tree.iter("i")) and not list(tree.iter("b"))
    cells = [td.text_content() for td in tree.iter("td")]
    assert EVIL_TITLE in cells
    assert EVIL_ANNOTATOR in tree.text_content()
    assert to_json(report)["documents_by_disagreement"][0]["title"] == EVIL_TITLE
