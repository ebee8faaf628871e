"""Small dialogs every screen shares: a confirmation whose safe answer is the default."""

from __future__ import annotations

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
