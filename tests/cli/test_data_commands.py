"""``walkwell export``, ``restore`` and ``delete-account`` end to end."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import zipfile
from pathlib import Path

import time_machine
from django.contrib.auth.models import User
from typer.testing import Result

from tests.cli.test_real_database import WALKWELL
from tests.web.data_support import pdf_text
from walkwell.web.accounts.models import Preferences
from walkwell.web.program.models import AccountDeletion, Person, Walk

from .conftest import Walkwell
from .test_commands import one_line_error


def _with_walks(enrolled: Walkwell) -> Walkwell:
    for day in ("2026-01-05", "2026-01-06"):
        result = enrolled("log-walk", "--date", day, "--minutes", "12", "--pain-before", "3", "--pain-during", "4", "--pain-after", "3")  # fmt: skip
        assert result.exit_code == 0, result.output
    return enrolled


def test_export_then_restore_into_another_account_gives_the_same_document(
    enrolled: Walkwell, tmp_path: Path
) -> None:
    walkwell = _with_walks(enrolled)
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    result = walkwell("export", "--format", "json", "--output", str(first))
    assert result.exit_code == 0, result.output
    assert f"written to {first}" in result.output
    assert first.stat().st_mode & 0o777 == 0o600
    User.objects.create_user(username="bob")
    restored = walkwell("--user", "bob", "restore", str(first))
    assert restored.exit_code == 0, restored.output
    assert "Restored into bob" in restored.output
    assert "2 walks" in restored.output
    again = walkwell("--user", "bob", "export", "--output", str(second))
    assert again.exit_code == 0, again.output
    one, two = json.loads(first.read_text()), json.loads(second.read_text())
    one.pop("exported_at")
    two.pop("exported_at")
    assert one == two


def test_restore_into_an_account_with_data_is_refused_in_one_line(
    enrolled: Walkwell, tmp_path: Path
) -> None:
    walkwell = _with_walks(enrolled)
    file = tmp_path / "mine.json"
    assert walkwell("export", "--output", str(file)).exit_code == 0
    line = one_line_error(walkwell("restore", str(file)))
    assert "account: already holds a record" in line
    assert Walk.objects.count() == 2


def test_restore_of_a_file_that_is_not_an_export_is_refused(
    walkwell: Walkwell, tmp_path: Path
) -> None:
    file = tmp_path / "other.json"
    file.write_text('{"hello": 1}')
    line = one_line_error(walkwell("restore", str(file)))
    assert "is not a WalkWell JSON export" in line
    assert not Person.objects.exists()


def _restored_on_the_seventh(enrolled: Walkwell, folder: Path, day: str) -> Result:
    """The person's export, its second walk moved to ``day`` (a clock that ran
    ahead), restored into bob's new account on 7 January 2026."""
    walkwell = _with_walks(enrolled)
    file = folder / "ahead.json"
    assert walkwell("export", "--output", str(file)).exit_code == 0
    document = json.loads(file.read_text())
    document["records"]["walks"][1]["date"] = day
    file.write_text(json.dumps(document))
    User.objects.create_user(username="bob")
    with time_machine.travel("2026-01-07 12:00 +0000", tick=False):
        return walkwell("--user", "bob", "restore", str(file))


def test_restore_of_an_export_holding_a_day_to_come_is_refused_naming_the_row(
    enrolled: Walkwell, tmp_path: Path
) -> None:
    line = one_line_error(_restored_on_the_seventh(enrolled, tmp_path, "2026-01-09"))
    assert "records.walks[1].date: is in the future (2026-01-09)" in line
    assert "clock" in line
    assert not Person.objects.filter(user__username="bob").exists()


def test_restore_allows_a_day_ahead_where_the_export_was_made_the_day_had_turned(
    enrolled: Walkwell, tmp_path: Path
) -> None:
    result = _restored_on_the_seventh(enrolled, tmp_path, "2026-01-08")
    assert result.exit_code == 0, result.output
    assert Walk.objects.filter(person__user__username="bob").count() == 2


def test_export_csv_and_fhir_write_their_files(
    enrolled: Walkwell, tmp_path: Path
) -> None:
    walkwell = _with_walks(enrolled)
    zipped, fhir = tmp_path / "w.zip", tmp_path / "w.fhir.json"
    assert walkwell("export", "--format", "csv", "--output", str(zipped)).exit_code == 0
    assert "walks.csv" in zipfile.ZipFile(zipped).namelist()
    assert walkwell("export", "--format", "fhir", "--output", str(fhir)).exit_code == 0
    assert json.loads(fhir.read_text())["resourceType"] == "Bundle"


def test_export_refuses_an_unknown_format_and_an_existing_file(
    enrolled: Walkwell, tmp_path: Path
) -> None:
    line = one_line_error(
        enrolled("export", "--format", "xml", "--output", str(tmp_path / "x"))
    )
    assert "--format: must be one of json, csv, fhir" in line
    taken = tmp_path / "taken.json"
    taken.write_text("keep me")
    line = one_line_error(enrolled("export", "--output", str(taken)))
    assert "exists already" in line
    assert taken.read_text() == "keep me"


def test_delete_account_asks_first_and_yes_deletes_everything(
    enrolled: Walkwell,
) -> None:
    walkwell = _with_walks(enrolled)
    kept = walkwell("delete-account", input="n\n")
    assert kept.exit_code == 1
    assert "walkwell export" in kept.output
    assert Walk.objects.count() == 2
    gone = walkwell("delete-account", "--yes")
    assert gone.exit_code == 0, gone.output
    assert "deleted" in gone.output
    assert not Walk.objects.exists()
    assert not User.objects.filter(username="local").exists()
    assert AccountDeletion.objects.count() == 1


def test_report_writes_a_pdf_for_the_dates_asked(
    enrolled: Walkwell, tmp_path: Path
) -> None:
    walkwell = _with_walks(enrolled)
    pdf = tmp_path / "report.pdf"
    result = walkwell("report", "--pdf", str(pdf), "--from", "2026-01-05", "--to", "2026-01-18")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Report for 2026-01-05 to 2026-01-18" in result.output
    assert pdf.read_bytes().startswith(b"%PDF")
    line = one_line_error(walkwell("report", "--pdf", str(tmp_path / "b.pdf"), "--from", "2026-02-01", "--to", "2026-01-18"))  # fmt: skip
    assert "--from: must be on or before --to" in line


def test_report_says_when_it_was_made_on_the_persons_clock_as_the_web_does(
    enrolled: Walkwell, tmp_path: Path
) -> None:
    """09:23 UTC is 10:23 in Berlin: the same words as the report from the web."""
    local = User.objects.get(username="local")
    Preferences.objects.update_or_create(
        user=local, defaults={"time_zone": "Europe/Berlin"}
    )
    pdf = tmp_path / "made.pdf"
    with time_machine.travel(dt.datetime(2026, 11, 28, 9, 23, tzinfo=dt.UTC)):
        result = enrolled("report", "--pdf", str(pdf))
    assert result.exit_code == 0, result.output
    text, _ = pdf_text(pdf.read_bytes(), tmp_path)
    assert "28 November 2026, 10:23 CET (UTC+01:00) by WalkWell" in text


def test_an_unknown_format_is_refused_plainly_by_a_fresh_process(
    tmp_path: Path,
) -> None:
    """The format is checked after Django is set up, so a new process answers
    with the allowed formats, not a configuration error."""
    env = {**os.environ, "WALKWELL_HOME": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [str(WALKWELL), "export", "--format", "xml", "--output", str(tmp_path / "x")],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "--format: must be one of json, csv, fhir" in result.stderr
    assert "settings" not in result.stderr
    assert not (tmp_path / "x").exists()
