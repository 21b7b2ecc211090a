"""The day a dated write is held to: no record may be dated after the person's
today (``limits.not_in_future``).

Every service that stores a dated record asks ``come`` with the ``today`` its
caller gave: the command line gives this machine's day. Without one, it is the
day of the active time zone: on a page, the person's own (``PersonTimeZoneMiddleware``).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from walkwell.core import limits


def come(field: str, value: dt.date, today: dt.date | None) -> dt.date:
    """``value`` if it is ``today`` or earlier; else a ``ValidationProblem`` naming
    ``field``."""
    return limits.not_in_future(
        field, value, timezone.localdate() if today is None else today
    )
