"""Attribute editing: the selected span's or relation's attributes, suggestions on demand.

Edits become ``UpdateSpan(attributes=...)`` / ``UpdateRelation(attributes=...)``, so each
is one undo step. A suggested date or country is applied with
:func:`~spanlab.core.normalize.suggest.apply_suggestions`, which never overwrites a value
already set.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QObject

from spanlab.core.commands import UpdateRelation, UpdateSpan
from spanlab.core.errors import SpanLabError
from spanlab.core.model import Span
from spanlab.core.normalize.suggest import Suggestion, apply_suggestions, suggest_for_span
from spanlab.ui.models.relation_model import RelationModel, span_text
from spanlab.ui.open_document import OpenDocument, SpanDelta
from spanlab.ui.session import ProjectSession
from spanlab.ui.views.document_view import DocumentView
from spanlab.ui.widgets.attribute_panel import AttributePanel
from spanlab.ui.widgets.relations_panel import RelationsPanel
from spanlab.ui.widgets.status_bar import StatusBar


class AttributeController(QObject):
    """Shows what is selected in the attribute panel and runs its edits."""

    def __init__(
        self,
        *,
        session: ProjectSession,
        document: OpenDocument,
        view: DocumentView,
        relations: RelationModel,
        relations_panel: RelationsPanel,
        panel: AttributePanel,
        status: StatusBar,
    ) -> None:
        """Follow the view's and the relations panel's selections."""
        super().__init__(panel)
        self._session = session
        self._document = document
        self._view = view
        self._relations = relations
        self._panel = panel
        self._status = status
        view.current_span_changed.connect(self.show_span)
        relations_panel.relation_selected.connect(self.show_relation)
        document.spans_changed.connect(self._on_spans_changed)
        document.document_changed.connect(panel.clear)
        relations.relations_changed.connect(self._on_relations_changed)
        panel.edited.connect(self._on_edited)
        panel.suggestion_accepted.connect(self.accept_suggestion)

    def _suggestions(self, span: Span) -> Mapping[str, Suggestion]:
        project, document = self._session.project, self._document.document
        if project is None or document is None:
            return {}
        try:
            return suggest_for_span(span, schema=project.schema(), document=document)
        except SpanLabError as exc:
            self._status.show_message(str(exc))
            return {}

    def show_span(self, span_id: int) -> None:
        """Show a span's attributes (nothing for an unknown id)."""
        span = self._document.index.get(span_id) if span_id >= 0 else None
        project = self._session.project
        if span is None or project is None:
            if self._panel.target[0] == "span":
                self._panel.clear()
            return
        label = project.schema().label(span.label)
        specs = label.attributes if label is not None else ()
        self._panel.show_target(
            "span",
            int(span.id),
            f"<b>{span.label}</b> “{span.text}”",
            specs,
            span.attributes,
            self._suggestions(span),
        )

    def show_relation(self, relation_id: int) -> None:
        """Show a relation's attributes."""
        row_number = self._relations.row_of(relation_id)
        row = self._relations.relation_at(row_number) if row_number is not None else None
        project = self._session.project
        if row is None or project is None:
            return
        spec = project.schema().relation(row.relation.label)
        specs = spec.attributes if spec is not None else ()
        title = f"<b>{row.relation.label}</b>: {span_text(row.head)} → {span_text(row.tail)}"
        self._panel.show_target(
            "relation", int(row.relation.id), title, specs, row.relation.attributes
        )

    def _on_spans_changed(self, delta: SpanDelta) -> None:
        kind, target = self._panel.target
        if kind != "span":
            return
        touched = {s.id for s in delta.removed} | {after.id for _, after in delta.updated}
        if target in touched:
            self.show_span(target)

    def _on_relations_changed(self) -> None:
        kind, target = self._panel.target
        if kind == "relation":
            if self._relations.row_of(target) is None:
                self._panel.clear()
            else:
                self.show_relation(target)

    def _on_edited(self, kind: str, target: int, values: Mapping[str, Any]) -> None:
        if kind == "span":
            ok = self._session.run(UpdateSpan(target, attributes=dict(values)))
        else:
            ok = self._session.run(UpdateRelation(target, attributes=dict(values)))
        if ok:
            self._status.show_message("Attributes saved (Ctrl+Z undoes)")
        elif kind == "span":
            self.show_span(target)  # show the stored values again
        else:
            self.show_relation(target)

    def accept_suggestion(self, span_id: int, name: str) -> None:
        """Fill one suggested value in (never over a value already set)."""
        span = self._document.index.get(span_id)
        if span is None:
            return
        suggestions = self._suggestions(span)
        merged = apply_suggestions(span.attributes, suggestions, accept=[name])
        if merged == dict(span.attributes):
            self._status.show_message(f"{name} already has a value; nothing changed")
            return
        if self._session.run(UpdateSpan(span_id, attributes=merged)):
            self._status.show_message(f"{name} set to {merged[name]} (Ctrl+Z undoes)")
