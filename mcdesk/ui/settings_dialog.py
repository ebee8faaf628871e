"""The settings dialog (language, theme, lesson text size; the idle lock for technicians), and loading
and applying those settings at start.

Where they are kept: with a learner signed in, language, theme and text size are that learner's
preferences (learners.preferences, keys ``language``/``theme``/``text_size``; no ``language`` there
means "same as this laptop"). Without one they are the laptop's defaults in the ``settings`` table
(keys ``language`` — "system" by default — ``theme`` and ``text_size``). The idle lock is the
laptop-wide ``idle_lock_minutes`` setting and only a technician changes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from mcdesk.learning.learners import (
    DEFAULT_IDLE_LOCK_MINUTES,
    IDLE_LOCK_MAX,
    get_learner,
    get_setting,
    idle_lock_minutes,
    set_idle_lock_minutes,
    set_preferences,
    set_setting,
)
from mcdesk.store.db import Store
from mcdesk.ui.context import SETTINGS, Context
from mcdesk.ui.errors import show_error
from mcdesk.ui.i18n import SYSTEM, available_languages, install_translator
from mcdesk.ui.progress_dialog import run_for_widget
from mcdesk.ui.reader import DEFAULT_TEXT_SIZE, TEXT_SIZES
from mcdesk.ui.theme import DEFAULT_THEME, THEMES, apply_theme, theme_label

LANGUAGE_KEY = "language"
THEME_KEY = "theme"
TEXT_SIZE_KEY = "text_size"


@dataclass(frozen=True)
class DisplaySettings:
    """How the app looks and speaks: a language code or "system", a theme name, lesson text points."""

    language: str = SYSTEM
    theme: str = DEFAULT_THEME
    text_size: int = DEFAULT_TEXT_SIZE


@dataclass(frozen=True)
class SettingsState:
    """Everything the dialog shows: the laptop's defaults, the signed-in learner's own choices."""

    laptop: DisplaySettings
    learner_id: int | None = None
    learner_name: str | None = None
    learner_preferences: dict[str, Any] = field(default_factory=dict)
    idle_minutes: int = DEFAULT_IDLE_LOCK_MINUTES

    @property
    def effective(self) -> DisplaySettings:
        """What is in force: the learner's choices where they made one, else the laptop's."""
        prefs = self.learner_preferences if self.learner_id is not None else {}
        return DisplaySettings(
            language=prefs.get(LANGUAGE_KEY) or self.laptop.language,
            theme=prefs.get(THEME_KEY) if prefs.get(THEME_KEY) in THEMES else self.laptop.theme,
            text_size=_int(prefs.get(TEXT_SIZE_KEY), self.laptop.text_size),
        )


# --- core calls, run on the database worker --------------------------------------------------------


def load_settings(store: Store, learner_id: int | None) -> SettingsState:
    theme = get_setting(store, THEME_KEY) or DEFAULT_THEME
    laptop = DisplaySettings(
        language=get_setting(store, LANGUAGE_KEY) or SYSTEM,
        theme=theme if theme in THEMES else DEFAULT_THEME,
        text_size=_int(get_setting(store, TEXT_SIZE_KEY), DEFAULT_TEXT_SIZE),
    )
    state = SettingsState(laptop, idle_minutes=idle_lock_minutes(store))
    if learner_id is None:
        return state
    learner = get_learner(store, learner_id)
    return replace(state, learner_id=learner.id, learner_name=learner.name,
                   learner_preferences=dict(learner.preferences))


def load_display_settings(store: Store, learner_id: int | None) -> DisplaySettings:
    """What should be in force now, for the signed-in learner or (None) for the laptop."""
    return load_settings(store, learner_id).effective


def save_settings(store: Store, state: SettingsState, chosen: DisplaySettings,
                  idle_minutes: int | None) -> SettingsState:
    """Keep ``chosen`` for the learner in ``state`` (or the laptop), and the idle lock when given."""
    if state.learner_id is not None:
        prefs = set_preferences(store, state.learner_id, {
            LANGUAGE_KEY: None if chosen.language == SYSTEM else chosen.language,
            THEME_KEY: chosen.theme,
            TEXT_SIZE_KEY: chosen.text_size,
        })
        state = replace(state, learner_preferences=prefs)
    else:
        set_setting(store, LANGUAGE_KEY, chosen.language)
        set_setting(store, THEME_KEY, chosen.theme)
        set_setting(store, TEXT_SIZE_KEY, str(chosen.text_size))
        state = replace(state, laptop=chosen)
    if idle_minutes is not None:
        set_idle_lock_minutes(store, idle_minutes)
        state = replace(state, idle_minutes=idle_minutes)
    return state


def _int(value: object, default: int) -> int:
    try:
        return int(value) if value is not None else default  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return default


# --- applying, on the GUI thread -------------------------------------------------------------------


def apply_display_settings(app: QApplication, display: DisplaySettings) -> str:
    """Install the language and theme app-wide; returns the language code now in use. (The lesson
    text size belongs to the reader: give it ``display.text_size``.)"""
    apply_theme(app, display.theme)
    return install_translator(app, display.language)


# --- the dialog ---------------------------------------------------------------------------------------


class SettingsDialog(QDialog):
    """Language, theme and lesson text size, for the signed-in learner or the laptop; a technician also
    sets the idle lock. On OK it saves (on the worker), applies language and theme, announces SETTINGS
    on the bus and emits ``applied`` with what is now in force."""

    applied = Signal(object)  # DisplaySettings

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.state: SettingsState | None = None
        self.setWindowModality(Qt.WindowModality.WindowModal)

        self.scope = QLabel()
        self.scope.setWordWrap(True)
        self.appearance = QGroupBox()
        self.language = QComboBox()
        self.theme = QComboBox()
        self.text_size = QComboBox()
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.preview.setMinimumHeight(48)
        self.language_label, self.theme_label, self.text_size_label = QLabel(), QLabel(), QLabel()
        self.language_label.setBuddy(self.language)
        self.theme_label.setBuddy(self.theme)
        self.text_size_label.setBuddy(self.text_size)
        for size in TEXT_SIZES:
            self.text_size.addItem("", size)
        for name in THEMES:
            self.theme.addItem("", name)
        self.text_size.currentIndexChanged.connect(self._update_preview)
        form = QFormLayout(self.appearance)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(self.language_label, self.language)
        form.addRow(self.theme_label, self.theme)
        form.addRow(self.text_size_label, self.text_size)
        form.addRow(self.preview)

        self.laptop = QGroupBox()
        self.idle = QSpinBox()
        self.idle.setRange(0, IDLE_LOCK_MAX)
        self.idle_label = QLabel()
        self.idle_label.setBuddy(self.idle)
        self.idle_help = QLabel()
        self.idle_help.setWordWrap(True)
        laptop_form = QFormLayout(self.laptop)
        laptop_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        laptop_form.addRow(self.idle_label, self.idle)
        laptop_form.addRow(self.idle_help)
        self.laptop.setVisible(ctx.technician)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.scope)
        layout.addWidget(self.appearance)
        layout.addWidget(self.laptop)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.retranslate()
        self._set_enabled(False)
        self.resize(max(540, self.sizeHint().width()), self.sizeHint().height())
        learner_id, store = ctx.learner_id, ctx.store
        run_for_widget(self, ctx, lambda _rep: load_settings(store, learner_id), on_done=self._loaded)

    @property
    def loaded(self) -> bool:
        return self.state is not None

    def _set_enabled(self, enabled: bool) -> None:
        for widget in (self.appearance, self.laptop, self.ok_button):
            widget.setEnabled(enabled)

    def _loaded(self, state: SettingsState) -> None:
        self.state = state
        self._fill_languages()
        mine = state.learner_preferences if state.learner_id is not None else {}
        language = (mine.get(LANGUAGE_KEY) or SYSTEM) if state.learner_id is not None else state.laptop.language
        self._select(self.language, language)
        self._select(self.theme, state.effective.theme)
        self._select(self.text_size, min(TEXT_SIZES, key=lambda s: abs(s - state.effective.text_size)))
        self.idle.setValue(state.idle_minutes)
        self.retranslate()
        self._set_enabled(True)

    @staticmethod
    def _select(combo: QComboBox, value: object) -> None:
        index = combo.findData(value)
        combo.setCurrentIndex(index if index >= 0 else 0)

    def chosen(self) -> DisplaySettings:
        return DisplaySettings(language=self.language.currentData(), theme=self.theme.currentData(),
                               text_size=int(self.text_size.currentData()))

    def save(self) -> None:
        state = self.state
        if state is None:
            return
        chosen = self.chosen()
        idle = self.idle.value() if self.ctx.technician else None
        store = self.ctx.store
        self._set_enabled(False)

        def failed(exc: BaseException) -> None:
            self._set_enabled(True)
            show_error(self, exc)

        run_for_widget(self, self.ctx, lambda _rep: save_settings(store, state, chosen, idle), changes=(SETTINGS,),
                       on_done=self._saved, on_failed=failed)

    def _saved(self, state: SettingsState) -> None:
        self.state = state
        app = QApplication.instance()
        display = state.effective
        if isinstance(app, QApplication):
            apply_display_settings(app, display)
        self.applied.emit(display)
        self.accept()

    def _fill_languages(self) -> None:
        current = self.language.currentData()
        self.language.blockSignals(True)
        self.language.clear()
        follow = (self.tr("Same as this laptop") if self.state is not None and self.state.learner_id is not None
                  else self.tr("Follow the system"))
        self.language.addItem(follow, SYSTEM)
        for code, name in available_languages():
            self.language.addItem(name, code)  # each language in its own words
        self._select(self.language, current if current is not None else SYSTEM)
        self.language.blockSignals(False)

    def _update_preview(self) -> None:
        size = self.text_size.currentData()
        if size is None:
            return
        font = QFont(self.preview.font())
        font.setPointSize(int(size))
        self.preview.setFont(font)

    def theme_name(self, name: str) -> str:
        labels = {"light": self.tr("Light"), "dark": self.tr("Dark"), "high-contrast": self.tr("High contrast")}
        return labels.get(name) or theme_label(name)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Settings"))
        state = self.state
        if state is not None and state.learner_id is not None:
            self.scope.setText(self.tr("These choices are kept with the profile of {0}; other learners keep "
                                       "their own.").format(state.learner_name))
        else:
            self.scope.setText(self.tr("These choices are this laptop's defaults; each learner can change "
                                       "them for themselves."))
        self.appearance.setTitle(self.tr("Language and appearance"))
        self.language_label.setText(self.tr("&Language:"))
        self.language.setAccessibleName(self.tr("Language"))
        self._fill_languages()
        self.theme_label.setText(self.tr("&Theme:"))
        self.theme.setAccessibleName(self.tr("Theme"))
        for index in range(self.theme.count()):
            self.theme.setItemText(index, self.theme_name(self.theme.itemData(index)))
        self.text_size_label.setText(self.tr("Lesson &text size:"))
        self.text_size.setAccessibleName(self.tr("Lesson text size"))
        for index in range(self.text_size.count()):
            self.text_size.setItemText(index, self.tr("{0} pt").format(self.text_size.itemData(index)))
        self.preview.setText(self.tr("Lessons will look like this."))
        self._update_preview()
        self.laptop.setTitle(self.tr("This laptop (technician)"))
        self.idle_label.setText(self.tr("Lock after &idle time:"))
        self.idle.setAccessibleName(self.tr("Minutes without use before the app locks"))
        self.idle.setSuffix(self.tr(" min"))
        self.idle.setSpecialValueText(self.tr("Never"))
        self.idle_help.setText(self.tr("After this many minutes without use, the app goes back to the "
                                       "profile picker so the next person cannot see someone else's work."))
        self.ok_button.setText(self.tr("OK"))
        self.ok_button.setAccessibleName(self.tr("Save the settings"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.cancel_button.setAccessibleName(self.tr("Close without saving"))
