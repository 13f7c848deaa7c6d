"""Shared machinery of the token-based formats (CoNLL, spaCy, Hugging Face, TACRED, DocRED, XMI).

Formats that count tokens instead of characters all need the same four things, and
they must agree on them, so they live here:

* **Tokens and sentences** (:func:`document_sentences`): SpanLab's own tokenizer and
  sentence splitter (``spanlab.core.text``), or spaCy's ``blank("en")`` tokenizer grouped
  into SpanLab's sentences. Tokens never contain separator characters (whitespace,
  U+200B, U+FEFF, U+2060): spaCy tokens are cut at them, so a token can always be
  written on a CoNLL line.
* **Alignment** (:func:`align_span`): a span is *aligned* when the tokens it touches
  are exactly the tokens fully inside it (whitespace at its edges does not matter).
  Otherwise it cuts a token and ``ExportOptions.alignment`` decides: ``expand`` grows it
  to every token it touches, ``contract`` shrinks it to the tokens fully inside (left out
  if none is), ``refuse`` leaves it out. Every misaligned span is counted in
  ``report.misaligned`` with an example saying what happened, and every span that is
  not written is counted in ``report.left_out`` with the reason; with ``refuse`` the
  caller (``spanlab.core.exporting``) stops the export when ``report.misaligned`` is not
  zero.
* **The flat subset** (:func:`flat_subset`): flat formats (CoNLL, HF tags, ``doc.ents``)
  keep a deterministic non-overlapping subset of the aligned spans: longest first (in
  tokens), then earliest, then label name, then input order.
* **Tagging schemes** (:func:`encode_tags`, :func:`decode_tags`, :func:`detect_scheme`):
  IOB1 (I- everywhere, B- only where a chunk directly follows one of the same type, as in
  the original CoNLL-2003 files), IOB2 (B- on every chunk start, the Hugging Face
  ``conll2003`` dialect), BIOES (S- single, E- end; seqeval calls it IOBES) and BILOU
  (U- unit, L- last; spaCy's BILUO).

Sentences are merged where an exported span crosses a sentence boundary
(:func:`merge_sentences`), because sentence-based formats treat sentences
independently and would otherwise split the span in two.

What a format cannot carry at all (its ``carries``) is counted by
``spanlab.core.exporting``; the helpers here only report what a format loses
partially (overlaps, misaligned spans).
"""

from __future__ import annotations

import functools
import json
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Protocol, TypeVar

from spanlab.core.errors import SpanLabError
from spanlab.core.formats.base import (
    Alignment,
    AnnotationLayer,
    ExportDocument,
    ExportOptions,
    ExportReport,
    Tokenizer,
    output_name,
)
from spanlab.core.formats.common import OutputFiles, output_files
from spanlab.core.model import Document, Span
from spanlab.core.text import SEPARATORS, Token, sentence_spans, sentence_tokens

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = [
    "SCHEMES",
    "SPACY_MISSING",
    "AlignedSpan",
    "JsonArrays",
    "LayerRecords",
    "TaggedSentence",
    "TokenIndex",
    "TokenSpan",
    "align_layer",
    "align_span",
    "blank_english",
    "decode_tags",
    "detect_scheme",
    "document_sentences",
    "dumps",
    "encode_tags",
    "flat_subset",
    "json_value",
    "merge_sentences",
    "normalise_scheme",
    "sorted_spans",
    "spacy_tokens",
    "tag_layer",
    "tag_names",
    "where",
]

SCHEMES: Final = ("IOB1", "IOB2", "BIOES", "BILOU")
"""Tagging schemes the token formats write and read."""

_ALIASES: Final = {"BIO": "IOB2", "IOBES": "BIOES", "BILUO": "BILOU"}

# Prefixes each scheme may use, in the order tag_names lists them for a label.
_PREFIXES: Final[Mapping[str, tuple[str, ...]]] = {
    "IOB1": ("I", "B"),
    "IOB2": ("B", "I"),
    "BIOES": ("B", "I", "E", "S"),
    "BILOU": ("B", "I", "L", "U"),
}

SPACY_MISSING: Final = (
    "this needs spaCy, which is not installed: install spanlab[spacy] "
    "(pip install 'spanlab[spacy]')"
)


# --------------------------------------------------------------------------- schemes


def normalise_scheme(name: str) -> str:
    """The canonical scheme name for ``name`` (case-insensitive; BIO, IOBES, BILUO too).

    Raises:
        SpanLabError: the scheme is unknown.
    """
    key = name.strip().upper()
    key = _ALIASES.get(key, key)
    if key not in SCHEMES:
        raise SpanLabError(f"unknown tagging scheme '{name}' (use one of: {', '.join(SCHEMES)})")
    return key


@dataclass(frozen=True, slots=True, order=True)
class TokenSpan:
    """A labelled run of tokens ``[start, end)`` (token indices, end exclusive)."""

    start: int
    end: int
    label: str


def tag_names(labels: Iterable[str], scheme: str) -> list[str]:
    """``O`` and then every tag of every label in ``labels`` order (label ids for HF)."""
    prefixes = _PREFIXES[normalise_scheme(scheme)]
    names = ["O"]
    for label in labels:
        names.extend(f"{prefix}-{label}" for prefix in prefixes)
    return names


def encode_tags(n_tokens: int, spans: Iterable[TokenSpan], scheme: str) -> list[str]:
    """Tags for ``n_tokens`` tokens carrying the non-overlapping ``spans``.

    Raises:
        ValueError: spans overlap, are empty or fall outside the tokens.
    """
    scheme = normalise_scheme(scheme)
    tags = ["O"] * n_tokens
    previous_end = 0
    previous_label: str | None = None
    for span in sorted(spans):
        if not 0 <= span.start < span.end <= n_tokens:
            raise ValueError(f"span {span} outside 0..{n_tokens} or empty")
        if span.start < previous_end:
            raise ValueError(f"span {span} overlaps the previous one; take flat_subset first")
        label, length = span.label, span.end - span.start
        if scheme == "IOB1":
            adjacent = span.start == previous_end and previous_label == label
            tags[span.start] = f"B-{label}" if adjacent else f"I-{label}"
            for i in range(span.start + 1, span.end):
                tags[i] = f"I-{label}"
        elif scheme == "IOB2":
            tags[span.start] = f"B-{label}"
            for i in range(span.start + 1, span.end):
                tags[i] = f"I-{label}"
        else:
            single, last = ("S", "E") if scheme == "BIOES" else ("U", "L")
            if length == 1:
                tags[span.start] = f"{single}-{label}"
            else:
                tags[span.start] = f"B-{label}"
                for i in range(span.start + 1, span.end - 1):
                    tags[i] = f"I-{label}"
                tags[span.end - 1] = f"{last}-{label}"
        previous_end, previous_label = span.end, label
    return tags


def _split_tag(tag: str) -> tuple[str, str]:
    prefix, dash, label = tag.partition("-")
    if not dash or len(prefix) != 1 or not label:
        raise ValueError(f"'{tag}' is not a tag (expected O or PREFIX-LABEL, e.g. B-PERSON)")
    return prefix.upper(), label


def decode_tags(tags: Sequence[str], scheme: str) -> list[TokenSpan]:
    """The chunks in one sentence's ``tags`` (lenient about ill-formed sequences).

    A chunk starts at ``B-``, at ``S-``/``U-``, or at an ``I-``/``E-``/``L-`` whose label
    differs from the open chunk (so IOB1 and IOB2 decode alike, as conlleval does);
    ``E-``/``L-``/``S-``/``U-`` close it.

    Raises:
        ValueError: a tag is malformed or uses a prefix the scheme does not have.
    """
    scheme = normalise_scheme(scheme)
    allowed = _PREFIXES[scheme]
    closing = {"E", "L"}
    single = {"S", "U"}
    chunks: list[TokenSpan] = []
    open_start: int | None = None
    open_label = ""

    def close(end: int) -> None:
        nonlocal open_start
        if open_start is not None:
            chunks.append(TokenSpan(open_start, end, open_label))
        open_start = None

    for i, tag in enumerate(tags):
        if tag == "O":
            close(i)
            continue
        prefix, label = _split_tag(tag)
        if prefix not in allowed:
            valid = ", ".join(allowed)
            raise ValueError(f"tag '{tag}' is not valid in {scheme} (prefixes: {valid})")
        continues = open_start is not None and open_label == label
        if prefix == "B" or prefix in single or not continues:
            close(i)
            open_start, open_label = i, label
        if prefix in single or prefix in closing:
            close(i + 1)
    close(len(tags))
    return chunks


def detect_scheme(sequences: Iterable[Sequence[str]]) -> str:
    """The scheme ``sequences`` of tags are written in (IOB2 when nothing tells).

    ``E-``/``S-`` mean BIOES, ``L-``/``U-`` BILOU; otherwise a chunk that starts with
    ``I-`` (at the sentence start or after another type) means IOB1.

    Raises:
        ValueError: a tag is malformed, or BIOES and BILOU prefixes are mixed.
    """
    seen: set[str] = set()
    iob1 = False
    for tags in sequences:
        previous = "O"
        for tag in tags:
            if tag != "O":
                prefix, label = _split_tag(tag)
                seen.add(prefix)
                if prefix == "I" and (previous == "O" or _split_tag(previous)[1] != label):
                    iob1 = True
            previous = tag
    if seen & {"E", "S"} and seen & {"L", "U"}:
        raise ValueError("tags mix BIOES (E-, S-) and BILOU (L-, U-) prefixes")
    if seen & {"E", "S"}:
        return "BIOES"
    if seen & {"L", "U"}:
        return "BILOU"
    return "IOB1" if iob1 else "IOB2"


# ------------------------------------------------------------------------- alignment


class TokenIndex:
    """Tokens of one text with the lookups alignment needs (``O(log n)`` each)."""

    __slots__ = ("_ends", "_starts", "text", "tokens")

    def __init__(self, text: str, tokens: Sequence[Token]) -> None:
        self.text = text
        self.tokens = list(tokens)
        self._starts = [token.start for token in self.tokens]
        self._ends = [token.end for token in self.tokens]

    def __len__(self) -> int:
        return len(self.tokens)

    def expand(self, start: int, end: int) -> tuple[int, int]:
        """Token range ``[i, j)`` of every token overlapping ``[start, end)`` (maybe empty)."""
        return bisect_right(self._ends, start), bisect_left(self._starts, end)

    def contract(self, start: int, end: int) -> tuple[int, int]:
        """Token range ``[i, j)`` of the tokens fully inside ``[start, end)`` (maybe empty)."""
        return bisect_left(self._starts, start), bisect_right(self._ends, end)

    def chars(self, first: int, end: int) -> tuple[int, int]:
        """Character span ``[start, end)`` of the token range ``[first, end)`` (non-empty)."""
        return self.tokens[first].start, self.tokens[end - 1].end

    def covered(self, first: int, end: int) -> str:
        """The text of the token range ``[first, end)``."""
        start, stop = self.chars(first, end)
        return self.text[start:stop]


def align_span(
    index: TokenIndex,
    span: Span,
    alignment: Alignment,
    report: ExportReport,
    *,
    where: str = "",
) -> tuple[int, int] | None:
    """The token range ``[i, j)`` to write ``span`` as, or ``None`` if it is left out.

    Aligned spans come back unchanged. A misaligned span is expanded, contracted or
    refused as ``alignment`` says and recorded with ``report.misalign``; spans that end
    up with no token are recorded with ``report.leave_out`` (see the module docstring).
    """
    first, last = index.expand(span.start, span.end)
    if first >= last:
        report.leave_out("spans covering no token (only whitespace)")
        report.misalign(f"{where}{_describe(span)}: covers no token, left out")
        return None
    inner = index.contract(span.start, span.end)
    if inner == (first, last):
        return first, last
    if alignment is Alignment.EXPAND:
        report.misalign(f"{where}{_describe(span)}: expanded to {index.covered(first, last)!r}")
        return first, last
    if alignment is Alignment.CONTRACT:
        if inner[0] < inner[1]:
            report.misalign(f"{where}{_describe(span)}: contracted to {index.covered(*inner)!r}")
            return inner
        report.leave_out("spans inside a single token (contract leaves no token)")
        report.misalign(f"{where}{_describe(span)}: no whole token inside, left out")
        return None
    report.leave_out("spans not on token boundaries (alignment: refuse)")
    report.misalign(f"{where}{_describe(span)}: not on token boundaries, refused")
    return None


def _describe(span: Span) -> str:
    return f"{span.label} {span.text!r} [{span.start}, {span.end})"


class _Ranged(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...

    @property
    def label(self) -> str: ...


R = TypeVar("R", bound=_Ranged)


def flat_subset(spans: Sequence[R]) -> tuple[list[R], list[R]]:
    """``(kept, dropped)``: a non-overlapping subset of ``spans`` and the rest.

    Greedy and deterministic: longest first, then earliest start, then label name,
    then input order. ``kept`` comes back in document order, ``dropped`` in input order.
    """
    order = sorted(
        range(len(spans)),
        key=lambda i: (-(spans[i].end - spans[i].start), spans[i].start, spans[i].label, i),
    )
    taken: list[tuple[int, int]] = []  # sorted, non-overlapping (start, end)
    kept_ids: set[int] = set()
    for i in order:
        start, end = spans[i].start, spans[i].end
        k = bisect_left(taken, (start, start))
        clash = (k > 0 and taken[k - 1][1] > start) or (k < len(taken) and taken[k][0] < end)
        if not clash:
            taken.insert(k, (start, end))
            kept_ids.add(i)
    kept = sorted((spans[i] for i in kept_ids), key=lambda s: (s.start, s.end))
    dropped = [spans[i] for i in range(len(spans)) if i not in kept_ids]
    return kept, dropped


def sorted_spans(spans: Iterable[Span]) -> list[Span]:
    """Spans in document order (start, end, label, id): the order every format writes."""
    return sorted(spans, key=lambda s: (s.start, s.end, s.label, s.id))


@dataclass(frozen=True, slots=True)
class TaggedSentence:
    """One sentence of a flat token format: its tokens and one tag per token."""

    tokens: list[Token]
    tags: list[str]


def tag_layer(
    text: str,
    sentences: Sequence[Sequence[Token]],
    layer: AnnotationLayer,
    *,
    alignment: Alignment,
    scheme: str,
    report: ExportReport,
    format_name: str,
    where: str = "",
) -> list[TaggedSentence]:
    """The flat tagging of ``layer`` over ``sentences`` (the CoNLL / HF record body).

    Spans are aligned, reduced to the flat subset (the rest is reported as
    ``overlapping spans (<format_name> is flat)``), sentences crossed by a kept span
    are merged, and each sentence is tagged on its own.
    """
    index = TokenIndex(text, [token for sentence in sentences for token in sentence])
    aligned: list[TokenSpan] = []
    for span in sorted_spans(layer.spans):
        found = align_span(index, span, alignment, report, where=where)
        if found is not None:
            aligned.append(TokenSpan(found[0], found[1], span.label))
    kept, dropped = flat_subset(aligned)
    report.leave_out(f"overlapping spans ({format_name} is flat)", len(dropped))
    merged = merge_sentences(sentences, (index.chars(s.start, s.end) for s in kept))
    tagged: list[TaggedSentence] = []
    offset = 0
    k = 0
    for sentence in merged:
        end = offset + len(sentence)
        local: list[TokenSpan] = []
        while k < len(kept) and kept[k].start < end:
            chunk = kept[k]
            local.append(TokenSpan(chunk.start - offset, chunk.end - offset, chunk.label))
            k += 1
        tagged.append(TaggedSentence(sentence, encode_tags(len(sentence), local, scheme)))
        offset = end
    return tagged


# ---------------------------------------------------------------- tokens, sentences


@functools.cache
def blank_english() -> Language:
    """A shared ``spacy.blank("en")`` (loaded once; no model download).

    Raises:
        SpanLabError: spaCy is not installed.
    """
    try:
        import spacy
    except ImportError as exc:
        raise SpanLabError(SPACY_MISSING) from exc
    return spacy.blank("en")


_SEPARATOR_RUN: Final = re.compile("[" + re.escape("".join(sorted(SEPARATORS))) + "]+")


def _cut_at_separators(start: int, text: str) -> Iterator[Token]:
    """``text`` (found at ``start``) without separator characters, as tokens."""
    position = 0
    for match in _SEPARATOR_RUN.finditer(text):
        if match.start() > position:
            yield Token(start + position, start + match.start(), text[position : match.start()])
        position = match.end()
    if position < len(text):
        yield Token(start + position, start + len(text), text[position:])


def spacy_tokens(text: str) -> list[Token]:
    """spaCy ``blank("en")`` tokens of ``text`` as SpanLab tokens, cut at separators."""
    doc = blank_english().make_doc(text)
    tokens: list[Token] = []
    for token in doc:
        tokens.extend(_cut_at_separators(token.idx, token.text))
    return tokens


def document_sentences(text: str, tokenizer: Tokenizer) -> list[list[Token]]:
    """Sentences of ``text`` as token lists, with SpanLab's or spaCy's tokens.

    spaCy tokens are grouped into SpanLab's sentences by where they start.
    """
    if tokenizer is Tokenizer.SPANLAB:
        return sentence_tokens(text)
    tokens = spacy_tokens(text)
    bounds = sentence_spans(text)
    starts = [start for start, _ in bounds]
    sentences: list[list[Token]] = [[] for _ in bounds]
    for token in tokens:
        k = max(bisect_right(starts, token.start) - 1, 0)
        sentences[k].append(token)
    return [sentence for sentence in sentences if sentence]


def merge_sentences(
    sentences: Sequence[Sequence[Token]], ranges: Iterable[tuple[int, int]]
) -> list[list[Token]]:
    """``sentences`` with every boundary crossed by a character range in ``ranges`` removed."""
    if len(sentences) < 2:
        return [list(sentence) for sentence in sentences]
    starts = [sentence[0].start for sentence in sentences]
    joined = [False] * len(sentences)  # joined[k]: sentence k continues sentence k - 1
    for start, end in ranges:
        if end <= start:
            continue
        first = max(bisect_right(starts, start) - 1, 0)
        last = max(bisect_right(starts, end - 1) - 1, 0)
        for k in range(first + 1, last + 1):
            joined[k] = True
    merged: list[list[Token]] = []
    for k, sentence in enumerate(sentences):
        if joined[k] and merged:
            merged[-1].extend(sentence)
        else:
            merged.append(list(sentence))
    return merged


@dataclass(frozen=True, slots=True)
class AlignedSpan:
    """A span placed on tokens: document token range and sentence-relative range."""

    span: Span
    start: int  # first token, document-wide index
    end: int  # one past the last token, document-wide index
    sentence: int  # index into the merged sentences
    sentence_start: int  # first token within the sentence
    sentence_end: int  # one past the last token within the sentence


def align_layer(
    text: str,
    sentences: Sequence[Sequence[Token]],
    layer: AnnotationLayer,
    *,
    alignment: Alignment,
    report: ExportReport,
    where: str = "",
) -> tuple[list[list[Token]], list[AlignedSpan]]:
    """Every span of ``layer`` aligned to tokens, with sentences merged where spans cross.

    Spans that cannot be aligned are left out (and reported) by :func:`align_span`.
    Returns the merged sentences and the aligned spans in document order.
    """
    index = TokenIndex(text, [token for sentence in sentences for token in sentence])
    found: list[tuple[Span, int, int]] = []
    for span in sorted_spans(layer.spans):
        token_range = align_span(index, span, alignment, report, where=where)
        if token_range is not None:
            found.append((span, *token_range))
    merged = merge_sentences(sentences, (index.chars(first, end) for _, first, end in found))
    starts: list[int] = []
    offset = 0
    for sentence in merged:
        starts.append(offset)
        offset += len(sentence)
    aligned = []
    for span, first, end in found:
        k = bisect_right(starts, first) - 1
        aligned.append(AlignedSpan(span, first, end, k, first - starts[k], end - starts[k]))
    return merged, aligned


# ------------------------------------------------------------------------- helpers


def json_value(value: Any) -> Any:
    """A plain-JSON copy of an attribute value (read-only mappings become dicts)."""
    if isinstance(value, Mapping):
        return {str(key): json_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_value(item) for item in value]
    return value


def where(document: Document, layer: AnnotationLayer) -> str:
    """Prefix of a misalignment example: which document and whose layer."""
    return f"document {document.id} ({layer.annotator}): "


def dumps(record: Any) -> str:
    """One JSON record on one line, non-ASCII kept, keys in the order given."""
    return json.dumps(record, ensure_ascii=False)


class JsonArrays:
    """JSON array files (TACRED, DocRED) with one record per line, opened on first use."""

    def __init__(self, files: OutputFiles) -> None:
        self.files = files
        self.counts: dict[str, int] = {}

    def open(self, name: str) -> None:
        """Start the array in ``name`` (an empty array if nothing is added)."""
        if name not in self.counts:
            self.files.get(name).write("[")
            self.counts[name] = 0

    def add(self, name: str, record: Any) -> None:
        """Append ``record`` to the array in ``name``."""
        self.open(name)
        handle = self.files.get(name)
        handle.write(",\n" if self.counts[name] else "\n")
        handle.write(dumps(record))
        self.counts[name] += 1

    def finish(self) -> None:
        """Close every array (call before the files are closed)."""
        for name, count in self.counts.items():
            self.files.get(name).write("\n]\n" if count else "]\n")


LayerRecords = Callable[[Document, list[list[Token]], AnnotationLayer], Iterable[Any]]
"""The JSON records of one annotation layer of a document, given its sentences."""


def write_json_arrays(
    documents: Iterable[ExportDocument],
    out_dir: Path,
    *,
    tokenizer: Tokenizer,
    records: LayerRecords,
    stem: str,
    suffix: str,
) -> None:
    """One JSON array file per split holding ``records`` of every layer, in document order.

    Documents are tokenized once whatever the number of layers, and records are streamed
    to disk as they come (TACRED and DocRED exports of large projects stay small in memory).
    """
    with output_files(out_dir) as files:
        arrays = JsonArrays(files)
        for item in documents:
            name = output_name(item.split, stem, suffix)
            arrays.open(name)
            sentences = document_sentences(item.document.text, tokenizer)
            for layer in item.layers:
                for record in records(item.document, sentences, layer):
                    arrays.add(name, record)
        arrays.finish()


def tagged_layers(
    documents: Iterable[ExportDocument],
    options: ExportOptions,
    *,
    scheme: str,
    report: ExportReport,
    format_name: str,
) -> Iterator[tuple[ExportDocument, AnnotationLayer, list[TaggedSentence]]]:
    """Each layer of each document with its flat tagging (CoNLL, Hugging Face).

    A document is tokenized once, however many annotators' layers it has.
    """
    for item in documents:
        document = item.document
        sentences = document_sentences(document.text, options.tokenizer)
        for layer in item.layers:
            yield (
                item,
                layer,
                tag_layer(
                    document.text,
                    sentences,
                    layer,
                    alignment=options.alignment,
                    scheme=scheme,
                    report=report,
                    format_name=format_name,
                    where=where(document, layer),
                ),
            )
