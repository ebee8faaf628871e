"""The dialogs about learners, made when someone uses them (never at start): creating a profile, the PIN
and technician-passphrase dialogs with their lock-out countdown, and the technician's list of learners."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QRegularExpression, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QIcon, QRegularExpressionValidator
from PySide6.QtWidgets import (
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
    update_learner,
)
from mcdesk.ui.context import LEARNERS, SETTINGS, Context
from mcdesk.ui.dialogs import confirmation
from mcdesk.ui.errors import show_error
from mcdesk.ui.profiles import PALETTE, avatar_names, avatar_pixmap, colour_name


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
        self.title = title = QLabel()
        font = QFont(title.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.3)
        title.setFont(font)
        self.table = QTableWidget(0, 4)
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

        self.selected_label = QLabel()
        self.selected_label.setWordWrap(True)
        self.institution = QLineEdit()
        self.institution.setMaxLength(100)
        self.save_button = QPushButton()
        self.save_button.clicked.connect(self.save_institution_id)
        self.institution.returnPressed.connect(self.save_institution_id)
        self.reset_button = QPushButton()
        self.reset_button.clicked.connect(self.reset_pin)
        self.remove_button = QPushButton()
        self.remove_button.clicked.connect(self.remove)
        self.status = _message_label()

        id_row = QHBoxLayout()
        self.institution_caption = QLabel()
        id_row.addWidget(self.institution_caption)
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
        self.retranslate()
        self.refresh()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Learners"))  # the technician panel's tab title follows it
        self.title.setText(self.tr("Learners on this laptop"))
        self.table.setHorizontalHeaderLabels([self.tr("Name"), self.tr("PIN"), self.tr("Institution id"),
                                              self.tr("Last active")])
        self.table.setAccessibleName(self.tr("Learners on this laptop"))
        self.institution.setAccessibleName(self.tr("Institution id of the chosen learner"))
        self.institution.setPlaceholderText(self.tr("Student or staff number at the institution"))
        self.save_button.setText(self.tr("Save institution id"))
        self.save_button.setAccessibleName(self.tr("Save institution id"))
        self.reset_button.setText(self.tr("Reset PIN…"))
        self.reset_button.setAccessibleName(self.tr("Reset the chosen learner's PIN"))
        self.remove_button.setText(self.tr("Remove learner…"))
        self.remove_button.setAccessibleName(self.tr("Remove the chosen learner"))
        self.institution_caption.setText(self.tr("Institution id:"))
        chosen = self.chosen()
        if chosen is None:
            self._selection_changed()
        else:  # the chosen learner stays chosen; an institution id being typed stays as typed
            self.selected_label.setText(self.tr("Chosen: {0}").format(chosen.name))
        if self.learners:
            self._show(self.learners)

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


__all__ = ["CreateLearnerDialog", "LearnersAdmin", "PinDialog", "TechnicianDialog", "ask_technician", "avatar_icon"]
