"""Display settings (language, theme, lesson text size): loading, saving and applying them, without the
settings dialog or any screen, so the app can put them in force before its first window is made.

Where they are kept: with a learner signed in, language, theme and text size are that learner's
preferences (learners.preferences, keys ``language``/``theme``/``text_size``; no ``language`` there
means "same as this laptop"). Without one they are the laptop's defaults in the ``settings`` table
(keys ``language`` — "system" by default — ``theme`` and ``text_size``). The idle lock is the
laptop-wide ``idle_lock_minutes`` setting and only a technician changes it.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

# The light reads only (the start loads the laptop's settings); learners loads when a learner's are read or
# settings are saved.
from mcdesk.learning.roster import DEFAULT_IDLE_LOCK_MINUTES, get_setting, idle_lock_minutes
from mcdesk.ui.i18n import SYSTEM, install_translator
from mcdesk.ui.theme import DEFAULT_THEME, THEMES, apply_theme

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from mcdesk.store.db import Store

LANGUAGE_KEY = "language"
THEME_KEY = "theme"
TEXT_SIZE_KEY = "text_size"

TEXT_SIZES = (9, 10, 11, 12, 13, 14, 16, 18, 20, 24, 28)
"""The lesson text sizes the reader offers, in points."""
DEFAULT_TEXT_SIZE = 12


class DisplaySettings(NamedTuple):  # NamedTuples, not dataclasses: made at every start, ten times cheaper
    """How the app looks and speaks: a language code or "system", a theme name, lesson text points."""

    language: str = SYSTEM
    theme: str = DEFAULT_THEME
    text_size: int = DEFAULT_TEXT_SIZE


class SettingsState(NamedTuple):
    """Everything the settings dialog shows: the laptop's defaults, the signed-in learner's own choices."""

    laptop: DisplaySettings
    learner_id: int | None = None
    learner_name: str | None = None
    learner_preferences: Mapping[str, Any] = MappingProxyType({})
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
    from mcdesk.learning.learners import get_learner

    learner = get_learner(store, learner_id)
    return state._replace(learner_id=learner.id, learner_name=learner.name,
                          learner_preferences=dict(learner.preferences))


def load_display_settings(store: Store, learner_id: int | None) -> DisplaySettings:
    """What should be in force now, for the signed-in learner or (None) for the laptop."""
    return load_settings(store, learner_id).effective


def save_settings(store: Store, state: SettingsState, chosen: DisplaySettings,
                  idle_minutes: int | None) -> SettingsState:
    """Keep ``chosen`` for the learner in ``state`` (or the laptop), and the idle lock when given."""
    from mcdesk.learning.learners import set_idle_lock_minutes, set_preferences, set_setting

    if state.learner_id is not None:
        prefs = set_preferences(store, state.learner_id, {
            LANGUAGE_KEY: None if chosen.language == SYSTEM else chosen.language,
            THEME_KEY: chosen.theme,
            TEXT_SIZE_KEY: chosen.text_size,
        })
        state = state._replace(learner_preferences=prefs)
    else:
        set_setting(store, LANGUAGE_KEY, chosen.language)
        set_setting(store, THEME_KEY, chosen.theme)
        set_setting(store, TEXT_SIZE_KEY, str(chosen.text_size))
        state = state._replace(laptop=chosen)
    if idle_minutes is not None:
        set_idle_lock_minutes(store, idle_minutes)
        state = state._replace(idle_minutes=idle_minutes)
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
