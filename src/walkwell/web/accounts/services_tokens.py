"""Writes: personal access tokens for the JSON API (made, used, revoked).

A token's secret is returned once, by ``token_create``; only its SHA-256 digest is
stored. ``token_authenticate`` is what the API calls for each request that carries
a token.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from walkwell.core.limits import ValidationProblem
from walkwell.web.accounts.models import AccessToken

TOKEN_PREFIX = "ww_"  # noqa: S105 - not a secret: marks a token in a leaked file
NAME_MAX = 100
MAX_ACTIVE = 20  # a person rarely needs more; it bounds what a stolen session can make
# How often a token's "last used" time is written: often enough to tell a stale
# token, rarely enough that a busy client does not write on every request.
USED_EVERY = dt.timedelta(minutes=5)


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned or len(cleaned) > NAME_MAX:
        raise ValidationProblem(
            "name",
            f"give the token a name from 1 to {NAME_MAX} characters "
            "(what it is for, such as “phone”)",
        )
    return cleaned


@transaction.atomic
def token_create(*, user: User, name: str) -> tuple[AccessToken, str]:
    """Make a named token; returns the row and the secret, which is shown once."""
    cleaned = _name(name)
    active = AccessToken.objects.filter(user=user, revoked_at__isnull=True)
    if active.count() >= MAX_ACTIVE:
        raise ValidationProblem(
            "name",
            f"you already have {MAX_ACTIVE} tokens; revoke one you no longer use first",
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = AccessToken.objects.create(
        user=user, name=cleaned, prefix=secret[:10], digest=digest_of(secret)
    )
    return token, secret


@transaction.atomic
def token_revoke(*, user: User, token_id: int) -> AccessToken:
    """Revoke one of the user's own tokens: it stops working at once."""
    token = AccessToken.objects.filter(pk=token_id, user=user).first()
    if token is None:
        raise ValidationProblem("token", f"you have no token number {token_id}")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_authenticate(secret: str) -> User | None:
    """The active account a token belongs to, or None; notes when it was used."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = (
        AccessToken.objects.select_related("user")
        .filter(digest=digest_of(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > USED_EVERY:
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
