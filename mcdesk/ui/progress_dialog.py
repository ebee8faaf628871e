"""One way to run a long core operation behind a modal progress dialog whose Cancel really stops it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import SIGNAL, SLOT, QCoreApplication, QObject, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QPushButton, QWidget
from shiboken6 import isValid

from mcdesk.errors import Cancelled
from mcdesk.ui.context import Context
from mcdesk.ui.errors import show_error
from mcdesk.ui.ops import QtReporter

STEPS = 1000  # the bar counts in thousandths, so byte totals of any size fit an int


class OperationProgressDialog(QProgressDialog):
    """A progress dialog that stays open until the operation behind it has really stopped.

    Cancel, Escape and the window's close button all ask the operation to stop; the dialog only
    closes when the worker reports back, so nobody starts something else while it is unwinding."""

    def __init__(self, parent: QWidget | None, title: str) -> None:
        super().__init__(parent)
        self.title = title
        self._finished = False
        self.setWindowTitle(title)
        self.setLabelText(title)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setAccessibleName(self.tr("Cancel the operation"))
        self.setCancelButton(self.cancel_button)
        self.setAccessibleName(title)
        self.setRange(0, 0)  # busy until the first stage says how much there is
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.setMinimumDuration(0)
        self.setMinimumWidth(420)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        # QProgressDialog resets and hides itself on cancel; this one stays (saying "Cancelling…")
        # until the operation reports that it has stopped.
        QObject.disconnect(self, SIGNAL("canceled()"), self, SLOT("cancel()"))

    def reject(self) -> None:  # Escape
        if not self._finished:
            self.canceled.emit()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if self._finished:
            super().closeEvent(event)
            return
        event.ignore()
        self.canceled.emit()

    def finish(self) -> None:
        self._finished = True
        self.hide()
        self.deleteLater()


# Operations in flight, kept alive here until they end (Qt holds no reference to plain objects).
_running: set[ProgressRun] = set()


class ProgressRun:
    """One operation in flight: its dialog, its reporter, and what happens when it ends."""

    def __init__(self, parent: QWidget | None, ctx: Context, title: str, fn: Callable[[QtReporter], Any],
                 on_done: Callable[[Any], None] | None, changes: Iterable[str],
                 on_failed: Callable[[BaseException], None] | None) -> None:
        self.dialog = OperationProgressDialog(parent, title)
        self.finished = False
        self.parent_widget = parent
        self.title = title
        self._on_done = on_done
        self._on_failed = on_failed
        self._total = 0
        self.cancel_requested = False
        self.notice: QMessageBox | None = None
        self.dialog.canceled.connect(self.cancel)
        _running.add(self)
        self.dialog.open()
        self.reporter: QtReporter = ctx.run(fn, on_done=self._done, on_failed=self._failed,
                                            on_progress=self._progress, changes=changes)

    def cancel(self) -> None:
        """Ask the core to stop at its next safe point; it then leaves everything as it was."""
        if self.cancel_requested:
            return
        self.cancel_requested = True
        self.reporter.cancel()
        self.dialog.setLabelText(QCoreApplication.translate("ProgressRun", "Cancelling…"))
        self.dialog.cancel_button.setEnabled(False)
        self.dialog.setRange(0, 0)

    def _progress(self, text: str, total: int | None, done: int) -> None:
        if self.cancel_requested:
            return
        if text:
            self.dialog.setLabelText(f"{self.title}\n{text}")
            self._total = int(total or 0)
            self.dialog.setRange(0, STEPS if self._total else 0)
        if self._total:
            self.dialog.setValue(min(STEPS, done * STEPS // self._total))

    def _alive(self) -> bool:
        """False once the window that started the operation is gone (closed while it ran)."""
        return isValid(self.dialog) and (self.parent_widget is None or isValid(self.parent_widget))

    def _done(self, result: Any) -> None:
        self._end()
        if not self._alive():
            return
        self.dialog.finish()
        if self._on_done is not None:
            self._on_done(result)

    def _failed(self, exc: BaseException, _tb: str) -> None:
        if not self._alive():
            self._end()
            return
        self.dialog.finish()
        if isinstance(exc, Cancelled):
            text = QCoreApplication.translate("ProgressRun", "Cancelled; nothing was changed.")
            box = QMessageBox(QMessageBox.Icon.Information, self.title, text, QMessageBox.StandardButton.Ok,
                              self.parent_widget)
            box.setAccessibleName(QCoreApplication.translate("ProgressRun", "Cancelled"))
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.finished.connect(lambda _code: self._after_failure(exc))
            self.notice = box
            box.open()
            return
        show_error(self.parent_widget, exc)
        self._after_failure(exc)

    def _end(self) -> None:
        self.finished = True
        _running.discard(self)

    def _after_failure(self, exc: BaseException) -> None:
        self._end()
        if self._on_failed is not None:
            self._on_failed(exc)


def run_for_widget(widget: QWidget, ctx: Context, fn: Callable[[QtReporter], Any], *,
                   on_done: Callable[[Any], None] | None = None,
                   on_failed: Callable[[BaseException], None] | None = None,
                   changes: Iterable[str] = ()) -> QtReporter:
    """``ctx.run`` for a widget's own quick jobs: the callbacks are skipped if the widget was deleted
    meanwhile (the bus still hears of the change), and failures go to ``show_error`` unless
    ``on_failed(exc)`` handles them."""

    def done(result: Any) -> None:
        if isValid(widget) and on_done is not None:
            on_done(result)

    def failed(exc: BaseException, _tb: str) -> None:
        if not isValid(widget):
            return
        if on_failed is not None:
            on_failed(exc)
        else:
            show_error(widget, exc)

    return ctx.run(fn, on_done=done, on_failed=failed, changes=changes)


def run_with_progress(parent: QWidget | None, ctx: Context, title: str, fn: Callable[[QtReporter], Any],
                      on_done: Callable[[Any], None] | None = None, changes: Iterable[str] = (), *,
                      on_failed: Callable[[BaseException], None] | None = None) -> ProgressRun:
    """Run ``fn(reporter)`` on the database worker behind a modal progress dialog.

    The dialog shows the core's stages and a bar; Cancel asks the core to stop (it raises Cancelled
    at a safe point and changes nothing), and the person is told so, not shown an error. Other
    failures go to ``show_error``. ``changes`` are announced on the bus on success, before
    ``on_done(result)``. ``on_failed(exc)``, if given, runs after the person has seen why it
    stopped, so a sequence of operations can carry on or end there."""
    return ProgressRun(parent, ctx, title, fn, on_done, changes, on_failed)
