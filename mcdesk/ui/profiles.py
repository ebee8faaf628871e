"""Who is at the laptop: the profile picker, the first screen, and drawing a profile's circle. The
dialogs about learners (creating one, PINs, the technician gate and list) are in learner_dialogs.

This module is on the start path: nothing in it touches ``PySide6.QtCore.Qt`` before the picker is
on screen (see mcdesk.ui.qt_enums); handlers that run on input reach it as ``QtCore.Qt``.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtCore import QCoreApplication, QObject, QPointF, QRectF, QSize, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPixmap,
    QPolygonF,
    QTextLayout,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from mcdesk.learning.roster import AVATARS, Learner, list_learners
from mcdesk.ui.context import LEARNERS, Context
from mcdesk.ui.errors import show_error
from mcdesk.ui.qt_enums import set_enum_property, solid_brush

if TYPE_CHECKING:
    from PySide6.QtGui import QEnterEvent, QFocusEvent, QKeyEvent, QPaintEvent, QResizeEvent, QShowEvent
    from PySide6.QtWidgets import QLineEdit

    from mcdesk.ui.learner_dialogs import CreateLearnerDialog, PinDialog

FILTER_AFTER = 12  # the picker shows a filter box when more learners than this have profiles
PAINT_WAIT_MS = 1000  # learners_shown comes at the latest this long after they were loaded
TILE = QSize(150, 150)


# Colours offered when a profile is created: dark enough for white initials (contrast ≥ 4.5).
PALETTE: tuple[tuple[str, str], ...] = (
    ("#2e7d32", "Green"), ("#1565c0", "Blue"), ("#6a1b9a", "Purple"), ("#c62828", "Red"),
    ("#b33c00", "Orange"), ("#00695c", "Teal"), ("#ad1457", "Pink"), ("#4e342e", "Brown"),
    ("#37474f", "Slate"), ("#283593", "Indigo"), ("#5d6300", "Olive"), ("#00607a", "Sea blue"),
)


def colour_name(hex_colour: str) -> str:
    """The colour's name for people (translated; each string written out so lupdate sees it)."""
    names = {
        "#2e7d32": QCoreApplication.translate("Profiles", "Green"),
        "#1565c0": QCoreApplication.translate("Profiles", "Blue"),
        "#6a1b9a": QCoreApplication.translate("Profiles", "Purple"),
        "#c62828": QCoreApplication.translate("Profiles", "Red"),
        "#b33c00": QCoreApplication.translate("Profiles", "Orange"),
        "#00695c": QCoreApplication.translate("Profiles", "Teal"),
        "#ad1457": QCoreApplication.translate("Profiles", "Pink"),
        "#4e342e": QCoreApplication.translate("Profiles", "Brown"),
        "#37474f": QCoreApplication.translate("Profiles", "Slate"),
        "#283593": QCoreApplication.translate("Profiles", "Indigo"),
        "#5d6300": QCoreApplication.translate("Profiles", "Olive"),
        "#00607a": QCoreApplication.translate("Profiles", "Sea blue"),
    }
    return names.get(hex_colour.lower(), hex_colour)


def avatar_names() -> dict[str, str]:
    """The built-in pictures by id, with their names for people (translated)."""
    names = {
        "sun": QCoreApplication.translate("Profiles", "Sun"),
        "moon": QCoreApplication.translate("Profiles", "Moon"),
        "star": QCoreApplication.translate("Profiles", "Star"),
        "heart": QCoreApplication.translate("Profiles", "Heart"),
        "leaf": QCoreApplication.translate("Profiles", "Leaf"),
        "flower": QCoreApplication.translate("Profiles", "Flower"),
        "drop": QCoreApplication.translate("Profiles", "Drop"),
        "bolt": QCoreApplication.translate("Profiles", "Lightning"),
        "mountain": QCoreApplication.translate("Profiles", "Mountain"),
        "fish": QCoreApplication.translate("Profiles", "Fish"),
    }
    return {key: names.get(key, key) for key in AVATARS}


# --- drawing a profile's circle --------------------------------------------------------------------


def initials(name: str) -> str:
    words = [w for w in name.split() if w]
    if not words:
        return ""
    letters = words[0][0] + (words[1][0] if len(words) > 1 else "")
    return letters.upper()


def foreground_for(background: QColor) -> QColor:
    """White or near-black, whichever reads better on ``background`` (WCAG relative luminance)."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    lum = 0.2126 * channel(background.redF()) + 0.7152 * channel(background.greenF()) + 0.0722 * channel(
        background.blueF())
    return QColor("#ffffff") if (1.05 / (lum + 0.05)) >= 4.5 else QColor("#1a1a1a")


def _shape(picture: str) -> tuple[QPainterPath, QPainterPath]:
    """The avatar drawn in a unit square: (filled in the foreground, cut-outs in the background)."""
    fill, cut = QPainterPath(), QPainterPath()
    if picture == "sun":
        fill.addEllipse(QPointF(0.5, 0.5), 0.2, 0.2)
        for i in range(8):
            a = i * math.pi / 4
            ray = QPainterPath()
            tip, left, right = (QPointF(0.5 + 0.46 * math.cos(a), 0.5 + 0.46 * math.sin(a)),
                                QPointF(0.5 + 0.28 * math.cos(a - 0.22), 0.5 + 0.28 * math.sin(a - 0.22)),
                                QPointF(0.5 + 0.28 * math.cos(a + 0.22), 0.5 + 0.28 * math.sin(a + 0.22)))
            ray.addPolygon(QPolygonF([tip, left, right, tip]))
            fill.addPath(ray)
    elif picture == "moon":
        disc, bite = QPainterPath(), QPainterPath()
        disc.addEllipse(QPointF(0.48, 0.52), 0.36, 0.36)
        bite.addEllipse(QPointF(0.66, 0.38), 0.3, 0.3)
        fill = disc.subtracted(bite)
    elif picture == "star":
        points = []
        for i in range(10):
            r = 0.46 if i % 2 == 0 else 0.19
            a = -math.pi / 2 + i * math.pi / 5
            points.append(QPointF(0.5 + r * math.cos(a), 0.53 + r * math.sin(a)))
        fill.addPolygon(QPolygonF([*points, points[0]]))
    elif picture == "heart":
        fill.moveTo(0.5, 0.86)
        fill.cubicTo(0.1, 0.6, 0.02, 0.3, 0.28, 0.2)
        fill.cubicTo(0.4, 0.16, 0.48, 0.24, 0.5, 0.32)
        fill.cubicTo(0.52, 0.24, 0.6, 0.16, 0.72, 0.2)
        fill.cubicTo(0.98, 0.3, 0.9, 0.6, 0.5, 0.86)
    elif picture == "leaf":
        fill.moveTo(0.18, 0.82)
        fill.cubicTo(0.1, 0.4, 0.4, 0.12, 0.86, 0.14)
        fill.cubicTo(0.88, 0.6, 0.6, 0.9, 0.18, 0.82)
        cut.moveTo(0.22, 0.78)
        cut.lineTo(0.7, 0.3)
        cut.lineTo(0.73, 0.33)
        cut.lineTo(0.25, 0.81)
        cut.closeSubpath()
    elif picture == "flower":
        for i in range(6):
            a = i * math.pi / 3
            fill.addEllipse(QPointF(0.5 + 0.24 * math.cos(a), 0.5 + 0.24 * math.sin(a)), 0.16, 0.16)
        cut.addEllipse(QPointF(0.5, 0.5), 0.11, 0.11)
    elif picture == "drop":
        fill.moveTo(0.5, 0.08)
        fill.cubicTo(0.6, 0.3, 0.8, 0.45, 0.8, 0.62)
        fill.cubicTo(0.8, 0.8, 0.66, 0.92, 0.5, 0.92)
        fill.cubicTo(0.34, 0.92, 0.2, 0.8, 0.2, 0.62)
        fill.cubicTo(0.2, 0.45, 0.4, 0.3, 0.5, 0.08)
    elif picture == "bolt":
        fill.addPolygon(QPolygonF([QPointF(0.6, 0.06), QPointF(0.22, 0.56), QPointF(0.47, 0.56),
                                   QPointF(0.38, 0.94), QPointF(0.78, 0.42), QPointF(0.53, 0.42),
                                   QPointF(0.6, 0.06)]))
    elif picture == "mountain":
        fill.addPolygon(QPolygonF([QPointF(0.04, 0.82), QPointF(0.38, 0.24), QPointF(0.6, 0.6),
                                   QPointF(0.7, 0.44), QPointF(0.96, 0.82), QPointF(0.04, 0.82)]))
        cut.addPolygon(QPolygonF([QPointF(0.38, 0.24), QPointF(0.29, 0.4), QPointF(0.34, 0.37),
                                  QPointF(0.38, 0.42), QPointF(0.42, 0.37), QPointF(0.47, 0.4),
                                  QPointF(0.38, 0.24)]))
    elif picture == "fish":
        fill.addEllipse(QRectF(0.12, 0.28, 0.6, 0.44))
        fill.addPolygon(QPolygonF([QPointF(0.62, 0.5), QPointF(0.94, 0.26), QPointF(0.94, 0.74),
                                   QPointF(0.62, 0.5)]))
        cut.addEllipse(QPointF(0.3, 0.45), 0.05, 0.05)
    return fill, cut


def paint_avatar(painter: QPainter, rect: QRectF, name: str, colour: str, picture: str | None,
                 *, locked_badge: bool = False) -> None:
    """A filled circle in the profile colour with the picture, or the initials, in a readable colour.

    Drawn with fillPath and strokePath only: the picker paints these before it is ready, and
    QPainter.setPen/setBrush or QBrush(colour) would make the Qt namespace (see mcdesk.ui.qt_enums)."""
    background = QColor(colour)
    foreground = foreground_for(background)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    circle = QPainterPath()
    circle.addEllipse(rect)
    painter.fillPath(circle, solid_brush(background))
    inner = rect.adjusted(rect.width() * 0.2, rect.height() * 0.2, -rect.width() * 0.2, -rect.height() * 0.2)
    if picture:
        fill, cut = _shape(picture)
        painter.save()
        painter.translate(inner.topLeft())
        painter.scale(inner.width(), inner.height())
        painter.fillPath(fill, solid_brush(foreground))
        painter.fillPath(cut, solid_brush(background))
        painter.restore()
    else:
        font = QFont(painter.font())
        font.setBold(True)
        font.setPixelSize(max(6, int(rect.height() * 0.36)))
        text = initials(name)
        metrics = QFontMetricsF(font)
        letters = QPainterPath()
        letters.addText(QPointF(rect.center().x() - metrics.horizontalAdvance(text) / 2,
                                rect.center().y() + (metrics.ascent() - metrics.descent()) / 2), font, text)
        painter.fillPath(letters, solid_brush(foreground))
    if locked_badge:
        size = rect.width() * 0.3
        white = QColor("#ffffff")
        outline = QPen()
        outline.setColor(white)
        outline.setWidthF(max(1.0, size * 0.08))
        badge = QPainterPath()
        badge.addEllipse(QRectF(rect.right() - size, rect.bottom() - size, size, size))
        painter.fillPath(badge, solid_brush(QColor("#263238")))
        painter.strokePath(badge, outline)
        left, top = rect.right() - size, rect.bottom() - size
        body = QPainterPath()
        body.addRect(QRectF(left + size * 0.3, top + size * 0.46, size * 0.4, size * 0.3))
        painter.fillPath(body, solid_brush(white))
        shackle = QPainterPath()
        arc = QRectF(left + size * 0.36, top + size * 0.22, size * 0.28, size * 0.4)
        shackle.arcMoveTo(arc, 0)
        shackle.arcTo(arc, 0, 180)
        painter.strokePath(shackle, outline)
    painter.restore()


def avatar_pixmap(name: str, colour: str, picture: str | None, size: int, ratio: float = 1.0) -> QPixmap:
    pixmap = QPixmap(int(size * ratio), int(size * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pixmap)
    paint_avatar(painter, QRectF(1, 1, size - 2, size - 2), name, colour, picture)
    painter.end()
    return pixmap


def _utf16_index(text: str, units: int) -> int:
    """The index in ``text`` of Qt's position ``units``, which counts UTF-16 units (an emoji counts two)."""
    seen = 0
    for index, char in enumerate(text):
        if seen >= units:
            return index
        seen += 2 if ord(char) > 0xFFFF else 1
    return len(text)


def _utf16_slice(text: str, start: int, end: int | None = None) -> str:
    """``text`` between Qt's positions ``start`` and ``end`` (UTF-16 units)."""
    return text[_utf16_index(text, start):None if end is None else _utf16_index(text, end)]


def _elided(metrics: QFontMetricsF, text: str, width: float) -> str:
    """``text``, or as much of it as fits in ``width`` followed by an ellipsis, cut between whole
    characters as a person reads them (what Qt's elide-right does)."""
    if metrics.horizontalAdvance(text) <= width:
        return text
    bounds = QTextLayout(text)
    end = sum(2 if ord(char) > 0xFFFF else 1 for char in text)
    while end > 0:
        end = bounds.previousCursorPosition(end)
        shorter = _utf16_slice(text, 0, end).rstrip() + "…"
        if metrics.horizontalAdvance(shorter) <= width:
            return shorter
    return "…"


def _alive(obj: QObject) -> bool:
    """A worker result can arrive after its widget was closed and deleted."""
    return isValid(obj)


# --- the picker ----------------------------------------------------------------------------------


class ProfileButton(QAbstractButton):
    """One learner on the picker: their circle and name, large enough for a finger."""

    arrow = Signal(int)  # a Qt.Key the picker turns into a move between profiles
    focused = Signal()

    def __init__(self, learner: Learner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.learner = learner
        self._cursor_set = False
        self.setText(learner.name)
        set_enum_property(self, "focusPolicy", "StrongFocus")
        self.setForegroundRole(QPalette.ColorRole.Text)  # the pen a QPainter on it starts with: the name's colour
        self.setFixedSize(TILE)
        self.setAccessibleName(learner.name)
        self.setAccessibleDescription(self.tr("Protected by a PIN") if learner.has_pin else self.tr("No PIN"))
        self.setToolTip(learner.name)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return TILE

    def enterEvent(self, event: QEnterEvent) -> None:  # noqa: N802 - Qt's name
        if not self._cursor_set:  # a pointing hand over a profile, set on first use (see qt_enums)
            self.setCursor(QtCore.Qt.CursorShape.PointingHandCursor)
            self._cursor_set = True
        self.update()  # drawn lighter under the mouse
        super().enterEvent(event)

    def leaveEvent(self, event: QtCore.QEvent) -> None:  # noqa: N802 - Qt's name
        self.update()
        super().leaveEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt's name
        super().focusInEvent(event)
        self.focused.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        key, keys = event.key(), QtCore.Qt.Key
        if key in (keys.Key_Return, keys.Key_Enter):
            self.click()
        elif key in (keys.Key_Left, keys.Key_Right, keys.Key_Up, keys.Key_Down, keys.Key_Home, keys.Key_End):
            self.arrow.emit(key)
        else:
            super().keyPressEvent(event)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        # fillPath/strokePath and the painter's own pen (the Text colour: see __init__), not setPen or
        # setBrush, until someone presses the button: see paint_avatar.
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        down = self.isDown()
        tile = QPainterPath()
        tile.addRoundedRect(QRectF(self.rect()).adjusted(3, 3, -3, -3), 10, 10)
        box = tile.boundingRect()
        if down:
            painter.fillPath(tile, palette.highlight())
        else:
            painter.fillPath(tile, palette.alternateBase() if self.underMouse() else palette.base())
        edge = QPen()
        focus = self.hasFocus()
        edge.setColor(palette.highlight().color() if focus else palette.mid().color())
        edge.setWidthF(3 if focus else 1)
        painter.strokePath(tile, edge)
        size = 76.0
        circle = QRectF(box.center().x() - size / 2, box.top() + 10, size, size)
        paint_avatar(painter, circle, self.learner.name, self.learner.colour, self.learner.picture,
                     locked_badge=self.learner.has_pin)
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF(), 10.5))
        font.setBold(True)
        painter.setFont(font)
        if down:
            painter.setPen(QPen(palette.highlightedText().color()))
        text_rect = QRectF(box.left() + 6, circle.bottom() + 6, box.width() - 12, box.bottom() - circle.bottom() - 8)
        self._draw_name(painter, font, text_rect)

    def _draw_name(self, painter: QPainter, font: QFont, rect: QRectF) -> None:
        """At most two centred lines; a longer name ends with an ellipsis."""
        metrics = QFontMetricsF(font)
        name = self.learner.name
        layout = QTextLayout(name, font)
        layout.beginLayout()
        lines = []
        y = 0.0
        while len(lines) < 2:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(rect.width())
            line.setPosition(QPointF(0, y))
            y += line.height()
            lines.append(line)
        layout.endLayout()
        top = rect.top()
        for i, line in enumerate(lines):
            if i == len(lines) - 1:
                text = _elided(metrics, _utf16_slice(name, line.textStart()).strip(), rect.width())
            else:
                text = _utf16_slice(name, line.textStart(), line.textStart() + line.textLength()).strip()
            left = rect.left() + (rect.width() - metrics.horizontalAdvance(text)) / 2
            painter.drawText(QPointF(left, top + metrics.ascent()), text)
            top += line.height()


class _Viewport(QWidget):
    """The picker's scroll area draws the tiles in this: it says when its width changes, so the picker
    can lay the tiles out in as many columns as fit (without an event filter)."""

    resized = Signal()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self.resized.emit()


class _Tiles(QWidget):
    """Holds the profile buttons; says when it has been painted (its buttons are painted with it)."""

    painted = Signal()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        super().paintEvent(event)
        self.painted.emit()


class ProfilePicker(QWidget):
    """The start screen: one big button per learner, a "New learner" button, and a filter once many
    learners share the laptop. ``learner_chosen`` is emitted only after the learner's PIN, if they
    have one, has been checked; a newly created learner is chosen straight away. ``learners_shown``
    is emitted once the learners of a load are on screen: painted (or PAINT_WAIT_MS later if the window
    is never painted), at once when the picker is hidden."""

    learner_chosen = Signal(int)
    learners_shown = Signal()

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.learners: list[Learner] = []
        self.buttons: dict[int, ProfileButton] = {}
        self.pin_dialog: PinDialog | None = None
        self.create_dialog: CreateLearnerDialog | None = None
        self.shown_once = False  # learners_shown has been emitted at least once
        self._awaiting_paint = False
        self._visible: list[ProfileButton] = []
        self._columns = 1

        title = QLabel(self.tr("Who is learning?"))
        title.setWordWrap(True)
        heading = QFont(title.font())
        heading.setPointSizeF(heading.pointSizeF() * 1.8)
        heading.setBold(True)
        title.setFont(heading)
        set_enum_property(title, "alignment", "AlignCenter")
        self.hint = QLabel(self.tr("Choose your name. If your profile has a PIN, you will be asked for it."))
        self.hint.setWordWrap(True)
        set_enum_property(self.hint, "alignment", "AlignCenter")

        self._filter: QLineEdit | None = None  # made when many learners share the laptop: see filter
        self._empty: QLabel | None = None  # made when nobody has a profile yet: see empty

        # The tiles sit at the top, centred: the grid between stretches (no Qt.AlignmentFlag needed).
        self.tiles = _Tiles()
        self.tiles.painted.connect(self._tiles_painted)
        self.grid = QGridLayout()
        self.grid.setSpacing(12)
        centred = QHBoxLayout()
        centred.setContentsMargins(0, 0, 0, 0)
        centred.addStretch(1)
        centred.addLayout(self.grid)
        centred.addStretch(1)
        self._tiles_layout = QVBoxLayout(self.tiles)
        self._tiles_layout.addLayout(centred)
        self._tiles_layout.addStretch(1)
        self.scroll = QScrollArea()
        self._viewport = _Viewport()
        self.scroll.setViewport(self._viewport)
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.tiles)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        set_enum_property(self.scroll, "horizontalScrollBarPolicy", "ScrollBarAlwaysOff")
        self._viewport.resized.connect(self._relayout)

        self.new_button = QPushButton(self.tr("+ New learner"))
        self.new_button.setAccessibleName(self.tr("Create a new learner profile"))
        self.new_button.setMinimumHeight(44)
        self.new_button.clicked.connect(self.open_create_dialog)

        self._top = top = QHBoxLayout()  # the filter goes between the stretches
        top.addStretch(1)
        top.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.new_button)
        bottom.addStretch(1)
        self._layout = layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.hint)
        layout.addLayout(top)
        layout.addWidget(self.scroll, 1)  # the "nobody yet" message goes above it
        layout.addLayout(bottom)

        ctx.bus.changed.connect(self._bus_changed)
        self.refresh()

    @property
    def filter(self) -> QLineEdit:
        """The box to find a name, shown once more than FILTER_AFTER learners have profiles (made then)."""
        if self._filter is None:
            from PySide6.QtWidgets import QLineEdit  # made only for many learners: its enums stay off the start

            box = QLineEdit()
            box.setPlaceholderText(self.tr("Find your name"))
            box.setAccessibleName(self.tr("Find a learner by name"))
            box.setClearButtonEnabled(True)
            box.setMaximumWidth(420)
            box.hide()
            box.textChanged.connect(self._apply_filter)
            self._top.insertWidget(1, box, 3)
            self._filter = box
        return self._filter

    @property
    def empty(self) -> QLabel:
        """What the picker says when nobody has a profile yet (made then)."""
        if self._empty is None:
            label = QLabel(self.tr("Nobody has a profile on this laptop yet. Create one to start."))
            label.setWordWrap(True)
            set_enum_property(label, "alignment", "AlignCenter")
            label.hide()
            self._layout.insertWidget(self._layout.indexOf(self.scroll), label)
            self._empty = label
        return self._empty

    # data

    def refresh(self) -> None:
        self.ctx.run(lambda _rep: list_learners(self.ctx.store), on_done=self._show,
                     on_failed=self._failed)

    def _bus_changed(self, topics: frozenset[str]) -> None:
        if LEARNERS in topics and _alive(self):
            self.refresh()

    def _failed(self, exc: BaseException, _tb: str) -> None:
        if _alive(self):
            show_error(self, exc)

    def _show(self, learners: list[Learner]) -> None:
        if not _alive(self):
            return
        focused = next((b.learner.id for b in self.buttons.values() if b.hasFocus()), None)
        for button in self.buttons.values():
            self.grid.removeWidget(button)
            button.deleteLater()
        self.learners = learners
        self.buttons = {}
        for learner in learners:
            button = ProfileButton(learner, self.tiles)
            button.clicked.connect(lambda _checked=False, lid=learner.id: self.choose(lid))
            button.arrow.connect(lambda key, b=button: self._move(b, key))
            button.focused.connect(lambda b=button: self.scroll.ensureWidgetVisible(b, 12, 12))
            self.buttons[learner.id] = button
        many = len(learners) > FILTER_AFTER
        if many or self._filter is not None:
            self.filter.setVisible(many)
            if not many:
                self.filter.clear()
        if not learners or self._empty is not None:
            self.empty.setVisible(not learners)
        self._apply_filter()
        if focused in self.buttons:
            self.buttons[focused].setFocus()
        if self.isVisible():
            self._awaiting_paint = True
            self.tiles.update()  # painted even when nothing else changed
            # A window the system never exposes (minimised, on another desktop) is never painted.
            QTimer.singleShot(PAINT_WAIT_MS, self._tiles_painted)
        else:
            QTimer.singleShot(0, self._announce)  # nothing to paint: shown as far as anyone can see

    def _tiles_painted(self) -> None:
        if self._awaiting_paint and _alive(self):
            self._awaiting_paint = False
            QTimer.singleShot(0, self._announce)  # after this paint, which draws the buttons too

    def _announce(self) -> None:
        if _alive(self):
            self.shown_once = True
            self.learners_shown.emit()

    # layout

    def _apply_filter(self) -> None:
        box = self._filter
        wanted = box.text().strip().casefold() if box is not None and box.isVisible() else ""
        self._visible = [b for b in self.buttons.values() if wanted in b.learner.name.casefold()]
        for button in self.buttons.values():
            button.setVisible(button in self._visible)
        self._relayout(force=True)

    def _relayout(self, force: bool = False) -> None:
        width = self._viewport.width()
        spacing = self.grid.spacing()
        margins = self._tiles_layout.contentsMargins()
        columns = max(1, (width - margins.left() - margins.right() + spacing) // (TILE.width() + spacing))
        if not force and columns == self._columns:
            return
        self._columns = columns
        for button in self.buttons.values():
            self.grid.removeWidget(button)
        for index, button in enumerate(self._visible):
            self.grid.addWidget(button, index // columns, index % columns)
        chain: list[QWidget] = [*([self._filter] if self._filter is not None else []), *self._visible,
                                self.new_button]
        for previous, following in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(previous, following)

    def _move(self, button: ProfileButton, key: int) -> None:
        if button not in self._visible:
            return
        keys = QtCore.Qt.Key
        index = self._visible.index(button)
        step = {keys.Key_Left: -1, keys.Key_Right: 1, keys.Key_Up: -self._columns, keys.Key_Down: self._columns}
        if key == keys.Key_Home:
            target = 0
        elif key == keys.Key_End:
            target = len(self._visible) - 1
        else:
            target = index + step[keys(key)]
        if 0 <= target < len(self._visible):
            self._visible[target].setFocus(QtCore.Qt.FocusReason.TabFocusReason)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self._relayout(force=True)
        typing = self._filter is not None and self._filter.hasFocus()
        if self._visible and not any(b.hasFocus() for b in self._visible) and not typing:
            QTimer.singleShot(0, self._focus_first)

    def _focus_first(self) -> None:
        if _alive(self) and self._visible and self.isVisible():
            self._visible[0].setFocus()  # Qt's OtherFocusReason

    # choosing and creating

    def choose(self, learner_id: int) -> None:
        """Open the profile: through the PIN dialog when it has a PIN, else straight away."""
        learner = next((x for x in self.learners if x.id == learner_id), None)
        if learner is None:
            return
        if learner.has_pin:
            from mcdesk.ui.learner_dialogs import PinDialog

            dialog = PinDialog(self.ctx, learner, self)
            dialog.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.accepted.connect(lambda lid=learner.id: self._enter(lid))
            self.pin_dialog = dialog
            dialog.open()
        else:
            self._enter(learner.id)

    def _enter(self, learner_id: int) -> None:
        from mcdesk.learning.learners import touch  # not on the start path (mcdesk.learning.roster is)

        self.ctx.run(lambda _rep: touch(self.ctx.store, learner_id),
                     on_done=lambda _result: self._entered(learner_id), on_failed=self._enter_failed)

    def _entered(self, learner_id: int) -> None:
        if _alive(self):
            self.learner_chosen.emit(learner_id)

    def _enter_failed(self, exc: BaseException, tb: str) -> None:
        self._failed(exc, tb)
        if _alive(self):
            self.refresh()

    def open_create_dialog(self) -> CreateLearnerDialog:
        from mcdesk.ui.learner_dialogs import CreateLearnerDialog

        dialog = CreateLearnerDialog(self.ctx, self)
        dialog.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.created.connect(self._enter)
        self.create_dialog = dialog
        dialog.open()
        return dialog


__all__ = ["PALETTE", "ProfileButton", "ProfilePicker", "avatar_pixmap", "paint_avatar"]
