"""Password reset by email: an optional address at sign-up or in Settings, a link by
mail (Django's email framework), and no way to learn which addresses have accounts."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from tests.web.pages_support import PASSWORD, client_for
from walkwell.web.program.models import Person

SettingsWrapper = Any  # pytest-django's settings fixture
NEW_PASSWORD = "a-fresh-start-on-foot-2027"  # noqa: S105 - a test account
LINK = re.compile(r"http://testserver(/accounts/password-reset/[^/\s]+/[^/\s]+/)")


@pytest.fixture
def bob(db: None) -> User:
    return User.objects.create_user(
        username="bob", email="bob@example.org", password=PASSWORD
    )


def _ask(email: str) -> Any:
    return Client().post("/accounts/password-reset/", {"email": email})


def test_sign_up_takes_an_optional_email(db: None) -> None:
    answers = {"password1": PASSWORD, "password2": PASSWORD}
    Client().post(
        "/accounts/sign-up/", {"username": "ann", "email": "ann@example.org", **answers}
    )
    Client().post("/accounts/sign-up/", {"username": "cy", "email": "", **answers})
    assert User.objects.get(username="ann").email == "ann@example.org"
    assert User.objects.get(username="cy").email == ""


def test_a_bad_email_at_sign_up_is_shown_under_its_field(db: None) -> None:
    html = (
        Client()
        .post(
            "/accounts/sign-up/",
            {"username": "dee", "email": "not-an-address", "password1": PASSWORD},
        )
        .content.decode()
    )
    assert 'id="id_email_errors"' in html
    assert not User.objects.filter(username="dee").exists()


def test_the_email_can_be_changed_and_removed_in_settings(alice: Person) -> None:
    client = client_for(alice)
    assert 'name="email"' in client.get("/accounts/settings/").content.decode()
    saved = client.post("/accounts/settings/email/", {"email": "alice@example.org"})
    assert saved["Location"] == "/accounts/settings/"
    alice.user.refresh_from_db()
    assert alice.user.email == "alice@example.org"
    bad = client.post("/accounts/settings/email/", {"email": "alice at home"})
    assert bad.status_code == 200
    assert 'id="id_email_errors"' in bad.content.decode()
    alice.user.refresh_from_db()
    assert alice.user.email == "alice@example.org"
    client.post("/accounts/settings/email/", {"email": ""})
    alice.user.refresh_from_db()
    assert alice.user.email == ""


def test_sign_in_links_to_the_reset(db: None) -> None:
    html = Client().get("/accounts/sign-in/").content.decode()
    assert 'href="/accounts/password-reset/"' in html


def test_a_reset_link_by_email_sets_a_new_password_once(bob: User) -> None:
    asked = _ask("BOB@example.org")
    assert asked["Location"] == "/accounts/password-reset/sent/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["bob@example.org"]
    assert "bob" in message.body
    found = LINK.search(str(message.body))
    assert found, message.body
    browser = Client()
    form_page = browser.get(found.group(1), follow=True)
    assert "Choose a new password" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    done = browser.post(
        set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done["Location"] == "/accounts/password-reset/done/"
    bob.refresh_from_db()
    assert bob.check_password(NEW_PASSWORD)
    again = Client().get(found.group(1), follow=True).content.decode()
    assert "This link no longer works" in again


def test_a_weak_new_password_is_refused_under_its_field(bob: User) -> None:
    _ask("bob@example.org")
    found = LINK.search(str(mail.outbox[0].body))
    assert found
    browser = Client()
    set_url = browser.get(found.group(1), follow=True).redirect_chain[-1][0]
    page = browser.post(set_url, {"new_password1": "walk", "new_password2": "walk"})
    html = page.content.decode()
    assert 'id="id_new_password1_errors"' in html  # under the new password itself
    assert 'id="id_new_password2_errors"' not in html
    bob.refresh_from_db()
    assert bob.check_password(PASSWORD)


def test_the_answer_is_the_same_whether_or_not_the_email_has_an_account(
    bob: User,
) -> None:
    known, unknown = _ask("bob@example.org"), _ask("nobody@example.org")
    assert (known.status_code, known["Location"]) == (
        unknown.status_code,
        unknown["Location"],
    )
    sent = Client().get(known["Location"]).content.decode()
    assert "If an account has that email address" in sent
    assert len(mail.outbox) == 1


def test_the_file_backend_writes_the_mail(
    bob: User, settings: SettingsWrapper, tmp_path: Path
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "mail"
    _ask("bob@example.org")
    written = list((tmp_path / "mail").iterdir())
    assert len(written) == 1
    text = written[0].read_text(encoding="utf-8")
    assert "To: bob@example.org" in text
    assert LINK.search(text)


def test_email_backend_file_in_the_environment_writes_mail_to_a_private_folder(
    tmp_path: Path,
) -> None:
    """The settings module reads EMAIL_BACKEND=file and EMAIL_FILE_PATH."""
    folder = tmp_path / "outbox"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "walkwell.web.settings",
        "WALKWELL_HOME": str(tmp_path / "home"),
        "EMAIL_BACKEND": "file",
        "EMAIL_FILE_PATH": str(folder),
        "DEFAULT_FROM_EMAIL": "WalkWell <walkwell@clinic.example>",
    }
    subprocess.run(
        [sys.executable, "-m", "django", "sendtestemail", "someone@example.org"],
        env=env,
        check=True,
        capture_output=True,
    )
    (written,) = folder.iterdir()
    text = written.read_text(encoding="utf-8")
    assert "To: someone@example.org" in text
    assert "From: WalkWell <walkwell@clinic.example>" in text
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
