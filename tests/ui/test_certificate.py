"""The certificate and badge drawings: a one-page A4 PDF written whole off the GUI thread, a QR code drawn
as vector squares that reads back module for module, a round 512x512 badge on a clear background, and
a refusal (nothing written) when the folder is gone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

from mcdesk.credentials.export import qr_matrix
from mcdesk.errors import McdeskError
from mcdesk.ui.certificate import (
    A4_MM,
    CertificateFacts,
    badge_image,
    certificate_image,
    write_badge_png,
    write_certificate_pdf,
)
from mcdesk.ui.ops import Worker

LINK = "https://hub.riverside.example/ob/v3p0/credentials/a64bebc9-56d6-4420-954a-202787907a4f"


def facts(**changes: object) -> CertificateFacts:
    values: dict[str, object] = dict(
        credential_id="urn:uuid:a64bebc9-56d6-4420-954a-202787907a4f", achievement="Digital Literacy Essentials",
        description="Uses a computer, files, the web and e-mail safely and with confidence.",
        learner="Amina Wanjiru", issuer="Riverside College", issued_on="1 March 2025",
        qr=tuple(tuple(row) for row in qr_matrix(LINK)), link=LINK)
    values.update(changes)
    return CertificateFacts(**values)  # type: ignore[arg-type]


def run_on_worker(qtbot, fn):
    """``fn()`` on a worker thread (as the wallet does), its result or exception back here."""
    worker = Worker()
    outcome: list[object] = []
    worker.run(lambda _rep: fn(), on_done=outcome.append, on_failed=lambda exc, _tb: outcome.append(exc))
    qtbot.waitUntil(lambda: bool(outcome), timeout=30_000)
    worker.wait()
    return outcome[0]


def test_the_certificate_is_one_a4_portrait_page_written_whole_off_the_gui_thread(qtbot, tmp_path: Path) -> None:
    target = tmp_path / "certificate.pdf"
    result = run_on_worker(qtbot, lambda: write_certificate_pdf(facts(), target))
    assert result == target
    data = target.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert len(re.findall(rb"/Type\s*/Page(?!s)", data)) == 1
    assert re.search(rb"/MediaBox\s*\[0 0 595(\.0+)? 842(\.0+)?\]", data)
    assert [p.name for p in tmp_path.iterdir()] == ["certificate.pdf"]  # no part file left behind


def test_the_qr_code_is_drawn_module_for_module(qapp) -> None:
    shown = facts()
    modules = shown.qr
    assert modules is not None
    dpi = 300
    page = certificate_image(shown, dpi)
    k = page.width() / A4_MM[0]
    x0, y0, side = 145 * k, 208 * k, 42 * k  # where paint_certificate puts the code
    step = side / len(modules)
    wrong = []
    for r, row in enumerate(modules):
        for c, dark in enumerate(row):
            pixel = QColor(page.pixel(int(x0 + (c + 0.5) * step), int(y0 + (r + 0.5) * step)))
            if (pixel.lightness() < 128) != dark:
                wrong.append((r, c))
    assert wrong == []


def test_the_badge_is_a_round_512_pixel_image_on_a_clear_background(qtbot, tmp_path: Path) -> None:
    target = tmp_path / "badge.png"
    assert run_on_worker(qtbot, lambda: write_badge_png(facts(), target)) == target
    image = QImage(str(target))
    assert (image.width(), image.height()) == (512, 512)
    for x, y in ((1, 1), (510, 1), (1, 510), (510, 510)):
        assert image.pixelColor(x, y).alpha() == 0
    assert image.pixelColor(256, 20).alpha() == 255 and image.pixelColor(256, 490).alpha() == 255
    other = badge_image(facts(achievement="Analytical Thinking Foundations"))
    assert other.pixelColor(256, 480) != image.pixelColor(256, 480)  # another achievement, another colour


def test_a_missing_folder_is_refused_and_nothing_is_written(qtbot, tmp_path: Path) -> None:
    gone = tmp_path / "unplugged-usb-stick" / "certificate.pdf"
    outcome = run_on_worker(qtbot, lambda: write_certificate_pdf(facts(), gone))
    assert isinstance(outcome, McdeskError) and "does not exist" in outcome.message
    with pytest.raises(McdeskError, match="does not exist"):
        write_badge_png(facts(), gone.with_suffix(".png"))
    assert list(tmp_path.iterdir()) == []
