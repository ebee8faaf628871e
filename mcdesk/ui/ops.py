"""Background operations: one serialised worker for core and database work, results on the GUI thread."""

from __future__ import annotations

import threading
import traceback
from collections import deque
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from shiboken6 import isValid

from mcdesk.errors import Cancelled

_Call = tuple[Callable[..., Any], tuple[Any, ...]]


class _Mailbox(QObject):
    """Made on the GUI thread: a call posted to it from the worker's thread runs on the GUI thread (the
    signal is queued across threads), in the order posted."""

    posted = Signal(object)  # a (callable, args) pair

    def __init__(self) -> None:
        super().__init__()
        self.posted.connect(self._call)

    def _call(self, call: _Call) -> None:
        fn, args = call
        fn(*args)

    def post(self, fn: Callable[..., Any] | None, *args: object) -> None:
        """Run ``fn(*args)`` on the GUI thread; if the application was torn down meanwhile (the mailbox
        deleted with it), there is nobody left to tell and the call is dropped."""
        if fn is None or not isValid(self):
            return
        try:
            self.posted.emit((fn, args))
        except RuntimeError:
            if isValid(self):
                raise


class QtReporter:
    """The core's Reporter for one job: progress goes to the GUI thread; honours cancel."""

    def __init__(self, mailbox: _Mailbox, on_progress: Callable[[str, int | None, int], None] | None) -> None:
        self._mailbox = mailbox
        self._on_progress = on_progress
        self._cancel = threading.Event()
        self._done = 0

    def stage(self, text: str, total: int | None = None) -> None:
        self._done = 0
        self._mailbox.post(self._on_progress, text, total, 0)

    def advance(self, amount: int) -> None:
        self._done += amount
        self._mailbox.post(self._on_progress, "", None, self._done)

    def cancel(self) -> None:
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()


class _Job:
    def __init__(self, fn: Callable[[QtReporter], Any], reporter: QtReporter,
                 on_done: Callable[[Any], None] | None,
                 on_failed: Callable[[BaseException, str], None] | None) -> None:
        self.fn, self.reporter, self.on_done, self.on_failed = fn, reporter, on_done, on_failed


class Worker:
    """The single database worker: jobs run one at a time on its own thread, in the order they were
    queued; their results, failures and progress are delivered on the GUI thread (the thread that made
    the worker), in the order they happened.

    A plain Python thread rather than a QThreadPool: the app's start queues its first jobs before the
    window is painted, and this keeps QThreadPool's and QRunnable's Python types, and a QObject per job,
    off it. The thread starts with a job and ends after ``idle_exit_s`` with nothing to do (as a pool's
    thread expires); the next job starts another."""

    IDLE_EXIT_S = 30.0

    def __init__(self, idle_exit_s: float = IDLE_EXIT_S) -> None:
        self._mailbox = _Mailbox()
        self._jobs: deque[_Job] = deque()
        self._busy = False
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None
        self._idle_exit_s = idle_exit_s

    def run(self, fn: Callable[[QtReporter], Any], *, on_done: Callable[[Any], None] | None = None,
            on_failed: Callable[[BaseException, str], None] | None = None,
            on_progress: Callable[[str, int | None, int], None] | None = None) -> QtReporter:
        reporter = QtReporter(self._mailbox, on_progress)
        with self._changed:
            self._jobs.append(_Job(fn, reporter, on_done, on_failed))
            if self._thread is None:
                self._thread = threading.Thread(target=self._serve, name="mcdesk-worker", daemon=True)
                self._thread.start()
            self._changed.notify_all()
        return reporter

    def _serve(self) -> None:
        while True:
            with self._changed:
                while not self._jobs:
                    if not self._changed.wait(self._idle_exit_s) and not self._jobs:
                        self._thread = None  # under the lock: run() starts a new thread for the next job
                        return
                job = self._jobs.popleft()
                self._busy = True
            try:
                result = job.fn(job.reporter)
            except BaseException as exc:  # delivered to the GUI thread, never lost
                self._mailbox.post(job.on_failed, exc, traceback.format_exc())
            else:
                self._mailbox.post(job.on_done, result)
            finally:
                with self._changed:
                    self._busy = False
                    self._changed.notify_all()

    def wait(self, msecs: int = -1) -> bool:
        """Block until every queued job has run (their results are still to be delivered by the event
        loop); False if ``msecs`` (not negative) passed first."""
        with self._changed:
            return self._changed.wait_for(lambda: not self._jobs and not self._busy,
                                          None if msecs < 0 else msecs / 1000)


def is_cancel(exc: BaseException) -> bool:
    return isinstance(exc, Cancelled)
