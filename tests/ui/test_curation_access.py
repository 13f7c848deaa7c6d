"""Who may open the curation view (pure rules, no widgets)."""

from __future__ import annotations

from spanlab.core.model import GOLD_ANNOTATOR, Annotator, AnnotatorId, AnnotatorRole
from spanlab.ui.curation.access import curation_refusal, roles_defined


def person(number: int, name: str, role: AnnotatorRole = AnnotatorRole.ANNOTATOR) -> Annotator:
    return Annotator(id=AnnotatorId(number), name=name, role=role)


def test_without_roles_anyone_may_curate() -> None:
    team = [person(1, "alice"), person(2, "bob"), person(3, GOLD_ANNOTATOR)]
    assert not roles_defined(team)
    assert curation_refusal(team, "alice") is None


def test_with_roles_only_curators_and_managers_may() -> None:
    team = [
        person(1, "alice"),
        person(2, "bob", AnnotatorRole.CURATOR),
        person(3, "lead", AnnotatorRole.MANAGER),
    ]
    assert roles_defined(team)
    assert curation_refusal(team, "bob") is None
    assert curation_refusal(team, "lead") is None
    refusal = curation_refusal(team, "alice")
    assert refusal is not None
    assert refusal.startswith("alice (annotator) may not curate")
    assert "bob, lead" in refusal and "--role curator" in refusal
    assert curation_refusal(team, "stranger") is not None
