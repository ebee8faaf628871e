"""show_error says what happened and what to do; the last-resort handler writes the log."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from mcdesk.errors import PackError
from mcdesk.ui.errors import install_excepthook, show_error


def _close_next_box(seen: list[tuple[str, str, str]]) -> None:
    def close() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append((box.text(), box.informativeText(), box.detailedText()))
            box.accept()
        else:
            QTimer.singleShot(20, close)

    QTimer.singleShot(0, close)


def test_show_error_shows_the_message_and_the_hint(qtbot) -> None:
    seen: list[tuple[str, str, str]] = []
    _close_next_box(seen)
    show_error(None, PackError("The pack was altered.", "Get a fresh copy."))
    assert seen == [("The pack was altered.", "Get a fresh copy.", "")]


def test_an_unexpected_error_is_shown_with_details_and_written_to_the_log(qtbot, tmp_path: Path) -> None:
    old_hook = sys.excepthook
    try:
        install_excepthook(tmp_path / "logs")
        seen: list[tuple[str, str, str]] = []
        _close_next_box(seen)
        try:
            raise ZeroDivisionError("boom")
        except ZeroDivisionError:
            sys.excepthook(*sys.exc_info())
    finally:
        sys.excepthook = old_hook
    assert "did not expect" in seen[0][0] and "ZeroDivisionError: boom" in seen[0][2]
    log = (tmp_path / "logs" / "mcdesk.log").read_text(encoding="utf-8")
    assert "unhandled exception" in log and "ZeroDivisionError: boom" in log


def test_an_error_on_a_worker_thread_is_logged_and_never_opens_a_dialog_there(qtbot, tmp_path: Path) -> None:
    """A dialog made off the GUI thread would hang that thread, and with it the app's exit."""
    import threading

    old_hook = sys.excepthook
    try:
        install_excepthook(tmp_path / "logs")

        def fail() -> None:
            try:
                raise RuntimeError("Signal source has been deleted")
            except RuntimeError:
                sys.excepthook(*sys.exc_info())

        thread = threading.Thread(target=fail)
        thread.start()
        thread.join(30)
        assert not thread.is_alive()
    finally:
        sys.excepthook = old_hook
    assert QApplication.activeModalWidget() is None
    log = (tmp_path / "logs" / "mcdesk.log").read_text(encoding="utf-8")
    assert "unhandled exception" in log and "Signal source has been deleted" in log
