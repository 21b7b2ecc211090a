"""Reminder emails, sent through Django's SMTP backend to a real local SMTP server
(aiosmtpd): at each person's own local time, never a walk on a stop day, each one
once however often or however concurrently the pass runs, and an unsubscribe link
that needs no sign-in."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.test import Client
from django_tasks_db.models import DBTaskResult
from typer.testing import CliRunner

from tests.cast import START
from tests.web.pages_support import client_for, settings_answers, settled_weeks
from tests.web.racing import at_once
from tests.web.smtp_support import Inbox, Received
from walkwell.cli import app
from walkwell.web.accounts import reminders
from walkwell.web.accounts.logs import redact
from walkwell.web.accounts.models import Preferences, ReminderPass, ReminderSent
from walkwell.web.accounts.reminder_mail import SUBJECTS
from walkwell.web.accounts.tasks import remind_task
from walkwell.web.program import selectors, services
from walkwell.web.program.models import Person

DAY = START + dt.timedelta(days=2)  # Wednesday 4 March 2026: a day after walks
EVERY = dt.timedelta(minutes=15)


def subscribe(
    who: Person, zone: str, *, checkin: bool = False, walks: bool = False
) -> Preferences:
    who.user.email = f"{who.user.username}@example.org"
    who.user.save(update_fields=["email"])
    return Preferences.objects.create(
        user=who.user,
        time_zone=zone,
        email_checkin=checkin,
        email_walks=walks,
        checkin_time=dt.time(7, 30),
        first_walk_time=dt.time(8, 0),
        second_walk_time=dt.time(13, 0),
    )


def passes(
    first: dt.datetime, last: dt.datetime, inbox: Inbox, every: dt.timedelta = EVERY
) -> dict[str, list[dt.datetime]]:
    """Run a pass every 15 minutes (or ``every``) from ``first`` to ``last``, as
    cron would; when each received message arrived, by subject and recipient."""
    arrived: dict[str, list[dt.datetime]] = {}
    now = first
    while now <= last:
        seen = len(inbox.received)
        with time_machine.travel(now, tick=False):
            reminders.remind_pass(now=now)
        for got in inbox.received[seen:]:
            arrived.setdefault(f"{got.recipients[0]} {got.subject}", []).append(now)
        now += every
    return arrived


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


def unsubscribe_path(got: Received) -> str:
    header = str(got.message["List-Unsubscribe"]).strip()
    found = re.fullmatch(
        r"<http://127\.0\.0\.1:8000(/accounts/unsubscribe/\S+/)>", header
    )
    assert found, header
    return found.group(1)


@pytest.fixture
def morning_people(alice: Person, bob: Person) -> tuple[Person, Person]:
    subscribe(alice, "Australia/Sydney", checkin=True)
    subscribe(bob, "America/Los_Angeles", checkin=True)
    return alice, bob


def test_sydney_and_los_angeles_each_get_the_0730_reminder_at_their_own_0730(
    smtp: Inbox, morning_people: tuple[Person, Person]
) -> None:
    arrived = passes(utc("2026-03-03T16:00"), utc("2026-03-04T18:00"), smtp)
    checkin = SUBJECTS["checkin"]
    # 07:30 on Wednesday in Sydney (UTC+11) is 20:30 UTC on Tuesday; in Los
    # Angeles (UTC-8) it is 15:30 UTC on Wednesday. Nobody gets one at the other's.
    assert arrived == {
        f"alice@example.org {checkin}": [utc("2026-03-03T20:30")],
        f"bob@example.org {checkin}": [utc("2026-03-04T15:30")],
    }
    alice_mail, bob_mail = (
        smtp.to("alice@example.org")[0],
        smtp.to("bob@example.org")[0],
    )
    assert alice_mail.recipients == ("alice@example.org",)
    sydney = parsedate_to_datetime(str(alice_mail.message["Date"]))
    los_angeles = parsedate_to_datetime(str(bob_mail.message["Date"]))
    assert (sydney.strftime("%H:%M"), sydney.utcoffset()) == (
        "07:30",
        dt.timedelta(hours=11),
    )
    assert (los_angeles.strftime("%H:%M"), los_angeles.utcoffset()) == (
        "07:30",
        dt.timedelta(hours=-8),
    )
    text = alice_mail.part("text/plain")
    assert "Your 07:30 reminder for Wednesday 4 March." in text
    assert "http://127.0.0.1:8000/check-in/" in text
    assert 'href="http://127.0.0.1:8000/check-in/"' in alice_mail.part("text/html")
    assert alice_mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe_path(alice_mail) in text


def test_walks_are_reminded_at_each_walk_time_and_a_stop_day_gets_no_walk_reminder(
    smtp: Inbox, alice: Person, bob: Person
) -> None:
    subscribe(alice, "Europe/London", walks=True)
    subscribe(bob, "Europe/London", walks=True)
    services.checkin_record(
        person=alice,
        date=DAY,
        pain=4,
        morning_stiffness_min=30,
        sleep=5,
        focus=5,
        warning_signs=["radiating_leg_pain"],
    )
    arrived = passes(utc(f"{DAY}T06:00"), utc(f"{DAY}T15:00"), smtp)
    assert arrived == {
        f"alice@example.org {SUBJECTS['stop']}": [utc(f"{DAY}T08:00")],
        f"bob@example.org {SUBJECTS['walk']}": [
            utc(f"{DAY}T08:00"),
            utc(f"{DAY}T13:00"),
        ],
    }
    stop = smtp.to("alice@example.org")[0].part("text/plain")
    assert "this is not a walk reminder" in stop
    assert "What to do instead: See a physiotherapist" in stop
    assert "Time for today's" not in stop
    walk = smtp.to("bob@example.org")[0].part("text/plain")
    assert "Time for today's walk 1 of 2: 12 minutes" in walk


def test_subjects_carry_no_health_data(smtp: Inbox, alice: Person) -> None:
    """Subjects show on lock screens: never a score, a sign or a decision."""
    subscribe(alice, "UTC", checkin=True, walks=True)
    services.checkin_record(
        person=alice,
        date=DAY + dt.timedelta(days=1),
        pain=7,
        morning_stiffness_min=30,
        sleep=3,
        focus=5,
        warning_signs=["numbness_tingling"],
    )
    half_hour = dt.timedelta(minutes=30)
    passes(
        utc(f"{DAY}T07:00"), utc(f"{DAY}T07:00") + 25 * 2 * half_hour, smtp, half_hour
    )
    subjects = {r.subject for r in smtp.received}
    assert subjects == {SUBJECTS["checkin"], SUBJECTS["walk"], SUBJECTS["stop"]}
    assert not any(re.search(r"\d|pain|numb|sign", s, re.I) for s in subjects)


def test_remind_run_twice_or_retried_after_a_crash_sends_once(
    smtp: Inbox, alice: Person
) -> None:
    subscribe(alice, "UTC", checkin=True)
    runner = CliRunner()
    at = utc(f"{DAY}T07:30")
    with time_machine.travel(at, tick=False):
        first = runner.invoke(app, ["remind"])
        again = runner.invoke(app, ["remind"])
    assert first.exit_code == again.exit_code == 0, first.output
    assert "Sent 1 reminder due" in first.output
    assert "Sent 0 reminders due" in again.output
    # A pass that died after sending, before it finished: the next one looks back
    # over the same moment, and the table keeps the reminder to once.
    ReminderPass.objects.update(finished_at=None)
    with time_machine.travel(at + dt.timedelta(minutes=5), tick=False):
        retry = runner.invoke(app, ["remind", "--json"])
    assert '"sent": 0' in retry.output
    assert len(smtp.received) == 1
    assert ReminderSent.objects.get().sent_at == at


def test_a_mail_server_that_is_down_loses_no_reminder(
    smtp: Inbox, alice: Person, settings: Any
) -> None:
    subscribe(alice, "UTC", checkin=True)
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = 1  # nothing listens there
    at = utc(f"{DAY}T07:30")
    with time_machine.travel(at, tick=False):
        down = reminders.remind_pass(now=at)
    assert (down.sent, down.failed) == (0, 1)
    assert not ReminderSent.objects.exists()
    settings.EMAIL_PORT = port
    later = at + dt.timedelta(minutes=5)
    with time_machine.travel(later, tick=False):
        back = reminders.remind_pass(now=later)
    assert back.sent == 1
    assert [r.subject for r in smtp.received] == [SUBJECTS["checkin"]]


def test_unsubscribe_needs_no_sign_in_and_get_changes_nothing(
    smtp: Inbox, alice: Person
) -> None:
    subscribe(alice, "UTC", checkin=True, walks=True)
    passes(utc(f"{DAY}T07:30"), utc(f"{DAY}T08:00"), smtp)
    walk_mail = next(r for r in smtp.received if r.subject == SUBJECTS["walk"])
    path = unsubscribe_path(walk_mail)
    stranger = Client()
    with time_machine.travel(utc(f"{DAY}T09:00")):
        page = stranger.get(path)
        assert page.status_code == 200
        assert "Stop walk reminders?" in page.content.decode()
        assert Preferences.objects.get(user=alice.user).email_walks
        done = stranger.post(path)
    assert done.status_code == 200
    assert "no more walk reminders" in done.content.decode()
    prefs = Preferences.objects.get(user=alice.user)
    assert (prefs.email_walks, prefs.email_checkin) == (False, True)
    passes(utc(f"{DAY}T12:45"), utc(f"{DAY}T13:15"), smtp)
    assert [r.subject for r in smtp.received].count(SUBJECTS["walk"]) == 1


@pytest.fixture
def checkin_link(smtp: Inbox, alice: Person) -> str:
    """The unsubscribe address in Alice's 07:30 check-in reminder."""
    subscribe(alice, "UTC", checkin=True)
    passes(utc(f"{DAY}T07:30"), utc(f"{DAY}T07:30"), smtp)
    return unsubscribe_path(smtp.received[0])


def test_one_click_unsubscribe_from_the_mail_client_works(
    checkin_link: str, alice: Person
) -> None:
    """RFC 8058: the mail client POSTs List-Unsubscribe=One-Click, no cookie."""
    path = checkin_link
    client = Client(enforce_csrf_checks=True)
    with time_machine.travel(utc(f"{DAY}T09:00")):
        response = client.post(
            path,
            "List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded",
        )
    assert response.status_code == 200
    assert not Preferences.objects.get(user=alice.user).email_checkin


def test_a_forged_or_altered_token_is_refused_with_a_clear_page(
    checkin_link: str, alice: Person
) -> None:
    token = checkin_link.split("/")[-2]
    forged_user = token.replace(token.split(":")[0], "eyJ1Ijo5OTksInQiOiJjaGVja2luIn0")
    stranger = Client()
    for bad in (forged_user, token[:-3] + "abc", "not-a-token"):
        response = stranger.post(f"/accounts/unsubscribe/{bad}/")
        assert response.status_code == 400
        assert "not a working unsubscribe link" in response.content.decode()
    assert Preferences.objects.get(user=alice.user).email_checkin


def test_an_expired_link_says_so_and_changes_nothing(
    checkin_link: str, alice: Person
) -> None:
    with time_machine.travel(utc(f"{DAY}T07:30") + dt.timedelta(days=181)):
        response = Client().post(checkin_link)
    assert response.status_code == 410
    assert "too old" in response.content.decode()
    assert Preferences.objects.get(user=alice.user).email_checkin


def test_a_link_of_a_deleted_account_says_so(checkin_link: str, alice: Person) -> None:
    alice.user.delete()
    with time_machine.travel(utc(f"{DAY}T09:00")):
        response = Client().post(checkin_link)
    assert response.status_code == 410
    assert "no longer exists" in response.content.decode()


def test_settings_ask_for_an_address_before_turning_reminders_on(
    alice: Person,
) -> None:
    client = client_for(alice)
    form = settings_answers(
        checkin_time="07:15", time_zone="America/Los_Angeles", email_walks="on"
    )
    page = client.get("/accounts/settings/").content.decode()
    assert "Email me a reminder for each planned walk" in page
    assert 'name="reminder_email"' in page
    refused = client.post("/accounts/settings/", form)
    assert "Reminders by email need an address" in refused.content.decode()
    assert not Preferences.objects.filter(user=alice.user).exists()
    saved = client.post(
        "/accounts/settings/", {**form, "reminder_email": "a@example.org"}
    )
    assert saved.status_code == 302
    prefs = Preferences.objects.get(user=alice.user)
    assert (prefs.email_walks, prefs.email_checkin) == (True, False)
    alice.user.refresh_from_db()
    assert alice.user.email == "a@example.org"


# --- passes at the same moment --------------------------------------------------


def test_two_passes_at_once_in_two_processes_on_a_sqlite_file_send_once(
    smtp: Inbox, tmp_path: Path, settings: Any
) -> None:
    env = {**os.environ, "WALKWELL_HOME": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, "-m", "tests.web.remind_child", str(settings.EMAIL_PORT), "2"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    passes_run = json.loads(out.stdout.strip().splitlines()[-1])["passes"]
    due = utc(f"{DAY}T07:30")
    # both passes looked over 07:30; one of them sent the reminder
    assert all(dt.datetime.fromisoformat(p["start"]) < due for p in passes_run)
    assert sorted(p["sent"] for p in passes_run) == [0, 1]
    assert [r.recipients for r in smtp.received] == [("alice@example.org",)]


def test_four_passes_at_once_on_four_connections_send_once(
    smtp: Inbox, racing_alice: Person
) -> None:
    """On PostgreSQL (the in-memory SQLite test database cannot be shared by
    threads; the SQLite file is raced by processes above)."""
    subscribe(racing_alice, "UTC", checkin=True)
    now, due = utc(f"{DAY}T07:35"), utc(f"{DAY}T07:30")
    results = at_once(4, lambda: reminders.remind_pass(now=now))
    done = [r for r in results if isinstance(r, reminders.PassResult)]
    assert len(done) == 4, results
    assert all(r.start < due for r in done)
    assert sum(r.sent for r in done) == 1
    assert len(smtp.received) == 1
    assert ReminderSent.objects.count() == 1


def test_the_recurring_pass_runs_on_a_worker_and_queues_the_next(
    transactional_db: None, smtp: Inbox, alice: Person
) -> None:
    """``remind --schedule`` starts the chain; each pass the worker runs queues
    the next one five minutes on, and never a second one beside it."""
    subscribe(alice, "UTC", checkin=True)
    runner = CliRunner()

    def waiting() -> list[dt.datetime]:
        return [t.run_after for t in DBTaskResult.objects.filter(status="READY")]

    with time_machine.travel(utc(f"{DAY}T07:26"), tick=False):
        assert (
            "Queued the reminder pass"
            in runner.invoke(app, ["remind", "--schedule"]).output
        )
        again = runner.invoke(app, ["remind", "--schedule"])
        assert "already queued" in again.output
    assert waiting() == [utc(f"{DAY}T07:31")]
    with time_machine.travel(utc(f"{DAY}T07:31"), tick=False):
        ran = runner.invoke(app, ["worker", "--batch"])
    assert ran.exit_code == 0, ran.output
    assert [r.subject for r in smtp.received] == [SUBJECTS["checkin"]]
    assert waiting() == [utc(f"{DAY}T07:36")]
    with time_machine.travel(utc(f"{DAY}T07:36"), tick=False):
        runner.invoke(app, ["worker", "--batch"])
    assert len(smtp.received) == 1
    assert waiting() == [utc(f"{DAY}T07:41")]


def test_unsubscribe_links_are_kept_out_of_the_logs(checkin_link: str) -> None:
    line = f'"POST {checkin_link} HTTP/1.1" 200'
    assert redact(line) == '"POST /accounts/unsubscribe/[secret]/ HTTP/1.1" 200'


def test_a_review_day_brings_the_weeks_look_back_with_the_first_walk(
    smtp: Inbox, alice: Person
) -> None:
    settled_weeks(alice, START, START + dt.timedelta(days=13))
    subscribe(alice, "UTC", walks=True)
    timeline = selectors.timeline_for(alice, START + dt.timedelta(days=13))
    review = next(p.date for p in timeline if p.reviewed)
    passes(utc(f"{review}T07:45"), utc(f"{review}T13:00"), smtp)
    first, second = smtp.received
    assert first.subject == f"{SUBJECTS['walk']}, and your week"
    week = f"Your week, to {review:%A} {review.day} {review:%B}"
    assert week in first.part("text/plain")
    assert "This week:" in first.part("text/plain")
    assert "<h2" in first.part("text/html")
    assert second.subject == SUBJECTS["walk"]
    assert "Your week" not in second.part("text/plain")


def test_a_pass_that_fails_still_queues_the_next(alice: Person, settings: Any) -> None:
    """A misconfigured mail backend fails the pass; the chain goes on, so the
    pass after the fix runs without anyone restarting it."""
    subscribe(alice, "UTC", checkin=True)
    settings.EMAIL_BACKEND = "walkwell.no_such_backend.EmailBackend"
    at = utc(f"{DAY}T07:30")
    with time_machine.travel(at, tick=False), pytest.raises(ImportError):
        remind_task.call()
    queued = DBTaskResult.objects.filter(status="READY")
    assert [t.run_after for t in queued] == [at + dt.timedelta(minutes=5)]
