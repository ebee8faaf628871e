"""What the command families share: opening the data folder and its database for one command."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mcdesk.home import Home
    from mcdesk.store.db import Store


@contextmanager
def opened(args: argparse.Namespace) -> Iterator[tuple[Home, Store]]:
    """The data folder of ``--home`` (or the default) and its database, closed when the command ends."""
    from mcdesk.home import Home
    from mcdesk.store.db import open_store

    home = Home.open(args.home)
    store = open_store(home)
    try:
        yield home, store
    finally:
        store.close()
