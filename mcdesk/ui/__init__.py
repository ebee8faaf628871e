"""The Qt desktop app. The only package that imports PySide6."""

import linecache


def stop_keeping_module_sources() -> None:
    """PySide6's import hook reads the source of every module imported after it (looking for
    "PySide6") through linecache, which then keeps every line of every module: about 6 MB by the time
    a lesson is open, never read again. Drop what is kept and stop keeping source files read later
    (a traceback or warning reads its lines from disk again). Runs when the UI package is imported,
    before PySide6 is; calling it again does nothing."""
    update = linecache.updatecache
    if getattr(update, "mcdesk_uncached", False):
        return

    def uncached_update(filename: str, module_globals: dict[str, object] | None = None) -> list[str]:
        lines = update(filename, module_globals)
        linecache.cache.pop(filename, None)  # read again (from disk) when a traceback asks
        return lines

    uncached_update.mcdesk_uncached = True  # type: ignore[attr-defined]
    linecache.updatecache = uncached_update
    linecache.clearcache()


stop_keeping_module_sources()
