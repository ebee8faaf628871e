"""Measurement probes for `mcdesk bench` (mcdesk/bench_desktop.py), each run in its own process:
``python -m mcdesk.ui.probe KIND ...`` does one kind of measurement and prints one JSON line.

The start probes also print the line ``ready`` the moment their window is usable, so the parent can
time a cold start from spawning the process to reading that line. Heavy imports happen inside the
probes, never at the top of this module: ``start-bare`` must cost no more than a bare PySide6 start.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

READY = "ready"
WINDOW_SIZE = (1024, 640)  # the size MainWindow opens at
WAIT_S = 120.0  # a step that takes longer than this has hung: the probe fails rather than waits forever
SETTLE_MS = 300  # after the last step, time for pending layouts and paints before the memory reading


class ProbeError(RuntimeError):
    """A probe step did not happen in time or went wrong; the message says which."""


def maxrss_kb() -> int:
    """Peak resident memory of this process so far, in KiB.

    On Linux this is VmHWM, the high-water mark of this program's own memory. Not ru_maxrss: Linux
    carries the spawning process's high-water mark over into it, so a probe started by a benchmark
    that had itself grown to 56 MB could never report less than 56 MB, and a bare window would seem
    as big as the benchmark."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])  # "VmHWM:   49580 kB"
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak // 1024) if sys.platform == "darwin" else int(peak)  # macOS reports bytes


def say_ready() -> None:
    print(READY, flush=True)


def emit(data: dict[str, Any]) -> None:
    print(json.dumps(data, sort_keys=True), flush=True)


# --- waiting on the event loop (never a busy loop) ---------------------------------------------


def wait_until(condition: Callable[[], bool], what: str, timeout_s: float = WAIT_S) -> None:
    """Run the event loop until ``condition()`` holds (checked every few milliseconds)."""
    from PySide6.QtCore import QEventLoop, QTimer

    if condition():
        return
    loop = QEventLoop()
    deadline = time.monotonic() + timeout_s
    failed: list[bool] = []

    def check() -> None:
        if condition():
            loop.quit()
        elif time.monotonic() > deadline:
            failed.append(True)
            loop.quit()

    timer = QTimer()
    timer.setInterval(2)
    timer.timeout.connect(check)
    timer.start()
    loop.exec()
    timer.stop()
    if failed:
        raise ProbeError(f"Waited {timeout_s:.0f} s for {what}; it did not happen.")


class Stopwatch:
    """Times from ``start()`` to ``stop()``, or to the first paint of a watched widget once armed,
    running the event loop meanwhile."""

    def __init__(self) -> None:
        from PySide6.QtCore import QEvent, QEventLoop, QObject

        self._paint = QEvent.Type.Paint
        self._loop = QEventLoop()
        self._started = 0.0
        self._ended: float | None = None
        self._watching = False
        watch = self

        class _Filter(QObject):
            def eventFilter(self, obj: Any, event: Any) -> bool:  # noqa: N802 - Qt's name
                if event.type() == watch._paint and watch._watching:
                    watch.stop()
                return False

        self._filter = _Filter()

    def watch_paint(self, widget: Any) -> None:
        widget.installEventFilter(self._filter)

    @property
    def started(self) -> float:
        return self._started

    def start(self, *, armed: bool = True) -> None:
        """Start the clock; unless ``armed``, paints stop it only after ``arm()``."""
        self._ended = None
        self._watching = armed
        self._started = time.perf_counter()

    def arm(self, *_args: object) -> None:
        if self._ended is None:
            self._watching = True

    def stop(self, *_args: object) -> None:
        if self._ended is None:
            self._ended = time.perf_counter()
            self._watching = False
            self._loop.quit()

    def wait_ms(self, what: str, timeout_s: float = WAIT_S) -> float:
        """Run the event loop until stopped; milliseconds since ``start()``."""
        from PySide6.QtCore import QTimer

        if self._ended is None:
            guard = QTimer()
            guard.setSingleShot(True)
            guard.timeout.connect(self._loop.quit)
            guard.start(int(timeout_s * 1000))
            self._loop.exec()
            guard.stop()
        self._watching = False
        if self._ended is None:
            raise ProbeError(f"Waited {timeout_s:.0f} s for {what}; it did not happen.")
        return (self._ended - self._started) * 1000


def _application() -> Any:
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([sys.argv[0]])


# --- start-up ------------------------------------------------------------------------------------


def _give_up_after(seconds: float, seen: dict[str, Any], what: str) -> None:
    """Once the event loop runs: quit it after ``seconds`` with an error, unless the probe is done."""
    from PySide6.QtCore import QTimer

    def give_up() -> None:
        if "maxrss_kb" not in seen:
            seen.setdefault("error", f"Waited {seconds:.0f} s for {what}; it did not happen.")
            _application().quit()

    QTimer.singleShot(0, lambda: QTimer.singleShot(int(seconds * 1000), give_up))


class PaintLog:
    """For ``--check-paint`` only (never in a timed start): an application-wide event filter that notes
    the class name of every widget painted, so a test can see what was on screen when a probe said
    ``ready``. It is made before the window, so it sees the first paint."""

    def __init__(self) -> None:
        from PySide6.QtCore import QEvent, QObject

        paint = QEvent.Type.Paint
        self.names: set[str] = set()
        names = self.names

        class _Filter(QObject):
            def eventFilter(self, obj: Any, event: Any) -> bool:  # noqa: N802 - Qt's name
                if event.type() == paint:
                    names.add(type(obj).__name__)
                return False

        self._filter = _Filter()
        _application().installEventFilter(self._filter)


def settle_and_say_ready() -> list[str]:
    """Both start probes end here once their window is up: run the events already pending, among them
    the window's first paint (an expose from the window system, the update a widget just shown or
    filled in asked for), then print ``ready``. So "ready" means the same on both sides: the window
    shown, painted, and the event loop with nothing left to do. Returns the Qt types PySide6 had made by
    then (qt_types_made, read after ``ready``: not timed); the app keeps the ``Qt`` namespace and QEvent,
    among others, off its start (mcdesk.ui.qt_enums)."""
    _application().processEvents()
    say_ready()
    return qt_types_made()


def start_bare(settle_ms: int = 0, check_paint: bool = False) -> dict[str, Any]:
    """The floor: PySide6 only, a bare QMainWindow shown; ``ready`` once the event loop runs and the
    window is painted."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication([sys.argv[0]])
    paints = PaintLog() if check_paint else None
    window = QMainWindow()
    window.resize(*WINDOW_SIZE)
    window.show()
    seen: dict[str, Any] = {}

    def finish() -> None:
        seen["maxrss_kb"] = maxrss_kb()
        app.quit()

    def ready() -> None:
        seen["qt_types_made"] = settle_and_say_ready()
        seen["window_visible"] = window.isVisible()
        if paints is not None:
            seen["painted"] = sorted(paints.names)
        QTimer.singleShot(settle_ms, finish)

    QTimer.singleShot(0, ready)
    app.exec()
    return {"kind": "start-bare", **seen}


def start_app(home: str, check_paint: bool = False) -> dict[str, Any]:
    """The real entry path (mcdesk.cli, then run_app); ``ready`` when MainWindow says it is usable (the
    picker lists the learners) and the window is painted."""
    import mcdesk.cli  # noqa: F401 - what `mcdesk` imports before it opens the window
    from mcdesk.ui.app import run_app

    seen: dict[str, Any] = {}
    paints = PaintLog() if check_paint else None  # makes the QApplication run_app then uses

    def on_ready(window: Any) -> None:
        from PySide6.QtCore import QTimer

        seen["qt_types_made"] = settle_and_say_ready()
        seen["page"] = type(window.stack.currentWidget()).__name__
        seen["maxrss_kb"] = maxrss_kb()
        if paints is not None:
            seen["painted"] = sorted(paints.names)
        QTimer.singleShot(0, _application().quit)  # posted: quits even if ready came from a nested loop

    _give_up_after(WAIT_S, seen, "the app to say it was ready")
    code = run_app(home, [sys.argv[0]], on_ready=on_ready)
    if "error" in seen:
        raise ProbeError(seen["error"])
    if "page" not in seen:
        raise ProbeError(f"The app exited with status {code} without saying it was ready.")
    result = {"kind": "start-app", "exit_code": code, "first_page": seen["page"], "maxrss_kb": seen["maxrss_kb"],
              "qt_types_made": seen["qt_types_made"]}
    if paints is not None:
        result["painted"] = seen["painted"]
    return result


# --- memory --------------------------------------------------------------------------------------


def qt_types_made() -> list[str]:
    """The Qt classes whose Python types PySide6 has made so far in this process (it makes them on first
    use; see mcdesk.ui.qt_enums), plus "Qt" once the Qt namespace is made."""
    names: set[str] = set()
    for module in ("PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets"):
        if module in sys.modules:
            names.update(name for name, value in vars(sys.modules[module]).items() if isinstance(value, type))
    return sorted(names)


def memory_app(home: str, learner: int, pack_id: str, lesson_id: str) -> dict[str, Any]:
    """The app started, ``learner`` signed in, the library showing ``pack_id``, one lesson open."""
    from PySide6.QtCore import QTimer

    import mcdesk.cli  # noqa: F401 - the real entry path, as in start-app
    from mcdesk.ui.app import run_app

    seen: dict[str, Any] = {}

    def steps(window: Any) -> None:
        try:
            window.sign_in(learner)
            library = window.library
            wait_until(lambda: any(p.id == pack_id for p in library.packs)
                       and library.tree.topLevelItemCount() > 0, "the library to list the pack")
            shown: list[str] = []
            window.reader.lesson_shown.connect(lambda _pack, lesson: shown.append(lesson))
            window.open_lesson(pack_id, lesson_id)
            wait_until(lambda: lesson_id in shown, "the lesson to be shown")
            seen["page"] = type(window.stack.currentWidget()).__name__
            seen["library_items"] = sum(len(p.items) for p in library.packs)
            seen["lesson_chars"] = len(window.reader.browser.toPlainText())
            seen["qt_types_made"] = qt_types_made()
        except ProbeError as exc:
            seen["error"] = str(exc)
        finally:
            def finish() -> None:
                seen["maxrss_kb"] = maxrss_kb()
                _application().quit()

            QTimer.singleShot(SETTLE_MS, finish)

    _give_up_after(2 * WAIT_S, seen, "the app to start, sign in and show the lesson")
    code = run_app(home, [sys.argv[0]], on_ready=lambda window: QTimer.singleShot(0, lambda: steps(window)))
    if "error" in seen:
        raise ProbeError(seen["error"])
    if "maxrss_kb" not in seen:
        raise ProbeError(f"The app exited with status {code} before the lesson was shown.")
    return {"kind": "memory-app", "exit_code": code, **seen}


# --- opening a lesson ----------------------------------------------------------------------------


def lesson(home: str, learner: int, pack_id: str, lesson_id: str, runs: int, warmup: int) -> dict[str, Any]:
    """ReaderView.show_lesson until the page is painted, against QTextBrowser.setHtml of the same page
    until it is painted; alternating, in one process, at one size. Also the times to ``lesson_shown``
    and of setHtml alone."""
    from PySide6.QtWidgets import QTextBrowser

    from mcdesk.home import Home
    from mcdesk.learning.library import open_lesson
    from mcdesk.ui.app import build_context
    from mcdesk.ui.reader import ReaderView
    from mcdesk.ui.theme import current_theme

    app = _application()
    ctx = build_context(Home.open(home))
    ctx.learner_id = learner
    reader = ReaderView(ctx)
    reader.resize(*WINDOW_SIZE)
    reader.show()
    watch = Stopwatch()
    watch.watch_paint(reader.browser.viewport())
    signalled: list[float] = []

    def shown(*_args: object) -> None:
        signalled.append(time.perf_counter())
        watch.arm()  # the page is set: its next paint is the learner seeing it

    reader.lesson_shown.connect(shown)

    page = open_lesson(ctx.manager, pack_id, lesson_id, learner)
    bare = QTextBrowser()
    bare.setOpenLinks(False)
    bare.resize(reader.browser.size())
    bare.setFont(reader.browser.font())
    bare.document().setDefaultFont(reader.browser.font())
    bare.document().setDefaultStyleSheet(current_theme().lesson_css)
    bare.setSearchPaths([page.base_folder])
    bare.show()
    bare_watch = Stopwatch()
    bare_watch.watch_paint(bare.viewport())

    painted: list[float] = []
    to_signal: list[float] = []
    bare_painted: list[float] = []
    sets: list[float] = []
    for n in range(warmup + runs):
        app.processEvents()  # nothing pending before the clock starts
        watch.start(armed=False)
        reader.show_lesson(pack_id, lesson_id)
        took = watch.wait_ms("the reader to show and paint the lesson")
        took_signal = (signalled[-1] - watch.started) * 1000
        app.processEvents()
        bare_watch.start(armed=False)
        bare.setHtml(page.html)
        took_set = (time.perf_counter() - bare_watch.started) * 1000
        bare_watch.arm()
        took_bare = bare_watch.wait_ms("the bare browser to paint the page")
        if n >= warmup:
            painted.append(took)
            to_signal.append(took_signal)
            bare_painted.append(took_bare)
            sets.append(took_set)
    result = {
        "kind": "lesson", "open_ms": painted, "shown_signal_ms": to_signal, "bare_ms": bare_painted,
        "sethtml_ms": sets, "html_bytes": len(page.html.encode()), "images": page.html.count("<img "),
        "images_reader": len(reader.browser.image_widths()), "images_bare": _loaded_images(bare),
        "lesson_chars": len(reader.browser.toPlainText()), "bare_chars": len(bare.toPlainText()),
    }
    ctx.worker.wait()
    ctx.store.close()
    return result


def _loaded_images(browser: Any) -> int:
    """How many images of ``browser``'s page resolve to a picture (so the floor shows the same ones)."""
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QTextDocument

    doc = browser.document()
    found = 0
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if fmt.isImageFormat():
                res = doc.resource(QTextDocument.ResourceType.ImageResource, QUrl(fmt.toImageFormat().name()))
                found += res is not None and not getattr(res, "isNull", lambda: True)()
            it += 1
        block = block.next()
    return found


# --- answering a quiz question -------------------------------------------------------------------


def answer(home: str, learner: int, pack_id: str, quiz_id: str, runs: int, warmup: int, scratch: str
           ) -> dict[str, Any]:
    """QuizRunner: submit a single-choice answer until its feedback is painted, against a bare round
    trip (one-thread QThreadPool job: INSERT + COMMIT in WAL, synchronous=FULL; a QLabel set on the GUI
    thread, until it is painted), alternating, in one process."""
    import sqlite3
    from pathlib import Path

    from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
    from PySide6.QtWidgets import QLabel, QMainWindow

    from mcdesk.home import Home
    from mcdesk.ui.app import build_context
    from mcdesk.ui.quiz_runner import PAGE_QUESTION, PAGE_START, QuizRunner

    app = _application()
    ctx = build_context(Home.open(home))
    ctx.learner_id = learner
    runner = QuizRunner(ctx)
    runner.resize(*WINDOW_SIZE)
    runner.show()
    watch = Stopwatch()
    watch.watch_paint(runner.verdict)

    # The floor: the same shape of round trip with nothing of mcdesk in it.
    db_path = Path(scratch) / "bare-answers.db"
    conn = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
    if conn.execute("PRAGMA journal_mode=WAL").fetchone()[0].lower() != "wal":
        raise ProbeError(f"{db_path} cannot use WAL mode.")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE IF NOT EXISTS answers (id INTEGER PRIMARY KEY, attempt INTEGER, question TEXT, "
                  "response TEXT, correct INTEGER, answered_at TEXT)")

    class Done(QObject):
        saved = Signal(int)

    done = Done()
    window = QMainWindow()
    label = QLabel("…")
    window.setCentralWidget(label)
    window.resize(*WINDOW_SIZE)
    window.show()
    bare_watch = Stopwatch()
    bare_watch.watch_paint(label)
    done.saved.connect(lambda n: label.setText(f"Answer {n} saved: correct"))
    pool = QThreadPool()
    pool.setMaxThreadCount(1)

    class Job(QRunnable):
        def __init__(self, n: int) -> None:
            super().__init__()
            self.n = n

        def run(self) -> None:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO answers (attempt, question, response, correct, answered_at) "
                         "VALUES (?, ?, ?, ?, ?)", (1, f"q{self.n}", json.dumps("b"), 1, time.time()))
            conn.execute("COMMIT")
            done.saved.emit(self.n)

    def start_attempt() -> None:
        runner.open_quiz(pack_id, quiz_id)
        wait_until(lambda: runner.pages.currentIndex() in (PAGE_START, PAGE_QUESTION) and not runner._busy,
                   "the quiz to open")
        if runner.pages.currentIndex() == PAGE_START:
            runner.start_attempt()
            wait_until(lambda: runner.pages.currentIndex() == PAGE_QUESTION, "the first question")

    latencies: list[float] = []
    floors: list[float] = []
    attempts = 0
    for n in range(warmup + runs):
        if runner.attempt is None or runner.pages.currentIndex() != PAGE_QUESTION:
            start_attempt()
            attempts += 1
        shown = runner.attempt.questions[runner.current_index]
        if shown.question.type != "single" or runner._answer is None or not runner._answer.pick(0):
            raise ProbeError(f"Question {shown.question.id!r} is not a single-choice question.")
        app.processEvents()  # the chosen option is painted before the clock starts
        watch.start()
        runner.submit_or_continue()
        took = watch.wait_ms("the answer's feedback to be painted")
        if not runner.feedback_frame.isVisible():
            raise ProbeError("The feedback was painted but is not visible.")
        runner.submit_or_continue()  # on to the next question, or the results after the last one
        if runner.current_index >= len(runner.attempt.questions):
            wait_until(lambda: not runner._busy, "the attempt to finish")
        app.processEvents()
        bare_watch.start()
        pool.start(Job(n))
        took_bare = bare_watch.wait_ms("the bare label to be painted")
        app.processEvents()
        if n >= warmup:
            latencies.append(took)
            floors.append(took_bare)
    pool.waitForDone()
    conn.close()
    ctx.worker.wait()
    ctx.store.close()
    return {"kind": "answer", "feedback_ms": latencies, "bare_ms": floors, "attempts": attempts}


# --- the command line ------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m mcdesk.ui.probe",
                                     description="One measurement for `mcdesk bench`; prints one JSON line.")
    sub = parser.add_subparsers(dest="kind", required=True)
    p = sub.add_parser("start-bare", help="a bare QMainWindow: prints 'ready', then the JSON line")
    p.add_argument("--settle-ms", type=int, default=0, help="keep running this long after 'ready'")
    bare_p = p
    p = sub.add_parser("start-app", help="the app through mcdesk.cli and run_app: 'ready', then JSON")
    p.add_argument("--home", required=True)
    for q in (bare_p, p):
        q.add_argument("--check-paint", action="store_true",
                       help="also report which widgets were painted by 'ready' (slows the start: never timed)")
    p = sub.add_parser("memory-app", help="peak memory: app, learner signed in, library, one lesson open")
    for q in (p, lesson_p := sub.add_parser("lesson", help="open a lesson again and again (p95 inputs)"),
              answer_p := sub.add_parser("answer", help="answer single-choice questions (p95 inputs)")):
        q.add_argument("--home", required=True)
        q.add_argument("--learner", type=int, required=True)
        q.add_argument("--pack", required=True)
    p.add_argument("--lesson", required=True)
    lesson_p.add_argument("--lesson", required=True)
    answer_p.add_argument("--quiz", required=True)
    answer_p.add_argument("--scratch", required=True, help="a folder for the floor's SQLite file")
    for q in (lesson_p, answer_p):
        q.add_argument("--runs", type=int, default=50)
        q.add_argument("--warmup", type=int, default=3)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.kind == "start-bare":
            data = start_bare(args.settle_ms, args.check_paint)
        elif args.kind == "start-app":
            data = start_app(args.home, args.check_paint)
        elif args.kind == "memory-app":
            data = memory_app(args.home, args.learner, args.pack, args.lesson)
        elif args.kind == "lesson":
            data = lesson(args.home, args.learner, args.pack, args.lesson, args.runs, args.warmup)
        else:
            data = answer(args.home, args.learner, args.pack, args.quiz, args.runs, args.warmup, args.scratch)
    except ProbeError as exc:
        print(f"probe {args.kind}: {exc}", file=sys.stderr, flush=True)
        return 1
    emit(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
