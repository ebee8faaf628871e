"""High contrast: check boxes and radio buttons stay visible (Fusion draws them black on black)."""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QCheckBox

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
