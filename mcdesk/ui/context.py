"""What every window and view shares: the data folder, the core managers, the worker and the bus."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
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


class Context:
    """What the views share: the data folder, its store and pack manager, the worker, the change bus,
    and who is at the laptop (``learner_id``: None on the profile picker; ``technician``: technician
    mode unlocked). The store is used only inside worker jobs, never on the GUI thread.

    ``manager`` is made on first use when none is given, which is on the worker during the start: so
    the pack installer's modules load there, while the GUI thread draws the first window."""

    def __init__(self, home: Home, store: Store, manager: PackManager | None, worker: Worker,
                 bus: Bus | None = None, learner_id: int | None = None, technician: bool = False) -> None:
        self.home = home
        self.store = store
        self._manager = manager
        self._manager_lock = threading.Lock()
        self.worker = worker
        self.bus = bus if bus is not None else Bus()
        self.learner_id = learner_id
        self.technician = technician

    @property
    def manager(self) -> PackManager:
        if self._manager is None:
            with self._manager_lock:  # the worker and the GUI thread may both ask first
                if self._manager is None:
                    from mcdesk.packs.install import PackManager

                    self._manager = PackManager(self.home, self.store)
        return self._manager

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
