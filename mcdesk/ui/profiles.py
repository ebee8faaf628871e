"""Who is at the laptop: the profile picker, the first screen, and drawing a profile's circle. The
dialogs about learners (creating one, PINs, the technician gate and list) are in learner_dialogs.

This module is on the start path: nothing in it touches ``PySide6.QtCore.Qt`` before the picker is
on screen (see mcdesk.ui.qt_enums); handlers that run on input reach it as ``QtCore.Qt``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtCore import QCoreApplication, QObject, QPointF, QRect, QRectF, QSize, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPalette, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLayoutItem,
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
    from PySide6.QtGui import QEnterEvent, QFocusEvent, QKeyEvent
    from PySide6.QtWidgets import QLineEdit

    from mcdesk.ui.learner_dialogs import CreateLearnerDialog, PinDialog

FILTER_AFTER = 12  # the picker shows a filter box when more learners than this have profiles
PAINT_WAIT_MS = 1000  # learners_shown comes at the latest this long after they were loaded
TILE = QSize(150, 150)
AVATAR = 76  # the circle on a tile, in pixels
CAPTION_MARGIN = 9  # between a tile's edge and its name


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


def avatar_pixmap(name: str, colour: str, picture: str | None, size: int, ratio: float = 1.0, *,
                  locked_badge: bool = False) -> QPixmap:
    pixmap = QPixmap(int(size * ratio), int(size * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pixmap)
    paint_avatar(painter, QRectF(1, 1, size - 2, size - 2), name, colour, picture, locked_badge=locked_badge)
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
    from PySide6.QtGui import QTextLayout  # its types only once a name is too long to show whole

    bounds = QTextLayout(text)
    end = sum(2 if ord(char) > 0xFFFF else 1 for char in text)
    while end > 0:
        end = bounds.previousCursorPosition(end)
        shorter = _utf16_slice(text, 0, end).rstrip() + "…"
        if metrics.horizontalAdvance(shorter) <= width:
            return shorter
    return "…"


def name_lines(metrics: QFontMetricsF, name: str, width: float) -> list[str]:
    """``name`` in at most two lines of ``width``, broken after a space or a hyphen; a line that does not
    fit ends with an ellipsis."""
    whole = " ".join(name.split())
    if metrics.horizontalAdvance(whole) <= width:
        return [whole]
    pieces: list[str] = []  # each ends where a line may break
    piece = ""
    for char in whole:
        piece += char
        if char in " -":
            pieces.append(piece)
            piece = ""
    if piece:
        pieces.append(piece)
    first, used = pieces[0], 1
    while used < len(pieces) and metrics.horizontalAdvance((first + pieces[used]).rstrip()) <= width:
        first, used = first + pieces[used], used + 1
    rest = "".join(pieces[used:]).strip()
    lines = [_elided(metrics, first.rstrip(), width)]
    return [*lines, _elided(metrics, rest, width)] if rest else lines


def _alive(obj: QObject) -> bool:
    """A worker result can arrive after its widget was closed and deleted."""
    return isValid(obj)


# --- the picker ----------------------------------------------------------------------------------


class ProfileButton(QPushButton):
    """One learner on the picker: their circle above their name, large enough for a finger.

    Qt draws it (a push button holding two labels), with no Python paintEvent: the picker is painted
    before the app is ready, and a Python event handler's first call makes PySide6 build QEvent's types
    (see mcdesk.ui.qt_enums). ``on_paint``, when set, is called once as Qt next starts painting it."""

    arrow = Signal(int)  # a Qt.Key the picker turns into a move between profiles
    focused = Signal()
    unfocused = Signal()

    def __init__(self, learner: Learner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.learner = learner
        self.on_paint: Callable[[], None] | None = None
        self._cursor_set = False
        set_enum_property(self, "focusPolicy", "StrongFocus")
        self.setFixedSize(TILE)
        self.setAccessibleName(learner.name)
        self.setAccessibleDescription(self.tr("Protected by a PIN") if learner.has_pin else self.tr("No PIN"))
        self.setToolTip(learner.name)
        self.avatar = QLabel(self)
        self.avatar.setFixedHeight(AVATAR)
        self.avatar.setPixmap(avatar_pixmap(learner.name, learner.colour, learner.picture, AVATAR,
                                            self.devicePixelRatioF(), locked_badge=learner.has_pin))
        set_enum_property(self.avatar, "alignment", "AlignCenter")
        self.caption = QLabel(self)
        set_enum_property(self.caption, "textFormat", "PlainText")
        set_enum_property(self.caption, "alignment", "AlignHCenter|AlignTop")
        font = QFont(self.caption.font())
        font.setPointSizeF(max(font.pointSizeF(), 10.5))
        font.setBold(True)
        self.caption.setFont(font)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(CAPTION_MARGIN, 12, CAPTION_MARGIN, 6)
        layout.setSpacing(6)
        layout.addWidget(self.avatar)
        layout.addWidget(self.caption, 1)
        width = TILE.width() - 2 * CAPTION_MARGIN
        self.caption.setText("\n".join(name_lines(QFontMetricsF(font), learner.name, width)))

    def initPainter(self, painter: QPainter) -> None:  # noqa: N802 - Qt's name
        super().initPainter(painter)
        if self.on_paint is not None:
            callback, self.on_paint = self.on_paint, None
            callback()

    def enterEvent(self, event: QEnterEvent) -> None:  # noqa: N802 - Qt's name
        if not self._cursor_set:  # a pointing hand over a profile, set on first use (see qt_enums)
            self.setCursor(QtCore.Qt.CursorShape.PointingHandCursor)
            self._cursor_set = True
        super().enterEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt's name
        super().focusInEvent(event)
        self.focused.emit()

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt's name
        super().focusOutEvent(event)
        self.unfocused.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        key, keys = event.key(), QtCore.Qt.Key
        if key in (keys.Key_Return, keys.Key_Enter):
            self.click()
        elif key in (keys.Key_Left, keys.Key_Right, keys.Key_Up, keys.Key_Down, keys.Key_Home, keys.Key_End):
            self.arrow.emit(key)
        else:
            super().keyPressEvent(event)


class _TileFlow(QLayout):
    """The tiles in as many centred columns as the width Qt gives them holds (at least one), row by row
    from the top; hidden tiles take no place. Its minimum is one tile, so the scroll area keeps the tiles
    as wide as its viewport and never scrolls sideways. Being the layout, it hears of every new width
    through setGeometry, where a Python resizeEvent would make PySide6 build QEvent's types while the
    picker is first shown (mcdesk.ui.qt_enums)."""

    def __init__(self, parent: QWidget, laid_out: Callable[[], None]) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._laid_out = laid_out  # called after each pass, the tiles in their places
        self.columns = 1  # as laid out last

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 - Qt's name
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt's name
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt's name
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def _shown(self) -> list[QLayoutItem]:
        return [item for item in self._items if not item.isEmpty()]

    def _columns_for(self, width: int) -> int:
        margins = self.contentsMargins()
        room = width - margins.left() - margins.right() + self.spacing()
        return max(1, room // (TILE.width() + self.spacing()))

    def _height_of(self, rows: int) -> int:
        margins = self.contentsMargins()
        return margins.top() + margins.bottom() + (rows * TILE.height() + (rows - 1) * self.spacing() if rows else 0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt's name
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt's name
        return self._height_of(-(-len(self._shown()) // self._columns_for(width)))

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        shown = len(self._shown())
        columns = max(1, min(shown, 4))
        margins = self.contentsMargins()
        width = margins.left() + margins.right() + columns * TILE.width() + (columns - 1) * self.spacing()
        return QSize(width, self._height_of(-(-shown // columns)))

    def minimumSize(self) -> QSize:  # noqa: N802 - Qt's name
        margins = self.contentsMargins()
        return QSize(margins.left() + margins.right() + TILE.width(), self._height_of(1 if self._shown() else 0))

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 - Qt's name
        super().setGeometry(rect)
        shown = self._shown()
        columns = self._columns_for(rect.width())
        step_x, step_y = TILE.width() + self.spacing(), TILE.height() + self.spacing()
        margins = self.contentsMargins()
        used = min(columns, max(1, len(shown))) * step_x - self.spacing()
        left = rect.x() + margins.left() + max(0, (rect.width() - margins.left() - margins.right() - used) // 2)
        top = rect.y() + margins.top()
        for index, item in enumerate(shown):
            row, column = divmod(index, columns)
            item.setGeometry(QRect(left + column * step_x, top + row * step_y, TILE.width(), TILE.height()))
        self.columns = columns
        self._laid_out()


class _FocusRing(QFrame):
    """A thick ring in the highlight colour around the profile that has the keyboard focus, clearer than
    the style's own thin one for people who find their way with the keyboard. Made the first time a
    profile takes the focus (it uses the Qt namespace, so never before the picker is on screen); clicks
    go through it to the profile."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        set_enum_property(self, "frameShape", "Box")
        set_enum_property(self, "frameShadow", "Plain")
        self.setLineWidth(3)
        self.setForegroundRole(QPalette.ColorRole.Highlight)
        self.setAttribute(QtCore.Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.hide()


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

        # The tiles sit at the top, centred, in as many columns as fit (see _TileFlow).
        self.tiles = QWidget()
        self.flow = _TileFlow(self.tiles, self._place_ring)
        self._ring: _FocusRing | None = None
        self._ring_on: ProfileButton | None = None  # the profile with the keyboard focus
        self.flow.setSpacing(12)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.tiles)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        set_enum_property(self.scroll, "horizontalScrollBarPolicy", "ScrollBarAlwaysOff")

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
            self.flow.removeWidget(button)
            button.deleteLater()
        self.learners = learners
        self.buttons = {}
        for learner in learners:
            button = ProfileButton(learner, self.tiles)
            button.clicked.connect(lambda _checked=False, lid=learner.id: self.choose(lid))
            button.arrow.connect(lambda key, b=button: self._move(b, key))
            button.focused.connect(lambda b=button: self._tile_focused(b))
            button.unfocused.connect(lambda b=button: self._tile_unfocused(b))
            self.flow.addWidget(button)
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
        if self.isVisible() and self._visible:
            # Announced once Qt starts painting them (a window the system never exposes, minimised or on
            # another desktop, is never painted: then PAINT_WAIT_MS later).
            self._awaiting_paint = True
            for button in self._visible:
                button.on_paint = self._tiles_painted
            QTimer.singleShot(PAINT_WAIT_MS, self._tiles_painted)
        else:
            QTimer.singleShot(0, self._announce)  # nothing to paint: shown as far as anyone can see

    def _tiles_painted(self) -> None:
        if self._awaiting_paint and _alive(self):
            self._awaiting_paint = False
            for button in self.buttons.values():
                button.on_paint = None
            QTimer.singleShot(0, self._announce)  # after this paint, which draws the other tiles too

    def _announce(self) -> None:
        if _alive(self):
            self.shown_once = True
            self.learners_shown.emit()

    # layout

    @property
    def columns(self) -> int:
        """How many tiles a row holds now."""
        return self.flow.columns

    def _apply_filter(self) -> None:
        box = self._filter
        wanted = box.text().strip().casefold() if box is not None and box.isVisible() else ""
        self._visible = [b for b in self.buttons.values() if wanted in b.learner.name.casefold()]
        for button in self.buttons.values():
            button.setVisible(button in self._visible)
        chain: list[QWidget] = [*([self._filter] if self._filter is not None else []), *self._visible,
                                self.new_button]
        for previous, following in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(previous, following)

    def _tile_focused(self, button: ProfileButton) -> None:
        self.scroll.ensureWidgetVisible(button, 12, 12)
        self._ring_on = button
        self._place_ring()

    def _tile_unfocused(self, button: ProfileButton) -> None:
        if self._ring_on is button:
            self._ring_on = None
            self._place_ring()

    def _place_ring(self) -> None:
        """Put the focus ring around the profile with the focus (after a move, a new layout, a filter), or
        hide it when none has it."""
        target = self._ring_on
        if target is None or not _alive(target) or not target.isVisible():
            if self._ring is not None:
                self._ring.hide()
            return
        if self._ring is None:
            self._ring = _FocusRing(self.tiles)
        margin = 2  # just outside the button's own edge
        self._ring.setGeometry(target.geometry().adjusted(-margin, -margin, margin, margin))
        self._ring.raise_()
        self._ring.show()

    def _move(self, button: ProfileButton, key: int) -> None:
        if button not in self._visible:
            return
        keys = QtCore.Qt.Key
        index = self._visible.index(button)
        columns = self.columns
        step = {keys.Key_Left: -1, keys.Key_Right: 1, keys.Key_Up: -columns, keys.Key_Down: columns}
        if key == keys.Key_Home:
            target = 0
        elif key == keys.Key_End:
            target = len(self._visible) - 1
        else:
            target = index + step[keys(key)]
        if 0 <= target < len(self._visible):
            self._visible[target].setFocus(QtCore.Qt.FocusReason.TabFocusReason)

    def focus_first(self) -> None:
        """Give the first profile the keyboard focus, unless a profile or the filter has it (the window
        calls this when it shows the picker)."""
        typing = self._filter is not None and self._filter.hasFocus()
        if _alive(self) and self._visible and self.isVisible() and not typing \
                and not any(b.hasFocus() for b in self._visible):
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
