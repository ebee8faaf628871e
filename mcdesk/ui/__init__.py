"""The Qt desktop app. The only package that imports PySide6."""

import linecache
import os
import sys


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


def check_module_sources_quickly() -> None:
    """PySide6 replaces ``__import__`` (for its opt-in ``from __feature__ import ...``, which mcdesk never
    uses) and asks of every module imported after it, the first time an import statement names it,
    whether its source mentions "PySide6". It asks through inspect.getsource, which finds, reads,
    decodes and splits the whole file: for typing, datetime, sqlite3 and each mcdesk module on the way
    to the first window, several milliseconds of the start. Answer it without that: no for the
    standard library's modules (none of them mentions PySide6), else from the file's bytes; a module
    without a .py file still goes to PySide6's own check. Calling it again does nothing; if a PySide6
    release drops the hook, it does nothing at all."""
    import PySide6  # noqa: F401 - installs the hook (shiboken6 and its support modules)

    feature = sys.modules.get("shibokensupport.feature")
    check = getattr(feature, "_mod_uses_pyside", None)
    if check is None or getattr(check, "mcdesk_bytes", False):
        return

    stdlib = os.path.dirname(os.__file__) + os.sep

    def mod_uses_pyside(module: object) -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path.endswith(".py"):
            if path.startswith(stdlib) and "-packages" not in path:  # not site- or dist-packages
                return False
            try:
                with open(path, "rb") as source:
                    return b"PySide6" in source.read()
            except OSError:
                pass
        return bool(check(module))

    mod_uses_pyside.mcdesk_bytes = True  # type: ignore[attr-defined]
    feature._mod_uses_pyside = mod_uses_pyside  # type: ignore[union-attr]


stop_keeping_module_sources()
check_module_sources_quickly()
