"""``walkwell demo --clinic`` prints what a newcomer needs to see the clinician's
side at once: the password, then an authenticator app's address and backup codes
for the second factor that every clinician gives."""

from __future__ import annotations

import base64
import re
from urllib.parse import parse_qs, urlparse

from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.cli.conftest import Walkwell
from tests.two_factor import code_from_secret


def _sign_in(output: str) -> Client:
    password = re.search(r"\(password (\S+)\)", output)
    assert password, output
    client = Client()
    answer = client.post(
        "/accounts/sign-in/",
        {
            "username": "demo-clinician",
            "password": password.group(1),
            "next": "/clinic/",
        },
    )
    assert answer.status_code == 302
    assert client.get("/clinic/")["Location"].startswith("/accounts/two-factor/")
    return client


def test_the_demo_clinician_signs_in_with_a_printed_backup_code(
    walkwell: Walkwell,
) -> None:
    made = walkwell("demo", "--clinic", "--patients", "2")
    assert made.exit_code == 0, made.output
    codes = re.search(r"backup codes \(each works once\): ([a-z0-9 ]+)", made.output)
    assert codes, made.output
    first, *others = codes.group(1).split()
    assert len(others) == 9

    client = _sign_in(made.output)
    assert client.post("/accounts/two-factor/", {"code": first}).status_code == 302
    assert client.get("/clinic/").status_code == 200


def test_the_demo_clinicians_app_address_gives_working_codes(
    walkwell: Walkwell,
) -> None:
    made = walkwell("demo", "--clinic", "--patients", "1")
    address = re.search(r"(otpauth://totp/\S+)", made.output)
    assert address, made.output
    secret = parse_qs(urlparse(address.group(1)).query)["secret"][0]
    key = base64.b32decode(secret + "=" * (-len(secret) % 8)).hex()

    client = _sign_in(made.output)
    code = code_from_secret(key)
    assert client.post("/accounts/two-factor/", {"code": code}).status_code == 302
    assert client.get("/clinic/").status_code == 200


def test_a_reset_clinician_is_sent_to_set_up_a_new_app(walkwell: Walkwell) -> None:
    made = walkwell("demo", "--clinic", "--patients", "1")
    reset = walkwell("two-factor-reset", "demo-clinician")
    assert reset.exit_code == 0, reset.output
    assert not TOTPDevice.objects.filter(user__username="demo-clinician").exists()
    assert not StaticDevice.objects.filter(user__username="demo-clinician").exists()
    password = re.search(r"\(password (\S+)\)", made.output)
    assert password
    client = Client()
    client.post(
        "/accounts/sign-in/",
        {"username": "demo-clinician", "password": password.group(1)},
    )
    assert client.get("/clinic/")["Location"].startswith(
        "/accounts/settings/two-factor/"
    )
    unknown = walkwell("two-factor-reset", "nobody")
    assert unknown.exit_code != 0
    assert "no account named 'nobody'" in unknown.output
