"""One way to show an error to a person, and the last-resort handler that also writes the log."""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from mcdesk.errors import McdeskError

log = logging.getLogger("mcdesk")


def tr(text: str) -> str:
    return QCoreApplication.translate("mcdesk", text)


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    if isinstance(exc, McdeskError):
        box = QMessageBox(QMessageBox.Icon.Warning, tr("mcdesk"), exc.message, parent=parent)
        if exc.hint:
            box.setInformativeText(exc.hint)
    else:
        log.error("unexpected error", exc_info=exc)
        box = QMessageBox(QMessageBox.Icon.Critical, tr("mcdesk"),
                          tr("Something went wrong that mcdesk did not expect."), parent=parent)
        box.setInformativeText(tr("Your work is saved. The details were written to the log folder."))
        box.setDetailedText("".join(traceback.format_exception(exc)))
    box.exec()


def install_excepthook(logs: Path) -> None:
    """Unhandled exceptions go to logs/mcdesk.log and to a dialog, instead of killing the app."""
    logs.mkdir(parents=True, exist_ok=True)
    for old in [h for h in log.handlers if getattr(h, "mcdesk_log", False)]:
        log.removeHandler(old)
        old.close()
    handler = logging.FileHandler(logs / "mcdesk.log", encoding="utf-8")
    handler.mcdesk_log = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        log.critical("unhandled exception", exc_info=(kind, exc, tb))
        show_error(None, exc)

    sys.excepthook = hook
