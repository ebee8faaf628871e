"""The desktop rows of `mcdesk bench`: cold start, opening a lesson, answer feedback and peak memory,
each against a bare PySide6 floor measured in the same run.

The Qt side runs in subprocesses (``python -m mcdesk.ui.probe KIND``, with QT_QPA_PLATFORM=offscreen),
so this module stays core code and never imports Qt. It prepares the data folders the probes use
(the samples, one learner, a generated 200-lesson pack with a 50 KB lesson and a quiz) under the run's
temp folder, which ``run_bench`` removes.
"""

from __future__ import annotations

import json
import math
import os
import random
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from mcdesk.bench import _VOCAB, BenchContext, Budget, Measurement, register
from mcdesk.errors import McdeskError
from mcdesk.home import Home
from mcdesk.learning.learners import create_learner, set_technician_passphrase
from mcdesk.packs.build import build_pack
from mcdesk.packs.install import PackManager
from mcdesk.packs.samples import install_samples
from mcdesk.store.db import open_store

PROBE = "mcdesk.ui.probe"
READY = "ready"  # what a start probe prints once its window is usable (mcdesk.ui.probe.READY)
PROBE_TIMEOUT_S = 300.0
SETTLE_MS = 300  # the memory probes read their peak this long after their last step (as the app probe)
KB = 1024  # the probes report their peak in KiB (mcdesk.ui.probe.maxrss_kb)
MB = 1_000_000  # as in mcdesk.bench: decimal megabytes
MEMORY_BUDGET_MB = 30.0  # DESIGN.md: peak memory with a 200-lesson pack open under bare window + 30 MB
LESSON_BUDGET_MS = 50.0  # DESIGN.md: a 50 KB lesson with images opens in under 50 ms at p95
FEEDBACK_BUDGET_MS = 16.0  # DESIGN.md: answer to feedback under 16 ms

COLD_START = "cold start to interactive window vs bare QMainWindow"
LESSON_OPEN = "open a 50 KB lesson with images, p95"
ANSWER_FEEDBACK = "answer to feedback latency, p95"
PEAK_MEMORY = "peak memory with a 200-lesson pack open vs bare window"
DESKTOP_ROWS = (COLD_START, LESSON_OPEN, ANSWER_FEEDBACK, PEAK_MEMORY)


@dataclass(frozen=True)
class Sizes:
    """How much each desktop row repeats; ``--quick`` shrinks it for a smoke test."""

    starts: int  # timed starts of each kind (median)
    start_warmups: int  # untimed starts of each kind first (page cache, byte code)
    opens: int  # timed lesson opens (p95)
    answers: int  # timed answers (p95)
    warmups: int  # untimed opens and answers first
    memory_runs: int  # processes of each kind (median of their peaks)


# p95 of 50 was the third-slowest sample, and the median of 5 starts moved by a few percent from run to run:
# more samples steady the two noisiest rows. A single start moves by ±5 % on a shared machine; the median
# of 9 still moved from 1.19 to 1.29 between runs of the same code, so 15 of each (about 4 s more).
FULL = Sizes(starts=15, start_warmups=1, opens=100, answers=150, warmups=3, memory_runs=3)
QUICK = Sizes(starts=2, start_warmups=1, opens=10, answers=10, warmups=1, memory_runs=1)


def sizes(ctx: BenchContext) -> Sizes:
    return QUICK if ctx.quick else FULL


# --- running the probes ------------------------------------------------------------------------


def probe_command(kind: str, *args: str | os.PathLike[str]) -> list[str]:
    """The command line of one probe, run with this interpreter."""
    return [sys.executable, "-m", PROBE, kind, *(str(a) for a in args)]


def probe_env(ctx: BenchContext) -> dict[str, str]:
    """This process's environment with Qt drawing offscreen (no display needed, the same everywhere) and
    byte code cached under the run's temp folder. An installed mcdesk runs from compiled byte code; with
    PYTHONDONTWRITEBYTECODE set (as in some development shells) every start would compile mcdesk's
    modules again, which says nothing about the app, so the warm-up starts fill a private cache."""
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(ctx.shared("pycache", lambda c: c.scratch("pycache")))
    return env


def _probe_failed(kind: str, code: int | None, stderr: str) -> McdeskError:
    detail = stderr.strip()[-800:]
    return McdeskError(f"The benchmark probe {kind!r} failed (exit status {code})"
                       + (f": {detail}" if detail else "."),
                       f"Run `{sys.executable} -m {PROBE} {kind} --help` and the probe by hand to see why.")


def _json_line(kind: str, out: str) -> dict[str, Any]:
    lines = [line for line in out.splitlines() if line.strip() and line.strip() != READY]
    try:
        data = json.loads(lines[-1]) if lines else None
    except json.JSONDecodeError:
        data = None
    if not isinstance(data, dict):
        raise McdeskError(f"The benchmark probe {kind!r} printed no JSON result: {out[-300:]!r}.",
                          "Run the probe by hand to see what it prints.")
    return data


def run_probe(ctx: BenchContext, kind: str, *args: str | os.PathLike[str]) -> dict[str, Any]:
    """Run one probe to the end and return its JSON result; McdeskError if it fails."""
    done = subprocess.run(probe_command(kind, *args), env=probe_env(ctx), capture_output=True, text=True,
                          timeout=PROBE_TIMEOUT_S, check=False)
    if done.returncode != 0:
        raise _probe_failed(kind, done.returncode, done.stderr)
    return _json_line(kind, done.stdout)


def time_start(ctx: BenchContext, kind: str, *args: str | os.PathLike[str]) -> tuple[float, dict[str, Any]]:
    """Seconds from spawning a start probe to reading its ``ready`` line, and its JSON result."""
    env = probe_env(ctx)
    lines: list[str] = []
    ready_at = None
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        proc = subprocess.Popen(probe_command(kind, *args), env=env, stdout=subprocess.PIPE, stderr=errors,
                                text=True)
        watchdog = threading.Timer(PROBE_TIMEOUT_S, proc.kill)  # a hung probe ends the loop below
        watchdog.start()
        try:
            assert proc.stdout is not None
            for line in proc.stdout:  # each line as soon as the probe flushes it
                if ready_at is None and line.strip() == READY:
                    ready_at = time.perf_counter()
                else:
                    lines.append(line)
            code = proc.wait()
        finally:
            watchdog.cancel()
            if proc.stdout is not None:
                proc.stdout.close()
        errors.seek(0)
        stderr = errors.read().decode("utf-8", "replace")
    if code != 0 or ready_at is None:
        raise _probe_failed(kind, code, stderr or "it never printed 'ready'")
    return ready_at - start, _json_line(kind, "".join(lines))


def p95(values: Sequence[float]) -> float:
    """The 95th percentile by nearest rank (the largest of the fastest 95%)."""
    if not values:
        raise ValueError("p95 of no values")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def _against(value: float, budget: float) -> str:
    return "under it" if value < budget else "NOT under it"


# --- the data folders the probes use -----------------------------------------------------------


@dataclass(frozen=True)
class DesktopHome:
    """A data folder as a laptop has it after first start: the samples installed, one learner."""

    root: Path
    learner_id: int


@dataclass(frozen=True)
class DesktopPack:
    """What the generated pack holds (``write_desktop_source``)."""

    pack_id: str
    lessons: int
    big_lesson: str  # the id of the 50 KB lesson with images
    big_lesson_bytes: int
    images: tuple[str, ...]  # pack paths of the big lesson's images
    tables: int  # tables in the big lesson
    quiz: str  # a quiz of single-choice questions, feedback after each answer
    questions: int


@dataclass(frozen=True)
class PackHome:
    """``DesktopHome`` plus the generated pack, installed with a trusted key."""

    root: Path
    learner_id: int
    pack: DesktopPack


def prepare_desktop_home(ctx: BenchContext) -> DesktopHome:
    """Samples installed and indexed, a technician passphrase, one learner and the device key: the
    app's start does no first-run work in it."""
    from mcdesk.evidence.device import ensure_device

    root = ctx.scratch("desktop-home")
    ctx.log("  Preparing a data folder: the sample packs and one learner…")
    home = Home.open(root)
    store = open_store(home)
    try:
        manager = PackManager(home, store)
        install_samples(home, manager)
        manager.ensure_search_index()
        set_technician_passphrase(store, "bench technician passphrase")
        learner = create_learner(store, "Bench learner", "#1565c0")
        ensure_device(home, store)  # made at the installation's first start, as the app does
    finally:
        store.close()
    return DesktopHome(home.root, learner.id)


def prepare_pack_home(ctx: BenchContext) -> PackHome:
    """A copy of the desktop home with the generated 200-lesson pack installed (its key trusted)."""
    base = ctx.shared("desktop-home", prepare_desktop_home)
    root = ctx.scratch("pack-home")
    shutil.copytree(base.root, root)
    src = ctx.scratch("desktop-pack-src")
    ctx.log("  Generating, building and installing a pack of 200 lessons and a quiz…")
    pack = write_desktop_source(src)
    key = Ed25519PrivateKey.generate()
    built = build_pack(src, key, ctx.scratch("desktop").with_suffix(".mcpack"))
    home = Home.open(root)
    store = open_store(home)
    try:
        manager = PackManager(home, store)
        manager.trust.add(key.public_key(), "mcdesk bench")
        manager.install(built.path)
        manager.ensure_search_index()
    finally:
        store.close()
        shutil.rmtree(src, ignore_errors=True)
        built.path.unlink(missing_ok=True)
    return PackHome(home.root, base.learner_id, pack)


# --- the generated pack ------------------------------------------------------------------------

DESKTOP_PACK_ID = "org.mcdesk.bench.desktop"
DESKTOP_SEED = 20240502
BIG_LESSON = "big-lesson"
BIG_LESSON_BYTES = 50_000
LESSONS_PER_MODULE = 10
QUIZ_ID = "answer-check"
QUIZ_QUESTIONS = 60


def _sentence(rng: random.Random, words: int = 12) -> str:
    return " ".join(rng.choices(_VOCAB, k=words)).capitalize() + "."


def _paragraph(rng: random.Random, sentences: int = 5) -> str:
    text = " ".join(_sentence(rng) for _ in range(sentences))
    a, b = sorted(rng.sample(range(len(text.split())), 2))
    words = text.split()
    words[a] = f"**{words[a]}**"
    words[b] = f"*{words[b]}*"
    return " ".join(words)


def _table(rng: random.Random, rows: int = 6) -> str:
    lines = ["| Term | What it means | Example |", "|---|---|---|"]
    for _ in range(rows):
        lines.append(f"| {rng.choice(_VOCAB)} | {_sentence(rng, 7)} | `{rng.choice(_VOCAB)}` |")
    return "\n".join(lines)


def big_lesson_markdown(rng: random.Random, images: Sequence[str], size: int = BIG_LESSON_BYTES
                        ) -> tuple[str, int]:
    """About ``size`` bytes of lesson Markdown: sections of paragraphs, lists, tables and code, with
    ``images`` (paths relative to the lesson) spread through it. Returns the text and its table count."""
    parts = ["# A long lesson with pictures", _paragraph(rng),
             "This lesson links to [the next lesson](002.md) and to [a section below](#section-3)."]
    tables = 0
    section = 0
    pending = list(images)
    while len("\n\n".join(parts).encode("utf-8")) < size:
        section += 1
        parts.append(f"## Section {section} {{#section-{section}}}")
        parts.extend(_paragraph(rng) for _ in range(2))
        parts.append("\n".join(f"- {_sentence(rng, 8)}" for _ in range(4)))
        if section % 2 == 1:
            parts.append(_table(rng))
            tables += 1
        if pending and section % 2 == 0:
            picture = pending.pop(0)
            parts.append(f"![Figure {section}: a {rng.choice(_VOCAB)} diagram]({picture})")
        if section % 5 == 0:
            parts.append("```\n" + "\n".join(f"{rng.choice(_VOCAB)} = {n}" for n in range(5)) + "\n```")
        parts.append(_paragraph(rng, 3))
    parts.extend(f"![Figure: {rng.choice(_VOCAB)}]({picture})" for picture in pending)
    return "\n\n".join(parts) + "\n", tables


def small_lesson_markdown(rng: random.Random, n: int, image: str | None) -> str:
    parts = [f"# Lesson {n}", _paragraph(rng), _paragraph(rng, 4), _table(rng, 4), _paragraph(rng, 3)]
    if image:
        parts.insert(2, f"![A {rng.choice(_VOCAB)} diagram]({image})")
    return "\n\n".join(parts) + "\n"


def svg_image(rng: random.Random, width: int = 640, height: int = 320) -> str:
    """A diagram: boxes with labels joined by lines (a few KB of SVG)."""
    shapes = []
    for n in range(8):
        x, y = rng.randrange(10, width - 150), rng.randrange(10, height - 60)
        colour = rng.choice(("#1565c0", "#2e7d32", "#ef6c00", "#6a1b9a"))
        shapes.append(f'<rect x="{x}" y="{y}" width="140" height="50" rx="8" fill="{colour}" opacity="0.8"/>'
                      f'<text x="{x + 10}" y="{y + 30}" font-size="16" fill="#ffffff">{rng.choice(_VOCAB)} {n}</text>')
        shapes.append(f'<line x1="{x + 70}" y1="{y + 50}" x2="{rng.randrange(width)}" y2="{rng.randrange(height)}" '
                      'stroke="#333333" stroke-width="2"/>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}"><rect width="{width}" height="{height}" fill="#f5f5f5"/>'
            + "".join(shapes) + "</svg>\n")


def png_image(rng: random.Random, width: int, height: int) -> bytes:
    """An RGB PNG: gradients with noise, so it neither compresses to nothing nor decodes for free."""
    noise = rng.randbytes(width)
    raw = bytearray()
    for y in range(height):
        raw.append(0)  # filter: none
        g = y * 255 // height
        raw += bytes(v for x in range(width) for v in (x * 255 // width, g, (noise[x] + y) & 0xFF))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(raw), 6))
            + chunk(b"IEND", b""))


def quiz_json(rng: random.Random, questions: int = QUIZ_QUESTIONS) -> dict[str, Any]:
    """Single-choice questions with option feedback and an explanation; feedback after each answer."""
    items = []
    for n in range(1, questions + 1):
        right = rng.randrange(4)
        options = [{"id": f"o{k}", "text": _sentence(rng, 6), "correct": k == right,
                    "feedback": _sentence(rng, 10)} for k in range(4)]
        items.append({"id": f"q{n}", "type": "single", "prompt": f"Question {n}: {_sentence(rng, 14)}",
                      "options": options, "explanation": _paragraph(rng, 2)})
    return {"format": 1, "id": QUIZ_ID, "title": "Answer check", "pass_mark": 0.7, "feedback": "each",
            "questions": items}


def write_desktop_source(folder: Path, lessons: int = 200, seed: int = DESKTOP_SEED) -> DesktopPack:
    """A pack source folder: ``lessons`` lessons in modules of ten (the first a ~50 KB lesson with three
    SVG and two PNG images and tables; the others a few KB, every fifth with a picture), a quiz of
    single-choice questions and one credential. Deterministic."""
    rng = random.Random(seed)
    for sub in ("lessons", "media", "quizzes"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    images = []
    for n in range(1, 4):
        (folder / "media" / f"diagram-{n}.svg").write_text(svg_image(rng), encoding="utf-8")
        images.append(f"media/diagram-{n}.svg")
    for n, (width, height) in enumerate(((640, 360), (480, 270)), start=1):
        (folder / "media" / f"photo-{n}.png").write_bytes(png_image(rng, width, height))
        images.append(f"media/photo-{n}.png")
    text, tables = big_lesson_markdown(rng, [f"../{path}" for path in images])
    big = text.encode("utf-8")
    (folder / "lessons" / "001.md").write_bytes(big)
    items = [{"type": "lesson", "id": BIG_LESSON, "title": "A long lesson with pictures", "path": "lessons/001.md"}]
    for n in range(2, lessons + 1):
        image = f"../{images[n % 3]}" if n % 5 == 0 else None
        (folder / "lessons" / f"{n:03d}.md").write_text(small_lesson_markdown(rng, n, image), encoding="utf-8")
        items.append({"type": "lesson", "id": f"lesson-{n:03d}", "title": f"Lesson {n}: {rng.choice(_VOCAB)}",
                      "path": f"lessons/{n:03d}.md"})
    (folder / "quizzes" / f"{QUIZ_ID}.json").write_text(json.dumps(quiz_json(rng), indent=1), encoding="utf-8")
    modules = []
    for m in range(0, len(items), LESSONS_PER_MODULE):
        module_items = items[m:m + LESSONS_PER_MODULE]
        if m == 0:
            module_items = [*module_items, {"type": "quiz", "id": QUIZ_ID, "title": "Answer check",
                                            "path": f"quizzes/{QUIZ_ID}.json"}]
        modules.append({"id": f"module-{m // LESSONS_PER_MODULE + 1:02d}",
                        "title": f"Module {m // LESSONS_PER_MODULE + 1}", "items": module_items})
    first = [i["id"] for i in modules[0]["items"] if i["type"] == "lesson"]
    manifest = {
        "format": 1, "id": DESKTOP_PACK_ID, "version": 1, "display_version": "1.0.0",
        "title": "Benchmark course", "language": "en",
        "description": "Generated by mcdesk bench: 200 lessons, pictures, tables and a quiz.",
        "publisher": {"name": "mcdesk bench"}, "min_app_version": "0.1.0",
        "credentials": [{
            "id": "bench-first-module", "title": "Benchmark first module",
            "description": "Completed the first module of the benchmark course.",
            "criteria": {"narrative": "Complete the first module and pass its check.", "lessons": first,
                         "quizzes": [QUIZ_ID]},
            "skills": [{"name": "Patience"}], "level": "introductory", "estimated_hours": 1,
        }],
        "modules": modules,
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return DesktopPack(DESKTOP_PACK_ID, lessons, BIG_LESSON, len(big), tuple(images), tables, QUIZ_ID,
                       QUIZ_QUESTIONS)


# --- the rows ----------------------------------------------------------------------------------


@register(COLD_START, unit="ms", goal="<= 1.3")
def cold_start(ctx: BenchContext) -> Measurement:
    """Spawn to "ready": the app through mcdesk.cli and run_app vs a bare QMainWindow, alternating."""
    home = ctx.shared("desktop-home", prepare_desktop_home)
    size = sizes(ctx)
    app_s: list[float] = []
    bare_s: list[float] = []
    pages: set[str] = set()
    for n in range(size.start_warmups + size.starts):
        order = ("bare", "app") if n % 2 == 0 else ("app", "bare")
        for which in order:
            if which == "bare":
                seconds, _data = time_start(ctx, "start-bare")
            else:
                seconds, data = time_start(ctx, "start-app", "--home", home.root)
                pages.add(str(data.get("first_page")))
            if n >= size.start_warmups:
                (bare_s if which == "bare" else app_s).append(seconds)
            ctx.log(f"  start {which}{' (warm-up)' if n < size.start_warmups else ''}: {seconds * 1000:.0f} ms")
    value, floor = statistics.median(app_s) * 1000, statistics.median(bare_s) * 1000
    note = (f"median of {size.starts} alternating starts of each"
            + (f" after {size.start_warmups} warm-up start of each" if size.start_warmups else "")
            + "; QT_QPA_PLATFORM=offscreen, byte code cached (as installed). From spawning "
            f"`python -m {PROBE} start-app` (imports mcdesk.cli, "
            f"then run_app on a data folder with the samples installed and one learner) to its 'ready' "
            f"(MainWindow.ready: first page {', '.join(sorted(pages))}, its learners painted), vs `start-bare` "
            "(PySide6 only, a QMainWindow shown and painted); on both sides 'ready' once the event loop has run "
            f"what was pending. App {value:.0f} ms, bare {floor:.0f} ms: +{value - floor:.0f} ms.")
    return Measurement(value, floor, note)


@register(LESSON_OPEN, unit="ms", goal="<= 3.0")
def lesson_open(ctx: BenchContext) -> Measurement:
    """ReaderView.show_lesson vs QTextBrowser.setHtml of the same page, each until painted (p95)."""
    home = ctx.shared("pack-home", prepare_pack_home)
    size = sizes(ctx)
    pack = home.pack
    data = run_probe(ctx, "lesson", "--home", home.root, "--learner", str(home.learner_id), "--pack", pack.pack_id,
                     "--lesson", pack.big_lesson, "--runs", str(size.opens), "--warmup", str(size.warmups))
    images = len(pack.images)
    if data["images"] != images or data["images_bare"] != images or data["images_reader"] != images:
        raise McdeskError(f"The lesson should show {images} images; the page has {data['images']}, the reader "
                          f"drew {data['images_reader']} and the bare browser loaded {data['images_bare']}.",
                          "The benchmark lesson or its floor is broken; nothing would be compared fairly.")
    value, floor = p95(data["open_ms"]), p95(data["bare_ms"])
    signal, set_html = p95(data["shown_signal_ms"]), p95(data["sethtml_ms"])
    median = statistics.median(data["open_ms"])
    lesson = (f"A {pack.big_lesson_bytes / 1000:.1f} KB Markdown lesson with {images} images (3 SVG, 2 PNG) and "
              f"{pack.tables} tables")
    note = (f"absolute p95 {value:.1f} ms against the budget of {LESSON_BUDGET_MS:.0f} ms at p95: "
            f"{_against(value, LESSON_BUDGET_MS)} (median {median:.1f} ms). {lesson}, {size.opens} "
            f"opens after {size.warmups} warm-up, a learner signed in: ReaderView.show_lesson (worker: read, "
            "Markdown, nh3, record the visit; GUI: setHtml, images fitted) until the page is painted, vs "
            f"QTextBrowser.setHtml of the same {data['html_bytes'] / 1000:.0f} KB HTML (images from searchPaths) "
            "until painted; alternating in one process; QT_QPA_PLATFORM=offscreen. Without the paint: p95 "
            f"{signal:.1f} ms to lesson_shown vs {set_html:.1f} ms for setHtml alone.")
    return Measurement(value, floor, note, Budget(f"p95 under {LESSON_BUDGET_MS:g} ms", value < LESSON_BUDGET_MS))


@register(ANSWER_FEEDBACK, unit="ms", goal="<= 2.0")
def answer_feedback(ctx: BenchContext) -> Measurement:
    """QuizRunner submit until the feedback is painted vs a bare worker INSERT+COMMIT and QLabel (p95)."""
    home = ctx.shared("pack-home", prepare_pack_home)
    size = sizes(ctx)
    pack = home.pack
    scratch = ctx.scratch("answer-floor")
    scratch.mkdir()
    try:
        data = run_probe(ctx, "answer", "--home", home.root, "--learner", str(home.learner_id),
                         "--pack", pack.pack_id, "--quiz", pack.quiz, "--runs", str(size.answers),
                         "--warmup", str(size.warmups), "--scratch", scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    value, floor = p95(data["feedback_ms"]), p95(data["bare_ms"])
    median = statistics.median(data["feedback_ms"])
    note = (f"absolute p95 {value:.1f} ms against the {FEEDBACK_BUDGET_MS:.0f} ms budget of DESIGN.md: "
            f"{_against(value, FEEDBACK_BUDGET_MS)} (median {median:.1f} ms). {size.answers} single-choice "
            f"answers after {size.warmups} warm-up, feedback after each: from QuizRunner's submit (worker: grade, "
            "INSERT, COMMIT) until the feedback is painted, vs a one-thread QThreadPool job doing one INSERT + "
            "COMMIT (WAL, synchronous=FULL, as mcdesk) that signals the GUI thread to set a QLabel, until it is "
            "painted; alternating in one process; QT_QPA_PLATFORM=offscreen.")
    return Measurement(value, floor, note, Budget(f"p95 under {FEEDBACK_BUDGET_MS:g} ms", value < FEEDBACK_BUDGET_MS))


@register(PEAK_MEMORY, unit="MB", goal=f"<= +{MEMORY_BUDGET_MB:g}")  # DESIGN: under bare window + 30 MB
def peak_memory(ctx: BenchContext) -> Measurement:
    """Peak RSS of the app with a learner, the library and a lesson open vs a bare QMainWindow."""
    home = ctx.shared("pack-home", prepare_pack_home)
    size = sizes(ctx)
    pack = home.pack
    app_kb: list[int] = []
    bare_kb: list[int] = []
    app_args = ("--home", home.root, "--learner", str(home.learner_id), "--pack", pack.pack_id,
                "--lesson", pack.big_lesson)
    for n in range(1 + size.memory_runs):  # the first of each only fills the byte-code cache
        order = ("bare", "app") if n % 2 == 0 else ("app", "bare")
        for which in order:
            if which == "bare":
                peak = int(run_probe(ctx, "start-bare", "--settle-ms", str(SETTLE_MS))["maxrss_kb"])
            else:
                peak = int(run_probe(ctx, "memory-app", *app_args)["maxrss_kb"])
            if n > 0:
                (app_kb if which == "app" else bare_kb).append(peak)
            ctx.log(f"  peak memory {which}{' (warm-up)' if n == 0 else ''}: {peak * KB / MB:.1f} MB")
    value = statistics.median(app_kb) * KB / MB
    floor = statistics.median(bare_kb) * KB / MB
    extra = value - floor
    verdict = "within it" if extra <= MEMORY_BUDGET_MB else "OVER it"
    note = (f"+{extra:.1f} MB over the bare window (budget +{MEMORY_BUDGET_MB:.0f} MB: {verdict}; app "
            f"{value:.1f} MB, bare {floor:.1f} MB). Peak RSS (each probe's own VmHWM) of the app started "
            f"through mcdesk.cli and run_app, a learner signed in, the library listing a generated "
            f"{pack.lessons}-lesson pack beside the samples, its 50 KB lesson with images open, vs a bare "
            f"QMainWindow of the same size, each read "
            f"{SETTLE_MS} ms after its last step; median of {size.memory_runs} processes of each after one "
            "warm-up; QT_QPA_PLATFORM=offscreen.")
    return Measurement(value, floor, note)  # the goal is DESIGN's budget itself: value - floor <= +30 MB
