"""Hugging Face token classification: JSON lines with integer tags, a dataset card, label names.

Layout of an export folder::

    train.jsonl  dev.jsonl  test.jsonl     (data.jsonl without a split)
    label_names.json                        ["O", "B-PERSON", "I-PERSON", ...]
    README.md                               dataset card: YAML features and data files

Each line is ``{"id": "12:gold:3", "tokens": [...], "ner_tags": [1, 2, 0, ...]}``, the
``conll2003`` shape (formats.md 2.7). Decisions:

* **One row per sentence** (the ``conll2003`` unit, and what fits a model's maximum
  input length); ``options.extra["hf_rows"] = "document"`` writes one row per document
  instead. Sentences are SpanLab's (see ``tokens``), merged where a span crosses them.
* **ids** are ``"<document id>:<annotator>:<sentence index>"`` (``"<document id>:
  <annotator>"`` for document rows), so the annotator is recorded even though the
  format does not carry several annotators per folder (``exporting`` writes one
  folder per annotator).
* **Tags** are integers into the label names: ``O``, then for each schema label in
  declaration order its tags in the chosen scheme (IOB2 by default: ``B-X``, ``I-X``).
  The names are stable for a schema, so exports of one project share label ids.
  Labels missing from the schema are appended (with a report note).
* **The label names reach ``datasets``** through the card: its YAML
  ``dataset_info.features`` declares ``ner_tags`` as a sequence of ``ClassLabel`` with
  the names, and ``configs`` maps the files to splits (``dev`` -> ``validation``).
  ``datasets.load_dataset("<folder>")`` applies both and yields ``ClassLabel`` names;
  ``load_dataset("json", data_files=...)`` alone yields plain integers (cast with
  ``datasets.Features`` built from ``label_names.json``). Both are tested offline.
* Flat tags: overlaps keep ``tokens.flat_subset`` and are reported as
  ``overlapping spans (Hugging Face token classification is flat)``.

``write`` is called once per split into the same folder, so the card and the label
names are rewritten after each call from the files present; labels appended in an
earlier call keep their ids.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Final

from spanlab.core.errors import SpanLabError
from spanlab.core.formats.base import (
    ExportDocument,
    ExportOptions,
    ExportReport,
    Feature,
    output_name,
)
from spanlab.core.formats.common import output_files
from spanlab.core.formats.tokens import (
    dumps,
    normalise_scheme,
    tag_names,
    tagged_layers,
)
from spanlab.core.schema import Schema

__all__ = ["EXPORTER", "HuggingFaceExporter", "dataset_card"]

DEFAULT_STEM: Final = "data"
SUFFIX: Final = ".jsonl"
LABEL_NAMES: Final = "label_names.json"
CARD: Final = "README.md"
# File stem -> Hugging Face split name (HF calls the dev set "validation").
HF_SPLITS: Final = {"train": "train", "dev": "validation", "test": "test", "data": "train"}


class HuggingFaceExporter:
    """Writes token classification JSON lines plus card and label names (module docstring)."""

    name = "hf"
    description = "Hugging Face token classification (JSON lines, ClassLabel names in the card)"
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
        rows = str(options.extra.get("hf_rows", "sentence"))
        if rows not in ("sentence", "document"):
            raise SpanLabError(f"hf_rows must be 'sentence' or 'document', not {rows!r}")
        out_dir.mkdir(parents=True, exist_ok=True)
        names = _existing_names(out_dir) or tag_names(schema.label_names, scheme)
        ids = {name: index for index, name in enumerate(names)}
        layers = tagged_layers(
            documents,
            options,
            scheme=scheme,
            report=report,
            format_name="Hugging Face token classification",
        )
        with output_files(out_dir) as files:
            for item, layer, tagged in layers:
                handle = files.get(output_name(item.split, DEFAULT_STEM, SUFFIX))
                for tags in (sentence.tags for sentence in tagged):
                    for tag in tags:
                        if tag not in ids:
                            _add_label(names, ids, tag, scheme, report)
                base = f"{item.document.id}:{layer.annotator}"
                if rows == "document":
                    tokens = [t.text for sentence in tagged for t in sentence.tokens]
                    tag_ids = [ids[tag] for sentence in tagged for tag in sentence.tags]
                    handle.write(_row(base, tokens, tag_ids))
                    continue
                for index, sentence in enumerate(tagged):
                    handle.write(
                        _row(
                            f"{base}:{index}",
                            [t.text for t in sentence.tokens],
                            [ids[tag] for tag in sentence.tags],
                        )
                    )
        (out_dir / LABEL_NAMES).write_text(
            json.dumps(names, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        stems = [stem for stem in HF_SPLITS if (out_dir / f"{stem}{SUFFIX}").is_file()]
        card = dataset_card(names, stems, scheme=scheme, rows=rows)
        (out_dir / CARD).write_text(card, encoding="utf-8", newline="\n")


def _row(row_id: str, tokens: list[str], tags: list[int]) -> str:
    return dumps({"id": row_id, "tokens": tokens, "ner_tags": tags}) + "\n"


def _existing_names(out_dir: Path) -> list[str] | None:
    """Label names an earlier call of the same export wrote, so ids stay the same."""
    path = out_dir / LABEL_NAMES
    if not path.is_file():
        return None
    try:
        names = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if isinstance(names, list) and names and all(isinstance(n, str) for n in names):
        return names
    return None


def _add_label(
    names: list[str], ids: dict[str, int], tag: str, scheme: str, report: ExportReport
) -> None:
    label = tag.partition("-")[2]
    report.note(
        "labels missing from the schema were appended to the label names: see label_names.json"
    )
    for name in tag_names([label], scheme)[1:]:
        if name not in ids:
            ids[name] = len(names)
            names.append(name)


def _yaml_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def dataset_card(names: Sequence[str], stems: Sequence[str], *, scheme: str, rows: str) -> str:
    """The README.md dataset card: YAML metadata ``datasets`` applies, then a short text."""
    lines = [
        "---",
        "dataset_info:",
        "  features:",
        "  - name: id",
        "    dtype: string",
        "  - name: tokens",
        "    sequence: string",
        "  - name: ner_tags",
        "    sequence:",
        "      class_label:",
        "        names:",
    ]
    lines.extend(f"          '{index}': {_yaml_string(name)}" for index, name in enumerate(names))
    if stems:
        lines += ["configs:", "- config_name: default", "  data_files:"]
        for stem in stems:
            lines += [f"  - split: {HF_SPLITS[stem]}", f"    path: {stem}{SUFFIX}"]
    lines += [
        "---",
        "",
        "# Token classification data exported by SpanLab",
        "",
        f"One row per {rows}: `id` (`document id:annotator"
        + (":sentence index" if rows == "sentence" else "")
        + "`), `tokens` and `ner_tags`.",
        f"Tags use the {scheme} scheme; their names, in id order, are in `{LABEL_NAMES}`",
        "and in the `dataset_info` above.",
        "",
        "```python",
        "from datasets import load_dataset",
        "",
        'dataset = load_dataset("path/to/this/folder")  # ner_tags are ClassLabel',
        'names = dataset["train"].features["ner_tags"].feature.names',
        "```",
        "",
    ]
    return "\n".join(lines)


EXPORTER: Final = HuggingFaceExporter()
