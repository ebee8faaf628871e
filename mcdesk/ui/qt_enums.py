"""Qt enums on the start path: setting an enum or flags property by its key names, so the code that runs
before the first window is painted never looks up ``PySide6.QtCore.Qt``.

PySide6 makes the Python enum types of a class the first time the class is used. For the ``Qt``
namespace that is about a hundred enums at once (``Qt.Key`` alone has some 450 members): roughly
10 ms on a lab laptop, a tenth of a bare PySide6 window's whole start. So the modules the start runs
(mcdesk.ui.app's MainWindow, the profile picker, the theme) set the few enum properties they need by
name, as a .ui file or a style sheet's ``qproperty-`` does, and reach ``QtCore.Qt`` only in code that
runs later (input handlers, other screens, dialogs), where making it once costs nothing anyone sees.

Calls with an overload that takes a ``Qt`` enum make it too, while PySide6 picks the overload:
``QBrush(colour)``, ``QPainter.setPen``/``setBrush``, ``QAction.setShortcut``, ``QToolBar.addAction(text)``.
Their stand-ins here are ``solid_brush``, ``QPainter.fillPath``/``strokePath``, ``QAction.setShortcuts``
and ``QToolBar.addAction(QAction)``. ``tests/ui/test_start_up.py`` checks that the start keeps it so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QBrush, QColor, QPalette

if TYPE_CHECKING:
    from PySide6.QtCore import QObject


def set_enum_property(obj: QObject, name: str, keys: str) -> None:
    """Set the Qt property ``name`` of ``obj`` to the enum key or flags ``keys`` ("AlignCenter",
    "AlignTop|AlignHCenter"); ValueError if ``obj`` has no such property or the keys are not its values."""
    if not obj.setProperty(name, keys):
        raise ValueError(f"{type(obj).__name__} has no enum property {name!r} that takes {keys!r}.")


def solid_brush(colour: QColor) -> QBrush:
    """A solid brush of ``colour``, made without ``QBrush(colour)`` (whose overloads take Qt enums)."""
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, colour)
    return palette.window()
