"""Article view benchmark: a 100,000-word document with 5,000 spans, measured in one run.

Prints, against a bare ``QPlainTextEdit.setPlainText`` of the same text measured in the
same process:

* open + first paint of the document view (spans already in memory), as a ratio;
* open + first paint through the whole window (text and 5,000 spans read from the
  project, span index, highlighter, panels), as a ratio (aim: under 5);
* median time to add one span (committed to SQLite) and repaint (aim: under 16 ms);
* memory added by opening the document in the window (aim: under 100 MB);
* relation arcs: a 10,000-word document with 2,000 spans and 1,000 relations (most
  between nearby spans, one in twenty across paragraphs): median repaint while
  scrolling with every arc shown (aim: under 16 ms; the arcs of a settled scroll
  position are replayed from the overlay's cache), a scroll step and its repaint
  (new lines highlighted, arcs computed afresh), the time to compute the arcs of the
  visible area uncached, and the arc layer painted alone. Without arcs the lines are
  shorter (no room reserved for arcs), so more text is in view.

Run: ``.venv/bin/python benchmarks/view_bench.py`` (offscreen unless QT_QPA_PLATFORM is set);
``--relations-only`` runs just the relation arcs part.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication, QPlainTextEdit

from spanlab.core.commands import AddRelation, AddSpan
from spanlab.core.model import AnnotatorId, DocumentId, Span, SpanId
from spanlab.core.project import Project, default_schema
from spanlab.core.snapping import TextSnapper
from spanlab.core.span_index import SpanIndex
from spanlab.ui.app import create_app
from spanlab.ui.views.arc_overlay import ArcMode
from spanlab.ui.views.document_view import DocumentView
from spanlab.ui.views.label_style import LabelStyles

WORDS = 100_000
SPANS = 5_000
WORDS_PER_PARAGRAPH = 120
ASTRAL_EVERY = 500
SIZE = (1000, 800)
RUNS = 5
ADDS = 60
_VOCABULARY_TEXT = (
    "the minister said talks would resume in Seoul after officials from Japan and the "
    "United Nations met on Friday to discuss security cooperation trade and refugee funding "
    "while analysts warned that the agreement could face delays in parliament next year"
)
VOCABULARY = tuple(_VOCABULARY_TEXT.split())
ASTRALS = ("😀", "🇰🇷", "👍🏽", "e\u0301", "𝒜")


def make_text(rng: random.Random) -> tuple[str, list[tuple[int, int]]]:
    """The article and the (start, end) of every word."""
    parts: list[str] = []
    words: list[tuple[int, int]] = []
    position = 0
    for i in range(WORDS):
        word = rng.choice(VOCABULARY)
        if i % ASTRAL_EVERY == ASTRAL_EVERY - 1:
            word = f"{word}{ASTRALS[(i // ASTRAL_EVERY) % len(ASTRALS)]}"
        if i:
            separator = "\n" if i % WORDS_PER_PARAGRAPH == 0 else " "
            parts.append(separator)
            position += 1
        words.append((position, position + len(word)))
        parts.append(word)
        position += len(word)
    return "".join(parts), words


def make_spans(rng: random.Random, words: list[tuple[int, int]]) -> list[tuple[str, int, int]]:
    """5,000 spans of one to three words; one in ten nests inside a longer one."""
    labels = default_schema().label_names
    step = len(words) // SPANS
    spans: list[tuple[str, int, int]] = []
    for i in range(SPANS):
        first = i * step
        if i % 10 == 9:  # nested: the last word of the previous span's neighbourhood
            start, end = words[first - step][0], words[first - step][1]
        else:
            count = rng.randint(1, 3)
            start, end = words[first][0], words[min(first + count, len(words)) - 1][1]
        spans.append((rng.choice(labels), start, end))
    return spans


def rss_mb() -> float:
    """Resident memory of this process."""
    with Path("/proc/self/statm").open() as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def timed(action: Callable[[], None]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def bare_open(text: str) -> float:
    widget = QPlainTextEdit()
    widget.resize(*SIZE)
    widget.show()
    settle()

    def run() -> None:
        widget.setPlainText(text)
        widget.repaint()
        settle()

    elapsed = timed(run)
    widget.close()
    widget.deleteLater()
    settle()
    return elapsed


def view_open(text: str, spans: list[Span], styles: LabelStyles) -> float:
    view = DocumentView()
    view.set_styles(styles)
    view.resize(*SIZE)
    view.show()
    settle()

    def run() -> None:
        view.load(text, SpanIndex(spans), TextSnapper(text))
        view.repaint()
        settle()

    elapsed = timed(run)
    view.close()
    view.deleteLater()
    settle()
    return elapsed


def build_project(folder: Path, text: str, spans: list[tuple[str, int, int]]) -> Path:
    path = folder / "bench.spanlab"
    with Project.create(path) as project:
        with project.edit() as store:
            (doc,) = store.insert_documents([{"title": "Benchmark", "text": text, "sha256": "b"}])
        annotator = project.ensure_annotator("alice")
        with project.edit() as store:
            for label, start, end in spans:
                AddSpan(doc, annotator.id, label, start, end).apply(store)
    return path


def bare_repaint(text: str) -> Callable[[], float]:
    """A bare QPlainTextEdit showing the text; each call times one viewport repaint."""
    widget = QPlainTextEdit()
    widget.resize(*SIZE)
    widget.show()
    widget.setPlainText(text)
    settle()
    return lambda: timed(widget.viewport().repaint)


REL_WORDS = 10_000
REL_SPANS = 2_000
RELATIONS = 1_000
SCROLL_STEPS = 60


def build_relation_project(folder: Path, rng: random.Random) -> tuple[Path, int]:
    """A document with dense spans and 1,000 relations whose types fit their labels."""
    schema = default_schema()
    text, words = make_text(rng)
    cut = words[REL_WORDS - 1][1]
    text, words = text[:cut], words[:REL_WORDS]
    step = REL_WORDS // REL_SPANS
    labels = schema.label_names
    path = folder / "relations.spanlab"
    with Project.create(path) as project:
        with project.edit() as store:
            (doc,) = store.insert_documents([{"title": "Arcs", "text": text, "sha256": "r"}])
        annotator = project.ensure_annotator("alice")
        ids: list[tuple[int, str]] = []
        with project.edit() as store:
            for i in range(REL_SPANS):
                label = rng.choice(labels)
                start, end = words[i * step]
                command = AddSpan(doc, annotator.id, label, start, end)
                command.apply(store)
                assert command.span_id is not None
                ids.append((int(command.span_id), label))
        made = 0
        seen: set[tuple[int, int]] = set()
        with project.edit() as store:
            i = 0
            while made < RELATIONS:
                head, head_label = ids[i % len(ids)]
                reach = 200 if made % 20 == 19 else 6  # a few arcs span paragraphs
                for j in range(1, reach + 1):
                    tail, tail_label = ids[(i + j * (1 if reach == 6 else 30)) % len(ids)]
                    types = schema.relation_types_for(head_label, tail_label)
                    pair = (min(head, tail), max(head, tail))
                    if types and head != tail and pair not in seen:
                        AddRelation(head, tail, types[0].name).apply(store)
                        seen.add(pair)
                        made += 1
                        break
                i += 1
    return path, RELATIONS


def relation_bench(folder: Path, rng: random.Random) -> None:
    """Scroll through the relation document and time repaints and arc geometry."""
    path, count = build_relation_project(folder, rng)
    settings = QSettings(str(folder / "rel-settings.ini"), QSettings.Format.IniFormat)
    settings.setValue("annotator", "alice")
    app = create_app(sys.argv[:1], settings=settings)
    app.window.resize(1400, 900)
    app.window.show()
    app.session.set_annotator("alice")
    app.session.open_project(path)
    document_id = app.window.document_panel.source.document_ids()[0]
    app.documents.open(document_id)
    settle()
    view = app.window.document_view
    overlay = app.tools.relations.overlay
    assert len(app.window.relations_panel.model.rows()) == count

    layer: list[float] = []
    fresh_layer: list[float] = []

    def paint_layer(refresh: bool) -> float:
        """Time the arc overlay alone, painting on an offscreen image of the viewport."""
        image = QImage(view.viewport().size(), QImage.Format.Format_ARGB32_Premultiplied)
        painter = QPainter(image)
        if refresh:
            overlay.update()  # forget the cached frame: recompute and rebuild the paths
        elapsed = timed(lambda: overlay.paint(painter))
        painter.end()
        return elapsed

    def scroll(arcs: bool) -> tuple[list[float], list[float], list[float], list[int]]:
        """Per step: repaint after the scroll settled, scroll + repaint, fresh arcs, count."""
        bar = view.verticalScrollBar()
        repaints: list[float] = []
        scrolls: list[float] = []
        geometry: list[float] = []
        visible: list[int] = []
        for i in range(SCROLL_STEPS):
            value = bar.maximum() * i // SCROLL_STEPS

            def step(value: int = value) -> None:
                bar.setValue(value)
                view.viewport().repaint()  # highlighting, span geometry and arcs of new lines

            scrolls.append(timed(step))
            settle()
            repaints.append(timed(view.viewport().repaint))
            if arcs:
                start = time.perf_counter()
                visible.append(len(overlay.compute_arcs()))  # uncached, as after a scroll
                geometry.append(time.perf_counter() - start)
                fresh_layer.append(paint_layer(True))
                layer.append(paint_layer(False))
        return repaints, scrolls, geometry, visible

    repaints, scrolls, geometry, visible = scroll(True)
    overlay.set_mode(ArcMode.NONE)
    settle()
    plain, plain_scrolls, _geometry, _visible = scroll(False)
    app.session.close_project()
    app.window.close()
    settle()

    def ms(values: list[float]) -> str:
        return f"{statistics.median(values) * 1000:6.2f} ms"

    print(
        f"relations: {REL_WORDS:,}-word document, {REL_SPANS:,} spans, {count:,} relations; "
        f"{statistics.median(visible):.0f} arcs in view (median, max {max(visible)})"
    )
    print(
        f"  repaint while scrolling, all arcs (median of {SCROLL_STEPS}): {ms(repaints)}  "
        f"(aim < 16; without arcs {ms(plain).strip()})"
    )
    print(
        f"  scroll step + repaint, all arcs (median):          {ms(scrolls)}  "
        f"(without arcs {ms(plain_scrolls).strip()}; new lines highlighted, arcs computed)"
    )
    print(
        f"  arcs for the visible area, uncached (median):      {ms(geometry)}  "
        f"(max {max(geometry) * 1000:.2f} ms)"
    )
    print(
        f"  arc layer alone: computed + painted {ms(fresh_layer).strip()}, "
        f"replayed from its cache {ms(layer).strip()} (median)"
    )


def main() -> int:
    rng = random.Random(20240601)
    qapp = QApplication.instance() or QApplication(sys.argv[:1])
    if "--relations-only" in sys.argv[1:]:  # just the relation arcs part
        with tempfile.TemporaryDirectory(prefix="spanlab-bench-") as folder:
            relation_bench(Path(folder), random.Random(20240602))
        return 0
    text, words = make_text(rng)
    raw_spans = make_spans(rng, words)
    spans = [
        Span(SpanId(i + 1), DocumentId(1), AnnotatorId(1), label, s, e, text[s:e])
        for i, (label, s, e) in enumerate(raw_spans)
    ]
    styles = LabelStyles(default_schema())
    pyside = __import__("PySide6").__version__
    print(
        f"document: {len(text.split()):,} words, {len(text):,} code points, "
        f"{len(text.encode('utf-16-le')) // 2:,} UTF-16 units, {text.count(chr(10)) + 1} "
        f"paragraphs, {len(spans):,} spans ({SPANS // 10} nested); viewport {SIZE[0]}x{SIZE[1]}; "
        f"PySide6 {pyside}, Python {sys.version.split()[0]}"
    )
    bare_open(text)  # warm up fonts and shaping caches for both
    view_open(text, spans, styles)
    bare: list[float] = []
    view: list[float] = []
    window_runs: list[float] = []
    memory: list[float] = []
    with tempfile.TemporaryDirectory(prefix="spanlab-bench-") as folder:
        path = build_project(Path(folder), text, raw_spans)
        settings = QSettings(str(Path(folder) / "settings.ini"), QSettings.Format.IniFormat)
        settings.setValue("annotator", "alice")
        app = create_app(sys.argv[:1], settings=settings)
        app.window.resize(1400, 900)
        app.window.show()
        app.session.set_annotator("alice")
        app.session.open_project(path)
        app.documents.open(None)
        settle()
        document_id = app.window.document_panel.source.document_ids()[0]

        def open_document() -> None:
            app.documents.open(document_id)
            app.window.repaint()
            settle()

        for _ in range(RUNS):  # interleaved, so load on a shared machine hits all three
            bare.append(bare_open(text))
            view.append(view_open(text, spans, styles))
            app.documents.open(None)
            settle()
            before = rss_mb()
            window_runs.append(timed(open_document))
            memory.append(rss_mb() - before)
        view_widget = app.window.document_view
        project = app.session.project
        annotator = app.session.annotator
        assert project is not None and annotator is not None
        assert len(app.document.index) == SPANS
        execute = project.execute
        commits: list[float] = []

        def timed_execute(command: AddSpan) -> object:
            start = time.perf_counter()
            try:
                return execute(command)
            finally:
                commits.append(time.perf_counter() - start)

        project.execute = timed_execute  # type: ignore[method-assign,assignment]
        first = view_widget.firstVisibleBlock().position()
        visible_words = [(s, e) for s, e in words if first <= s < first + 2000]
        bare_paint = bare_repaint(text)
        adds: list[float] = []
        repaints: list[float] = []
        bare_repaints: list[float] = []
        for i in range(ADDS):
            start, end = visible_words[(i * 7) % len(visible_words)]
            command = AddSpan(document_id, annotator.id, "EVENT", start, end)

            def add(command: AddSpan = command) -> None:
                app.session.run(command)  # commit, signals, index, highlighter, panels
                settle()  # the scheduled repaint of the changed paragraph

            adds.append(timed(add))
            repaints.append(timed(view_widget.viewport().repaint))
            bare_repaints.append(bare_paint())
        highlighted = view_widget.highlighter.highlighted_blocks
        app.session.close_project()
        app.window.close()
        settle()

    def ms(values: list[float]) -> float:
        return statistics.median(values) * 1000

    bare_ms, view_ms, window_ms = ms(bare), ms(view), ms(window_runs)
    add_ms, commit_ms = ms(adds), ms(commits)
    ui_ms = statistics.median(a - c for a, c in zip(adds, commits, strict=True)) * 1000
    print(f"bare QPlainTextEdit.setPlainText + first paint:  {bare_ms:7.1f} ms  (median of {RUNS})")
    print(
        f"DocumentView.load + first paint:                 {view_ms:7.1f} ms  "
        f"ratio {view_ms / bare_ms:.2f}"
    )
    print(
        f"window: open from project + first paint:         {window_ms:7.1f} ms  "
        f"ratio {window_ms / bare_ms:.2f}  (aim < 5)"
    )
    print(f"add one span + repaint (median of {ADDS}):          {add_ms:7.2f} ms  (aim < 16)")
    print(f"  of which the core's execute (SQLite commit):    {commit_ms:7.2f} ms")
    print(f"  of which the UI (signals, index, panels, paint): {ui_ms:7.2f} ms")
    print(
        f"full viewport repaint: ours {ms(repaints):.2f} ms, bare QPlainTextEdit "
        f"{ms(bare_repaints):.2f} ms"
    )
    print(
        f"memory added by opening the document:            {memory[0]:7.1f} MB  (aim < 100; "
        f"first open, reopening adds {statistics.median(memory[1:]):.1f} MB)"
    )
    print(f"paragraphs highlighted by the end: {highlighted} of {text.count(chr(10)) + 1}")
    with tempfile.TemporaryDirectory(prefix="spanlab-bench-") as folder:
        relation_bench(Path(folder), random.Random(20240602))
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(
        f"load average at the end: {load} on {os.cpu_count()} CPUs "
        "(other work on the machine skews absolute times)"
    )
    del qapp
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
