"""Eight annotators editing one project at once: nothing lost, nothing duplicated.

Each annotator is a separate process (spawn) that opens the project by URL and adds
spans and relations through ``Project.execute``, one transaction per edit, on the same
two documents as everyone else.
"""

from __future__ import annotations

import multiprocessing
from collections import Counter
from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import text

from spanlab.core.importing import import_paths
from spanlab.core.project import Project
from spanlab.core.team.live import change_token
from spanlab.core.team.loadtest import WorkerResult, annotate

WORKERS = 8
SPANS = 500
RELATIONS = 100


def _article(words: int, seed: int) -> str:
    names = ["Kim", "Lee", "Park", "Moon", "Yoon", "Choi", "Jung", "Kang", "Cho", "Han"]
    sentences = []
    for index in range(words // 5):
        a = names[(index + seed) % len(names)]
        b = names[(index * 3 + seed + 1) % len(names)]
        sentences.append(f"{a} met {b} on day{index} again.")
    return " ".join(sentences) + "\n"


def _prepare(location: str, tmp_path: Path) -> list[str]:
    files = []
    for number in range(2):
        path = tmp_path / f"article{number}.txt"
        path.write_text(f"Meetings {number}\n\n{_article(400, number)}", encoding="utf-8")
        files.append(path)
    names = [f"annotator{i}" for i in range(WORKERS)]
    with Project.create(location) as project:
        report = import_paths(project, files)
        assert len(report.imported) == 2
        for name in names:
            project.ensure_annotator(name)
    return names


def _run(location: str, names: list[str], spans: int, relations: int) -> list[WorkerResult]:
    context = multiprocessing.get_context("spawn")
    with context.Pool(WORKERS) as pool:
        work = partial(annotate, location, spans=spans, relations=relations)
        return pool.map(work, names)


def _check(
    location: str, names: list[str], results: list[WorkerResult], spans_each: int, rels_each: int
) -> None:
    assert sorted(r.annotator for r in results) == sorted(names)
    assert all(r.edits == spans_each + rels_each for r in results)
    with Project.open(location) as project:
        ids = {a.name: a.id for a in project.annotators()}
        with project.read() as conn:
            spans = conn.execute(
                text('SELECT annotator_id, document_id, start, "end" FROM span')
            ).all()
            relations = conn.execute(text("SELECT annotator_id, head_id, tail_id FROM relation"))
            relations = relations.all()
            span_ids = conn.execute(text("SELECT id FROM span")).scalars().all()
        per_annotator = Counter(row.annotator_id for row in spans)
        assert {n: per_annotator[ids[n]] for n in names} == dict.fromkeys(names, spans_each)
        rel_counts = Counter(row.annotator_id for row in relations)
        assert {n: rel_counts[ids[n]] for n in names} == dict.fromkeys(names, rels_each)
        # Nothing duplicated: each annotator put exactly one span on each word.
        assert len(set(spans)) == len(spans) == WORKERS * spans_each
        assert len(set(span_ids)) == len(span_ids)
        assert len({(r.head_id, r.tail_id) for r in relations}) == WORKERS * rels_each
        # Every annotator's work shows in the change token, which others poll.
        scopes = dict(change_token(project).versions)
        for name in names:
            assert scopes[f"annotator:{ids[name]}"] >= spans_each + rels_each


@pytest.mark.slow
def test_eight_annotators_each_add_500_spans_and_100_relations_on_postgresql(
    pg_url: str, tmp_path: Path
) -> None:
    names = _prepare(pg_url, tmp_path)
    results = _run(pg_url, names, SPANS, RELATIONS)
    _check(pg_url, names, results, SPANS, RELATIONS)


@pytest.mark.slow
def test_concurrent_writers_on_sqlite_wait_for_each_other_instead_of_failing(
    tmp_path: Path,
) -> None:
    # SQLite serialises writers (and fsyncs each commit), so fewer edits here: the point
    # is that BEGIN IMMEDIATE + waiting makes every edit land, none fail as "locked".
    location = str(tmp_path / "shared.spanlab")
    names = _prepare(location, tmp_path)
    results = _run(location, names, 60, 12)
    _check(location, names, results, 60, 12)
