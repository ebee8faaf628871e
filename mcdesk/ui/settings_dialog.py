"""The settings dialog: language, theme and lesson text size for the signed-in learner or the laptop,
and the idle lock for technicians. Loading, saving and applying the settings live in mcdesk.ui.display
(re-exported here).
"""

from __future__ import annotations

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

from mcdesk.learning.learners import IDLE_LOCK_MAX
from mcdesk.ui.context import SETTINGS, Context
from mcdesk.ui.display import (
    DEFAULT_TEXT_SIZE,
    LANGUAGE_KEY,
    TEXT_SIZE_KEY,
    TEXT_SIZES,
    THEME_KEY,
    DisplaySettings,
    SettingsState,
    apply_display_settings,
    load_display_settings,
    load_settings,
    save_settings,
)
from mcdesk.ui.errors import show_error
from mcdesk.ui.i18n import SYSTEM, available_languages
from mcdesk.ui.progress_dialog import run_for_widget
from mcdesk.ui.theme import THEMES, theme_label

__all__ = [
    "DEFAULT_TEXT_SIZE", "LANGUAGE_KEY", "TEXT_SIZES", "TEXT_SIZE_KEY", "THEME_KEY", "DisplaySettings",
    "SettingsDialog", "SettingsState", "apply_display_settings", "load_display_settings", "load_settings",
    "save_settings",
]


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
