"""The real hub as its own server process on 127.0.0.1: ``with running_hub(dir) as hub: ...``.

Used by the tests, by `mcdesk bench` (the sync rows) and by anything else that needs a local hub.

``running_hub`` starts ``python -m mcdesk hub serve --port 0 --data DIR`` (or the port given), reads
the URL it announces, waits (bounded) until /api/v1/health answers, and stops it with SIGTERM at the
end. If the hub does not come up, the error shows what it wrote on stderr.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

# The folder holding the mcdesk package: the child process imports the same mcdesk as this one.
PACKAGE_ROOT = Path(__file__).resolve().parent.parent.parent
STARTUP_SECONDS = 60.0  # a generous bound on a loaded CI machine; the usual start is well under 2 s
STOP_SECONDS = 20.0


class HubFailed(RuntimeError):
    """The hub process did not start, or did not stop cleanly."""


@dataclass
class Hub:
    """A running hub: its base URL, data folder and process."""

    url: str
    data: Path
    process: subprocess.Popen[str]
    stderr_path: Path
    _stopped: bool = field(default=False, repr=False)

    @property
    def api(self) -> str:
        return f"{self.url}/api/v1"

    def enrol_codes(self, n: int = 1) -> list[str]:
        """``n`` fresh one-time codes, made through the hub's store (the same as `mcdesk hub enrol-code`)."""
        from mcdesk.hub.devices import new_codes
        from mcdesk.hub.store import HubData, open_store

        with open_store(HubData.open(self.data)) as store:
            return new_codes(store, n)

    def enrol(self, key: Any, name: str = "Test laptop", code: str | None = None) -> dict[str, Any]:
        """Enrol the Ed25519 private ``key``'s device over HTTP (with a fresh code unless one is given),
        signing the enrolment as a device does; returns the hub's JSON answer."""
        answer = httpx.post(f"{self.api}/enrol", json=enrolment_body(key, code or self.enrol_codes(1)[0], name),
                            timeout=30)
        answer.raise_for_status()
        return answer.json()

    def cli(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run ``mcdesk hub ARGS --data <this hub's folder>`` as a subprocess."""
        return run_hub_cli(self.data, *args, check=check)

    def stderr(self) -> str:
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> int:
        """SIGTERM (terminate on Windows), wait for the exit, return its code."""
        if not self._stopped:
            self._stopped = True
            if self.process.poll() is None:
                if os.name == "nt":
                    self.process.terminate()
                else:
                    self.process.send_signal(signal.SIGTERM)
                try:
                    self.process.wait(timeout=STOP_SECONDS)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(timeout=STOP_SECONDS)
                    raise HubFailed(f"The hub did not stop within {STOP_SECONDS:.0f} s of SIGTERM.\n"
                                    f"--- hub stderr ---\n{self.stderr()}") from None
        return int(self.process.returncode)


def enrolment_body(key: Any, code: str, name: str, public_key: str | None = None) -> dict[str, str]:
    """The JSON a device sends to /api/v1/enrol, signed with its private ``key``."""
    from mcdesk.keys import b64url, raw_public
    from mcdesk.sync.proof import sign_enrolment

    public = public_key if public_key is not None else b64url(raw_public(key.public_key()))
    return {"code": code, "public_key": public, "device_name": name,
            "proof": sign_enrolment(key, code, public, name)}


def hub_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "MCDESK_HUB_DATA"}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(PACKAGE_ROOT), env.get("PYTHONPATH", "")) if p)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def run_hub_cli(data: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, "-m", "mcdesk", "hub", *args, "--data", str(data)],
                          capture_output=True, text=True, env=hub_env(), timeout=120)
    if check and done.returncode != 0:
        raise AssertionError(f"mcdesk hub {' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    return done


@contextmanager
def running_hub(data_dir: Path, port: int | None = None) -> Iterator[Hub]:
    """Start the hub on 127.0.0.1 (a free port unless ``port`` is given), yield it, stop it."""
    data_dir = Path(data_dir)
    fd, name = tempfile.mkstemp(prefix="mcdesk-hub-", suffix=".stderr")
    stderr_path = Path(name)
    with os.fdopen(fd, "w") as stderr_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "mcdesk", "hub", "serve", "--host", "127.0.0.1", "--port", str(port or 0),
             "--data", str(data_dir)],
            stdout=subprocess.PIPE, stderr=stderr_file, text=True, env=hub_env(), cwd=PACKAGE_ROOT)
    hub: Hub | None = None
    try:
        url = _announced_url(process, stderr_path)
        hub = Hub(url=url, data=data_dir, process=process, stderr_path=stderr_path)
        _wait_healthy(hub)
        yield hub
    finally:
        try:
            if hub is not None:
                hub.stop()
            elif process.poll() is None:
                process.kill()
                process.wait(timeout=STOP_SECONDS)
        finally:
            if process.stdout:
                process.stdout.close()
            stderr_path.unlink(missing_ok=True)


def _announced_url(process: subprocess.Popen[str], stderr_path: Path) -> str:
    """The URL from the hub's first stdout line ("mcdesk hub serving at http://...")."""
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.2)
        except queue.Empty:
            continue
        if line is None:
            break
        for word in line.split():
            if word.startswith("http://"):
                return word.rstrip("/")
    process.kill()
    process.wait(timeout=STOP_SECONDS)
    raise HubFailed(f"The hub did not announce its URL (exit code {process.returncode}).\n"
                    f"--- hub stderr ---\n{stderr_path.read_text(errors='replace')}")


def _wait_healthy(hub: Hub) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    last: Exception | None = None
    while time.monotonic() < deadline:
        if hub.process.poll() is not None:
            break
        try:
            if httpx.get(f"{hub.api}/health", timeout=5).status_code == 200:
                return
        except httpx.HTTPError as exc:
            last = exc
        time.sleep(0.05)
    raise HubFailed(f"The hub at {hub.url} did not answer /api/v1/health ({last}).\n"
                    f"--- hub stderr ---\n{hub.stderr()}")
