"""Team work: N simulated annotators editing one PostgreSQL project at the same time.

Usage: ``.venv/bin/python benchmarks/team_bench.py [--annotators 20] [--seconds 10]
[--url URL] [--think MS] [--documents 20]``

``--url`` names a PostgreSQL server (``postgresql+psycopg://user@host:port/db``, a user
that may create databases); default: ``$SPANLAB_TEST_PG_URL``. The benchmark creates a
throwaway database there and drops it afterwards. Without a server it falls back to a
SQLite file (and says so): SQLite serialises writers, so that is not team mode.

What is measured: each simulated annotator is its own process (spawn) with its own
connection, opened by URL like a desktop client. After all are connected they start
together and, for ``--seconds``, edit their own layer through ``Project.execute`` and
the ordinary commands, one transaction per edit: add spans (60 %), link two of their
spans (15 %), relabel (10 %), delete (10 %), mark a document (5 %), ``--think`` ms
apart (default 0: as fast as they can, which measures the server under saturation;
people edit perhaps once every few seconds). Printed: committed edits per second over
all annotators, the latency of one edit (median, 95th and 99th percentile, maximum;
the time of one ``Project.execute`` call, commit included), edits per annotator (min and
max, for fairness) and edits refused by integrity checks (e.g. relabelling a span that
is part of a MEETS relation), which are expected and count as no edit.

The client processes share the machine with the server: with 20 annotators on 2 cores
the Python clients, not PostgreSQL, are usually the limit, and the numbers swing with
whatever else runs there.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from queue import Empty
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from spanlab.core.project import Project  # noqa: E402
from spanlab.core.storage.engine import redact_url  # noqa: E402
from spanlab.core.team.assignments import assign_round_robin  # noqa: E402
from spanlab.core.team.loadtest import WorkerResult, percentile, work_for  # noqa: E402

NAMES = ["Park Seo-jun", "Anouk de Vries", "Kim Min-ji", "José Álvarez", "Zoë Müller", "Li Wei"]
WORDS = "harbour emissions shipping cranes terminal budget summit agreement trade cargo"


def article(number: int, words: int = 600) -> str:
    """A generated article with plenty of words to label."""
    parts = []
    for index in range(words // 8):
        who = NAMES[(index + number) % len(NAMES)]
        what = WORDS.split()[(index * 7 + number) % 10]
        parts.append(f"{who} discussed the {what} plan number {index} on Monday.")
    return f"Report {number}\n\n" + " ".join(parts) + "\n"


def _worker(
    url: str, name: str, seconds: float, seed: int, think: float, barrier: Any, queue: Any
) -> None:
    try:
        result = work_for(url, name, seconds=seconds, ready=barrier.wait, seed=seed, think=think)
    except BaseException as exc:  # report instead of hanging the parent
        barrier.abort()
        queue.put(f"{name}: {type(exc).__name__}: {exc}")
        return
    queue.put(result)


def _fresh_database(server: str) -> tuple[str, str]:
    name = f"spanlab_bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
        version = conn.execute(text("SHOW server_version")).scalar()
    admin.dispose()
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    return url, f"PostgreSQL {version} at {redact_url(server).split('@')[-1]}"


def _drop_database(server: str, url: str) -> None:
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    admin.dispose()


def prepare(location: str, annotators: int, documents: int) -> list[str]:
    names = [f"annotator{i:02d}" for i in range(1, annotators + 1)]
    with Project.create(location, name="team benchmark") as project:
        with project.edit() as store:
            store.insert_documents(
                [
                    {"title": f"Report {i}", "text": article(i), "sha256": f"bench-{i}"}
                    for i in range(documents)
                ]
            )
        for name in names:
            project.ensure_annotator(name)
        assign_round_robin(project, per_document=min(3, annotators), annotators=names)
    return names


def run(
    location: str,
    names: list[str],
    seconds: float,
    think: float,
    sampler: Callable[[], None] | None = None,
) -> list[WorkerResult]:
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(len(names))
    queue = context.Queue()
    processes = [
        context.Process(
            target=_worker,
            args=(location, name, seconds, number, think, barrier, queue),
            daemon=True,
        )
        for number, name in enumerate(names)
    ]
    for process in processes:
        process.start()
    outcomes: list[object] = []
    while len(outcomes) < len(processes):
        if sampler is not None:
            sampler()
        try:
            outcomes.append(queue.get(timeout=0.1))
        except Empty:
            if not any(p.is_alive() for p in processes) and queue.empty():
                break
    for process in processes:
        process.join(timeout=30)
    failures = [o for o in outcomes if isinstance(o, str)]
    if failures:
        raise SystemExit("a simulated annotator failed:\n  " + "\n  ".join(failures))
    return [o for o in outcomes if isinstance(o, WorkerResult)]


class LockSampler:
    """Counts, every ~0.1 s, the benchmark's sessions waiting for a lock (PostgreSQL):
    edits of different annotators should never wait for each other."""

    def __init__(self, server: str, database: str) -> None:
        self.engine = create_engine(server, isolation_level="AUTOCOMMIT")
        self.database = database
        self.samples = 0
        self.waiting = 0
        self.active = 0

    def __call__(self) -> None:
        with self.engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT wait_event_type, state FROM pg_stat_activity "
                    "WHERE datname = :db AND pid <> pg_backend_pid()"
                ),
                {"db": self.database},
            ).all()
        self.samples += 1
        self.active += sum(1 for r in rows if r.state == "active")
        self.waiting += sum(1 for r in rows if r.wait_event_type == "Lock")

    def close(self) -> None:
        self.engine.dispose()


def report(results: list[WorkerResult], seconds: float) -> None:
    latencies = [value for r in results for value in r.latencies]
    edits = len(latencies)
    per = sorted(r.edits for r in results)
    refused = sum(len(r.errors) for r in results)
    ms = 1000.0
    print(f"committed edits: {edits} in {seconds:g} s = {edits / seconds:.1f} edits/s")
    print(
        "latency of one edit: "
        f"p50 {percentile(latencies, 0.50) * ms:.1f} ms, "
        f"p95 {percentile(latencies, 0.95) * ms:.1f} ms, "
        f"p99 {percentile(latencies, 0.99) * ms:.1f} ms, "
        f"max {max(latencies, default=0.0) * ms:.1f} ms"
    )
    print(
        f"edits per annotator: min {per[0]}, max {per[-1]}; spans added "
        f"{sum(r.spans for r in results)}, relations added {sum(r.relations for r in results)}; "
        f"edits refused by integrity checks: {refused}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--annotators", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--url", help="PostgreSQL server URL (default $SPANLAB_TEST_PG_URL)")
    parser.add_argument("--think", type=float, default=0.0, help="ms between one's edits")
    parser.add_argument("--documents", type=int, default=20)
    args = parser.parse_args()
    server = args.url or os.environ.get("SPANLAB_TEST_PG_URL")
    with tempfile.TemporaryDirectory(prefix="spanlab-team-bench-") as folder:
        if server:
            location, where = _fresh_database(server)
        else:
            location = str(Path(folder) / "team.spanlab")
            where = "SQLite (no PostgreSQL server given: --url or $SPANLAB_TEST_PG_URL)"
            print("note: no server, so this measures SQLite, which serialises all writers")
        try:
            names = prepare(location, args.annotators, args.documents)
            print(
                f"SpanLab team benchmark: {args.annotators} annotators editing for "
                f"{args.seconds:g} s, think time {args.think:g} ms, {args.documents} "
                f"documents, on {where}; {os.cpu_count()} CPU(s)"
            )
            sampler = LockSampler(server, str(make_url(location).database)) if server else None
            began = time.perf_counter()
            results = run(location, names, args.seconds, args.think / 1000.0, sampler)
            took = time.perf_counter() - began
            print(f"(processes started, connected and finished in {took:.1f} s)")
            report(results, args.seconds)
            if sampler is not None:
                sampler.close()
                print(
                    f"sessions waiting for a lock: {sampler.waiting} in {sampler.samples} "
                    f"samples of pg_stat_activity ({sampler.active} active-session sightings)"
                )
        finally:
            if server:
                _drop_database(server, location)


if __name__ == "__main__":
    main()
