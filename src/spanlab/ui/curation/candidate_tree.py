"""The candidate list: every annotator's spans, relations, attributes and entity groups.

Candidates are grouped by position: a group is a cluster of overlapping, competing span
candidates (or one span candidate), with the relations, attributes and entity groups
that start at its spans listed under it. Each row is coloured by its status and says
who made it and what gold decided. Rows are keyed by :data:`ItemKey`, which stays the
same while the annotators' layers do, so the selection survives refreshes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from spanlab.core.curation import (
    AttributeCandidate,
    CandidateKind,
    CurationItem,
    CurationView,
    Decision,
    EntityCandidate,
    RelationCandidate,
    SpanCandidate,
    SpanKey,
    item_order,
)
from spanlab.core.model import Span
from spanlab.ui.curation.colours import (
    ATTRIBUTE_COLOUR,
    DECISION_COLOUR,
    DECISION_TEXT,
    GOLD_ONLY_COLOUR,
    RESOLVED_TEXT,
    STATUS_COLOUR,
)

ItemKey = tuple[str, int]
"""(candidate kind, candidate index), or ("gold", span id) for a gold-only span."""
GOLD_ONLY = "gold"
KEY_ROLE = Qt.ItemDataRole.UserRole + 1
SNIPPET = 40
"""Quoted text longer than this is shortened in the list."""


def item_key(item: CurationItem) -> ItemKey:
    """The key of a candidate."""
    return (item.kind.value, item.index)


def identity(item: CurationItem) -> tuple[object, ...]:
    """What a candidate is, independent of its index (indices shift when an annotator's
    layer changes; this does not)."""
    if isinstance(item, SpanCandidate):
        return (item.kind.value, item.key)
    if isinstance(item, RelationCandidate):
        return (item.kind.value, item.label, item.head_key, item.tail_key)
    if isinstance(item, EntityCandidate):
        return (item.kind.value, item.member_keys)
    return (item.kind.value, item.owner_kind.value, item.position, item.name)


def quote(text: str) -> str:
    """Text in quotes, shortened in the middle when long, on one line."""
    flat = " ".join(text.split())
    if len(flat) > SNIPPET:
        flat = flat[: SNIPPET // 2 - 1] + "…" + flat[-(SNIPPET // 2 - 1) :]
    return f"“{flat}”"


def describe(item: CurationItem | Span, text: str) -> str:
    """One line saying what a candidate (or a gold-only span) is."""
    if isinstance(item, Span):
        return f"{item.label} {quote(item.text)}"
    if isinstance(item, SpanCandidate):
        return f"{item.label} {quote(item.text)}"
    if isinstance(item, RelationCandidate):
        arrow = "↔" if item.symmetric else "→"
        head = quote(_cut(text, item.head_key))
        tail = quote(_cut(text, item.tail_key))
        return f"{item.label}: {head} {arrow} {tail}"
    if isinstance(item, EntityCandidate):
        names = sorted({" ".join(n.split()) for n in item.names.values()})
        mentions = ", ".join(quote(_cut(text, key)) for key in item.member_keys)
        return f"entity {' / '.join(names)}: {mentions}"
    values = " · ".join(f"{_value(value)} ({', '.join(names)})" for value, names in item.options)
    return f"{item.owner_kind.value} attribute {item.name}: {values}"


def _cut(text: str, key: SpanKey) -> str:
    return text[key.start : key.end]


def _value(value: Any) -> str:
    return "not set" if value is None else str(value)


def holders(item: CurationItem) -> tuple[str, ...]:
    """Who made a candidate (for an attribute: everyone who holds its owner)."""
    if isinstance(item, AttributeCandidate):
        return tuple(item.values)
    return item.holders


def status_text(item: CurationItem) -> str:
    """The status column: "all agree", "conflicting label", "values differ"."""
    if isinstance(item, AttributeCandidate):
        return "values differ"
    return item.status.display_name


def status_colour(item: CurationItem) -> QColor:
    """The colour of a candidate's status."""
    if isinstance(item, AttributeCandidate):
        return ATTRIBUTE_COLOUR
    return STATUS_COLOUR[item.status]


def swatch(colour: QColor) -> QPixmap:
    """A small rounded square in a status colour (the row's icon)."""
    pixmap = QPixmap(12, 12)
    pixmap.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(colour.darker(140))
    painter.setBrush(colour)
    painter.drawRoundedRect(0, 0, 11, 11, 3, 3)
    painter.end()
    return pixmap


class CandidateTree(QTreeWidget):
    """Groups of candidates in text order; selecting a row reports its key.

    Signals:
        current_changed(object): the :data:`ItemKey` of the current row, or None.
    """

    current_changed = Signal(object)
    COLUMNS = ("Candidate", "Annotators", "Status", "Gold")

    def __init__(self, parent: QWidget | None = None) -> None:
        """An empty list."""
        super().__init__(parent)
        self.setObjectName("curationCandidates")
        self.setColumnCount(len(self.COLUMNS))
        self.setHeaderLabels(list(self.COLUMNS))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(False)
        self.setRootIsDecorated(True)
        self.setExpandsOnDoubleClick(False)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self._rows: dict[ItemKey, QTreeWidgetItem] = {}
        self._filling = False
        self.currentItemChanged.connect(self._on_current)

    # ------------------------------------------------------------------ filling
    def fill(
        self,
        view: CurationView,
        text: str,
        passed: frozenset[ItemKey] = frozenset(),
        current: ItemKey | None = None,
    ) -> None:
        """Show ``view``'s candidates and make ``current`` (default: the current key)
        the current row when it still exists.

        ``passed`` are open candidates the curator rejected (kept out of gold).
        """
        current = current if current is not None else self.current_key()
        self._filling = True
        try:
            self.clear()
            self._rows = {}
            for anchor, members in _groups(view):
                group = self._group_item(anchor, members, text, passed)
                for member in members:
                    self._add_row(group, member, text, item_key(member) in passed)
                group.setExpanded(True)
            if view.gold_only_spans:
                group = QTreeWidgetItem(self, ["Gold only (your own edits)"])
                _bold(group)
                for span in view.gold_only_spans:
                    row = QTreeWidgetItem(group, [describe(span, text), "gold", "gold only", ""])
                    row.setData(0, KEY_ROLE, (GOLD_ONLY, int(span.id)))
                    row.setIcon(0, swatch(GOLD_ONLY_COLOUR))
                    row.setBackground(2, QBrush(GOLD_ONLY_COLOUR))
                    self._rows[(GOLD_ONLY, int(span.id))] = row
                group.setExpanded(True)
        finally:
            self._filling = False
        if current is not None and current in self._rows:
            self.setCurrentItem(self._rows[current])
        elif current is not None:
            self.current_changed.emit(None)

    def _group_item(
        self,
        anchor: SpanCandidate,
        members: list[CurationItem],
        text: str,
        passed: frozenset[ItemKey],
    ) -> QTreeWidgetItem:
        spans = [m for m in members if isinstance(m, SpanCandidate)]
        start = min(s.start for s in spans)
        end = max(s.end for s in spans)
        open_count = sum(1 for m in members if m.unresolved and item_key(m) not in passed)
        state = f"{open_count} open" if open_count else "decided"
        group = QTreeWidgetItem(self, [quote(text[start:end]), "", state, ""])
        group.setToolTip(0, f"characters {start}–{end}")
        _bold(group)
        conflict = next((s for s in spans if s.status.is_conflict), anchor)
        group.setIcon(0, swatch(STATUS_COLOUR[conflict.status]))
        return group

    def _add_row(self, group: QTreeWidgetItem, item: CurationItem, text: str, passed: bool) -> None:
        decision = item.decision
        shown = DECISION_TEXT[decision]
        if decision is Decision.OPEN and not item.unresolved:
            shown = "left out"
        elif decision is Decision.OPEN and passed:
            shown = "✗ passed"
        row = QTreeWidgetItem(
            group, [describe(item, text), ", ".join(holders(item)), status_text(item), shown]
        )
        key = item_key(item)
        row.setData(0, KEY_ROLE, key)
        colour = status_colour(item)
        row.setIcon(0, swatch(colour))
        row.setBackground(2, QBrush(colour))
        row.setForeground(3, QBrush(DECISION_COLOUR[decision]))
        if not item.unresolved or passed:
            for column in (0, 1):
                row.setForeground(column, QBrush(RESOLVED_TEXT))
        if decision is Decision.REJECTED:
            font = QFont(row.font(0))
            font.setStrikeOut(True)
            row.setFont(0, font)
        row.setToolTip(0, describe(item, text))
        self._rows[key] = row

    # ------------------------------------------------------------------ selection
    def current_key(self) -> ItemKey | None:
        """Key of the current row (None for a group header or nothing)."""
        item = self.currentItem()
        if item is None:
            return None
        key = item.data(0, KEY_ROLE)
        return (str(key[0]), int(key[1])) if key else None

    def select_key(self, key: ItemKey) -> bool:
        """Make the row of ``key`` current and visible; False when it is not listed."""
        row = self._rows.get(key)
        if row is None:
            return False
        self.setCurrentItem(row)
        self.scrollToItem(row)
        return True

    def keys(self) -> list[ItemKey]:
        """Every listed row key, top to bottom."""
        return list(self._rows)

    def row_text(self, key: ItemKey, column: int) -> str:
        """The text of one cell (for tests and the status line)."""
        row = self._rows.get(key)
        return row.text(column) if row is not None else ""

    def _on_current(self, current: QTreeWidgetItem | None, _previous: object) -> None:
        if self._filling:
            return
        key = current.data(0, KEY_ROLE) if current is not None else None
        self.current_changed.emit((str(key[0]), int(key[1])) if key else None)


def _bold(item: QTreeWidgetItem) -> None:
    font = QFont(item.font(0))
    font.setBold(True)
    item.setFont(0, font)


def _groups(view: CurationView) -> Iterator[tuple[SpanCandidate, list[CurationItem]]]:
    """Span conflict groups in text order, each with everything anchored at its spans."""
    spans = view.spans
    if not spans:
        return
    relation_anchor = {
        r.index: spans[min((r.head, r.tail), key=lambda i: spans[i].key)].group
        for r in view.relations
    }
    members: dict[int, list[CurationItem]] = {}
    for item in view.items():
        if isinstance(item, SpanCandidate):
            group = item.group
        elif isinstance(item, RelationCandidate):
            group = relation_anchor[item.index]
        elif isinstance(item, EntityCandidate):
            group = spans[min(item.members, key=lambda i: spans[i].key)].group
        elif item.owner_kind is CandidateKind.SPAN:
            group = spans[item.owner].group
        else:
            group = relation_anchor[item.owner]
        members.setdefault(group, []).append(item)
    for group in sorted(members, key=lambda g: spans[g].key):
        yield spans[group], sorted(members[group], key=item_order)
