"""Entity groups: G adds the current span to an entity or starts a new one; rename, ungroup.

Several mentions at once: "Group several mentions…" in the G popup (or the panel's
button) opens a multi-selection of the spans not yet in an entity; the chosen ones
become one new entity (:class:`CreateEntity`) or join one (:class:`AddMentions`).
Every edit is a core command run through the session (one undo step each); the core
refuses a span that already belongs to another entity, and the message is shown.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtWidgets import QWidget

from spanlab.core.entities import (
    AddMentions,
    CreateEntity,
    DeleteEntity,
    RemoveMentions,
    RenameEntity,
)
from spanlab.core.model import Span
from spanlab.ui.dialogs.group_mentions_dialog import GroupMentionsDialog
from spanlab.ui.dialogs.relation_type_popup import ChoicePopup
from spanlab.ui.models.entity_model import EntityModel
from spanlab.ui.models.relation_model import span_text
from spanlab.ui.open_document import OpenDocument
from spanlab.ui.session import ProjectSession
from spanlab.ui.views.document_view import DocumentView
from spanlab.ui.widgets.entity_panel import EntityPanel
from spanlab.ui.widgets.status_bar import StatusBar

NEW_ENTITY = -1
NEW_ENTITY_TEXT = "New entity…"
SEVERAL = -2
SEVERAL_TEXT = "Group several mentions…"


class EntityController(QObject):
    """Runs the entity panel's and the G key's edits."""

    def __init__(
        self,
        *,
        session: ProjectSession,
        document: OpenDocument,
        model: EntityModel,
        view: DocumentView,
        panel: EntityPanel,
        status: StatusBar,
        window: QWidget,
    ) -> None:
        """Wire the panel and the chooser popup."""
        super().__init__(window)
        self._session = session
        self._document = document
        self._model = model
        self._view = view
        self._panel = panel
        self._status = status
        self.popup = ChoicePopup(window)
        self.popup.setObjectName("entityChooser")
        self._span: Span | None = None
        self.several: GroupMentionsDialog | None = None
        """The open "group several mentions" dialog, if any."""
        self.popup.chosen.connect(self._on_chosen)
        self.popup.cancelled.connect(lambda: self._view.setFocus())
        model.rename_requested.connect(self.rename)
        panel.group_requested.connect(self.group)
        panel.group_several_requested.connect(self.group_several)
        panel.mention_activated.connect(view.select_span)
        panel.remove_mention_requested.connect(self.remove_mention)
        panel.delete_entity_requested.connect(self.delete_entity)

    def group(self) -> None:
        """G: choose an entity for the current span (or a new one)."""
        annotator, document_id = self._session.annotator, self._document.document_id
        if annotator is None or document_id is None:
            return
        span = self._view.current_span()
        if span is None:
            spans = self._view.spans_at_cursor()
            span = spans[0] if spans else None
        if span is None:
            self._status.show_message("Select a span first, then press G to group it")
            return
        self._span = span
        entries: list[tuple[str, object, str]] = [
            (f"{entity.name} ({len(mentions)})", int(entity.id), "")
            for entity, mentions in self._model.entities()
        ]
        entries.append((NEW_ENTITY_TEXT, NEW_ENTITY, "Start a new entity with this mention"))
        entries.append((SEVERAL_TEXT, SEVERAL, "Choose more mentions to group with this one"))
        self.popup.set_choices(f"Group {span_text(span)} with…", entries)
        rect = self._view.cursor_rect_at(span.end)
        self.popup.open_at(self._view.viewport().mapToGlobal(QPoint(rect.left(), rect.bottom())))

    def _on_chosen(self, value: object) -> None:
        span, self._span = self._span, None
        annotator, document_id = self._session.annotator, self._document.document_id
        self._view.setFocus()
        if span is None or annotator is None or document_id is None or not isinstance(value, int):
            return
        if value == SEVERAL:
            self.group_several(span)
        elif value == NEW_ENTITY:
            command = CreateEntity(int(document_id), int(annotator.id), None, [int(span.id)])
            if self._session.run(command) and command.entity_id is not None:
                self._panel.select_entity(int(command.entity_id))
                self._status.show_message(f"New entity from {span_text(span)}")
        elif self._session.run(AddMentions(value, [int(span.id)])):
            self._panel.select_entity(value)
            self._status.show_message(f"Added {span_text(span)} to the entity")

    def group_several(self, span: Span | None = None) -> None:
        """Open the multi-selection of ungrouped mentions (``span`` or the current one chosen)."""
        if self._session.annotator is None or self._document.document_id is None:
            return
        entities = self._model.entities()
        grouped = {int(span.id) for _entity, mentions in entities for span in mentions}
        spans = [span for span in self._document.index if int(span.id) not in grouped]
        if not spans:
            self._status.show_message("Every span is already in an entity")
            return
        current = span or self._view.current_span()
        if self.several is not None:
            self.several.close()
        dialog = GroupMentionsDialog(
            spans,
            [(int(entity.id), entity.name) for entity, _mentions in entities],
            preselect=[int(current.id)] if current is not None else [],
            parent=self._view.window(),
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._group_chosen(dialog))
        dialog.finished.connect(lambda _result: self._dialog_closed(dialog))
        self.several = dialog
        dialog.open()

    def _dialog_closed(self, dialog: GroupMentionsDialog) -> None:
        if self.several is dialog:
            self.several = None
        self._view.setFocus()

    def _group_chosen(self, dialog: GroupMentionsDialog) -> None:
        """Group the chosen mentions in one command (so one undo step)."""
        annotator, document_id = self._session.annotator, self._document.document_id
        ids = dialog.selected_span_ids()
        if annotator is None or document_id is None or not ids:
            return
        target = dialog.entity_id()
        count = f"{len(ids)} mention{'s' if len(ids) != 1 else ''}"
        if target == NEW_ENTITY:
            name = dialog.name.text().strip() or None
            command = CreateEntity(int(document_id), int(annotator.id), name, ids)
            if self._session.run(command) and command.entity_id is not None:
                self._panel.select_entity(int(command.entity_id))
                self._status.show_message(f"New entity from {count} (Ctrl+Z undoes)")
        elif self._session.run(AddMentions(target, ids)):
            self._panel.select_entity(target)
            self._status.show_message(f"Added {count} to the entity (Ctrl+Z undoes)")

    def rename(self, entity_id: int, name: str) -> None:
        """Rename an entity (a blank name is refused by the core, and the name restored)."""
        if not self._session.run(RenameEntity(entity_id, name)):
            self._model.reload()

    def remove_mention(self, span_id: int) -> None:
        """Take one span out of its entity."""
        if self._session.run(RemoveMentions([span_id])):
            self._status.show_message("Mention removed from its entity")

    def delete_entity(self, entity_id: int) -> None:
        """Ungroup an entity (its spans stay)."""
        if self._session.run(DeleteEntity(entity_id)):
            self._status.show_message("Entity deleted; its spans are kept")
