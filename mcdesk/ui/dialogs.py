"""Small dialogs every screen shares: a confirmation whose safe answer is the default, a notice."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget


def confirmation(parent: QWidget, title: str, text: str, informative: str, action: str, *,
                 action_name: str | None = None, keep_name: str | None = None
                 ) -> tuple[QMessageBox, QAbstractButton]:
    """A question box for a destructive ``action``; Cancel is the default and the Escape answer.

    Returns the box and the action's button: after the box closes, the action was chosen when
    ``box.clickedButton() is button``. Callers ``exec()`` it or ``open()`` it and wait for
    ``finished``.
    """
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
    box.setInformativeText(informative)
    go = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
    go.setAccessibleName(action_name or action.replace("&", ""))
    keep = box.addButton(QMessageBox.StandardButton.Cancel)
    if keep_name:
        keep.setAccessibleName(keep_name)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    return box, go


def open_notice(parent: QWidget, title: str, text: str, on_closed: Callable[[], None], *,
                accessible_name: str | None = None) -> QMessageBox:
    """An information box opened window-modal without blocking (``open``); it deletes itself when closed and
    then calls ``on_closed``. Returns the box (tests and callers keep it to see what is shown)."""
    box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, parent)
    if accessible_name:
        box.setAccessibleName(accessible_name)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.finished.connect(lambda _code: on_closed())
    box.open()
    return box
