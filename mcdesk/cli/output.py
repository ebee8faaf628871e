"""How the CLI talks: plain lines or JSON on stdout, errors and progress on stderr."""

from __future__ import annotations

import json
import sys
import time
from typing import Any, TextIO

from mcdesk.errors import McdeskError


class Output:
    def __init__(self, json_mode: bool = False, stdout: TextIO | None = None, stderr: TextIO | None = None):
        self.json_mode = json_mode
        self.stdout = stdout or sys.stdout
        self.stderr = stderr or sys.stderr

    def line(self, text: str = "") -> None:
        if not self.json_mode:
            print(text, file=self.stdout)

    def json(self, data: Any) -> None:
        print(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True), file=self.stdout)

    def note(self, text: str) -> None:
        print(text, file=self.stderr)

    def error(self, exc: McdeskError) -> None:
        if self.json_mode:
            self.json({"ok": False, "error": exc.message, "hint": exc.hint, "type": type(exc).__name__})
        print(f"mcdesk: {exc.message}", file=self.stderr)
        if exc.hint:
            print(f"  {exc.hint}", file=self.stderr)

    def reporter(self) -> TerminalReporter:
        return TerminalReporter(self.stderr)


class TerminalReporter:
    """A progress bar on a terminal; on a pipe or a log, one line per step and no bar noise."""

    WIDTH = 30

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.text = ""
        self.total: int | None = None
        self.done = 0
        self._last_draw = 0.0

    def stage(self, text: str, total: int | None = None) -> None:
        self._finish_bar()
        self.text, self.total, self.done = text, total, 0
        if not self.tty:
            print(f"{text}…", file=self.stream, flush=True)
        else:
            self._draw(force=True)

    def advance(self, amount: int) -> None:
        self.done += amount
        if self.tty:
            self._draw()

    def cancelled(self) -> bool:
        return False  # Ctrl-C raises KeyboardInterrupt, which every operation treats as cancel

    def close(self) -> None:
        self._finish_bar()

    def _draw(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last_draw < 0.1:
            return
        self._last_draw = now
        if self.total:
            frac = min(self.done / self.total, 1.0)
            filled = int(frac * self.WIDTH)
            bar = "█" * filled + "·" * (self.WIDTH - filled)
            self.stream.write(f"\r{self.text[:40]:40} {bar} {frac:4.0%}")
        else:
            self.stream.write(f"\r{self.text[:72]}")
        self.stream.flush()

    def _finish_bar(self) -> None:
        if self.tty and self.text:
            self._draw(force=True)
            self.stream.write("\n")
            self.stream.flush()
        self.text = ""
