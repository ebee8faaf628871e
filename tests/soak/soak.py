"""The fault soak's machinery: device processes syncing at once through the fault proxy to a real hub
that is stopped and started again on the same port and data folder mid-run, with memory sampled.

``run_soak`` does the run and returns what happened; tests/soak/test_fault_soak.py checks it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from mcdesk.home import Home
from mcdesk.hub.process import PACKAGE_ROOT, Hub, HubFailed, hub_env, running_hub
from mcdesk.learning.progress import add_learner
from mcdesk.packs.install import PackManager
from mcdesk.store.db import open_store
from tests.soak.device import read_memory
from tests.sync.faultproxy import FaultPlan, FaultProxy

HUB_SAMPLE_SECONDS = 0.25
HUB_DOWN_SECONDS = 1.0  # how long the hub stays down at a restart (plus its start-up time)
DRAIN_SECONDS = 120.0  # after the writing window, how long the devices may take to send the rest
# The share of the memory samples that is warm-up: a hub is warm after its first requests; a device's
# SQLite page cache (2 MB) keeps filling until its outbox outgrows it, about 1,000 records in.
HUB_WARMUP, DEVICE_WARMUP = 0.25, 0.5


@dataclass(frozen=True)
class SoakConfig:
    """The bounds of a run. ``from_env`` reads MCDESK_SOAK_DEVICES / _RECORDS / _SECONDS / _SEED / _RESTARTS."""

    devices: int = 4
    records: int = 1500  # per device
    seconds: float = 75.0  # the writing window; devices stop recording when it ends, then drain
    seed: int = 20261206
    batch: int = 20  # records each device writes per round
    restarts: tuple[str, ...] = ("SIGTERM", "SIGKILL")  # how the hub is stopped at each restart

    @classmethod
    def from_env(cls) -> SoakConfig:
        env = os.environ
        return cls(devices=int(env.get("MCDESK_SOAK_DEVICES", cls.devices)),
                   records=int(env.get("MCDESK_SOAK_RECORDS", cls.records)),
                   seconds=float(env.get("MCDESK_SOAK_SECONDS", cls.seconds)),
                   seed=int(env.get("MCDESK_SOAK_SEED", cls.seed)),
                   restarts=restart_kinds(int(env.get("MCDESK_SOAK_RESTARTS", len(cls.restarts)))))

    def plan(self) -> FaultPlan:
        """Every fault kind, stalls (2.5 s) longer than the devices' 2 s timeout a little more often than
        the default plan so that even a short run sees several."""
        return FaultPlan(seed=self.seed, stall=0.03, stall_seconds=2.5)


def restart_kinds(n: int) -> tuple[str, ...]:
    """``n`` restarts, by SIGTERM and SIGKILL in turn."""
    return tuple(("SIGTERM", "SIGKILL")[k % 2] for k in range(max(1, n)))


@dataclass
class Restart:
    how: str
    at: float  # seconds into the run
    wall: float  # time.time() at the stop signal
    down_for: float  # from the stop signal until the new hub answered /health
    failed_rounds: int = 0  # device rounds that failed from the stop until the next successful round


@dataclass
class DeviceRun:
    index: int
    home: Path
    process: subprocess.Popen[str]
    lines: list[dict[str, Any]] = field(default_factory=list)
    stderr_path: Path | None = None
    reader: threading.Thread | None = None

    @property
    def rounds(self) -> list[dict[str, Any]]:
        return [line for line in self.lines if line.get("event") == "round"]

    @property
    def written(self) -> int:
        rounds = self.rounds
        return int(rounds[-1]["written"]) if rounds else 0

    @property
    def outcome(self) -> str:
        ends = [line["event"] for line in self.lines if line.get("event") in ("done", "gave_up")]
        return ends[-1] if ends else "no end line"

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace")[-3000:] if self.stderr_path else ""


@dataclass
class SoakResult:
    config: SoakConfig
    hub_data: Path
    devices: list[DeviceRun]
    restarts: list[Restart]
    hub_samples: list[tuple[float, int, int]]  # (seconds into the run, life number 0.., VmRSS KiB)
    fates: dict[str, int]
    seconds: float

    def hub_lives(self) -> list[list[int]]:
        """The hub's VmRSS samples (KiB), one list per process life."""
        lives: dict[int, list[int]] = {}
        for _t, life, rss in self.hub_samples:
            lives.setdefault(life, []).append(rss)
        return [lives[k] for k in sorted(lives)]

    def summary(self) -> dict[str, Any]:
        """The run's numbers: bounds, restarts, requests by fate, memory of the hub (per life) and devices."""
        per_minute = 60 / HUB_SAMPLE_SECONDS / 100
        hub = [dict(zip(("baseline", "end", "growth"), memory_growth(life, HUB_WARMUP), strict=True), first=life[0],
                    peak=max(life), samples=len(life),
                    trend_per_minute=round(memory_trend(life, HUB_WARMUP) * per_minute, 1))
               for life in self.hub_lives()]
        devices = []
        for device in self.devices:
            rounds = device.rounds
            rss = [r["vmrss"] for r in rounds]
            baseline, end, growth = memory_growth(rss, DEVICE_WARMUP)
            devices.append({"written": device.written, "rounds": len(rounds), "outcome": device.outcome,
                            "failed_rounds": sum(not r["ok"] for r in rounds),
                            "rss_kib": {"first": rss[0] if rss else 0, "baseline": baseline, "end": end,
                                        "growth": growth, "hwm": rounds[-1]["vmhwm"] if rounds else 0,
                                        "trend_per_100_rounds": memory_trend(rss, DEVICE_WARMUP)}})
        return {"seed": self.config.seed, "seconds": self.seconds, "config": asdict(self.config),
                "restarts": [asdict(r) for r in self.restarts], "requests_by_fate": self.fates,
                "hub_rss_kib": hub, "devices": devices}

    def series(self) -> dict[str, Any]:
        """The memory samples themselves: the hub's (seconds, life, KiB) and each device's (seconds, KiB)."""
        return {"hub": self.hub_samples,
                "devices": [[(r["t"], r["vmrss"]) for r in d.rounds] for d in self.devices]}


class SoakProxy(FaultProxy):
    """The fault proxy, also counting the requests it could not hand on because the hub was down."""

    def handle(self, client: Any, request: bytes) -> bool:
        try:
            return super().handle(client, request)
        except ConnectionRefusedError:
            with self._lock:
                self.plan.counts["hub_down"] += 1
            return False


def prepare_devices(root: Path, n: int, pack: Path, publisher: Ed25519PublicKey) -> list[Path]:
    """``n`` data folders, each with the test pack installed (from a trusted publisher) and one learner."""
    homes = []
    for i in range(n):
        home = Home.open(root / f"device-{i}")
        store = open_store(home)
        try:
            manager = PackManager(home, store)
            manager.trust.add(publisher, "Test publisher")
            manager.install(pack)
            add_learner(store, f"Learner {i}")
        finally:
            store.close()
        homes.append(home.root)
    return homes


def memory_growth(samples: list[int], warmup: float) -> tuple[int, int, int]:
    """(baseline, end, growth) in KiB: the first sample after the warm-up share of ``samples``, the
    last sample, and the difference."""
    if not samples:
        return 0, 0, 0
    baseline = samples[min(len(samples) - 1, int(len(samples) * warmup))]
    return baseline, samples[-1], samples[-1] - baseline


def memory_trend(samples: list[int], warmup: float) -> float:
    """The least-squares slope of the samples after the warm-up, in KiB per 100 samples (reported, not
    judged: a leak shows as a steady slope, noise as steps that do not keep climbing)."""
    tail = samples[int(len(samples) * warmup):]
    if len(tail) < 2:
        return 0.0
    mean_x, mean_y = (len(tail) - 1) / 2, sum(tail) / len(tail)
    num = sum((x - mean_x) * (y - mean_y) for x, y in enumerate(tail))
    den = sum((x - mean_x) ** 2 for x in range(len(tail)))
    return round(100 * num / den, 1)


class _HubSampler(threading.Thread):
    """Reads the hub process's VmRSS every HUB_SAMPLE_SECONDS; ``life`` counts the processes."""

    def __init__(self, start: float) -> None:
        super().__init__(name="hub-sampler", daemon=True)
        self.start_time = start
        self.pid: int | None = None
        self.life = -1
        self.samples: list[tuple[float, int, int]] = []
        self.stop = threading.Event()

    def follow(self, pid: int | None) -> None:
        self.pid = pid
        if pid is not None:
            self.life += 1

    def run(self) -> None:
        while not self.stop.wait(HUB_SAMPLE_SECONDS):
            pid, life = self.pid, self.life
            if pid is None:
                continue
            try:
                rss = read_memory(f"/proc/{pid}/status")["vmrss"]
            except (OSError, KeyError):
                continue  # the process is gone (a restart) or a zombie
            if pid == self.pid:
                self.samples.append((round(time.monotonic() - self.start_time, 3), life, rss))


def _pump(device: DeviceRun, stdout: TextIO, lock: threading.Lock) -> None:
    for line in stdout:
        try:
            doc = json.loads(line)
        except ValueError:
            doc = {"event": "noise", "text": line[:200]}
        with lock:
            device.lines.append(doc)


def _start_device(index: int, home: Path, url: str, code: str, config: SoakConfig, logs: Path,
                  lock: threading.Lock) -> DeviceRun:
    settings = {"url": url, "code": code, "records": config.records, "batch": config.batch,
                "write_for": config.seconds, "stop_after": config.seconds + DRAIN_SECONDS,
                "seed": config.seed + index}
    env = hub_env()
    env["MCDESK_HOME"] = str(home)
    stderr_path = logs / f"device-{index}.stderr"
    with open(stderr_path, "w") as stderr_file:
        process = subprocess.Popen([sys.executable, "-m", "tests.soak.device", json.dumps(settings)],
                                   stdout=subprocess.PIPE, stderr=stderr_file, text=True, env=env, cwd=PACKAGE_ROOT)
    device = DeviceRun(index, home, process, stderr_path=stderr_path)
    assert process.stdout is not None
    device.reader = threading.Thread(target=_pump, args=(device, process.stdout, lock), daemon=True)
    device.reader.start()
    return device


def _stop_hub(stack: ExitStack, hub: Hub, how: str) -> None:
    if how == "SIGKILL":
        hub.process.send_signal(signal.SIGKILL)
        hub.process.wait(timeout=30)
    stack.close()  # SIGTERM (a no-op after SIGKILL) and wait


def _start_hub(stack: ExitStack, data: Path, port: int | None) -> Hub:
    """The hub on ``port`` (a few tries: the port can be briefly taken by a closing connection)."""
    for attempt in range(5):
        try:
            return stack.enter_context(running_hub(data, port=port))
        except HubFailed:
            if port is None or attempt == 4:
                raise
            time.sleep(0.5)
    raise AssertionError("unreachable")  # pragma: no cover


def _restart_hub(stack: ExitStack, hub: Hub, how: str, port: int, sampler: _HubSampler) -> tuple[Hub, Restart]:
    """Stop the hub (SIGTERM or SIGKILL), leave it down a moment, start it on the same port and data."""
    at, wall = time.monotonic(), time.time()
    sampler.follow(None)
    _stop_hub(stack, hub, how)
    time.sleep(HUB_DOWN_SECONDS)
    hub = _start_hub(stack, hub.data, port)
    sampler.follow(hub.process.pid)
    return hub, Restart(how, round(at - sampler.start_time, 2), wall, round(time.monotonic() - at, 2))


def _failed_rounds_since(devices: list[DeviceRun], since: float, lock: threading.Lock) -> int:
    """Failed rounds that ended after the wall-clock time ``since``, up to each device's next success."""
    count = 0
    with lock:
        for device in devices:
            for line in device.rounds:
                if line["wall"] < since:
                    continue
                if line["ok"]:
                    break
                count += 1
    return count


def run_soak(work: Path, config: SoakConfig, pack: Path, publisher: Ed25519PublicKey) -> SoakResult:
    """The whole run; devices are killed at the latest DRAIN_SECONDS + 30 s after the writing window."""
    logs = work / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    homes = prepare_devices(work, config.devices, pack, publisher)
    hub_data = work / "hub"
    plan = config.plan()
    lock = threading.Lock()
    devices: list[DeviceRun] = []
    restarts: list[Restart] = []
    start = time.monotonic()
    sampler = _HubSampler(start)
    stack = ExitStack()
    try:
        hub = _start_hub(stack, hub_data, None)
        port = int(urlsplit(hub.url).port or 0)
        sampler.follow(hub.process.pid)
        sampler.start()
        codes = hub.enrol_codes(config.devices)
        with SoakProxy("127.0.0.1", port, plan) as proxy:
            devices = [_start_device(i, home, proxy.url, codes[i], config, logs, lock)
                       for i, home in enumerate(homes)]
            thresholds = [(k + 1) / (len(config.restarts) + 1) for k in range(len(config.restarts))]
            hard_stop = start + config.seconds + DRAIN_SECONDS + 30
            while any(d.process.poll() is None for d in devices) and time.monotonic() < hard_stop:
                time.sleep(0.1)
                with lock:
                    written = sum(d.written for d in devices)
                progress = max(written / (config.records * config.devices), (time.monotonic() - start) / config.seconds)
                if len(restarts) < len(thresholds) and progress >= thresholds[len(restarts)]:
                    hub, restart = _restart_hub(stack, hub, config.restarts[len(restarts)], port, sampler)
                    restarts.append(restart)
            for device in devices:
                if device.process.poll() is None:
                    device.process.kill()
                device.process.wait(timeout=30)
                if device.reader is not None:
                    device.reader.join(timeout=10)
        for restart in restarts:
            restart.failed_rounds = _failed_rounds_since(devices, restart.wall, lock)
    finally:
        sampler.stop.set()
        for device in devices:
            if device.process.poll() is None:
                device.process.kill()
                device.process.wait(timeout=30)
        stack.close()
    sampler.join(timeout=5)
    return SoakResult(config, hub_data, devices, restarts, sampler.samples, dict(plan.counts),
                      round(time.monotonic() - start, 1))
