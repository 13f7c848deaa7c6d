"""Relations: create (R then pick the tail, or Ctrl+drag), retype, delete; arcs and the panel.

Keyboard: with a span selected press R; Tab/Shift+Tab walk candidate tail spans, Enter
chooses, Esc cancels (a click on a span chooses it too). Mouse: hold Ctrl, press on the
head span, drag to the tail span and release (Ctrl is free: Alt means character precision
and Shift extends the selection). The type comes from a popup listing only the types
whose argument constraints fit the two labels; when none fits the status bar says why.
Every edit goes through :meth:`ProjectSession.run`, so it is one undo step; a new
relation carries its type's default attribute values from the schema (in the same
command, so undo removes both).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QWidget

from spanlab.core.commands import AddRelation, RemoveRelation, UpdateRelation
from spanlab.core.errors import SpanLabError
from spanlab.core.model import Span
from spanlab.core.schema import Schema
from spanlab.ui.dialogs.relation_type_popup import ChoicePopup, explain_no_type, relation_choices
from spanlab.ui.models.relation_model import RelationModel, RelationRow, span_text
from spanlab.ui.open_document import OpenDocument
from spanlab.ui.session import ProjectSession
from spanlab.ui.settings import AppSettings
from spanlab.ui.views.arc_overlay import ArcMode, ArcOverlay
from spanlab.ui.views.document_view import DocumentView
from spanlab.ui.widgets.relations_panel import RelationsPanel
from spanlab.ui.widgets.status_bar import StatusBar

DRAG_MODIFIER = Qt.KeyboardModifier.ControlModifier
"""Hold this while dragging from span to span to link them."""

_PICK_KEYS = frozenset(
    {Qt.Key.Key_Tab, Qt.Key.Key_Backtab, Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape}
)

ARC_MODE_TEXT = {
    ArcMode.ALL: "Showing all relation arcs",
    ArcMode.SELECTED: "Showing the selected span's relation arcs",
    ArcMode.NONE: "Relation arcs hidden",
}


class RelationController(QObject):
    """Creates, retypes and deletes relations; keeps arcs and the panel in step."""

    def __init__(
        self,
        *,
        session: ProjectSession,
        document: OpenDocument,
        model: RelationModel,
        view: DocumentView,
        panel: RelationsPanel,
        status: StatusBar,
        settings: AppSettings,
        window: QWidget,
    ) -> None:
        """Wire the view, the panel and the arc overlay."""
        super().__init__(window)
        self._session = session
        self._document = document
        self._model = model
        self._view = view
        self._panel = panel
        self._status = status
        self._settings = settings
        self.overlay = ArcOverlay(view, model.rows)
        self.overlay.set_mode(ArcMode(settings.arc_mode))
        self.popup = ChoicePopup(window)
        self.popup.setObjectName("relationTypePopup")
        self._popup_target: tuple[str, int, int] | None = (
            None  # ("add", head, tail) / ("retype", id, 0)
        )
        self.head: Span | None = None
        self.candidate: Span | None = None
        self._drag_head: Span | None = None
        self.popup.chosen.connect(self._on_type_chosen)
        self.popup.cancelled.connect(self._on_popup_cancelled)
        model.relations_changed.connect(self.overlay.relations_changed)
        session.schema_changed.connect(self._refresh_symmetric)
        session.project_changed.connect(self._refresh_symmetric)
        document.document_changed.connect(self.cancel)
        document.spans_changed.connect(lambda _delta: self.overlay.invalidate())
        view.current_span_changed.connect(self._on_current_span)
        panel.relation_selected.connect(self.show_relation)
        panel.delete_requested.connect(self.delete)
        panel.retype_requested.connect(self.retype)
        self._viewport = view.viewport()
        view.installEventFilter(self)
        self._viewport.installEventFilter(self)
        self._refresh_symmetric()

    # ------------------------------------------------------------------ helpers
    def _relation_defaults(self, relation_type: str) -> dict[str, Any]:
        schema = self._schema()
        return dict(schema.relation_defaults(relation_type)) if schema is not None else {}

    def _schema(self) -> Schema | None:
        project = self._session.project
        if project is None:
            return None
        try:
            return project.schema()
        except SpanLabError as exc:
            self._status.show_message(str(exc))
            return None

    def _refresh_symmetric(self) -> None:
        schema = self._schema()
        names = (
            frozenset(r.name for r in schema.relations if r.symmetric) if schema else frozenset()
        )
        self.overlay.set_symmetric(names)

    def _on_current_span(self, _span_id: int) -> None:
        # Only the "selected span's arcs" mode depends on the selection; otherwise the
        # view's own partial repaint of the old and new span is enough.
        if self.overlay.mode is ArcMode.SELECTED:
            self.overlay.update()

    def _ready(self) -> bool:
        return self._session.ready and self._document.document_id is not None

    @property
    def picking(self) -> bool:
        """Whether a tail span is being chosen (after R)."""
        return self.head is not None

    # ------------------------------------------------------------------ create by keyboard
    def start(self) -> None:
        """R: link the selected span (the head) to a span chosen next."""
        if not self._ready():
            return
        span = self._view.current_span()
        if span is None:
            spans = self._view.spans_at_cursor()
            span = spans[0] if spans else None
        if span is None:
            self._status.show_message("Select a span first, then press R to link it to another")
            return
        if len(self._document.index) < 2:
            self._status.show_message("There is no other span to link to")
            return
        self.head = span
        self.candidate = None
        self.overlay.set_pending(span)
        self._status.show_message(
            f"Link {span_text(span)} to…: Tab/Shift+Tab pick a span (or click one), "
            "Enter chooses, Esc cancels"
        )

    def cancel(self) -> None:
        """Esc: stop choosing a tail."""
        head = self.head
        self.head = None
        self.candidate = None
        self._drag_head = None
        self.overlay.set_pending(None)
        if head is not None and head.id in self._document.index:
            self._view.select_span(head.id)
            self._status.show_message("Relation cancelled")

    def step(self, direction: int) -> None:
        """Move to the next (1) or previous (-1) candidate tail span."""
        if self.head is None:
            return
        index = self._document.index
        current = self.candidate or self.head
        found = index.following(span=current) if direction > 0 else index.preceding(span=current)
        if found is None:
            found = index.first() if direction > 0 else index.last()
        if found is not None and found.id == self.head.id:
            found = index.following(span=found) if direction > 0 else index.preceding(span=found)
            if found is None:
                found = index.first() if direction > 0 else index.last()
        if found is None or found.id == self.head.id:
            return
        self.candidate = found
        self._view.select_span(found.id)
        self.overlay.set_pending(self.head, found)
        self._status.show_message(f"Link {span_text(self.head)} → {span_text(found)}? Enter")

    def choose(self, tail: Span | None = None) -> None:
        """Enter (or a click): ask for the type linking the head to ``tail``."""
        head = self.head
        tail = tail or self.candidate
        if head is None:
            return
        if tail is None:
            self._status.show_message("Press Tab to pick the other span first")
            return
        self.head = None
        self.candidate = None
        self.overlay.set_pending(head, tail)
        self.ask_type(head, tail)

    # ------------------------------------------------------------------ types
    def ask_type(self, head: Span, tail: Span) -> bool:
        """Offer the types that fit; False (with a status message) when none does."""
        schema = self._schema()
        if schema is None:
            return False
        if head.id == tail.id:
            self.overlay.set_pending(None)
            self._status.show_message("A relation needs two different spans")
            return False
        entries, hint = relation_choices(schema, head.label, tail.label)
        if not entries:
            self.overlay.set_pending(None)
            self._status.show_message(explain_no_type(schema, head.label, tail.label))
            return False
        self._popup_target = ("add", int(head.id), int(tail.id))
        self.popup.set_choices(f"{span_text(head)} → {span_text(tail)}", entries, hint)
        self._open_popup(tail)
        return True

    def _open_popup(self, near: Span) -> None:
        rect = self._view.cursor_rect_at(near.end)
        self.popup.open_at(self._view.viewport().mapToGlobal(QPoint(rect.left(), rect.bottom())))

    def _on_type_chosen(self, value: object) -> None:
        target = self._popup_target
        self._popup_target = None
        self.overlay.set_pending(None)
        if target is None or not isinstance(value, str):
            return
        kind, first, second = target
        if kind == "add":
            command = AddRelation(first, second, value, attributes=self._relation_defaults(value))
            if self._session.run(command):
                self._status.show_message(f"Added {value} (Ctrl+Z undoes)")
                if command.relation_id is not None:
                    self.overlay.set_selected_relation(int(command.relation_id))
        else:
            if self._session.run(UpdateRelation(first, label=value)):
                self._status.show_message(f"Retyped as {value}")
        self._view.setFocus()

    def _on_popup_cancelled(self) -> None:
        if self._popup_target is not None:
            self._popup_target = None
            self.overlay.set_pending(None)
            self._status.show_message("No relation added")
        self._view.setFocus()

    # ------------------------------------------------------------------ panel
    def _row(self, relation_id: int) -> RelationRow | None:
        row = self._model.row_of(relation_id)
        return self._model.relation_at(row) if row is not None else None

    def show_relation(self, relation_id: int) -> None:
        """Highlight a relation's ends and scroll to its head."""
        row = self._row(relation_id)
        self.overlay.set_selected_relation(relation_id if row is not None else None)
        if row is not None and row.head is not None:
            self._view.select_span(row.head.id)
            self.overlay.set_selected_relation(relation_id)

    def delete(self, relation_id: int) -> None:
        """Delete a relation (undoable)."""
        row = self._row(relation_id)
        if row is None:
            return
        if self._session.run(RemoveRelation(relation_id)):
            self._status.show_message(
                f"Deleted {row.relation.label}: {span_text(row.head)} → {span_text(row.tail)}"
            )

    def retype(self, relation_id: int) -> None:
        """Offer the other types valid for this relation's two labels."""
        row = self._row(relation_id)
        schema = self._schema()
        if row is None or schema is None or row.head is None or row.tail is None:
            return
        entries, hint = relation_choices(schema, row.head.label, row.tail.label)
        entries = [entry for entry in entries if entry[1] != row.relation.label]
        if not entries:
            self._status.show_message(
                f"No other relation type links {row.head.label} -> {row.tail.label}"
            )
            return
        self._popup_target = ("retype", relation_id, 0)
        self.popup.set_choices(
            f"Retype {row.relation.label}: {span_text(row.head)} → {span_text(row.tail)}",
            entries,
            hint,
        )
        self._open_popup(row.tail)

    # ------------------------------------------------------------------ arcs
    def cycle_arcs(self) -> None:
        """View › cycle arcs: all, the selected span's, none (remembered)."""
        mode = self.overlay.mode.next()
        self.overlay.set_mode(mode)
        self._settings.arc_mode = mode.value
        self._status.show_message(ARC_MODE_TEXT[mode])

    # ------------------------------------------------------------------ events
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Keys while picking a tail; Ctrl+drag and clicks on the viewport."""
        if watched is self._view:
            return self._key_event(event)
        if watched is self._viewport and isinstance(event, QMouseEvent):
            return self._mouse_event(event)
        return False

    def _key_event(self, event: QEvent) -> bool:
        if self.head is None or not isinstance(event, QKeyEvent):
            return False
        key = Qt.Key(event.key())
        if key not in _PICK_KEYS:
            return False
        if event.type() == QEvent.Type.ShortcutOverride:
            event.accept()  # deliver as a key press instead of triggering Tab/Esc actions
            return True
        if event.type() != QEvent.Type.KeyPress:
            return False
        if key == Qt.Key.Key_Escape:
            self.cancel()
        elif key == Qt.Key.Key_Backtab or (
            key == Qt.Key.Key_Tab and event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        ):
            self.step(-1)
        elif key == Qt.Key.Key_Tab:
            self.step(1)
        else:
            self.choose()
        return True

    def _span_at(self, pos: QPoint) -> Span | None:
        spans = self._view.spans_at_point(pos)
        return spans[0] if spans else None

    def _mouse_event(self, event: QMouseEvent) -> bool:
        kind = event.type()
        pos = event.position().toPoint()
        left = event.button() == Qt.MouseButton.LeftButton
        if kind == QEvent.Type.MouseButtonPress and left:
            if self.head is not None:
                return True  # the release picks the tail
            if event.modifiers() & DRAG_MODIFIER and self._ready():
                span = self._span_at(pos)
                if span is not None:
                    self._drag_head = span
                    self.overlay.set_pending(span)
                    self._status.show_message(f"Drag to the span to link {span_text(span)} to")
                    return True
            return False
        if kind == QEvent.Type.MouseMove and self._drag_head is not None:
            self.overlay.set_pending(self._drag_head, self._span_at(pos))
            return True
        if kind == QEvent.Type.MouseButtonRelease and left:
            if self._drag_head is not None:
                head, self._drag_head = self._drag_head, None
                tail = self._span_at(pos)
                if tail is None or tail.id == head.id:
                    self.overlay.set_pending(None)
                    self._status.show_message("Release on another span to link them")
                else:
                    self.ask_type(head, tail)
                return True
            if self.head is not None:
                tail = self._span_at(pos)
                if tail is not None and tail.id != self.head.id:
                    self.choose(tail)
                return True
        return False
