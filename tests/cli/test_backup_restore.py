"""``walkwell backup FILE`` and ``walkwell backup --restore FILE`` on real SQLite
files: plain or sealed with a passphrase, and consistent under concurrent writes."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import threading
import time
import uuid
from pathlib import Path

import pytest

from tests.cli.test_real_database import WALKWELL, run

INIT = ("init", "--baseline-minutes", "12", "--start", "2026-01-05", "--yes")


def _walks(home: Path) -> list[tuple[str, float]]:
    with sqlite3.connect(home / "walkwell.sqlite3") as db:
        return db.execute(
            "select date, minutes from program_walk order by id"
        ).fetchall()


@pytest.fixture(scope="module")
def homes(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Prepared once (each run of the command sets Django up): an instance with
    one walk, and an empty one; tests work on copies."""
    started, empty = (tmp_path_factory.mktemp(n) for n in ("started", "empty"))
    assert run(started, *INIT).returncode == 0
    walked = run(started, "log-walk", "--date", "2026-01-05", "--minutes", "12")
    assert walked.returncode == 0
    assert run(empty, "setup").returncode == 0
    return started, empty


def _copy(home: Path, target: Path) -> Path:
    shutil.copytree(home, target)
    return target


def test_a_backup_restored_into_another_instance_holds_the_walks(
    tmp_path: Path, homes: tuple[Path, Path]
) -> None:
    first, second = homes[0], _copy(homes[1], tmp_path / "second")
    file = tmp_path / "copy.sqlite3"
    made = run(first, "backup", str(file))
    assert made.returncode == 0, made.stderr
    assert oct(file.stat().st_mode & 0o777) == "0o600"
    restored = run(second, "backup", "--restore", str(file), "--yes")
    assert restored.returncode == 0, restored.stderr
    assert _walks(second) == [("2026-01-05", 12.0)]


def test_an_encrypted_backup_needs_its_passphrase(
    tmp_path: Path, homes: tuple[Path, Path]
) -> None:
    first, second = homes[0], _copy(homes[1], tmp_path / "second")
    file = tmp_path / "sealed.bin"
    made = run(first, "backup", str(file), "--passphrase", "correct horse battery")
    assert made.returncode == 0, made.stderr
    assert "(encrypted)" in made.stdout
    assert b"SQLite format 3" not in file.read_bytes()
    assert b"program_walk" not in file.read_bytes()
    wrong = run(second, "backup", "--restore", str(file), "--yes", "--passphrase", "wrong horse")  # fmt: skip
    assert wrong.returncode == 2
    assert "a wrong passphrase, or a damaged file" in wrong.stderr
    assert _walks(second) == []
    none = run(second, "backup", "--restore", str(file), "--yes")
    assert "is encrypted: give its passphrase" in none.stderr
    right = run(second, "backup", "--restore", str(file), "--yes", "--passphrase", "correct horse battery")  # fmt: skip
    assert right.returncode == 0, right.stderr
    assert _walks(second) == [("2026-01-05", 12.0)]


def test_a_damaged_encrypted_backup_is_refused_and_nothing_changes(
    tmp_path: Path, homes: tuple[Path, Path]
) -> None:
    first, second = homes[0], _copy(homes[0], tmp_path / "second")
    file = tmp_path / "sealed.bin"
    run(first, "backup", str(file), "--passphrase", "correct horse battery")
    data = bytearray(file.read_bytes())
    data[-10] ^= 0xFF
    file.write_bytes(bytes(data))
    refused = run(second, "backup", "--restore", str(file), "--yes", "--passphrase", "correct horse battery")  # fmt: skip
    assert refused.returncode == 2
    assert _walks(second) == [("2026-01-05", 12.0)]


def test_a_file_that_is_not_a_backup_is_refused(
    tmp_path: Path, homes: tuple[Path, Path]
) -> None:
    home = _copy(homes[0], tmp_path / "home")
    other = tmp_path / "notes.txt"
    other.write_text("hello")
    refused = run(home, "backup", "--restore", str(other), "--yes")
    assert refused.returncode == 2
    assert "not a WalkWell backup" in refused.stderr
    assert _walks(home) == [("2026-01-05", 12.0)]


def test_postgresql_is_sent_to_pg_dump_rather_than_half_backed_up(
    tmp_path: Path,
) -> None:
    url = os.environ.get(
        "WALKWELL_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test"
    )
    env = {**os.environ, "WALKWELL_HOME": str(tmp_path), "DATABASE_URL": url}
    result = subprocess.run(
        [str(WALKWELL), "backup", str(tmp_path / "x")],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "pg_dump" in result.stderr
    assert not (tmp_path / "x").exists()


def _tables(db: sqlite3.Connection) -> dict[str, tuple[int, str]]:
    """Each table's row count and a SHA-256 of its rows in a stable order (by every
    column), the way two copies of one moment must agree."""
    names = [
        r[0] for r in db.execute("select name from sqlite_master where type = 'table'")
    ]
    found = {}
    for name in names:
        width = len(db.execute(f'select * from "{name}" limit 0').description)  # noqa: S608
        order = ", ".join(str(n) for n in range(1, width + 1))
        rows = db.execute(f'select * from "{name}" order by {order}').fetchall()  # noqa: S608 - names from sqlite_master
        found[name] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return found


def test_a_backup_during_concurrent_writes_is_the_source_at_one_moment_table_by_table(
    tmp_path: Path, homes: tuple[Path, Path]
) -> None:
    """A writer commits a clearance and a new history version together, and after
    each commit notes every table's count and checksum; the backup, restored into
    another instance, equals the source after exactly one of those commits."""
    home = _copy(homes[0], tmp_path / "home")
    other = _copy(homes[1], tmp_path / "other")
    moments: dict[str, dict[str, tuple[int, str]]] = {}
    stop = threading.Event()

    def writer() -> None:
        db = sqlite3.connect(home / "walkwell.sqlite3", timeout=30)
        (person,) = db.execute("select id from program_person").fetchone()
        while not stop.is_set():
            version = uuid.uuid4().hex
            with db:
                db.execute(
                    "insert into program_clearance "
                    "(person_id, date, by, created_at, self_reported) "
                    "values (?, '2026-01-06', 'load test', '2026-01-06 08:00:00', 1)",
                    (person,),
                )
                db.execute(
                    "update program_person set history_version = ? where id = ?",
                    (version, person),
                )
            moments[version] = _tables(db)
        db.close()

    thread = threading.Thread(target=writer)
    thread.start()
    while len(moments) < 20:
        assert thread.is_alive(), "the writer stopped before 20 commits"
        time.sleep(0.01)
    file = tmp_path / "during.sqlite3"
    made = run(home, "backup", str(file))
    stop.set()
    thread.join()
    assert made.returncode == 0, made.stderr
    assert run(other, "backup", "--restore", str(file), "--yes").returncode == 0
    with sqlite3.connect(other / "walkwell.sqlite3") as db:
        (version,) = db.execute("select history_version from program_person").fetchone()
        restored = _tables(db)
    assert version in moments, "the backup is not the source after any one commit"
    source = moments[version]
    assert sorted(restored) == sorted(source)
    differing = [t for t in source if restored[t] != source[t]]
    assert differing == [], (
        f"tables unlike the source at the backup's moment: {differing}"
    )
    assert restored["program_clearance"][0] >= 20
