"""The main window: assembles the article view, docks, menus and status bar (no logic)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QMenu,
    QVBoxLayout,
    QWidget,
)

from spanlab.ui.actions import ActionRegistry
from spanlab.ui.models.annotation_model import AnnotationModel
from spanlab.ui.models.document_list_model import DocumentListModel
from spanlab.ui.models.entity_model import EntityModel
from spanlab.ui.models.label_model import LabelModel
from spanlab.ui.models.relation_model import RelationModel
from spanlab.ui.views.annotation_table import AnnotationTable
from spanlab.ui.views.document_view import DocumentView
from spanlab.ui.widgets.attribute_panel import AttributePanel
from spanlab.ui.widgets.document_panel import DocumentPanel
from spanlab.ui.widgets.entity_panel import EntityPanel
from spanlab.ui.widgets.find_bar import FindBar
from spanlab.ui.widgets.label_palette import LabelPalette
from spanlab.ui.widgets.relations_panel import RelationsPanel
from spanlab.ui.widgets.status_bar import StatusBar

WELCOME = (
    "<h2>SpanLab</h2><p>Open a project with <b>File › Open Project…</b> (Ctrl+O) "
    "or create one with <b>File › New Project…</b> (Ctrl+N).</p>"
)


class MainWindow(QMainWindow):
    """Docks: documents (left), labels and annotations (right); the article in the middle.

    Signals:
        files_dropped(list): local paths dropped on the window.
        closing(): the window is about to close (save its layout).
    """

    files_dropped = Signal(list)
    closing = Signal()

    def __init__(
        self,
        *,
        documents: DocumentListModel,
        labels: LabelModel,
        annotations: AnnotationModel,
        relations: RelationModel,
        entities: EntityModel,
    ) -> None:
        """Build every widget over the given models."""
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle("SpanLab")
        self.setAcceptDrops(True)
        self.document_view = DocumentView(self)
        self.find_bar = FindBar(self)
        self.header = QLabel(WELCOME, self)
        self.header.setObjectName("documentHeader")
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setContentsMargins(8, 6, 8, 6)
        self.document_panel = DocumentPanel(documents, self)
        self.label_palette = LabelPalette(labels, self)
        self.annotations = AnnotationTable(annotations, self)
        self.status = StatusBar(self)
        self.setStatusBar(self.status)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.document_view, 1)
        layout.addWidget(self.find_bar)
        self.setCentralWidget(central)
        self.documents_dock = self._dock(
            "Documents", "documentsDock", self.document_panel, Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.labels_dock = self._dock(
            "Labels", "labelsDock", self.label_palette, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.annotations_dock = self._dock(
            "Annotations",
            "annotationsDock",
            self.annotations,
            Qt.DockWidgetArea.RightDockWidgetArea,
        )
        self.resizeDocks([self.documents_dock], [340], Qt.Orientation.Horizontal)
        self.resizeDocks([self.labels_dock], [300], Qt.Orientation.Horizontal)
        self.resizeDocks(
            [self.labels_dock, self.annotations_dock], [240, 600], Qt.Orientation.Vertical
        )
        # Relations and entities tab with the annotations; attributes below them.
        self.relations_panel = RelationsPanel(relations, self)
        self.attribute_panel = AttributePanel(self)
        self.entity_panel = EntityPanel(entities, self)
        right = Qt.DockWidgetArea.RightDockWidgetArea
        self.relations_dock = self._dock("Relations", "relationsDock", self.relations_panel, right)
        self.entities_dock = self._dock("Entities", "entitiesDock", self.entity_panel, right)
        self.attributes_dock = self._dock(
            "Attributes", "attributesDock", self.attribute_panel, right
        )
        self.tabifyDockWidget(self.annotations_dock, self.relations_dock)
        self.tabifyDockWidget(self.relations_dock, self.entities_dock)
        self.annotations_dock.raise_()
        self.resizeDocks([self.attributes_dock], [200], Qt.Orientation.Vertical)
        self.menus: dict[str, QMenu] = {}
        self.recent_menu = QMenu("Open &Recent", self)
        self.recent_menu.setObjectName("menu.recent")

    def _dock(self, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        self.addDockWidget(area, dock)
        return dock

    def install_actions(self, registry: ActionRegistry) -> None:
        """Menus from the action table, the recent-projects menu and dock toggles."""
        self.menus = registry.build_menus(self.menuBar())
        file_menu = self.menus["file"]
        file_menu.insertMenu(registry.action("file.import"), self.recent_menu)
        view_menu = self.menus["view"]
        view_menu.addSeparator()
        for dock in (
            self.documents_dock,
            self.labels_dock,
            self.annotations_dock,
            self.relations_dock,
            self.attributes_dock,
            self.entities_dock,
        ):
            view_menu.addAction(dock.toggleViewAction())
        registry.attach_text_widgets([self.document_view, self.annotations])
        self.document_view.customContextMenuRequested.connect(self._show_label_menu)

    def _show_label_menu(self, pos: QPoint) -> None:
        menu = self.menus.get("label")
        if menu is not None:
            menu.exec(self.document_view.viewport().mapToGlobal(pos))

    def set_recent_projects(self, actions: list[QAction]) -> None:
        """Replace the entries of File › Open Recent."""
        self.recent_menu.clear()
        for action in actions:
            self.recent_menu.addAction(action)
        self.recent_menu.setEnabled(bool(actions))

    def set_header(self, html: str) -> None:
        """The line above the article (title and status, or the welcome text)."""
        self.header.setText(html or WELCOME)

    # ------------------------------------------------------------------ events
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        """Accept local files and folders."""
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        """Hand dropped paths to whoever imports or opens them."""
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.files_dropped.emit(paths)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Let the controllers save the layout; nothing else needs saving."""
        self.closing.emit()
        super().closeEvent(event)
