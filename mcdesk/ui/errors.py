"""One way to show an error to a person, and the last-resort handler that also writes the log."""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from mcdesk.errors import McdeskError

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

log = logging.getLogger("mcdesk")


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    from PySide6.QtWidgets import QMessageBox  # made when an error is shown, not at start

    title = QCoreApplication.translate("errors", "mcdesk")
    if isinstance(exc, McdeskError):
        box = QMessageBox(QMessageBox.Icon.Warning, title, exc.message, parent=parent)
        if exc.hint:
            box.setInformativeText(exc.hint)
    else:
        log.error("unexpected error", exc_info=exc)
        text = QCoreApplication.translate("errors", "Something went wrong that mcdesk did not expect.")
        box = QMessageBox(QMessageBox.Icon.Critical, title, text, parent=parent)
        box.setInformativeText(
            QCoreApplication.translate("errors", "Your work is saved. The details were written to the log folder.")
        )
        box.setDetailedText("".join(traceback.format_exception(exc)))
    box.exec()


def _on_gui_thread() -> bool:
    """Whether this is the thread of a running QApplication (the only one that may show a dialog)."""
    from PySide6.QtCore import QThread

    app = QCoreApplication.instance()
    return app is not None and QThread.currentThread() is app.thread()


def install_excepthook(logs: Path) -> None:
    """Unhandled exceptions go to logs/mcdesk.log and to a dialog, instead of killing the app."""
    logs.mkdir(parents=True, exist_ok=True)
    for old in [h for h in log.handlers if getattr(h, "mcdesk_log", False)]:
        log.removeHandler(old)
        old.close()
    handler = logging.FileHandler(logs / "mcdesk.log", encoding="utf-8", delay=True)  # opened at the first line
    handler.mcdesk_log = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        log.critical("unhandled exception", exc_info=(kind, exc, tb))
        if _on_gui_thread():  # a dialog made on another thread would hang it (and the app's exit)
            show_error(None, exc)

    sys.excepthook = hook
