"""The one cast of the tests: the people and the days they happen on.

Alice, who has chronic low back pain, starts the seed program on ``START``, a
Monday, with a 12-minute baseline walk; Bob and Mallory are two other people
enrolled the same day (Mallory is the one who must never see Alice's record). The
fixtures ``alice``, ``bob`` and ``mallory`` in ``tests/conftest.py`` are these
people; a folder or module adds to the story (a clinician link, a first walk) by
building on them, not by enrolling another Alice.

A page test reads its page on ``TODAY``, two days in, at 09:00 UTC: the ``_today``
fixture travels there when a module imports ``TODAY``. A module whose story is read
on another day names that day ``READ_ON`` (from ``START``); a module whose story
needs another start names that date for what it is (``CORPUS_START``, ...).
Other days are named from these (``START + dt.timedelta(days=n)``).
"""

from __future__ import annotations

import datetime as dt

START = dt.date(2026, 3, 2)  # a Monday
TODAY = START + dt.timedelta(days=2)
BASELINE_MINUTES = 12
