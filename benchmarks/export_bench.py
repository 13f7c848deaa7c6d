"""Export speed and memory: every available format at two corpus sizes.

Usage: ``.venv/bin/python benchmarks/export_bench.py [--quick | --documents N]
[--sizes 1000,10000] [--formats jsonl,brat,...] [--trace]``

For each size, a project is generated in a temporary folder: articles of ~1.5 KB with
30 spans and 10 relations each (one annotator, every document marked done), written
in bulk through one ``EditStore`` transaction. Then every format whose module exists
is exported with ``export_project`` (the code path of ``spanlab export``), each in a
fresh child process, printing documents per second and how much the export raised the
child's resident memory (sampled every 5 ms; the peak minus the level just before
the export, so imports and the interpreter do not count). ``--trace`` adds the peak
of Python allocations measured with ``tracemalloc`` (which slows the export a lot).
The last table divides the memory at the largest size by the memory at the smallest:
an export that streams stays near 1.0 however large the corpus gets.

Default sizes are 1,000 and 10,000 documents (300,000 spans); ``--quick`` uses 200 and
1,000.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from spanlab.core.exporting import ExportSelection, export_project  # noqa: E402
from spanlab.core.formats import registry  # noqa: E402
from spanlab.core.importing.canonical import text_sha256  # noqa: E402
from spanlab.core.project import Project  # noqa: E402
from spanlab.core.storage import repository as repo  # noqa: E402

PEOPLE = ["Park Seo-jun", "Anouk de Vries", "Kim Min-ji", "José Álvarez", "Zoë Müller"]
ROLES = ["foreign minister", "ambassador", "trade envoy", "prime minister", "spokesperson"]
COUNTRIES = ["South Korea", "the Netherlands", "Spain", "Japan", "Türkiye", "Denmark"]
CITIES = ["Seoul", "Rotterdam", "Geneva", "Hanoi", "Manila", "Abidjan"]
DATES = ["Friday", "Oct. 6, 2023", "late September", "last week", "March 2024"]
ORGS = ["the United Nations", "ASEAN", "the Ministry of Foreign Affairs", "the WTO"]
SPANS_PER_SENTENCE = 6
SENTENCES = 5  # 30 spans, 10 relations per document


def _sentence(
    rng: random.Random,
) -> tuple[str, list[tuple[str, int, int]], list[tuple[int, int, str]]]:
    """One sentence with six labelled parts and two relations (indices into its spans)."""
    parts = [
        ("PERSON", rng.choice(PEOPLE)),
        (None, ", the "),
        ("ROLE", rng.choice(ROLES)),
        (None, " of "),
        ("COUNTRY", rng.choice(COUNTRIES)),
        (None, ", met officials of "),
        ("ORGANIZATION", rng.choice(ORGS)),
        (None, " in "),
        ("LOCATION", rng.choice(CITIES)),
        (None, " on "),
        ("DATE", rng.choice(DATES)),
        (None, " to discuss shipping, energy and 🚢 port investment. "),
    ]
    text = ""
    spans: list[tuple[str, int, int]] = []
    for label, piece in parts:
        if label is not None:
            spans.append((label, len(text), len(text) + len(piece)))
        text += piece
    return text, spans, [(0, 1, "HOLDS_ROLE"), (1, 2, "ROLE_OF")]


def build(path: Path, documents: int, seed: int = 1) -> Project:
    """A project with ``documents`` generated articles, written in one transaction."""
    rng = random.Random(seed)
    project = Project.create(path, name=f"bench-{documents}")
    annotator = project.ensure_annotator("alice")
    stamp = datetime.now(UTC)
    with project.edit() as store:
        labels = {name: store.label_id(name) for name in store.schema.label_names}
        types = {r.name: store.relation_type_id(r.name) for r in store.schema.relations}
        span_id = relation_id = 0
        for first in range(0, documents, 500):
            rows, layers = [], []
            for number in range(first, min(first + 500, documents)):
                text = f"Talks resume, report {number}\n\n"
                spans: list[tuple[str, int, int]] = []
                relations: list[tuple[int, int, str]] = []
                for _ in range(SENTENCES):
                    sentence, found, links = _sentence(rng)
                    base, offset = len(spans), len(text)
                    spans.extend((label, s + offset, e + offset) for label, s, e in found)
                    relations.extend((h + base, t + base, kind) for h, t, kind in links)
                    text += sentence
                text = text.rstrip()
                rows.append(
                    {"title": f"Report {number}", "text": text, "sha256": text_sha256(text)}
                )
                layers.append((text, spans, relations))
            doc_ids = store.insert_documents(rows)
            span_rows, relation_rows, status_rows = [], [], []
            for doc_id, (text, spans, relations) in zip(doc_ids, layers, strict=True):
                ids = []
                for label, start, end in spans:
                    span_id += 1
                    ids.append(span_id)
                    span_rows.append(
                        {
                            "id": span_id,
                            "document_id": doc_id,
                            "annotator_id": annotator.id,
                            "label_id": labels[label],
                            "start": start,
                            "end": end,
                            "text": text[start:end],
                            "attributes": {"iso_code": "KR"} if label == "COUNTRY" else {},
                        }
                    )
                for head, tail, kind in relations:
                    relation_id += 1
                    relation_rows.append(
                        {
                            "id": relation_id,
                            "document_id": doc_id,
                            "annotator_id": annotator.id,
                            "type_id": types[kind],
                            "head_id": ids[head],
                            "tail_id": ids[tail],
                            "attributes": {},
                        }
                    )
                status_rows.append(
                    {
                        "document_id": doc_id,
                        "annotator_id": annotator.id,
                        "status": "done",
                        "started_at": stamp,
                        "finished_at": stamp,
                        "updated_at": stamp,
                    }
                )
            store.conn.execute(insert(repo.SPAN), span_rows)
            store.conn.execute(insert(repo.REL), relation_rows)
            store.conn.execute(insert(repo.STATUS), status_rows)
    return project


def _available() -> list[str]:
    found = []
    for name in registry.export_formats():
        module = registry._EXPORTERS[name].partition(":")[0]
        if importlib.util.find_spec(module) is None:
            continue
        try:
            registry.exporter(name)
        except ImportError:
            continue
        found.append(name)
    return found


def _rss_mb() -> float:
    """Current resident memory (Linux: /proc), else the peak so far (getrusage)."""
    statm = Path("/proc/self/statm")
    if statm.exists():
        pages = int(statm.read_text().split()[1])
        return pages * resource.getpagesize() / 1e6
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1e3 if sys.platform != "darwin" else peak / 1e6


class _PeakRss:
    """Samples the resident memory every 5 ms in a thread; ``peak`` is the highest seen."""

    def __init__(self) -> None:
        self.peak = _rss_mb()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, _rss_mb())

    def __enter__(self) -> _PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss_mb())


def child(project_path: str, name: str, out: str, trace: bool) -> None:
    """Run one export in this (fresh) process and print its measurements as JSON."""
    project = Project.open(project_path)
    registry.exporter(name)  # import the format module before measuring
    project.schema()
    gc.collect()
    before = _rss_mb()
    if trace:
        tracemalloc.start()
    with _PeakRss() as sampler:
        began = time.perf_counter()
        report = export_project(
            project, format=name, out_dir=Path(out), selection=ExportSelection()
        )
        elapsed = time.perf_counter() - began
    traced = tracemalloc.get_traced_memory()[1] / 1e6 if trace else None
    result = {
        "seconds": elapsed,
        "documents": report.documents,
        "files": len(report.files),
        "rss": sampler.peak - before,
        "traced": traced,
        "failed": None if report.ok else report.failed,
    }
    print(json.dumps(result))


def run(sizes: list[int], formats: list[str], trace: bool) -> None:
    memory: dict[tuple[str, int], float] = {}
    with tempfile.TemporaryDirectory(prefix="spanlab-export-bench-") as tmp:
        for size in sizes:
            started = time.perf_counter()
            path = Path(tmp) / f"bench-{size}.spanlab"
            build(path, size).close()
            spans = size * SENTENCES * SPANS_PER_SENTENCE
            print(
                f"\n{size:,} documents, {spans:,} spans: project built in "
                f"{time.perf_counter() - started:.1f} s"
            )
            header = f"{'format':12} {'seconds':>8} {'docs/s':>9} {'+RSS MB':>9}"
            print(header + (f" {'traced MB':>10}" if trace else "") + "  files", flush=True)
            for name in formats:
                out = Path(tmp) / f"{name}-{size}"
                command = [sys.executable, __file__, "--child", str(path), name, str(out)]
                if trace:
                    command.append("--trace")
                done = subprocess.run(command, capture_output=True, text=True, check=False)
                if done.returncode != 0:
                    print(f"{name:12} crashed: {done.stderr.strip().splitlines()[-1:]}")
                    continue
                result = json.loads(done.stdout.strip().splitlines()[-1])
                memory[(name, size)] = result["traced"] if trace else result["rss"]
                line = (
                    f"{name:12} {result['seconds']:8.2f} "
                    f"{result['documents'] / result['seconds']:9.0f} {result['rss']:9.1f}"
                )
                if trace:
                    line += f" {result['traced']:10.1f}"
                line += f"  {result['files']}"
                if result["failed"]:
                    line += f"  FAILED: {result['failed']}"
                print(line, flush=True)
                shutil.rmtree(out, ignore_errors=True)
    if len(sizes) > 1:
        _print_ratios(memory, sizes, formats, trace)


def _print_ratios(
    memory: dict[tuple[str, int], float], sizes: list[int], formats: list[str], trace: bool
) -> None:
    """Memory at the smallest and largest size side by side, and their ratio."""
    small, large = min(sizes), max(sizes)
    what = "traced Python memory (MB)" if trace else "RSS growth (MB)"
    print(f"\n{what}; ratio = at {large:,} / at {small:,} documents (about 1 = flat, streamed):")
    print(f"{'format':12} {f'{small:,}':>9} {f'{large:,}':>9} {'ratio':>6}")
    for name in formats:
        if (name, large) in memory and (name, small) in memory:
            low, high = memory[(name, small)], memory[(name, large)]
            ratio = high / max(low, 0.1)
            print(f"{name:12} {low:9.1f} {high:9.1f} {ratio:6.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="200 and 1,000 documents")
    parser.add_argument("--documents", type=int, help="one size only")
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated sizes")
    parser.add_argument("--formats", help="comma-separated formats (default: all available)")
    parser.add_argument("--trace", action="store_true", help="also measure with tracemalloc")
    parser.add_argument(
        "--child", nargs=3, metavar=("PROJECT", "FORMAT", "OUT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.child:
        project_path, name, out = args.child
        child(project_path, name, out, trace=args.trace)
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.quick:
        sizes = [200, 1000]
    if args.documents:
        sizes = [args.documents]
    formats = args.formats.split(",") if args.formats else _available()
    run(sizes, formats, trace=args.trace)


if __name__ == "__main__":
    main()
