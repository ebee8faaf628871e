"""High contrast: check boxes and radio buttons stay visible (Fusion draws them black on black); the light
theme without an application style sheet; applying the theme in force changes nothing."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QCheckBox, QWidget

from mcdesk.ui.theme import DEFAULT_THEME, apply_theme


def _count(box: QCheckBox, colour: str) -> int:
    image = box.grab().toImage()
    wanted = QColor(colour).rgb()
    return sum(1 for x in range(min(image.width(), 24)) for y in range(image.height())
               if image.pixel(x, y) == wanted)


def test_high_contrast_check_boxes_have_a_white_frame_and_a_yellow_check(qtbot, qapp: QApplication) -> None:
    apply_theme(qapp, "high-contrast")
    try:
        off, on = QCheckBox("off"), QCheckBox("on")
        on.setChecked(True)
        for box in (off, on):
            qtbot.addWidget(box)
            box.show()
        assert _count(off, "#ffffff") > 20  # the frame of the empty box
        assert _count(on, "#ffff00") > 20  # the filled box
        assert _count(off, "#ffff00") == 0
    finally:
        apply_theme(qapp, DEFAULT_THEME)


def test_the_light_theme_needs_no_application_style_sheet_and_cards_keep_their_look(
        qtbot, qapp: QApplication) -> None:
    """The light theme styles only its cards (on each card frame); any application-wide style sheet would put
    every widget through Qt's style-sheet engine."""
    from mcdesk.ui.cards import card
    from mcdesk.ui.theme import THEMES, current_theme

    apply_theme(qapp, "light")
    assert qapp.styleSheet() == "" and "QFrame#card" in THEMES["light"].card_stylesheet
    page = QWidget()
    qtbot.addWidget(page)
    frame, _layout = card()
    assert frame.styleSheet() == current_theme().card_stylesheet
    try:
        for name in ("dark", "high-contrast", "light"):
            apply_theme(qapp, name)
            assert qapp.styleSheet() == THEMES[name].stylesheet
            assert "QFrame#card" not in THEMES[name].stylesheet  # cards are styled on the card alone
    finally:
        apply_theme(qapp, DEFAULT_THEME)


def test_applying_the_theme_in_force_again_changes_nothing(qtbot, qapp: QApplication) -> None:
    """A learner signing in with the laptop's theme: no palette or style change reaches the widgets (they would
    all be polished and laid out again)."""
    apply_theme(qapp, DEFAULT_THEME)
    seen: list[int] = []

    class Watch(QWidget):
        def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
            if event.type() in (QEvent.Type.ApplicationPaletteChange, QEvent.Type.PaletteChange,
                                QEvent.Type.StyleChange):
                seen.append(1)
            super().changeEvent(event)

    watch = Watch()
    qtbot.addWidget(watch)
    apply_theme(qapp, DEFAULT_THEME)
    assert seen == []
    apply_theme(qapp, "dark")
    try:
        assert seen  # a real change still reaches them
    finally:
        apply_theme(qapp, DEFAULT_THEME)
