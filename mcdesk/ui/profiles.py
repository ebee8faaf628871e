"""Who is at the laptop: the profile picker, creating a profile, the PIN and technician-passphrase
dialogs with their lock-out countdown, and the technician's list of learners."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QObject,
    QPointF,
    QRectF,
    QRegularExpression,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QIcon,
    QKeyEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPixmap,
    QPolygonF,
    QRegularExpressionValidator,
    QTextLayout,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from mcdesk.errors import McdeskError
from mcdesk.learning.learners import (
    AVATARS,
    NAME_MAX,
    PASSPHRASE_MIN,
    PIN_RE,
    Learner,
    LockedOut,
    WrongPin,
    check_pin,
    check_technician_passphrase,
    create_learner,
    has_technician_passphrase,
    list_learners,
    remove_learner,
    set_technician_passphrase,
    technician_reset_pin,
    touch,
    update_learner,
)
from mcdesk.ui.context import LEARNERS, SETTINGS, Context
from mcdesk.ui.dialogs import confirmation
from mcdesk.ui.errors import show_error

FILTER_AFTER = 12  # the picker shows a filter box when more learners than this have profiles
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
    """A filled circle in the profile colour with the picture, or the initials, in a readable colour."""
    background = QColor(colour)
    foreground = foreground_for(background)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(background)
    painter.drawEllipse(rect)
    inner = rect.adjusted(rect.width() * 0.2, rect.height() * 0.2, -rect.width() * 0.2, -rect.height() * 0.2)
    if picture:
        fill, cut = _shape(picture)
        painter.save()
        painter.translate(inner.topLeft())
        painter.scale(inner.width(), inner.height())
        painter.setBrush(foreground)
        painter.drawPath(fill)
        painter.setBrush(background)
        painter.drawPath(cut)
        painter.restore()
    else:
        font = QFont(painter.font())
        font.setBold(True)
        font.setPixelSize(max(6, int(rect.height() * 0.36)))
        painter.setFont(font)
        painter.setPen(foreground)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, initials(name))
    if locked_badge:
        size = rect.width() * 0.3
        badge = QRectF(rect.right() - size, rect.bottom() - size, size, size)
        painter.setPen(QPen(QColor("#ffffff"), max(1.0, size * 0.08)))
        painter.setBrush(QColor("#263238"))
        painter.drawEllipse(badge)
        body = QRectF(badge.x() + size * 0.3, badge.y() + size * 0.46, size * 0.4, size * 0.3)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#ffffff"))
        painter.drawRect(body)
        painter.setPen(QPen(QColor("#ffffff"), max(1.0, size * 0.08)))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawArc(QRectF(body.x() + size * 0.06, badge.y() + size * 0.22, size * 0.28, size * 0.4), 0, 180 * 16)
    painter.restore()


def avatar_pixmap(name: str, colour: str, picture: str | None, size: int, ratio: float = 1.0) -> QPixmap:
    pixmap = QPixmap(int(size * ratio), int(size * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    paint_avatar(painter, QRectF(1, 1, size - 2, size - 2), name, colour, picture)
    painter.end()
    return pixmap


def avatar_icon(name: str, colour: str, picture: str | None, size: int = 48) -> QIcon:
    return QIcon(avatar_pixmap(name, colour, picture, size, 2.0))


def _remaining_text(left: timedelta) -> str:
    seconds = max(0, math.ceil(left.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _alive(obj: QObject) -> bool:
    """A worker result can arrive after its widget was closed and deleted."""
    return isValid(obj)


def _error_text(exc: McdeskError) -> str:
    return f"{exc.message} {exc.hint}".strip()


class _Countdown(QObject):
    """Counts down to the end of a lock-out once per second, only while its dialog is visible."""

    def __init__(self, owner: QWidget, tick: Callable[[timedelta | None], None]) -> None:
        super().__init__(owner)
        self.owner = owner
        self.until: datetime | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self.update)
        self._tick = tick
        owner.installEventFilter(self)

    def start(self, until: datetime) -> None:
        self.until = until
        self.update()

    def locked(self) -> bool:
        return self.until is not None

    def update(self) -> None:
        if self.until is None:
            return
        left = self.until - datetime.now(UTC)
        if left.total_seconds() <= 0:
            self.until = None
            self.timer.stop()
            self._tick(None)
            return
        if self.owner.isVisible() and not self.timer.isActive():
            self.timer.start()
        self._tick(left)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.owner:
            if event.type() == QEvent.Type.Show and self.until is not None:
                self.update()
            elif event.type() == QEvent.Type.Hide:
                self.timer.stop()
        return False


def _secret_field(name: str, *, digits: bool = False) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(name)
    if digits:
        field.setMaxLength(8)
        field.setValidator(QRegularExpressionValidator(QRegularExpression("[0-9]{0,8}"), field))
        field.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly | Qt.InputMethodHint.ImhSensitiveData
                                  | Qt.InputMethodHint.ImhNoPredictiveText)
    return field


def _message_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setAccessibleName(QCoreApplication.translate("Profiles", "Message"))
    label.hide()
    return label


def _fit(window: QWidget) -> None:
    """Grow a dialog when a word-wrapped label got longer (top-level windows do not by themselves)."""
    if not window.isWindow():
        return
    layout = window.layout()
    if layout is None:
        return
    layout.activate()
    width = max(window.width(), window.minimumSizeHint().width())
    height = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else layout.totalSizeHint().height()
    if height > window.height():
        window.resize(width, height)


def _say(label: QLabel, text: str, *, error: bool = True) -> None:
    font = QFont(label.font())
    font.setBold(error)  # the words say what happened; bold only draws the eye (no colour-only cue)
    label.setFont(font)
    label.setText(text)
    label.setVisible(bool(text))
    if text and isinstance(label.window(), QDialog):
        _fit(label.window())


# --- the picker ----------------------------------------------------------------------------------


class ProfileButton(QAbstractButton):
    """One learner on the picker: their circle and name, large enough for a finger."""

    arrow = Signal(int)  # a Qt.Key the picker turns into a move between profiles

    def __init__(self, learner: Learner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.learner = learner
        self.setText(learner.name)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFixedSize(TILE)
        self.setAttribute(Qt.WidgetAttribute.WA_Hover)
        self.setAccessibleName(learner.name)
        self.setAccessibleDescription(self.tr("Protected by a PIN") if learner.has_pin else self.tr("No PIN"))
        self.setToolTip(learner.name)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return TILE

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.click()
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Home,
                     Qt.Key.Key_End):
            self.arrow.emit(key)
        else:
            super().keyPressEvent(event)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        box = QRectF(self.rect()).adjusted(3, 3, -3, -3)
        hovered = self.underMouse()
        fill = palette.highlight().color() if self.isDown() else palette.base().color()
        if hovered and not self.isDown():
            fill = palette.alternateBase().color()
        painter.setBrush(fill)
        focus = self.hasFocus()
        pen = QPen(palette.highlight().color(), 3) if focus else QPen(palette.mid().color(), 1)
        painter.setPen(pen)
        painter.drawRoundedRect(box, 10, 10)
        size = 76.0
        circle = QRectF(box.center().x() - size / 2, box.top() + 10, size, size)
        paint_avatar(painter, circle, self.learner.name, self.learner.colour, self.learner.picture,
                     locked_badge=self.learner.has_pin)
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF(), 10.5))
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(palette.highlightedText().color() if self.isDown() else palette.text().color())
        text_rect = QRectF(box.left() + 6, circle.bottom() + 6, box.width() - 12, box.bottom() - circle.bottom() - 8)
        self._draw_name(painter, font, text_rect)

    def _draw_name(self, painter: QPainter, font: QFont, rect: QRectF) -> None:
        """At most two centred lines; a longer name ends with an ellipsis."""
        metrics = QFontMetricsF(font)
        layout = QTextLayout(self.learner.name, font)
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
            text = self.learner.name[line.textStart():line.textStart() + line.textLength()].strip()
            if i == len(lines) - 1:
                rest = self.learner.name[line.textStart():].strip()
                text = metrics.elidedText(rest, Qt.TextElideMode.ElideRight, rect.width())
            painter.drawText(QRectF(rect.left(), top, rect.width(), line.height()),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, text)
            top += line.height()


class ProfilePicker(QWidget):
    """The start screen: one big button per learner, a "New learner" button, and a filter once many
    learners share the laptop. ``learner_chosen`` is emitted only after the learner's PIN, if they
    have one, has been checked; a newly created learner is chosen straight away."""

    learner_chosen = Signal(int)

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.learners: list[Learner] = []
        self.buttons: dict[int, ProfileButton] = {}
        self.pin_dialog: PinDialog | None = None
        self.create_dialog: CreateLearnerDialog | None = None
        self._visible: list[ProfileButton] = []
        self._columns = 1

        title = QLabel(self.tr("Who is learning?"))
        title.setWordWrap(True)
        heading = QFont(title.font())
        heading.setPointSizeF(heading.pointSizeF() * 1.8)
        heading.setBold(True)
        title.setFont(heading)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint = QLabel(self.tr("Choose your name. If your profile has a PIN, you will be asked for it."))
        self.hint.setWordWrap(True)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.filter = QLineEdit()
        self.filter.setPlaceholderText(self.tr("Find your name"))
        self.filter.setAccessibleName(self.tr("Find a learner by name"))
        self.filter.setClearButtonEnabled(True)
        self.filter.setMaximumWidth(420)
        self.filter.textChanged.connect(self._apply_filter)
        self.filter.hide()

        self.empty = QLabel(self.tr("Nobody has a profile on this laptop yet. Create one to start."))
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.hide()

        self.tiles = QWidget()
        self.grid = QGridLayout(self.tiles)
        self.grid.setSpacing(12)
        self.grid.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.tiles)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.viewport().installEventFilter(self)

        self.new_button = QPushButton(self.tr("+ New learner"))
        self.new_button.setAccessibleName(self.tr("Create a new learner profile"))
        self.new_button.setMinimumHeight(44)
        self.new_button.clicked.connect(self.open_create_dialog)

        top = QHBoxLayout()
        top.addStretch(1)
        top.addWidget(self.filter, 3)
        top.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.new_button)
        bottom.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.hint)
        layout.addLayout(top)
        layout.addWidget(self.empty)
        layout.addWidget(self.scroll, 1)
        layout.addLayout(bottom)

        ctx.bus.changed.connect(self._bus_changed)
        self.refresh()

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
            button.installEventFilter(self)
            self.buttons[learner.id] = button
        many = len(learners) > FILTER_AFTER
        self.filter.setVisible(many)
        if not many:
            self.filter.clear()
        self.empty.setVisible(not learners)
        self._apply_filter()
        if focused in self.buttons:
            self.buttons[focused].setFocus()

    # layout

    def _apply_filter(self) -> None:
        wanted = self.filter.text().strip().casefold() if self.filter.isVisible() else ""
        self._visible = [b for b in self.buttons.values() if wanted in b.learner.name.casefold()]
        for button in self.buttons.values():
            button.setVisible(button in self._visible)
        self._relayout(force=True)

    def _relayout(self, force: bool = False) -> None:
        width = self.scroll.viewport().width()
        spacing = self.grid.spacing()
        margins = self.grid.contentsMargins()
        columns = max(1, (width - margins.left() - margins.right() + spacing) // (TILE.width() + spacing))
        if not force and columns == self._columns:
            return
        self._columns = columns
        for button in self.buttons.values():
            self.grid.removeWidget(button)
        for index, button in enumerate(self._visible):
            self.grid.addWidget(button, index // columns, index % columns)
        previous: QWidget = self.filter
        for button in self._visible:
            QWidget.setTabOrder(previous, button)
            previous = button
        QWidget.setTabOrder(previous, self.new_button)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.scroll.viewport() and event.type() == QEvent.Type.Resize:
            self._relayout()
        elif isinstance(watched, ProfileButton) and event.type() == QEvent.Type.FocusIn:
            self.scroll.ensureWidgetVisible(watched, 12, 12)
        return False

    def _move(self, button: ProfileButton, key: int) -> None:
        if button not in self._visible:
            return
        index = self._visible.index(button)
        step = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1, Qt.Key.Key_Up: -self._columns,
                Qt.Key.Key_Down: self._columns}
        if key == Qt.Key.Key_Home:
            target = 0
        elif key == Qt.Key.Key_End:
            target = len(self._visible) - 1
        else:
            target = index + step[Qt.Key(key)]
        if 0 <= target < len(self._visible):
            self._visible[target].setFocus(Qt.FocusReason.TabFocusReason)

    def showEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self._relayout(force=True)
        if self._visible and not any(b.hasFocus() for b in self._visible) and not self.filter.hasFocus():
            QTimer.singleShot(0, self._focus_first)

    def _focus_first(self) -> None:
        if _alive(self) and self._visible and self.isVisible():
            self._visible[0].setFocus(Qt.FocusReason.OtherFocusReason)

    # choosing and creating

    def choose(self, learner_id: int) -> None:
        """Open the profile: through the PIN dialog when it has a PIN, else straight away."""
        learner = next((x for x in self.learners if x.id == learner_id), None)
        if learner is None:
            return
        if learner.has_pin:
            dialog = PinDialog(self.ctx, learner, self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.accepted.connect(lambda lid=learner.id: self._enter(lid))
            self.pin_dialog = dialog
            dialog.open()
        else:
            self._enter(learner.id)

    def _enter(self, learner_id: int) -> None:
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
        dialog = CreateLearnerDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.created.connect(self._enter)
        self.create_dialog = dialog
        dialog.open()
        return dialog


# --- creating a profile --------------------------------------------------------------------------


class CreateLearnerDialog(QDialog):
    """Name, colour, picture, an optional PIN (typed twice) and an optional institution id."""

    created = Signal(int)

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("New learner"))
        self.setModal(True)

        self.name = QLineEdit()
        self.name.setMaxLength(NAME_MAX)
        self.name.setAccessibleName(self.tr("Name"))
        self.name.setPlaceholderText(self.tr("The name you want to see"))
        self.name.textChanged.connect(self._refresh_icons)

        self.colours = QButtonGroup(self)
        self.colours.setExclusive(True)
        colour_grid = QGridLayout()
        colour_grid.setSpacing(6)
        for index, (value, _name) in enumerate(PALETTE):
            swatch = QToolButton()
            swatch.setCheckable(True)
            swatch.setIcon(avatar_icon("", value, None, 28))
            swatch.setIconSize(QSize(28, 28))
            swatch.setAutoRaise(True)
            swatch.setProperty("colour", value)
            swatch.setAccessibleName(self.tr("Colour: {0}").format(colour_name(value)))
            swatch.setToolTip(colour_name(value))
            self.colours.addButton(swatch, index)
            colour_grid.addWidget(swatch, index // 6, index % 6)
        self.colours.button(0).setChecked(True)
        self.colours.idToggled.connect(lambda _id, on: on and self._refresh_icons())

        self.pictures = QButtonGroup(self)
        self.pictures.setExclusive(True)
        picture_grid = QGridLayout()
        picture_grid.setSpacing(6)
        options: list[tuple[str | None, str]] = [(None, self.tr("Initials")), *avatar_names().items()]
        for index, (picture, label) in enumerate(options):
            button = QToolButton()
            button.setCheckable(True)
            button.setIconSize(QSize(36, 36))
            button.setAutoRaise(True)
            button.setProperty("picture", picture or "")
            button.setAccessibleName(self.tr("Picture: {0}").format(label))
            button.setToolTip(label)
            self.pictures.addButton(button, index)
            picture_grid.addWidget(button, index // 6, index % 6)
        self.pictures.button(0).setChecked(True)

        self.pin = _secret_field(self.tr("PIN (optional)"), digits=True)
        self.pin.setPlaceholderText(self.tr("4 to 8 digits, or leave empty"))
        self.pin_again = _secret_field(self.tr("Repeat the PIN"), digits=True)
        self.institution = QLineEdit()
        self.institution.setAccessibleName(self.tr("Institution id (optional)"))
        self.institution.setPlaceholderText(self.tr("Optional: your student or staff number"))
        self.institution.setMaxLength(100)

        pin_note = QLabel(self.tr("A PIN keeps your answers and progress private on a shared laptop."))
        pin_note.setWordWrap(True)
        self.message = _message_label()

        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(self.tr("&Name:"), self.name)
        form.addRow(self.tr("Colour:"), colour_grid)
        form.addRow(self.tr("Picture:"), picture_grid)
        form.addRow(pin_note)
        form.addRow(self.tr("&PIN:"), self.pin)
        form.addRow(self.tr("&Repeat PIN:"), self.pin_again)
        form.addRow(self.tr("&Institution id:"), self.institution)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.create_button = self.buttons.addButton(self.tr("Create profile"),
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.create_button.setAccessibleName(self.tr("Create profile"))
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName(self.tr("Cancel"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.create_button.setDefault(True)  # only once the box is inside the dialog
        self._refresh_icons()

    def chosen_colour(self) -> str:
        return str(self.colours.checkedButton().property("colour"))

    def chosen_picture(self) -> str | None:
        return str(self.pictures.checkedButton().property("picture")) or None

    def _refresh_icons(self) -> None:
        colour = self.chosen_colour()
        name = self.name.text() or "?"
        for button in self.pictures.buttons():
            button.setIcon(avatar_icon(name, colour, str(button.property("picture")) or None, 36))

    def submit(self) -> None:
        name = self.name.text().strip()
        pin, again = self.pin.text(), self.pin_again.text()
        if not name:
            _say(self.message, self.tr("Type a name for the profile."))
            self.name.setFocus()
            return
        if pin and not PIN_RE.fullmatch(pin):
            _say(self.message, self.tr("A PIN is 4 to 8 digits."))
            self.pin.setFocus()
            return
        if pin != again:
            _say(self.message, self.tr("The two PINs are not the same. Type the PIN again in both boxes."))
            self.pin_again.clear()
            self.pin_again.setFocus()
            return
        _say(self.message, "")
        colour, picture, institution = self.chosen_colour(), self.chosen_picture(), self.institution.text()
        self.create_button.setEnabled(False)
        store = self.ctx.store
        self.ctx.run(lambda _rep: create_learner(store, name, colour, picture, pin or None, institution or None),
                     on_done=self._created, on_failed=self._failed, changes=(LEARNERS,))

    def _created(self, learner: Learner) -> None:
        if not _alive(self):
            return
        self.created.emit(learner.id)
        self.accept()

    def _failed(self, exc: BaseException, _tb: str) -> None:
        if not _alive(self):
            return
        self.create_button.setEnabled(True)
        if isinstance(exc, McdeskError):
            _say(self.message, _error_text(exc))
        else:
            show_error(self, exc)


# --- the PIN -------------------------------------------------------------------------------------


class PinDialog(QDialog):
    """Asks for a learner's PIN; says how many tries are left and counts down a lock-out."""

    def __init__(self, ctx: Context, learner: Learner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.learner = learner
        self._busy = False
        self.setWindowTitle(self.tr("PIN for {0}").format(learner.name))
        picture = QLabel()
        picture.setPixmap(avatar_pixmap(learner.name, learner.colour, learner.picture, 64, self.devicePixelRatioF()))
        picture.setAccessibleName(learner.name)
        prompt = QLabel(self.tr("{0}, type your PIN.").format(learner.name))
        prompt.setWordWrap(True)
        font = QFont(prompt.font())
        font.setPointSizeF(font.pointSizeF() * 1.2)
        prompt.setFont(font)
        self.pin = _secret_field(self.tr("PIN"), digits=True)
        self.pin.setMinimumHeight(36)
        self.pin.textChanged.connect(self._update_buttons)
        self.message = _message_label()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.open_button = self.buttons.addButton(self.tr("Open"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.open_button.setAccessibleName(self.tr("Open the profile"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName(self.tr("Cancel"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        head = QHBoxLayout()
        head.addWidget(picture, 0, Qt.AlignmentFlag.AlignTop)
        head.addWidget(prompt, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.pin)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.open_button.setDefault(True)  # only once the box is inside the dialog
        self.setMinimumWidth(440)

        self.countdown = _Countdown(self, self._show_lock)
        if learner.is_locked():
            self.countdown.start(learner.locked_until)  # type: ignore[arg-type]
        self._update_buttons()

    def _update_buttons(self) -> None:
        ready = PIN_RE.fullmatch(self.pin.text()) is not None
        self.open_button.setEnabled(ready and not self._busy and not self.countdown.locked())

    def submit(self) -> None:
        if self._busy or self.countdown.locked() or not PIN_RE.fullmatch(self.pin.text()):
            return
        self._busy = True
        self._update_buttons()
        pin, learner_id, store = self.pin.text(), self.learner.id, self.ctx.store
        self.ctx.run(lambda _rep: check_pin(store, learner_id, pin), on_done=self._right, on_failed=self._wrong)

    def _right(self, _result: object) -> None:
        if _alive(self):
            self._busy = False
            self.accept()

    def _wrong(self, exc: BaseException, _tb: str) -> None:
        if not _alive(self):
            return
        self._busy = False
        self.pin.clear()
        if isinstance(exc, LockedOut):
            self.countdown.start(exc.until)
        elif isinstance(exc, WrongPin):
            _say(self.message, self.tr("That PIN is not right. Tries left before a lock-out: %n.", "",
                                       exc.remaining_attempts))
            self.pin.setFocus()
        else:
            show_error(self, exc)
        self._update_buttons()

    def _show_lock(self, left: timedelta | None) -> None:
        if left is None:
            self.pin.setEnabled(True)
            _say(self.message, self.tr("You can try your PIN again now."), error=False)
            self.pin.setFocus()
        else:
            self.pin.setEnabled(False)
            _say(self.message, self.tr("Too many wrong PINs. Try again in {0}. A technician can reset a "
                                       "forgotten PIN.").format(_remaining_text(left)))
        self._update_buttons()


# --- the technician gate -------------------------------------------------------------------------


class TechnicianDialog(QDialog):
    """At first start sets the technician passphrase (typed twice); afterwards asks for it, with the
    same lock-out as PINs. Accepting it turns on ``ctx.technician``."""

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.mode = "loading"  # then "set" or "check"
        self._busy = False
        self.setWindowTitle(self.tr("Technician"))
        self.explain = QLabel(self.tr("Checking this laptop's settings…"))
        self.explain.setWordWrap(True)
        self.passphrase = _secret_field(self.tr("Technician passphrase"))
        self.passphrase.setMinimumHeight(32)
        self.again = _secret_field(self.tr("Repeat the technician passphrase"))
        self.again_label = QLabel(self.tr("Repeat it:"))
        self.again_label.setBuddy(self.again)
        self.passphrase.textChanged.connect(self._update_buttons)
        self.again.textChanged.connect(self._update_buttons)
        self.message = _message_label()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.addButton(self.tr("Continue"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setAccessibleName(self.tr("Continue"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName(self.tr("Cancel"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(self.tr("&Passphrase:"), self.passphrase)
        form.addRow(self.again_label, self.again)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explain)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.ok_button.setDefault(True)  # only once the box is inside the dialog
        self.setMinimumWidth(420)
        self.passphrase.setEnabled(False)
        self.again.hide()
        self.again_label.hide()
        self.countdown = _Countdown(self, self._show_lock)
        self._update_buttons()
        store = ctx.store
        ctx.run(lambda _rep: has_technician_passphrase(store), on_done=self._loaded, on_failed=self._failed)

    def _loaded(self, exists: bool) -> None:
        if not _alive(self):
            return
        self.mode = "check" if exists else "set"
        setting = self.mode == "set"
        self.explain.setText(
            self.tr("This laptop has no technician passphrase yet. Choose one of at least {0} characters: "
                    "it protects resetting PINs, removing learners and installing packs.").format(PASSPHRASE_MIN)
            if setting else self.tr("Type the technician passphrase to open the technician tools."))
        self.again.setVisible(setting)
        self.again_label.setVisible(setting)
        self.passphrase.setEnabled(True)
        self.passphrase.setFocus()
        self._update_buttons()
        _fit(self)

    def _update_buttons(self) -> None:
        text = self.passphrase.text()
        ready = bool(text) if self.mode == "check" else len(text) >= PASSPHRASE_MIN and bool(self.again.text())
        self.ok_button.setEnabled(self.mode != "loading" and ready and not self._busy
                                  and not self.countdown.locked())

    def submit(self) -> None:
        if self.mode == "loading" or self._busy or self.countdown.locked():
            return
        text, store = self.passphrase.text(), self.ctx.store
        if self.mode == "set":
            if len(text) < PASSPHRASE_MIN:
                _say(self.message, self.tr("Use at least {0} characters.").format(PASSPHRASE_MIN))
                return
            if text != self.again.text():
                _say(self.message, self.tr("The two passphrases are not the same. Type it again in both boxes."))
                self.again.clear()
                self.again.setFocus()
                return
            job: Callable[[object], None] = lambda _rep: set_technician_passphrase(store, text)  # noqa: E731
            changes: tuple[str, ...] = (SETTINGS,)
        else:
            if not text:
                return
            job = lambda _rep: check_technician_passphrase(store, text)  # noqa: E731
            changes = ()
        self._busy = True
        self._update_buttons()
        self.ctx.run(job, on_done=self._right, on_failed=self._failed, changes=changes)

    def _right(self, _result: object) -> None:
        if not _alive(self):
            return
        self._busy = False
        self.ctx.technician = True
        self.accept()

    def _failed(self, exc: BaseException, _tb: str) -> None:
        if not _alive(self):
            return
        self._busy = False
        self.passphrase.clear()
        self.again.clear()
        if isinstance(exc, LockedOut):
            self.countdown.start(exc.until)
        elif isinstance(exc, WrongPin):
            _say(self.message, self.tr("That passphrase is not right. Tries left before a lock-out: %n.", "",
                                       exc.remaining_attempts))
            self.passphrase.setFocus()
        elif isinstance(exc, McdeskError):
            _say(self.message, _error_text(exc))
        else:
            show_error(self, exc)
        self._update_buttons()

    def _show_lock(self, left: timedelta | None) -> None:
        if left is None:
            self.passphrase.setEnabled(True)
            _say(self.message, self.tr("You can try the passphrase again now."), error=False)
        else:
            self.passphrase.setEnabled(False)
            _say(self.message, self.tr("Too many wrong tries. Try again in {0}.").format(_remaining_text(left)))
        self._update_buttons()


def ask_technician(parent: QWidget | None, ctx: Context) -> bool:
    """True when technician mode is (now) open: asks for the passphrase, or to set it at first start."""
    if ctx.technician:
        return True
    dialog = TechnicianDialog(ctx, parent)
    try:
        return dialog.exec() == QDialog.DialogCode.Accepted and ctx.technician
    finally:
        dialog.deleteLater()


# --- the technician's list of learners -----------------------------------------------------------


class LearnersAdmin(QWidget):
    """For the technician panel: every learner, with reset PIN, remove (after a confirmation that
    names them) and the institution id. ``learner_removed`` tells the main window who is gone."""

    learner_removed = Signal(int)

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.learners: list[Learner] = []
        title = QLabel(self.tr("Learners on this laptop"))
        font = QFont(title.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.3)
        title.setFont(font)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([self.tr("Name"), self.tr("PIN"), self.tr("Institution id"),
                                              self.tr("Last active")])
        self.table.setAccessibleName(self.tr("Learners on this laptop"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setIconSize(QSize(24, 24))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._selection_changed)

        self.selected_label = QLabel(self.tr("Choose a learner in the list."))
        self.selected_label.setWordWrap(True)
        self.institution = QLineEdit()
        self.institution.setAccessibleName(self.tr("Institution id of the chosen learner"))
        self.institution.setPlaceholderText(self.tr("Student or staff number at the institution"))
        self.institution.setMaxLength(100)
        self.save_button = QPushButton(self.tr("Save institution id"))
        self.save_button.setAccessibleName(self.tr("Save institution id"))
        self.save_button.clicked.connect(self.save_institution_id)
        self.institution.returnPressed.connect(self.save_institution_id)
        self.reset_button = QPushButton(self.tr("Reset PIN…"))
        self.reset_button.setAccessibleName(self.tr("Reset the chosen learner's PIN"))
        self.reset_button.clicked.connect(self.reset_pin)
        self.remove_button = QPushButton(self.tr("Remove learner…"))
        self.remove_button.setAccessibleName(self.tr("Remove the chosen learner"))
        self.remove_button.clicked.connect(self.remove)
        self.status = _message_label()

        id_row = QHBoxLayout()
        id_row.addWidget(QLabel(self.tr("Institution id:")))
        id_row.addWidget(self.institution, 1)
        id_row.addWidget(self.save_button)
        actions = QHBoxLayout()
        actions.addWidget(self.reset_button)
        actions.addWidget(self.remove_button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.selected_label)
        layout.addLayout(id_row)
        layout.addLayout(actions)
        layout.addWidget(self.status)
        self.table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

        ctx.bus.changed.connect(self._bus_changed)
        self._selection_changed()
        self.refresh()

    def refresh(self) -> None:
        self.ctx.run(lambda _rep: list_learners(self.ctx.store), on_done=self._show, on_failed=self._failed)

    def _bus_changed(self, topics: frozenset[str]) -> None:
        if LEARNERS in topics and _alive(self):
            self.refresh()

    def _show(self, learners: list[Learner]) -> None:
        if not _alive(self):
            return
        chosen = self.chosen()
        chosen_id = chosen.id if chosen else None
        self.learners = learners
        self.table.setRowCount(len(learners))
        for row, learner in enumerate(learners):
            name = QTableWidgetItem(avatar_icon(learner.name, learner.colour, learner.picture, 24), learner.name)
            name.setData(Qt.ItemDataRole.UserRole, learner.id)
            pin = QTableWidgetItem(self.tr("Yes") if learner.has_pin else self.tr("No"))
            institution = QTableWidgetItem(learner.institution_id or "")
            last = QTableWidgetItem(learner.last_active_at.astimezone().strftime("%Y-%m-%d %H:%M")
                                    if learner.last_active_at else self.tr("Never"))
            for column, item in enumerate((name, pin, institution, last)):
                self.table.setItem(row, column, item)
        rows = [i for i, x in enumerate(learners) if x.id == chosen_id]
        if rows:
            self.table.selectRow(rows[0])
        else:
            self.table.clearSelection()
        self._selection_changed()

    def chosen(self) -> Learner | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self.learners):
            return None
        return self.learners[rows[0].row()]

    def select(self, learner_id: int) -> None:
        for row, learner in enumerate(self.learners):
            if learner.id == learner_id:
                self.table.selectRow(row)

    def _selection_changed(self) -> None:
        learner = self.chosen()
        for widget in (self.institution, self.save_button, self.reset_button, self.remove_button):
            widget.setEnabled(learner is not None)
        if learner is None:
            self.selected_label.setText(self.tr("Choose a learner in the list."))
            self.institution.clear()
            return
        self.selected_label.setText(self.tr("Chosen: {0}").format(learner.name))
        self.reset_button.setEnabled(learner.has_pin)
        self.institution.setText(learner.institution_id or "")

    def _technician_or_refuse(self) -> bool:
        if self.ctx.technician:
            return True
        _say(self.status, self.tr("Technician mode is closed. Open the technician tools again with the passphrase."))
        return False

    def confirm(self, title: str, text: str, informative: str, action: str) -> bool:
        """A question box whose safe answer (Cancel) is the default."""
        box, go = confirmation(self, title, text, informative, action)
        box.exec()
        return box.clickedButton() is go

    def reset_pin(self) -> None:
        learner = self.chosen()
        if learner is None or not self._technician_or_refuse():
            return
        if not self.confirm(self.tr("Reset PIN"), self.tr("Reset the PIN of {0}?").format(learner.name),
                            self.tr("Their profile will open without a PIN until they set a new one."),
                            self.tr("Reset PIN")):
            return
        name, store = learner.name, self.ctx.store
        self.ctx.run(lambda _rep: technician_reset_pin(store, learner.id),
                     on_done=lambda _r: self._done(self.tr("The PIN of {0} was removed.").format(name)),
                     on_failed=self._failed, changes=(LEARNERS,))

    def remove(self) -> None:
        learner = self.chosen()
        if learner is None or not self._technician_or_refuse():
            return
        if not self.confirm(self.tr("Remove learner"),
                            self.tr("Remove {0} from this laptop?").format(learner.name),
                            self.tr("Their progress, quiz answers and earned credentials on this laptop are "
                                    "deleted too. This cannot be undone."),
                            self.tr("Remove {0}").format(learner.name)):
            return
        learner_id, name, store = learner.id, learner.name, self.ctx.store

        def removed(_result: object) -> None:
            if self.ctx.learner_id == learner_id:
                self.ctx.learner_id = None
            if _alive(self):
                self.learner_removed.emit(learner_id)
                self._done(self.tr("{0} was removed from this laptop.").format(name))

        self.ctx.run(lambda _rep: remove_learner(store, learner_id), on_done=removed, on_failed=self._failed,
                     changes=(LEARNERS,))

    def save_institution_id(self) -> None:
        learner = self.chosen()
        if learner is None or not self._technician_or_refuse():
            return
        value, name, store = self.institution.text(), learner.name, self.ctx.store
        self.ctx.run(lambda _rep: update_learner(store, learner.id, institution_id=value or None),
                     on_done=lambda _r: self._done(self.tr("Institution id of {0} saved.").format(name)),
                     on_failed=self._failed, changes=(LEARNERS,))

    def _done(self, text: str) -> None:
        if _alive(self):
            _say(self.status, text, error=False)

    def _failed(self, exc: BaseException, _tb: str) -> None:
        if not _alive(self):
            return
        if isinstance(exc, McdeskError):
            _say(self.status, _error_text(exc))
        else:
            show_error(self, exc)


__all__ = [
    "PALETTE", "CreateLearnerDialog", "LearnersAdmin", "PinDialog", "ProfileButton", "ProfilePicker",
    "TechnicianDialog", "ask_technician", "avatar_icon", "avatar_pixmap", "paint_avatar",
]
