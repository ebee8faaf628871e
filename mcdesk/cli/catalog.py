"""The `mcdesk catalog` commands."""

from __future__ import annotations

from typing import Any


def add_parsers(sub: Any) -> None:
    """Add this family's parsers to sub (a _CommonSubparsers); commands are "catalog:<function>"."""
