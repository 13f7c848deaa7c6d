"""Every user action, declared once as data: id, text, menu, default shortcuts, scope.

``ActionRegistry`` turns the table into ``QAction``s, puts them in menus (so every
shortcut is visible), applies remapped shortcuts from the settings and enables them
from the session state. Handlers are bound by the composition root, not here.
Label actions (one per schema label, hotkey from the schema) are added dynamically.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QWidget

from spanlab.core.schema import LabelSpec


class Scope(enum.Enum):
    """Where a shortcut works."""

    WINDOW = "window"
    TEXT = "text"
    """Only while the article view or the annotations panel has the focus."""


class Needs(enum.Enum):
    """What must be open for an action to be enabled."""

    NOTHING = "nothing"
    PROJECT = "project"
    DOCUMENT = "document"


@dataclass(frozen=True, slots=True)
class ActionSpec:
    """One action of the table."""

    id: str
    text: str
    menu: str
    shortcuts: tuple[str, ...] = ()
    scope: Scope = Scope.WINDOW
    needs: Needs = Needs.NOTHING
    tip: str = ""
    checkable: bool = False
    separator_before: bool = False


MENUS: tuple[tuple[str, str], ...] = (
    ("file", "&File"),
    ("edit", "&Edit"),
    ("label", "&Label"),
    ("navigate", "&Navigate"),
    ("document", "&Document"),
    ("project", "&Project"),
    ("view", "&View"),
    ("help", "&Help"),
)

_P, _D, _T = Needs.PROJECT, Needs.DOCUMENT, Scope.TEXT

ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("file.new", "&New Project…", "file", ("Ctrl+N",)),
    ActionSpec("file.open", "&Open Project…", "file", ("Ctrl+O",)),
    ActionSpec(
        "file.open_server",
        "Open &Server Project…",
        "file",
        ("Ctrl+Alt+O",),
        tip="Open a shared project on a PostgreSQL server (host, database, user)",
    ),
    ActionSpec(
        "file.import", "&Import Articles…", "file", ("Ctrl+I",), needs=_P, separator_before=True
    ),
    ActionSpec(
        "file.import_annotations",
        "Import A&nnotations…",
        "file",
        ("Ctrl+Shift+I",),
        needs=_P,
        tip="Import annotation files (JSONL, CoNLL, brat, ...) into this project",
    ),
    ActionSpec(
        "file.export",
        "E&xport…",
        "file",
        ("Ctrl+Shift+X",),
        needs=_P,
        tip="Export annotations to JSONL, CoNLL, spaCy, brat and other formats",
    ),
    ActionSpec(
        "file.switch_annotator",
        "Switch &Annotator…",
        "file",
        ("Ctrl+Shift+A",),
        tip="Label as someone else; each annotator sees only their own spans",
    ),
    ActionSpec("file.close", "&Close Project", "file", ("Ctrl+W",), needs=_P),
    ActionSpec("file.quit", "&Quit", "file", ("Ctrl+Q",), separator_before=True),
    ActionSpec("edit.undo", "&Undo", "edit", ("Ctrl+Z",), needs=_P),
    ActionSpec("edit.redo", "&Redo", "edit", ("Ctrl+Shift+Z", "Ctrl+Y"), needs=_P),
    ActionSpec(
        "edit.find", "&Find in Document…", "edit", ("Ctrl+F",), needs=_D, separator_before=True
    ),
    ActionSpec("edit.find_next", "Find &Next", "edit", ("F3",), needs=_D),
    ActionSpec("edit.find_previous", "Find &Previous", "edit", ("Shift+F3",), needs=_D),
    ActionSpec(
        "edit.shortcuts", "&Keyboard Shortcuts…", "edit", ("Ctrl+,",), separator_before=True
    ),
    ActionSpec(
        "label.all_in_document",
        "Label All Occurrences in &Document",
        "label",
        ("Ctrl+L",),
        needs=_D,
        separator_before=True,
        tip="Give every other exact match of the selected span's text the same label",
    ),
    ActionSpec(
        "label.all_in_project",
        "Label All Occurrences in &Project…",
        "label",
        ("Ctrl+Shift+L",),
        needs=_D,
        tip="Search every document, preview the matches and label the ones you keep",
    ),
    ActionSpec(
        "label.delete",
        "&Delete Span",
        "label",
        ("Del", "Backspace"),
        _T,
        _D,
        separator_before=True,
    ),
    ActionSpec("label.edit_schema", "Edit &Schema…", "label", ("Ctrl+Shift+E",), needs=_P),
    # Relations and entities (controllers/relations.py, controllers/entities.py)
    ActionSpec(
        "relation.start",
        "Add &Relation from Span…",
        "label",
        ("R",),
        _T,
        _D,
        separator_before=True,
        tip="Link the selected span: Tab/Shift+Tab pick the other span, Enter, then the type "
        "(or Ctrl+drag from span to span)",
    ),
    ActionSpec(
        "entity.group",
        "&Group Span into Entity…",
        "label",
        ("G",),
        _T,
        _D,
        tip="Add the selected span to an entity, or start a new entity with it",
    ),
    ActionSpec("nav.next_span", "Next &Span", "navigate", ("Tab",), _T, _D),
    ActionSpec("nav.previous_span", "Pre&vious Span", "navigate", ("Shift+Tab",), _T, _D),
    ActionSpec("nav.clear", "&Clear Selection", "navigate", ("Esc",), _T, _D),
    ActionSpec(
        "nav.next_document",
        "&Next Document",
        "navigate",
        ("Ctrl+PgDown", "Alt+Down"),
        needs=_P,
        separator_before=True,
    ),
    ActionSpec(
        "nav.previous_document",
        "&Previous Document",
        "navigate",
        ("Ctrl+PgUp", "Alt+Up"),
        needs=_P,
    ),
    ActionSpec("nav.documents", "Go to Document &List", "navigate", ("Ctrl+D",), needs=_P),
    ActionSpec("nav.text", "Go to &Text", "navigate", ("Ctrl+E",), needs=_D),
    ActionSpec(
        "doc.mark_done",
        "Mark &Done and Next",
        "document",
        ("Ctrl+Return", "Ctrl+Enter"),
        needs=_D,
        tip="Mark this document done and open the next one not done",
    ),
    ActionSpec("doc.reopen", "&Reopen Document", "document", ("Ctrl+Shift+Return",), needs=_D),
    ActionSpec(
        "project.agreement",
        "&Agreement…",
        "project",
        ("Ctrl+Shift+G",),
        needs=_P,
        tip="Inter-annotator agreement: matrices, per label, confusion, disagreements",
    ),
    ActionSpec(
        "project.overview",
        "&Overview…",
        "project",
        ("Ctrl+Shift+O",),
        needs=_P,
        tip="Progress per annotator, label counts and annotation pace",
    ),
    ActionSpec(
        "project.assign",
        "A&ssign Documents…",
        "project",
        ("Ctrl+Alt+A",),
        needs=_P,
        tip="Give documents to annotators (named, or N per document); as 'spanlab assign'",
    ),
    ActionSpec(
        "project.curate",
        "&Curate Document…",
        "project",
        ("Ctrl+Shift+C",),
        needs=_D,
        tip="Adjudicate the annotators' versions of this document into gold (curators)",
    ),
    ActionSpec(
        "view.show_tags",
        "Show Label &Tags",
        "view",
        ("Ctrl+T",),
        checkable=True,
        tip="Paint label names above spans (otherwise hover a span to see its label)",
    ),
    ActionSpec(
        "view.arcs",
        "Cycle Relation &Arcs (All, Selected Span, None)",
        "view",
        ("Ctrl+Shift+R",),
        tip="Draw every relation arc, only the selected span's, or none",
    ),
    ActionSpec("view.zoom_in", "Zoom &In", "view", ("Ctrl++", "Ctrl+=")),
    ActionSpec("view.zoom_out", "Zoom &Out", "view", ("Ctrl+-",)),
    ActionSpec("help.about", "&About SpanLab", "help"),
)

SPECS: dict[str, ActionSpec] = {spec.id: spec for spec in ACTIONS}

LABEL_ACTION_PREFIX = "label.apply."


def portable(sequences: Iterable[str]) -> list[QKeySequence]:
    """Key sequences from portable text ("Ctrl+Shift+Z")."""
    return [QKeySequence(s, QKeySequence.SequenceFormat.PortableText) for s in sequences if s]


class ActionRegistry(QObject):
    """The ``QAction`` for every spec, menus, shortcuts and enablement."""

    def __init__(self, parent: QWidget, overrides: Mapping[str, Sequence[str]] | None = None):
        """Create every action (unbound) with its shortcuts (``overrides`` win)."""
        super().__init__(parent)
        self._parent = parent
        self._actions: dict[str, QAction] = {}
        self._text_widgets: list[QWidget] = []
        self._label_actions: list[QAction] = []
        self._label_group = QActionGroup(self)
        self._label_group.setExclusive(False)
        self._label_anchor: QAction | None = None
        for spec in ACTIONS:
            action = QAction(spec.text, parent)
            action.setObjectName(spec.id)
            action.setCheckable(spec.checkable)
            if spec.tip:
                action.setStatusTip(spec.tip)
                action.setToolTip(spec.tip)
            if spec.scope is Scope.TEXT:
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            else:
                parent.addAction(action)
            self._actions[spec.id] = action
        self.apply_shortcuts(overrides or {})

    # ------------------------------------------------------------------ access
    def action(self, action_id: str) -> QAction:
        """The action with this id (label actions: ``label.apply.NAME``)."""
        if action_id in self._actions:
            return self._actions[action_id]
        for action in self._label_actions:
            if action.objectName() == action_id:
                return action
        raise KeyError(action_id)

    def specs(self) -> tuple[ActionSpec, ...]:
        """The declared (remappable) actions."""
        return ACTIONS

    def label_actions(self) -> list[QAction]:
        """One action per schema label, in schema order."""
        return list(self._label_actions)

    def bind(self, handlers: Mapping[str, Callable[[], object]]) -> None:
        """Connect each action id to a handler taking no arguments."""
        for action_id, handler in handlers.items():
            self._actions[action_id].triggered.connect(lambda _checked=False, h=handler: h())

    # ------------------------------------------------------------------ shortcuts
    def apply_shortcuts(self, overrides: Mapping[str, Sequence[str]]) -> None:
        """Use the default shortcuts, replaced by ``overrides`` where given."""
        for spec in ACTIONS:
            sequences = overrides.get(spec.id, spec.shortcuts)
            self._actions[spec.id].setShortcuts(portable(sequences))

    def current_shortcuts(self) -> dict[str, list[str]]:
        """Shortcuts in use, as portable text, by action id."""
        return {
            spec.id: [
                s.toString(QKeySequence.SequenceFormat.PortableText)
                for s in self._actions[spec.id].shortcuts()
            ]
            for spec in ACTIONS
        }

    def reserved_keys(self) -> dict[str, str]:
        """Label hotkeys (portable text) and the label they belong to."""
        return {
            a.shortcut().toString(QKeySequence.SequenceFormat.PortableText): a.text()
            for a in self._label_actions
            if not a.shortcut().isEmpty()
        }

    # ------------------------------------------------------------------ widgets and menus
    def attach_text_widgets(self, widgets: Sequence[QWidget]) -> None:
        """Make text-scope shortcuts (Tab, Delete, Esc, label keys) work in ``widgets``."""
        self._text_widgets = list(widgets)
        text_actions = [self._actions[s.id] for s in ACTIONS if s.scope is Scope.TEXT]
        for widget in widgets:
            widget.addActions(text_actions)
            widget.addActions(self._label_actions)

    def build_menus(self, menubar: QMenuBar) -> dict[str, QMenu]:
        """Fill ``menubar`` from the table; return the menus by key."""
        menus: dict[str, QMenu] = {}
        for key, title in MENUS:
            menu = menubar.addMenu(title)
            menu.setObjectName(f"menu.{key}")
            menus[key] = menu
        for spec in ACTIONS:
            menu = menus[spec.menu]
            if spec.id == "label.all_in_document":
                self._label_anchor = menu.addSeparator()
            elif spec.separator_before and not menu.isEmpty():
                menu.addSeparator()
            menu.addAction(self._actions[spec.id])
        return menus

    def set_labels(
        self, labels: Sequence[LabelSpec], handler: Callable[[str], None], menu: QMenu
    ) -> None:
        """Replace the label actions (hotkeys from the schema) in ``menu``."""
        for action in self._label_actions:
            menu.removeAction(action)
            for widget in self._text_widgets:
                widget.removeAction(action)
            self._label_group.removeAction(action)
            action.deleteLater()
        self._label_actions = []
        for label in labels:
            action = QAction(label.name, self._parent)
            action.setObjectName(LABEL_ACTION_PREFIX + label.name)
            action.setStatusTip(label.description or f"Label the selection as {label.name}")
            if label.hotkey:
                action.setShortcut(QKeySequence(label.hotkey.upper()))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(lambda _checked=False, name=label.name: handler(name))
            self._label_group.addAction(action)
            self._label_actions.append(action)
        if self._label_anchor is not None:
            menu.insertActions(self._label_anchor, self._label_actions)
        else:
            menu.addActions(self._label_actions)
        for widget in self._text_widgets:
            widget.addActions(self._label_actions)

    # ------------------------------------------------------------------ enablement
    def update_enabled(self, *, project: bool, document: bool) -> None:
        """Enable actions whose needs are met."""
        for spec in ACTIONS:
            if spec.id in ("edit.undo", "edit.redo"):
                continue
            ok = (
                spec.needs is Needs.NOTHING
                or (spec.needs is Needs.PROJECT and project)
                or (spec.needs is Needs.DOCUMENT and document)
            )
            self._actions[spec.id].setEnabled(ok)
        for action in self._label_actions:
            action.setEnabled(document)
