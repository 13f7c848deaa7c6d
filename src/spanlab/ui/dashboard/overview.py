"""Project › Overview: progress per annotator, label counts and pace (as ``spanlab stats``)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QGridLayout, QLabel, QWidget

from spanlab.core.agreement_report import AnnotationPace, annotation_pace
from spanlab.core.model import DocumentStatus
from spanlab.core.project import Project
from spanlab.core.stats import ProjectStats, project_stats
from spanlab.ui.dashboard.charts import BarChart
from spanlab.ui.jobs import Job, JobContext, run_job
from spanlab.ui.session import ProjectSession

STATUS_ORDER = (DocumentStatus.DONE, DocumentStatus.IN_PROGRESS, DocumentStatus.NEW)
STATUS_NAMES = ("done", "in progress", "not started")


@dataclass(frozen=True, slots=True)
class OverviewData:
    """What the overview shows."""

    stats: ProjectStats
    pace: AnnotationPace


def load_overview(context: JobContext, url: str) -> OverviewData:
    """Compute the figures on a worker thread with the job's own connection."""
    with Project.open(url) as project:
        return OverviewData(project_stats(project), annotation_pace(project))


class ProjectOverview(QDialog):
    """Three charts and a one-line summary, computed in the background."""

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        """Charts for the session's project (filled by :meth:`refresh`)."""
        super().__init__(parent)
        self.setObjectName("projectOverview")
        self.setWindowTitle("Project Overview")
        self.resize(1000, 640)
        self._session = session
        self.data: OverviewData | None = None
        self.job: Job[OverviewData] | None = None
        self.summary = QLabel("Computing…", self)
        self.summary.setObjectName("overviewSummary")
        self.progress = BarChart("Documents per annotator", stacked=True, parent=self)
        self.labels = BarChart("Spans per label", stacked=False, parent=self)
        self.pace = BarChart("Documents finished per day", stacked=False, parent=self)
        layout = QGridLayout(self)
        layout.addWidget(self.summary, 0, 0, 1, 2, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.progress, 1, 0)
        layout.addWidget(self.labels, 1, 1)
        layout.addWidget(self.pace, 2, 0, 1, 2)

    def refresh(self) -> None:
        """Recompute in the background."""
        project = self._session.project
        if project is None or (self.job is not None and self.job.running):
            return
        url = project.url
        self.job = run_job(
            self,
            lambda context: load_overview(context, url),
            on_success=self.show_data,
            on_error=lambda message: self.summary.setText(f"Could not compute: {message}"),
        )

    def show_data(self, data: OverviewData) -> None:
        """Fill the charts."""
        self.data = data
        stats, pace = data.stats, data.pace
        names = [a for a in stats.annotators]
        self.progress.set_data(
            names,
            STATUS_NAMES,
            [[float(stats.statuses[a][s]) for s in STATUS_ORDER] for a in names],
        )
        used = [label for label in stats.labels if any(stats.spans.get((a, label)) for a in names)]
        self.labels.set_data(
            used, names, [[float(stats.spans.get((a, label), 0)) for a in names] for label in used]
        )
        self.pace.set_data(
            [day.isoformat() for day in pace.days],
            pace.annotators,
            [[float(pace.finished[a][i]) for a in pace.annotators] for i in range(len(pace.days))],
        )
        parts = [
            f"{a}: {stats.statuses[a][DocumentStatus.DONE]} done, "
            f"{stats.statuses[a][DocumentStatus.IN_PROGRESS]} in progress, "
            f"{stats.span_total(a)} spans"
            for a in names
        ]
        self.summary.setText(f"{stats.documents} documents. " + "; ".join(parts))
