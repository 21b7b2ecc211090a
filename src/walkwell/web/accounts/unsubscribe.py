"""Unsubscribe links that need no sign-in: a signed token per person and topic.

The token is Django's signing (HMAC with SECRET_KEY and its own salt, so no other
signed value of WalkWell can be passed off as one), stamped with the time it was
made; it is honoured for ``MAX_AGE``. It names the account and the topic only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse

from walkwell.core.reminders import TOPICS, Topic

SALT = "walkwell.reminders.unsubscribe"
MAX_AGE = dt.timedelta(days=180)


class BadTokenError(Exception):
    """The link was not made by this WalkWell, was altered, or is too old."""

    def __init__(self, expired: bool) -> None:
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


@dataclass(frozen=True, slots=True)
class Unsubscribe:
    user_id: int
    topic: Topic


def token_for(user_id: int, topic: Topic) -> str:
    return signing.dumps({"u": user_id, "t": topic}, salt=SALT, compress=False)


def url_for(user_id: int, topic: Topic) -> str:
    path = reverse("accounts:unsubscribe", args=[token_for(user_id, topic)])
    return f"{settings.WALKWELL_SITE_URL}{path}"


def read(token: str) -> Unsubscribe:
    """The account and topic a token names; ``BadTokenError`` if it is not one of ours,
    or expired."""
    try:
        value = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.SignatureExpired:
        raise BadTokenError(expired=True) from None
    except signing.BadSignature:
        raise BadTokenError(expired=False) from None
    if not isinstance(value, dict):
        raise BadTokenError(expired=False)
    user_id, topic = value.get("u"), value.get("t")
    if not isinstance(user_id, int) or topic not in TOPICS:
        raise BadTokenError(expired=False)
    return Unsubscribe(user_id=user_id, topic=topic)
