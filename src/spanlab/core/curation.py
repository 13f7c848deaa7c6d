"""Curation: building the gold layer from several annotators' work (issue #8).

Gold is the layer of the reserved annotator ``gold`` (:data:`~spanlab.core.model.
GOLD_ANNOTATOR`), edited through the same commands as everyone's, so undo, integrity
checks and every exporter apply. This module is the public face of
``curation_view`` (what the curator sees), ``curation_commands`` (accept, reject,
states, roles), ``curation_merge`` (merge strategies, ``spanlab curate``) and
``curation_quality`` (annotators against gold, ``spanlab agreement --against gold``).

Rules
=====

**Who is compared.** By default every annotator except gold; ``annotators=`` names
them. On each document a layer counts when its annotator marked the document done
(``include_unfinished``: when they started it: in progress, or holding annotations
there), as in the agreement report; the others are listed as excluded with a reason.
``n`` below is the number of layers that count.

**Span candidates.** Spans with the same offsets and label form one candidate; its
*holders* are the annotators who made it. Two overlapping candidates *compete* when
someone made the first but not the second and someone else the second but not the
first (their holder sets are incomparable). So nested spans everyone made do not
compete, and a span only some made inside one all made is just missing for the others.
Status: ``CONFLICTING_LABEL`` when a competitor has the same offsets; else
``CONFLICTING_BOUNDARIES`` when it has a competitor; else ``ALL_AGREE`` (all ``n``
made it), ``SOME_AGREE`` (two or more) or ``ONLY_ONE``.

**Relation candidates** are keyed by type and the span candidates of their ends
(unordered for symmetric types). Competing (incomparable holders) relations with the
same two ends but another type or direction make ``CONFLICTING_LABEL``; of the same
type with each end equal to or competing with the other's (one end disagrees)
``CONFLICTING_BOUNDARIES``. **Entity candidates** are keyed by their set of mention
candidates: competing groups sharing a mention make ``CONFLICTING_BOUNDARIES``; the
same mentions under different names ``CONFLICTING_LABEL``. **Attribute candidates**
are the attributes whose values differ between the holders of one span or relation
candidate (a value one holder did not set counts as a different value).

**Decisions and resolution (there is no separate "rejected" record).** A candidate is
*accepted* when gold holds it (the same offsets and label; for a relation, the same
type between the gold copies of its ends; for an entity, a gold group of exactly its
mentions). It is *rejected* when gold holds something else in its place: a competing
candidate, a gold span no annotator made overlapping it, for a relation another gold
relation between the same ends or a rejected end, for an entity a gold group sharing a
mention or a rejected mention. Otherwise it is *open*. An attribute candidate is open
while gold holds its span (or relation) without a value for it. A candidate is
*unresolved* while it is open and the document is not curated. Rejecting an open
candidate therefore records nothing: the curator moves on (``next_unresolved`` after
its offset) and marking the document curated resolves whatever is left. Rejecting an
accepted candidate removes it from gold.

**Accepting** copies an annotator's version into gold: a span with its attributes
(gold already holding it with the same attributes is refused as a duplicate; with
other attributes gold takes these; one competing gold span, same offsets or
overlapping with the same label, is changed into it, keeping its relations); a
relation together with any end gold lacks; an entity group onto the gold copies of its
mentions (taking them out of other gold groups); an attribute value onto a gold span
or relation. Direct gold edits use the ordinary commands with gold's annotator id.

**Merge strategies** (``preview_merge`` then ``apply_merge``, one undo step), over the
open candidates only (what gold holds or decided against is left alone):
``unanimous`` takes candidates all ``n`` layers made (needs ``n >= 2``);
``majority:K`` takes candidates at least ``K`` made that have more votes than every
competitor (needs ``n >= max(2, K)``; ties are left); ``prefer:NAME`` takes NAME's
layer; ``empty`` takes nothing. A relation is taken only when both its ends are in
gold afterwards, an entity only when all its mentions are and its contributors agree
on its name; an attribute value only when every contributing annotator gave the same
value. *Left for a person* is everything still unresolved after the merge, each with a
reason; candidates the merge resolves by taking a competitor are counted as
*overruled*.

**Curation states** are gold's document status: new = not started, in progress,
done = curated. A merge moves a document to in progress and never marks it curated:
that is the curator's explicit ``SetCurationState(document, CURATED)`` (so merged
pre-annotations never count as finished work).

**Bulk** (``curate_documents``, ``spanlab curate``): a document whose gold layer
already holds annotations, or that is curated, is skipped with a note unless
``replace``, which deletes its gold annotations first (and reopens a curated
document); a document with too few counting layers is skipped with the reason.

**Roles.** ``set_role`` stores a person's role (annotator, curator, manager) in the
annotator table, undoably; the gold row is not a person and has no role (it keeps the
default). Roles describe the team; the core does not enforce them.

**Quality against gold** (``quality_against_gold``): see
:mod:`spanlab.core.curation_quality`.
"""

from __future__ import annotations

from spanlab.core.curation_commands import (
    AcceptAttribute,
    AcceptEntity,
    AcceptRelation,
    AcceptRelationAttribute,
    AcceptSpan,
    RejectCandidate,
    SetCurationState,
    SetRole,
    StartCuration,
    accept_candidate,
    curators,
    parse_role,
    reject_candidate,
    set_role,
)
from spanlab.core.curation_merge import (
    CurationReport,
    DocumentCuration,
    LeftItem,
    LeftReason,
    MergePreview,
    MergeStrategy,
    PlannedEntity,
    PlannedRelation,
    PlannedSpan,
    StrategyKind,
    apply_merge,
    curate_documents,
    preview_merge,
)
from spanlab.core.curation_quality import (
    AnnotatorQuality,
    GoldQualityReport,
    quality_against_gold,
    quality_to_csv,
    quality_to_json,
)
from spanlab.core.curation_view import (
    AttributeCandidate,
    CandidateKind,
    CandidateStatus,
    CurationError,
    CurationItem,
    CurationState,
    CurationView,
    Decision,
    EntityCandidate,
    RelationCandidate,
    SpanCandidate,
    SpanKey,
    curation_state,
    curation_states,
    curation_view,
    item_order,
    next_unresolved,
)

__all__ = [
    "AcceptAttribute",
    "AcceptEntity",
    "AcceptRelation",
    "AcceptRelationAttribute",
    "AcceptSpan",
    "AnnotatorQuality",
    "AttributeCandidate",
    "CandidateKind",
    "CandidateStatus",
    "CurationError",
    "CurationItem",
    "CurationReport",
    "CurationState",
    "CurationView",
    "Decision",
    "DocumentCuration",
    "EntityCandidate",
    "GoldQualityReport",
    "LeftItem",
    "LeftReason",
    "MergePreview",
    "MergeStrategy",
    "PlannedEntity",
    "PlannedRelation",
    "PlannedSpan",
    "RejectCandidate",
    "RelationCandidate",
    "SetCurationState",
    "SetRole",
    "SpanCandidate",
    "SpanKey",
    "StartCuration",
    "StrategyKind",
    "accept_candidate",
    "apply_merge",
    "curate_documents",
    "curation_state",
    "curation_states",
    "curation_view",
    "curators",
    "item_order",
    "next_unresolved",
    "parse_role",
    "preview_merge",
    "quality_against_gold",
    "quality_to_csv",
    "quality_to_json",
    "reject_candidate",
    "set_role",
]
