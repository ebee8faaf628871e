"""The printable certificate of an issued credential (an A4 PDF drawn with QPdfWriter, QR code as vector
squares) and its round badge image (a 512x512 PNG); both are drawn off the GUI thread."""

from __future__ import annotations

import hashlib
import os
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPageLayout,
    QPageSize,
    QPaintDevice,
    QPainter,
    QPainterPath,
    QPdfWriter,
    QPen,
    QPolygonF,
    QRadialGradient,
)

from mcdesk.errors import CredentialError, McdeskError

PDF_DPI = 300
PREVIEW_DPI = 100
BADGE_SIZE = 512
A4_MM = (210.0, 297.0)
_PALETTE = ("#00695c", "#283593", "#4527a0", "#2e7d32", "#ad1457", "#1565c0", "#6a1b9a", "#00838f")
_GOLD = QColor("#f2c14e")
_INK = QColor("#1b2430")
_MUTED = QColor("#4a5563")
_WRAP = int(Qt.TextFlag.TextWordWrap.value)
# Texts are translated where they are drawn, on the worker (QCoreApplication.translate is thread-safe).


@dataclass(frozen=True)
class CertificateFacts:
    """What a certificate and a badge show, gathered from the core (on the worker)."""

    credential_id: str
    achievement: str
    description: str
    learner: str
    issuer: str
    issued_on: str  # a date in the person's language
    qr: tuple[tuple[bool, ...], ...] | None  # the QR code's modules, quiet zone included
    link: str | None  # the verification link the QR code carries (None when it carries the VC-JWT itself)

    def file_stem(self) -> str:
        from mcdesk.credentials.export import SUFFIX, export_name

        return export_name(self.achievement, self.credential_id).removesuffix(SUFFIX)


def certificate_facts(store: Any, credential_id: str, learner_name: Callable[[int], str] | None = None
                      ) -> CertificateFacts:
    """Everything the certificate prints about ``credential_id``; CredentialError unless it is an issued
    credential that verified on this laptop and is not revoked."""
    from mcdesk.credentials.device import VALID, get_credential
    from mcdesk.credentials.export import export_document, qr_matrix, qr_payload
    from mcdesk.learning.learners import get_learner
    from mcdesk.ui.cards import local_date

    document = export_document(store, credential_id)
    item = get_credential(store, credential_id)
    if item is None or item.status != VALID:
        raise CredentialError(
            QCoreApplication.translate("Certificate", "This credential was revoked by your institution, so no "
                                       "certificate or badge is made for it."),
            QCoreApplication.translate("Certificate", "Ask your institution if you think this is a mistake."),
            code="revoked")
    credential = document["credential"]
    subject = credential.get("credentialSubject") if isinstance(credential.get("credentialSubject"), dict) else {}
    achievement = subject.get("achievement") if isinstance(subject.get("achievement"), dict) else {}
    issuer = credential.get("issuer")
    issuer_name = str(issuer.get("name") or issuer.get("id") or "") if isinstance(issuer, dict) else str(issuer or "")
    learner = ""
    if item.learner_id is not None:
        learner = learner_name(item.learner_id) if learner_name else get_learner(store, item.learner_id).name
    try:
        payload: str | None = qr_payload(store, credential_id)
    except CredentialError:
        payload = None  # no hub address and too long to scan: the certificate says how to verify instead
    when = str(credential.get("awardedDate") or credential.get("validFrom") or item.issued_at or "")
    return CertificateFacts(
        credential_id=credential_id, achievement=str(achievement.get("name") or document["name"]),
        description=str(achievement.get("description") or credential.get("description") or ""),
        learner=learner, issuer=issuer_name, issued_on=local_date(when) if when else "",
        qr=tuple(tuple(row) for row in qr_matrix(payload)) if payload else None,
        link=document.get("verification_url"))


# --- files ---------------------------------------------------------------------------------------------


def _replace_into(target: Path, write: Callable[[Path], None]) -> Path:
    """Write through ``write(temporary path)`` beside ``target``, then rename it into place."""
    target = Path(target)
    if not target.parent.is_dir():
        raise _no_folder(target)
    part = target.with_name(f".{target.name}.{uuid.uuid4().hex[:12]}.part")  # made by the writer: usual mode
    try:
        write(part)
        with open(part, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(part, target)
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise _not_written(target, exc) from exc
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return target


def _no_folder(target: Path) -> McdeskError:
    text = QCoreApplication.translate("Certificate", "The folder {0} does not exist.")
    return McdeskError(text.format(target.parent),
                       QCoreApplication.translate("Certificate", "Choose another place to save the file."))


def _not_written(target: Path, exc: OSError) -> McdeskError:
    return McdeskError(
        QCoreApplication.translate("Certificate", "{0} cannot be written ({1}).").format(target, exc.strerror or exc),
        QCoreApplication.translate("Certificate", "Check that the folder is writable and has free space, then try "
                                   "again."))


def write_credential_json(store: Any, credential_id: str, target: Path) -> Path:
    """The credential's JSON export (mcdesk.credentials.export, the same file as `mcdesk credential export`)
    saved under the name the person chose."""
    from mcdesk.credentials.export import export_json

    target = Path(target)
    if not target.parent.is_dir():
        raise _no_folder(target)
    with tempfile.TemporaryDirectory(prefix=".mcdesk-export-", dir=target.parent) as folder:
        written = export_json(store, credential_id, Path(folder))
        try:
            os.replace(written, target)
        except OSError as exc:
            raise _not_written(target, exc) from exc
    return target


def write_certificate_pdf(facts: CertificateFacts, target: Path) -> Path:
    """The certificate as a one-page A4 portrait PDF at ``target`` (written whole, then renamed)."""

    def write(part: Path) -> None:
        writer = QPdfWriter(str(part))
        writer.setResolution(PDF_DPI)
        writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                         QMarginsF(0, 0, 0, 0)))
        writer.setTitle(QCoreApplication.translate("Certificate", "Certificate: {0}").format(facts.achievement))
        writer.setCreator("mcdesk")
        painter = QPainter()
        if not painter.begin(writer):
            raise OSError(0, QCoreApplication.translate("Certificate", "the PDF could not be started"))
        try:
            paint_certificate(painter, writer, facts)
        finally:
            painter.end()
        del writer  # the file is complete once the writer is gone

    return _replace_into(target, write)


def write_badge_png(facts: CertificateFacts, target: Path, size: int = BADGE_SIZE) -> Path:
    """The round badge as a ``size`` x ``size`` PNG with a transparent background."""
    image = badge_image(facts, size)

    def write(part: Path) -> None:
        if not image.save(str(part), "PNG"):
            raise OSError(0, QCoreApplication.translate("Certificate", "the image could not be encoded"))

    return _replace_into(target, write)


def badge_image(facts: CertificateFacts, size: int = BADGE_SIZE) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    paint_badge(painter, image, QRectF(0, 0, size, size), facts.achievement, facts.issuer)
    painter.end()
    return image


def certificate_image(facts: CertificateFacts, dpi: int = PREVIEW_DPI) -> QImage:
    """The certificate page as an image (the same drawing as the PDF), for a preview or a check."""
    width, height = (round(mm * dpi / 25.4) for mm in A4_MM)
    image = QImage(width, height, QImage.Format.Format_RGB32)
    dots = round(dpi / 0.0254)
    image.setDotsPerMeterX(dots)
    image.setDotsPerMeterY(dots)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    paint_certificate(painter, image, facts)
    painter.end()
    return image


# --- drawing -------------------------------------------------------------------------------------------


def _font(family: str, points: float, *, bold: bool = False, italic: bool = False) -> QFont:
    font = QFont(family)
    font.setStyleHint(QFont.StyleHint.Serif if family == "Serif" else
                      QFont.StyleHint.Monospace if family == "Monospace" else QFont.StyleHint.SansSerif)
    font.setPointSizeF(points)
    font.setBold(bold)
    font.setItalic(italic)
    return font


def _fitted(device: QPaintDevice, rect: QRectF, text: str, font: QFont, flags: int, smallest: float) -> QFont:
    """``font`` made smaller (down to ``smallest`` points) until ``text`` fits ``rect`` when wrapped."""
    fitted = QFont(font)
    size = font.pointSizeF()
    while True:
        metrics = QFontMetricsF(fitted, device)
        bounds = metrics.boundingRect(rect, flags | _WRAP, text)
        if (bounds.height() <= rect.height() + 0.5 and bounds.width() <= rect.width() + 0.5) or size <= smallest:
            return fitted
        size = max(smallest, size * 0.92)
        fitted.setPointSizeF(size)


def _text(painter: QPainter, device: QPaintDevice, rect: QRectF, text: str, font: QFont, colour: QColor, *,
          align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignCenter, smallest: float | None = None) -> None:
    flags = int(align.value) | _WRAP
    if smallest is not None:
        font = _fitted(device, rect, text, font, flags, smallest)
    painter.setFont(font)
    painter.setPen(colour)
    painter.drawText(rect, flags, text)


def badge_colour(title: str) -> QColor:
    """A deep colour picked from the achievement's name, so different badges look different."""
    return QColor(_PALETTE[hashlib.sha256(title.encode("utf-8")).digest()[0] % len(_PALETTE)])


def _star(centre: QPointF, outer: float) -> QPolygonF:
    import math

    points = []
    for n in range(10):
        radius = outer if n % 2 == 0 else outer * 0.45
        angle = -math.pi / 2 + n * math.pi / 5
        points.append(QPointF(centre.x() + radius * math.cos(angle), centre.y() + radius * math.sin(angle)))
    return QPolygonF(points)


def paint_badge(painter: QPainter, device: QPaintDevice, rect: QRectF, title: str, issuer: str) -> None:
    """A round badge filling ``rect`` (a square): ring, star, the achievement's name and the issuer."""
    d = min(rect.width(), rect.height())
    box = QRectF(rect.x() + (rect.width() - d) / 2, rect.y() + (rect.height() - d) / 2, d, d)
    centre = box.center()
    base = badge_colour(title)
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(base.darker(135))
    painter.drawEllipse(box)
    gradient = QRadialGradient(QPointF(centre.x(), box.y() + d * 0.35), d * 0.55)
    gradient.setColorAt(0.0, base.lighter(125))
    gradient.setColorAt(1.0, base)
    inner = box.adjusted(d * 0.05, d * 0.05, -d * 0.05, -d * 0.05)
    painter.setBrush(gradient)
    painter.drawEllipse(inner)
    ring = QPen(_GOLD, d * 0.012)
    painter.setPen(ring)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawEllipse(inner.adjusted(d * 0.025, d * 0.025, -d * 0.025, -d * 0.025))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(_GOLD)
    painter.drawPolygon(_star(QPointF(centre.x(), box.y() + d * 0.2), d * 0.06))
    white = QColor("white")
    scale = d / 512.0  # font sizes below are for a 512-pixel badge on a 96-dpi image
    dpi_ratio = 96.0 / max(1, device.logicalDpiY())
    pts = scale * dpi_ratio
    label_rect = QRectF(box.x() + d * 0.2, box.y() + d * 0.28, d * 0.6, d * 0.07)
    kind = QCoreApplication.translate("Certificate", "MICRO-CREDENTIAL")
    _text(painter, device, label_rect, kind, _font("Sans Serif", 16 * pts, bold=True), QColor(255, 255, 255, 215),
          smallest=6 * pts)
    title_rect = QRectF(box.x() + d * 0.15, box.y() + d * 0.36, d * 0.7, d * 0.3)
    _text(painter, device, title_rect, title, _font("Serif", 38 * pts, bold=True), white, smallest=10 * pts)
    painter.setPen(QPen(_GOLD, d * 0.006))
    painter.drawLine(QPointF(centre.x() - d * 0.16, box.y() + d * 0.69), QPointF(centre.x() + d * 0.16,
                                                                                 box.y() + d * 0.69))
    issuer_rect = QRectF(box.x() + d * 0.22, box.y() + d * 0.71, d * 0.56, d * 0.12)
    _text(painter, device, issuer_rect, issuer, _font("Sans Serif", 19 * pts), white, smallest=7 * pts)
    painter.restore()


def paint_qr(painter: QPainter, rect: QRectF, modules: tuple[tuple[bool, ...], ...]) -> None:
    """The QR code as vector squares (runs of dark modules in each row, filled as one path)."""
    count = len(modules)
    side = min(rect.width(), rect.height())
    step = side / count
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.WindingFill)
    for r, row in enumerate(modules):
        c = 0
        while c < count:
            if not row[c]:
                c += 1
                continue
            start = c
            while c < count and row[c]:
                c += 1
            path.addRect(QRectF(rect.x() + start * step, rect.y() + r * step, (c - start) * step, step))
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.fillRect(QRectF(rect.x(), rect.y(), side, side), QColor("white"))
    painter.fillPath(path, QColor("black"))
    painter.restore()


def paint_certificate(painter: QPainter, device: QPaintDevice, facts: CertificateFacts) -> None:
    """The A4 portrait certificate, drawn in millimetres on ``device`` (a PDF page or an image)."""
    k = device.width() / A4_MM[0]  # device pixels per millimetre

    def box(x: float, y: float, w: float, h: float) -> QRectF:
        return QRectF(x * k, y * k, w * k, h * k)

    accent = badge_colour(facts.achievement)
    painter.save()
    painter.setPen(QPen(accent, 1.6 * k))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(box(10, 10, 190, 277))
    painter.setPen(QPen(_GOLD, 0.6 * k))
    painter.drawRect(box(13, 13, 184, 271))
    painter.restore()

    centre = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter
    left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
    top = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
    _text(painter, device, box(25, 20, 160, 9), facts.issuer, _font("Sans Serif", 13, bold=True), _MUTED,
          align=centre, smallest=8)
    paint_badge(painter, device, box(77.5, 31, 55, 55), facts.achievement, facts.issuer)
    heading = QCoreApplication.translate("Certificate", "Certificate of achievement")
    _text(painter, device, box(20, 90, 170, 14), heading, _font("Serif", 28, bold=True), accent.darker(115),
          align=centre, smallest=16)
    certifies = QCoreApplication.translate("Certificate", "This certifies that")
    _text(painter, device, box(20, 106, 170, 8), certifies, _font("Serif", 13, italic=True), _MUTED, align=centre)
    _text(painter, device, box(20, 115, 170, 16), facts.learner, _font("Serif", 30, bold=True), _INK,
          align=centre, smallest=14)
    painter.save()
    painter.setPen(QPen(_GOLD, 0.5 * k))
    painter.drawLine(QPointF(60 * k, 132 * k), QPointF(150 * k, 132 * k))
    painter.restore()
    earned = QCoreApplication.translate("Certificate", "has earned the micro-credential")
    _text(painter, device, box(20, 135, 170, 8), earned, _font("Serif", 13, italic=True), _MUTED, align=centre)
    _text(painter, device, box(20, 144, 170, 22), facts.achievement, _font("Serif", 24, bold=True), _INK,
          align=centre, smallest=12)
    if facts.description:
        _text(painter, device, box(28, 170, 154, 34), facts.description, _font("Sans Serif", 11), _INK,
              align=top, smallest=7)

    label_font, value_font = _font("Sans Serif", 9, bold=True), _font("Sans Serif", 11)
    y = 212.0
    rows = ((QCoreApplication.translate("Certificate", "Issued by"), facts.issuer, False),
            (QCoreApplication.translate("Certificate", "Issued on"), facts.issued_on, False),
            (QCoreApplication.translate("Certificate", "Credential id"), facts.credential_id, True))
    for caption, value, mono in rows:
        _text(painter, device, box(24, y, 110, 5), caption.upper(), label_font, _MUTED, align=left)
        font = _font("Monospace", 8.5) if mono else value_font
        _text(painter, device, box(24, y + 5, 110, 10), value, font, _INK, align=left, smallest=6)
        y += 16
    kind = QCoreApplication.translate("Certificate", "An Open Badges 3.0 verifiable credential, digitally signed by "
                                      "the issuer.")
    _text(painter, device, box(24, y + 1, 110, 12), kind, _font("Sans Serif", 8.5, italic=True), _MUTED, align=left,
          smallest=6)

    if facts.qr is not None:
        paint_qr(painter, box(145, 208, 42, 42), facts.qr)
        scan = QCoreApplication.translate("Certificate", "Scan to verify with the issuer")
        _text(painter, device, box(140, 251, 52, 10), scan, _font("Sans Serif", 8, bold=True), _MUTED, align=top,
              smallest=6)
    if facts.link:
        at = QCoreApplication.translate("Certificate", "Verify at {0}").format(facts.link)
        _text(painter, device, box(20, 273, 170, 9), at, _font("Monospace", 8), _INK, align=top, smallest=5.5)
    else:
        how = QCoreApplication.translate("Certificate", "Verify the credential's JSON file with the issuer's "
                                         "published keys.")
        _text(painter, device, box(20, 273, 170, 9), how, _font("Sans Serif", 8), _INK, align=top)
