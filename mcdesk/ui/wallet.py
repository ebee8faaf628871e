"""The wallet: the learner's credentials, "earned — awaiting verification" until the institution's
issued credential arrives and verifies on this laptop; exports of an issued one (JSON, PDF, badge)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QFrame, QHBoxLayout, QPushButton, QWidget

from mcdesk.learning.credentials import AWAITING_VERIFICATION, INVALID, ISSUED, REVOKED, WalletEntry, wallet
from mcdesk.learning.progress import percent
from mcdesk.store.db import Store
from mcdesk.ui.cards import LearnerCardsPage, card, label, local_date
from mcdesk.ui.context import Context
from mcdesk.ui.errors import show_error
from mcdesk.ui.progress_dialog import run_for_widget
from mcdesk.ui.sync_view import SYNC


@dataclass(frozen=True)
class WalletCard:
    """One credential as the wallet shows it. ``status`` is checked again when the wallet loads: an
    issued credential counts as verified only if its VC-JWT verifies now against the pinned keys."""

    entry: WalletEntry
    status: str  # awaiting_verification | issued | revoked | invalid
    reason: str | None  # why it is revoked or could not be verified
    issuer: str  # the issuer's name from the credential ("" before one arrived)

    @property
    def verified(self) -> bool:
        return self.status == ISSUED


def load_wallet(store: Store, learner_id: int) -> list[WalletCard]:
    """On the worker: the learner's wallet, with every issued credential verified offline again."""
    from mcdesk.credentials.device import get_credential, pinned_issuer_keys, verify_token
    from mcdesk.errors import CredentialError

    keys: list[dict[str, Any]] | None = None
    cards = []
    for entry in wallet(store, learner_id):
        status, reason, issuer = entry.status, entry.status_reason, ""
        item = get_credential(store, entry.credential_id) if entry.credential_id else None
        if item is not None:
            issuer = _issuer_name(item.credential)
            if status == ISSUED:
                keys = pinned_issuer_keys(store) if keys is None else keys
                try:
                    verify_token(item.jwt, keys, expected_id=item.credential_id)
                except CredentialError as exc:
                    status, reason = INVALID, exc.message
        cards.append(WalletCard(entry, status, reason, issuer))
    return cards


def _issuer_name(credential: dict[str, Any] | None) -> str:
    issuer = (credential or {}).get("issuer")
    if isinstance(issuer, dict):
        return str(issuer.get("name") or issuer.get("id") or "")
    return str(issuer or "")


class WalletView(LearnerCardsPage):
    TOPICS = LearnerCardsPage.TOPICS | {SYNC}  # credentials issued or revoked arrive with a sync

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.notice = label()  # under the heading: what the last export did
        self.notice.setVisible(False)
        self.layout().insertWidget(1, self.notice)
        self.notice.setAccessibleName(self.tr("Export result"))

    def heading_text(self) -> str:
        return self.tr("Your wallet")

    def scroll_name(self) -> str:
        return self.tr("Credentials you have earned")

    def no_learner_text(self) -> str:
        return self.tr("Choose your profile to see your wallet.")

    def load(self, store: Store, learner_id: int) -> list[WalletCard]:
        return load_wallet(store, learner_id)

    @property
    def cards(self) -> list[WalletCard]:
        return list(self.data or [])

    @property
    def entries(self) -> list[WalletEntry]:
        return [c.entry for c in self.cards]

    def render(self, cards: list[WalletCard]) -> list[QWidget]:
        if not cards:
            return [
                label(self.tr("No credentials yet"), bold=True, scale=1.15),
                label(self.tr("Each course in the library offers a credential. Complete every lesson of the course "
                              "and pass its quizzes: the credential appears here at once, marked “Earned — awaiting "
                              "verification” until your institution confirms it.")),
                label(self.tr("Credentials that stack into a larger one (a pathway) bring you closer to it; the "
                              "dashboard shows how far along you are.")),
            ]
        return [self._card(c) for c in cards]

    def status_text(self, shown: WalletCard) -> str:
        if shown.status == AWAITING_VERIFICATION:
            return self.tr("Earned — awaiting verification")
        if shown.status == ISSUED:
            return self.tr("Issued by {0} — verified on this laptop").format(
                shown.issuer or self.tr("your institution"))
        if shown.status == REVOKED:
            return self.tr("Revoked by your institution: {0}").format(
                shown.reason or self.tr("no reason was given"))
        return self.tr("Could not be verified: {0}").format(shown.reason or self.tr("no reason was recorded"))

    def _card(self, shown: WalletCard) -> QFrame:
        entry = shown.entry
        frame, layout = card()
        frame.setAccessibleName(entry.title)
        layout.addWidget(label(entry.title, bold=True, scale=1.2))
        layout.addWidget(label(self.status_text(shown), bold=True))
        if shown.status == ISSUED:
            issued = local_date(entry.issued_at) if entry.issued_at else self.tr("an unknown date")
            checked = (self.tr("status checked on {0}").format(local_date(entry.status_checked_at))
                       if entry.status_checked_at else self.tr("not checked online yet"))
            layout.addWidget(label(self.tr("Issued on {0} · {1}").format(issued, checked)))
        elif shown.status == INVALID:
            layout.addWidget(label(self.tr("It is not shown as verified and cannot be exported. Sync again; if it "
                                           "stays like this, tell your institution.")))
        elif shown.status == REVOKED and entry.status_checked_at:
            layout.addWidget(label(self.tr("Status checked on {0}").format(local_date(entry.status_checked_at))))
        if entry.earned_at:
            when = local_date(entry.earned_at)
            if entry.score is not None:
                layout.addWidget(label(self.tr("Earned on {0} · Score {1}%").format(when, percent(entry.score))))
            else:
                layout.addWidget(label(self.tr("Earned on {0}").format(when)))
        if entry.description:
            layout.addWidget(label(entry.description))
        if entry.skills:
            layout.addWidget(label(self.tr("Skills: {0}").format(", ".join(s.name for s in entry.skills))))
        for target in entry.stacks_into:
            name = target.title or target.ref
            if target.held:
                text = self.tr("Part of {0}, which you have earned too.").format(name)
            elif target.parts_total:
                text = self.tr("Counts toward {0}: {1} of {2} credentials held.").format(
                    name, target.parts_held, target.parts_total)
            else:
                text = self.tr("Counts toward {0}.").format(name)
            layout.addWidget(label(text))
        if shown.verified and entry.credential_id:
            layout.addLayout(self._export_buttons(shown))
        return frame

    def _export_buttons(self, shown: WalletCard) -> QHBoxLayout:
        title = shown.entry.title
        row = QHBoxLayout()
        for text, name, action in (
                (self.tr("Save as &JSON…"), self.tr("Save {0} as JSON").format(title), self.save_json),
                (self.tr("&Print certificate (PDF)…"), self.tr("Save a printable certificate of {0} as PDF")
                 .format(title), self.print_certificate),
                (self.tr("Save &badge image…"), self.tr("Save the badge image of {0}").format(title),
                 self.save_badge)):
            button = QPushButton(text)
            button.setAccessibleName(name)
            button.setObjectName(action.__name__)
            button.clicked.connect(lambda _checked=False, act=action: act(shown))
            row.addWidget(button)
        row.addStretch(1)
        return row

    # --- exports -----------------------------------------------------------------------------------

    # File choosers: tests replace these on the instance.
    def choose_json_file(self, suggested: str) -> Path | None:
        return self._choose(self.tr("Save the credential as JSON"), suggested, self.tr("Credential (*.json)"))

    def choose_pdf_file(self, suggested: str) -> Path | None:
        return self._choose(self.tr("Save a printable certificate"), suggested, self.tr("PDF document (*.pdf)"))

    def choose_badge_file(self, suggested: str) -> Path | None:
        return self._choose(self.tr("Save the badge image"), suggested, self.tr("PNG image (*.png)"))

    def _choose(self, title: str, suggested: str, filters: str) -> Path | None:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        name, _filter = QFileDialog.getSaveFileName(self, title, str(Path(folder) / suggested), filters)
        return Path(name) if name else None

    @staticmethod
    def _stem(shown: WalletCard) -> str:
        from mcdesk.credentials.export import SUFFIX, export_name

        return export_name(shown.entry.title, shown.entry.credential_id or "").removesuffix(SUFFIX)

    def save_json(self, shown: WalletCard) -> None:
        from mcdesk.credentials.export import SUFFIX

        target = self.choose_json_file(self._stem(shown) + SUFFIX)
        if target is None:
            return
        credential_id, store = shown.entry.credential_id or "", self.ctx.store

        def job(_rep: Any) -> Path:
            from mcdesk.ui.certificate import write_credential_json

            return write_credential_json(store, credential_id, target)

        self._export(job, self.tr("Saving {0} as JSON…").format(shown.entry.title))

    def print_certificate(self, shown: WalletCard) -> None:
        target = self.choose_pdf_file(self._stem(shown) + "-certificate.pdf")
        if target is None:
            return
        self._export(self._drawing_job(shown, target, "pdf"),
                     self.tr("Making the certificate of {0}…").format(shown.entry.title))

    def save_badge(self, shown: WalletCard) -> None:
        target = self.choose_badge_file(self._stem(shown) + "-badge.png")
        if target is None:
            return
        self._export(self._drawing_job(shown, target, "png"),
                     self.tr("Drawing the badge of {0}…").format(shown.entry.title))

    def _drawing_job(self, shown: WalletCard, target: Path, kind: str) -> Callable[[Any], Path]:
        credential_id, store = shown.entry.credential_id or "", self.ctx.store

        def job(_rep: Any) -> Path:
            # On the worker: the facts from the core, then QPainter on a QPdfWriter or a QImage (both
            # allowed off the GUI thread).
            from mcdesk.ui.certificate import certificate_facts, write_badge_png, write_certificate_pdf

            facts = certificate_facts(store, credential_id)
            return write_certificate_pdf(facts, target) if kind == "pdf" else write_badge_png(facts, target)

        return job

    def _export(self, job: Callable[[Any], Path], doing: str) -> None:
        self._say(doing)

        def failed(exc: BaseException) -> None:
            self._say("")
            show_error(self, exc)

        run_for_widget(self, self.ctx, job, on_done=lambda path: self._say(self.tr("Saved {0}").format(path)),
                       on_failed=failed)

    def _say(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))
