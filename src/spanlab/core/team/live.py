"""A cheap change token that clients poll to show other people's progress.

Every write transaction (``Project.edit``) bumps a counter per scope it touched just
before it commits: ``project`` for documents, schema, people and assignments, and
``annotator:<id>`` for an annotator's layer and statuses. Reading the token is one query
over a table with one row per annotator, so a GUI can poll it every few seconds and
reload its document list and status counts only when the token changed::

    token = change_token(project)
    ...
    newer = change_token(project)
    if newer != token:
        changed = newer.annotators_changed_since(token)   # reload those layers
        if newer.project_changed_since(token): ...        # reload the document list
        token = newer

Counters are bumped inside the writing transaction, so a token never announces a
change before it is visible to readers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from spanlab.core.model import AnnotatorId
from spanlab.core.project import Project
from spanlab.core.storage import repository as repo
from spanlab.core.storage.repository import PROJECT_SCOPE

_ANNOTATOR_PREFIX = "annotator:"


@dataclass(frozen=True, slots=True)
class ChangeToken:
    """The project's change counters at one moment; equal tokens mean nothing changed."""

    versions: tuple[tuple[str, int], ...] = ()
    last_change: datetime | None = None

    @property
    def total(self) -> int:
        """Sum of all counters (grows with every committed write transaction)."""
        return sum(version for _, version in self.versions)

    def scopes_changed_since(self, older: ChangeToken) -> frozenset[str]:
        """Scopes whose counter differs from ``older``."""
        before = dict(older.versions)
        return frozenset(s for s, v in self.versions if before.get(s) != v) | frozenset(
            s for s in before if s not in dict(self.versions)
        )

    def annotators_changed_since(self, older: ChangeToken) -> frozenset[AnnotatorId]:
        """Annotators whose layer or statuses changed since ``older``."""
        return frozenset(
            AnnotatorId(int(scope[len(_ANNOTATOR_PREFIX) :]))
            for scope in self.scopes_changed_since(older)
            if scope.startswith(_ANNOTATOR_PREFIX)
        )

    def project_changed_since(self, older: ChangeToken) -> bool:
        """Whether documents, the schema, people or assignments changed since ``older``."""
        return PROJECT_SCOPE in self.scopes_changed_since(older)


def change_token(project: Project) -> ChangeToken:
    """The current change token (one small query)."""
    with project.read() as conn:
        rows = repo.change_counters(conn)
    stamps = [at for _, _, at in rows if at is not None]
    return ChangeToken(
        versions=tuple((scope, version) for scope, version, _ in rows),
        last_change=max(stamps) if stamps else None,
    )


def last_change(project: Project) -> datetime | None:
    """When anything in the project last changed (None before the first counted edit)."""
    return change_token(project).last_change


__all__ = ["ChangeToken", "change_token", "last_change"]
