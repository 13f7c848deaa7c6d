"""Canonical text: computed once at import, idempotent, and hashed."""

from __future__ import annotations

import hashlib
import re
import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from spanlab.core.importing.canonical import (
    CanonicalTextError,
    canonical_form,
    canonicalize,
    text_sha256,
)

# Text without lone surrogates, biased towards the characters canonicalisation touches.
SPECIAL = "\r\n\t \x00\x01\x0b\x0c\x1f\x7f\x85\x9f\u2028\u2029\ufeff\u00a0\u0301\u200d"
texts = st.text(
    alphabet=st.one_of(
        st.sampled_from([*SPECIAL, "e", "é", "한", "ᄒ", "ᅡ", "ᆫ", "🇰", "🇷", "👍", "🏽"]),
        st.characters(exclude_categories=("Cs",)),
    ),
    max_size=60,
)
CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@given(texts)
@example("\n\ufeffabc")  # a U+FEFF exposed by trimming must not survive a second pass
@example("a\x00\u0301")  # removing a control must not leave a composable pair unnormalised
@example("\r\r\n\u2028")
def test_canonicalize_is_idempotent_and_clean(text: str) -> None:
    once = canonicalize(text)
    assert canonicalize(once) == once
    assert "\r" not in once
    assert "\ufeff" not in once and "\u2028" not in once and "\u2029" not in once
    assert CONTROLS.search(once) is None  # only LF and TAB remain of the controls
    assert unicodedata.is_normalized("NFC", once)
    assert once == once.rstrip()
    assert not once.startswith("\n")
    first_line = once.split("\n", 1)[0]
    assert "\n" not in once or first_line.strip(" \t")  # no blank line at the start


@given(texts)
def test_canonical_form_hash_is_the_sha256_of_the_utf8_text(text: str) -> None:
    canonical, digest = canonical_form(text)
    assert digest == hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    assert digest == text_sha256(canonical)


@given(st.text(max_size=20), st.sampled_from(["\ud800", "\udfff", "\udc80"]), st.text(max_size=5))
def test_lone_surrogates_are_rejected_with_their_position(
    before: str, surrogate: str, after: str
) -> None:
    text = before + surrogate + after
    with pytest.raises(CanonicalTextError, match=r"lone surrogate\) at character \d+"):
        canonicalize(text)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\ufeffHello\r\nworld\r", "Hello\nworld"),
        ("\n\n  \t\nTitle\n\nBody  \n\n", "Title\n\nBody"),
        ("  indented first line", "  indented first line"),
        ("Cafe\u0301", "Caf\u00e9"),  # NFD to NFC
        ("a\x00b\x07c\x1bd\x85e\u200bf", "abcde\u200bf"),  # controls go, zero-width stays
        ("line\u2028break\u2029para", "line\nbreak\npara"),
        ("tab\tkept", "tab\tkept"),
        ("mid\ufeffdle", "middle"),
        ("\u1112\u1161\u11ab", "\ud55c"),  # conjoining jamo compose to one syllable
        ("   \n\t\n", ""),
    ],
)
def test_canonicalize_examples(raw: str, expected: str) -> None:
    assert canonicalize(raw) == expected


def test_surrogate_message_names_the_character_offset() -> None:
    with pytest.raises(CanonicalTextError, match=r"U\+D83D \(lone surrogate\) at character 3"):
        canonicalize("abc\ud83d")
