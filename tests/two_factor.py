"""Two-factor sign-in in tests: an authenticator app with a known secret, its codes
computed here from that secret as a phone app would (RFC 6238: HMAC-SHA1 of the
30-second step), and the one helper that signs a staff user in with the second
factor given, as after typing a right code.

Clinicians and clinic admins reach no page and no session API call without it, so
every test that signs one in uses ``signed_in_with_second_factor``.
"""

from __future__ import annotations

import hashlib
import hmac
import struct
import time

from django.contrib.auth.models import User
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice


def authenticator_app(user: User) -> TOTPDevice:
    """The user's confirmed authenticator app, set up on first call."""
    found = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if found is not None:
        return found
    return TOTPDevice.objects.create(user=user, name="authenticator app")


def code_from_secret(key_hex: str, at: float | None = None) -> str:
    """The 6-digit code an authenticator app shows at ``at`` (now by default)."""
    step = int((time.time() if at is None else at) // 30)
    mac = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", step), hashlib.sha1)
    digest = mac.digest()
    offset = digest[-1] & 0x0F
    (number,) = struct.unpack(">I", digest[offset : offset + 4])
    return f"{(number & 0x7FFFFFFF) % 1_000_000:06d}"


def signed_in_with_second_factor(user: User, client: Client | None = None) -> Client:
    """A client signed in as ``user`` whose session gave its second factor."""
    client = client or Client()
    device = authenticator_app(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
