"""Project › Assign Documents: the lead picks documents and annotators (or N per document).

The dialog only collects the choice; the controller hands it to the same core
functions as ``spanlab assign`` (``assign`` / ``assign_round_robin``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from spanlab.core.model import DocumentId, DocumentSummary

ID_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True, slots=True)
class AssignRequest:
    """Which documents to whom: every one to every annotator, or ``per_document`` each."""

    documents: tuple[int, ...]
    annotators: tuple[str, ...]
    per_document: int | None = None


class AssignDialog(QDialog):
    """Two checklists (documents, people), a mode and OK once the choice makes sense."""

    def __init__(
        self,
        documents: Sequence[DocumentSummary],
        people: Sequence[str],
        assigned: Mapping[DocumentId, Sequence[str]],
        selected: Sequence[int] = (),
        parent: QWidget | None = None,
    ) -> None:
        """``selected`` documents start checked (else the unassigned ones)."""
        super().__init__(parent)
        self.setObjectName("assignDialog")
        self.setWindowTitle("Assign Documents")
        self.resize(720, 520)
        self._assigned = {int(d): tuple(names) for d, names in assigned.items()}
        self.documents = QListWidget(self)
        self.documents.setObjectName("assignDocuments")
        start = set(selected) or {d.id for d in documents if not self._assigned.get(int(d.id))}
        for doc in documents:
            who = self._assigned.get(int(doc.id), ())
            item = QListWidgetItem(
                f"{doc.title}   (assigned: {', '.join(who)})" if who else doc.title
            )
            item.setData(ID_ROLE, int(doc.id))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if doc.id in start else Qt.CheckState.Unchecked
            )
            self.documents.addItem(item)
        self.people = QListWidget(self)
        self.people.setObjectName("assignPeople")
        for name in people:
            self._add_person(name, checked=False)
        self.new_person = QLineEdit(self)
        self.new_person.setObjectName("assignNewPerson")
        self.new_person.setPlaceholderText("Add someone by name")
        self.new_person.installEventFilter(self)
        add = QPushButton("&Add", self)
        add.clicked.connect(self._on_add_person)
        self.every = QRadioButton("Every checked document to &every checked annotator", self)
        self.every.setObjectName("assignEvery")
        self.spread = QRadioButton("&Spread: each document to", self)
        self.spread.setObjectName("assignSpread")
        self.per_document = QSpinBox(self)
        self.per_document.setObjectName("assignPerDocument")
        self.per_document.setRange(1, 99)
        self.per_document.setValue(2)
        self.per_document.setSuffix(" of the checked annotators")
        mode = QButtonGroup(self)
        mode.addButton(self.every)
        mode.addButton(self.spread)
        self.every.setChecked(True)
        self.problem = QLabel("", self)
        self.problem.setObjectName("assignProblem")
        self.problem.setStyleSheet("color: #B91C1C;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Assign")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._layout(add)
        for widget in (self.documents, self.people):
            widget.itemChanged.connect(self._update)
        for button in (self.every, self.spread):
            button.toggled.connect(self._update)
        self.per_document.valueChanged.connect(self._update)
        self._update()

    def _layout(self, add: QPushButton) -> None:
        all_docs = QPushButton("All", self)
        all_docs.setObjectName("assignAllDocuments")
        all_docs.clicked.connect(lambda: self._check_documents(lambda _id: True))
        no_docs = QPushButton("None", self)
        no_docs.clicked.connect(lambda: self._check_documents(lambda _id: False))
        unassigned = QPushButton("Unassigned", self)
        unassigned.clicked.connect(
            lambda: self._check_documents(lambda d: not self._assigned.get(d, ()))
        )
        doc_box = QGroupBox("Documents", self)
        doc_layout = QVBoxLayout(doc_box)
        doc_layout.addWidget(self.documents, 1)
        doc_buttons = QHBoxLayout()
        for button in (all_docs, no_docs, unassigned):
            doc_buttons.addWidget(button)
        doc_buttons.addStretch(1)
        doc_layout.addLayout(doc_buttons)
        people_box = QGroupBox("Annotators", self)
        people_layout = QVBoxLayout(people_box)
        people_layout.addWidget(self.people, 1)
        adding = QHBoxLayout()
        adding.addWidget(self.new_person, 1)
        adding.addWidget(add)
        people_layout.addLayout(adding)
        spread = QHBoxLayout()
        spread.addWidget(self.spread)
        spread.addWidget(self.per_document)
        spread.addStretch(1)
        grid = QGridLayout(self)
        grid.addWidget(doc_box, 0, 0)
        grid.addWidget(people_box, 0, 1)
        grid.addWidget(self.every, 1, 0, 1, 2)
        grid.addLayout(spread, 2, 0, 1, 2)
        grid.addWidget(self.problem, 3, 0, 1, 2)
        grid.addWidget(self.buttons, 4, 0, 1, 2)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)

    # ------------------------------------------------------------------ editing
    def _add_person(self, name: str, *, checked: bool) -> None:
        item = QListWidgetItem(name)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.people.addItem(item)

    def _on_add_person(self) -> None:
        name = self.new_person.text().strip()
        if not name:
            return
        existing = self.people.findItems(name, Qt.MatchFlag.MatchExactly)
        if existing:
            existing[0].setCheckState(Qt.CheckState.Checked)
        else:
            self._add_person(name, checked=True)
        self.new_person.clear()
        self._update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter in the name field adds the person instead of closing the dialog."""
        if (
            watched is self.new_person
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self._on_add_person()
            return True
        return super().eventFilter(watched, event)

    def _check_documents(self, keep: Callable[[int], bool]) -> None:
        for row in range(self.documents.count()):
            item = self.documents.item(row)
            wanted = bool(keep(int(item.data(ID_ROLE))))
            item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)

    def set_people_checked(self, names: Sequence[str]) -> None:
        """Check exactly these annotators (others unchecked)."""
        for row in range(self.people.count()):
            item = self.people.item(row)
            checked = item.text() in names
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    # ------------------------------------------------------------------ result
    def checked_documents(self) -> tuple[int, ...]:
        """Ids of the checked documents, in list order."""
        items = (self.documents.item(r) for r in range(self.documents.count()))
        return tuple(int(i.data(ID_ROLE)) for i in items if i.checkState() == Qt.CheckState.Checked)

    def checked_people(self) -> tuple[str, ...]:
        """Names of the checked annotators, in list order."""
        items = (self.people.item(r) for r in range(self.people.count()))
        return tuple(i.text() for i in items if i.checkState() == Qt.CheckState.Checked)

    def problem_text(self) -> str:
        """Why the choice cannot be assigned yet ("" when it can)."""
        people = self.checked_people()
        if not self.checked_documents():
            return "Check at least one document."
        if not people:
            return "Check at least one annotator (or add someone)."
        if self.spread.isChecked() and self.per_document.value() > len(people):
            return (
                f"{self.per_document.value()} per document needs at least that many checked "
                f"annotators ({len(people)} checked)."
            )
        return ""

    def _update(self) -> None:
        self.per_document.setEnabled(self.spread.isChecked())
        problem = self.problem_text()
        self.problem.setText(problem)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)

    def request(self) -> AssignRequest | None:
        """The choice (None while it cannot be assigned)."""
        if self.problem_text():
            return None
        per_document = self.per_document.value() if self.spread.isChecked() else None
        return AssignRequest(self.checked_documents(), self.checked_people(), per_document)


__all__ = ["AssignDialog", "AssignRequest"]
