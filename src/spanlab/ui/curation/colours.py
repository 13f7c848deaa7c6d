"""Colours and words for candidate statuses and gold's decisions (legend and list agree)."""

from __future__ import annotations

from PySide6.QtGui import QColor

from spanlab.core.curation import CandidateStatus, Decision

STATUS_COLOUR: dict[CandidateStatus, QColor] = {
    CandidateStatus.ALL_AGREE: QColor("#BBF7D0"),
    CandidateStatus.SOME_AGREE: QColor("#BAE6FD"),
    CandidateStatus.ONLY_ONE: QColor("#FEF08A"),
    CandidateStatus.CONFLICTING_LABEL: QColor("#FECACA"),
    CandidateStatus.CONFLICTING_BOUNDARIES: QColor("#FED7AA"),
}
ATTRIBUTE_COLOUR = QColor("#E9D5FF")
"""Attribute candidates: the values of one span or relation differ."""
GOLD_ONLY_COLOUR = QColor("#E5E7EB")
"""Gold spans no compared annotator made (the curator's own edits)."""

DECISION_TEXT: dict[Decision, str] = {
    Decision.ACCEPTED: "✓ in gold",
    Decision.REJECTED: "✗ rejected",
    Decision.OPEN: "open",
}
DECISION_COLOUR: dict[Decision, QColor] = {
    Decision.ACCEPTED: QColor("#15803D"),
    Decision.REJECTED: QColor("#B91C1C"),
    Decision.OPEN: QColor("#92400E"),
}
RESOLVED_TEXT = QColor("#6B7280")
"""Candidates the curator has decided fade a little."""
