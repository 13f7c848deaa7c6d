"""Open the agreement dashboard and the project overview as single non-modal windows."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtWidgets import QWidget

from spanlab.ui.dashboard.agreement import AgreementDashboard
from spanlab.ui.dashboard.overview import ProjectOverview
from spanlab.ui.session import ProjectSession

W = TypeVar("W", AgreementDashboard, ProjectOverview)


def _single(kind: type[W], session: ProjectSession, parent: QWidget) -> W | None:
    if session.project is None:
        return None
    existing = parent.findChild(kind)
    if isinstance(existing, kind):
        existing.refresh()
    else:
        existing = kind(session, parent)
        existing.refresh()
    existing.show()
    existing.raise_()
    return existing


def open_agreement_dashboard(session: ProjectSession, parent: QWidget) -> AgreementDashboard | None:
    """Project › Agreement: show (and recompute) the dashboard."""
    return _single(AgreementDashboard, session, parent)


def open_project_overview(session: ProjectSession, parent: QWidget) -> ProjectOverview | None:
    """Project › Overview: show (and recompute) the overview."""
    return _single(ProjectOverview, session, parent)
