"""Composition root: builds the application, session, models, window, actions and controllers.

Nothing else creates services: settings, prompts and the session are made (or
injected) here and handed down, so tests can build the whole window against an INI
file in a temporary folder and scripted prompts.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QSettings
from PySide6.QtWidgets import QApplication, QWidget

from spanlab.core.errors import SpanLabError
from spanlab.ui import paths
from spanlab.ui.about import about_info, app_icon, show_about
from spanlab.ui.actions import ActionRegistry
from spanlab.ui.controllers.annotation_tools import AnnotationTools, build_annotation_tools
from spanlab.ui.controllers.documents import DocumentController
from spanlab.ui.controllers.find import FindController
from spanlab.ui.controllers.labelling import LabellingController
from spanlab.ui.controllers.project import ProjectController
from spanlab.ui.crash import CrashReporter, crash_message
from spanlab.ui.curation.opening import open_curation
from spanlab.ui.dashboard.windows import open_agreement_dashboard, open_project_overview
from spanlab.ui.dialogs.export_dialog import open_export_dialog
from spanlab.ui.dialogs.import_annotations_dialog import open_import_annotations_dialog
from spanlab.ui.live_refresh import LiveRefresh
from spanlab.ui.logging_setup import install_logging, uninstall_logging
from spanlab.ui.main_window import MainWindow
from spanlab.ui.models.annotation_model import AnnotationModel
from spanlab.ui.models.document_list_model import DocumentListModel
from spanlab.ui.models.entity_model import EntityModel
from spanlab.ui.models.label_model import LabelModel
from spanlab.ui.models.relation_model import RelationModel
from spanlab.ui.open_document import OpenDocument
from spanlab.ui.prompts import Prompts
from spanlab.ui.session import ProjectSession
from spanlab.ui.settings import AppSettings, migrate_settings

ZOOM_STEP = 1.0
MIN_TEXT_SIZE, MAX_TEXT_SIZE = 7.0, 28.0


@dataclass
class SpanLabApp:
    """The assembled application (tests drive ``window``; the rest is for inspection)."""

    qapp: QApplication
    window: MainWindow
    session: ProjectSession
    settings: AppSettings
    document: OpenDocument
    actions: ActionRegistry
    projects: ProjectController
    documents: DocumentController
    labelling: LabellingController
    find: FindController
    prompts: Prompts
    tools: AnnotationTools
    """Relations, attributes and entities."""
    log_dir: Path | None = None
    crash_reporter: CrashReporter | None = None
    live: LiveRefresh | None = None
    """Polls for other people's changes while a project is open."""

    def start(self, project: str | None = None) -> None:
        """Ask for the annotator if needed and open ``project`` (or the last one)."""
        self.projects.startup(project)


def _application(argv: Sequence[str]) -> QApplication:
    existing = QCoreApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(list(argv))
    app.setApplicationName("SpanLab")
    app.setOrganizationName("SpanLab")
    return app


def create_app(
    argv: Sequence[str] = (),
    *,
    settings: QSettings | None = None,
    prompts: Prompts | None = None,
    log_dir: Path | None = None,
    crash_reports: bool | None = None,
) -> SpanLabApp:
    """Build everything; nothing is shown and no project is opened yet.

    Logs go to ``log_dir``; by default to the platform's log folder, but only with the
    real settings (injected settings mean a test: no log unless ``log_dir`` is given).
    The crash hook is installed with the real settings unless ``crash_reports`` says.
    """
    qapp = _application(argv)
    store = settings if settings is not None else QSettings("SpanLab", "SpanLab")
    migrate_settings(store)
    app_settings = AppSettings(store)
    if log_dir is None and settings is None:
        log_dir = paths.log_dir()
    if log_dir is not None:
        try:
            install_logging(log_dir)
        except OSError as exc:  # an unwritable folder must not stop the app
            print(f"spanlab: cannot write logs to {log_dir}: {exc}", file=sys.stderr)
    prompts = prompts or Prompts()
    session = ProjectSession()
    document = OpenDocument(session)
    documents = DocumentListModel(session)
    labels = LabelModel(session)
    annotations = AnnotationModel(session, document)
    relations = RelationModel(session, document)
    entities = EntityModel(session, document)
    window = MainWindow(
        documents=documents,
        labels=labels,
        annotations=annotations,
        relations=relations,
        entities=entities,
    )
    qapp.setWindowIcon(app_icon())
    window.setWindowIcon(qapp.windowIcon())
    session.setParent(window)
    document.setParent(window)
    for model in (documents, labels, annotations, relations, entities):
        model.setParent(window)
    actions = ActionRegistry(window, app_settings.shortcut_overrides())
    window.install_actions(actions)
    doc_controller = DocumentController(
        session=session,
        document=document,
        documents=documents,
        window=window,
        settings=app_settings,
        prompts=prompts,
    )
    labelling = LabellingController(
        session=session,
        document=document,
        view=window.document_view,
        table=window.annotations,
        status=window.status,
        prompts=prompts,
        window=window,
    )
    find = FindController(document=document, view=window.document_view, bar=window.find_bar)
    projects = ProjectController(
        session=session, window=window, settings=app_settings, prompts=prompts, actions=actions
    )
    app = SpanLabApp(
        qapp=qapp,
        window=window,
        session=session,
        settings=app_settings,
        document=document,
        actions=actions,
        projects=projects,
        documents=doc_controller,
        labelling=labelling,
        find=find,
        prompts=prompts,
        tools=build_annotation_tools(
            session=session, document=document, window=window, settings=app_settings
        ),
        log_dir=log_dir,
        live=LiveRefresh(session, documents, window),
    )
    if log_dir is not None and (crash_reports if crash_reports is not None else settings is None):
        app.crash_reporter = _crash_reporter(app, log_dir)
        app.crash_reporter.install()
    _bind(app)
    return app


def _crash_reporter(app: SpanLabApp, log_dir: Path) -> CrashReporter:
    """Crash reports go next to the log; the user is told through the prompts."""

    def notify(report: Path) -> None:
        parent: QWidget | None = app.window if app.window.isVisible() else None
        app.prompts.error(parent, "SpanLab hit an unexpected error", crash_message(report))

    def project() -> str | None:
        current = app.session.project
        return current.url if current is not None else None

    return CrashReporter(log_dir, notify=notify, project=project)


def _about(app: SpanLabApp) -> None:
    """Help › About: version, licence and where settings, logs and projects are."""
    log_dir = app.log_dir if app.log_dir is not None else paths.log_dir()
    show_about(app.window, about_info(app.settings, log_dir))


def _bind(app: SpanLabApp) -> None:
    """Connect actions to handlers and keep enablement, labels and view options current."""
    window, session, actions = app.window, app.session, app.actions
    stack = session.undo_stack
    actions.bind(
        {
            "file.new": app.projects.new_project,
            "file.open": app.projects.open_project,
            "file.open_server": app.projects.open_server_project,
            "file.import": app.projects.import_articles,
            "file.switch_annotator": app.projects.switch_annotator,
            "file.close": app.projects.close_project,
            "file.quit": app.projects.quit,
            "edit.undo": stack.undo,
            "edit.redo": stack.redo,
            "edit.find": app.find.open,
            "edit.find_next": app.find.find_next,
            "edit.find_previous": app.find.find_previous,
            "edit.shortcuts": app.projects.edit_shortcuts,
            "label.all_in_document": app.labelling.label_all_in_document,
            "label.all_in_project": app.labelling.label_all_in_project,
            "label.delete": app.labelling.delete_span,
            "label.edit_schema": app.projects.edit_schema,
            "nav.next_span": app.labelling.next_span,
            "nav.previous_span": app.labelling.previous_span,
            "nav.clear": app.labelling.clear,
            "nav.next_document": app.documents.next_document,
            "nav.previous_document": app.documents.previous_document,
            "nav.documents": window.document_panel.table.setFocus,
            "nav.text": window.document_view.setFocus,
            "doc.mark_done": app.documents.mark_done,
            "doc.reopen": app.documents.reopen,
            "view.show_tags": lambda: _set_show_tags(app),
            "view.zoom_in": lambda: _zoom(app, ZOOM_STEP),
            "view.zoom_out": lambda: _zoom(app, -ZOOM_STEP),
            "help.about": lambda: _about(app),
        }
    )
    actions.bind(  # export, annotated import and the dashboards (non-modal windows)
        {
            "file.export": lambda: open_export_dialog(session, window),
            "file.import_annotations": lambda: open_import_annotations_dialog(session, window),
            "project.agreement": lambda: open_agreement_dashboard(session, window),
            "project.overview": lambda: open_project_overview(session, window),
            "project.assign": app.projects.assign_documents,
        }
    )
    actions.bind(  # curation (issue #8): its own window, refused to annotators when roles exist
        {
            "project.curate": lambda: open_curation(
                session, window, app.document.document_id, app.prompts
            ),
        }
    )
    actions.bind(  # relations, entities and arcs
        {
            "relation.start": app.tools.relations.start,
            "entity.group": app.tools.entities.group,
            "view.arcs": app.tools.relations.cycle_arcs,
        }
    )
    undo, redo = actions.action("edit.undo"), actions.action("edit.redo")
    stack.canUndoChanged.connect(undo.setEnabled)
    stack.canRedoChanged.connect(redo.setEnabled)
    stack.undoTextChanged.connect(lambda text: undo.setText(f"&Undo {text}".rstrip()))
    stack.redoTextChanged.connect(lambda text: redo.setText(f"&Redo {text}".rstrip()))
    undo.setEnabled(False)
    redo.setEnabled(False)

    def refresh_labels() -> None:
        project = session.project
        try:
            labels = project.schema().labels if project is not None else ()
        except SpanLabError:
            labels = ()
        actions.set_labels(labels, app.labelling.label, window.menus["label"])
        refresh_enabled()

    def refresh_enabled() -> None:
        actions.update_enabled(
            project=session.project is not None,
            document=session.ready and app.document.document is not None,
        )

    session.project_changed.connect(refresh_labels)
    session.schema_changed.connect(refresh_labels)
    session.annotator_changed.connect(refresh_enabled)
    app.document.document_changed.connect(refresh_enabled)
    window.label_palette.label_requested.connect(app.labelling.label)
    window.label_palette.label_requested.connect(lambda _name: window.document_view.setFocus())
    show_tags = actions.action("view.show_tags")
    show_tags.setChecked(app.settings.show_tags)
    window.document_view.set_show_tags(app.settings.show_tags)
    window.document_view.set_text_size(app.settings.font_size)
    window.closing.connect(lambda: _save_layout(app))
    geometry, state = app.settings.window_state
    if geometry is not None:
        window.restoreGeometry(geometry)
    if state is not None:
        window.restoreState(state)
    refresh_labels()


def _set_show_tags(app: SpanLabApp) -> None:
    show = app.actions.action("view.show_tags").isChecked()
    app.settings.show_tags = show
    app.window.document_view.set_show_tags(show)


def _zoom(app: SpanLabApp, step: float) -> None:
    view = app.window.document_view
    size = min(MAX_TEXT_SIZE, max(MIN_TEXT_SIZE, view.text_size() + step))
    view.set_text_size(size)
    app.settings.font_size = size


def _save_layout(app: SpanLabApp) -> None:
    app.settings.set_window_state(app.window.saveGeometry(), app.window.saveState())
    app.settings.sync()


def run(*, project: str | None = None, settings: QSettings | None = None) -> int:
    """Start the desktop application (``spanlab gui [PROJECT]``); return the exit code."""
    app = create_app(sys.argv, settings=settings)
    if app.settings.window_state[0] is None:
        app.window.resize(1400, 900)
    app.window.show()
    app.start(project)
    code = int(app.qapp.exec())
    app.session.close_project()
    return code


class _SilentPrompts(Prompts):
    """Prompts for the smoke test: never block; errors are printed."""

    def error(self, parent: QWidget | None, title: str, message: str) -> None:
        """Print instead of a message box."""
        print(f"spanlab: {title}: {message}", file=sys.stderr)

    def info(self, parent: QWidget | None, title: str, message: str) -> None:
        """Print instead of a message box."""
        print(f"spanlab: {title}: {message}", file=sys.stderr)

    def confirm(self, parent: QWidget | None, title: str, message: str) -> bool:
        """Say no."""
        return False


def smoke_test(project: str) -> int:
    """``spanlab gui PROJECT --smoke-test``: prove the installed app runs, then quit.

    Builds the whole application offscreen with throw-away settings and logs, shows the
    window, opens ``project`` read-only (no annotator, nothing written), prints the
    number of documents in the document list and returns 0; 1 when something failed.
    """
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="spanlab-smoke-") as tmp:
        store = QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)
        app = create_app(
            sys.argv[:1], settings=store, prompts=_SilentPrompts(), log_dir=Path(tmp) / "logs"
        )
        try:
            app.window.show()
            app.session.open_project(project)
            app.qapp.processEvents()
            count = app.window.document_panel.source.rowCount()
            print(f"documents: {count}", flush=True)
            if app.qapp.windowIcon().pixmap(32, 32).isNull():
                print("spanlab: smoke test: the application icon did not load", file=sys.stderr)
                return 1
            return 0
        except SpanLabError as exc:
            print(f"spanlab: smoke test: {exc}", file=sys.stderr)
            return 1
        finally:
            app.session.close_project()
            app.window.close()
            # Delete the widgets now, while Qt is fully alive, not at interpreter exit.
            app.window.deleteLater()
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            app.qapp.processEvents()
            uninstall_logging()  # close the log before its folder is deleted
