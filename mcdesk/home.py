"""The data folder of one installation: where the database, installed packs, keys and logs live."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from mcdesk.errors import StoreError

APP_NAME = "mcdesk"


def default_home() -> Path:
    """MCDESK_HOME if set, else the platform's user data folder (platformdirs)."""
    env = os.environ.get("MCDESK_HOME")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return platformdirs.user_data_path(APP_NAME, appauthor=False)


class Home(NamedTuple):
    """Paths inside one data folder. ``Home.open`` creates the folders that are missing. (A NamedTuple
    rather than a dataclass: it is made on the app's start, where dataclasses would be imported for it.)"""

    root: Path

    @classmethod
    def open(cls, root: str | os.PathLike[str] | None = None) -> Home:
        home = cls(Path(root).expanduser().resolve() if root else default_home().resolve())
        try:
            for folder in (home.root, home.packs, home.backups, home.logs):
                folder.mkdir(parents=True, exist_ok=True)
            home.keys.mkdir(mode=0o700, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"The data folder {home.root} cannot be created or written ({exc.strerror}).",
                "Choose another folder with --home or MCDESK_HOME, or fix its permissions.",
            ) from exc
        return home

    @property
    def db_path(self) -> Path:
        return self.root / "mcdesk.db"

    @property
    def packs(self) -> Path:
        return self.root / "packs"

    @property
    def staging(self) -> Path:
        """Temporary folders of installs in progress; anything here is garbage after a crash."""
        return self.packs / ".staging"

    @property
    def keys(self) -> Path:
        return self.root / "keys"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def logs(self) -> Path:
        return self.root / "logs"
