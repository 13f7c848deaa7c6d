"""Project › Curate Document: check the person may curate, then show the curation window."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from spanlab.core.errors import SpanLabError
from spanlab.ui.curation.access import curation_refusal
from spanlab.ui.curation.window import CurationWindow
from spanlab.ui.prompts import Prompts
from spanlab.ui.session import ProjectSession

TITLE = "Curate document"


def open_curation(
    session: ProjectSession, parent: QWidget, document_id: int | None, prompts: Prompts
) -> CurationWindow | None:
    """Show the curation window on ``document_id`` (one window, reused), or say why not."""
    project = session.project
    if project is None:
        return None
    if document_id is None:
        prompts.info(parent, TITLE, "Open a document first; the curation view shows that one.")
        return None
    try:
        refusal = curation_refusal(project.annotators(), session.annotator_name)
    except SpanLabError as exc:
        prompts.error(parent, TITLE, str(exc))
        return None
    if refusal is not None:
        prompts.error(parent, TITLE, refusal)
        return None
    window = parent.findChild(CurationWindow)
    if isinstance(window, CurationWindow):
        window.set_document(document_id)
    else:
        window = CurationWindow(session, document_id, parent)
    window.show()
    window.raise_()
    window.activateWindow()
    return window
