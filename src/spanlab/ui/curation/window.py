"""The curation window: gold as an article view, the annotators' candidates beside it.

The curator walks the disagreements with the keyboard: N (F8) jumps to the next open
candidate, A (Enter) accepts it into gold, X rejects it, and the label hotkeys and
Delete edit gold directly in the text, as in the workspace. Every change is a core
command on the session's undo stack (Ctrl+Z / Ctrl+Shift+Z here too), committed at
once; the window re-reads the document's :class:`~spanlab.core.curation.CurationView`
after each change, whichever window made it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QPainter, QPen
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QSplitter,
    QStatusBar,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from spanlab.core.changes import ChangeSet
from spanlab.core.commands import AddSpan, RemoveSpans, UpdateSpan
from spanlab.core.curation import (
    AttributeCandidate,
    CurationError,
    CurationItem,
    CurationState,
    CurationView,
    Decision,
    EntityCandidate,
    RelationCandidate,
    SetCurationState,
    SpanCandidate,
    accept_candidate,
    curation_view,
    item_order,
    reject_candidate,
)
from spanlab.core.errors import SpanLabError
from spanlab.core.model import GOLD_ANNOTATOR, Document, Span
from spanlab.core.project import Command
from spanlab.core.snapping import TextSnapper
from spanlab.ui.actions import portable
from spanlab.ui.curation.access import curation_refusal
from spanlab.ui.curation.candidate_tree import (
    GOLD_ONLY,
    CandidateTree,
    ItemKey,
    describe,
    holders,
    identity,
    item_key,
    quote,
    status_text,
)
from spanlab.ui.curation.colours import ATTRIBUTE_COLOUR, STATUS_COLOUR
from spanlab.ui.curation.gold_layer import GoldLayer
from spanlab.ui.curation.merge_dialog import MergeDialog
from spanlab.ui.curation.ranges import item_ranges
from spanlab.ui.models.label_model import LabelModel
from spanlab.ui.session import ProjectSession
from spanlab.ui.views.document_view import NO_SPAN, DocumentView
from spanlab.ui.views.label_style import LabelStyles
from spanlab.ui.widgets.label_palette import LabelPalette

SELECT_TEXT = "Select some text in gold first (drag or double-click), then press a label key"
NOTHING_LEFT = "Nothing left to decide here: mark the document curated (Ctrl+Enter)"

ACTIONS: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    # id, text, shortcuts, tip
    ("accept", "Accept (A)", ("A", "Return", "Enter"), "Take the selected candidate into gold"),
    ("reject", "Reject (X)", ("X",), "Keep the selected candidate out of gold"),
    ("delete", "Delete", ("Del", "Backspace"), "Text: delete the gold span; list: reject"),
    ("next", "Next Open (N)", ("N", "F8"), "Jump to the next undecided candidate"),
    ("previous", "Previous (Shift+N)", ("Shift+N", "Shift+F8"), "Jump to the previous one"),
    ("merge", "Merge… (Ctrl+M)", ("Ctrl+M",), "Start gold from a merge strategy (preview first)"),
    ("mark_curated", "Mark Curated (Ctrl+Enter)", ("Ctrl+Return", "Ctrl+Enter"), "Done here"),
    ("next_document", "Next Document", ("Ctrl+PgDown", "Alt+Down"), "Curate the next document"),
    ("previous_document", "Previous Document", ("Ctrl+PgUp", "Alt+Up"), "The previous one"),
    ("undo", "Undo", ("Ctrl+Z",), "Undo the last change"),
    ("redo", "Redo", ("Ctrl+Shift+Z", "Ctrl+Y"), "Redo"),
    ("close", "Close", ("Ctrl+W",), "Close the curation window"),
)


class CurationWindow(QMainWindow):
    """Curate one document of the session's project into gold."""

    def __init__(
        self, session: ProjectSession, document_id: int, parent: QWidget | None = None
    ) -> None:
        """Build the widgets and show ``document_id``."""
        super().__init__(parent)
        self.setObjectName("curationWindow")
        self.resize(1400, 860)
        self._session = session
        self._document: Document | None = None
        self.view: CurationView | None = None
        self._items: dict[ItemKey, CurationItem] = {}
        self._gold_only: dict[int, Span] = {}
        self._passed_ids: set[tuple[object, ...]] = set()
        """Identities of open candidates the curator rejected (see ``identity``)."""
        self._gold = GoldLayer()
        self.merge_dialog: MergeDialog | None = None

        self.header = QLabel(self)
        self.header.setObjectName("curationHeader")
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setContentsMargins(8, 6, 8, 6)
        self.text = DocumentView(self)
        self.text.setObjectName("curationGoldView")
        self.tree = CandidateTree(self)
        self.details = QLabel(self)
        self.details.setObjectName("curationDetails")
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setMinimumHeight(70)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.labels = LabelModel(session, self)
        self.labels.reload()
        self.label_palette = LabelPalette(self.labels, self)
        self.label_palette.setFlow(LabelPalette.Flow.LeftToRight)
        self.label_palette.setWrapping(True)
        self.label_palette.setResizeMode(LabelPalette.ResizeMode.Adjust)
        self.label_palette.setMaximumHeight(72)
        self.state = QComboBox(self)
        self.state.setObjectName("curationState")
        for state in CurationState:
            self.state.addItem(state.display_name, state.value)
        self.unfinished = QCheckBox("Count &unfinished layers", self)
        self.unfinished.setObjectName("curationUnfinished")
        self.unfinished.setToolTip(
            "Compare annotators who have started the document, not only those who marked it done"
        )
        self.progress = QLabel(self)
        self.progress.setObjectName("curationProgress")
        self.status = QStatusBar(self)
        self.setStatusBar(self.status)

        self.actions_by_id: dict[str, QAction] = {}
        handlers: dict[str, Callable[[], object]] = {
            "accept": self.accept,
            "reject": self.reject,
            "delete": self.delete,
            "next": self.next_open,
            "previous": self.previous_open,
            "merge": self.open_merge,
            "mark_curated": self.mark_curated,
            "next_document": lambda: self.step_document(1),
            "previous_document": lambda: self.step_document(-1),
            "undo": session.undo_stack.undo,
            "redo": session.undo_stack.redo,
            "close": self.close,
        }
        for action_id, text, keys, tip in ACTIONS:
            action = QAction(text, self)
            action.setObjectName(f"curation.{action_id}")
            action.setShortcuts(portable(keys))
            action.setToolTip(f"{tip} ({', '.join(keys)})")
            action.setStatusTip(tip)
            action.triggered.connect(lambda _checked=False, h=handlers[action_id]: h())
            self.addAction(action)
            self.actions_by_id[action_id] = action
        self._label_actions: list[QAction] = []
        self._build_layout()

        self.state.activated.connect(self._state_chosen)
        self.unfinished.toggled.connect(lambda _checked: self.refresh())
        self.tree.current_changed.connect(self._on_candidate)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(lambda _pos: self._candidate_menu())
        self.text.current_span_changed.connect(self._on_gold_span)
        self.text.add_decoration(self._paint_open_candidates)
        self.label_palette.label_requested.connect(self.label)
        self.label_palette.label_requested.connect(lambda _name: self.text.setFocus())
        session.change_applied.connect(self._on_change)
        session.schema_changed.connect(self._on_schema)
        session.error_occurred.connect(lambda message: self.status.showMessage(message, 8000))
        session.project_changed.connect(self._on_project_changed)
        session.annotator_changed.connect(self._check_access)
        self._on_schema()
        self.set_document(document_id)

    def _build_layout(self) -> None:
        toolbar = QToolBar("Curation", self)
        toolbar.setObjectName("curationToolbar")
        toolbar.setMovable(False)
        for action_id in ("accept", "reject", "previous", "next", "merge", "mark_curated"):
            toolbar.addAction(self.actions_by_id[action_id])
        toolbar.addSeparator()
        toolbar.addWidget(QLabel(" State: ", self))
        toolbar.addWidget(self.state)
        toolbar.addSeparator()
        toolbar.addWidget(self.unfinished)
        self.addToolBar(toolbar)
        legend = QHBoxLayout()
        legend.setContentsMargins(8, 0, 8, 4)
        for status, colour in STATUS_COLOUR.items():
            legend.addWidget(_chip(status.display_name, colour.name(), self))
        legend.addWidget(_chip("attribute values differ", ATTRIBUTE_COLOUR.name(), self))
        legend.addStretch(1)
        legend.addWidget(self.progress)
        gold_caption = QLabel(
            "<b>Gold</b> — label a selection with the label keys (1–9), Delete removes; "
            "open candidates are underlined in their status colour",
            self,
        )
        gold_caption.setContentsMargins(8, 4, 8, 2)
        gold_caption.setWordWrap(True)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.setSpacing(0)
        left_layout.addWidget(gold_caption)
        left_layout.addWidget(self.text, 1)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(4, 0, 4, 0)
        right_caption = QLabel(
            "<b>Candidates</b> — A accept · X reject · N / Shift+N next / previous open", self
        )
        right_caption.setWordWrap(True)
        right_layout.addWidget(right_caption)
        right_layout.addWidget(self.tree, 1)
        right_layout.addWidget(self.details)
        right_layout.addWidget(self.label_palette)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 4)
        splitter.setSizes([760, 640])
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addLayout(legend)
        layout.addWidget(splitter, 1)
        self.setCentralWidget(central)

    # ------------------------------------------------------------------ loading
    @property
    def document_id(self) -> int | None:
        """The document being curated."""
        return int(self._document.id) if self._document is not None else None

    def set_document(self, document_id: int) -> None:
        """Curate another document (the text is loaded once; candidates on refresh)."""
        project = self._session.project
        if project is None:
            return
        if self._document is not None and int(self._document.id) == document_id:
            self.refresh()
            return
        try:
            self._document = project.document(document_id)
        except SpanLabError as exc:
            self.status.showMessage(str(exc))
            return
        self._passed_ids.clear()
        self.view = None
        self._gold.reset(())
        text = self._document.text
        self.text.load(text, self._gold.index, TextSnapper(text))
        self.setWindowTitle(f"Curate — {self._document.title}")
        self.refresh()

    def step_document(self, step: int) -> bool:
        """Curate the next (``step`` 1) or previous (-1) document in project order."""
        project = self._session.project
        current = self.document_id
        if project is None or current is None:
            return False
        try:
            ids = [int(d.id) for d in project.documents()]
        except SpanLabError as exc:
            self.status.showMessage(str(exc))
            return False
        index = ids.index(current) + step if current in ids else 0
        if not 0 <= index < len(ids):
            self.status.showMessage("No more documents in that direction")
            return False
        self.set_document(ids[index])
        return True

    def refresh(self) -> None:
        """Re-read candidates and gold for the document and show them."""
        project = self._session.project
        document = self._document
        if project is None or document is None:
            return
        try:
            view = curation_view(
                project, document.id, include_unfinished=self.unfinished.isChecked()
            )
        except SpanLabError as exc:
            self.status.showMessage(str(exc))
            return
        previous = self.current_item()
        self.view = view
        self._items = {item_key(item): item for item in view.items()}
        by_identity = {identity(item): item_key(item) for item in self._items.values()}
        keep = by_identity.get(identity(previous)) if previous is not None else None
        self._gold_only = {int(s.id): s for s in view.gold_only_spans}
        changed = self._gold.update(view.gold_spans)
        if changed:
            self.text.refresh_spans(changed)
        self.tree.fill(view, document.text, self._passed, keep)
        self._show_header(view)
        self._on_candidate(self.tree.current_key())

    def _show_header(self, view: CurationView) -> None:
        compared = ", ".join(view.annotators) or "nobody yet"
        parts = [f"<b>{_html(view.title)}</b>", f"curation: <b>{view.state.display_name}</b>"]
        parts.append(f"comparing {_html(compared)}")
        for name, why in view.excluded.items():
            parts.append(f"<span style='color:#92400E'>{_html(name)} {_html(why)}</span>")
        self.header.setText(" · ".join(parts))
        self.state.setCurrentIndex(self.state.findData(view.state.value))
        pending = sum(1 for item in view.items() if item.unresolved)
        total = len(self._items)
        self.progress.setText(f"{pending} open of {total} candidates · {len(view.gold_spans)} gold")

    def _on_schema(self) -> None:
        project = self._session.project
        if project is None:
            return
        try:
            schema = project.schema()
        except SpanLabError as exc:
            self.status.showMessage(str(exc))
            return
        self.text.set_styles(LabelStyles(schema))
        for action in self._label_actions:
            self.text.removeAction(action)
            action.deleteLater()
        self._label_actions = []
        for spec in schema.labels:
            action = QAction(spec.name, self.text)
            action.setObjectName(f"curation.label.{spec.name}")
            if spec.hotkey:
                action.setShortcut(QKeySequence(spec.hotkey.upper()))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(lambda _checked=False, name=spec.name: self.label(name))
            self.text.addAction(action)
            self._label_actions.append(action)

    def _check_access(self) -> None:
        """Someone else is working now: close if they may not curate."""
        project = self._session.project
        if project is None or not self.isVisible():
            return
        try:
            refusal = curation_refusal(project.annotators(), self._session.annotator_name)
        except SpanLabError as exc:
            refusal = str(exc)
        if refusal is not None:
            self.close()

    @property
    def _passed(self) -> frozenset[ItemKey]:
        """Keys of the passed-over candidates in the current view."""
        return frozenset(
            key for key, item in self._items.items() if identity(item) in self._passed_ids
        )

    def _on_project_changed(self) -> None:
        """Another project (or none): this window's document is gone."""
        self._document = None
        self.view = None
        self.close()

    def _on_change(self, change: ChangeSet, _replay: bool) -> None:
        document_id = self.document_id
        if document_id is None or not self.isVisible():
            return
        touched = document_id in change.documents or any(
            doc == document_id for doc, _ in change.statuses
        )
        if touched or change.schema_changed:
            self.refresh()

    # ------------------------------------------------------------------ selection
    def current_item(self) -> CurationItem | None:
        """The selected candidate (None for a group, a gold-only span or nothing)."""
        key = self.tree.current_key()
        return self._items.get(key) if key is not None else None

    def select(self, key: ItemKey) -> bool:
        """Select a candidate by key (scrolls the text to it)."""
        return self.tree.select_key(key)

    def _on_candidate(self, key: ItemKey | None) -> None:
        if key is None or self._document is None:
            self.text.set_search_hits([])
            self.details.setText("Select a candidate, or press N for the next open one.")
            return
        if key[0] == GOLD_ONLY:
            span = self._gold_only.get(key[1])
            if span is None:
                return
            self.text.set_search_hits([(span.start, span.end)])
            self.text.select_span(span.id)
            self.details.setText(
                f"<b>{_html(describe(span, span.text))}</b><br>In gold only: no compared "
                "annotator made it. Delete or X removes it from gold."
            )
            return
        item = self._items.get(key)
        if item is None:
            return
        ranges = sorted(item_ranges(item, self._items))
        self.text.set_search_hits(ranges)
        gold_span = item.gold_span if isinstance(item, SpanCandidate) else None
        if gold_span is not None and gold_span.id in self._gold.index:
            if self.text.current_span() != gold_span:
                self.text.select_span(gold_span.id)
        elif isinstance(item, SpanCandidate):
            # Its text is selected in gold: a label key labels it there directly.
            self.text.select_range(item.start, item.end)
        elif ranges:
            self.text.clear_selection()
            self.text.select_range(ranges[0][0], ranges[0][0])
        if ranges:
            self._ensure_visible(ranges[0][0], ranges[-1][1])
        self.details.setText(self._explain(item))

    def _paint_open_candidates(self, painter: QPainter) -> None:
        """Underline the visible open span candidates in their status colour."""
        view = self.view
        if view is None:
            return
        low, high = self.text.visible_range()
        right = self.text.viewport().rect().right()
        for candidate in view.spans:
            if candidate.end < low or candidate.start > high or not candidate.unresolved:
                continue
            if identity(candidate) in self._passed_ids:
                continue
            lane = (candidate.index - candidate.group) % 3
            painter.setPen(QPen(STATUS_COLOUR[candidate.status].darker(135), 2.0))
            first = self.text.cursor_rect_at(candidate.start)
            last = self.text.cursor_rect_at(candidate.end)
            y = first.bottom() - 1 - 3 * lane
            if first.top() == last.top():
                painter.drawLine(first.left(), y, last.left(), y)
            else:
                painter.drawLine(first.left(), y, right, y)
                end_y = last.bottom() - 1 - 3 * lane
                painter.drawLine(0, end_y, last.left(), end_y)

    def _ensure_visible(self, start: int, end: int) -> None:
        """Centre the cursor's line unless ``[start, end)`` is wholly in view."""
        area = self.text.viewport().rect()
        first, last = self.text.cursor_rect_at(start), self.text.cursor_rect_at(end)
        if not (area.contains(first) and area.contains(last)):
            self.text.centerCursor()
            self.text.viewport().update()

    def _explain(self, item: CurationItem) -> str:
        text = self._document.text if self._document is not None else ""
        lines = [f"<b>{_html(describe(item, text))}</b>"]
        lines.append(
            f"{_html(status_text(item))} · made by {_html(', '.join(holders(item)) or 'nobody')}"
            f" · gold: {_decision(item, identity(item) in self._passed_ids)}"
        )
        rivals = _rivals(item, self.view)
        if rivals:
            shown = "; ".join(
                f"{_html(describe(r, text))} ({_html(', '.join(holders(r)))})" for r in rivals
            )
            lines.append(f"competes with {shown}")
        if isinstance(item, AttributeCandidate) and item.gold_owner_id is None:
            lines.append("Accept its span or relation first; then choose a value.")
        return "<br>".join(lines)

    def _on_gold_span(self, span_id: int) -> None:
        if span_id == NO_SPAN or self.view is None:
            return
        if span_id in self._gold_only:
            self.tree.select_key((GOLD_ONLY, span_id))
            return
        for candidate in self.view.spans:
            if candidate.gold_span is not None and candidate.gold_span.id == span_id:
                self.tree.select_key(item_key(candidate))
                return

    # ------------------------------------------------------------------ deciding
    def _run(self, command: Command) -> bool:
        return self._session.run(command)

    def accept(self, annotator: str | None = None) -> bool:
        """Take the selected candidate into gold (``annotator``'s version, else the first)."""
        key = self.tree.current_key()
        item = self.current_item()
        if key is not None and key[0] == GOLD_ONLY:
            self.status.showMessage("That span is gold already")
            return False
        if item is None:
            self.status.showMessage("Select a candidate first (N jumps to the next open one)")
            return False
        if item.decision is Decision.ACCEPTED and annotator is None:
            self.status.showMessage("Gold holds this already; X takes it out again")
            return False
        try:
            command = accept_candidate(item, annotator)
        except CurationError as exc:
            self.status.showMessage(str(exc))
            return False
        self._passed_ids.discard(identity(item))
        if self._run(command):
            self.status.showMessage(f"Accepted {describe(item, self._text())}")
            return True
        return False

    def reject(self) -> bool:
        """Keep the selected candidate out of gold (removing it if gold holds it)."""
        key = self.tree.current_key()
        if key is not None and key[0] == GOLD_ONLY:
            return self._remove_gold_only(key[1])
        item = self.current_item()
        if item is None:
            self.status.showMessage("Select a candidate first (N jumps to the next open one)")
            return False
        if item.decision is Decision.ACCEPTED:
            if self._run(reject_candidate(item)):
                self.status.showMessage(f"Took {describe(item, self._text())} out of gold")
                return True
            return False
        if item.decision is Decision.REJECTED:
            self.status.showMessage("Gold already holds something else in its place")
            return False
        self._passed_ids.add(identity(item))
        self.status.showMessage(f"Passed over {describe(item, self._text())}: not in gold")
        if self.view is not None:
            self.tree.fill(self.view, self._text(), self._passed)
        self.next_open()
        return True

    def _remove_gold_only(self, span_id: int) -> bool:
        span = self._gold_only.get(span_id)
        if span is None:
            return False
        if self._run(RemoveSpans([span.id])):
            self.status.showMessage(f"Deleted {span.label} {quote(span.text)} from gold")
            return True
        return False

    def delete(self) -> bool:
        """Delete: in the text, the gold span at the cursor; in the list, reject."""
        if self.text.hasFocus():
            return self.delete_gold_span()
        return self.reject()

    def delete_gold_span(self) -> bool:
        """Delete the selected gold span (or the innermost one at the cursor)."""
        span = self._target_gold_span()
        if span is None:
            self.status.showMessage("No gold span at the cursor to delete")
            return False
        if self._run(RemoveSpans([span.id])):
            self.status.showMessage(f"Deleted {span.label} {quote(span.text)} from gold")
            return True
        return False

    def _target_gold_span(self) -> Span | None:
        """The selected gold span; with a text selection, the gold span covering exactly
        that text; else the innermost gold span at the cursor."""
        span = self.text.current_span()
        if span is not None:
            return span
        selection = self.text.selection_range()
        if selection is not None:
            same = self._gold.index.exact(*selection)
            return same[0] if same else None
        spans = self.text.spans_at_cursor()
        return spans[0] if spans else None

    def label(self, name: str) -> bool:
        """Label the gold selection as ``name`` (or relabel the gold span at the cursor)."""
        project = self._session.project
        document = self._document
        if project is None or document is None:
            return False
        selection = self.text.selection_range()
        if selection is None:
            span = self._target_gold_span()
            if span is None:
                self.status.showMessage(SELECT_TEXT)
                return False
            if span.label == name:
                self.status.showMessage(f"{quote(span.text)} is {name} in gold already")
                return False
            return self._run(UpdateSpan(span.id, label=name))
        start, end = selection
        same = self._gold.index.exact(start, end)
        if any(s.label == name for s in same):
            self.status.showMessage(f"{quote(document.text[start:end])} is {name} in gold already")
            return False
        if same:
            return self._run(UpdateSpan(same[0].id, label=name))
        gold = project.ensure_annotator(GOLD_ANNOTATOR)
        defaults = project.schema().span_defaults(name)
        command = AddSpan(document.id, gold.id, name, start, end, dict(defaults))
        if self._run(command) and command.span_id is not None:
            self.text.set_current_span(command.span_id)
            self.status.showMessage(f"Added {name} {quote(document.text[start:end])} to gold")
            return True
        return False

    # ------------------------------------------------------------------ walking
    def _open_items(self) -> list[CurationItem]:
        if self.view is None:
            return []
        return [i for i in self.view.unresolved() if identity(i) not in self._passed_ids]

    def next_open(self) -> bool:
        """Select the next undecided candidate in text order (wrapping)."""
        return self._walk(forward=True)

    def previous_open(self) -> bool:
        """Select the previous undecided candidate in text order (wrapping)."""
        return self._walk(forward=False)

    def _walk(self, *, forward: bool) -> bool:
        pending = self._open_items()
        if not pending:
            self.status.showMessage(NOTHING_LEFT)
            return False
        current = self.current_item()
        if current is not None:
            here = item_order(current)
            ahead = [
                i for i in pending if (item_order(i) > here if forward else item_order(i) < here)
            ]
        else:
            cursor = self.text.cursor_position()
            ahead = [
                i for i in pending if (i.position >= cursor if forward else i.position < cursor)
            ]
        if ahead:
            target = ahead[0] if forward else ahead[-1]
        else:
            target = pending[0] if forward else pending[-1]
            self.status.showMessage("Wrapped around")
        return self.select(item_key(target))

    # ------------------------------------------------------------------ document
    def mark_curated(self) -> bool:
        """Mark the document curated (whatever is still open stays out of gold)."""
        return self.set_state(CurationState.CURATED)

    def set_state(self, state: CurationState) -> bool:
        """Set the document's curation state (one undo step)."""
        document_id = self.document_id
        if document_id is None or self.view is None:
            return False
        if self.view.state is state:
            self.status.showMessage(f"The document is {state.display_name} already")
            return False
        if self._run(SetCurationState(document_id, state)):
            self.status.showMessage(f"Curation: {state.display_name}")
            return True
        return False

    def _state_chosen(self, index: int) -> None:
        value = self.state.itemData(index)
        if value:
            self.set_state(CurationState(str(value)))

    def open_merge(self) -> MergeDialog | None:
        """Show the merge dialog (non-modal); applying runs the merge as one undo step."""
        project = self._session.project
        if project is None or self.view is None or self._document is None:
            return None
        if self.merge_dialog is not None:
            self.merge_dialog.close()
            self.merge_dialog.deleteLater()
        names = list(self.view.annotators) or self._session.annotator_names()
        dialog = MergeDialog(
            project,
            self._document.id,
            annotators=names,
            include_unfinished=self.unfinished.isChecked(),
            parent=self,
        )
        dialog.merge_requested.connect(self._apply_merge)
        self.merge_dialog = dialog
        dialog.show()
        return dialog

    def _apply_merge(self, preview: object) -> None:
        from spanlab.core.curation import MergePreview, apply_merge

        if not isinstance(preview, MergePreview):
            return
        try:
            command = apply_merge(preview)
        except CurationError as exc:
            self.status.showMessage(str(exc))
            return
        if self._run(command):
            self.status.showMessage(
                f"Merged {preview.merged} annotation(s) ({preview.strategy}); "
                f"{len(preview.left)} left for you — N goes to the first"
            )

    def _candidate_menu(self) -> None:
        item = self.current_item()
        if item is None:
            return
        menu = QMenu(self)
        names = tuple(item.values) if isinstance(item, AttributeCandidate) else item.holders
        for name in names:
            action = menu.addAction(f"Accept {name}'s version")
            action.triggered.connect(lambda _checked=False, n=name: self.accept(n))
        menu.addSeparator()
        menu.addAction(self.actions_by_id["reject"])
        menu.popup(self.tree.cursor().pos())

    def _text(self) -> str:
        return self._document.text if self._document is not None else ""

    def closeEvent(self, event: QCloseEvent) -> None:
        """Close the merge dialog with the window."""
        if self.merge_dialog is not None:
            self.merge_dialog.close()
        super().closeEvent(event)


def _chip(text: str, colour: str, parent: QWidget) -> QLabel:
    chip = QLabel(text, parent)
    chip.setStyleSheet(
        f"background:{colour}; border:1px solid #9CA3AF; border-radius:3px; padding:1px 6px;"
    )
    return chip


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _decision(item: CurationItem, passed: bool) -> str:
    if passed and item.decision is Decision.OPEN:
        return "passed over (not in gold)"
    if item.decision is Decision.OPEN and not item.unresolved:
        return "left out (document curated)"
    return {
        Decision.ACCEPTED: "<span style='color:#15803D'>accepted</span>",
        Decision.REJECTED: "<span style='color:#B91C1C'>rejected</span>",
        Decision.OPEN: "<span style='color:#92400E'>open</span>",
    }[item.decision]


def _rivals(item: CurationItem, view: CurationView | None) -> list[CurationItem]:
    if view is None:
        return []
    if isinstance(item, SpanCandidate):
        return [view.spans[i] for i in item.conflicts]
    if isinstance(item, RelationCandidate):
        return [view.relations[i] for i in item.conflicts]
    if isinstance(item, EntityCandidate):
        return [view.entities[i] for i in item.conflicts]
    return []
