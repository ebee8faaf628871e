"""The wallet: credentials the learner has earned on this laptop, "earned — awaiting verification"."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget

from mcdesk.learning.credentials import AWAITING_VERIFICATION, WalletEntry, wallet
from mcdesk.learning.progress import percent
from mcdesk.ui.context import CREDENTIALS, LEARNERS, PACKS, PROGRESS, Context
from mcdesk.ui.dashboard import card, label, local_date
from mcdesk.ui.errors import show_error


class WalletView(QWidget):
    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.entries: list[WalletEntry] = []
        self._state = "loading"  # loading | no-learner | data
        self._loaded = False
        self.heading = label(bold=True, scale=1.4)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.scroll, 1)
        self.retranslate()
        ctx.bus.changed.connect(self._changed)

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Your wallet"))
        self.scroll.setAccessibleName(self.tr("Credentials you have earned"))
        self._render()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if not self._loaded:
            self._loaded = True
            self.refresh()

    def _changed(self, topics: frozenset[str]) -> None:
        if topics & {CREDENTIALS, PROGRESS, PACKS, LEARNERS}:
            self.refresh()

    def refresh(self) -> None:
        learner, store = self.ctx.learner_id, self.ctx.store
        if learner is None:
            self.entries, self._state = [], "no-learner"
            self._render()
            return
        self.ctx.run(lambda _r: (learner, wallet(store, learner)), on_done=self._show,
                     on_failed=lambda exc, _tb: show_error(self, exc))

    def _show(self, result: tuple[int, list[WalletEntry]]) -> None:
        learner, entries = result
        if learner != self.ctx.learner_id:
            return  # the learner changed while it loaded; a newer refresh is on its way
        self.entries, self._state = entries, "data"
        self._render()

    def _render(self) -> None:
        entries = self.entries
        if self._state != "data":
            text = (self.tr("Choose your profile to see your wallet.") if self._state == "no-learner"
                    else self.tr("Loading…"))
            self._set_content([label(text)])
            return
        if not entries:
            self._set_content([
                label(self.tr("No credentials yet"), bold=True, scale=1.15),
                label(self.tr("Each course in the library offers a credential. Complete every lesson of the course "
                              "and pass its quizzes: the credential appears here at once, marked “Earned — awaiting "
                              "verification” until your institution confirms it.")),
                label(self.tr("Credentials that stack into a larger one (a pathway) bring you closer to it; the "
                              "dashboard shows how far along you are.")),
            ])
            return
        self._set_content([self._card(entry) for entry in entries])

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

    def _set_content(self, widgets: list[QWidget]) -> None:
        content = QWidget()
        layout = QVBoxLayout(content)
        for widget in widgets:
            layout.addWidget(widget)
        layout.addStretch(1)
        old = self.scroll.takeWidget()
        self.scroll.setWidget(content)
        if old is not None:
            old.deleteLater()
