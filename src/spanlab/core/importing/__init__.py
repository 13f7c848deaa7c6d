"""Article import: text, HTML news pages, JSON Lines and folders, canonicalised once.

The entry point is ``import_paths``; readers for more formats plug in through
``register_reader``.
"""

from spanlab.core.importing.canonical import CanonicalTextError, canonicalize, text_sha256
from spanlab.core.importing.pipeline import (
    BATCH_SIZE,
    Failure,
    ImportOptions,
    ImportOptionsError,
    ImportReport,
    Notice,
    ProgressCallback,
    check_options,
    import_paths,
)
from spanlab.core.importing.records import DEFAULT_INCLUDE, ArticleRecord, Reader, ReadResult
from spanlab.core.importing.registry import (
    ReaderSpec,
    reader_names,
    reader_specs,
    register_reader,
    unregister_reader,
)

__all__ = [
    "BATCH_SIZE",
    "DEFAULT_INCLUDE",
    "ArticleRecord",
    "CanonicalTextError",
    "Failure",
    "ImportOptions",
    "ImportOptionsError",
    "ImportReport",
    "Notice",
    "ProgressCallback",
    "ReadResult",
    "Reader",
    "ReaderSpec",
    "canonicalize",
    "check_options",
    "import_paths",
    "reader_names",
    "reader_specs",
    "register_reader",
    "text_sha256",
    "unregister_reader",
]
