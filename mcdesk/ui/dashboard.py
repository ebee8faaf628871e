"""The learner's dashboard: progress toward each credential and along stacked pathways, hours left."""

from __future__ import annotations

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QFrame, QProgressBar, QWidget

from mcdesk.learning.credentials import ISSUED, REVOKED
from mcdesk.learning.progress import CredentialProgress, Dashboard, PartProgress, dashboard
from mcdesk.store.db import Store
from mcdesk.ui.cards import LearnerCardsPage, card, label, local_date
from mcdesk.ui.sync_view import SYNC


class DashboardView(LearnerCardsPage):
    TOPICS = LearnerCardsPage.TOPICS | {SYNC}  # a part issued (or revoked) by the institution arrives with a sync

    def heading_text(self) -> str:
        return self.tr("Your progress")

    def scroll_name(self) -> str:
        return self.tr("Progress toward your credentials")

    def no_learner_text(self) -> str:
        return self.tr("Choose your profile to see your progress.")

    def load(self, store: Store, learner_id: int) -> Dashboard:
        return dashboard(store, learner_id)

    def render(self, board: Dashboard) -> list[QWidget]:
        titles = {c.ref: c.title for c in board.credentials}
        self._board = board
        widgets: list[QWidget] = []
        singles = [c for c in board.credentials if not c.stacked]
        if singles:
            widgets.append(label(self.tr("Credentials"), bold=True, scale=1.15))
            widgets.extend(self._card(c, titles) for c in singles)
        if board.pathways:
            widgets.append(label(self.tr("Pathways (stacked credentials)"), bold=True, scale=1.15))
            widgets.extend(self._card(c, titles) for c in board.pathways)
        if not widgets:
            widgets.append(label(self.tr("No installed course offers a credential yet. Ask the technician to "
                                         "install a course pack.")))
        return widgets

    def _card(self, cred: CredentialProgress, titles: dict[str, str]) -> QFrame:
        frame, layout = card()
        frame.setAccessibleName(cred.title)
        layout.addWidget(label(cred.title, bold=True, scale=1.1))
        if cred.earned and cred.status == ISSUED:
            status = self.tr("Held — issued by your institution (earned {0})").format(local_date(cred.earned_at or ""))
        elif cred.earned and cred.status == REVOKED:
            status = self.tr("Revoked by your institution")
        elif cred.earned:
            status = self.tr("Earned — awaiting verification, {0}").format(local_date(cred.earned_at or ""))
        else:
            status = self.tr("{0}% done").format(cred.percent)
        layout.addWidget(label(status))
        bar = QProgressBar()
        bar.setRange(0, 100)
        bar.setValue(cred.percent)
        bar.setFormat(self.tr("{0}%").format(cred.percent))
        bar.setAccessibleName(self.tr("Progress toward {0}").format(cred.title))
        layout.addWidget(bar)
        if cred.stacked:
            held = sum(1 for part in cred.parts if part.held)
            layout.addWidget(label(self.tr("Parts: {0} of {1} earned").format(held, len(cred.parts))))
            for part in cred.parts:
                layout.addWidget(label(self.part_text(part)))
        else:
            layout.addWidget(label(self.tr("Lessons done: {0} of {1} · Quizzes passed: {2} of {3}").format(
                cred.lessons.done, cred.lessons.total, cred.quizzes.done, cred.quizzes.total)))
        if not cred.earned and cred.estimated_hours:
            hours = QLocale().toString(float(cred.hours_left), "f", 1)
            layout.addWidget(label(self.tr("About {0} hours left").format(hours)))
        if not cred.earned and cred.estimated_hours == 0 and cred.stacked and cred.parts:
            left = sum(p.hours_left for r in cred.parts if (p := self._progress(r.ref)) is not None and not p.earned)
            if left:
                hours = QLocale().toString(float(left), "f", 1)
                layout.addWidget(label(self.tr("About {0} hours left").format(hours)))
        for ref in cred.stacks_into:
            layout.addWidget(label(self.tr("Counts toward: {0}").format(titles.get(ref, ref))))
        return frame

    def _progress(self, ref: str) -> CredentialProgress | None:
        board = getattr(self, "_board", None)
        return board.credential(ref) if board is not None else None

    def part_text(self, part: PartProgress) -> str:
        """One part of a stacked credential: held (issued), earned (awaiting verification), or in
        progress with its percent and hours left."""
        name = part.title or part.ref
        progress = self._progress(part.ref)
        status = progress.status if progress is not None else None
        if part.held and status == ISSUED:
            return self.tr("✓ {0} — held (issued by your institution)").format(name)
        if part.held:
            return self.tr("✓ {0} — earned, awaiting verification").format(name)
        if part.title is None:
            return self.tr("{0} — its course is not installed on this laptop").format(name)
        if progress is not None and progress.estimated_hours:
            hours = QLocale().toString(float(progress.hours_left), "f", 1)
            return self.tr("{0} — {1}% done, about {2} hours left").format(name, progress.percent, hours)
        return self.tr("{0} — {1}% done").format(name, progress.percent if progress else 0)
