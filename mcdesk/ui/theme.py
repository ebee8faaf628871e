"""Light, dark and high-contrast themes: a QPalette, a small style sheet and the lesson CSS for each."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from mcdesk.errors import McdeskError

if TYPE_CHECKING:  # the lesson renderer (nh3, Markdown) loads with the first lesson, not at start
    from mcdesk.learning.render import LessonColours

THEME_PROPERTY = "mcdesk_theme"
DEFAULT_THEME = "light"
STYLE = "Fusion"  # the style that honours a palette the same way on every platform
STYLE_PROPERTY = "mcdesk_style"  # set on the application once it is in STYLE


_THEME_FIELDS = ("name", "window", "window_text", "base", "alternate_base", "text", "button", "button_text",
                 "highlight", "highlighted_text", "link", "link_visited", "disabled_text", "tooltip_base",
                 "tooltip_text", "lesson_colours", "stylesheet", "card_stylesheet")


class Theme:
    """One look: palette colours, the lesson colours (the fields of mcdesk.learning.render.LessonColours)
    and a style sheet. Frozen and compared by its fields; a plain class rather than a dataclass, because
    the themes are made on the app's start and the dataclass machinery would be imported for them."""

    name: str
    window: str
    window_text: str
    base: str
    alternate_base: str
    text: str
    button: str
    button_text: str
    highlight: str
    highlighted_text: str
    link: str
    link_visited: str
    disabled_text: str
    tooltip_base: str
    tooltip_text: str
    lesson_colours: dict[str, str]
    stylesheet: str  # application-wide ("" for none: widgets are then drawn by the plain style)
    card_stylesheet: str  # set on each card frame (mcdesk.ui.cards.card), not on the application

    def __init__(self, name: str, *, window: str, window_text: str, base: str, alternate_base: str, text: str,
                 button: str, button_text: str, highlight: str, highlighted_text: str, link: str,
                 link_visited: str, disabled_text: str, tooltip_base: str, tooltip_text: str,
                 lesson_colours: dict[str, str], stylesheet: str = "", card_stylesheet: str = "") -> None:
        self.__dict__.update(
            name=name, window=window, window_text=window_text, base=base, alternate_base=alternate_base,
            text=text, button=button, button_text=button_text, highlight=highlight,
            highlighted_text=highlighted_text, link=link, link_visited=link_visited, disabled_text=disabled_text,
            tooltip_base=tooltip_base, tooltip_text=tooltip_text, lesson_colours=lesson_colours,
            stylesheet=stylesheet, card_stylesheet=card_stylesheet)

    def _values(self) -> tuple[Any, ...]:
        return tuple(self.__dict__[name] for name in _THEME_FIELDS)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        return f"Theme({', '.join(f'{name}={self.__dict__[name]!r}' for name in _THEME_FIELDS)})"

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}: a Theme does not change")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}: a Theme does not change")

    @cached_property
    def lesson(self) -> LessonColours:
        """The colours of lesson pages in this theme."""
        from mcdesk.learning.render import LessonColours

        return LessonColours(**self.lesson_colours)

    @cached_property
    def lesson_css(self) -> str:
        from mcdesk.learning.render import lesson_css

        return lesson_css(self.lesson)

    def palette(self) -> QPalette:
        p = QPalette()
        roles = {
            QPalette.ColorRole.Window: self.window, QPalette.ColorRole.WindowText: self.window_text,
            QPalette.ColorRole.Base: self.base, QPalette.ColorRole.AlternateBase: self.alternate_base,
            QPalette.ColorRole.Text: self.text, QPalette.ColorRole.Button: self.button,
            QPalette.ColorRole.ButtonText: self.button_text, QPalette.ColorRole.Highlight: self.highlight,
            QPalette.ColorRole.HighlightedText: self.highlighted_text, QPalette.ColorRole.Link: self.link,
            QPalette.ColorRole.LinkVisited: self.link_visited, QPalette.ColorRole.ToolTipBase: self.tooltip_base,
            QPalette.ColorRole.ToolTipText: self.tooltip_text, QPalette.ColorRole.PlaceholderText: self.disabled_text,
            QPalette.ColorRole.BrightText: self.highlight,
        }
        for role, colour in roles.items():
            p.setColor(role, QColor(colour))
        for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
            p.setColor(QPalette.ColorGroup.Disabled, role, QColor(self.disabled_text))
        # Light, Midlight, Mid, Dark and Shadow draw frames and bevels: derive them from the button.
        button = QColor(self.button)
        p.setColor(QPalette.ColorRole.Light, button.lighter(150))
        p.setColor(QPalette.ColorRole.Midlight, button.lighter(125))
        p.setColor(QPalette.ColorRole.Mid, button.darker(130))
        p.setColor(QPalette.ColorRole.Dark, button.darker(160))
        p.setColor(QPalette.ColorRole.Shadow, button.darker(220))
        return p


_HIGH_CONTRAST_SHEET = """
QListView, QTreeView, QTextBrowser { border: 1px solid #ffffff; }
QPushButton, QToolButton, QCommandLinkButton { border: 2px solid #ffffff; padding: 5px 10px; }
QPushButton:disabled, QToolButton:disabled { border: 2px dashed #c0c0c0; }
QPushButton:focus, QToolButton:focus, QCommandLinkButton:focus, QLineEdit:focus, QTreeView:focus,
QListView:focus, QTextBrowser:focus, QComboBox:focus, QAbstractScrollArea:focus { border: 3px solid #ffff00; }
QLineEdit, QComboBox { border: 2px solid #ffffff; padding: 3px; }
QProgressBar { border: 2px solid #ffffff; text-align: center; color: #ffffff; background: #000000; }
QProgressBar::chunk { background: #2060e0; }
QCheckBox::indicator, QRadioButton::indicator { width: 14px; height: 14px; border: 2px solid #ffffff;
    background: #000000; }
QRadioButton::indicator { border-radius: 9px; }
QCheckBox::indicator:checked, QRadioButton::indicator:checked { background: #ffff00; }
QCheckBox::indicator:disabled, QRadioButton::indicator:disabled { border: 2px dashed #c0c0c0; }
"""

# Fusion draws a dark progress bar's groove in the base colour with a frame barely darker: give it an
# edge, and a chunk dark enough for the light percentage text on top of it.
_DARK_SHEET = """
QProgressBar { border: 1px solid #7d838a; border-radius: 3px; background: #1f2023; text-align: center; }
QProgressBar::chunk { background: #3b6fd4; }
"""

THEMES: dict[str, Theme] = {
    "light": Theme(
        "light", window="#f3f4f6", window_text="#1b1b1b", base="#ffffff", alternate_base="#eef1f5",
        text="#1b1b1b", button="#e6e8eb", button_text="#1b1b1b", highlight="#1d5fbf", highlighted_text="#ffffff",
        link="#0b4fb3", link_visited="#6a1b9a", disabled_text="#6e6e6e", tooltip_base="#fffbe6",
        tooltip_text="#1b1b1b",
        lesson_colours=dict(text="#1b1b1b", background="#ffffff", link="#0b4fb3", border="#8a8f98",
                             header_background="#e6ecf4", code_background="#f0f2f4", quote="#444a52"),
        # No application-wide style sheet: any would put every widget through Qt's style-sheet engine
        # (slower to polish and lay out, and over half a megabyte more for the run) for the cards alone.
        card_stylesheet="QFrame#card { border: 1px solid #c5c9cf; border-radius: 6px; background: #ffffff; }",
    ),
    "dark": Theme(
        "dark", window="#1f2023", window_text="#e8eaed", base="#17181b", alternate_base="#26282c",
        text="#e8eaed", button="#2f3136", button_text="#e8eaed", highlight="#8ab4f8", highlighted_text="#0b0c0e",
        link="#8ab4f8", link_visited="#d7aefb", disabled_text="#9aa0a6", tooltip_base="#303134",
        tooltip_text="#e8eaed",
        lesson_colours=dict(text="#e8eaed", background="#17181b", link="#8ab4f8", border="#7d838a",
                             header_background="#2b2e33", code_background="#26282c", quote="#c4c7cc"),
        stylesheet=_DARK_SHEET,
        card_stylesheet="QFrame#card { border: 1px solid #4a4d52; border-radius: 6px; background: #26282c; }",
    ),
    "high-contrast": Theme(
        "high-contrast", window="#000000", window_text="#ffffff", base="#000000", alternate_base="#141414",
        text="#ffffff", button="#000000", button_text="#ffffff", highlight="#ffff00", highlighted_text="#000000",
        link="#ffff00", link_visited="#00ffff", disabled_text="#c0c0c0", tooltip_base="#000000",
        tooltip_text="#ffffff",
        lesson_colours=dict(text="#ffffff", background="#000000", link="#ffff00", border="#ffffff",
                             header_background="#262626", code_background="#1a1a1a", quote="#ffffff"),
        stylesheet=_HIGH_CONTRAST_SHEET,
        card_stylesheet="QFrame#card { border: 2px solid #ffffff; }",
    ),
}


def theme_label(name: str) -> str:
    """The name of a theme as people read it, translated."""
    if name == "light":
        return QCoreApplication.translate("mcdesk.theme", "Light")
    if name == "dark":
        return QCoreApplication.translate("mcdesk.theme", "Dark")
    if name == "high-contrast":
        return QCoreApplication.translate("mcdesk.theme", "High contrast")
    return name


def style_arguments(argv: list[str]) -> list[str]:
    """``argv`` for a new QApplication, asking for STYLE on its command line (last, so it wins).

    The application then starts in that style and apply_theme has nothing to change. Setting it
    afterwards (``app.setStyle``) returns the new style, and handing that to Python makes PySide6
    build the QStyle class's dozen enum types: a few milliseconds of the start for nothing."""
    return [*argv, "-style", STYLE]


def apply_theme(app: QApplication, name: str) -> Theme:
    """Make ``name`` the look of the whole application; views (the reader's lesson CSS too) follow
    through the palette-change event every widget receives."""
    theme = THEMES.get(name)
    if theme is None:
        raise McdeskError(f"There is no theme called {name!r}.", f"Choose one of: {', '.join(THEMES)}.")
    if app.property(STYLE_PROPERTY) != STYLE:  # else made in STYLE: see style_arguments
        app.setStyle(STYLE)
        app.setProperty(STYLE_PROPERTY, STYLE)
    palette = theme.palette()
    if app.property(THEME_PROPERTY) == name and app.styleSheet() == theme.stylesheet and app.palette() == palette:
        return theme  # in force already (a learner signing in with the laptop's theme): nothing to re-polish
    app.setProperty(THEME_PROPERTY, name)
    # The palette before the style sheet: a style sheet re-polishes every widget with the palette
    # that is current at that moment.
    app.setPalette(palette)
    app.setStyleSheet(theme.stylesheet)
    if app.palette() != palette:  # dropping a style sheet gives the plain style back, with its own palette
        app.setPalette(palette)
    windows = app.topLevelWidgets()
    if windows:
        # Qt tells widgets of a new application palette only while its event loop runs (QApplication.exec),
        # and without a style sheet nothing re-polishes them: tell the windows (they pass it on).
        from PySide6.QtCore import QEvent  # not at start (no window yet): building QEvent takes a millisecond

        event = QEvent(QEvent.Type.ApplicationPaletteChange)
        for window in windows:
            QApplication.sendEvent(window, event)
    return theme


def current_theme() -> Theme:
    """The theme last applied to the running application (light until one is)."""
    app = QApplication.instance()
    name = app.property(THEME_PROPERTY) if app is not None else None
    return THEMES.get(name or DEFAULT_THEME, THEMES[DEFAULT_THEME])
