"""Suggested ISO 3166-1 alpha-2 codes for COUNTRY spans.

:func:`suggest_country` reads a country's name ("South Korea", "Republic of Korea",
"Türkiye", "Côte d'Ivoire", "the Philippines", "Viet Nam"), an adjective or demonym
("Japanese", "South Korean", "Ivorian", "Filipinos") or an abbreviation ("S. Korea",
"U.S.", "UK", "ROK", "DPRK"), and gives the country's code with its names.

* Names come from pycountry (ISO short name, official name and common name, plus the
  "Korea, Republic of" forms turned around into "Republic of Korea"), completed by
  :data:`NAME_ALIASES` for names ISO does not use ("Turkey", "Ivory Coast", "Russia").
* Demonyms and abbreviations come from the small tables :data:`DEMONYMS` and
  :data:`ABBREVIATIONS` below; nothing is guessed fuzzily.
* Matching ignores case, accents, punctuation, a leading "the", a possessive ("Japan's",
  "the Philippines'"), a plural demonym ("Filipinos") and compounds such as
  "Korean-made" or "U.S.-led". Abbreviations and two/three-letter ISO codes only match
  when the text is not all lower case, so the pronoun "us" is not the United States.
* "Korean" (and "Korea") alone means South Korea (KR): in current international news
  North Korea is always qualified ("North Korean", "DPRK"). The suggestion says so and
  is marked medium confidence.
* Cities and capitals are not countries: "Seoul", "Tokyo", "Manila" (and "Seoul's",
  "Seoul-based") give None, even where the text uses a capital for its government; the
  annotator sets such codes by hand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

import pycountry

from spanlab.core.normalize.common import Confidence, clean_text, strip_accents

__all__ = [
    "ABBREVIATIONS",
    "DEMONYMS",
    "NAME_ALIASES",
    "CountrySuggestion",
    "country_key",
    "suggest_country",
]

MAX_LENGTH: Final = 80


@dataclass(frozen=True, slots=True)
class CountrySuggestion:
    """A suggested ISO 3166-1 code with the country's names and why it was chosen."""

    alpha_2: str
    name: str
    """Common name when ISO gives one ("South Korea"), else the ISO short name."""
    official_name: str
    """Official name when ISO gives one ("Republic of Türkiye"), else the short name."""
    explanation: str
    confidence: Confidence = Confidence.HIGH


NAME_ALIASES: Final[dict[str, str]] = {
    "Turkey": "TR",
    "Ivory Coast": "CI",
    "Vietnam": "VN",
    "Korea": "KR",
    "Russia": "RU",
    "Britain": "GB",
    "Great Britain": "GB",
    "America": "US",
    "Holland": "NL",
    "Burma": "MM",
    "Swaziland": "SZ",
    "Macedonia": "MK",
    "Cape Verde": "CV",
    "East Timor": "TL",
    "Brunei": "BN",
    "Vatican": "VA",
    "Vatican City": "VA",
    "Palestine": "PS",
    "Micronesia": "FM",
    "DR Congo": "CD",
    "Democratic Republic of Congo": "CD",
    "Congo-Kinshasa": "CD",
    "Congo-Brazzaville": "CG",
    "Mainland China": "CN",
}
"""Country names that ISO 3166 (as shipped by pycountry) does not list."""

ABBREVIATIONS: Final[dict[str, str]] = {
    "US": "US",
    "U.S.": "US",
    "USA": "US",
    "U.S.A.": "US",
    "UK": "GB",
    "U.K.": "GB",
    "ROK": "KR",
    "S. Korea": "KR",
    "DPRK": "KP",
    "N. Korea": "KP",
    "PRC": "CN",
    "UAE": "AE",
    "DRC": "CD",
    "KSA": "SA",
}
"""Abbreviations news uses for countries (matched ignoring dots and spacing)."""

DEMONYMS: Final[dict[str, str]] = {
    "Afghan": "AF",
    "Algerian": "DZ",
    "American": "US",
    "Argentine": "AR",
    "Argentinian": "AR",
    "Australian": "AU",
    "Austrian": "AT",
    "Bangladeshi": "BD",
    "Belgian": "BE",
    "Brazilian": "BR",
    "British": "GB",
    "Bruneian": "BN",
    "Burmese": "MM",
    "Cambodian": "KH",
    "Cameroonian": "CM",
    "Canadian": "CA",
    "Chilean": "CL",
    "Chinese": "CN",
    "Colombian": "CO",
    "Cuban": "CU",
    "Czech": "CZ",
    "Danish": "DK",
    "Dutch": "NL",
    "Egyptian": "EG",
    "Emirati": "AE",
    "Ethiopian": "ET",
    "Filipino": "PH",
    "Filipina": "PH",
    "Finnish": "FI",
    "French": "FR",
    "German": "DE",
    "Ghanaian": "GH",
    "Greek": "GR",
    "Hungarian": "HU",
    "Indian": "IN",
    "Indonesian": "ID",
    "Iranian": "IR",
    "Iraqi": "IQ",
    "Irish": "IE",
    "Israeli": "IL",
    "Italian": "IT",
    "Ivorian": "CI",
    "Japanese": "JP",
    "Jordanian": "JO",
    "Kenyan": "KE",
    "Korean": "KR",
    "South Korean": "KR",
    "S. Korean": "KR",
    "North Korean": "KP",
    "N. Korean": "KP",
    "Lao": "LA",
    "Laotian": "LA",
    "Lebanese": "LB",
    "Malaysian": "MY",
    "Malian": "ML",
    "Mexican": "MX",
    "Mongolian": "MN",
    "Moroccan": "MA",
    "Nepali": "NP",
    "Nepalese": "NP",
    "New Zealander": "NZ",
    "Nigerian": "NG",
    "Norwegian": "NO",
    "Pakistani": "PK",
    "Palestinian": "PS",
    "Peruvian": "PE",
    "Philippine": "PH",
    "Polish": "PL",
    "Portuguese": "PT",
    "Qatari": "QA",
    "Romanian": "RO",
    "Russian": "RU",
    "Saudi": "SA",
    "Senegalese": "SN",
    "Singaporean": "SG",
    "South African": "ZA",
    "Spanish": "ES",
    "Sri Lankan": "LK",
    "Swedish": "SE",
    "Swiss": "CH",
    "Syrian": "SY",
    "Taiwanese": "TW",
    "Thai": "TH",
    "Turkish": "TR",
    "Ukrainian": "UA",
    "Venezuelan": "VE",
    "Vietnamese": "VN",
}
"""Adjectives and demonyms ("Japanese officials", "a Filipino worker")."""

_AMBIGUOUS_KOREA: Final = frozenset({"korea", "korean"})
_COMPOUND_SUFFIX = re.compile(
    r"-(?:based|made|led|born|owned|backed|flagged|registered|funded|brokered|built|"
    r"sponsored|style|bound)$",
    re.IGNORECASE,
)
_POSSESSIVE = re.compile(r"(?:'s|')$")
_EDGE_PUNCTUATION = ' \t,;:!?()[]{}"“”«»'


def country_key(text: str) -> str:
    """The form names are compared in: "S. Korea" -> "s korea", "U.S." -> "us".

    Lower case without accents or apostrophes, other punctuation as spaces, runs of
    single letters joined ("u s a" -> "usa") and a leading "the" dropped.
    """
    flat = strip_accents(clean_text(text)).casefold().replace("'", "")
    words = re.sub(r"[^0-9a-z]+", " ", flat).split()
    joined: list[str] = []
    run: list[str] = []
    for word in [*words, ""]:
        if len(word) == 1:
            run.append(word)
            continue
        if run:
            joined.extend(["".join(run)] if len(run) > 1 else run)
            run = []
        if word:
            joined.append(word)
    if joined and joined[0] == "the":
        joined = joined[1:]
    return " ".join(joined)


@dataclass(frozen=True, slots=True)
class _Entry:
    alpha_2: str
    how: str  # what kind of form matched, for the explanation


def _turned(name: str) -> str:
    """ISO's inverted names read naturally: "Korea, Republic of" -> "Republic of Korea"."""
    if name.count(",") != 1:
        return name
    head, tail = (part.strip() for part in name.split(","))
    return f"{tail} {head}"


@lru_cache(maxsize=1)
def _name_index() -> dict[str, _Entry]:
    index: dict[str, _Entry] = {}
    countries = list(pycountry.countries)
    for field, how in (
        ("name", "ISO 3166 name"),
        ("common_name", "common name"),
        ("official_name", "official name"),
    ):
        for country in countries:
            value = getattr(country, field, None)
            if isinstance(value, str) and value:
                index.setdefault(country_key(value), _Entry(country.alpha_2, how))
    for country in countries:  # "Korea, Republic of" -> "Republic of Korea"
        for field in ("name", "official_name"):
            value = getattr(country, field, None)
            if isinstance(value, str) and value.count(",") == 1:
                turned = country_key(_turned(value))
                index.setdefault(turned, _Entry(country.alpha_2, "ISO 3166 name"))
    for alias, code in NAME_ALIASES.items():
        index.setdefault(country_key(alias), _Entry(code, "alias"))
    return index


@lru_cache(maxsize=1)
def _table(which: str) -> dict[str, str]:
    table = ABBREVIATIONS if which == "abbreviation" else DEMONYMS
    return {country_key(form): code for form, code in table.items()}


def _make(code: str, explanation: str, confidence: Confidence) -> CountrySuggestion | None:
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return None
    short = _turned(country.name)
    name = getattr(country, "common_name", None) or short
    official = getattr(country, "official_name", None) or short
    return CountrySuggestion(country.alpha_2, name, official, explanation, confidence)


def suggest_country(text: str) -> CountrySuggestion | None:
    """The ISO 3166-1 alpha-2 code the country mention ``text`` refers to, or None.

    See the module docstring for what is matched. Cities ("Seoul") and anything unknown
    give None; odd input never raises.
    """
    if not isinstance(text, str):
        return None
    raw = clean_text(text).strip(_EDGE_PUNCTUATION)
    if not raw or len(raw) > MAX_LENGTH:
        return None
    raw = _POSSESSIVE.sub("", raw).strip(_EDGE_PUNCTUATION)
    compound = _COMPOUND_SUFFIX.search(raw)
    if compound is not None:
        raw = raw[: compound.start()]
    key = country_key(raw)
    if not key:
        return None
    found = _lookup(raw, key)
    if found is None:
        return None
    code, explanation, confidence = found
    if compound is not None:
        explanation += f" (in '{clean_text(text)}')"
    return _make(code, explanation, confidence)


def _lookup(raw: str, key: str) -> tuple[str, str, Confidence] | None:
    if key in _AMBIGUOUS_KOREA:
        return (
            "KR",
            f"'{raw}' alone is taken as South Korea (North Korea is always qualified)",
            Confidence.MEDIUM,
        )
    entry = _name_index().get(key)
    if entry is not None:
        return entry.alpha_2, f"{entry.how} '{raw}'", Confidence.HIGH
    letters = re.sub(r"[^A-Za-z]", "", strip_accents(raw))
    if not raw.islower():
        code = _table("abbreviation").get(key)
        if code is not None:
            return code, f"abbreviation '{raw}'", Confidence.HIGH
        if letters.isupper() and 2 <= len(letters) <= 3:
            if len(letters) == 2:
                country = pycountry.countries.get(alpha_2=letters)
            else:
                country = pycountry.countries.get(alpha_3=letters)
            if country is not None:
                return country.alpha_2, f"ISO 3166 code '{raw}'", Confidence.MEDIUM
    demonyms = _table("demonym")
    for form in (key, key[:-1] if key.endswith("s") else None):
        if form and form in demonyms:
            return demonyms[form], f"adjective or demonym '{raw}'", Confidence.HIGH
    return None
