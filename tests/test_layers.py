"""Layering: only mcdesk/ui/ may use Qt, so the CLI and the core run without a screen."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import mcdesk

PACKAGE = Path(mcdesk.__file__).resolve().parent
REPO = PACKAGE.parent
QT = "PySide6"


def core_modules() -> dict[str, Path]:
    """Every module of mcdesk outside mcdesk/ui/, by dotted name."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        if rel.parts[:2] == ("mcdesk", "ui"):
            continue
        name = ".".join(rel.parts[:-1] if rel.name == "__init__" else rel.parts)
        found[name] = path
    return found


def qt_imports(path: Path) -> list[str]:
    """The PySide6 imports in a module, anywhere in it (top level or inside a function)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    hits = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            hits += [
                f"line {node.lineno}: import {a.name}"
                for a in node.names
                if a.name == QT or a.name.startswith(QT + ".")
            ]
        elif (
            isinstance(node, ast.ImportFrom)
            and node.module
            and node.level == 0
            and (node.module == QT or node.module.startswith(QT + "."))
        ):
            hits.append(f"line {node.lineno}: from {node.module} import ...")
    return sorted(hits, key=lambda h: int(h.split()[1].rstrip(":")))


def test_the_walk_finds_the_core_modules_and_skips_the_ui() -> None:
    names = core_modules()
    assert {
        "mcdesk",
        "mcdesk.cli",
        "mcdesk.packs.install",
        "mcdesk.store.db",
        "mcdesk.learning.progress",
    } <= set(names)
    assert not any(n == "mcdesk.ui" or n.startswith("mcdesk.ui.") for n in names)


def test_the_import_check_sees_qt_imports(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def f():\n    from PySide6.QtWidgets import QWidget\nimport PySide6\nimport PySide6x\n"
    )
    assert qt_imports(sample) == [
        "line 2: from PySide6.QtWidgets import ...",
        "line 3: import PySide6",
    ]


def test_no_module_outside_mcdesk_ui_imports_pyside6() -> None:
    offenders = {name: hits for name, path in core_modules().items() if (hits := qt_imports(path))}
    assert offenders == {}, f"these modules import {QT} outside mcdesk/ui/: {offenders}"


def test_importing_every_core_module_loads_no_qt() -> None:
    names = sorted(n for n in core_modules() if n != "mcdesk.__main__")  # __main__ runs the CLI
    code = (
        f"import {', '.join(names)}; import sys; "
        f"loaded = sorted(m for m in sys.modules if m.startswith('{QT}')); "
        "assert not loaded, loaded; print(len(sys.modules))"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) > len(names)


def test_reading_the_sync_status_loads_no_network_or_compression_modules() -> None:
    """The app's status-bar indicator imports mcdesk.sync.client for status(): that import must stay light
    (every module loaded there is memory the desktop pays before anyone syncs)."""
    heavy = ("socket", "gzip", "selectors", "ssl", "httpx", "cryptography")
    code = ("import sys, mcdesk.sync.client; "
            f"print(','.join(m for m in {heavy!r} if m in sys.modules))")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""
