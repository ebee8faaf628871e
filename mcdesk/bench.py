"""`mcdesk bench`: speed on this machine, as ratios to plain tools measured in the same run.

Each row times one mcdesk operation and the same work done by a plain tool (the *floor*) on the
same input, in the same run, and reports ``ratio = value / floor`` against a goal such as
``">= 1.0"``. Only the ratio is judged, so a slow machine is not a failure by itself, and tests
never assert on wall-clock time.

Adding a row: write a function taking a :class:`BenchContext` and returning a
:class:`Measurement`, and decorate it with ``@register(name, unit=..., goal=...)``. Expensive
inputs (such as the generated pack) are built once per run through :meth:`BenchContext.shared`;
everything a row writes goes under :attr:`BenchContext.root`, which ``run_bench`` deletes at the
end. ``--only NAME`` keeps the rows whose name contains NAME.

This module is core code: it never imports Qt.
"""

from __future__ import annotations

import contextlib
import functools
import json
import math
import operator
import os
import random
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from mcdesk.errors import McdeskError
from mcdesk.home import Home
from mcdesk.packs.build import build_pack
from mcdesk.packs.install import PackManager
from mcdesk.store.db import open_store

MB = 1_000_000  # throughput is reported in decimal megabytes per second
TRIALS = 3  # every timing is the best of this many runs
READ_CHUNK = 1024 * 1024

Log = Callable[[str], None]
_T = TypeVar("_T")

# --- rows and goals --------------------------------------------------------------------------

_GOAL_OPS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt,
}


def parse_goal(goal: str) -> tuple[str, float]:
    """Split a goal such as ``">= 0.5"`` into its operator and bound; ValueError if malformed."""
    parts = goal.split()
    if len(parts) != 2 or parts[0] not in _GOAL_OPS:
        raise ValueError(f"A goal is an operator ({', '.join(_GOAL_OPS)}) and a number, "
                         f"e.g. '>= 1.0'; got {goal!r}.")
    bound = float(parts[1])
    if not math.isfinite(bound):
        raise ValueError(f"A goal's bound must be a finite number; got {goal!r}.")
    return parts[0], bound


def goal_holds(ratio: float, goal: str) -> bool:
    """Whether ``ratio`` meets ``goal`` (e.g. ``goal_holds(1.2, ">= 1.0")`` is True)."""
    op, bound = parse_goal(goal)
    return _GOAL_OPS[op](ratio, bound)


def is_difference_goal(goal: str) -> bool:
    """A bound written with a plus sign (``"<= +30"``) holds the difference value - floor, in the row's unit
    (DESIGN's "bare window + 30 MB"), not the ratio."""
    parse_goal(goal)
    return goal.split()[1].startswith("+")


@dataclass(frozen=True)
class Budget:
    """An absolute budget a row's value is also held to (DESIGN.md's, e.g. "p95 under 50 ms"): what a
    learner feels on this laptop, whatever the floor. ``text`` says it in words, ``held`` whether it held."""

    text: str
    held: bool


@dataclass(frozen=True)
class Row:
    """One line of the benchmark table; ``as_json`` is what ``mcdesk bench --json`` prints for it."""

    name: str
    value: float
    unit: str
    floor: float
    ratio: float
    goal: str
    ok: bool
    note: str | None = None
    budget: Budget | None = None

    @classmethod
    def make(cls, name: str, unit: str, goal: str, value: float, floor: float,
             note: str | None = None, budget: Budget | None = None) -> Row:
        """Derive ratio and ok (from the ratio, or from value - floor for a difference goal such as
        ``"<= +30"``). A floor of 0 (not measured) gives ratio 0 and ok False.

        value and floor are rounded to 3 decimals first, so ``ratio == value / floor`` holds for
        the numbers printed.
        """
        value, floor = round(value, 3), round(floor, 3)
        ratio = value / floor if floor > 0 else 0.0
        ok = floor > 0 and goal_holds(value - floor if is_difference_goal(goal) else ratio, goal)
        return cls(name, value, unit, floor, ratio, goal, ok, note, budget if floor > 0 else None)

    @property
    def measured(self) -> bool:
        """False when the row could not be measured here (its note says why)."""
        return self.floor > 0

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name, "value": self.value, "unit": self.unit, "floor": self.floor,
            "ratio": self.ratio, "goal": self.goal, "ok": self.ok,
        }
        if self.note:
            data["note"] = self.note
        if self.budget:
            data["budget"] = self.budget.text
            data["budget_held"] = self.budget.held
        return data


@dataclass(frozen=True)
class Measurement:
    """What a row function returns; floor 0 means the floor could not be measured (say why in the
    note). ``budget`` is the absolute budget the value is held to, when DESIGN.md gives one."""

    value: float
    floor: float
    note: str | None = None
    budget: Budget | None = None


# --- the registry ----------------------------------------------------------------------------

MeasureFn = Callable[["BenchContext"], Measurement]


@dataclass(frozen=True)
class Bench:
    name: str
    unit: str
    goal: str
    measure: MeasureFn


REGISTRY: list[Bench] = []


def register(name: str, *, unit: str, goal: str) -> Callable[[MeasureFn], MeasureFn]:
    """Add a row to ``mcdesk bench``; rows run in the order they are registered."""
    parse_goal(goal)  # a malformed goal fails at import, not after a long run

    def add(fn: MeasureFn) -> MeasureFn:
        if any(bench.name == name for bench in REGISTRY):
            raise ValueError(f"A benchmark row named {name!r} is already registered.")
        REGISTRY.append(Bench(name, unit, goal, fn))
        return fn

    return add


def select(only: Sequence[str] | str | None) -> list[Bench]:
    """The registered rows whose name contains any of ``only`` (case-insensitive); all if None."""
    if only is None:
        return list(REGISTRY)
    wanted = [only] if isinstance(only, str) else list(only)
    needles = [w.casefold() for w in wanted]
    return [b for b in REGISTRY if any(n in b.name.casefold() for n in needles)]


class BenchContext:
    """What a row function gets: sizes (quick or full), a log, a temp folder and shared inputs."""

    def __init__(self, root: Path, quick: bool, log: Log) -> None:
        self.root = root
        self.quick = quick
        self.log = log
        self._shared: dict[str, Any] = {}
        self._made = 0

    def scratch(self, stem: str) -> Path:
        """A fresh path (not created) under the run's temp folder."""
        self._made += 1
        return self.root / f"{stem}-{self._made}"

    def shared(self, key: str, factory: Callable[[BenchContext], _T]) -> _T:
        """``factory(self)``, computed once per run and reused by every row asking for ``key``."""
        if key not in self._shared:
            self._shared[key] = factory(self)
        return self._shared[key]


def run_bench(quick: bool = False, only: Sequence[str] | str | None = None,
              log: Log | None = None, *, workdir: Path | None = None) -> list[Row]:
    """Run the selected rows and return them; temp files go under ``workdir`` and are removed."""
    say: Log = log or (lambda _text: None)
    benches = select(only)
    if not benches:
        wanted = [only] if isinstance(only, str) else list(only or [])
        raise McdeskError(f"No benchmark row matches {' or '.join(map(repr, wanted))}.",
                          "Rows: " + "; ".join(b.name for b in REGISTRY) + ".")
    root = Path(tempfile.mkdtemp(prefix="mcdesk-bench-", dir=workdir))
    rows: list[Row] = []
    try:
        ctx = BenchContext(root, quick, say)
        if quick:
            say("Quick run: small sizes, for a smoke test; do not judge speed by it.")
        for bench in benches:
            say(f"{bench.name}:")
            measured = bench.measure(ctx)
            row = Row.make(bench.name, bench.unit, bench.goal, measured.value, measured.floor,
                           measured.note, measured.budget)
            say(f"  = {row.value:.1f} {row.unit} vs floor {row.floor:.1f} {row.unit}: "
                f"ratio {row.ratio:.2f} (goal {row.goal}) {'ok' if row.ok else 'NOT MET'}")
            if row.budget:
                say(f"  budget: {row.budget.text}: {'held' if row.budget.held else 'NOT HELD'}")
            if row.note:
                say(f"  note: {row.note}")
            rows.append(row)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return rows


# --- timing helpers --------------------------------------------------------------------------


def timed(fn: Callable[[], object]) -> float:
    """Seconds ``fn()`` took (monotonic, high resolution)."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def settle(path: Path) -> None:
    """Same starting state for every timed run: no pending writes, ``path`` in the page cache."""
    if hasattr(os, "sync"):
        os.sync()
    with open(path, "rb") as fh:
        while fh.read(READ_CHUNK):
            pass


def missing_tools(*names: str) -> list[str]:
    return [name for name in names if shutil.which(name) is None]


def missing_note(missing: list[str]) -> str:
    return (f"{' and '.join(missing)} not found on PATH, so the floor was not measured "
            "(floor 0, ratio 0); install it (e.g. `apt install unzip coreutils`) to get a ratio.")


def run_tool(*cmd: str | Path) -> None:
    """Run a plain tool with its output discarded; McdeskError if it fails."""
    args = [str(part) for part in cmd]
    done = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip()[:300]
        raise McdeskError(f"`{' '.join(args)}` failed with exit status {done.returncode}"
                          + (f": {detail}" if detail else "."),
                          "The benchmark's own pack could not be read by the plain tool.")


def mb_per_s(size: int, seconds: float) -> float:
    return size / MB / seconds if seconds > 0 else 0.0


# --- the generated pack ----------------------------------------------------------------------


@dataclass(frozen=True)
class PackSpec:
    total_bytes: int  # content bytes in the source folder (before compression)
    files: int


FULL_PACK = PackSpec(200 * MB, 2000)
QUICK_PACK = PackSpec(20 * MB, 200)
BENCH_LESSONS = 4
BENCH_SEED = 20240501

_VOCAB = (
    "learner", "device", "laptop", "folder", "network", "offline", "lesson", "credential",
    "teacher", "question", "answer", "keyboard", "screen", "printer", "password", "browser",
    "message", "upload", "download", "backup", "storage", "memory", "battery", "charger",
    "community", "library", "practice", "example", "exercise", "careful", "simple", "useful",
    "together", "because", "before", "after", "always", "never", "often", "every", "which",
    "where", "there", "should", "could", "would", "their", "other", "about", "first", "second",
    "third", "check", "choose", "write", "read", "open", "close", "save", "share", "print",
)


@dataclass(frozen=True)
class BenchPack:
    archive: Path
    size: int  # bytes of the .mcpack file
    files: int
    content_bytes: int
    key: Ed25519PrivateKey


def markdown_text(rng: random.Random, size: int, title: str) -> bytes:
    """Exactly ``size`` bytes of compressible Markdown (headings, sentences, paragraphs)."""
    words = rng.choices(_VOCAB, k=size // 4 + 16)
    sentences = [" ".join(words[i:i + 12]).capitalize() + "." for i in range(0, len(words), 12)]
    paragraphs = []
    for i in range(0, len(sentences), 6):
        if i % 60 == 0:
            paragraphs.append(f"## Part {i // 60 + 1}")
        paragraphs.append(" ".join(sentences[i:i + 6]))
    data = (f"# {title}\n\n" + "\n\n".join(paragraphs)).encode("ascii")
    return data[:size - 1] + b"\n" if size > 0 else b""


def write_source(folder: Path, spec: PackSpec, seed: int = BENCH_SEED) -> int:
    """A valid pack source folder of ``spec.files`` files, ``spec.total_bytes`` bytes in all.

    One module of a few lessons; the rest are listed-only files: about a tenth compressible
    Markdown notes, the others pseudo-random media bytes that do not compress. Deterministic.
    Returns the content bytes written.
    """
    rng = random.Random(seed)
    notes = max(1, spec.files // 10)
    media = spec.files - BENCH_LESSONS - notes
    if media < 1:
        raise ValueError(f"A bench pack needs more than {BENCH_LESSONS + 1} files.")
    for sub in ("lessons", "notes", "media"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    written = 0
    items = []
    for n in range(1, BENCH_LESSONS + 1):
        body = markdown_text(rng, 4000, f"Lesson {n}").decode("ascii")
        text = (f"{body}\n![A picture](../media/{0:05d}.jpg)\n\n"
                f"See [the notes](../notes/{0:05d}.md).\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
        data = text.encode("ascii")
        (folder / "lessons" / f"{n:02d}.md").write_bytes(data)
        written += len(data)
        items.append({"type": "lesson", "id": f"lesson-{n}", "title": f"Lesson {n}",
                      "path": f"lessons/{n:02d}.md"})
    remaining = spec.total_bytes - written
    weights = [rng.uniform(0.5, 1.5) for _ in range(notes + media)]
    scale = remaining / sum(weights)
    sizes = [int(w * scale) for w in weights]
    sizes[-1] += remaining - sum(sizes)
    for i, size in enumerate(sizes[:notes]):
        data = markdown_text(rng, size, f"Notes {i}")
        (folder / "notes" / f"{i:05d}.md").write_bytes(data)
        written += len(data)
    for i, size in enumerate(sizes[notes:]):
        (folder / "media" / f"{i:05d}.jpg").write_bytes(rng.randbytes(size))
        written += size
    manifest = {
        "format": 1, "id": "org.mcdesk.bench", "version": 1, "display_version": "1.0.0",
        "title": "Benchmark pack", "language": "en",
        "description": "Generated by mcdesk bench: Markdown lessons and notes, random media.",
        "publisher": {"name": "mcdesk bench"}, "min_app_version": "0.1.0",
        "credentials": [], "modules": [{"id": "main", "title": "Main", "items": items}],
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return written


def make_bench_pack(ctx: BenchContext) -> BenchPack:
    """Generate, build and sign the run's pack with a fresh key (shared by the pack rows)."""
    spec = QUICK_PACK if ctx.quick else FULL_PACK
    src = ctx.scratch("src")
    ctx.log(f"Generating a pack source: {spec.files:,} files, {spec.total_bytes / MB:,.0f} MB…")
    content = write_source(src, spec)
    ctx.log("Building and signing it (mcdesk.packs.build.build_pack)…")
    key = Ed25519PrivateKey.generate()
    built = build_pack(src, key, ctx.root / "bench.mcpack")
    shutil.rmtree(src, ignore_errors=True)
    ctx.log(f"Pack: {built.size_bytes / MB:.1f} MB archive, {len(built.manifest.files):,} files.")
    return BenchPack(built.path, built.size_bytes, len(built.manifest.files), content, key)


@contextlib.contextmanager
def data_folder(ctx: BenchContext, pack: BenchPack) -> Iterator[PackManager]:
    """A throwaway data folder trusting the bench pack's key; removed afterwards."""
    root = ctx.scratch("home")
    home = Home.open(root)
    store = open_store(home)
    try:
        manager = PackManager(home, store)
        manager.trust.add(pack.key.public_key(), "mcdesk bench")
        yield manager
    finally:
        store.close()
        shutil.rmtree(root, ignore_errors=True)


# --- pack rows -------------------------------------------------------------------------------


def _install(manager: PackManager, pack: BenchPack) -> None:
    result = manager.install(pack.archive)
    if result.action != "install" or result.file_count != pack.files:
        raise McdeskError(f"The bench install did {result.action} of {result.file_count} files; "
                          f"expected a fresh install of {pack.files}.")


def _verify(manager: PackManager, pack: BenchPack) -> None:
    report = manager.verify(pack.archive)
    if not report.ok:
        failed = "; ".join(f"{c.name}: {c.detail}" for c in report.checks if not c.ok)
        raise McdeskError(f"The bench pack failed verification: {failed}")


def _unzip_and_hash(unzip: str, sha256sum: str, archive: Path, out: Path) -> None:
    run_tool(unzip, "-q", "-o", archive, "-d", out)
    run_tool(sha256sum, archive)


@register("pack install throughput vs unzip+sha256sum", unit="MB/s", goal=">= 1.0")
def pack_install_throughput(ctx: BenchContext) -> Measurement:
    """PackManager.install vs `unzip -q -o` then `sha256sum`, archive MB per second."""
    pack = ctx.shared("pack", make_bench_pack)
    best = math.inf
    for n in range(1, TRIALS + 1):
        with data_folder(ctx, pack) as manager:
            settle(pack.archive)
            seconds = timed(functools.partial(_install, manager, pack))
        best = min(best, seconds)
        ctx.log(f"  mcdesk install, run {n}/{TRIALS}: {seconds:.2f} s "
                f"({mb_per_s(pack.size, seconds):.1f} MB/s)")
    value = mb_per_s(pack.size, best)
    missing = missing_tools("unzip", "sha256sum")
    if missing:
        return Measurement(value, 0.0, missing_note(missing))
    unzip, sha256sum = str(shutil.which("unzip")), str(shutil.which("sha256sum"))
    best_floor = best_synced = math.inf
    for n in range(1, TRIALS + 1):
        out = ctx.scratch("unzip")
        settle(pack.archive)
        seconds = timed(functools.partial(_unzip_and_hash, unzip, sha256sum, pack.archive, out))
        sync_seconds = timed(os.sync) if hasattr(os, "sync") else 0.0
        shutil.rmtree(out, ignore_errors=True)
        best_floor = min(best_floor, seconds)
        best_synced = min(best_synced, seconds + sync_seconds)
        ctx.log(f"  unzip + sha256sum, run {n}/{TRIALS}: {seconds:.2f} s "
                f"({mb_per_s(pack.size, seconds):.1f} MB/s); os.sync() after it: "
                f"{sync_seconds:.2f} s")
    floor = mb_per_s(pack.size, best_floor)
    synced = mb_per_s(pack.size, best_synced)
    note = ("mcdesk install also checks the signature, every file's SHA-256 and the lessons, "
            "and calls os.sync() before committing (durability); unzip does not sync. With an "
            f"os.sync() after unzip + sha256sum the floor is {synced:.1f} MB/s "
            f"(ratio {value / synced if synced else 0.0:.2f}).")
    return Measurement(value, floor, note)


@register("pack verify throughput vs unzip -t", unit="MB/s", goal=">= 1.0")
def pack_verify_throughput(ctx: BenchContext) -> Measurement:
    """PackManager.verify (hashes every file, writes nothing) vs `unzip -tq` (inflate + CRC)."""
    pack = ctx.shared("pack", make_bench_pack)
    best = math.inf
    with data_folder(ctx, pack) as manager:
        for n in range(1, TRIALS + 1):
            settle(pack.archive)
            seconds = timed(functools.partial(_verify, manager, pack))
            best = min(best, seconds)
            ctx.log(f"  mcdesk verify, run {n}/{TRIALS}: {seconds:.2f} s "
                    f"({mb_per_s(pack.size, seconds):.1f} MB/s)")
    value = mb_per_s(pack.size, best)
    missing = missing_tools("unzip")
    if missing:
        return Measurement(value, 0.0, missing_note(missing))
    unzip = str(shutil.which("unzip"))
    best_floor = math.inf
    for n in range(1, TRIALS + 1):
        settle(pack.archive)
        seconds = timed(functools.partial(run_tool, unzip, "-tq", pack.archive))
        best_floor = min(best_floor, seconds)
        ctx.log(f"  unzip -tq, run {n}/{TRIALS}: {seconds:.2f} s "
                f"({mb_per_s(pack.size, seconds):.1f} MB/s)")
    note = ("mcdesk verify computes SHA-256 (and zipfile's CRC-32) of every file and checks the "
            "lessons; unzip -t only inflates and checks CRC-32.")
    return Measurement(value, mb_per_s(pack.size, best_floor), note)


# --- evidence row ----------------------------------------------------------------------------

EVIDENCE_RECORD = "record one evidence record (sign + durable insert)"
EVIDENCE_BUDGET_MS = 1.0  # DESIGN.md performance budget, absolute


def _evidence_home(ctx: BenchContext) -> tuple[Home, Any, int]:
    """A data folder with a one-lesson pack installed and one learner; returns (home, store, learner)."""
    from mcdesk.learning.progress import add_learner

    src = ctx.scratch("evidence-src")
    (src / "lessons").mkdir(parents=True)
    (src / "lessons" / "one.md").write_text("# One\n\nA lesson.\n", encoding="utf-8")
    manifest = {
        "format": 1, "id": "org.mcdesk.bench.evidence", "version": 1, "display_version": "1.0.0",
        "title": "Evidence bench", "language": "en", "description": "One lesson.",
        "publisher": {"name": "mcdesk bench"}, "min_app_version": "0.1.0", "credentials": [],
        "modules": [{"id": "main", "title": "Main", "items": [
            {"type": "lesson", "id": "one", "title": "One", "path": "lessons/one.md"}]}],
    }
    (src / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    key = Ed25519PrivateKey.generate()
    built = build_pack(src, key, ctx.scratch("evidence").with_suffix(".mcpack"))
    home = Home.open(ctx.scratch("evidence-home"))
    store = open_store(home)
    manager = PackManager(home, store)
    manager.trust.add(key.public_key(), "mcdesk bench")
    manager.install(built.path)
    return home, store, add_learner(store, "Bench learner")


@register(EVIDENCE_RECORD, unit="ms", goal="<= 2.0")
def evidence_record(ctx: BenchContext) -> Measurement:
    """The real recorder (outbox.record_event: device key from the cache, previous hash from the last
    row, build, validate, canonicalise, sign, insert) in its own committed transaction per record, vs
    a bare Ed25519 sign of the same bytes plus a bare INSERT of the same JWS in its own transaction on
    a connection with the same settings (WAL, synchronous=FULL), in ms per record. The two alternate,
    run by run, so both see the same disk."""
    from mcdesk.evidence.device import ensure_device
    from mcdesk.evidence.outbox import record_event, records
    from mcdesk.learning.credentials import LessonCompleted
    from mcdesk.store.db import connect, utcnow

    count = 200 if ctx.quick else 2000
    home, store, learner = _evidence_home(ctx)
    conn = connect(ctx.scratch("floor").with_suffix(".db"))
    try:
        ensure_device(home, store)  # made once per installation; not part of recording a record
        event = LessonCompleted(learner, "org.mcdesk.bench.evidence", "one", utcnow())
        with store.transaction() as tx:
            record_event(tx, event)
        sample = records(store, limit=1)[0].jws
        signer = Ed25519PrivateKey.generate()
        signing_input = sample.rsplit(".", 1)[0].encode("ascii")
        conn.execute("CREATE TABLE floor (seq INTEGER PRIMARY KEY, jws TEXT NOT NULL)")

        def record_many() -> None:
            for _ in range(count):
                with store.transaction() as tx:
                    record_event(tx, event)

        def floor_many() -> None:
            for _ in range(count):
                signer.sign(signing_input)
                conn.execute("BEGIN IMMEDIATE")
                conn.execute("INSERT INTO floor (jws) VALUES (?)", (sample,))
                conn.execute("COMMIT")

        best = best_floor = math.inf
        for n in range(1, TRIALS + 1):
            seconds, floor_seconds = timed(record_many), timed(floor_many)
            best, best_floor = min(best, seconds), min(best_floor, floor_seconds)
            ctx.log(f"  run {n}/{TRIALS}: mcdesk recorder {seconds / count * 1000:.3f} ms per record, "
                    f"bare sign + INSERT {floor_seconds / count * 1000:.3f} ms")
        sign_only = min(timed(lambda: [signer.sign(signing_input) for _ in range(count)]) for _ in range(TRIALS))
    finally:
        conn.close()
        store.close()
    value, floor = best / count * 1000, best_floor / count * 1000
    note = (f"The floor is {sign_only / count * 1000:.3f} ms of Ed25519 signing plus a committed INSERT "
            "(WAL, synchronous=FULL: one fsync per record, which dominates on a real disk); the recorder adds "
            "building, validating and canonicalising the record, reading the previous hash and the append-only "
            "checks.")
    budget = Budget(f"under {EVIDENCE_BUDGET_MS:g} ms per record", value < EVIDENCE_BUDGET_MS)
    return Measurement(value, floor, note, budget)


import mcdesk.bench_credentials  # noqa: E402,F401 - registers the credential rows
import mcdesk.bench_desktop  # noqa: E402,F401 - registers the desktop rows (after the pack rows)
import mcdesk.bench_sync  # noqa: E402,F401 - registers the sync rows
