"""CoNLL-2003 named-entity columns: export and import.

Layout written (formats.md 2.1)::

    -DOCSTART- -X- -X- O
    <blank line>
    Chang -X- _ B-PERSON
    Ho-jin -X- _ I-PERSON
    met -X- _ O
    <blank line between sentences>
    ...

Decisions:

* Four columns ``TOKEN POS CHUNK NER`` separated by one space. SpanLab has no POS or
  chunk tags, so the POS column holds ``-X-`` (the CoNLL-2003 files' own "no value",
  as in their ``-DOCSTART-`` line) and the chunk column ``_`` (CoNLL's usual empty
  value; Label Studio's CONLL2003 export writes the same ``-X- _``). Readers that take
  the first and the last column (the Hugging Face ``conll2003`` loader, spaCy's
  ``conll_ner`` converter, conlleval, seqeval-based scripts) read it unchanged.
* Tags are IOB2 by default; ``options.scheme`` selects IOB1, BIOES or BILOU (see
  ``tokens``). Sentences come from ``spanlab.core.text.sentence_tokens`` (or spaCy
  tokens grouped into those sentences with ``options.tokenizer``); a sentence
  boundary crossed by a written span is dropped so the entity stays whole.
* Every document starts with ``-DOCSTART- -X- -X- O`` and a blank line. There is one
  such block per (document, annotation layer). CoNLL has no place for an annotator's
  name, so the format does not carry ``Feature.ANNOTATORS``: ``spanlab.core.exporting``
  then writes one folder per annotator. Should one call still get several layers of a
  document, they are written as consecutive documents (with a report note).
* CoNLL is flat: overlapping spans keep the subset chosen by ``tokens.flat_subset``
  (longest first, then earliest) and the rest are reported as ``overlapping spans
  (CoNLL is flat)``. Relations, attribute values and entity groups are not carried
  (``exporting`` counts them as left out).
* Files: one per split (``train.conll``, ``dev.conll``, ``test.conll``; ``corpus.conll``
  without a split) or, with ``one_file=False``, one per document
  (``[<split>/]<000012-title>.conll``). UTF-8, ``\\n`` line ends.

Reading parses any whitespace-separated column file whose first column is the token
and last column the tag, with documents split at lines starting with ``-DOCSTART-``
(the Hugging Face loader's rule). The scheme is ``options["scheme"]`` or detected per
document (``tokens.detect_scheme``). CoNLL keeps no text, so the text is rebuilt by
joining a sentence's tokens with single spaces and sentences with newlines: the
best CoNLL allows, and enough to give back the same token-level labels.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Final

from spanlab.core.errors import InputError, SpanLabError
from spanlab.core.formats.base import (
    ExportDocument,
    ExportOptions,
    ExportReport,
    Feature,
    ImportedDocument,
    ImportedLayer,
    ImportedSpan,
    output_name,
    split_dir,
)
from spanlab.core.formats.common import document_name, output_files
from spanlab.core.formats.tokens import (
    TaggedSentence,
    decode_tags,
    detect_scheme,
    normalise_scheme,
    tagged_layers,
)
from spanlab.core.schema import Schema

__all__ = ["DOCSTART", "EXPORTER", "READER", "ConllExporter", "ConllReader", "conll_block"]

DOCSTART: Final = "-DOCSTART- -X- -X- O"
POS_PLACEHOLDER: Final = "-X-"
CHUNK_PLACEHOLDER: Final = "_"
DEFAULT_STEM: Final = "corpus"
SUFFIX: Final = ".conll"
EXTENSIONS: Final = frozenset({".conll", ".conll03", ".conll2003", ".iob", ".bio", ".bioes"})


class ConllExporter:
    """Writes CoNLL-2003 NER columns (see the module docstring)."""

    name = "conll"
    description = "CoNLL-2003 NER columns (TOKEN POS CHUNK NER), IOB2/IOB1/BIOES/BILOU"
    carries = frozenset({Feature.SPANS})

    def write(
        self,
        documents: Iterable[ExportDocument],
        out_dir: Path,
        *,
        schema: Schema,
        options: ExportOptions,
        report: ExportReport,
    ) -> None:
        """Write ``documents`` (all of one split) under ``out_dir`` and fill ``report``."""
        scheme = normalise_scheme(options.scheme)
        report.note(f"CoNLL tags use the {scheme} scheme")
        layers = tagged_layers(
            documents, options, scheme=scheme, report=report, format_name="CoNLL"
        )
        with output_files(out_dir) as files:
            for item, _layer, tagged in layers:
                if len(item.layers) > 1:
                    report.note(
                        "CoNLL has no place for annotator names: each annotator's layer of a "
                        "document is written as its own -DOCSTART- document, in layer order"
                    )
                if options.one_file:
                    name = output_name(item.split, DEFAULT_STEM, SUFFIX)
                else:
                    folder = split_dir(Path(), item.split)
                    name = str(folder / f"{document_name(item.document)}{SUFFIX}")
                files.get(name).write(conll_block(tagged))


class ConllReader:
    """Reads CoNLL-style NER columns (token first, tag last) in any tagging scheme."""

    name = "conll"

    def sniff(self, path: Path, head: bytes) -> bool:
        """CoNLL extensions, or any file starting with a ``-DOCSTART-`` line."""
        if path.suffix.lower() in EXTENSIONS:
            return True
        return head.removeprefix(b"\xef\xbb\xbf").lstrip(b"\r\n").startswith(b"-DOCSTART-")

    def read(self, path: Path, *, options: Mapping[str, Any]) -> Iterator[ImportedDocument]:
        """One document per ``-DOCSTART-`` block (the whole file if there is none)."""
        given = options.get("scheme")
        try:
            scheme = normalise_scheme(str(given)) if given else None
        except SpanLabError as exc:
            raise InputError(path, str(exc)) from exc
        try:
            handle = path.open(encoding="utf-8-sig", newline=None)
        except OSError as exc:
            raise InputError(path, f"cannot read the file ({exc.strerror or exc})") from exc
        with handle:
            yield from self._documents(path, handle, scheme)

    def _documents(
        self, path: Path, lines: Iterable[str], scheme: str | None
    ) -> Iterator[ImportedDocument]:
        sentences: list[list[tuple[str, str, int]]] = []
        current: list[tuple[str, str, int]] = []
        start_line = 1
        number = 0
        for number, raw in enumerate(lines, start=1):
            line = raw.strip()
            if line.startswith("-DOCSTART-"):
                if current:
                    sentences.append(current)
                    current = []
                if sentences:
                    yield self._document(path, start_line, sentences, scheme)
                sentences = []
                start_line = number
                continue
            if not line:
                if current:
                    sentences.append(current)
                    current = []
                continue
            columns = line.split()
            if len(columns) < 2:
                raise InputError(
                    path, "expected a token and a tag separated by whitespace", line=number
                )
            current.append((columns[0], columns[-1], number))
        if current:
            sentences.append(current)
        if sentences:
            yield self._document(path, start_line, sentences, scheme)

    def _document(
        self,
        path: Path,
        start_line: int,
        sentences: list[list[tuple[str, str, int]]],
        scheme: str | None,
    ) -> ImportedDocument:
        tag_lists = [[tag for _, tag, _ in sentence] for sentence in sentences]
        try:
            used = scheme or detect_scheme(tag_lists)
        except ValueError as exc:
            raise InputError(path, str(exc), line=start_line) from exc
        lines_out: list[str] = []
        spans: list[ImportedSpan] = []
        offset = 0
        for sentence, tags in zip(sentences, tag_lists, strict=True):
            starts: list[int] = []
            position = offset
            for token, _, _ in sentence:
                starts.append(position)
                position += len(token) + 1
            try:
                chunks = decode_tags(tags, used)
            except ValueError as exc:
                bad = next((n for _, tag, n in sentence if not _valid(tag, used)), start_line)
                raise InputError(path, str(exc), line=bad) from exc
            text = " ".join(token for token, _, _ in sentence)
            for chunk in chunks:
                begin = starts[chunk.start]
                end = starts[chunk.end - 1] + len(sentence[chunk.end - 1][0])
                spans.append(
                    ImportedSpan(
                        key=f"T{len(spans) + 1}",
                        label=chunk.label,
                        start=begin,
                        end=end,
                        text=text[begin - offset : end - offset],
                        line=sentence[chunk.start][2],
                    )
                )
            lines_out.append(text)
            offset += len(text) + 1
        return ImportedDocument(
            source=f"{path}:{start_line}",
            text="\n".join(lines_out),
            layers=(ImportedLayer(annotator=None, spans=tuple(spans)),),
        )


def conll_block(sentences: Iterable[TaggedSentence]) -> str:
    """One CoNLL document: the ``-DOCSTART-`` line, a blank line, then the sentences."""
    parts = [DOCSTART, "\n\n"]
    for sentence in sentences:
        for token, tag in zip(sentence.tokens, sentence.tags, strict=True):
            parts.append(f"{token.text} {POS_PLACEHOLDER} {CHUNK_PLACEHOLDER} {tag}\n")
        parts.append("\n")
    return "".join(parts)


def _valid(tag: str, scheme: str) -> bool:
    try:
        decode_tags([tag], scheme)
    except ValueError:
        return False
    return True


EXPORTER: Final = ConllExporter()
READER: Final = ConllReader()
