"""Helpers shared by the fuzz tests that bend valid JSON documents."""

from __future__ import annotations

from typing import Any


def places(node: Any, path: tuple = ()) -> list[tuple]:
    """Every path (a tuple of keys and indexes) into ``node``, the root's empty path first."""
    found = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            found += places(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += places(value, (*path, index))
    return found
