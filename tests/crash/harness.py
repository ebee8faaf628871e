"""The crash harness's parent side: the laptop under test, the plan of kills, the rounds (start a child,
kill it at the planned moment, read what it said), the checks after each, and the tally.

See tests/crash/test_crash_harness.py for the test and docs/crash-harness.md for the whole picture.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from mcdesk.home import Home
from mcdesk.learning.progress import add_learner
from mcdesk.packs.build import build_pack
from mcdesk.packs.install import PackManager
from mcdesk.store.db import open_store
from mcdesk.sync.client import enrol
from tests.crash.invariants import DeviceRecord, Ledger, PackVersion, check_hub, check_laptop
from tests.crash.material import PHASES, VERSIONS, write_source
from tests.hubproc import Hub

REPO = Path(__file__).resolve().parents[2]
KILLS = int(os.environ.get("MCDESK_CRASH_KILLS", "200"))
CHILD_SECONDS = 120.0  # a child still running after this long is killed and the test fails (never reached)
FIRST_GUESS = {"install": 0.15, "quiz": 0.08, "evidence": 0.03, "sync": 0.08}  # seconds, until measured
RECENT = 25  # the delay is drawn within the median duration of this many most recent runs of the flow
MIN_WINDOW = 0.002  # seconds: steps shorter than this (or read in one gulp) still get a window this long


@dataclass
class Laptop:
    """The laptop under test: its data folder, enrolled device id, the pack versions it installs."""

    root: Path
    device_id: str
    packs: dict[int, Path]
    versions: dict[int, PackVersion]
    installed: int  # the version installed before the first child

    def child(self, *args: str) -> tuple[subprocess.Popen[str], Path]:
        fd, name = tempfile.mkstemp(prefix="crash-child-", suffix=".stderr")
        env = {**os.environ, "MCDESK_HOME": str(self.root), "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1"}
        with os.fdopen(fd, "w") as stderr:
            proc = subprocess.Popen(
                [sys.executable, "-m", "tests.crash.driver",
                 *(f"--pack={v}={p}" for v, p in self.packs.items()), *args],
                stdout=subprocess.PIPE, stderr=stderr, text=True, env=env, cwd=REPO)
        return proc, Path(name)


# The steps a kill may aim at inside each flow (the child announces them as STEP lines); a kill aimed
# at the flow as a whole falls anywhere from its BEGIN.
STEPS = {
    "install": ("checking", "installing", "saving"),
    "quiz": ("start", "answer", "finish"),
    "evidence": ("complete-lesson",),
    "sync": ("sending", "batch-sent", "reading", "checking"),
}
REPEATED = {"answer", "complete-lesson", "batch-sent"}  # steps seen several times a flow: aim at the 1st to 3rd
STEP_SLACK = 1.25  # a kill aimed at a step falls within this many times its usual duration after it begins


@dataclass(frozen=True)
class Target:
    phase: str
    step: str | None = None  # None: anywhere in the flow

    @property
    def marker(self) -> str:
        return f"BEGIN {self.phase}" if self.step is None else f"STEP {self.phase} {self.step}"

    def __str__(self) -> str:
        return self.phase if self.step is None else f"{self.phase}/{self.step}"


def plan(rng: random.Random, kills: int) -> list[Target]:
    """``kills`` targets, as many in each flow; in each, half anywhere in the flow, half at its steps in turn."""
    targets = []
    for n in range(kills):
        phase, turn = PHASES[n % len(PHASES)], n // len(PHASES)
        steps = STEPS[phase]
        targets.append(Target(phase) if turn % 2 == 0 else Target(phase, steps[(turn // 2) % len(steps)]))
    rng.shuffle(targets)
    return targets


@dataclass
class Kill:
    target: Target
    delay: float
    landed: str  # the flow the child was in when it died ("between" when it had just ended one)
    step: str  # its last announced step in that flow


@dataclass
class Run:
    """The state of the whole run: what the children said, how long flows take, where kills landed."""

    laptop: Laptop
    hub: Hub
    rng: random.Random
    ledger: Ledger = field(default_factory=Ledger)
    durations: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    kills: list[Kill] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # the current child's output, for the failure message
    records: list[DeviceRecord] = field(default_factory=list)  # the outbox as last checked
    _step: tuple[str, float] | None = None  # the last STEP line read as it came, and when
    check_seconds: float = 0.0  # time spent checking (for the tally: the rest is the children's)

    def __post_init__(self) -> None:
        self.ledger.settled(self.laptop.installed)

    def take(self, line: str, live: bool = True) -> None:
        """One line of the child's; ``live`` when read as it came (so the time between lines is a step's)."""
        now = time.perf_counter()
        self.lines.append(line)
        self.ledger.read(line)
        word, _, rest = line.partition(" ")
        if word == "END":
            phase, seconds = rest.split()
            self.durations[phase].append(float(seconds))
        if live and self._step is not None:
            self.durations[self._step[0]].append(now - self._step[1])
        self._step = (line, now) if live and word == "STEP" else None

    def typical(self, what: str) -> float:
        """The median duration of a flow ("quiz") or a step ("STEP quiz answer") over its recent runs."""
        recent = self.durations[what][-RECENT:]
        if recent:
            return max(MIN_WINDOW, statistics.median(recent))
        return FIRST_GUESS.get(what, MIN_WINDOW)

    def run_child(self, *args: str, until: str | None = None, times: int = 1) -> tuple[subprocess.Popen[str], Path]:
        """Start a child and read its lines until the ``times``-th line ``until``, and return it running;
        without ``until``, until it exits (it must succeed). A child that takes longer than CHILD_SECONDS
        is killed, and so is one left behind by a failure here."""
        self.lines, self._step = [], None
        proc, stderr = self.laptop.child(f"--seed={self.rng.randrange(2**32)}", *args)
        watchdog = threading.Timer(CHILD_SECONDS, proc.kill)
        watchdog.start()
        try:
            assert proc.stdout is not None
            for raw in proc.stdout:
                line = raw.rstrip("\n")
                self.take(line)
                if line == until:
                    times -= 1
                    if times == 0:
                        return proc, stderr
            code = proc.wait(timeout=CHILD_SECONDS)
            assert until is None and code == 0, f"the child exited ({code}) before {until!r}:\n{stderr.read_text()}"
        except BaseException:
            end(proc, stderr)
            raise
        finally:
            watchdog.cancel()
        end(proc, stderr)
        return proc, stderr

    def kill_round(self, target: Target) -> Kill:
        """One round: a child runs until ``target`` begins, and is killed a random moment later."""
        if target.step is None:
            delay, times = self.rng.uniform(0, self.typical(target.phase)), 1
        else:
            delay = self.rng.uniform(0, STEP_SLACK * self.typical(target.marker))
            times = self.rng.randint(1, 3) if target.step in REPEATED else 1
        proc, stderr = self.run_child(f"--lead={target.phase}", until=target.marker, times=times)
        try:
            time.sleep(delay)
            alive = proc.poll() is None
            proc.kill()  # SIGKILL: no clean-up of any kind runs in the child
            code = proc.wait(timeout=CHILD_SECONDS)
            assert proc.stdout is not None
            for raw in proc.stdout:  # what it wrote before it died
                self.take(raw.rstrip("\n"), live=False)
            killed = code == -signal.SIGKILL if hasattr(signal, "SIGKILL") else code != 0
            assert alive and killed, f"the child died by itself ({code}):\n{stderr.read_text()}"
        finally:
            end(proc, stderr)
        kill = Kill(target, delay, *landing(self.lines))
        self.kills.append(kill)
        return kill

    def check(self) -> int:
        """Every invariant, after a kill or a clean exit; returns how many records the hub holds."""
        started = time.perf_counter()
        state = check_laptop(self.laptop.root, self.ledger, self.laptop.versions, self.ledger.possible_versions())
        self.ledger.settled(state.pack_version)
        self.records = state.records
        held = check_hub(self.hub.data / "hub.db", self.laptop.device_id, state.records, self.ledger)
        self.check_seconds += time.perf_counter() - started
        return held


def end(proc: subprocess.Popen[str], stderr: Path) -> None:
    """Make sure a child is gone, and drop its pipe and its stderr file."""
    if proc.poll() is None:
        proc.kill()
    proc.wait(timeout=CHILD_SECONDS)
    if proc.stdout is not None:
        proc.stdout.close()
    stderr.unlink(missing_ok=True)


def landing(lines: list[str]) -> tuple[str, str]:
    """Where the child was when it died: the flow of its last BEGIN and its last step in it."""
    for line in reversed(lines):
        word, _, rest = line.partition(" ")
        if word == "END":
            return "between", f"after {rest.split()[0]}"
        if word == "BEGIN":
            return rest, "begin"
        if word == "STEP":
            phase, step = rest.split()
            return phase, step
        if word in ("SAVED", "FINISHED", "COMPLETED", "INSTALLED", "SYNCED", "LEARNER", "ATTEMPT"):
            return _PHASE_OF[word], f"after {word}"
    return "startup", "startup"


_PHASE_OF = {"SAVED": "quiz", "FINISHED": "quiz", "ATTEMPT": "quiz", "COMPLETED": "evidence",
             "LEARNER": "evidence", "INSTALLED": "install", "SYNCED": "sync"}


def make_laptop(tmp_path: Path, hub: Hub) -> Laptop:
    """A data folder with version 1 installed, a learner, and the device enrolled with ``hub``."""
    key = Ed25519PrivateKey.generate()
    home = Home.open(tmp_path / "laptop")
    store = open_store(home)
    try:
        manager = PackManager(home, store)
        manager.trust.add(key.public_key(), "Crash-test publisher")
        packs, versions = {}, {}
        for version in VERSIONS:
            built = build_pack(write_source(tmp_path / f"src-{version}", version), key,
                               tmp_path / f"crash-v{version}.mcpack")
            packs[version] = built.path
            with zipfile.ZipFile(built.path) as archive:
                manifest_sha256 = hashlib.sha256(archive.read("manifest.json")).hexdigest()
            versions[version] = PackVersion(manifest_sha256,
                                            {p: e.sha256 for p, e in built.manifest.files.items()})
        for version in VERSIONS:  # the hub knows the pack's credential, so it issues it and sync brings it back
            hub.cli("publish", str(packs[version]))
        manager.install(packs[VERSIONS[0]])
        add_learner(store, "First learner")
        device_id = enrol(home, store, hub.url, hub.enrol_codes(1)[0], "Crash laptop").device_id
    finally:
        store.close()
    return Laptop(home.root, device_id, packs, versions, VERSIONS[0])


def tally(run: Run) -> dict[str, Any]:
    """Where the kills were aimed and where they landed (flow, last step announced), and what got done."""
    landed: dict[str, Counter[str]] = defaultdict(Counter)
    for kill in run.kills:
        landed[kill.landed][kill.step] += 1
    return {
        "kills": len(run.kills),
        "targeted": dict(sorted(Counter(str(k.target) for k in run.kills).items())),
        "landed": {phase: dict(steps.most_common()) for phase, steps in sorted(landed.items())},
        "landed_in_target_flow": sum(k.landed == k.target.phase for k in run.kills),
        "typical_seconds": {str(t): round(run.typical(t.marker if t.step else t.phase), 4)
                            for t in sorted(set(k.target for k in run.kills), key=str)},
        "done": {"answers_saved": len(run.ledger.saved), "attempts_finished": len(run.ledger.finished),
                 "lessons_completed": len(run.ledger.completed), "learners_added": len(run.ledger.learners),
                 "credentials_received": run.ledger.credentials,
                 "records": len(run.records)},
    }
