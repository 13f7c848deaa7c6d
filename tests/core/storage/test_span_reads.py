"""Fast span reads give the same records as the spans written, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from spanlab.core.commands import AddSpan, UpdateSpan
from spanlab.core.errors import NotFoundError
from spanlab.core.project import Project
from spanlab.core.storage import span_reads

TEXT = "Baek Tae-jin met Haruki Takeda in Seoul on Friday."


def test_spans_read_back_in_order_with_attributes(backend_location: str) -> None:
    with Project.create(backend_location) as project:
        with project.edit() as store:
            (doc,) = store.insert_documents([{"title": "T", "text": TEXT, "sha256": "t"}])
        alice = project.ensure_annotator("alice")
        bob = project.ensure_annotator("bob")
        added: list[AddSpan] = []
        for annotator, needle, label in [
            (alice, "Seoul", "LOCATION"),
            (alice, "Baek Tae-jin", "PERSON"),
            (alice, "Baek", "PERSON"),  # same start, shorter: after the longer one by id
            (bob, "Friday", "DATE"),
        ]:
            start = TEXT.index(needle)
            command = AddSpan(doc, annotator.id, label, start, start + len(needle))
            project.execute(command)
            added.append(command)
        seoul_id = added[0].span_id
        assert seoul_id is not None
        project.execute(UpdateSpan(seoul_id, attributes={"country": "KR", "n": [1, 2]}))

        spans = project.spans(doc, alice.id)
        assert [(s.text, s.label) for s in spans] == [
            ("Baek", "PERSON"),
            ("Baek Tae-jin", "PERSON"),
            ("Seoul", "LOCATION"),
        ]
        seoul = project.span(seoul_id)
        assert seoul == spans[2]
        assert dict(seoul.attributes) == {"country": "KR", "n": [1, 2]}
        assert dict(spans[0].attributes) == {}
        with pytest.raises(TypeError):
            spans[0].attributes["x"] = 1  # type: ignore[index]
        assert [s.annotator_id for s in project.spans(doc)] == [
            alice.id,
            alice.id,
            alice.id,
            bob.id,
        ]
        with project.read() as conn:
            both = span_reads.select_spans(conn, span_ids=[int(a.span_id or 0) for a in added])
        assert [s.text for s in both] == ["Baek", "Baek Tae-jin", "Seoul", "Friday"]
        with pytest.raises(NotFoundError):
            project.span(10_000)


def test_empty_attributes_in_any_stored_form_read_as_an_empty_mapping() -> None:
    for raw in (None, "{}", "null", {}, b"{}"):
        assert dict(span_reads.attributes_of(raw)) == {}
    assert dict(span_reads.attributes_of('{"a": 1}')) == {"a": 1}
    assert dict(span_reads.attributes_of({"a": 1})) == {"a": 1}
