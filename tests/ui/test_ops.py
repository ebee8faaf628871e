"""The database worker (mcdesk.ui.ops.Worker): one job at a time on its own thread, in the order queued;
results, failures and progress on the GUI thread, in the order they happened; cancel; waiting."""

from __future__ import annotations

import threading

from PySide6.QtCore import QCoreApplication

from mcdesk.errors import Cancelled
from mcdesk.ui.ops import QtReporter, Worker, is_cancel


def test_jobs_run_one_at_a_time_in_order_off_the_gui_thread_and_report_on_it(qtbot) -> None:
    worker = Worker()
    gui = threading.get_ident()
    ran: list[tuple[int, int]] = []  # (job, thread)
    delivered: list[tuple[str, object, int]] = []  # (what, value, thread)
    running = threading.Semaphore(1)

    def job(n: int):
        def fn(_reporter: QtReporter) -> int:
            assert running.acquire(blocking=False), "two jobs ran at once"
            try:
                ran.append((n, threading.get_ident()))
                return n * n
            finally:
                running.release()
        return fn

    for n in range(20):
        worker.run(job(n), on_done=lambda value: delivered.append(("done", value, threading.get_ident())))
    assert worker.wait(30_000)
    qtbot.waitUntil(lambda: len(delivered) == 20)
    assert [n for n, _thread in ran] == list(range(20))
    assert {thread for _n, thread in ran} != {gui} and len({thread for _n, thread in ran}) == 1
    assert delivered == [("done", n * n, gui) for n in range(20)]


def test_a_failure_reaches_on_failed_with_its_traceback_and_the_next_job_still_runs(qtbot) -> None:
    worker = Worker()
    seen: list[object] = []

    def boom(_reporter: QtReporter) -> None:
        raise ValueError("the pack is broken")

    worker.run(boom, on_done=seen.append, on_failed=lambda exc, tb: seen.append((type(exc), str(exc), tb)))
    worker.run(lambda _reporter: "after", on_done=seen.append)
    worker.wait()
    qtbot.waitUntil(lambda: len(seen) == 2)
    kind, message, tb = seen[0]  # type: ignore[misc]
    assert (kind, message) == (ValueError, "the pack is broken")
    assert "Traceback" in tb and "the pack is broken" in tb and "boom" in tb
    assert seen[1] == "after"


def test_progress_comes_on_the_gui_thread_before_the_result_and_cancel_is_seen_by_the_job(qtbot) -> None:
    worker = Worker()
    gui = threading.get_ident()
    events: list[tuple[object, ...]] = []
    started, go_on = threading.Event(), threading.Event()

    def long_job(reporter: QtReporter) -> str:
        reporter.stage("Copying", 3)
        for _ in range(3):
            reporter.advance(1)
        started.set()
        go_on.wait(30)
        if reporter.cancelled():
            raise Cancelled("Stopped; nothing was changed.")
        return "finished"

    reporter = worker.run(long_job, on_done=lambda r: events.append(("done", r)),
                          on_failed=lambda exc, _tb: events.append(("failed", is_cancel(exc), str(exc))),
                          on_progress=lambda text, total, done: events.append(
                              ("progress", text, total, done, threading.get_ident() == gui)))
    assert started.wait(30)
    assert not worker.wait(50)  # still running: waiting gives up
    reporter.cancel()
    go_on.set()
    assert worker.wait(30_000)
    qtbot.waitUntil(lambda: len(events) == 5)
    assert events == [("progress", "Copying", 3, 0, True), ("progress", "", None, 1, True),
                      ("progress", "", None, 2, True), ("progress", "", None, 3, True),
                      ("failed", True, "Stopped; nothing was changed.")]


def test_waiting_with_nothing_queued_returns_at_once_and_a_job_without_callbacks_is_fine(qtbot) -> None:
    worker = Worker()
    assert worker.wait(0)
    ran = threading.Event()
    worker.run(lambda _reporter: ran.set())
    assert worker.wait(30_000) and ran.is_set()
    QCoreApplication.processEvents()  # nothing to deliver, nothing raised


def test_the_thread_ends_when_idle_and_the_next_job_starts_another(qtbot) -> None:
    worker = Worker(idle_exit_s=0.05)
    threads: list[int] = []
    worker.run(lambda _reporter: threads.append(threading.get_ident()))
    assert worker.wait(30_000)
    first = worker._thread
    assert first is not None
    first.join(30)
    assert not first.is_alive() and worker._thread is None  # nothing to do: it ended
    worker.run(lambda _reporter: threads.append(threading.get_ident()))
    assert worker.wait(30_000) and len(threads) == 2
    assert worker._thread is not None and worker._thread is not first
