"""Country normalisation: names, demonyms, abbreviations, possessives and cities."""

from __future__ import annotations

import pycountry
import pytest

from spanlab.core.normalize.common import Confidence
from spanlab.core.normalize.countries import (
    ABBREVIATIONS,
    DEMONYMS,
    NAME_ALIASES,
    country_key,
    suggest_country,
)


def code(text: str) -> str | None:
    found = suggest_country(text)
    return None if found is None else found.alpha_2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("South Korea", "KR"),
        ("Republic of Korea", "KR"),
        ("Korea, Republic of", "KR"),
        ("North Korea", "KP"),
        ("Türkiye", "TR"),
        ("Turkiye", "TR"),
        ("Turkey", "TR"),
        ("Côte d'Ivoire", "CI"),
        ("Côte d’Ivoire", "CI"),
        ("Cote d'Ivoire", "CI"),
        ("Ivory Coast", "CI"),
        ("the Philippines", "PH"),
        ("Philippines", "PH"),
        ("Viet Nam", "VN"),
        ("Vietnam", "VN"),
        ("Japan", "JP"),
        ("United States of America", "US"),
        ("the United States", "US"),
        ("Russia", "RU"),
        ("Laos", "LA"),
        ("Czech Republic", "CZ"),
        ("Democratic Republic of the Congo", "CD"),
        ("Congo", "CG"),
        ("The Gambia", "GM"),
    ],
)
def test_names(text: str, expected: str) -> None:
    assert code(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Japanese", "JP"),
        ("South Korean", "KR"),
        ("S. Korean", "KR"),
        ("North Korean", "KP"),
        ("Ivorian", "CI"),
        ("Filipino", "PH"),
        ("Filipinos", "PH"),
        ("Philippine", "PH"),
        ("Turkish", "TR"),
        ("Chinese", "CN"),
        ("American", "US"),
        ("Americans", "US"),
        ("Spanish", "ES"),
        ("Danish", "DK"),
        ("Vietnamese", "VN"),
        ("Thai", "TH"),
        ("Cambodian", "KH"),
        ("Lao", "LA"),
        ("Swiss", "CH"),
    ],
)
def test_demonyms(text: str, expected: str) -> None:
    assert code(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("S. Korea", "KR"),
        ("S.Korea", "KR"),
        ("U.S.", "US"),
        ("US", "US"),
        ("the U.S.", "US"),
        ("USA", "US"),
        ("U.S.A.", "US"),
        ("UK", "GB"),
        ("U.K.", "GB"),
        ("ROK", "KR"),
        ("DPRK", "KP"),
        ("D.P.R.K.", "KP"),
        ("N. Korea", "KP"),
        ("PRC", "CN"),
        ("UAE", "AE"),
        ("DE", "DE"),
        ("GBR", "GB"),
    ],
)
def test_abbreviations(text: str, expected: str) -> None:
    assert code(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Japan's", "JP"),
        ("Japan’s", "JP"),
        ("Türkiye's", "TR"),
        ("the Philippines'", "PH"),
        ("U.S.'s", "US"),
        ("JAPAN", "JP"),
        ("south korea", "KR"),
        ("  South   Korea ", "KR"),
        ("(South Korea)", "KR"),
        ("South Korea,", "KR"),
        ("Korean-made", "KR"),
        ("U.S.-led", "US"),
    ],
)
def test_case_punctuation_and_possessives(text: str, expected: str) -> None:
    assert code(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Seoul",
        "Seoul's",
        "Seoul-based",
        "Tokyo",
        "Manila",
        "Geneva",
        "Ankara",
        "Washington",
        "us",  # the pronoun, not the United States
        "in",
        "ASEAN",
        "U.N.",
        "European",
        "Turkish-Danish",  # two countries
        "",
        "   ",
        "the",
        "'s",
        "x" * 200,
        "🤝",
    ],
)
def test_cities_and_non_countries_give_none(text: str) -> None:
    assert suggest_country(text) is None


def test_odd_types_never_raise() -> None:
    assert suggest_country(None) is None  # type: ignore[arg-type]
    assert suggest_country(42) is None  # type: ignore[arg-type]


def test_korean_alone_is_south_korea_with_a_note() -> None:
    found = suggest_country("Korean")
    assert found is not None
    assert (found.alpha_2, found.confidence) == ("KR", Confidence.MEDIUM)
    assert "South Korea" in found.explanation
    assert code("Korea") == "KR"
    assert code("Koreans") == "KR"


def test_suggestion_carries_names_and_explanation() -> None:
    found = suggest_country("S. Korea")
    assert found is not None
    assert found.name == "South Korea"
    assert found.official_name == "Republic of Korea"
    assert "abbreviation" in found.explanation
    turkey = suggest_country("Turkey")
    assert turkey is not None
    assert (turkey.name, turkey.official_name) == ("Türkiye", "Republic of Türkiye")


def test_alias_tables_point_at_real_codes_and_agree() -> None:
    for table in (NAME_ALIASES, ABBREVIATIONS, DEMONYMS):
        for form, alpha_2 in table.items():
            assert pycountry.countries.get(alpha_2=alpha_2) is not None, form
            if country_key(form) not in {"korea", "korean"}:
                assert code(form) == alpha_2, form


def test_country_key() -> None:
    assert country_key("S. Korea") == "s korea"
    assert country_key("U.S.") == "us"
    assert country_key("U. S. A.") == "usa"
    assert country_key("Côte d’Ivoire") == "cote divoire"
    assert country_key("the Philippines") == "philippines"
