"""The wallet: credentials the learner has earned on this laptop, "earned — awaiting verification"."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QWidget

from mcdesk.learning.credentials import AWAITING_VERIFICATION, WalletEntry, wallet
from mcdesk.learning.progress import percent
from mcdesk.store.db import Store
from mcdesk.ui.cards import LearnerCardsPage, card, label, local_date


class WalletView(LearnerCardsPage):
    def heading_text(self) -> str:
        return self.tr("Your wallet")

    def scroll_name(self) -> str:
        return self.tr("Credentials you have earned")

    def no_learner_text(self) -> str:
        return self.tr("Choose your profile to see your wallet.")

    def load(self, store: Store, learner_id: int) -> list[WalletEntry]:
        return wallet(store, learner_id)

    @property
    def entries(self) -> list[WalletEntry]:
        return list(self.data or [])

    def render(self, entries: list[WalletEntry]) -> list[QWidget]:
        if not entries:
            return [
                label(self.tr("No credentials yet"), bold=True, scale=1.15),
                label(self.tr("Each course in the library offers a credential. Complete every lesson of the course "
                              "and pass its quizzes: the credential appears here at once, marked “Earned — awaiting "
                              "verification” until your institution confirms it.")),
                label(self.tr("Credentials that stack into a larger one (a pathway) bring you closer to it; the "
                              "dashboard shows how far along you are.")),
            ]
        return [self._card(entry) for entry in entries]

    def status_text(self, status: str) -> str:
        if status == AWAITING_VERIFICATION:
            return self.tr("Earned — awaiting verification")
        if status == "issued":
            return self.tr("Issued by your institution")
        if status == "revoked":
            return self.tr("Revoked by your institution")
        return status

    def _card(self, entry: WalletEntry) -> QFrame:
        frame, layout = card()
        frame.setAccessibleName(entry.title)
        layout.addWidget(label(entry.title, bold=True, scale=1.2))
        layout.addWidget(label(self.status_text(entry.status), bold=True))
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
        return frame
