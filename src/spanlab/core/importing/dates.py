"""Publication dates as ISO 8601: full timestamps stay timestamps, dates stay dates."""

from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime

_FORMATS = (
    "%B %d, %Y",  # March 4, 2024
    "%b %d, %Y",  # Mar 4, 2024
    "%b. %d, %Y",  # Mar. 4, 2024
    "%d %B %Y",  # 4 March 2024
    "%d %b %Y",  # 4 Mar 2024
    "%Y/%m/%d",
    "%Y.%m.%d",
    "%Y%m%d",
)
_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")
MAX_LENGTH = 64


def normalise_date(value: object) -> str | None:
    """``value`` as an ISO 8601 date or timestamp, or None when it cannot be read.

    ``2024-03-04T09:15:00+09:00`` stays as it is (seconds, offset and all), ``2024-03-04``
    stays a date, ``Mon, 04 Mar 2024 09:15:00 +0900`` (RFC 2822) becomes a timestamp and
    ``Mar. 4, 2024`` a date. Nothing is converted between time zones.
    """
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    if not text or len(text) > 100:
        return None
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        if _DATE_ONLY.fullmatch(text):
            return None  # 2024-02-30
    try:
        return _fits(datetime.fromisoformat(text).isoformat())
    except ValueError:
        pass
    try:
        return _fits(parsedate_to_datetime(text).isoformat())
    except (TypeError, ValueError, IndexError):
        pass
    for pattern in _FORMATS:
        try:
            return datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    return None


def _fits(value: str) -> str | None:
    return value if len(value) <= MAX_LENGTH else None
