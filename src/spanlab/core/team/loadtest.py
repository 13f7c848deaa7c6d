"""Simulated annotators for concurrency tests and ``benchmarks/team_bench.py``.

Each function runs in its own process (``multiprocessing`` with *spawn*): it opens the
project by URL like a real client, edits as one annotator through ``Project.execute``
and the ordinary commands, and returns what it did with the latency of every edit.
"""

from __future__ import annotations

import math
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from spanlab.core.commands import AddRelation, AddSpan, RemoveSpans, SetStatus, UpdateSpan
from spanlab.core.errors import SpanLabError
from spanlab.core.model import DocumentId, DocumentStatus, SpanId
from spanlab.core.project import Command, Project

_WORD = re.compile(r"\w{2,}")


@dataclass(frozen=True, slots=True)
class WorkerResult:
    """What one simulated annotator did."""

    annotator: str
    spans: int = 0
    relations: int = 0
    edits: int = 0
    latencies: tuple[float, ...] = ()
    """Seconds per edit (one ``Project.execute``: one transaction)."""
    errors: tuple[str, ...] = field(default_factory=tuple)


def word_slots(
    project: Project, documents: list[DocumentId]
) -> dict[DocumentId, list[tuple[int, int]]]:
    """Every word of at least two characters, per document: places to put spans."""
    return {
        doc: [(m.start(), m.end()) for m in _WORD.finditer(project.document(doc).text)]
        for doc in documents
    }


def annotate(
    url: str,
    annotator: str,
    *,
    spans: int = 500,
    relations: int = 100,
    label: str = "PERSON",
    relation: str = "MEETS",
    password: str | None = None,
) -> WorkerResult:
    """Add ``spans`` spans (each on its own word) and ``relations`` relations, one
    transaction each, as ``annotator`` (who must exist)."""
    latencies: list[float] = []
    with Project.open(url, password=password) as project:
        who = project.annotator(annotator)
        if who is None:
            raise SpanLabError(f"no annotator {annotator!r}")
        slots = word_slots(project, [d.id for d in project.documents()])
        places = [(doc, start, end) for doc, words in slots.items() for start, end in words]
        if len(places) < spans:
            raise SpanLabError(f"the documents have {len(places)} words, {spans} are needed")
        created: dict[DocumentId, list[SpanId]] = {}
        for doc, start, end in places[:spans]:
            add = AddSpan(doc, who.id, label, start, end)
            latencies.append(_timed(project, add))
            assert add.span_id is not None
            created.setdefault(doc, []).append(add.span_id)
        pairs = [
            (ids[k], ids[k + 1]) for ids in created.values() for k in range(0, len(ids) - 1, 2)
        ]
        if len(pairs) < relations:
            raise SpanLabError(f"only {len(pairs)} span pairs for {relations} relations")
        for head, tail in pairs[:relations]:
            latencies.append(_timed(project, AddRelation(head, tail, relation)))
    return WorkerResult(
        annotator=annotator,
        spans=spans,
        relations=relations,
        edits=len(latencies),
        latencies=tuple(latencies),
    )


def work_for(
    url: str,
    annotator: str,
    *,
    seconds: float,
    start_at: float | None = None,
    ready: Callable[[], object] | None = None,
    seed: int = 0,
    think: float = 0.0,
    password: str | None = None,
) -> WorkerResult:
    """Edit like an annotator for ``seconds``: add spans (most often), link them,
    relabel, delete and mark documents, ``think`` seconds apart.

    After opening the project ``ready`` is called (e.g. a barrier's ``wait``, so all
    simulated annotators start together); work starts at ``start_at`` (a
    ``time.time()``) or at once.
    """
    rng = random.Random(seed)
    latencies: list[float] = []
    errors: list[str] = []
    counts = {"spans": 0, "relations": 0}
    with Project.open(url, password=password) as project:
        who = project.annotator(annotator)
        if who is None:
            raise SpanLabError(f"no annotator {annotator!r}")
        documents = [d.id for d in project.documents()]
        free = word_slots(project, documents)
        mine: dict[DocumentId, list[tuple[SpanId, tuple[int, int]]]] = {d: [] for d in documents}
        labels = ("PERSON", "ROLE")
        if ready is not None:
            ready()
        begin = time.time() if start_at is None else start_at
        time.sleep(max(0.0, begin - time.time()))
        deadline = begin + seconds
        while time.time() < deadline:
            doc = rng.choice(documents)
            roll = rng.random()
            command: Command
            own = mine[doc]
            if roll < 0.6 or len(own) < 2:
                if not free[doc]:
                    continue
                place = free[doc].pop(rng.randrange(len(free[doc])))
                command = AddSpan(doc, who.id, "PERSON", *place)
            elif roll < 0.75:
                (head, _), (tail, _) = rng.sample(own, 2)
                command = AddRelation(head, tail, "MEETS")
            elif roll < 0.85:
                span_id, _ = rng.choice(own)
                command = UpdateSpan(span_id, label=rng.choice(labels))
            elif roll < 0.95:
                span_id, place = own.pop(rng.randrange(len(own)))
                free[doc].append(place)
                command = RemoveSpans([span_id])
            else:
                status = rng.choice([DocumentStatus.IN_PROGRESS, DocumentStatus.DONE])
                command = SetStatus(doc, who.id, status)
            try:
                latencies.append(_timed(project, command))
            except SpanLabError as exc:  # e.g. MEETS between a relabelled ROLE span
                errors.append(str(exc))
                continue
            if isinstance(command, AddSpan):
                assert command.span_id is not None
                own.append((command.span_id, (command.start, command.end)))
                counts["spans"] += 1
            elif isinstance(command, AddRelation):
                counts["relations"] += 1
            if think:
                time.sleep(think)
    return WorkerResult(
        annotator=annotator,
        spans=counts["spans"],
        relations=counts["relations"],
        edits=len(latencies),
        latencies=tuple(latencies),
        errors=tuple(errors[:20]),
    )


def _timed(project: Project, command: Command) -> float:
    began = time.perf_counter()
    project.execute(command)
    return time.perf_counter() - began


def percentile(values: list[float] | tuple[float, ...], share: float) -> float:
    """The ``share`` (0..1) percentile by the nearest-rank method (0.0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(share * len(ordered))))
    return ordered[rank - 1]


__all__ = ["WorkerResult", "annotate", "percentile", "word_slots", "work_for"]
