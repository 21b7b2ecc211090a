"""A clinician's invitation carried through sign-up and onboarding.

Someone without an account who opens an invitation link (or types its short code)
has it kept in their session: in invite-only mode it is what lets them sign up,
and once onboarding is done they land back on it to accept it. Only an invitation
that is still unused and unexpired counts; ``program.services_care`` decides that,
here and again when it is accepted.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.sessions.backends.base import SessionBase

from walkwell.core.limits import ValidationProblem
from walkwell.web.program import services_care
from walkwell.web.program.models import Invite

# The session key: {"token": ...} for a link, {"code": ...} for a short code.
INVITE_SESSION_KEY = "walkwell_invite"


def remember(session: SessionBase, *, token: str = "", code: str = "") -> None:
    """Keep the invitation (one already checked by ``invite_open``)."""
    session[INVITE_SESSION_KEY] = {"token": token} if token else {"code": code}


def pending(session: SessionBase) -> dict[str, str] | None:
    """The kept invitation's token or code, if there is one."""
    kept = session.get(INVITE_SESSION_KEY)
    if not isinstance(kept, dict):
        return None
    found = {k: str(v) for k, v in kept.items() if k in {"token", "code"} and v}
    return found if len(found) == 1 else None


def pending_invite(session: SessionBase, now: dt.datetime) -> Invite:
    """The kept invitation, still unused and unexpired, or a ``ValidationProblem``
    that says why not (none kept, used already, expired)."""
    kept = pending(session)
    if kept is None:
        raise ValidationProblem(
            "invitation",
            "there is no invitation here: open the link your clinician sent you, "
            "or enter the code they gave you",
        )
    return services_care.invite_open(now=now, **kept)


def forget(session: SessionBase) -> None:
    session.pop(INVITE_SESSION_KEY, None)
