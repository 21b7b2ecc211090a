"""What WalkWell writes under WALKWELL_HOME is readable by its owner only.

The database, its WAL and shared-memory files, backups and uploads hold health
data: files are created 0600 and folders 0700, whatever the umask, as the
secret key already was. Checked on real files made by real processes.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from tests.web.pages_support import person
from walkwell.web.imports import services as imports

WALKWELL = Path(sys.executable).with_name("walkwell")
LOOSE_UMASK = 0o022  # the usual default: files 0644, folders 0755


def run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["WALKWELL_HOME"] = str(home)
    return subprocess.run(
        [str(WALKWELL), *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        umask=LOOSE_UMASK,
    )


def mode(path: Path) -> str:
    return oct(stat.S_IMODE(path.stat().st_mode))


def test_setup_makes_the_home_folder_database_and_key_private(tmp_path: Path) -> None:
    home = tmp_path / "walkwell"
    assert run(home, "setup").returncode == 0
    assert mode(home) == "0o700"
    assert mode(home / "walkwell.sqlite3") == "0o600"
    assert mode(home / "secret_key") == "0o600"


def test_a_database_left_readable_by_an_older_version_is_made_private(
    tmp_path: Path,
) -> None:
    assert run(tmp_path, "setup").returncode == 0
    database = tmp_path / "walkwell.sqlite3"
    database.chmod(0o644)
    assert run(tmp_path, "setup").returncode == 0
    assert mode(database) == "0o600"


SHOW_WAL_MODES = """
import json, os, stat
from django.conf import settings
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("pragma journal_mode")
    journal = cursor.fetchone()[0]
    cursor.execute("update program_person set footwear = 'supportive'")
name = str(settings.DATABASES["default"]["NAME"])
modes = {
    end: oct(stat.S_IMODE(os.stat(name + end).st_mode)) for end in ("-wal", "-shm")
}
print(json.dumps({"journal": journal, **modes}))
"""


def test_the_wal_and_shared_memory_files_are_private(tmp_path: Path) -> None:
    started = run(tmp_path, "init", "--baseline-minutes", "12", "--yes")
    assert started.returncode == 0, started.stderr
    shown = run(tmp_path, "manage", "shell", "-c", SHOW_WAL_MODES)
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout.strip().splitlines()[-1]) == {
        "journal": "wal",
        "-wal": "0o600",
        "-shm": "0o600",
    }


def test_a_backup_is_private_and_holds_the_walks(tmp_path: Path) -> None:
    assert run(tmp_path, "init", "--baseline-minutes", "12", "--yes").returncode == 0
    assert run(tmp_path, "log-walk", "--minutes", "14").returncode == 0
    made = run(tmp_path, "backup")
    assert made.returncode == 0, made.stderr
    backup = Path(made.stdout.strip().rsplit(" ", 1)[-1])
    assert backup.parent == tmp_path / "backups"
    assert mode(backup.parent) == "0o700"
    assert mode(backup) == "0o600"
    with sqlite3.connect(backup) as db:
        assert db.execute("select minutes from program_walk").fetchall() == [(14.0,)]


@pytest.mark.django_db
def test_uploaded_files_wait_in_private_folders(tmp_path: Path) -> None:
    walker = person("alice", dt.date(2026, 1, 5))
    upload = SimpleUploadedFile("walk.gpx", b"<gpx/>")
    old = os.umask(LOOSE_UMASK)
    try:
        with override_settings(WALKWELL_HOME=tmp_path):
            run_ = imports.upload_start(person=walker, files=[upload])
            folder = imports.upload_folder(run_)
    finally:
        os.umask(old)
    assert mode(folder.parent) == "0o700"
    assert mode(folder) == "0o700"
    assert mode(folder / "walk.gpx") == "0o600"
