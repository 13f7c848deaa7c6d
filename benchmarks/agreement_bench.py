"""Agreement speed: every metric at 250, 500 and 1,000 documents, and the growth ratio.

Usage: ``.venv/bin/python benchmarks/agreement_bench.py [--quick] [--no-project] [--seed N]``

What is measured, on the same machine in one run:

* **Pure metrics** on synthetic records generated in memory (no database): 4 annotators,
  each with exactly 30 spans and 10 relations per document, on documents of about 250
  words.  The annotators share most entities but disagree the way people do: missed
  spans, extra spans, shifted boundaries, other labels, other relation types, and a date
  attribute that sometimes differs.  Each metric runs on the first 250, 500 and 1,000
  documents (best of ``--repeat`` runs, sizes interleaved) and the ratio t(1000) / t(250)
  is printed: linear growth gives 4.0.  Times are CPU seconds of the benchmark process;
  the code is single-threaded, so on an idle machine that is the wall time, and on a busy
  one other programs do not inflate some sizes more than others.
* **The whole report** (:func:`spanlab.core.agreement_report.compute_agreement`) on a
  generated SQLite project of 250 documents (``--no-project`` skips it): per-document
  loading, tokenizing and every metric, i.e. what ``spanlab agreement`` does.

``--quick`` uses 25 / 50 / 100 documents, one run each and a 25-document project, for a
smoke test in a few seconds.
"""

from __future__ import annotations

import argparse
import gc
import math
import random
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from spanlab.core.agreement import (  # noqa: E402
    attribute_agreement,
    relation_f1,
    span_confusion_matrix,
    span_f1,
    token_cohen_kappa,
    token_fleiss_kappa,
    token_krippendorff_alpha,
    unitizing_alpha,
)
from spanlab.core.agreement_report import compute_agreement  # noqa: E402
from spanlab.core.model import (  # noqa: E402
    AnnotatorId,
    DocumentId,
    DocumentStatus,
    Relation,
    RelationId,
    Span,
    SpanId,
)
from spanlab.core.project import Project  # noqa: E402
from spanlab.core.text import tokenize  # noqa: E402

ANNOTATORS = 4
SPANS = 30
RELATIONS = 10
WORDS_PER_DOCUMENT = 250
LABELS = ("PERSON", "ROLE", "COUNTRY", "ORGANIZATION", "LOCATION", "EVENT", "DATE")
# (type, head label, tail label) allowed by the bundled news schema.
RELATION_TYPES = (
    ("HOLDS_ROLE", "PERSON", "ROLE"),
    ("REPRESENTS", "PERSON", "COUNTRY"),
    ("ROLE_OF", "ROLE", "COUNTRY"),
    ("MEETS", "PERSON", "PERSON"),
    ("MEMBER_OF", "PERSON", "ORGANIZATION"),
    ("HAPPENED_ON", "EVENT", "DATE"),
    ("LOCATED_IN", "EVENT", "LOCATION"),
)
_FITTING: dict[tuple[str, str], list[str]] = {}
for _kind, _head, _tail in RELATION_TYPES:
    _FITTING.setdefault((_head, _tail), []).append(_kind)
WORDS = (
    *("the", "minister", "said", "talks", "on", "trade", "and", "security", "would"),
    *("resume", "next", "week", "after", "a", "summit", "in", "capital", "where"),
    *("officials", "from", "both", "countries", "signed", "an", "agreement", "to"),
    *("expand", "cooperation", "energy", "shipping", "climate", "research", "health"),
)


@dataclass
class Corpus:
    """Generated documents and every annotator's spans and relations."""

    texts: list[str]
    spans: list[Span]
    relations: list[Relation]

    def first(self, count: int) -> Corpus:
        """The first ``count`` documents (ids 1..count) with their annotations."""
        return Corpus(
            texts=self.texts[:count],
            spans=[s for s in self.spans if s.document_id <= count],
            relations=[r for r in self.relations if r.document_id <= count],
        )


def _document(rng: random.Random) -> tuple[str, list[tuple[int, int]]]:
    """A text and its candidate entity slots (runs of 1-3 words, separated by other words)."""
    words = [rng.choice(WORDS) for _ in range(WORDS_PER_DOCUMENT)]
    starts: list[int] = []
    position = 0
    for word in words:
        starts.append(position)
        position += len(word) + 1
    text = " ".join(words)
    slots: list[tuple[int, int]] = []
    index = 1
    while index < len(words) - 4:
        length = rng.choice((1, 1, 2, 3))
        first, last = index, index + length - 1
        slots.append((starts[first], starts[last] + len(words[last])))
        index += length + rng.randint(1, 3)
    return text, slots


def generate(documents: int, seed: int) -> Corpus:
    """``documents`` documents, each with 30 spans and 10 relations per annotator."""
    rng = random.Random(seed)
    texts: list[str] = []
    spans: list[Span] = []
    relations: list[Relation] = []
    next_span = 1
    next_relation = 1
    for number in range(1, documents + 1):
        document = DocumentId(number)
        text, slots = _document(rng)
        texts.append(text)
        shared = rng.sample(range(len(slots)), SPANS + 8)
        shared_labels = {slot: rng.choice(LABELS) for slot in shared}
        for annotator_number in range(1, ANNOTATORS + 1):
            annotator = AnnotatorId(annotator_number)
            # Most shared entities, a few of the annotator's own.
            chosen = [slot for slot in shared if rng.random() < 0.9][:SPANS]
            spare = [slot for slot in range(len(slots)) if slot not in set(chosen)]
            chosen += rng.sample(spare, SPANS - len(chosen))
            mine: list[Span] = []
            for slot in sorted(chosen):
                start, end = slots[slot]
                label = shared_labels.get(slot) or rng.choice(LABELS)
                roll = rng.random()
                if roll < 0.06:
                    label = rng.choice(LABELS)  # another label
                elif roll < 0.14 and end - start > 3:
                    start += 1  # a shifted boundary
                attributes = {}
                if label == "DATE":
                    attributes = {"normalized": f"2024-0{1 + slot % 9}" if roll > 0.1 else "?"}
                mine.append(
                    Span(
                        SpanId(next_span),
                        document,
                        annotator,
                        label,
                        start,
                        end,
                        text[start:end],
                        attributes,
                    )
                )
                next_span += 1
            spans.extend(mine)
            for head, tail, kind in _relations(rng, mine, sorted(chosen)):
                relations.append(
                    Relation(RelationId(next_relation), document, annotator, kind, head.id, tail.id)
                )
                next_relation += 1
    return Corpus(texts=texts, spans=spans, relations=relations)


def _relations(
    rng: random.Random, spans: list[Span], slots: list[int]
) -> list[tuple[Span, Span, str]]:
    """Ten relations whose ends fit the schema, close spans first.

    Candidates are ordered by slot distance (the same order for every annotator), and each
    is taken with probability 0.85, so annotators agree on most but not all relations; a
    few get another fitting type.
    """
    candidates: list[tuple[int, int, int, list[str]]] = []
    for i, head in enumerate(spans):
        for j, tail in enumerate(spans):
            kinds = _FITTING.get((head.label, tail.label))
            if kinds and i != j and not (kinds == ["MEETS"] and i > j):
                candidates.append((abs(slots[i] - slots[j]), slots[i], slots[j], kinds))
    index = {slot: span for slot, span in zip(slots, spans, strict=True)}
    candidates.sort(key=lambda c: (c[0], c[1], c[2]))
    result: list[tuple[Span, Span, str]] = []
    for _, head_slot, tail_slot, kinds in candidates:
        if len(result) == RELATIONS:
            break
        if rng.random() < 0.85:
            kind = rng.choice(kinds) if rng.random() < 0.08 else kinds[0]
            result.append((index[head_slot], index[tail_slot], kind))
    return result


def metric_calls(
    corpus: Corpus, tokens: dict[DocumentId, list[tuple[int, int]]]
) -> dict[str, Callable[[], Any]]:
    """One zero-argument call per metric, on the data a report would pass."""
    lengths = {DocumentId(i + 1): len(text) for i, text in enumerate(corpus.texts)}
    done = {AnnotatorId(a): set(lengths) for a in range(1, ANNOTATORS + 1)}
    spans, relations = corpus.spans, corpus.relations
    first, second = AnnotatorId(1), AnnotatorId(2)
    return {
        "span_f1 (all schemes)": lambda: span_f1(spans, completed=done),
        "relation_f1": lambda: relation_f1(
            spans, relations, symmetric_types={"MEETS"}, completed=done
        ),
        "attribute_agreement": lambda: attribute_agreement(spans, completed=done),
        "span_confusion_matrix": lambda: span_confusion_matrix(
            spans, first, second, completed=done
        ),
        "token_cohen_kappa (1 pair)": lambda: token_cohen_kappa(
            spans, tokens, first, second, completed=done
        ),
        "token_fleiss_kappa": lambda: token_fleiss_kappa(spans, tokens, completed=done),
        "token_krippendorff_alpha": lambda: token_krippendorff_alpha(spans, tokens, completed=done),
        "unitizing_alpha": lambda: unitizing_alpha(spans, lengths, completed=done),
    }


def cpu_time(call: Callable[[], Any]) -> float:
    """CPU seconds of one call (single-threaded code: equal to wall time on an idle machine)."""
    gc.collect()
    started = time.process_time()
    call()
    return time.process_time() - started


def best_time(call: Callable[[], Any], repeat: int) -> float:
    """Best CPU time of ``repeat`` calls."""
    return min(cpu_time(call) for _ in range(repeat))


def build_project(path: Path, corpus: Corpus) -> Project:
    """A SQLite project holding ``corpus``, written through the edit store."""
    project = Project.create(path, name="agreement benchmark")
    with project.edit() as store:
        ids = store.insert_documents(
            [
                {"title": f"Document {i + 1}", "text": text, "sha256": f"bench-{i}"}
                for i, text in enumerate(corpus.texts)
            ]
        )
        annotators = {
            AnnotatorId(a): store.ensure_annotator(f"annotator{a}").id
            for a in range(1, ANNOTATORS + 1)
        }
        stored: dict[SpanId, int] = {}
        for span in corpus.spans:
            stored[span.id] = store.insert_span(
                document_id=ids[span.document_id - 1],
                annotator_id=annotators[span.annotator_id],
                label=span.label,
                start=span.start,
                end=span.end,
                attributes=span.attributes,
            ).id
        for relation in corpus.relations:
            store.insert_relation(
                head_id=stored[relation.head_id],
                tail_id=stored[relation.tail_id],
                label=relation.label,
            )
        for document in ids:
            for annotator in annotators.values():
                store.set_status(document, annotator, DocumentStatus.DONE)
    return project


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, one run each")
    parser.add_argument("--no-project", action="store_true", help="skip the SQLite report run")
    parser.add_argument("--repeat", type=int, help="runs per measurement (best is kept)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--project-documents",
        type=int,
        metavar="N",
        help="documents of the SQLite project (default 250, 25 with --quick)",
    )
    args = parser.parse_args(argv)
    sizes = (25, 50, 100) if args.quick else (250, 500, 1000)
    repeat = args.repeat or (1 if args.quick else 3)
    project_size = args.project_documents or (25 if args.quick else 250)

    started = time.perf_counter()
    corpus = generate(sizes[-1], args.seed)
    generated = time.perf_counter() - started
    started = time.perf_counter()
    all_tokens = {
        DocumentId(i + 1): [(t.start, t.end) for t in tokenize(text)]
        for i, text in enumerate(corpus.texts)
    }
    tokenized = time.perf_counter() - started
    characters = sum(len(text) for text in corpus.texts) / len(corpus.texts)
    token_count = sum(len(t) for t in all_tokens.values()) / len(all_tokens)
    print(
        f"Synthetic data: {ANNOTATORS} annotators x {sizes[-1]:,} documents x {SPANS} spans "
        f"and {RELATIONS} relations each ({len(corpus.spans):,} spans, "
        f"{len(corpus.relations):,} relations; ~{characters:,.0f} characters and "
        f"~{token_count:,.0f} tokens per document)."
    )
    print(
        f"Generated in {generated:.2f} s; tokenized {sizes[-1]:,} documents in "
        f"{tokenized:.2f} s (spanlab.core.text.tokenize).\n"
        f"Times are CPU seconds of this process, best of {repeat} run(s) with the sizes "
        "interleaved: the metrics are single-threaded, so this is the wall time on an idle "
        "machine, and other programs running at the same time do not distort the ratios.\n"
    )

    calls = []
    for size in sizes:
        subset = corpus.first(size)
        calls.append(metric_calls(subset, {d: t for d, t in all_tokens.items() if d <= size}))
    results: dict[str, list[float]] = {name: [math.inf] * len(sizes) for name in calls[0]}
    for _ in range(repeat):  # sizes interleaved, so a busy moment does not hit one size only
        for column, by_name in enumerate(calls):
            for name, call in by_name.items():
                results[name][column] = min(results[name][column], cpu_time(call))

    name_width = max(len(name) for name in results) + 2
    header = "".join(f"{f'{size:,} docs':>12}" for size in sizes)
    ratio_name = f"t{sizes[-1]}/t{sizes[0]}"
    print(f"{'metric':<{name_width}}{header}{ratio_name:>14}")
    totals = [0.0] * len(sizes)
    for name, times in results.items():
        totals = [a + b for a, b in zip(totals, times, strict=True)]
        cells = "".join(f"{t:>10.3f} s" for t in times)
        print(f"{name:<{name_width}}{cells}{times[-1] / times[0]:>14.2f}")
    cells = "".join(f"{t:>10.3f} s" for t in totals)
    print(f"{'all metrics':<{name_width}}{cells}{totals[-1] / totals[0]:>14.2f}")
    print(
        f"\nGrowth: {sizes[-1] // sizes[0]}x the documents; linear growth gives "
        f"{ratio_name} = {sizes[-1] / sizes[0]:.1f}."
    )

    if not args.no_project:
        if project_size <= sizes[-1]:
            subset = corpus.first(project_size)
        else:
            subset = generate(project_size, args.seed)
        print(
            f"\nBuilding a SQLite project of {project_size:,} documents through the edit "
            "store (one validated insert per span and relation; this takes a while) ...",
            flush=True,
        )
        with tempfile.TemporaryDirectory() as folder:
            started = time.perf_counter()
            project = build_project(Path(folder) / "bench.spanlab", subset)
            built = time.perf_counter() - started
            try:
                report = compute_agreement(project)
                started = time.perf_counter()
                report_time = best_time(lambda: compute_agreement(project), repeat)
                wall = (time.perf_counter() - started) / repeat
            finally:
                project.close()
        print(
            f"compute_agreement on a SQLite project of {project_size:,} documents "
            f"(built in {built:.1f} s): {report_time:.2f} CPU s (mean wall time {wall:.2f} s) "
            "for the whole report "
            f"({report.documents.summary}; loading, tokenizing and every metric)."
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
