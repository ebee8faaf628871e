"""What every window and view shares: the data folder, the core managers, the worker and the bus."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from mcdesk.ui.ops import QtReporter, Worker

if TYPE_CHECKING:  # every view imports this module: keep the pack installer off the start path
    from mcdesk.home import Home
    from mcdesk.packs.install import PackManager
    from mcdesk.store.db import Store

# Topics of change. A core operation run from the UI says which of these it changed; views
# subscribe to the topics they show and refresh themselves. Views never call each other.
PACKS = "packs"
TRUST = "trust"
LEARNERS = "learners"
PROGRESS = "progress"
CREDENTIALS = "credentials"
SETTINGS = "settings"
SESSION = "session"  # who is signed in changed (a learner signed in or out, technician mode)


class Bus(QObject):
    """Change notifications, always emitted on the GUI thread."""

    changed = Signal(object)  # a frozenset of topic names

    def notify(self, *topics: str) -> None:
        self.changed.emit(frozenset(topics))


@dataclass
class Context:
    home: Home
    store: Store  # used only inside worker jobs, never on the GUI thread
    manager: PackManager
    worker: Worker
    bus: Bus = field(default_factory=Bus)
    learner_id: int | None = None  # who is signed in; None on the profile picker
    technician: bool = False  # technician mode unlocked

    def run(self, fn: Callable[[QtReporter], Any], *, on_done: Callable[[Any], None] | None = None,
            on_failed: Callable[[BaseException, str], None] | None = None,
            on_progress: Callable[[str, int | None, int], None] | None = None,
            changes: Iterable[str] = ()) -> QtReporter:
        """Run ``fn(reporter)`` on the database worker; on success announce ``changes`` on the bus
        (before ``on_done``), so every view showing those topics refreshes itself."""
        topics = tuple(changes)

        def done(result: Any) -> None:
            if topics:
                self.bus.notify(*topics)
            if on_done is not None:
                on_done(result)

        return self.worker.run(fn, on_done=done, on_failed=on_failed, on_progress=on_progress)
