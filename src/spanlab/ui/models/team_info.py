"""What the document list shows about the team: assignments and who finished what.

Loaded with the document list (three small queries) and again when the live refresh
sees other people's changes; the list model asks it for the "Team" column, its
tooltip and the "assigned to me" marker and filter.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field, replace

from spanlab.core.model import Annotator, AnnotatorId, DocumentId, DocumentStatus
from spanlab.core.project import Project
from spanlab.core.team.assignments import assignments

DONE_MARK = "✓"


@dataclass(frozen=True, slots=True)
class TeamInfo:
    """Assignees and finishers per document, seen from one annotator."""

    project: str | None = None
    me: str | None = None
    assignees: dict[DocumentId, tuple[str, ...]] = field(default_factory=dict)
    done_by: dict[DocumentId, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def load(cls, project: Project, annotator: Annotator | None) -> TeamInfo:
        """Read assignments and every layer's "done" statuses (gold excluded)."""
        names = {a.id: a.name for a in project.annotators() if not a.is_gold}
        done: dict[DocumentId, set[str]] = {}
        for record in project.statuses():
            name = names.get(record.annotator_id)
            if name is not None and record.status is DocumentStatus.DONE:
                done.setdefault(record.document_id, set()).add(name)
        return cls(
            project=project.url,
            me=annotator.name if annotator is not None else None,
            assignees=assignments(project),
            done_by={doc: tuple(sorted(who)) for doc, who in done.items()},
        )

    def updated(self, project: Project, annotators: Collection[AnnotatorId]) -> TeamInfo:
        """The same with these annotators' statuses read again (one query each), for
        when only their layers changed."""
        names = {a.id: a.name for a in project.annotators() if not a.is_gold}
        changed = {names[a] for a in annotators if a in names}
        done = {doc: set(who) - changed for doc, who in self.done_by.items()}
        for annotator_id in annotators:
            if annotator_id not in names:
                continue
            for record in project.statuses(annotator_id):
                if record.status is DocumentStatus.DONE:
                    done.setdefault(record.document_id, set()).add(names[annotator_id])
        finished = {doc: tuple(sorted(who)) for doc, who in done.items() if who}
        return replace(self, done_by=finished)

    @property
    def viewer(self) -> tuple[str | None, str | None]:
        """Whose list this is: the project URL and the annotator."""
        return self.project, self.me

    @property
    def has_my_assignments(self) -> bool:
        """Whether the current annotator has any assigned document."""
        return self.me is not None and any(self.me in names for names in self.assignees.values())

    def assigned_to_me(self, document_id: DocumentId) -> bool:
        """Whether the lead assigned this document to the current annotator."""
        return self.me is not None and self.me in self.assignees.get(document_id, ())

    def cell(self, document_id: DocumentId) -> str:
        """Assignees with a tick when done ("alice ✓, bob"), else who finished it."""
        done = set(self.done_by.get(document_id, ()))
        assigned = self.assignees.get(document_id, ())
        if assigned:
            return ", ".join(f"{n} {DONE_MARK}" if n in done else n for n in assigned)
        return f"{DONE_MARK} {', '.join(sorted(done))}" if done else ""

    def tooltip(self, document_id: DocumentId) -> str:
        """Assigned to whom, and finished by whom, in words."""
        assigned = self.assignees.get(document_id, ())
        done = self.done_by.get(document_id, ())
        lines = [f"Assigned to: {', '.join(assigned)}" if assigned else "Not assigned"]
        if self.assigned_to_me(document_id):
            lines[0] += " (including you)"
        lines.append(f"Done by: {', '.join(done)}" if done else "Nobody has marked it done")
        return "\n".join(lines)


__all__ = ["DONE_MARK", "TeamInfo"]
