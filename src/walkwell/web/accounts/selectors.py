"""Reads: a person's preferences."""

from __future__ import annotations

from walkwell.web.accounts.models import AccessToken, Preferences


def preferences_for(user_id: int) -> Preferences:
    """The person's stored preferences, or the defaults, unsaved, when they have none.

    Reading never writes: a page shown with a GET stores nothing. The defaults are
    stored the first time the person saves their settings.
    """
    found = Preferences.objects.filter(user_id=user_id).first()
    return found if found is not None else Preferences(user_id=user_id)


def preferences_by_token(token: str) -> Preferences | None:
    """The stored preferences whose private calendar address holds ``token``."""
    return (
        Preferences.objects.filter(calendar_token=token).select_related("user").first()
    )


def tokens_for(user_id: int) -> list[AccessToken]:
    """The user's access tokens, newest first, revoked ones included (marked)."""
    return list(AccessToken.objects.filter(user_id=user_id))
