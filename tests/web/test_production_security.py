"""Production settings, security headers, address throttling, sign-up modes and
session limits (docs/security.md)."""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import Group, User
from django.test import Client, override_settings
from django.utils import timezone

from tests.cast import START
from tests.web.pages_support import PASSWORD, client_for, person
from walkwell.web.accounts.middleware import SessionLimits
from walkwell.web.accounts.models import Preferences
from walkwell.web.program import services_care
from walkwell.web.program.models import Person
from walkwell.web.program.roles import Role

READ_ON = START

WALKWELL = [sys.executable, "-c", "from walkwell.cli import main; main()"]


def _production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        # a browser test in the same process may have set Django's async escape
        # hatch, which the deployment check rightly refuses
        if k
        not in {
            "DATABASE_URL",
            "TEST_DATABASE_NAME",
            "DEBUG",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env.update(
        WALKWELL_HOME=str(tmp_path),
        WALKWELL_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(48),
        ALLOWED_HOSTS="walkwell.example",
    )
    env.update(extra)
    return env


def _settings_in(env: dict[str, str], *names: str) -> dict[str, object]:
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}))"
    )
    env = {**env, "DJANGO_SETTINGS_MODULE": "walkwell.web.settings"}
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


def test_the_production_switch_passes_djangos_deployment_check(tmp_path: Path) -> None:
    done = subprocess.run(
        [*WALKWELL, "manage", "check", "--deploy", "--fail-level", "WARNING"],
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_production_turns_on_https_hsts_and_secure_cookies(tmp_path: Path) -> None:
    env = _production_env(tmp_path, SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto: https")
    values = _settings_in(
        env,
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_PROXY_SSL_HEADER",
        "CSRF_TRUSTED_ORIGINS",
        "WALKWELL_SIGNUP",
    )
    assert values == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31_536_000,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "CSRF_TRUSTED_ORIGINS": ["https://walkwell.example"],
        "WALKWELL_SIGNUP": "invite",
    }


def test_the_proxy_header_is_trusted_only_when_named(tmp_path: Path) -> None:
    values = _settings_in(_production_env(tmp_path), "SECURE_PROXY_SSL_HEADER")
    assert values == {"SECURE_PROXY_SSL_HEADER": None}


@pytest.mark.parametrize(
    ("key", "why"),
    [("", "needs SECRET_KEY"), ("x" * 60, "varied"), ("short-key", "at least 50")],
)
def test_production_refuses_a_missing_short_or_plain_secret_key(
    tmp_path: Path, key: str, why: str
) -> None:
    done = subprocess.run(
        [*WALKWELL, "today"],
        env=_production_env(tmp_path, SECRET_KEY=key),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("walkwell: error: configuration: WALKWELL_ENV")
    assert why in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "secret_key").exists()  # no key was made up instead


@override_settings(
    SECURE_SSL_REDIRECT=True,
    SECURE_HSTS_SECONDS=31_536_000,
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
)
def test_behind_a_tls_proxy_plain_http_is_redirected_and_https_gets_hsts(
    alice: Person,
) -> None:
    client = client_for(alice)
    plain = client.get("/")
    assert plain.status_code == 301
    assert plain["Location"] == "https://testserver/"
    secure = client.get("/", headers={"x-forwarded-proto": "https"})
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"].startswith("max-age=31536000")


SECURITY_HEADERS = (
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Permissions-Policy",
    "Cross-Origin-Opener-Policy",
)


@pytest.mark.parametrize("path", ["/", "/progress/", "/no-such-page/", "/log/"])
def test_every_page_and_error_page_carries_the_headers_and_is_not_stored(
    alice: Person, path: str
) -> None:
    response = client_for(alice).get(path)
    for header in SECURITY_HEADERS:
        assert header in response, f"{path} lacks {header}"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_the_private_calendar_feed_is_not_stored_either(alice: Person) -> None:
    prefs, _ = Preferences.objects.get_or_create(user=alice.user)
    response = Client().get(f"/calendar/{prefs.calendar_token}.ics")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_static_files_stay_cacheable(db: None) -> None:
    response = Client().get("/static/walkwell/walk.js")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert "Permissions-Policy" in response


WRONG = "not-the-password"


def _sign_in(client: Client, username: str, address: str, password: str = WRONG) -> Any:
    return client.post(
        "/accounts/sign-in/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


@override_settings(WALKWELL_ADDRESS_ATTEMPTS=20, WALKWELL_ADDRESS_WINDOW_MINUTES=15)
def test_spraying_one_password_across_thirty_usernames_is_slowed(alice: Person) -> None:
    client = Client()
    answers = [
        _sign_in(client, f"user{n}", "203.0.113.9").status_code for n in range(30)
    ]
    assert answers[:20] == [200] * 20  # wrong password: the form again
    assert set(answers[20:]) == {429}
    paused = _sign_in(client, "user99", "203.0.113.9")
    assert "many sign-in attempts from your network" in paused.content.decode()
    assert 0 < int(paused["Retry-After"]) <= 15 * 60
    # Another address is not affected, and Alice signs in from there.
    ok = _sign_in(Client(), "alice", "198.51.100.4")
    assert ok.status_code == 200


@override_settings(WALKWELL_ADDRESS_ATTEMPTS=3, WALKWELL_ADDRESS_WINDOW_MINUTES=15)
def test_the_address_pause_is_a_cool_off_not_a_lock(db: None) -> None:
    person("bob", READ_ON, password=PASSWORD)
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        for n in range(3):
            _sign_in(Client(), f"guess{n}", "203.0.113.7")
        assert _sign_in(Client(), "bob", "203.0.113.7", PASSWORD).status_code == 429
    with time_machine.travel(start + dt.timedelta(minutes=16), tick=False):
        assert _sign_in(Client(), "bob", "203.0.113.7", PASSWORD).status_code == 302


@override_settings(WALKWELL_SIGNUP="closed")
def test_a_closed_deployment_takes_no_sign_ups(db: None) -> None:
    page = Client().get("/accounts/sign-up/")
    assert page.status_code == 403
    assert "not open here" in page.content.decode()
    posted = Client().post(
        "/accounts/sign-up/",
        {"username": "eve", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert posted.status_code == 403
    assert not User.objects.filter(username="eve").exists()


@override_settings(WALKWELL_SIGNUP="invite")
def test_invite_only_sign_up_needs_an_accepted_invitation(db: None) -> None:
    stranger = Client().get("/accounts/sign-up/")
    assert stranger.status_code == 403
    assert "by invitation" in stranger.content.decode()
    chen = User.objects.create_user(username="chen")
    services_care.role_grant(user=chen, role=Role.CLINICIAN)
    made = services_care.invite_create(clinician=chen, now=timezone.now())
    invited = Client()
    invited.get(f"/care/join/{made.token}/")  # the link keeps it in the session
    assert invited.get("/accounts/sign-up/").status_code == 200


@override_settings(WALKWELL_SIGNUPS_PER_ADDRESS=2)
def test_sign_ups_from_one_address_are_slowed(db: None) -> None:
    def sign_up(name: str) -> int:
        return (
            Client()
            .post(
                "/accounts/sign-up/",
                {"username": name, "password1": PASSWORD, "password2": PASSWORD},
                REMOTE_ADDR="203.0.113.50",
            )
            .status_code
        )

    assert [sign_up("ann"), sign_up("ben"), sign_up("cat")] == [302, 302, 429]
    assert not User.objects.filter(username="cat").exists()


def test_a_password_change_ends_other_sessions_and_renews_the_calendar_address(
    db: None,
) -> None:
    bob = person("bob", READ_ON, password=PASSWORD)
    prefs, _ = Preferences.objects.get_or_create(user=bob.user)
    old_token = prefs.calendar_token
    laptop, phone = Client(), Client()
    for device in (laptop, phone):
        assert _sign_in(device, "bob", "192.0.2.1", PASSWORD).status_code == 302
    new = "a-brand-new-walk-2026-password"
    changed = laptop.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert changed.status_code == 302
    assert laptop.get("/").status_code == 200  # this session goes on
    assert phone.get("/")["Location"].startswith("/accounts/sign-in/")
    prefs.refresh_from_db()
    assert prefs.calendar_token != old_token
    assert Client().get(f"/calendar/{old_token}.ics").status_code == 404


def _age_session(client: Client, *, idle_minutes: float) -> None:
    session = client.session
    session[SessionLimits.SEEN] = time.time() - idle_minutes * 60
    session[SessionLimits.STARTED] = time.time() - idle_minutes * 60
    session.save()


def test_a_clinicians_session_ends_after_half_an_hour_idle_a_persons_does_not(
    alice: Person,
) -> None:
    patient = client_for(alice)
    assert patient.get("/").status_code == 200
    _age_session(patient, idle_minutes=45)
    assert patient.get("/").status_code == 200

    carol = User.objects.create_user(username="carol")
    carol.groups.add(Group.objects.get_or_create(name="clinician")[0])
    clinician = Client()
    clinician.force_login(carol)
    clinician.get("/accounts/settings/")
    _age_session(clinician, idle_minutes=45)
    ended = clinician.get("/accounts/settings/")
    assert ended.status_code == 302
    assert ended["Location"].startswith("/accounts/sign-in/")
    assert "_auth_user_id" not in clinician.session


@override_settings(WALKWELL_SESSION_MAX_HOURS=24)
def test_a_session_ends_at_its_absolute_lifetime_even_when_busy(alice: Person) -> None:
    client = client_for(alice)
    client.get("/")
    session = client.session
    session[SessionLimits.STARTED] = time.time() - 25 * 3600
    session[SessionLimits.SEEN] = time.time()
    session.save()
    assert client.get("/")["Location"].startswith("/accounts/sign-in/")
    page = client.get("/accounts/sign-in/")
    assert "time limit" in page.content.decode()
