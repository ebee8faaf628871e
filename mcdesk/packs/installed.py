"""Cheap questions about installed packs, for the desktop's start (the installer is not imported)."""

from __future__ import annotations

from mcdesk.store.db import Store


def any_installed(store: Store) -> bool:
    """Whether at least one pack is installed (a first start installs the samples when not)."""
    return store.one("SELECT 1 FROM packs LIMIT 1") is not None
