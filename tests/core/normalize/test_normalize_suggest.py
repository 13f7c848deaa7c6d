"""suggest_attributes / apply_suggestions: schema-driven, never overwriting."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from spanlab.core.commands import AddSpan, UpdateSpan
from spanlab.core.model import Document, DocumentId, frozen_map
from spanlab.core.normalize.countries import CountrySuggestion
from spanlab.core.normalize.dates import DateKind, DateSuggestion
from spanlab.core.normalize.suggest import (
    apply_suggestions,
    document_published,
    has_value,
    suggest_attributes,
    suggest_for_span,
)
from spanlab.core.project import Project, default_schema
from spanlab.core.schema import AttributeKind, AttributeSpec, LabelSpec, Schema

TEXT = (
    "Envoys meet in Seoul\n"
    "By A. Reporter\n"
    "Published: Oct. 9, 2023 - 09:15\n"
    "\n"
    "South Korea's minister met Japanese officials in Seoul on Friday. "
    "They will meet again on Friday in Tokyo.\n"
)
SCHEMA = default_schema()


def doc(
    text: str = TEXT, published: str | None = None, metadata: dict[str, Any] | None = None
) -> Document:
    return Document(
        id=DocumentId(1),
        title="t",
        text=text,
        sha256="x",
        published=published,
        metadata=frozen_map(metadata),
    )


def suggest(label: str, text: str, current: dict[str, Any] | None = None, **kw: Any) -> Any:
    return suggest_attributes(
        label, text, schema=SCHEMA, document=kw.pop("document", doc()), current=current or {}, **kw
    )


def test_country_span_gets_an_iso_code() -> None:
    result = suggest("COUNTRY", "South Korea")
    assert set(result) == {"iso_code"}
    found = result["iso_code"]
    assert (found.value, found.kind, found.attribute) == ("KR", AttributeKind.COUNTRY, "iso_code")
    assert isinstance(found.detail, CountrySuggestion)
    assert "South Korea" in found.explanation


def test_date_span_is_resolved_against_the_published_line() -> None:
    result = suggest("DATE", "Friday")  # published Monday 2023-10-09, no context
    found = result["normalized"]
    assert (found.value, found.kind) == ("2023-10-06", AttributeKind.DATE)
    assert isinstance(found.detail, DateSuggestion)
    assert found.detail.kind is DateKind.DATE


def test_start_offset_supplies_the_sentence_as_context() -> None:
    second = TEXT.index("Friday", TEXT.index("They will"))
    assert suggest("DATE", "Friday", start=second)["normalized"].value == "2023-10-13"
    first = TEXT.index("Friday")
    assert suggest("DATE", "Friday", start=first)["normalized"].value == "2023-10-06"
    # An explicit context wins over the document's.
    context = "They will meet on Friday."
    assert suggest("DATE", "Friday", start=first, context=context)["normalized"].value == (
        "2023-10-13"
    )
    # A start that does not point at the span text is ignored, not an error.
    assert suggest("DATE", "Friday", start=0)["normalized"].value == "2023-10-06"


def test_unique_occurrence_supplies_the_context_without_start() -> None:
    text = TEXT.replace("They will meet again on Friday", "They will meet again next week")
    result = suggest("DATE", "next week", document=doc(text))
    assert result["normalized"].value == "2023-W42"


@pytest.mark.parametrize("current", [{"iso_code": "JP"}, {"iso_code": "XX"}, {"iso_code": False}])
def test_a_set_value_never_gets_a_suggestion(current: dict[str, Any]) -> None:
    assert suggest("COUNTRY", "South Korea", current) == {}


@pytest.mark.parametrize("current", [{}, {"iso_code": None}, {"iso_code": ""}, {"iso_code": "  "}])
def test_unset_values_get_a_suggestion(current: dict[str, Any]) -> None:
    assert suggest("COUNTRY", "South Korea", current)["iso_code"].value == "KR"


def test_labels_without_date_or_country_attributes_get_nothing() -> None:
    assert suggest("PERSON", "Friday") == {}
    assert suggest("ROLE", "South Korea") == {}  # ROLE has a boolean attribute only
    assert suggest("NO_SUCH_LABEL", "South Korea") == {}


def test_nothing_is_suggested_when_nothing_is_recognised() -> None:
    assert suggest("COUNTRY", "Seoul") == {}
    assert suggest("DATE", "a while") == {}


def test_only_date_and_country_attributes_of_the_label_are_considered() -> None:
    label = LabelSpec(
        name="MIX",
        colour="#FFFFFF",
        attributes=(
            AttributeSpec("when", AttributeKind.DATE),
            AttributeSpec("where", AttributeKind.COUNTRY),
            AttributeSpec("note", AttributeKind.TEXT),
            AttributeSpec("sure", AttributeKind.BOOLEAN),
        ),
    )
    schema = Schema(name="mix", labels=(label,))
    result = suggest_attributes("MIX", "Japan", schema=schema, document=doc(), current={"note": ""})
    assert set(result) == {"where"}  # "Japan" is no date; note/sure are not suggested
    result = suggest_attributes(
        "MIX", "2023-10-05", schema=schema, document=doc(), current={"where": "KR"}
    )
    assert {name: s.value for name, s in result.items()} == {"when": "2023-10-05"}


def test_document_published_sources_in_order() -> None:
    assert document_published(doc()) == date(2023, 10, 9)
    assert document_published(doc(published="2023-10-01T08:00:00+09:00")) == date(2023, 10, 1)
    assert document_published(doc(metadata={"published": "Oct. 2, 2023"})) == date(2023, 10, 2)
    assert document_published(doc(published="garbage", metadata={"date": "2023-10-03"})) == (
        date(2023, 10, 3)
    )
    assert document_published(doc(text="No date line.")) is None


def test_without_a_publication_date_only_absolute_dates_are_suggested() -> None:
    plain = doc(text="They met on Friday, Oct. 6, 2023.")
    assert suggest("DATE", "Friday", document=plain) == {}
    assert suggest("DATE", "Oct. 6, 2023", document=plain)["normalized"].value == "2023-10-06"


def test_apply_suggestions_fills_only_gaps() -> None:
    suggestions = suggest("COUNTRY", "Japanese")
    assert apply_suggestions({}, suggestions) == {"iso_code": "JP"}
    assert apply_suggestions({"iso_code": ""}, suggestions) == {"iso_code": "JP"}
    assert apply_suggestions({"iso_code": "KR"}, suggestions) == {"iso_code": "KR"}
    assert apply_suggestions({"other": 1}, suggestions) == {"other": 1, "iso_code": "JP"}
    assert apply_suggestions({}, suggestions, accept=()) == {}
    assert apply_suggestions({}, suggestions, accept={"iso_code"}) == {"iso_code": "JP"}


def test_has_value() -> None:
    assert not has_value(None)
    assert not has_value("")
    assert not has_value(" \t")
    assert has_value("KR")
    assert has_value(False)
    assert has_value(0)


def test_accepting_a_suggestion_is_an_undoable_span_edit(project: Project) -> None:
    with project.edit() as store:
        (doc_id,) = store.insert_documents([{"title": "t", "text": TEXT, "sha256": "t"}])
    ann = project.ensure_annotator("ann")
    start = TEXT.index("Japanese")
    add = AddSpan(doc_id, ann.id, "COUNTRY", start, start + len("Japanese"))
    project.execute(add)
    assert add.span_id is not None
    span = project.span(add.span_id)
    document = project.document(doc_id)
    suggestions = suggest_for_span(span, schema=project.schema(), document=document)
    assert suggestions["iso_code"].value == "JP"

    update = UpdateSpan(span.id, attributes=apply_suggestions(span.attributes, suggestions))
    project.execute(update)
    accepted = project.span(span.id)
    assert dict(accepted.attributes) == {"iso_code": "JP"}
    assert suggest_for_span(accepted, schema=project.schema(), document=document) == {}
    project.revert(update)
    assert project.span(span.id) == span
