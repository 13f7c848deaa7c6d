"""Suggested ISO 8601 values for DATE spans, resolved against the publication date.

:func:`suggest_date` turns the text of a DATE span into one of these values:

=========  ==========================  ==============================================
kind       value                       examples of the text
=========  ==========================  ==============================================
date       ``2023-10-06``              "Oct. 6, 2023", "Friday", "the previous day"
month      ``2023-09``                 "October 2014", "in March", "next month"
year       ``2023``                    "2005", "next year", "early next year"
week       ``2023-W40``                "last week", "this week", "two weeks ago"
interval   ``2023-09-21/2023-09-30``   "late September", "the weekend"
=========  ==========================  ==============================================

Rules (news convention; the annotator confirms or edits every suggestion):

* **Weekdays** ("Friday", "on Friday", "Wednesday afternoon", "Friday's"): past-tense news
  reports the most recent such day *on or before* the publication date, so "said Friday"
  in an article published on a Friday is that very day, and a weekday after the
  publication weekday means the previous week. When the wording around the span is
  about the future ("will", "is due to", "is scheduled to", "agreed to hold", "next",
  "this coming" ...) the first such day *on or after* the publication date is taken.
  "last Friday" / "this past Friday" is the most recent Friday strictly before, "next
  Friday" / "this coming Friday" the first one strictly after the publication date.
* **Month names without a year** ("March", "in March", "late November") follow the same
  rule: the most recent such month (or part of a month) that started on or before the
  publication date, or with future wording the first one that has not yet ended. A
  preceding "since" always means the past.
* **Parts of a month**: "early" = 1st-10th, "mid" = 11th-20th, "late" = 21st to the end
  of the month, given as an interval ("late September" -> ``2023-09-21/2023-09-30``);
  "the beginning/start of" counts as early, "the end of" as late. On a *year* the
  qualifier is dropped ("early next year" -> ``2024``), as there is no agreed split.
* **The weekend** is the Saturday-Sunday interval chosen like a weekday.
* **Relative days**: "today" = the publication date, "yesterday" = the day before it,
  "tomorrow" = the day after. "The previous day" / "the day before" and "the next day"
  / "the following day" are relative to the day the narrative is on: the ``anchor``
  argument when given (see :func:`narrative_anchor`), otherwise the publication date.
* **Relative periods**: "last/this/next week" are ISO weeks, "last/this/next month"
  months and "last/this/next year" years, counted from the publication date.
* **Everything else** ("Oct. 6, 2023", "6 October 2023", "2023-10-05", "October 2014",
  "two weeks ago") goes to dateparser with the publication date as ``RELATIVE_BASE``,
  English only (no language detection, nothing downloaded) and ``REQUIRE_PARTS`` so that
  nothing missing is silently made up; a day and month without a year get their year
  from the rule above.

Odd input never raises: it gives ``None``.
"""

from __future__ import annotations

import calendar
import enum
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any, Final, Literal

from spanlab.core.normalize.common import Confidence, clean_text

__all__ = [
    "DateKind",
    "DateSuggestion",
    "find_published",
    "narrative_anchor",
    "parse_published",
    "suggest_date",
]

MAX_LENGTH: Final = 80
"""Longer span texts are not dates (and would only slow dateparser down)."""


class DateKind(enum.StrEnum):
    """Granularity of a suggested value."""

    DATE = "date"
    MONTH = "month"
    YEAR = "year"
    WEEK = "week"
    INTERVAL = "interval"


@dataclass(frozen=True, slots=True)
class DateSuggestion:
    """A suggested ISO 8601 value with a short explanation for the UI tooltip."""

    value: str
    kind: DateKind
    explanation: str
    confidence: Confidence = Confidence.MEDIUM


# --------------------------------------------------------------------------- periods


@dataclass(frozen=True, slots=True)
class _Period:
    start: date
    end: date
    kind: DateKind

    @property
    def value(self) -> str:
        if self.kind is DateKind.DATE:
            return self.start.isoformat()
        if self.kind is DateKind.MONTH:
            return f"{self.start.year:04d}-{self.start.month:02d}"
        if self.kind is DateKind.YEAR:
            return f"{self.start.year:04d}"
        if self.kind is DateKind.WEEK:
            year, week, _ = self.start.isocalendar()
            return f"{year:04d}-W{week:02d}"
        return f"{self.start.isoformat()}/{self.end.isoformat()}"


def _day(day: date) -> _Period:
    return _Period(day, day, DateKind.DATE)


def _month(year: int, month: int) -> _Period:
    last = calendar.monthrange(year, month)[1]
    return _Period(date(year, month, 1), date(year, month, last), DateKind.MONTH)


def _year(year: int) -> _Period:
    return _Period(date(year, 1, 1), date(year, 12, 31), DateKind.YEAR)


def _week(day: date) -> _Period:
    monday = day - timedelta(days=day.weekday())
    return _Period(monday, monday + timedelta(days=6), DateKind.WEEK)


def _month_part(year: int, month: int, part: str) -> _Period:
    last = calendar.monthrange(year, month)[1]
    first, final = {"early": (1, 10), "mid": (11, 20), "late": (21, last)}[part]
    return _Period(date(year, month, first), date(year, month, final), DateKind.INTERVAL)


def _add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


# --------------------------------------------------------------------------- vocabulary

_WEEKDAYS: Final = {
    "monday": 0, "mon": 0,
    "tuesday": 1, "tue": 1, "tues": 1,
    "wednesday": 2, "wed": 2, "weds": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3,
    "friday": 4, "fri": 4,
    "saturday": 5, "sat": 5,
    "sunday": 6, "sun": 6,
}  # fmt: skip
_MONTHS: Final = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3,
    "april": 4, "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7,
    "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_WEEKDAY_NAMES: Final = tuple(calendar.day_name)
_MONTH_NAMES: Final = tuple(calendar.month_name)

_WEEKDAY_ALT: Final = "|".join(sorted(_WEEKDAYS, key=len, reverse=True))
_MONTH_ALT: Final = "|".join(sorted(_MONTHS, key=len, reverse=True))
_PART_OF_DAY: Final = r"(?:morning|afternoon|evening|night|noon|midday)"
_MONTH_PARTS: Final = {
    "early": "early",
    "the beginning of": "early",
    "beginning of": "early",
    "the start of": "early",
    "start of": "early",
    "mid": "mid",
    "the middle of": "mid",
    "middle of": "mid",
    "late": "late",
    "the end of": "late",
    "end of": "late",
}
_PART_ALT: Final = "|".join(sorted(_MONTH_PARTS, key=len, reverse=True))

# Modifiers written before a weekday or "weekend" in the span or just before it.
_BEFORE: Final = {"last", "this past", "past", "previous"}
_AFTER: Final = {"next", "this coming", "coming"}
_MODIFIER_ALT: Final = r"this past|this coming|last|next|this|past|coming|previous"

# Prepositions that only introduce the date ("on Friday", "in March", "over the weekend").
_LEADING_PREPOSITION = re.compile(r"^(?:on|in|at|during|over|around|about|for|from)\s+")

Tense = Literal["past", "future"]
Mode = Literal["on_or_before", "on_or_after", "before", "after"]


# --------------------------------------------------------------------------- context cues

# Future wording: modal verbs and the "is due to / agreed to hold" family of news phrasing.
_FUTURE_STRONG = (
    r"will|won't|shall|would|'ll|going to|due (?:to|in|on|at)|expected|scheduled|"
    r"slated|set to|plans? to|planned|planning|intends? to|aims? to|agreed to|pledged to|"
    r"promised to|vowed to|hopes? to|is to|are to|upcoming|forthcoming"
)
_FUTURE_WEAK = r"next|this coming|coming|to hold|to meet|to visit|to travel|to open|to sign"
_PAST = (
    r"had|has been|have been|was|were|did|ago|since|earlier|previously|already|last|"
    r"recently|met|held|began|started|opened|closed|signed|visited|arrived|launched|"
    r"returned|ended|took place|produced"
)
_FUTURE_STRONG_RE = re.compile(rf"\b(?:{_FUTURE_STRONG})\b", re.IGNORECASE)
_FUTURE_ANY_RE = re.compile(rf"\b(?:{_FUTURE_STRONG}|{_FUTURE_WEAK})\b", re.IGNORECASE)
_PAST_RE = re.compile(rf"\b(?:{_PAST})\b", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[,;:()\[\]\"“”—–]|\s-\s")


@dataclass(frozen=True, slots=True)
class _Cues:
    """What the wording around the span says about its direction in time."""

    tense: Tense | None = None
    cue: str = ""
    modifier: str | None = None


def _read_cues(span_text: str, context: str) -> _Cues:
    """Tense and preceding modifier from ``context`` (the sentence around the span).

    The tense cue nearest to the span inside its clause decides; failing that, a strong
    future cue (a modal such as "will", or "is expected/scheduled/due to") anywhere in the
    sentence; failing that, no tense (callers then take the past: news convention).
    """
    ctx = clean_text(context)
    span = clean_text(span_text)
    if not ctx:
        return _Cues()
    position = ctx.lower().find(span.lower()) if span else -1
    if position < 0:
        return _tense_in(ctx, 0, 0, _FUTURE_STRONG_RE) or _Cues()
    end = position + len(span)
    before = ctx[:position].lower().rstrip()
    modifier = None
    match = re.search(rf"\b({_MODIFIER_ALT}|since|until|till)$", before)
    if match:
        modifier = match.group(1)
    if re.match(r"\s*ago\b", ctx[end:], re.IGNORECASE):
        return _Cues("past", "ago", modifier)
    if modifier == "since":
        return _Cues("past", "since", None)
    if modifier in ("until", "till"):
        modifier = None
    clause_start = max((m.end() for m in _CLAUSE_BREAK.finditer(ctx, 0, position)), default=0)
    after = _CLAUSE_BREAK.search(ctx, end)
    clause_end = after.start() if after else len(ctx)
    clause = ctx[clause_start:clause_end]
    found = _nearest(clause, position - clause_start, end - clause_start)
    if found is None:
        found = _tense_in(ctx, position, end, _FUTURE_STRONG_RE)
    if found is None:
        return _Cues(modifier=modifier)
    return _Cues(found.tense, found.cue, modifier)


def _nearest(text: str, start: int, end: int) -> _Cues | None:
    best: tuple[int, _Cues] | None = None
    for tense, pattern in (("future", _FUTURE_ANY_RE), ("past", _PAST_RE)):
        for match in pattern.finditer(text):
            if match.start() < end and match.end() > start:
                continue  # inside the span itself ("next week" is not a cue for itself)
            distance = start - match.end() if match.end() <= start else match.start() - end
            cue = _Cues("future" if tense == "future" else "past", match.group(0).lower())
            if best is None or distance < best[0]:
                best = (distance, cue)
    return best[1] if best else None


def _tense_in(text: str, start: int, end: int, pattern: re.Pattern[str]) -> _Cues | None:
    for match in pattern.finditer(text):
        if match.start() < end and match.end() > start:
            continue
        return _Cues("future", match.group(0).lower())
    return None


# --------------------------------------------------------------------------- choosing


def _pick(candidates: Sequence[_Period], base: date, mode: Mode) -> _Period | None:
    ordered = sorted(candidates, key=lambda p: p.start)
    if mode == "on_or_before":
        fits = [p for p in ordered if p.start <= base]
        return fits[-1] if fits else None
    if mode == "before":
        fits = [p for p in ordered if p.end < base]
        return fits[-1] if fits else None
    if mode == "on_or_after":
        return next((p for p in ordered if p.end >= base), None)
    return next((p for p in ordered if p.start > base), None)


def _mode(cues: _Cues, modifier: str | None) -> Mode:
    word = modifier or cues.modifier
    if word in _BEFORE:
        return "before"
    if word in _AFTER:
        return "after"
    return "on_or_after" if cues.tense == "future" else "on_or_before"


def _why(what: str, mode: Mode, base: date, cues: _Cues, modifier: str | None) -> str:
    """Tooltip text such as "Friday on or before the publication date 2023-10-06 (...)"."""
    word = modifier or cues.modifier
    if mode == "before":
        return f"{what}, the last one before the publication date {base} ('{word}')"
    if mode == "after":
        return f"{what}, the first one after the publication date {base} ('{word}')"
    if mode == "on_or_after":
        return f"{what} on or after the publication date {base} (future wording: '{cues.cue}')"
    reason = f"past wording: '{cues.cue}'" if cues.tense == "past" else "news convention"
    return f"{what} on or before the publication date {base} ({reason})"


# --------------------------------------------------------------------------- rules


@dataclass(frozen=True, slots=True)
class _Input:
    phrase: str  # lower-cased, preposition-free
    base: date | None
    anchor: date | None
    cues: _Cues


Rule = Callable[[_Input], DateSuggestion | None]

_TODAY = re.compile(rf"(?:today|tonight|this {_PART_OF_DAY})")
_YESTERDAY = re.compile(rf"(?:yesterday|last night)(?: {_PART_OF_DAY})?")
_TOMORROW = re.compile(rf"tomorrow(?: {_PART_OF_DAY})?")
_DAY_BEFORE = re.compile(
    r"(?:the |a )?(?:previous|preceding|prior) day|the day (?:before|prior|earlier)"
    r"|a day (?:earlier|before)"
)
_DAY_AFTER = re.compile(r"(?:the |a )?(?:next|following) day|the day after|a day later")


def _relative_day(x: _Input) -> DateSuggestion | None:
    phrase, base = x.phrase, x.base
    if base is None:
        return None
    fixed = (
        (_TODAY, 0, "the publication date"),
        (_YESTERDAY, -1, "the day before the publication date"),
        (_TOMORROW, 1, "the day after the publication date"),
    )
    for pattern, offset, what in fixed:
        if pattern.fullmatch(phrase):
            day = base + timedelta(days=offset)
            return _suggest(_day(day), f"{what} {base}", Confidence.HIGH)
    if phrase == "the day before yesterday":
        return _suggest(_day(base - timedelta(days=2)), f"two days before {base}", Confidence.HIGH)
    if phrase == "the day after tomorrow":
        return _suggest(_day(base + timedelta(days=2)), f"two days after {base}", Confidence.HIGH)
    for pattern, offset, what in ((_DAY_BEFORE, -1, "before"), (_DAY_AFTER, 1, "after")):
        if pattern.fullmatch(phrase):
            if x.anchor is not None:
                ref = x.anchor
                about = f"the day {what} {_WEEKDAY_NAMES[ref.weekday()]} {ref}, the last day "
                about += "the text mentioned before it"
                return _suggest(_day(ref + timedelta(days=offset)), about, Confidence.MEDIUM)
            about = f"the day {what} the publication date {base} (no earlier day in the text)"
            return _suggest(_day(base + timedelta(days=offset)), about, Confidence.LOW)
    return None


_WEEKEND = re.compile(rf"(?:({_MODIFIER_ALT}) )?(?:the )?weekend(?:'s)?")


def _weekend(x: _Input) -> DateSuggestion | None:
    match = _WEEKEND.fullmatch(x.phrase)
    if match is None or x.base is None:
        return None
    modifier = match.group(1) if match.group(1) not in (None, "this") else None
    mode = _mode(x.cues, modifier)
    saturday = x.base + timedelta(days=5 - x.base.weekday())
    candidates = [
        _Period(
            saturday + timedelta(weeks=k), saturday + timedelta(weeks=k, days=1), DateKind.INTERVAL
        )
        for k in range(-2, 3)
    ]
    chosen = _pick(candidates, x.base, mode)
    if chosen is None:
        return None
    return _suggest(chosen, _why("the weekend", mode, x.base, x.cues, modifier))


_WEEKDAY = re.compile(
    rf"(?:({_MODIFIER_ALT}) )?(?:(?:early|late) )?({_WEEKDAY_ALT})\.?(?:'s)?"
    rf"(?:,? (?:early |late )?{_PART_OF_DAY})?"
)


def _weekday(x: _Input) -> DateSuggestion | None:
    match = _WEEKDAY.fullmatch(x.phrase)
    if match is None or x.base is None:
        return None
    weekday = _WEEKDAYS[match.group(2)]
    modifier = match.group(1) if match.group(1) not in (None, "this") else None
    mode = _mode(x.cues, modifier)
    offset = weekday - x.base.weekday()
    candidates = [_day(x.base + timedelta(days=offset + 7 * k)) for k in range(-2, 3)]
    chosen = _pick(candidates, x.base, mode)
    if chosen is None:
        return None
    name = _WEEKDAY_NAMES[weekday]
    return _suggest(chosen, _why(name, mode, x.base, x.cues, modifier))


_RELATIVE_UNIT = re.compile(
    rf"(?:({_PART_ALT})[ -]?)?(?:(earlier|later) )?"
    r"(last|this|next|coming|previous|current|the) (week|month|year)"
)
_UNIT_SHIFT: Final = {
    "last": -1, "previous": -1, "this": 0, "current": 0, "the": 0, "next": 1, "coming": 1
}  # fmt: skip


def _relative_unit(x: _Input) -> DateSuggestion | None:
    match = _RELATIVE_UNIT.fullmatch(x.phrase)
    if match is None or x.base is None:
        return None
    part_word, _, which, unit = match.groups()
    if which == "the" and part_word is None:
        return None  # "the week" alone says nothing about which week
    shift = _UNIT_SHIFT[which]
    base = x.base
    what = {-1: "before", 0: "of", 1: "after"}[shift]
    if unit == "week":
        period = _week(base + timedelta(weeks=shift))
        note = f"the ISO week {what} the publication date {base}"
    elif unit == "month":
        year, month = _add_months(base.year, base.month, shift)
        period = _month(year, month)
        note = f"the month {what} the publication date {base}"
        if part_word is not None:
            part = _MONTH_PARTS[part_word]
            period = _month_part(year, month, part)
            note = f"{_describe_part(part)} of {note}"
    else:
        period = _year(base.year + shift)
        note = f"the year {what} the publication date {base}"
        if part_word is not None:
            note += f" ('{part_word}' is not split further)"
    return _suggest(period, note, Confidence.HIGH)


_ISO_WEEK = re.compile(r"(\d{4})-?w(\d{1,2})")
_ISO_INTERVAL = re.compile(r"(\d{4}-\d{2}-\d{2})\s*/\s*(\d{4}-\d{2}-\d{2})")


def _iso_forms(x: _Input) -> DateSuggestion | None:
    match = _ISO_WEEK.fullmatch(x.phrase)
    if match:
        monday = date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
        return _suggest(_week(monday), "an ISO week as written", Confidence.HIGH)
    match = _ISO_INTERVAL.fullmatch(x.phrase)
    if match:
        start, end = date.fromisoformat(match.group(1)), date.fromisoformat(match.group(2))
        if start > end:
            return None
        period = _Period(start, end, DateKind.INTERVAL)
        return _suggest(period, "an interval as written", Confidence.HIGH)
    return None


_YEAR = re.compile(rf"(?:({_PART_ALT})[ -]?)?(\d{{4}})")


def _year_only(x: _Input) -> DateSuggestion | None:
    match = _YEAR.fullmatch(x.phrase)
    if match is None:
        return None
    year = int(match.group(2))
    if not 1000 <= year <= 2999:
        return None
    note = "a year as written"
    if match.group(1):
        note += f" ('{match.group(1)}' is not split further)"
    return _suggest(_year(year), note, Confidence.HIGH)


_MONTH_NAME = re.compile(rf"(?:({_PART_ALT})[ -]?)?({_MONTH_ALT})\.?(?:,? (\d{{4}}))?")


def _month_name(x: _Input) -> DateSuggestion | None:
    match = _MONTH_NAME.fullmatch(x.phrase)
    if match is None:
        return None
    part_word, name, year_text = match.groups()
    month = _MONTHS[name]
    part = _MONTH_PARTS[part_word] if part_word else None
    label = (
        _MONTH_NAMES[month] if part is None else f"{_describe_part(part)} of {_MONTH_NAMES[month]}"
    )

    def build(year: int) -> _Period:
        return _month(year, month) if part is None else _month_part(year, month, part)

    if year_text is not None:
        year = int(year_text)
        if not 1000 <= year <= 2999:
            return None
        return _suggest(build(year), f"{label} {year} as written", Confidence.HIGH)
    if x.base is None:
        return None
    mode = _mode(x.cues, None)
    chosen = _pick([build(x.base.year + k) for k in (-1, 0, 1)], x.base, mode)
    if chosen is None:
        return None
    return _suggest(chosen, _why(label, mode, x.base, x.cues, None))


def _describe_part(part: str) -> str:
    return {"early": "early (1st-10th)", "mid": "mid (11th-20th)", "late": "late (21st-end)"}[part]


# dateparser is only trusted with text that names a month, is a numeric date or says how
# far from the publication date it is; otherwise it turns "12" or "the 5th" into a month.
_NUMERIC_DATE = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}")
_RELATIVE_WORDS = re.compile(
    r"\b(?:ago|from now|hence|later|earlier|before|after)\b|\bin (?:\d+|an?|one|two|three|four"
    r"|five|six|seven|eight|nine|ten|a few|several) \w+"
)
_MONTH_WORD = re.compile(rf"\b(?:{_MONTH_ALT})\b\.?")
_FOUR_DIGITS = re.compile(r"\b\d{4}\b")
_NO_BASE = datetime(2000, 1, 1)  # any fixed date: only texts with a year are read then


def _general(x: _Input) -> DateSuggestion | None:
    phrase, base = x.phrase, x.base
    has_month = _MONTH_WORD.search(phrase) is not None
    has_year = _FOUR_DIGITS.search(phrase) is not None
    relative = _RELATIVE_WORDS.search(phrase) is not None
    if not (has_month or _NUMERIC_DATE.search(phrase) or relative):
        return None
    if base is None and not has_year:
        return None
    when = datetime(base.year, base.month, base.day) if base else _NO_BASE
    prefer = "future" if x.cues.tense == "future" else "past"
    found = _dateparse(phrase, when, prefer, ("day", "month"))
    if found is not None:
        moment, period = found
        day = moment.date()
        if period == "week":
            return _suggest(_week(day), f"the ISO week of {day} (dateparser)")
        if period == "month":
            return _suggest(_month(day.year, day.month), f"{day:%B %Y} (dateparser)")
        if period == "year":
            return _suggest(_year(day.year), f"{day.year} (dateparser)")
        if has_month and not has_year and not relative and base is not None:
            return _year_from_tense(day, base, x.cues)
        confidence = Confidence.HIGH if has_year else Confidence.MEDIUM
        return _suggest(_day(day), "a date as written (dateparser)", confidence)
    found = _dateparse(phrase, when, prefer, ("month", "year"))
    if found is not None and found[1] == "month" and has_year:
        day = found[0].date()
        return _suggest(_month(day.year, day.month), "a month as written", Confidence.HIGH)
    return None


def _year_from_tense(day: date, base: date, cues: _Cues) -> DateSuggestion | None:
    candidates = []
    for year in (base.year - 1, base.year, base.year + 1):
        try:
            candidates.append(_day(day.replace(year=year)))
        except ValueError:  # 29 February
            continue
    mode: Mode = "on_or_after" if cues.tense == "future" else "on_or_before"
    chosen = _pick(candidates, base, mode)
    if chosen is None:
        return None
    what = f"{_MONTH_NAMES[day.month]} {day.day}"
    return _suggest(chosen, _why(what, mode, base, cues, None))


@lru_cache(maxsize=32)
def _parser(when: datetime, prefer: str, parts: tuple[str, ...]) -> Any:
    from dateparser.date import DateDataParser  # type: ignore[import-untyped]

    settings = {
        "RELATIVE_BASE": when,
        "PREFER_DATES_FROM": prefer,
        "REQUIRE_PARTS": list(parts),
        "RETURN_AS_TIMEZONE_AWARE": False,
        "PREFER_DAY_OF_MONTH": "first",
    }
    # Naming the language switches off detection (and anything it might download).
    return DateDataParser(languages=["en"], settings=settings)


def _dateparse(
    phrase: str, when: datetime, prefer: str, parts: tuple[str, ...]
) -> tuple[datetime, str] | None:
    try:
        data = _parser(when, prefer, parts).get_date_data(phrase)
    except Exception:  # dateparser raises assorted errors on odd input; never pass them on
        return None
    moment = getattr(data, "date_obj", None)
    period = getattr(data, "period", None)
    if not isinstance(moment, datetime) or not isinstance(period, str):
        return None
    return moment, period


def _suggest(
    period: _Period, explanation: str, confidence: Confidence = Confidence.MEDIUM
) -> DateSuggestion:
    return DateSuggestion(period.value, period.kind, explanation, confidence)


_RULES: Final[tuple[Rule, ...]] = (
    _relative_day,
    _weekend,
    _weekday,
    _relative_unit,
    _iso_forms,
    _year_only,
    _month_name,
    _general,
)


# --------------------------------------------------------------------------- public API


def _as_date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return None


def _prepare(text: str) -> str:
    phrase = clean_text(text).lower()
    phrase = phrase.strip(" \t,;:!?()[]{}\"“”'")
    if phrase.endswith(".") and not re.search(rf"\b(?:{_MONTH_ALT}|{_WEEKDAY_ALT})\.$", phrase):
        phrase = phrase[:-1].rstrip()
    while True:
        shorter = _LEADING_PREPOSITION.sub("", phrase, count=1)
        if shorter == phrase:
            return phrase
        phrase = shorter


def suggest_date(
    text: str,
    *,
    published: date | datetime | None,
    context: str = "",
    anchor: date | datetime | None = None,
) -> DateSuggestion | None:
    """An ISO 8601 value for the date expression ``text``, or None.

    ``published`` is the article's publication date (relative expressions need it);
    ``context`` is the sentence around the span, read for tense ("will", "is due to",
    "since") and for a modifier just before the span ("next Friday" when only "Friday"
    is labelled); ``anchor`` is the day the narrative is on, used by "the previous day"
    and "the next day" (see :func:`narrative_anchor`). The rules are in the module
    docstring. Never raises on odd input.
    """
    if not isinstance(text, str) or not isinstance(context, str):
        return None
    base = _as_date(published)
    phrase = _prepare(text)
    if not phrase or len(phrase) > MAX_LENGTH:
        return None
    cues = _read_cues(text, context) if context else _Cues()
    if phrase.startswith("since "):
        phrase = _prepare(phrase[len("since ") :])
        cues = _Cues("past", "since", None)
    item = _Input(phrase, base, _as_date(anchor), cues)
    for rule in _RULES:
        try:
            result = rule(item)
        except (ValueError, OverflowError):  # dates beyond year 1..9999, bad ISO weeks
            return None
        if result is not None:
            return result
    return None


_PUBLISHED_PREFIX = re.compile(
    r"^\s*(?:first\s+)?(?:published|updated|last\s+updated|posted|dated?)(?:\s+on)?\s*[:\-–—]?\s*",
    re.IGNORECASE,
)
_TRAILING_TIME = re.compile(r"\s+(?:[-|–—@]|at)\s+.*$|,?\s+\d{1,2}:\d{2}.*$")


def parse_published(line: str) -> date | None:
    """The date of a publication line or metadata value, or None.

    Reads "Published: Oct. 6, 2023 - 14:39", "Updated on 6 October 2023", ISO dates and
    timestamps ("2023-10-06", "2023-10-06T14:39:00+09:00"; the date as written, no time
    zone conversion) and other absolute dates with day, month and year.
    """
    if not isinstance(line, str):
        return None
    text = _PUBLISHED_PREFIX.sub("", clean_text(line), count=1)
    if not text or len(text) > MAX_LENGTH:
        return None
    iso = text.replace("Z", "+00:00") if text.endswith("Z") else text
    try:
        return datetime.fromisoformat(iso).date()
    except ValueError:
        pass
    if not _FOUR_DIGITS.search(text):
        return None  # "yesterday" has no meaning without a reference date
    for candidate in (text, _TRAILING_TIME.sub("", text)):
        found = _dateparse(candidate, _NO_BASE, "past", ("day", "month", "year"))
        if found is not None:
            return found[0].date()
    return None


_PUBLISHED_LINE = re.compile(r"^\s*(?:first\s+)?published\b", re.IGNORECASE)
_OTHER_DATE_LINE = re.compile(r"^\s*(?:updated|last\s+updated|posted|dated?)\b", re.IGNORECASE)


def find_published(text: str, *, max_lines: int = 12) -> date | None:
    """The date on a "Published: ..." line among the first lines of an article text.

    A "Published" line wins over "Updated"/"Posted"/"Date" lines.
    """
    if not isinstance(text, str):
        return None
    lines = text.splitlines()[:max_lines]
    for pattern in (_PUBLISHED_LINE, _OTHER_DATE_LINE):
        for line in lines:
            if pattern.match(line):
                found = parse_published(line)
                if found is not None:
                    return found
    return None


_DAY_MENTION = re.compile(
    r"\b(?:(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}\b"
    rf"|(?:{_MONTH_ALT})\.? \d{{1,2}}(?:st|nd|rd|th)?\b(?:,? \d{{4}}\b)?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)? (?:of )?(?:{_MONTH_ALT})\b\.?(?:,? \d{{4}}\b)?)",
    re.IGNORECASE,
)


def narrative_anchor(text: str, end: int, *, published: date | datetime | None) -> date | None:
    """The last day-precise date mentioned in ``text[:end]``, resolved, or None.

    News tells "the previous day" relative to the event it is reporting, not to the
    publication date: "met in Geneva on Tuesday ... The two ministers had met the
    previous day" is the Monday. Weekday names and explicit dates before ``end`` are
    tried from the last one backwards; each is resolved with :func:`suggest_date` using
    its own sentence as context.
    """
    if not isinstance(text, str) or not 0 <= end <= len(text):
        return None
    matches = list(_DAY_MENTION.finditer(text, 0, end))
    if not matches:
        return None
    from spanlab.core.text.sentences import sentence_spans

    sentences = sentence_spans(text)
    for match in reversed(matches):
        sentence = next(
            (text[a:b] for a, b in sentences if a <= match.start() < b),
            text[max(0, match.start() - 200) : match.end() + 200],
        )
        found = suggest_date(match.group(0), published=published, context=sentence)
        if found is not None and found.kind is DateKind.DATE:
            return date.fromisoformat(found.value)
    return None
