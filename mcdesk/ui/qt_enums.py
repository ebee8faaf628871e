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

PySide6 also makes the types of every subclass of a class when C++ hands Python an object or event whose
real class it must look up among them: ``QAbstractScrollArea.viewport()`` makes some 65 QWidget
subclasses (QCalendarWidget, QColorDialog, QWizard...), and a Python ``changeEvent`` or ``eventFilter``
some 50 QEvent subclasses on its first call, each costing memory for the whole run (about 30 KB a type).
The screens on the way to an open lesson use ``viewport_of`` and ``ChangeWatch`` instead;
``tests/ui/test_start_up.py`` checks that they keep it so.

The first Python event handler that runs (a paintEvent, resizeEvent or showEvent override, an event filter)
also makes QEvent's own type, whose ``Type`` enum has some 180 members: about a millisecond. So nothing on
the picker handles an event in Python before the app is ready: Qt draws its tiles, its layout learns of new
widths through ``setGeometry`` and the picker learns that its tiles are painted through ``initPainter``;
``tests/test_bench_desktop.py`` checks that the start probe never makes QEvent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from PySide6.QtGui import QBrush, QColor, QPalette
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QAbstractScrollArea

VIEWPORT_NAME = "qt_scrollarea_viewport"  # the object name QAbstractScrollArea gives its viewport


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


def viewport_of(area: QAbstractScrollArea) -> QWidget:
    """``area.viewport()``, found by its object name: PySide6 then wraps it as the QWidget it is."""
    found = area.findChild(QWidget, VIEWPORT_NAME)
    return found if found is not None and found.parent() is area else area.viewport()


class ChangeWatch(QWidget):
    """A hidden child that calls ``on_change(event_type)`` when it gets a change event whose
    QEvent.Type is named in ``kinds`` ("LanguageChange" by default), for a widget that would otherwise
    override changeEvent.

    Its parent then needs no Python changeEvent: that would run for each of its change events (its
    parent set when it is added to a stack, its font, its style), and the first would make PySide6
    build the types of every QEvent subclass. Made with its parent, the watch gets no parent change
    event; language and palette changes reach it as they reach every child widget. The kinds are
    names so that the start, which makes one, never builds QEvent itself (over a millisecond)."""

    def __init__(self, parent: QWidget, on_change: Callable[[QEvent.Type], None],
                 kinds: Iterable[str] = ("LanguageChange",)) -> None:
        super().__init__(parent)
        self._on_change = on_change
        self._kinds = frozenset(kinds)
        self.hide()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        kind = event.type()
        if kind.name in self._kinds:
            self._on_change(kind)
        super().changeEvent(event)
