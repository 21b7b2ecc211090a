"""Every command documents itself: help text, and a section in docs/cli.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.main import get_command

from walkwell.cli import app

DOCS = Path(__file__).resolve().parents[2] / "docs" / "cli.md"
GROUP = get_command(app)
NAMES = sorted(getattr(GROUP, "commands", {}))


def section(name: str) -> str:
    text = DOCS.read_text(encoding="utf-8")
    found = re.search(rf"^## `walkwell {name}`\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert found, f"docs/cli.md has no section for `walkwell {name}`"
    return found.group(1)


def test_the_command_has_its_documented_commands() -> None:
    assert {"init", "today", "log-walk", "checkin", "status", "history"} <= set(NAMES)
    assert {"simulate", "setup", "serve", "manage", "clearance"} <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_every_command_has_help_and_a_documented_example(name: str) -> None:
    command = GROUP.commands[name]  # type: ignore[attr-defined]
    assert (command.help or "").strip(), f"{name} has no help text"
    assert "Example: walkwell " + name in command.help
    text = section(name)
    assert f"$ walkwell {name}" in text, f"docs/cli.md shows no example of {name}"


@pytest.mark.parametrize("name", NAMES)
def test_every_option_is_documented_with_help(name: str) -> None:
    command = GROUP.commands[name]  # type: ignore[attr-defined]
    text = section(name)
    for param in command.params:
        flags = [o for o in param.opts if o.startswith("--")]
        if not flags or param.name == "help":
            continue
        assert (getattr(param, "help", "") or "").strip(), f"{name} {flags[0]}: no help"
        assert f"`{flags[0]}" in text, f"docs/cli.md does not mention {name} {flags[0]}"
