"""Date normalisation: targeted rules, publication lines and odd input."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from spanlab.core.normalize.common import Confidence
from spanlab.core.normalize.dates import (
    DateKind,
    find_published,
    narrative_anchor,
    parse_published,
    suggest_date,
)

FRI = date(2023, 10, 6)  # Friday
MON = date(2023, 10, 9)  # Monday
WED = date(2023, 10, 11)  # Wednesday


def value(text: str, published: date | None = FRI, context: str = "") -> str | None:
    found = suggest_date(text, published=published, context=context)
    return None if found is None else found.value


# --------------------------------------------------------------------------- weekdays


def test_friday_published_on_a_friday_is_that_day() -> None:
    found = suggest_date("Friday", published=FRI)
    assert found is not None
    assert (found.value, found.kind) == ("2023-10-06", DateKind.DATE)
    assert "Friday" in found.explanation and "2023-10-06" in found.explanation


def test_friday_published_on_monday_is_the_friday_before() -> None:
    assert value("Friday", MON) == "2023-10-06"


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("Saturday", FRI, "2023-09-30"),  # a weekday after the publication weekday: last week
        ("Thursday", FRI, "2023-10-05"),
        ("on Tuesday", WED, "2023-10-10"),
        ("Wednesday afternoon", WED, "2023-10-11"),
        ("Friday's", MON, "2023-10-06"),
        ("last Friday", FRI, "2023-09-29"),
        ("this past Friday", FRI, "2023-09-29"),
        ("next Friday", date(2023, 10, 4), "2023-10-06"),
        ("this coming Friday", FRI, "2023-10-13"),
        ("Fri.", MON, "2023-10-06"),
    ],
)
def test_weekdays(text: str, published: date, expected: str) -> None:
    assert value(text, published) == expected


@pytest.mark.parametrize(
    ("context", "expected"),
    [
        ("Takeda will travel to Tokyo on Friday.", "2023-10-13"),
        ("He is due to arrive on Friday before returning home.", "2023-10-13"),
        ("They are scheduled to meet on Friday.", "2023-10-13"),
        ("The talks will resume next Friday, officials said.", "2023-10-13"),
        ("The two sides met on Friday.", "2023-10-06"),
        ("Takeda arrived on Friday and will leave on Sunday.", "2023-10-06"),  # nearest cue
        ("", "2023-10-06"),
    ],
)
def test_future_wording_picks_the_coming_weekday(context: str, expected: str) -> None:
    # Published on Monday 9 October: the past Friday is the 6th, the coming one the 13th.
    assert value("Friday", MON, context) == expected


def test_future_weekday_on_the_publication_weekday_is_that_day() -> None:
    assert value("Friday", FRI, "He is due to travel to Accra on Friday.") == "2023-10-06"


# --------------------------------------------------------------------------- relative days


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the previous day", "2023-10-05"),
        ("the day before", "2023-10-05"),
        ("yesterday", "2023-10-05"),
        ("last night", "2023-10-05"),
        ("today", "2023-10-06"),
        ("this morning", "2023-10-06"),
        ("tomorrow", "2023-10-07"),
        ("the next day", "2023-10-07"),
        ("the following day", "2023-10-07"),
        ("the day before yesterday", "2023-10-04"),
    ],
)
def test_relative_days(text: str, expected: str) -> None:
    assert value(text) == expected


def test_previous_day_uses_the_anchor_when_given() -> None:
    found = suggest_date(
        "the previous day", published=date(2023, 10, 12), anchor=date(2023, 10, 10)
    )
    assert found is not None
    assert found.value == "2023-10-09"
    assert "2023-10-10" in found.explanation
    fallback = suggest_date("the previous day", published=date(2023, 10, 12))
    assert fallback is not None
    assert (fallback.value, fallback.confidence) == ("2023-10-11", Confidence.LOW)


# --------------------------------------------------------------------------- periods


@pytest.mark.parametrize(
    ("text", "published", "expected", "kind"),
    [
        ("last week", MON, "2023-W40", DateKind.WEEK),
        ("this week", FRI, "2023-W40", DateKind.WEEK),
        ("next week", FRI, "2023-W41", DateKind.WEEK),
        ("last week", date(2024, 1, 3), "2023-W52", DateKind.WEEK),
        ("next month", FRI, "2023-11", DateKind.MONTH),
        ("last month", date(2024, 1, 15), "2023-12", DateKind.MONTH),
        ("later this month", FRI, "2023-10", DateKind.MONTH),
        ("late next month", FRI, "2023-11-21/2023-11-30", DateKind.INTERVAL),
        ("next year", FRI, "2024", DateKind.YEAR),
        ("early next year", FRI, "2024", DateKind.YEAR),
        ("last year", FRI, "2022", DateKind.YEAR),
        ("the end of the year", FRI, "2023", DateKind.YEAR),
        ("the weekend", WED, "2023-10-07/2023-10-08", DateKind.INTERVAL),
        ("last weekend", FRI, "2023-09-30/2023-10-01", DateKind.INTERVAL),
        ("next weekend", FRI, "2023-10-07/2023-10-08", DateKind.INTERVAL),
        ("two weeks ago", FRI, "2023-W38", DateKind.WEEK),
        ("3 days ago", FRI, "2023-10-03", DateKind.DATE),
    ],
)
def test_relative_periods(text: str, published: date, expected: str, kind: DateKind) -> None:
    found = suggest_date(text, published=published)
    assert found is not None
    assert (found.value, found.kind) == (expected, kind)


def test_the_weekend_with_future_wording_is_the_coming_one() -> None:
    context = "Villanueva flies to Tokyo, where she will meet Japanese officials over the weekend."
    assert value("the weekend", WED, context) == "2023-10-14/2023-10-15"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("late September", "2023-09-21/2023-09-30"),
        ("early September", "2023-09-01/2023-09-10"),
        ("mid-September", "2023-09-11/2023-09-20"),
        ("the end of September", "2023-09-21/2023-09-30"),
        ("late February", "2023-02-21/2023-02-28"),
        ("late February 2024", "2024-02-21/2024-02-29"),
    ],
)
def test_parts_of_a_month_are_intervals(text: str, expected: str) -> None:
    found = suggest_date(text, published=FRI)
    assert found is not None
    assert (found.value, found.kind) == (expected, DateKind.INTERVAL)


@pytest.mark.parametrize(
    ("text", "context", "expected"),
    [
        ("in March", "", "2023-03"),
        ("March", "The two sides met in March.", "2023-03"),
        ("March", "They will meet again in March.", "2024-03"),
        ("March", "Both sides pledged to hold the next round in Tokyo in March.", "2024-03"),
        ("March", "The deal, under negotiation since March, will allow new bids.", "2023-03"),
        ("October", "", "2023-10"),
        ("October", "The summit will take place in October.", "2023-10"),
        ("late October", "", "2022-10-21/2022-10-31"),  # has not started yet: last year's
        ("late October", "The vote is expected in late October.", "2023-10-21/2023-10-31"),
        ("since March", "", "2023-03"),
    ],
)
def test_month_names_follow_the_tense(text: str, context: str, expected: str) -> None:
    assert value(text, FRI, context) == expected


# --------------------------------------------------------------------------- absolute forms


@pytest.mark.parametrize(
    ("text", "expected", "kind"),
    [
        ("Oct. 6, 2023", "2023-10-06", DateKind.DATE),
        ("Sept. 29, 2023", "2023-09-29", DateKind.DATE),
        ("2023-10-05", "2023-10-05", DateKind.DATE),
        ("6 October 2023", "2023-10-06", DateKind.DATE),
        ("October 6, 2023.", "2023-10-06", DateKind.DATE),
        ("October 2014", "2014-10", DateKind.MONTH),
        ("2005", "2005", DateKind.YEAR),
        ("in 2005", "2005", DateKind.YEAR),
        ("mid-2022", "2022", DateKind.YEAR),
        ("2023-W40", "2023-W40", DateKind.WEEK),
        ("2023-10-14/2023-10-15", "2023-10-14/2023-10-15", DateKind.INTERVAL),
    ],
)
def test_absolute_forms(text: str, expected: str, kind: DateKind) -> None:
    found = suggest_date(text, published=FRI)
    assert found is not None
    assert (found.value, found.kind) == (expected, kind)


def test_day_and_month_without_year_take_the_year_from_the_tense() -> None:
    assert value("Oct. 8", FRI) == "2022-10-08"
    assert value("Oct. 8", FRI, "The summit will open on Oct. 8.") == "2023-10-08"
    assert value("Sept. 29", FRI) == "2023-09-29"


def test_absolute_dates_need_no_publication_date() -> None:
    assert value("Oct. 6, 2023", None) == "2023-10-06"
    assert value("October 2014", None) == "2014-10"
    assert value("Friday", None) is None
    assert value("the previous day", None) is None
    assert value("Oct. 6", None) is None


def test_a_datetime_publication_counts_as_its_date() -> None:
    found = suggest_date("yesterday", published=datetime(2023, 10, 6, 23, 59))
    assert found is not None and found.value == "2023-10-05"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "garbage",
        "Seoul",
        "12",
        "the 5th",
        "2023-02-30",
        "2023-W60",
        "2023-10-15/2023-10-14",
        "x" * 500,
        "\x00\x01",
        "Friday Friday Friday",
        "99999",
        "🤝",
    ],
)
def test_odd_input_gives_none(text: str) -> None:
    assert suggest_date(text, published=FRI) is None


def test_odd_types_and_extreme_dates_never_raise() -> None:
    assert suggest_date(None, published=FRI) is None  # type: ignore[arg-type]
    assert suggest_date("Friday", published="2023-10-06") is None  # type: ignore[arg-type]
    assert suggest_date("tomorrow", published=date.max) is None
    assert suggest_date("yesterday", published=date.min) is None
    assert suggest_date("last week", published=date.min) is None
    assert suggest_date("Friday", published=FRI, context=None) is None  # type: ignore[arg-type]


# --------------------------------------------------------------------------- publication


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Published: Oct. 6, 2023 - 14:39", date(2023, 10, 6)),
        ("Published: Sept. 22, 2023 - 07:30", date(2023, 9, 22)),
        ("Published : 6 October 2023", date(2023, 10, 6)),
        ("Updated on Oct. 7, 2023, 10:12 KST", date(2023, 10, 7)),
        ("2023-10-06", date(2023, 10, 6)),
        ("2023-10-06T14:39:00+09:00", date(2023, 10, 6)),
        ("2023-10-06T01:00:00Z", date(2023, 10, 6)),
        ("Fri, 06 Oct 2023 14:39:00 +0900", date(2023, 10, 6)),
        ("yesterday", None),
        ("Published:", None),
        ("nonsense", None),
        ("", None),
    ],
)
def test_parse_published(line: str, expected: date | None) -> None:
    assert parse_published(line) == expected


def test_find_published_prefers_the_published_line() -> None:
    text = "Title\nBy Someone\nUpdated: Oct. 8, 2023\nPublished: Oct. 6, 2023 - 14:39\n\nBody."
    assert find_published(text) == date(2023, 10, 6)
    assert find_published("Title\nBody without a date line.") is None


def test_narrative_anchor_is_the_last_day_mentioned_before() -> None:
    text = (
        "Published: Oct. 12, 2023 - 18:02\n\n"
        "The ministers met in Geneva on Tuesday. They had met the previous day in Bern."
    )
    end = text.index("the previous day")
    assert narrative_anchor(text, end, published=date(2023, 10, 12)) == date(2023, 10, 10)
    # Only the publication line before: it is the anchor.
    assert narrative_anchor(text, text.index("The ministers"), published=None) == date(2023, 10, 12)
    assert narrative_anchor("No dates here.", 5, published=FRI) is None
    assert narrative_anchor(text, len(text) + 5, published=FRI) is None
