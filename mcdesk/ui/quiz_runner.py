"""The quiz runner: a start page, one question at a time with a widget per question type, an optional
countdown and a results page. Every answer goes to the core (and SQLite) the moment it is submitted."""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QDateTime, QEvent, QLocale, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeyEvent, QMouseEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from mcdesk.errors import McdeskError
from mcdesk.learning.attempts import (
    AlreadyAnswered,
    AnswerFeedback,
    AnswerRefused,
    Attempt,
    AttemptClosed,
    AttemptResult,
    Blocked,
    ChoiceFeedback,
    QuizBlocked,
    QuizEngine,
    QuizStatus,
    TimeUp,
    feedback_html,
    prepare_feedback,
    quiz_text_html,
)
from mcdesk.packs.quiz import DrawnQuestion
from mcdesk.ui.context import CREDENTIALS, LEARNERS, PACKS, PROGRESS, Context
from mcdesk.ui.errors import show_error

LETTERS = "ABCDEFGHIJ"
CONTENT_WIDTH = 900  # the question column never grows wider than this, so lines stay readable
PAGE_LOADING, PAGE_START, PAGE_QUESTION, PAGE_RESULTS = range(4)


class _WrappingLabel(QLabel):
    """A word-wrapped label that remembers its height at the widths a layout asked for, until its text,
    font, style or margins change.

    QLabel lays its text out again on every heightForWidth, and a layout asks every label on the page
    again whenever anything on it changes: showing the feedback after an answer laid out the prompt,
    every option and each hint once more, all unchanged, on the way to the learner seeing the verdict."""

    _LAYOUT_CHANGES = frozenset({QEvent.Type.FontChange, QEvent.Type.StyleChange,
                                 QEvent.Type.LayoutDirectionChange, QEvent.Type.ContentsRectChange})
    _KEPT = 8  # widths remembered (a window being resized asks for many)

    def __init__(self, text: str = "") -> None:
        super().__init__(text)
        self._heights: dict[int, int] = {}

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt's name
        height = self._heights.get(width)
        if height is None:
            if len(self._heights) >= self._KEPT:
                self._heights.clear()
            height = self._heights[width] = super().heightForWidth(width)
        return height

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        if text != self.text():  # QLabel itself ignores an unchanged text
            self._heights.clear()
        super().setText(text)

    def clear(self) -> None:
        self._heights.clear()
        super().clear()

    def setFont(self, font: QFont) -> None:  # noqa: N802 - Qt's name
        self._heights.clear()
        super().setFont(font)

    def setTextFormat(self, text_format: Qt.TextFormat) -> None:  # noqa: N802 - Qt's name
        self._heights.clear()
        super().setTextFormat(text_format)

    def setWordWrap(self, on: bool) -> None:  # noqa: N802 - Qt's name
        self._heights.clear()
        super().setWordWrap(on)

    def setIndent(self, indent: int) -> None:  # noqa: N802 - Qt's name
        self._heights.clear()
        super().setIndent(indent)

    def setMargin(self, margin: int) -> None:  # noqa: N802 - Qt's name
        self._heights.clear()
        super().setMargin(margin)

    def setContentsMargins(self, *margins: Any) -> None:  # noqa: N802 - Qt's name
        self._heights.clear()
        super().setContentsMargins(*margins)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() in self._LAYOUT_CHANGES:
            self._heights.clear()
        super().changeEvent(event)


def _label(text: str = "", *, rich: bool = False, size: float = 1.0, bold: bool = False) -> QLabel:
    """A word-wrapped label (keep its size policy: word wrap sets the height-for-width flag in it)."""
    label = _WrappingLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    label.setOpenExternalLinks(False)
    if size != 1.0 or bold:
        font = QFont(label.font())
        font.setPointSizeF(font.pointSizeF() * size)
        font.setBold(bold)
        label.setFont(font)
    return label


def _percent(fraction: float) -> str:
    return QLocale().toString(round(fraction * 100))


def _local_time(moment: datetime) -> str:
    when = QDateTime.fromSecsSinceEpoch(int(moment.timestamp())).toLocalTime()
    return QLocale().toString(when, QLocale.FormatType.ShortFormat)


def _clock(seconds: float) -> str:
    whole = max(0, int(seconds + 0.999))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def _true_false(value: bool) -> str:
    if value:
        return QCoreApplication.translate("QuizRunner", "True")
    return QCoreApplication.translate("QuizRunner", "False")


def describe_response(shown: DrawnQuestion, response: Any) -> list[str]:
    """A learner's response in words, one line per chosen option, ordered item or matched pair."""
    question = shown.question
    if question.type in ("single", "multiple"):
        chosen = {response} if isinstance(response, str) else set(response or ())
        by_id = {o.id: o.text for o in question.options}
        return [by_id[oid] for oid in shown.option_order if oid in chosen]
    if question.type == "true_false":
        return [_true_false(response is True)]
    if question.type == "numeric":
        text = str(response).strip()
        return [f"{text} {question.unit}" if question.unit and not text.endswith(question.unit) else text]
    if question.type == "ordering":
        texts = {i.id: i.text for i in question.items}
        return [texts.get(i, "?") for i in response or ()]
    if question.type == "matching":
        rights = {p.id: p.right for p in question.pairs}
        chosen = response if isinstance(response, dict) else {}
        return [f"{p.left} → {rights.get(chosen.get(p.id), '?')}" for p in question.pairs]
    return [str(response)]


def response_html(shown: DrawnQuestion, response: Any) -> str:
    """``describe_response`` as HTML: one line, a numbered list (ordering) or a bulleted list."""
    lines = [html.escape(line) for line in describe_response(shown, response)]
    if shown.question.type == "ordering":
        return "<ol>" + "".join(f"<li>{line}</li>" for line in lines) + "</ol>"
    if len(lines) > 1:
        return "<ul>" + "".join(f"<li>{line}</li>" for line in lines) + "</ul>"
    return f"<p>{lines[0] if lines else ''}</p>"


# --------------------------------------------------------------------------------------------
# One widget per question type
# --------------------------------------------------------------------------------------------


class AnswerWidget(QWidget):
    """Where the learner gives an answer. ``response()`` is None until there is something to send."""

    empty_hint = ""

    def response(self) -> Any:
        raise NotImplementedError

    def pick(self, index: int) -> bool:
        """Choose option ``index`` (from a digit or letter key); False when the type has no options."""
        return False

    def choice_count(self) -> int:
        return 0

    def set_locked(self, locked: bool) -> None:
        """Once answered the controls are disabled, but keep their normal colours so the answer
        given stays easy to read."""
        if locked:
            palette = QPalette(self.palette())
            for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText,
                         QPalette.ColorRole.Base, QPalette.ColorRole.Button, QPalette.ColorRole.Highlight,
                         QPalette.ColorRole.HighlightedText):
                palette.setColor(QPalette.ColorGroup.Disabled, role,
                                 palette.color(QPalette.ColorGroup.Active, role))
            self.setPalette(palette)
        self.setEnabled(not locked)

    def focus_first(self) -> None:
        self.focusNextChild()

    def retranslate(self) -> None:
        """Set the app's own texts (not the quiz author's) in the current language."""

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class _OptionLabel(_WrappingLabel):
    """An option's text beside its button: wraps, and a click on it clicks the button."""

    def __init__(self, text: str, button: QAbstractButton) -> None:
        super().__init__(text)
        self.button = button
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setWordWrap(True)  # after the size policy: word wrap sets its height-for-width flag
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if self.button.isEnabled() and event.button() == Qt.MouseButton.LeftButton:
            self.button.setFocus(Qt.FocusReason.MouseFocusReason)
            self.button.click()
        super().mousePressEvent(event)


class ChoiceAnswer(AnswerWidget):
    """Single choice and true/false (radio buttons) or multiple choice (check boxes), lettered A–J."""

    def __init__(self, choices: Sequence[tuple[Any, str]], *, multiple: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.multiple = multiple
        self.keys = [key for key, _text in choices]
        self.labels: list[_OptionLabel] = []
        self.group = QButtonGroup(self)
        self.group.setExclusive(not multiple)
        self.buttons: list[QAbstractButton] = []
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(10)
        grid.setColumnStretch(1, 1)
        for n, (_key, text) in enumerate(choices):
            letter = LETTERS[n]
            button: QAbstractButton = QCheckBox(letter) if multiple else QRadioButton(letter)
            self.group.addButton(button, n)
            self.buttons.append(button)
            self.labels.append(_OptionLabel(text, button))
            grid.addWidget(button, n, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(self.labels[-1], n, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.empty_hint = (self.tr("Choose one or more options first (press their numbers or letters).")
                           if self.multiple else self.tr("Choose an answer first (press its number or letter)."))
        for n, (key, button, label) in enumerate(zip(self.keys, self.buttons, self.labels, strict=True)):
            if isinstance(key, bool):  # true/false: the option texts are the app's
                label.setText(_true_false(key))
            button.setAccessibleName(self.tr("Option {0}: {1}").format(LETTERS[n], label.text()))

    def response(self) -> Any:
        chosen = [self.keys[n] for n, b in enumerate(self.buttons) if b.isChecked()]
        if self.multiple:
            return chosen or None
        return chosen[0] if chosen else None

    def pick(self, index: int) -> bool:
        if not 0 <= index < len(self.buttons) or not self.isEnabled():
            return False
        button = self.buttons[index]
        button.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if self.multiple:
            button.toggle()
        else:
            button.setChecked(True)
        return True

    def choice_count(self) -> int:
        return len(self.buttons)

    def focus_first(self) -> None:
        checked = next((b for b in self.buttons if b.isChecked()), None)
        (checked or self.buttons[0]).setFocus(Qt.FocusReason.OtherFocusReason)


class TextAnswer(AnswerWidget):
    """A typed answer: short text, or a number (a comma works as the decimal sign)."""

    def __init__(self, *, numeric: bool, unit: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.numeric, self.unit = numeric, unit
        self.edit = QLineEdit()
        self.edit.setMaxLength(500)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        if numeric:
            self.edit.setMaximumWidth(260)
            self.edit.setInputMethodHints(Qt.InputMethodHint.ImhFormattedNumbersOnly)
            if unit:
                row.addWidget(_label(unit))
            row.addStretch(1)
        self.retranslate()

    def retranslate(self) -> None:
        if self.numeric:
            self.empty_hint = self.tr("Type a number first.")
            self.edit.setPlaceholderText(self.tr("A number, like 12 or 2,5"))
            self.edit.setAccessibleName(self.tr("Your answer (a number in {0})").format(self.unit) if self.unit
                                        else self.tr("Your answer (a number)"))
        else:
            self.empty_hint = self.tr("Type your answer first.")
            self.edit.setPlaceholderText(self.tr("Type your answer"))
            self.edit.setAccessibleName(self.tr("Your answer"))

    def response(self) -> Any:
        text = self.edit.text().strip()
        return text or None

    def focus_first(self) -> None:
        self.edit.setFocus(Qt.FocusReason.OtherFocusReason)


class _OrderList(QListWidget):
    """A list as tall as its items, so the page scrolls rather than the list. Alt+Up and Alt+Down
    ask for the selected item to move (``move_requested`` with -1 or +1)."""

    move_requested = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSpacing(4)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def fit(self) -> None:
        """As tall as the laid-out items (wrapped ones take more lines), so nothing is cut off."""
        self.doItemsLayout()
        bottom = max((self.visualItemRect(self.item(row)).bottom() for row in range(self.count())), default=0)
        height = bottom + self.verticalOffset() + 1 + self.spacing() + 2 * self.frameWidth()
        if height != self.height():
            self.setFixedHeight(height)

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        QTimer.singleShot(0, self, self.fit)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if event.modifiers() & Qt.KeyboardModifier.AltModifier and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.move_requested.emit(-1 if event.key() == Qt.Key.Key_Up else 1)
            return
        super().keyPressEvent(event)


class OrderingAnswer(AnswerWidget):
    """Put items in order: Move up / Move down (Alt+Up / Alt+Down), or drag them."""

    def __init__(self, shown: DrawnQuestion, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        texts = {i.id: i.text for i in shown.question.items}
        self.list = _OrderList()
        for item_id in shown.item_order:
            item = QListWidgetItem(texts[item_id])
            item.setData(Qt.ItemDataRole.UserRole, item_id)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.up = QPushButton()
        self.down = QPushButton()
        self.up.clicked.connect(lambda: self.move(-1))
        self.down.clicked.connect(lambda: self.move(1))
        self.list.move_requested.connect(self.move)
        buttons = QVBoxLayout()
        buttons.addWidget(self.up)
        buttons.addWidget(self.down)
        buttons.addStretch(1)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.list, 1)
        row.addLayout(buttons)
        self.list.currentRowChanged.connect(self._update_buttons)
        self._update_buttons()
        self.retranslate()
        self.list.fit()

    def retranslate(self) -> None:
        self.list.setAccessibleName(self.tr("Items to put in order"))
        self.list.setAccessibleDescription(self.tr("Alt+Up and Alt+Down move the selected item."))
        self.up.setText(self.tr("Move up"))
        self.up.setAccessibleName(self.tr("Move the selected item up"))
        self.up.setToolTip(self.tr("Alt+Up"))
        self.down.setText(self.tr("Move down"))
        self.down.setAccessibleName(self.tr("Move the selected item down"))
        self.down.setToolTip(self.tr("Alt+Down"))

    def move(self, step: int) -> None:
        row = self.list.currentRow()
        target = row + step
        if not self.isEnabled() or row < 0 or not 0 <= target < self.list.count():
            return
        item = self.list.takeItem(row)
        self.list.insertItem(target, item)
        self.list.setCurrentRow(target)
        self.list.setFocus(Qt.FocusReason.OtherFocusReason)
        self.list.fit()

    def _update_buttons(self, *_args: object) -> None:
        row = self.list.currentRow()
        self.up.setEnabled(row > 0)
        self.down.setEnabled(0 <= row < self.list.count() - 1)

    def response(self) -> Any:
        return [self.list.item(n).data(Qt.ItemDataRole.UserRole) for n in range(self.list.count())]

    def pick(self, index: int) -> bool:
        if 0 <= index < self.list.count():
            self.list.setCurrentRow(index)
            self.list.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return True
        return False

    def choice_count(self) -> int:
        return self.list.count()

    def focus_first(self) -> None:
        self.list.setFocus(Qt.FocusReason.OtherFocusReason)


class _MatchCombo(QComboBox):
    """A match chooser; a letter or digit key picks that choice directly."""

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        index = _choice_index(event)
        if index is not None and index + 1 < self.count():
            self.setCurrentIndex(index + 1)
            return
        super().keyPressEvent(event)


class MatchingAnswer(AnswerWidget):
    """Match each left item to a right one with a combo box per left item."""

    def __init__(self, shown: DrawnQuestion, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        rights = {p.id: p.right for p in shown.question.pairs}
        self.lefts = [pair.left for pair in shown.question.pairs]
        self.combos: list[tuple[str, QComboBox]] = []
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(6)
        # Every choice is listed in full first, so nothing has to be read inside a narrow box.
        self.choices_heading = _label(bold=True)
        column.addWidget(self.choices_heading)
        for m, right_id in enumerate(shown.right_order):
            column.addWidget(_label(f"{LETTERS[m]}.  {rights[right_id]}"))
        column.addSpacing(8)
        self.matches_heading = _label(bold=True)
        column.addWidget(self.matches_heading)
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(10)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        column.addLayout(grid)
        for n, pair in enumerate(shown.question.pairs):
            left = _label(pair.left)
            combo = _MatchCombo()
            combo.addItem("", None)
            for m, right_id in enumerate(shown.right_order):
                combo.addItem(f"{LETTERS[m]}. {rights[right_id]}", right_id)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(14)
            combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            combo.view().setTextElideMode(Qt.TextElideMode.ElideNone)
            combo.view().setMinimumWidth(min(combo.view().sizeHintForColumn(0) + 24, CONTENT_WIDTH))
            combo.currentIndexChanged.connect(lambda _i, c=combo: c.setToolTip(c.currentText()))
            left.setBuddy(combo)
            grid.addWidget(left, n, 0)
            grid.addWidget(combo, n, 1, Qt.AlignmentFlag.AlignVCenter)
            self.combos.append((pair.id, combo))
        self.retranslate()

    def retranslate(self) -> None:
        self.empty_hint = self.tr("Choose a match for every item first.")
        self.choices_heading.setText(self.tr("Choices:"))
        self.matches_heading.setText(self.tr("Your matches:"))
        for left, (_pair_id, combo) in zip(self.lefts, self.combos, strict=True):
            combo.setItemText(0, self.tr("Choose a match…"))
            combo.setAccessibleName(self.tr("Match for: {0}").format(left))

    def response(self) -> Any:
        chosen = {pair_id: combo.currentData() for pair_id, combo in self.combos}
        return chosen if all(chosen.values()) else None

    def pick(self, index: int) -> bool:
        """With a combo focused the combo takes the key itself; otherwise nothing to pick."""
        return False

    def focus_first(self) -> None:
        self.combos[0][1].setFocus(Qt.FocusReason.OtherFocusReason)


def answer_widget(shown: DrawnQuestion) -> AnswerWidget:
    question = shown.question
    if question.type in ("single", "multiple"):
        texts = {o.id: o.text for o in question.options}
        return ChoiceAnswer([(oid, texts[oid]) for oid in shown.option_order], multiple=question.type == "multiple")
    if question.type == "true_false":
        return ChoiceAnswer([(True, _true_false(True)), (False, _true_false(False))], multiple=False)
    if question.type in ("numeric", "short_text"):
        return TextAnswer(numeric=question.type == "numeric", unit=question.unit)
    if question.type == "ordering":
        return OrderingAnswer(shown)
    return MatchingAnswer(shown)


def _choice_index(event: QKeyEvent) -> int | None:
    """The option a key chooses: 1–9 (and 0 for the tenth) or A–J; None for any other key."""
    if event.modifiers() & ~(Qt.KeyboardModifier.KeypadModifier | Qt.KeyboardModifier.ShiftModifier):
        return None
    key = event.key()
    if Qt.Key.Key_1 <= key <= Qt.Key.Key_9:
        return key - Qt.Key.Key_1
    if key == Qt.Key.Key_0:
        return 9
    if Qt.Key.Key_A <= key <= Qt.Key.Key_J:
        return key - Qt.Key.Key_A
    return None


# --------------------------------------------------------------------------------------------
# The runner
# --------------------------------------------------------------------------------------------


def _scrolled(inner: QWidget) -> QScrollArea:
    """``inner`` in a vertical scroll area, centred and no wider than CONTENT_WIDTH."""
    inner.setMaximumWidth(CONTENT_WIDTH)
    holder = QWidget()
    row = QHBoxLayout(holder)
    row.setContentsMargins(16, 12, 16, 12)
    row.addStretch(0)
    row.addWidget(inner, 100)
    row.addStretch(0)
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(holder)
    return area


def _button_row(*widgets: QWidget | None) -> QHBoxLayout:
    """Buttons in a row; None stands for the stretch between the left and right groups."""
    row = QHBoxLayout()
    row.setContentsMargins(16, 8, 16, 12)
    for widget in widgets:
        if widget is None:
            row.addStretch(1)
        else:
            row.addWidget(widget)
    return row


class QuizRunner(QWidget):
    """Takes one learner through one quiz. Emits ``closed`` when the learner leaves."""

    closed = Signal()

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.engine = QuizEngine(ctx.manager)
        self.pack_id: str | None = None
        self.quiz_id: str | None = None
        self.status: QuizStatus | None = None
        self.attempt: Attempt | None = None
        self.result: AttemptResult | None = None
        self.current_index = 0
        self._answer: AnswerWidget | None = None
        self._busy = False
        self._awaiting_next = False  # feedback is showing; the next Enter goes on
        self._shown_index = 0  # the question on screen (current_index moves on once it is answered)
        self._last_correct = False

        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_loading())
        self.pages.addWidget(self._build_start())
        self.pages.addWidget(self._build_question())
        self.pages.addWidget(self._build_results())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)

        self.countdown = QTimer(self)
        self.countdown.setInterval(1000)
        self.countdown.timeout.connect(self._tick)
        self.retry_timer = QTimer(self)
        self.retry_timer.setSingleShot(True)
        self.retry_timer.timeout.connect(self.refresh_status)
        ctx.bus.changed.connect(self._changed)
        self.retranslate()

    # --- pages --------------------------------------------------------------------------------

    def _build_loading(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.loading_label = _label()
        self.loading_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.loading_label)
        return page

    def _build_start(self) -> QWidget:
        inner = QWidget()
        column = QVBoxLayout(inner)
        column.setSpacing(10)
        self.start_title = _label(size=1.5, bold=True)
        self.start_info = _label()
        self.start_attempts = _label()
        self.start_best = _label()
        self.start_last = _label()
        self.start_blocked = _label(bold=True)
        for widget in (self.start_title, self.start_info, self.start_attempts, self.start_best,
                       self.start_last, self.start_blocked):
            column.addWidget(widget)
        column.addStretch(1)
        self.start_button = QPushButton()
        self.start_button.setAutoDefault(True)
        self.start_button.clicked.connect(self.start_attempt)
        self.start_back = QPushButton()
        self.start_back.setAutoDefault(True)
        self.start_back.clicked.connect(self.leave)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        self.start_scroll = _scrolled(inner)
        layout.addWidget(self.start_scroll, 1)
        layout.addLayout(_button_row(self.start_back, None, self.start_button))
        return page

    def _build_question(self) -> QWidget:
        self.counter = _label(bold=True)
        self.timer_label = _label(bold=True)
        self.timer_label.setWordWrap(False)
        self.keys_hint = _label()
        header = QHBoxLayout()
        header.setContentsMargins(16, 12, 16, 0)
        header.addWidget(self.counter, 1)
        header.addWidget(self.timer_label, 0, Qt.AlignmentFlag.AlignRight)

        inner = QWidget()
        self.question_column = QVBoxLayout(inner)
        self.question_column.setSpacing(12)
        self.prompt = _label(rich=True, size=1.15)
        self.prompt.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.points_label = _label()
        self.answer_holder = QVBoxLayout()
        self.message = _label(bold=True)
        self.feedback_frame = QFrame()
        self.feedback_frame.setFrameShape(QFrame.Shape.StyledPanel)
        feedback = QVBoxLayout(self.feedback_frame)
        self.verdict = _label(size=1.15, bold=True)
        self.choice_feedback = _label(rich=True)
        self.explanation = _label(rich=True)
        for widget in (self.verdict, self.choice_feedback, self.explanation):
            feedback.addWidget(widget)
        self.feedback_frame.hide()
        self.question_column.addWidget(self.prompt)
        self.question_column.addWidget(self.points_label)
        self.question_column.addLayout(self.answer_holder)
        self.question_column.addWidget(self.message)
        self.question_column.addWidget(self.feedback_frame)
        self.question_column.addWidget(self.keys_hint)
        self.question_column.addStretch(1)
        self.question_scroll = _scrolled(inner)

        self.leave_button = QPushButton()
        self.leave_button.setAutoDefault(True)
        self.leave_button.clicked.connect(self.leave)
        self.submit_button = QPushButton()
        self.submit_button.setAutoDefault(True)
        self.submit_button.setDefault(True)
        self.submit_button.clicked.connect(self.submit_or_continue)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.question_scroll, 1)
        layout.addLayout(_button_row(self.leave_button, None, self.submit_button))
        return page

    def _build_results(self) -> QWidget:
        self.results_title = _label(size=1.5, bold=True)
        self.results_time_up = _label(bold=True)
        self.results_score = _label(size=1.15)
        self.results_verdict = _label(size=1.15, bold=True)
        self.results_credentials = _label(bold=True)
        self.review = QTextBrowser()
        self.review.setOpenLinks(False)
        self.review.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.results_back = QPushButton()
        self.results_back.setAutoDefault(True)
        self.results_back.clicked.connect(self.leave)
        top = QWidget()
        top.setMaximumWidth(CONTENT_WIDTH)
        column = QVBoxLayout(top)
        column.setContentsMargins(0, 0, 0, 0)
        for widget in (self.results_title, self.results_time_up, self.results_score, self.results_verdict,
                       self.results_credentials):
            column.addWidget(widget)
        self.review_heading = _label(bold=True)
        column.addWidget(self.review_heading)
        column.addWidget(self.review, 1)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(16, 12, 16, 0)
        centre = QHBoxLayout()
        centre.addStretch(0)
        centre.addWidget(top, 100)
        centre.addStretch(0)
        layout.addLayout(centre, 1)
        row = _button_row(None, self.results_back)
        row.setContentsMargins(0, 8, 0, 12)
        layout.addLayout(row)
        return page

    def retranslate(self) -> None:
        """Every text of the runner in the current language (also when it changes while a quiz is open)."""
        self.setAccessibleName(self.tr("Quiz"))
        self.loading_label.setText(self.tr("Opening the quiz…"))
        self.start_scroll.setAccessibleName(self.tr("About this quiz"))
        self.start_blocked.setAccessibleName(self.tr("Why the quiz cannot start now"))
        for button in (self.start_back, self.results_back):
            button.setText(self.tr("Back to the library"))
            button.setAccessibleName(self.tr("Back to the library"))
        self.counter.setAccessibleName(self.tr("Question number"))
        self.timer_label.setAccessibleName(self.tr("Time left"))
        self.prompt.setAccessibleName(self.tr("Question"))
        self.message.setAccessibleName(self.tr("Message"))
        self.verdict.setAccessibleName(self.tr("Result of your answer"))
        self.explanation.setAccessibleName(self.tr("Explanation"))
        self.question_scroll.setAccessibleName(self.tr("Question and answer"))
        self.leave_button.setText(self.tr("Leave the quiz"))
        self.leave_button.setAccessibleName(self.tr("Leave the quiz; your answers are saved"))
        self.leave_button.setToolTip(self.tr("Your answers are saved as you go; open the quiz again to continue."))
        self.results_verdict.setAccessibleName(self.tr("Passed or not"))
        self.results_credentials.setAccessibleName(self.tr("Credentials earned"))
        self.review.setAccessibleName(self.tr("Review of your answers"))
        self.review_heading.setText(self.tr("Review"))
        if self.status is not None:
            self._fill_start(self.status)
        else:
            self._set_start_button_text(False)
        self._fill_question_texts()
        if self.result is not None:
            self._fill_results(self.result)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # --- opening and starting ----------------------------------------------------------------

    def open_quiz(self, pack_id: str, quiz_id: str) -> None:
        """Show the quiz: straight into the open attempt when there is one (resume), else the start page."""
        self.pack_id, self.quiz_id = pack_id, quiz_id
        self.attempt = self.result = self.status = None
        self._stop_timers()
        learner = self.ctx.learner_id
        if learner is None:
            show_error(self, McdeskError(self.tr("No learner is signed in."), self.tr("Choose your profile first.")))
            self.closed.emit()
            return
        self.pages.setCurrentIndex(PAGE_LOADING)
        engine = self.engine

        def job(_reporter: object) -> tuple[QuizStatus, Attempt | None]:
            status = engine.status(learner, pack_id, quiz_id)
            attempt = engine.start_or_resume(learner, pack_id, quiz_id) if status.open_attempt_id else None
            return status, attempt

        self.ctx.run(job, on_done=self._opened, on_failed=self._failed_to_open)

    def _opened(self, found: tuple[QuizStatus, Attempt | None]) -> None:
        status, attempt = found
        self.status = status
        if attempt is not None:
            self._show_attempt(attempt)
        else:
            self._show_start(status)

    def _failed_to_open(self, exc: BaseException, _tb: str) -> None:
        show_error(self, exc)
        self.closed.emit()

    def refresh_status(self) -> None:
        """Read the quiz status again (the start page shows it)."""
        learner, pack_id, quiz_id = self.ctx.learner_id, self.pack_id, self.quiz_id
        if learner is None or pack_id is None or quiz_id is None:
            return
        engine = self.engine
        self.ctx.run(lambda _r: engine.status(learner, pack_id, quiz_id), on_done=self._show_start,
                     on_failed=lambda exc, _tb: show_error(self, exc))

    def _show_start(self, status: QuizStatus) -> None:
        self.status = status
        self._fill_start(status)
        blocked = status.readiness if isinstance(status.readiness, Blocked) else None
        self.retry_timer.stop()
        if blocked is not None and blocked.retry_at is not None:
            wait_ms = (blocked.retry_at - datetime.now(UTC)).total_seconds() * 1000 + 500
            self.retry_timer.setInterval(int(min(max(wait_ms, 0), 24 * 3600 * 1000)))
            if self.isVisible():
                self.retry_timer.start()
        self.pages.setCurrentIndex(PAGE_START)
        (self.start_button if blocked is None else self.start_back).setFocus(Qt.FocusReason.OtherFocusReason)

    def _set_start_button_text(self, resume: bool) -> None:
        self.start_button.setText(self.tr("Resume the quiz") if resume else self.tr("Start the quiz"))
        self.start_button.setAccessibleName(self.start_button.text())

    def _fill_start(self, status: QuizStatus) -> None:
        quiz = status.quiz
        self.start_title.setText(quiz.title)
        info = [self.tr("Questions: {0}").format(quiz.question_count),
                self.tr("Pass mark: {0}%").format(_percent(quiz.pass_mark))]
        if quiz.time_limit_minutes:
            info.append(self.tr("Time limit: {0} min").format(QLocale().toString(round(quiz.time_limit_minutes))))
        info.append(self.tr("Feedback: after each answer") if quiz.feedback == "each"
                    else self.tr("Feedback: at the end"))
        self.start_info.setText("\n".join(info))
        if status.max_attempts is None:
            self.start_attempts.setText(self.tr("Attempts used: {0} (no limit)").format(status.attempts_used))
        else:
            self.start_attempts.setText(self.tr("Attempts used: {0} of {1}").format(status.attempts_used,
                                                                              status.max_attempts))
        if status.best_scaled is None:
            self.start_best.setText(self.tr("You have not finished this quiz yet."))
        elif status.passed:
            self.start_best.setText(self.tr("You have passed this quiz. Best score: {0}%.").format(
                _percent(status.best_scaled)))
        else:
            self.start_best.setText(self.tr("Best score so far: {0}% (not passed yet).").format(
                _percent(status.best_scaled)))
        last = status.last
        self.start_last.setVisible(last is not None and last.status == "expired")
        self.start_last.setText(self.tr("Your last attempt ran out of time; it was scored with the answers given "
                                   "in time ({0}%).").format(_percent(last.scaled)) if last else "")
        blocked = status.readiness if isinstance(status.readiness, Blocked) else None
        self.start_blocked.setText(self._blocked_text(blocked, status) if blocked else "")
        self.start_blocked.setVisible(blocked is not None)
        self.start_button.setEnabled(blocked is None)
        self._set_start_button_text(bool(status.open_attempt_id))

    def _blocked_text(self, blocked: Blocked, status: QuizStatus) -> str:
        if blocked.kind == "cooldown" and blocked.retry_at is not None:
            return self.tr("You can try again at {0}. After an attempt that does not pass, this quiz asks you to "
                      "wait {1} minutes.").format(_local_time(blocked.retry_at),
                                                 QLocale().toString(round(status.quiz.cooldown_minutes)))
        return self.tr("You have used all {0} attempts at this quiz.").format(status.max_attempts or 0)

    def start_attempt(self) -> None:
        learner, pack_id, quiz_id = self.ctx.learner_id, self.pack_id, self.quiz_id
        if learner is None or pack_id is None or quiz_id is None or self._busy:
            return
        self._busy = True
        self.start_button.setEnabled(False)
        engine = self.engine

        def failed(exc: BaseException, _tb: str) -> None:
            self._busy = False
            if isinstance(exc, QuizBlocked):
                self.refresh_status()
            else:
                self.start_button.setEnabled(True)
                show_error(self, exc)

        def started(attempt: Attempt) -> None:
            self._busy = False
            self._show_attempt(attempt)

        self.ctx.run(lambda _r: engine.start_or_resume(learner, pack_id, quiz_id), on_done=started,
                     on_failed=failed, changes=(PROGRESS,))

    # --- questions ---------------------------------------------------------------------------

    def _show_attempt(self, attempt: Attempt) -> None:
        self.attempt = attempt
        self.current_index = attempt.current_index
        if self.current_index >= len(attempt.questions):
            self._finish()
            return
        self.pages.setCurrentIndex(PAGE_QUESTION)
        self._update_clock()
        if attempt.deadline_at is not None and self.isVisible():
            self.countdown.start()
        self._show_question()

    def _show_question(self) -> None:
        attempt = self.attempt
        assert attempt is not None
        self._shown_index = self.current_index
        shown = attempt.questions[self.current_index]
        question = shown.question
        self.prompt.setText(quiz_text_html(question.prompt))
        self.points_label.setText(self.tr("This question is worth {0} points.").format(question.points))
        self.points_label.setVisible(question.points > 1)
        if self._answer is not None:
            self.answer_holder.removeWidget(self._answer)
            self._answer.hide()
            self._answer.deleteLater()
        self._answer = answer_widget(shown)
        self.answer_holder.addWidget(self._answer)
        self.message.hide()
        self.feedback_frame.hide()
        self._awaiting_next = False
        self._fill_question_texts()
        self.submit_button.setEnabled(True)
        self.question_scroll.verticalScrollBar().setValue(0)
        self._answer.focus_first()
        if attempt.quiz.feedback == "each":  # while the learner reads: the answer's feedback then renders nothing
            shown_at = (attempt.id, self._shown_index)
            self.ctx.run(lambda _r: prepare_feedback(question),
                         on_done=lambda _none: self._prepare_explanation(shown_at, question.explanation))

    def _prepare_explanation(self, shown_at: tuple[int, int], explanation: str | None) -> None:
        """While the learner reads: put the question's explanation (rendered by prepare_feedback) in the
        hidden feedback frame and measure it, so showing the feedback sets the same text (which QLabel
        then skips) and lays out only the verdict and the chosen option's feedback. Nothing shows yet."""
        attempt = self.attempt
        if (attempt is None or (attempt.id, self._shown_index) != shown_at or self._awaiting_next
                or self._busy or not explanation):
            return
        self.explanation.setText(quiz_text_html(explanation))
        self.explanation.sizeHint()

    def _fill_question_texts(self) -> None:
        """The question page's own texts: where the learner is, which keys work, what Enter does."""
        attempt = self.attempt
        if attempt is None or not attempt.questions:
            self.submit_button.setText(self.tr("Submit answer"))
            self.submit_button.setAccessibleName(self.submit_button.text())
            return
        total = len(attempt.questions)
        self.counter.setText(self.tr("Question {0} of {1}").format(self._shown_index + 1, total))
        self.points_label.setText(self.tr("This question is worth {0} points.").format(
            attempt.questions[self._shown_index].question.points))
        all_answered = self.current_index >= total
        if self._awaiting_next:
            self.submit_button.setText(self.tr("See your results") if all_answered else self.tr("Next question"))
            self.keys_hint.setText(self.tr("Press Enter to see your results.") if all_answered
                                   else self.tr("Press Enter for the next question."))
        else:
            self.submit_button.setText(self.tr("Submit answer"))
            kind = attempt.questions[self._shown_index].question.type
            count = self._answer.choice_count() if self._answer is not None else 0
            if kind in ("single", "multiple", "true_false") and count:
                hint = self.tr("Press 1–{0} or A–{1} to choose, then Enter to answer.").format(
                    count, LETTERS[count - 1])
            elif kind == "ordering":
                hint = self.tr("Select an item and move it with Alt+Up and Alt+Down (or the buttons), "
                               "then press Enter.")
            elif kind == "matching":
                hint = self.tr("In each box press the letter of its match, then press Enter.")
            else:
                hint = self.tr("Type your answer, then press Enter.")
            self.keys_hint.setText(hint)
        self.submit_button.setAccessibleName(self.submit_button.text())
        if self.feedback_frame.isVisibleTo(self):
            self.verdict.setText(self.tr("✓ Correct") if self._last_correct else self.tr("✗ Not correct"))
        self._update_clock()

    def submit_or_continue(self) -> None:
        """Enter: submit the answer; after feedback, go on to the next question (or the results)."""
        if self._busy or self.attempt is None or self.pages.currentIndex() != PAGE_QUESTION:
            return
        if self._awaiting_next:
            self._next()
            return
        assert self._answer is not None
        response = self._answer.response()
        if response is None:
            self._say(self._answer.empty_hint)
            return
        attempt_id = self.attempt.id
        question_id = self.attempt.questions[self.current_index].question.id
        engine = self.engine
        self._busy = True
        self._answer.set_locked(True)
        self.submit_button.setEnabled(False)
        self.ctx.run(lambda _r: engine.answer(attempt_id, question_id, response), on_done=self._answered,
                     on_failed=self._answer_failed)

    def _answered(self, feedback: AnswerFeedback) -> None:
        self._busy = False
        self.current_index = feedback.next_index
        if not feedback.show_now:
            self._next()
            return
        self._awaiting_next = True
        # Every text first, the frame shown last: showing it lays the page out at once, this way once.
        self._show_feedback(feedback.correct, feedback.feedback, feedback.explanation,
                            feedback.feedback_html, feedback.explanation_html, show=False)
        self._fill_question_texts()
        self.submit_button.setEnabled(True)
        self.submit_button.setFocus(Qt.FocusReason.OtherFocusReason)
        self.feedback_frame.show()
        QTimer.singleShot(0, self, lambda: self.question_scroll.ensureWidgetVisible(self.feedback_frame))

    def _show_feedback(self, correct: bool, choices: Sequence[ChoiceFeedback], explanation: str | None,
                       choices_html: str = "", explanation_html: str = "", *, show: bool = True) -> None:
        """Show the verdict and feedback (``show``: else only fill them in); the HTML normally comes made
        by the core, off the GUI thread."""
        self._last_correct = correct
        self.verdict.setText(self.tr("✓ Correct") if correct else self.tr("✗ Not correct"))
        self.choice_feedback.setText(choices_html or (feedback_html(choices) if choices else ""))
        self.choice_feedback.setVisible(bool(choices))
        self.explanation.setText(explanation_html or (quiz_text_html(explanation) if explanation else ""))
        self.explanation.setVisible(bool(explanation))
        if show:
            self.feedback_frame.show()

    def _answer_failed(self, exc: BaseException, _tb: str) -> None:
        self._busy = False
        if isinstance(exc, TimeUp):
            self.ctx.bus.notify(PROGRESS, CREDENTIALS)
            self._show_results(exc.result)
            return
        if self._answer is not None:
            self._answer.set_locked(False)
        self.submit_button.setEnabled(True)
        if isinstance(exc, AlreadyAnswered | AttemptClosed):
            self._reload_attempt()  # answered or closed elsewhere: carry on where the attempt stands
            return
        if isinstance(exc, AnswerRefused):
            self._say(" ".join(part for part in (exc.message, exc.hint) if part))
            return
        show_error(self, exc)

    def _reload_attempt(self) -> None:
        if self.attempt is None:
            return
        attempt_id, engine = self.attempt.id, self.engine
        self.ctx.run(lambda _r: engine.attempt(attempt_id), on_done=self._show_attempt,
                     on_failed=lambda exc, _tb: show_error(self, exc))

    def _next(self) -> None:
        assert self.attempt is not None
        self._awaiting_next = False
        if self.current_index >= len(self.attempt.questions):
            self._finish()
        else:
            self._show_question()

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    # --- the clock ---------------------------------------------------------------------------

    def remaining_seconds(self) -> float | None:
        if self.attempt is None or self.attempt.deadline_at is None:
            return None
        return (self.attempt.deadline_at - datetime.now(UTC)).total_seconds()

    def _update_clock(self) -> None:
        remaining = self.remaining_seconds()
        self.timer_label.setVisible(remaining is not None)
        if remaining is not None:
            self.timer_label.setText(self.tr("Time left: {0}").format(_clock(remaining)))

    def _tick(self) -> None:
        remaining = self.remaining_seconds()
        if remaining is None or self.pages.currentIndex() != PAGE_QUESTION:
            self.countdown.stop()
            return
        self._update_clock()
        if remaining <= 0:
            self.countdown.stop()
            if self._answer is not None:
                self._answer.set_locked(True)
            self.submit_button.setEnabled(False)
            self._say(self.tr("Time is up."))
            self._finish()

    # --- finishing ---------------------------------------------------------------------------

    def _finish(self) -> None:
        if self.attempt is None:
            return
        attempt_id, engine = self.attempt.id, self.engine
        self._busy = True
        self.submit_button.setEnabled(False)

        def failed(exc: BaseException, _tb: str) -> None:
            self._busy = False
            self.submit_button.setEnabled(True)
            show_error(self, exc)

        self.ctx.run(lambda _r: engine.finish(attempt_id), on_done=self._show_results, on_failed=failed,
                     changes=(PROGRESS, CREDENTIALS))

    def _show_results(self, result: AttemptResult) -> None:
        self._busy = False
        self.countdown.stop()
        self.result = result
        self._fill_results(result)
        self.pages.setCurrentIndex(PAGE_RESULTS)
        self.results_back.setFocus(Qt.FocusReason.OtherFocusReason)

    def _fill_results(self, result: AttemptResult) -> None:
        self.results_title.setText(self.tr("Results: {0}").format(result.quiz.title))
        self.results_time_up.setText(self.tr("Time ran out. The quiz was scored with the answers given in time."))
        self.results_time_up.setVisible(result.expired)
        self.results_score.setText(self.tr("You scored {0} of {1} points ({2}%).").format(
            result.earned, result.possible, _percent(result.scaled)))
        mark = _percent(result.quiz.pass_mark)
        self.results_verdict.setText(self.tr("✓ Passed. The pass mark is {0}%.").format(mark) if result.passed
                                     else self.tr("✗ Not passed this time. The pass mark is {0}%.").format(mark))
        earned = [self.tr("New credential earned: {0} (awaiting verification)").format(c.title)
                  for c in result.new_credentials]
        self.results_credentials.setText("\n".join(earned))
        self.results_credentials.setVisible(bool(earned))
        self.review.setHtml(_review_html(result))

    def leave(self) -> None:
        """Back to the library; an open attempt stays open and resumes next time."""
        self._stop_timers()
        self.closed.emit()

    # --- Qt events -----------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        page = self.pages.currentIndex()
        if page == PAGE_QUESTION:
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.submit_or_continue()
                return
            index = _choice_index(event)
            free = self._answer is not None and not self._awaiting_next and not self._busy
            if index is not None and free and self._answer is not None and self._answer.pick(index):
                self.message.hide()
                return
        elif page == PAGE_START and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.start_button.isEnabled():
                self.start_attempt()
            return
        super().keyPressEvent(event)

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self.pages.currentIndex() == PAGE_QUESTION and self.attempt and self.attempt.deadline_at:
            self._update_clock()
            self.countdown.start()
        if self.pages.currentIndex() == PAGE_START and self.retry_timer.interval() > 0 and self.status \
                and isinstance(self.status.readiness, Blocked) and self.status.readiness.retry_at:
            self.refresh_status()

    def hideEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        self._stop_timers()
        super().hideEvent(event)

    def _stop_timers(self) -> None:
        self.countdown.stop()
        self.retry_timer.stop()

    def _changed(self, topics: frozenset[str]) -> None:
        if self.pages.currentIndex() == PAGE_START and topics & {PROGRESS, PACKS, LEARNERS} and not self._busy:
            self.refresh_status()


# --------------------------------------------------------------------------------------------
# HTML for feedback and the review (author text escaped or sanitised, nothing loaded)
# --------------------------------------------------------------------------------------------


def _review_html(result: AttemptResult) -> str:
    blocks = []
    for item in result.review:
        heading = html.escape(QCoreApplication.translate("QuizRunner", "Question {0}").format(item.index + 1))
        if not item.answered:
            verdict = QCoreApplication.translate("QuizRunner", "Not answered")
            answer = ""
        else:
            verdict = (QCoreApplication.translate("QuizRunner", "✓ Correct") if item.correct
                       else QCoreApplication.translate("QuizRunner", "✗ Not correct"))
            label = html.escape(QCoreApplication.translate("QuizRunner", "Your answer:"))
            answer = f"<p><b>{label}</b></p>{response_html(item.shown, item.response)}"
        parts = [f"<h3>{heading}</h3>", quiz_text_html(item.prompt), answer,
                 f"<p><b>{html.escape(verdict)}</b></p>", feedback_html(item.feedback)]
        if item.explanation:
            label = html.escape(QCoreApplication.translate("QuizRunner", "Explanation:"))
            parts.append(f"<p><i>{label}</i></p>{quiz_text_html(item.explanation)}")
        blocks.append("".join(parts))
    return "<hr>".join(blocks)

