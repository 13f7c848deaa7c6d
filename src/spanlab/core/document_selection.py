"""Documents named by id on a command line or in a request, checked against the project.

Agreement, quality against gold and bulk curation all take ``--documents ID ...``; an
unknown id must fail the same way everywhere, naming the ids and what the project has.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from spanlab.core.errors import SpanLabError
from spanlab.core.model import DocumentId

__all__ = ["select_documents"]


def select_documents(
    all_ids: Sequence[DocumentId],
    requested: Iterable[int] | None,
    *,
    error: type[SpanLabError] = SpanLabError,
    request_order: bool = False,
) -> list[DocumentId]:
    """The requested documents (all without a request), each once.

    In the project's order, or with ``request_order`` in the order asked for. Raises
    ``error`` naming every unknown id and the project's document count and id range.
    """
    if requested is None:
        return list(all_ids)
    wanted = [DocumentId(d) for d in dict.fromkeys(requested)]
    present = set(all_ids)
    missing = [str(d) for d in wanted if d not in present]
    if missing:
        ids = f", ids {min(all_ids)}-{max(all_ids)}" if all_ids else ""
        raise error(
            f"unknown document id(s): {', '.join(missing)} "
            f"(the project has {len(all_ids)} document(s){ids})"
        )
    if request_order:
        return wanted
    chosen = set(wanted)
    return [d for d in all_ids if d in chosen]
