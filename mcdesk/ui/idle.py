"""Auto-lock: notices when nobody has touched the mouse, keyboard or screen for the configured time."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QWindow
from shiboken6 import isValid

from mcdesk.learning.learners import idle_lock_minutes
from mcdesk.ui.context import SETTINGS, Context
from mcdesk.ui.qt_enums import set_enum_property

INPUT_EVENTS = frozenset({
    QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick,
    QEvent.Type.MouseMove, QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.Wheel,
    QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd, QEvent.Type.TabletPress,
    QEvent.Type.TabletMove, QEvent.Type.InputMethod, QEvent.Type.NativeGesture,
})


class IdleWatcher(QObject):
    """Restarts one single-shot timer on each user input and emits ``idle`` when the timer runs out (no
    polling). The interval is the ``idle_lock_minutes`` setting, re-read when the SETTINGS topic changes,
    unless ``timeout_ms`` is given; 0 disables it. ``stop()`` pauses the watch (on the profile picker,
    say) and takes its filters off, so no event passes through Python for it; ``start()`` resumes it.

    Input reaches a widget through its top-level window's QWindow, so the watch is an event filter on
    each of the application's windows (those there when it starts, and each one that takes the focus
    later: a dialog), not on the application. An application-wide filter would see every event of every
    object, and PySide6 would build the Python types of some 200 Qt classes to describe them to it (see
    mcdesk.ui.qt_enums): megabytes for the whole run."""

    idle = Signal()

    def __init__(self, ctx: Context | None = None, *, timeout_ms: int | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.timeout_ms = 0
        self.active = True
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        # One precise timer (coarse ones report a rounded remainingTime), set by name: see mcdesk.ui.qt_enums.
        set_enum_property(self.timer, "timerType", "PreciseTimer")
        self.timer.timeout.connect(self.idle)
        self._filtering = False
        self._windows: list[QWindow] = []
        self._filter(True)
        if timeout_ms is not None:
            self.set_timeout_ms(timeout_ms)
        elif ctx is not None:
            ctx.bus.changed.connect(self._bus_changed)
            self.reload()

    def reload(self) -> None:
        """Read the idle-lock minutes again (on the database worker)."""
        if self.ctx is not None:
            store = self.ctx.store
            self.ctx.run(lambda _rep: idle_lock_minutes(store), on_done=self._loaded)

    def _loaded(self, minutes: int) -> None:
        if isValid(self):  # the result can arrive after the watcher was deleted
            self.set_minutes(minutes)

    def _bus_changed(self, topics: frozenset[str]) -> None:
        if SETTINGS in topics:
            self.reload()

    def set_minutes(self, minutes: int) -> None:
        self.set_timeout_ms(max(0, int(minutes)) * 60_000)

    def set_timeout_ms(self, timeout_ms: int) -> None:
        self.timeout_ms = max(0, int(timeout_ms))
        self._arm()

    def start(self) -> None:
        self.active = True
        self._filter(True)
        self._arm()

    def stop(self) -> None:
        self.active = False
        self._filter(False)
        self.timer.stop()

    def _filter(self, on: bool) -> None:
        app = QGuiApplication.instance()
        if not isinstance(app, QGuiApplication) or on == self._filtering:
            return
        self._filtering = on
        if on:
            app.focusWindowChanged.connect(self._watch_windows)
            self._watch_windows()
        else:
            app.focusWindowChanged.disconnect(self._watch_windows)
            for window in self._windows:
                if isValid(window):
                    window.removeEventFilter(self)
            self._windows.clear()

    def _watch_windows(self, *_focus: object) -> None:
        """Filter the input of every top-level window not watched yet (a new dialog, a popup)."""
        app = QGuiApplication.instance()
        if not self._filtering or not isinstance(app, QGuiApplication):
            return
        self._windows = [window for window in self._windows if isValid(window)]
        for window in app.topLevelWindows():
            if window not in self._windows:
                window.installEventFilter(self)
                self._windows.append(window)

    def watched_windows(self) -> list[QWindow]:
        """The windows whose input restarts the timer now."""
        return [window for window in self._windows if isValid(window)]

    def enabled(self) -> bool:
        return self.active and self.timeout_ms > 0

    def _arm(self) -> None:
        if self.enabled():
            self.timer.start(self.timeout_ms)
        else:
            self.timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() in INPUT_EVENTS and self.timeout_ms > 0 and self.active:
            self.timer.start(self.timeout_ms)
        return False
