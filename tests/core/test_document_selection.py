"""--documents ID ...: one rule for agreement, quality against gold and bulk curation."""

from __future__ import annotations

import pytest

from spanlab.core.curation_view import CurationError
from spanlab.core.document_selection import select_documents
from spanlab.core.model import DocumentId

IDS = [DocumentId(i) for i in (3, 5, 8, 13)]


def test_no_request_means_every_document_in_project_order() -> None:
    assert select_documents(IDS, None) == IDS


def test_requested_documents_in_project_order_each_once() -> None:
    assert select_documents(IDS, [13, 3, 13]) == [3, 13]


def test_request_order_is_kept_when_asked() -> None:
    assert select_documents(IDS, [13, 3, 13], request_order=True) == [13, 3]


def test_unknown_ids_are_all_named_with_what_the_project_has() -> None:
    with pytest.raises(CurationError) as caught:
        select_documents(IDS, [5, 99, 4], error=CurationError)
    assert str(caught.value) == (
        "unknown document id(s): 99, 4 (the project has 4 document(s), ids 3-13)"
    )


def test_empty_project_names_no_range() -> None:
    with pytest.raises(Exception, match=r"the project has 0 document\(s\)\)$"):
        select_documents([], [1])
