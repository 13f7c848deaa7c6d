"""Package-level checks: public API, purity of imports, separator definition."""

from __future__ import annotations

import ast
import importlib
import sys
from pathlib import Path

import regex

import spanlab.core.text
from spanlab.core.text import SEPARATORS

PACKAGE_DIR = Path(spanlab.core.text.__file__).parent
FORBIDDEN = ("PySide6", "shiboken6", "sqlalchemy", "sqlmodel", "spanlab.core.storage", "spanlab.ui")

PUBLIC = {
    "ABBREVIATIONS",
    "SEPARATORS",
    "GraphemeIndex",
    "OffsetError",
    "Token",
    "Utf8Offsets",
    "Utf16Offsets",
    "codepoint_to_utf8",
    "grapheme_boundaries",
    "is_separator",
    "iter_tokens",
    "sentence_spans",
    "sentence_tokens",
    "snap_to_graphemes",
    "tokenize",
    "utf8_to_codepoint",
    "utf16_len",
}


def test_public_names() -> None:
    assert set(spanlab.core.text.__all__) == PUBLIC
    for name in PUBLIC:
        assert getattr(spanlab.core.text, name) is not None


def test_no_forbidden_imports() -> None:
    for path in sorted(PACKAGE_DIR.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert not name.startswith(FORBIDDEN), f"{path.name} imports {name}"


def test_separators_are_isspace_plus_three_invisibles() -> None:
    every_char = [chr(cp) for cp in range(sys.maxunicode + 1)]
    expected = {ch for ch in every_char if ch.isspace()} | {"\u200b", "\ufeff", "\u2060"}
    assert expected == SEPARATORS
    # The regex character class used by the tokenizer must agree with the set.
    tokenize_module = importlib.import_module("spanlab.core.text.tokenize")
    sep_class = regex.compile(f"[{tokenize_module._SEP_SET}]")
    assert set(sep_class.findall("".join(every_char))) == SEPARATORS
