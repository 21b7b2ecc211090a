"""The README's terminal session runs as printed, on a real SQLite file."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"
WALKWELL = Path(sys.executable).with_name("walkwell")


def _session() -> list[tuple[str, str]]:
    text = README.read_text(encoding="utf-8")
    found = re.search(r"A real session.*?```console\n(.*?)```", text, re.S)
    assert found, "the README shows a terminal session"
    steps = []
    for chunk in re.split(r"^\$ ", found.group(1), flags=re.M)[1:]:
        command, _, printed = chunk.partition("\n")
        steps.append((command, printed.rstrip()))
    return steps


def test_the_readme_session_prints_what_the_readme_shows(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"WALKWELL_HOME": str(tmp_path), "COLUMNS": "88", "TERM": "dumb"}
    env.pop("WALKWELL_USER", None)
    for command, printed in _session():
        args = shlex.split(command)
        assert args[0] == "walkwell"
        done = subprocess.run(
            [str(WALKWELL), *args[1:]],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        shown = done.stdout + done.stderr
        if done.returncode:
            shown += f"[exit {done.returncode}]\n"
        lines = "\n".join(line.rstrip() for line in shown.splitlines())
        assert lines.rstrip() == printed, command
