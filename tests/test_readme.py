"""The README's commands stay true: CI runs exactly the README's test command."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(sh \.ci/system-packages[^\n]*)\n```", text)


def test_readme_has_the_two_setup_commands_each_on_one_line() -> None:
    commands = _readme_commands()
    assert len(commands) == 2, commands
    assert commands[0].endswith(".venv/bin/mcdesk")
    assert "pytest" in commands[1]


def test_ci_runs_exactly_the_readme_test_command() -> None:
    """The README's test command is a line of .ci/run, as it is; only the bundle step comes after it."""
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    steps = [line for line in ci.splitlines() if line.strip() and not line.startswith("#")]
    assert _readme_commands()[1] in steps
    assert steps[steps.index(_readme_commands()[1]) + 1:] == ["bash .ci/bundle"]


def test_every_package_folder_is_listed_in_pyproject() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {
        ".".join(p.parent.relative_to(REPO).parts)
        for p in (REPO / "mcdesk").rglob("__init__.py")
    } | {"mcdesk.content_packs", "mcdesk.resources"}
    assert found == listed
