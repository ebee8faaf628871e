"""Background operations: one serialised worker for core and database work, results on the GUI thread."""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from shiboken6 import isValid

from mcdesk.errors import Cancelled


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object, str)
    progress = Signal(str, object, int)


class QtReporter:
    """The core's Reporter, emitting Qt signals (queued across threads) and honouring cancel."""

    def __init__(self, signals: _Signals) -> None:
        self._signals = signals
        self._cancel = threading.Event()
        self._done = 0

    def stage(self, text: str, total: int | None = None) -> None:
        self._done = 0
        self._signals.progress.emit(text, total, 0)

    def advance(self, amount: int) -> None:
        self._done += amount
        self._signals.progress.emit("", None, self._done)

    def cancel(self) -> None:
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()


class _Job(QRunnable):
    def __init__(self, fn: Callable[[QtReporter], Any], signals: _Signals, reporter: QtReporter) -> None:
        super().__init__()
        self.fn, self.signals, self.reporter = fn, signals, reporter

    def run(self) -> None:
        try:
            result = self.fn(self.reporter)
        except BaseException as exc:  # delivered to the GUI thread, never lost
            self._deliver("failed", exc, traceback.format_exc())
        else:
            self._deliver("done", result)

    def _deliver(self, name: str, *args: object) -> None:
        """Emit ``done`` or ``failed``; if the application was torn down while the job ran (its signals
        object deleted with it), there is nobody left to tell and the result is dropped."""
        if not isValid(self.signals):
            return
        try:
            getattr(self.signals, name).emit(*args)
        except RuntimeError:
            if isValid(self.signals):
                raise


class Worker:
    """The single database worker: jobs run one at a time, in the order they were queued."""

    def __init__(self) -> None:
        self.pool = QThreadPool()
        self.pool.setMaxThreadCount(1)
        self._live: set[_Signals] = set()

    def run(self, fn: Callable[[QtReporter], Any], *, on_done: Callable[[Any], None] | None = None,
            on_failed: Callable[[BaseException, str], None] | None = None,
            on_progress: Callable[[str, int | None, int], None] | None = None) -> QtReporter:
        signals = _Signals()
        reporter = QtReporter(signals)
        self._live.add(signals)

        def finished(*_args: object) -> None:
            self._live.discard(signals)

        if on_done:
            signals.done.connect(on_done)
        if on_failed:
            signals.failed.connect(on_failed)
        if on_progress:
            signals.progress.connect(on_progress)
        signals.done.connect(finished)
        signals.failed.connect(finished)
        self.pool.start(_Job(fn, signals, reporter))
        return reporter

    def wait(self, msecs: int = -1) -> bool:
        return self.pool.waitForDone(msecs)


def is_cancel(exc: BaseException) -> bool:
    return isinstance(exc, Cancelled)
