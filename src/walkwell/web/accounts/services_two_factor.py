"""Writes and reads for two-factor sign-in (django-otp): an authenticator app's
time-based codes (TOTP, RFC 6238) and single-use backup codes.

Clinicians and clinic admins must have it before any patient data is served to
them; anyone may turn it on in Settings. Wrong codes are throttled by django-otp
(each failure doubles the wait before the next try), and a TOTP code is accepted
once only: a code seen again, even within its 30 seconds, is refused.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass

import segno
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.db import transaction
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from walkwell.core.limits import ValidationProblem
from walkwell.web.program.roles import is_staff_role

APP_DEVICE = "authenticator app"
BACKUP_DEVICE = "backup codes"
BACKUP_CODES = 10


def has_second_factor(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Whether the account has a confirmed authenticator app."""
    if not user.is_authenticated:
        return False
    return bool(TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists())


def needs_second_factor(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Clinicians and admins always; anyone else once they have turned it on."""
    return is_staff_role(user) or has_second_factor(user)


def is_verified(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Whether this request's session passed the second factor (OTPMiddleware)."""
    check = getattr(user, "is_verified", None)
    return bool(check is not None and check())


def pending_app_of(user: User) -> TOTPDevice | None:
    """The authenticator app being set up, if one was started."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).first()


def app_of(user: User) -> TOTPDevice | None:
    """The account's confirmed authenticator app."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_app(user: User) -> TOTPDevice:
    """The authenticator app being set up: made on first sight, the same secret on
    a reload, replaced only once confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE, confirmed=False)
    return device


@transaction.atomic
def app_add_confirmed(*, user: User) -> tuple[TOTPDevice, list[str]]:
    """An authenticator app set up without a code (the demonstration clinician,
    whose secret is printed by the command that made it), with backup codes."""
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, name=APP_DEVICE, confirmed=True)
    return device, backup_codes_renew(user=user)


def secret_text(device: TOTPDevice) -> str:
    """The secret as an authenticator app takes it typed in: base32, in groups."""
    encoded = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(encoded[i : i + 4] for i in range(0, len(encoded), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The ``otpauth://`` address as a QR code, an SVG drawn here (no image host)."""
    code = segno.make(device.config_url, error="m")
    svg: str = code.svg_inline(
        scale=5, dark="#000", light="#fff", title="QR code for your authenticator app"
    )
    return svg


@transaction.atomic
def app_confirm(*, user: User, code: str) -> list[str]:
    """Confirm the pending authenticator app with a code it shows; it replaces any
    earlier app. Returns new backup codes, which are shown once."""
    device = (
        TOTPDevice.objects.select_for_update()
        .filter(user=user, confirmed=False)
        .first()
    )
    if device is None:
        raise ValidationProblem("code", "start again: open the set-up page once more")
    if not device.verify_token(_digits(code)):
        raise ValidationProblem(
            "code",
            "that code did not match; type the 6 digits your app shows now "
            "(the phone's clock must be right)",
        )
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return backup_codes_renew(user=user)


@transaction.atomic
def backup_codes_renew(*, user: User) -> list[str]:
    """New single-use backup codes; the old ones stop working."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_DEVICE, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


@transaction.atomic
def second_factor_remove(*, user: User) -> None:
    """Turn two-factor sign-in off (refused for clinicians and admins)."""
    if is_staff_role(user):
        raise ValidationProblem(
            "two_factor", "clinicians and admins must keep two-factor sign-in"
        )
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


@transaction.atomic
def second_factor_reset(*, user: User) -> int:
    """Remove every device of the account (its app and backup codes), for a person
    who lost both; one who must have it sets up a new app at the next sign-in.
    Returns how many devices were removed."""
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    backups, _ = StaticDevice.objects.filter(user=user).delete()
    return int(removed) + int(backups)


@dataclass(frozen=True, slots=True)
class Checked:
    """The outcome of a code: the device that took it, or why not: ``throttled``
    when no device even looked at it (each still waiting after wrong codes)."""

    device: Device | None
    wait_seconds: int = 0
    throttled: bool = False


def code_check(*, user: User, code: str) -> Checked:
    """Try a code on the account's authenticator app, then on its backup codes.

    While a device is throttled after wrong codes, it takes no code at all, right or
    wrong, until the wait is over."""
    candidates: list[TOTPDevice | StaticDevice] = [
        *TOTPDevice.objects.filter(user=user, confirmed=True),
        *StaticDevice.objects.filter(user=user, confirmed=True),
    ]
    digits = _digits(code)
    tried = False
    for device in candidates:
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            continue
        tried = True
        with transaction.atomic():
            locked = type(device).objects.select_for_update().get(pk=device.pk)
            taken = locked.verify_token(digits if _is_app(locked) else code.strip())
        if taken:
            return Checked(device=locked)
    return Checked(device=None, wait_seconds=_wait(candidates), throttled=not tried)


def _is_app(device: Device) -> bool:
    return isinstance(device, TOTPDevice)


def _digits(code: str) -> str:
    return "".join(code.split())


def _wait(devices: list[TOTPDevice | StaticDevice]) -> int:
    """Seconds until the earliest throttled device takes a code again (0: none)."""
    now = timezone.now()
    waits = []
    for device in devices:
        device.refresh_from_db()
        allowed, detail = device.verify_is_allowed()
        if not allowed and detail and "locked_until" in detail:
            until: dt.datetime = detail["locked_until"]
            waits.append(max(1, int((until - now).total_seconds() + 0.999)))
    return min(waits) if waits else 0
