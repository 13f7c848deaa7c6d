"""Import speed: generated ~3 KB articles through ``import_paths`` vs raw sqlite3.

Usage: ``.venv/bin/python benchmarks/import_bench.py [--articles N] [--format jsonl|txt]``

What is measured, in one run on the same machine and disk:

* **SpanLab import**: ``import_paths`` on a fresh project, end to end: reading the
  generated files (one JSONL file by default, or one ``.txt`` file per article),
  decoding, JSON parsing, canonicalisation (line endings, controls, NFC), SHA-256,
  duplicate look-ups against the project, and the batched SQLAlchemy Core inserts in
  one transaction, with the project's own SQLite settings (WAL, synchronous=FULL).
* **raw sqlite3**: ``executemany`` of exactly the rows the import stored (read back
  from the project, so already canonicalised, hashed and JSON-encoded) into a table
  created from the project's own ``CREATE TABLE``/``CREATE INDEX`` statements, with
  the same pragmas, in one transaction. This is the floor: no reading, no Python work.

The ratio is import time / raw insert time (wall clock, the best of ``--repeat`` runs,
import and raw insert interleaved). The CPU-time ratio is printed too: it leaves out
waiting for the disk (about half of the raw insert's wall time here). The time spent
before the database (reading and canonicalising alone) is printed as well, so it is
clear where time goes. On a machine busy with other work all numbers swing widely.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from spanlab.core.importing import ImportOptions, import_paths  # noqa: E402
from spanlab.core.importing.pipeline import prepare  # noqa: E402
from spanlab.core.importing.registry import reader_for  # noqa: E402
from spanlab.core.project import Project  # noqa: E402

PEOPLE = ["Park Seo-jun", "Anouk de Vries", "Kim Min-ji", "José Álvarez", "박서준", "Zoë Müller"]
PLACES = ["Busan", "Rotterdam", "Seoul", "Yokohama", "Kaohsiung", "Genève", "서울", "Mumbai"]
ORGS = ["the port authority", "the ministry", "BEXCO", "the city council", "the union"]
VERBS = ["said", "announced", "warned", "confirmed", "argued", "noted", "added"]
WORDS = [
    "harbour",
    "emissions",
    "shipping",
    "cranes",
    "terminal",
    "budget",
    "plan",
    "summit",
    "agreement",
    "data",
    "trade",
    "cargo",
    "energy",
    "grid",
    "electrification",
    "investment",
    "research",
    "workers",
    "council",
    "schedule",
]
COLUMNS = "title, text, sha256, length, source, url, published, meta, imported_at, position"


def article(rng: random.Random, number: int, size: int = 3000) -> tuple[str, str]:
    """A headline and a body of about ``size`` characters, unique by ``number``."""
    title = f"{rng.choice(PLACES)} {rng.choice(WORDS)} talks, report {number}"
    paragraphs: list[str] = []
    length = 0
    while length < size:
        sentences = []
        for _ in range(rng.randint(2, 4)):
            words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 16)))
            sentences.append(
                f"{rng.choice(PEOPLE)} of {rng.choice(ORGS)} in {rng.choice(PLACES)} "
                f"{rng.choice(VERBS)} that {words}."
            )
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        length += len(paragraph) + 2
    return title, f"{title}\r\n\r\n" + "\r\n\r\n".join(paragraphs) + f"\r\n\r\n(No. {number})"


def write_inputs(folder: Path, count: int, kind: str) -> tuple[list[Path], int]:
    """Generated articles as one JSONL file or one text file each; (paths, bytes)."""
    import json

    rng = random.Random(20240304)
    if kind == "jsonl":
        path = folder / "articles.jsonl"
        with path.open("w", encoding="utf-8", newline="\n") as handle:
            for number in range(count):
                title, text = article(rng, number)
                record = {"id": f"a{number}", "title": title, "text": text, "section": "world"}
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        return [path], path.stat().st_size
    texts = folder / "texts"
    texts.mkdir()
    total = 0
    for number in range(count):
        path = texts / f"{number:06d}.txt"
        path.write_bytes(b"\xef\xbb\xbf" + article(rng, number)[1].encode("utf-8"))
        total += path.stat().st_size
    return [texts], total


def raw_insert(project_file: Path, raw_file: Path, batch: int) -> tuple[float, float]:
    """(wall, CPU) seconds to executemany the stored rows into a same-shaped table."""
    source = sqlite3.connect(project_file)
    schema = [
        sql
        for (sql,) in source.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name = 'document' AND sql IS NOT NULL"
            " ORDER BY type DESC"  # table before its indexes
        )
    ]
    rows = source.execute(f"SELECT {COLUMNS} FROM document ORDER BY id").fetchall()
    source.close()
    target = sqlite3.connect(raw_file, isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON"):
        target.execute(f"PRAGMA {pragma}")
    for sql in schema:
        target.execute(sql)
    statement = f"INSERT INTO document ({COLUMNS}) VALUES ({', '.join('?' * 10)})"
    started, cpu = time.perf_counter(), time.process_time()
    target.execute("BEGIN")
    for start in range(0, len(rows), batch):
        target.executemany(statement, rows[start : start + batch])
    target.execute("COMMIT")
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    target.close()
    return elapsed, cpu


def prepare_only(paths: list[Path]) -> float:
    """Seconds for reading and canonicalising alone (no database)."""
    options = ImportOptions()
    started = time.perf_counter()
    for path in paths:
        files = sorted(path.rglob("*.txt")) if path.is_dir() else [path]
        for file in files:
            for record in reader_for(file).read(file, options):
                if not isinstance(record, Exception):
                    prepare(record)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the result."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--format", choices=["jsonl", "txt"], default="jsonl")
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of each measurement; the best is kept"
    )
    args = parser.parse_args(argv)
    ours: list[tuple[float, float]] = []
    raws: list[tuple[float, float]] = []
    readings: list[float] = []
    with tempfile.TemporaryDirectory(prefix="spanlab-bench-") as tmp:
        folder = Path(tmp)
        paths, size = write_inputs(folder, args.articles, args.format)
        for run in range(args.repeat):  # interleaved, so background load hits both alike
            project_file = folder / f"bench{run}.spanlab"
            with Project.create(project_file) as project:
                started, cpu = time.perf_counter(), time.process_time()
                report = import_paths(project, paths)
                ours.append((time.perf_counter() - started, time.process_time() - cpu))
            if len(report.imported) != args.articles or not report.ok:
                print(f"import failed: {report.failures[:3]}", file=sys.stderr)
                return 1
            raws.append(raw_insert(project_file, folder / f"raw{run}.sqlite", 2_000))
            readings.append(prepare_only(paths))
    best, raw = min(w for w, _ in ours), min(w for w, _ in raws)
    cpu_ratio = min(c for _, c in ours) / min(c for _, c in raws)
    n = args.articles
    print(
        f"{n} articles ({size / n / 1024:.1f} KB each, {args.format} input, "
        f"{size / 1024 / 1024:.1f} MB), best of {args.repeat} runs"
    )
    print(f"  SpanLab import_paths:    {best:7.3f} s  {n / best:9,.0f} articles/s")
    print(f"    of which read+canon.:  {min(readings):7.3f} s  (measured alone, no database)")
    print(f"  raw sqlite3 executemany: {raw:7.3f} s  {n / raw:9,.0f} articles/s")
    print(f"  ratio import / raw:      {best / raw:7.2f}  wall clock (target < 3)")
    print(f"  ratio of CPU time:       {cpu_ratio:7.2f}  (disk waits left out)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
