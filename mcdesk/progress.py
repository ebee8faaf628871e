"""One progress-and-cancel interface for long core operations, drawn by the CLI or the GUI."""

from __future__ import annotations

import threading
from typing import Protocol

from mcdesk.errors import Cancelled


class Reporter(Protocol):
    """What a long operation reports to: a terminal bar, a Qt progress dialog, or nothing."""

    def stage(self, text: str, total: int | None = None) -> None:
        """A new step begins; ``total`` is its size in units (bytes, files) when known."""

    def advance(self, amount: int) -> None:
        """``amount`` more units of the current step are done."""

    def cancelled(self) -> bool:
        """True once the person asked to stop."""


class NullReporter:
    """Reports nowhere; can still be cancelled from another thread."""

    def __init__(self) -> None:
        self._cancel = threading.Event()

    def stage(self, text: str, total: int | None = None) -> None:
        pass

    def advance(self, amount: int) -> None:
        pass

    def cancel(self) -> None:
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()


def check_cancel(reporter: Reporter) -> None:
    """Raise Cancelled if the person asked to stop; call it at safe points only."""
    if reporter.cancelled():
        raise Cancelled()
