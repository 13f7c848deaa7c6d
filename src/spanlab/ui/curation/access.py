"""Who may open the curation view: curators and managers, once the project has roles.

Roles describe the team (the core does not enforce them on SQLite); the GUI asks
before opening the curation view. A project where nobody has been given a role other
than *annotator* has no roles defined, and then anyone may curate (a lone lead on a
SQLite file should not have to set up roles first).
"""

from __future__ import annotations

from collections.abc import Sequence

from spanlab.core.model import Annotator, AnnotatorRole

CURATING_ROLES = frozenset({AnnotatorRole.CURATOR, AnnotatorRole.MANAGER})


def roles_defined(people: Sequence[Annotator]) -> bool:
    """Whether anyone (gold aside) has a role other than annotator."""
    return any(p.role in CURATING_ROLES for p in people if not p.is_gold)


def curation_refusal(people: Sequence[Annotator], name: str | None) -> str | None:
    """Why ``name`` may not curate (None: they may)."""
    if not roles_defined(people):
        return None
    person = next((p for p in people if p.name == name and not p.is_gold), None)
    if person is not None and person.role in CURATING_ROLES:
        return None
    curators = sorted(p.name for p in people if p.role in CURATING_ROLES and not p.is_gold)
    role = person.role.value if person is not None else "no role"
    return (
        f"{name or 'You'} ({role}) may not curate: this project gives curation to "
        f"curators and managers ({', '.join(curators)}). Ask a manager to make you a "
        f"curator (spanlab users PROJECT --add {name or 'NAME'} --role curator), or "
        "switch annotator."
    )
