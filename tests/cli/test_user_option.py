"""``--user`` and ``WALKWELL_USER``: the terminal acts as a web account."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

WALKWELL = Path(sys.executable).with_name("walkwell")
SIGN_UP = (
    "from django.contrib.auth.models import User; "
    "User.objects.create_user('alice', password='a long enough password 7')"
)


def run(
    home: Path, *args: str, user: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL"}}
    env.pop("WALKWELL_USER", None)
    env["WALKWELL_HOME"] = str(home)
    if user is not None:
        env["WALKWELL_USER"] = user
    return subprocess.run(
        [str(WALKWELL), *args], env=env, capture_output=True, text=True, check=False
    )


def _people(home: Path) -> dict[str, int]:
    with sqlite3.connect(home / "walkwell.sqlite3") as db:
        rows = db.execute(
            "select u.username, count(w.id) from program_person p"
            " join auth_user u on u.id = p.user_id"
            " left join program_walk w on w.person_id = p.id group by u.username"
        ).fetchall()
    return dict(rows)


def test_the_terminal_and_the_web_account_share_one_plan(tmp_path: Path) -> None:
    assert run(tmp_path, "setup").returncode == 0
    assert run(tmp_path, "manage", "shell", "-c", SIGN_UP).returncode == 0
    init = ["init", "--baseline-minutes", "12", "--start", "2026-01-05", "--yes"]
    started = run(tmp_path, "--user", "alice", *init)
    assert started.returncode == 0, started.stderr
    walked = run(
        tmp_path, "log-walk", "--date", "2026-01-05", "--minutes", "12", user="alice"
    )
    assert walked.returncode == 0, walked.stderr
    today = run(tmp_path, "--user", "alice", "today", "--date", "2026-01-06", "--json")
    assert json.loads(today.stdout)["phase"] == 1
    assert _people(tmp_path) == {"alice": 1}
    local = run(tmp_path, "status")
    assert (local.returncode, local.stderr) == (
        2,
        "walkwell: error: plan: none yet; start one with `walkwell init`\n",
    )


def test_the_local_person_stays_the_default_and_apart(tmp_path: Path) -> None:
    assert run(tmp_path, "setup").returncode == 0
    assert run(tmp_path, "manage", "shell", "-c", SIGN_UP).returncode == 0
    init = ["init", "--baseline-minutes", "12", "--start", "2026-01-05", "--yes"]
    assert run(tmp_path, *init).returncode == 0
    assert run(tmp_path, "log-walk", "--minutes", "12").returncode == 0
    assert _people(tmp_path) == {"local": 1}
    theirs = run(tmp_path, "--user", "alice", "status")
    assert theirs.returncode == 2
    assert "plan: none yet" in theirs.stderr


def test_an_unknown_account_is_refused_in_one_line_and_nothing_is_stored(
    tmp_path: Path,
) -> None:
    init = ["init", "--baseline-minutes", "12", "--yes"]
    by_option = run(tmp_path, "--user", "bob", *init)
    by_variable = run(tmp_path, *init, user="bob")
    assert by_option.returncode == by_variable.returncode == 2
    assert by_option.stderr.startswith(
        "walkwell: error: --user: no account named 'bob'"
    )
    assert by_variable.stderr.startswith(
        "walkwell: error: WALKWELL_USER: no account named 'bob'"
    )
    assert by_option.stderr.count("\n") == by_variable.stderr.count("\n") == 1
    with sqlite3.connect(tmp_path / "walkwell.sqlite3") as db:
        users = db.execute("select count(*) from auth_user").fetchone()[0]
        people = db.execute("select count(*) from program_person").fetchone()[0]
    assert (users, people) == (0, 0)
