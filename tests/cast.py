"""The one cast of the tests: the days they happen on.

Alice, who has chronic low back pain, starts the seed program on ``START``, a
Monday; a page test reads its page on ``TODAY``, two days in, at 09:00 UTC (the
web tests' ``_today`` fixture travels there when a module imports ``TODAY``).
Other days are named from these (``START + dt.timedelta(days=n)``).
"""

from __future__ import annotations

import datetime as dt

START = dt.date(2026, 3, 2)  # a Monday
TODAY = START + dt.timedelta(days=2)
