"""Project-level actions: new, open, recent, import (in the background), annotator, schema."""

from __future__ import annotations

import getpass
import importlib.util
from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QProgressDialog

from spanlab.core.commands import UpdateSchema
from spanlab.core.errors import SpanLabError
from spanlab.core.importing import ImportOptions, ImportReport, import_paths
from spanlab.core.model import GOLD_ANNOTATOR
from spanlab.core.project import Project
from spanlab.core.storage.engine import is_url, split_password
from spanlab.core.team.access import people
from spanlab.core.team.assignments import AssignmentReport, assign, assign_round_robin, assignments
from spanlab.ui.actions import ActionRegistry
from spanlab.ui.dialogs.open_server_dialog import explain_open_error
from spanlab.ui.jobs import Job, JobContext, run_job
from spanlab.ui.main_window import MainWindow
from spanlab.ui.prompts import Prompts
from spanlab.ui.session import ProjectSession
from spanlab.ui.settings import AppSettings

PROJECT_SUFFIX = ".spanlab"


def run_import(
    context: JobContext, url: str, paths: list[str], options: ImportOptions
) -> ImportReport:
    """Import on a worker thread with the job's own connection to the project."""
    with Project.open(url) as project:
        return import_paths(
            project,
            [Path(p) for p in paths],
            options=options,
            progress=context.progress,
            cancel=context.cancelled,
        )


def describe_report(report: ImportReport) -> str:
    """One paragraph for the user."""
    if report.cancelled:
        return "Import cancelled: nothing was imported."
    parts = [f"Imported {len(report.imported)} document(s)."]
    if report.duplicates:
        parts.append(f"{len(report.duplicates)} duplicate(s) skipped.")
    if report.failures:
        parts.append(f"{len(report.failures)} failed:")
        parts.extend(f"• {f.source}: {f.reason}" for f in report.failures[:10])
        if len(report.failures) > 10:
            parts.append(f"… and {len(report.failures) - 10} more.")
        if report.rolled_back:
            parts.append("Nothing was imported (all or nothing).")
    return "\n".join(parts)


def describe_assignment(report: AssignmentReport) -> str:
    """One line for the status bar: what was added and everyone's load afterwards."""
    loads = ", ".join(f"{name} {count}" for name, count in report.per_annotator)
    already = f" ({report.already} already assigned)" if report.already else ""
    return f"Assigned {report.added} document(s){already}. Now: {loads}"


class ProjectController(QObject):
    """Handles the File menu, the annotator, the schema editor and shortcut remapping."""

    def __init__(
        self,
        *,
        session: ProjectSession,
        window: MainWindow,
        settings: AppSettings,
        prompts: Prompts,
        actions: ActionRegistry,
    ) -> None:
        """Wire drops, errors and the recent-projects menu."""
        super().__init__(window)
        self._session = session
        self._window = window
        self._settings = settings
        self._prompts = prompts
        self._actions = actions
        self.import_job: Job[ImportReport] | None = None
        self.progress: QProgressDialog | None = None
        window.files_dropped.connect(self.files_dropped)
        session.error_occurred.connect(window.status.show_message)
        session.save_state_changed.connect(self._on_save_state)
        self.update_recent_menu()

    # ------------------------------------------------------------------ startup
    def startup(self, project: str | None) -> None:
        """Ask who is annotating on the first start, then open ``project`` or the last one."""
        if self._settings.annotator is None:
            name = self._prompts.annotator(self._window, [], None) or getpass.getuser()
            self._settings.annotator = name
        self._set_annotator_name(self._settings.annotator or getpass.getuser())
        if project is not None:
            self.open_path(project)
            return
        recent = [p for p in self._settings.recent_projects if Path(p).exists()]
        if recent:
            self.open_path(recent[0])

    def _set_annotator_name(self, name: str) -> bool:
        try:
            self._session.set_annotator(name)
        except SpanLabError as exc:
            self._prompts.error(self._window, "Cannot switch annotator", str(exc))
            return False
        return True

    # ------------------------------------------------------------------ projects
    def new_project(self) -> None:
        """File › New Project."""
        recent = self._settings.recent_projects
        folder = str(Path(recent[0]).parent) if recent else str(Path.home())
        path = self._prompts.new_project_path(self._window, folder)
        if path is None:
            return
        try:
            self._session.create_project(path)
        except SpanLabError as exc:
            self._prompts.error(self._window, "Cannot create the project", str(exc))
            return
        self._remember(path)
        self._window.status.show_message(
            "Project created. Import articles with File › Import Articles… or drop files here."
        )

    def open_project(self) -> None:
        """File › Open Project."""
        recent = self._settings.recent_projects
        folder = str(Path(recent[0]).parent) if recent else str(Path.home())
        path = self._prompts.open_project_path(self._window, folder)
        if path is not None:
            self.open_path(path)

    def open_server_project(self) -> None:
        """File › Open Server Project: a shared project on a PostgreSQL server."""
        recent = next((p for p in self._settings.recent_projects if is_url(p)), None)
        can_remember = importlib.util.find_spec("keyring") is not None
        location = self._prompts.server_location(self._window, recent, can_remember=can_remember)
        if location is not None:
            self.open_path(location.url, remember_password=location.remember_password)

    def open_path(self, path: str, *, remember_password: bool = False) -> bool:
        """Open a project file or server URL; failures get a message (no traceback)."""
        if is_url(path):
            return self._open_server(path, remember_password)
        try:
            self._session.open_project(path)
        except SpanLabError as exc:
            self._prompts.error(self._window, "Cannot open the project", str(exc))
            if not Path(path).exists():
                self._settings.remove_recent_project(str(Path(path).resolve()))
                self.update_recent_menu()
            return False
        self._remember(path)
        return True

    def _open_server(self, url: str, remember_password: bool) -> bool:
        """Ask for the password only when neither the URL nor the password store has it."""
        try:
            project = self._session.open_project(
                url,
                password_prompt=lambda where: self._prompts.password(self._window, where),
                remember_password=remember_password,
            )
        except SpanLabError as exc:
            message = explain_open_error(url, str(exc))
            self._prompts.error(self._window, "Cannot open the server project", message)
            return False
        self._settings.add_recent_project(split_password(project.url)[0])
        self.update_recent_menu()
        return True

    def close_project(self) -> None:
        """File › Close Project."""
        self._session.close_project()

    def _remember(self, path: str) -> None:
        self._settings.add_recent_project(str(Path(path).resolve()))
        self.update_recent_menu()

    def update_recent_menu(self) -> None:
        """Rebuild File › Open Recent."""
        actions: list[QAction] = []
        for path in self._settings.recent_projects:
            action = QAction(path, self._window.recent_menu)
            action.triggered.connect(lambda _checked=False, p=path: self.open_path(p))
            actions.append(action)
        self._window.set_recent_projects(actions)

    def switch_annotator(self) -> None:
        """File › Switch Annotator."""
        name = self._prompts.annotator(
            self._window, self._session.annotator_names(), self._session.annotator_name
        )
        if name and name != self._session.annotator_name and self._set_annotator_name(name):
            self._settings.annotator = name
            self._window.status.show_message(f"Now annotating as {name}")

    def quit(self) -> None:
        """File › Quit (every edit is already saved)."""
        self._window.close()

    # ------------------------------------------------------------------ import
    def import_articles(self, paths: list[str] | None = None) -> None:
        """File › Import Articles (or dropped files): dialog, then a cancellable background job."""
        project = self._session.project
        if project is None:
            self._prompts.info(self._window, "Import", "Open or create a project first.")
            return
        if self.import_job is not None and self.import_job.running:
            self._window.status.show_message("An import is already running")
            return
        request = self._prompts.import_request(
            self._window, paths or [], self._settings.last_import_folder
        )
        if request is None:
            return
        chosen, options, folder = request
        self._settings.last_import_folder = folder
        url = project.url
        progress = QProgressDialog("Importing articles…", "Cancel", 0, 0, self._window)
        progress.setObjectName("importProgress")
        progress.setWindowTitle("Import")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(400)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        self.progress = progress
        job = run_job(
            self,
            lambda context: run_import(context, url, chosen, options),
            on_success=self._import_finished,
            on_error=self._import_failed,
        )
        self.import_job = job
        job.progress_changed.connect(self._on_import_progress)
        progress.canceled.connect(job.cancel)

    def _on_import_progress(self, done: int, total: int, current: str) -> None:
        if self.progress is None:
            return
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(min(done, max(total, 1)))
        if current:
            self.progress.setLabelText(f"Importing {Path(current).name} ({done + 1} of {total})")

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None

    def _import_finished(self, report: ImportReport) -> None:
        self._close_progress()
        if report.imported:
            self._session.notify_documents_added()
        message = describe_report(report)
        self._window.status.show_message(message.splitlines()[0])
        if report.failures or report.cancelled:
            self._prompts.info(self._window, "Import", message)

    def _import_failed(self, message: str) -> None:
        self._close_progress()
        self._prompts.error(self._window, "Import failed", message)

    def files_dropped(self, paths: list[str]) -> None:
        """A project file opens; articles and folders go to the import dialog."""
        if len(paths) == 1 and paths[0].endswith(PROJECT_SUFFIX):
            self.open_path(paths[0])
            return
        self.import_articles(paths)

    # ------------------------------------------------------------------ team
    def assign_documents(self, selected: list[int] | None = None) -> None:
        """Project › Assign Documents: the same core calls as ``spanlab assign``."""
        project = self._session.project
        if project is None:
            return
        try:
            documents = project.documents()
            names = [p.name for p in people(project) if p.name != GOLD_ANNOTATOR]
            current = assignments(project)
        except SpanLabError as exc:
            self._prompts.error(self._window, "Cannot assign documents", str(exc))
            return
        if not documents:
            self._prompts.info(self._window, "Assign Documents", "Import some articles first.")
            return
        request = self._prompts.assign_request(
            self._window, documents, names, current, selected or []
        )
        if request is None:
            return
        try:
            if request.per_document is None:
                report = assign(project, request.documents, request.annotators)
            else:
                report = assign_round_robin(
                    project,
                    per_document=request.per_document,
                    annotators=request.annotators,
                    documents=request.documents,
                )
        except SpanLabError as exc:
            self._prompts.error(self._window, "Cannot assign documents", str(exc))
            return
        self._session.notify_documents_added()  # reloads the list with its Team column
        self._window.status.show_message(describe_assignment(report))

    # ------------------------------------------------------------------ schema and keys
    def edit_schema(self) -> None:
        """Label › Edit Schema: one undoable step; renames keep existing spans."""
        project = self._session.project
        if project is None:
            return
        result = self._prompts.edit_schema(self._window, project.schema())
        if result is None:
            return
        schema, renames = result
        if schema == project.schema() and not renames:
            return
        if self._session.run(UpdateSchema(schema, renames)):
            self._window.status.show_message("Schema updated")

    def edit_shortcuts(self) -> None:
        """Edit › Keyboard Shortcuts: remap and remember."""
        overrides = self._prompts.edit_shortcuts(
            self._window,
            self._actions.specs(),
            self._actions.current_shortcuts(),
            self._actions.reserved_keys(),
        )
        if overrides is None:
            return
        self._settings.set_shortcut_overrides(overrides)
        self._actions.apply_shortcuts(overrides)
        self._window.status.show_message("Shortcuts updated")

    def _on_save_state(self, ok: bool, message: str) -> None:
        if not ok:
            self._prompts.error(
                self._window,
                "Your last change was not saved",
                f"{message}\n\nThe change was not applied; the project is as it was before it.",
            )
