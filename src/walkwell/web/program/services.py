"""Writes: each validates everything first, then stores and audits in one transaction.

After every write the engine's plan is computed again; when the phase changes or the
decision escalates, an audit row is written in the same transaction (as Zulip's
``do_*`` actions write ``RealmAuditLog``). The writes live in one module per record;
this module names them all, so callers need one import.
"""

from walkwell.web.program.services_checkins import checkin_record, clearance_record
from walkwell.web.program.services_enrolment import (
    enrollment_complete,
    enrollment_record,
    enrollment_start,
    screening_record,
)
from walkwell.web.program.services_measures import outcomes_record
from walkwell.web.program.services_readiness import go_ahead_record, readiness_record
from walkwell.web.program.services_walks import (
    DuplicateWalk,
    ImportedMetrics,
    recorded_before,
    walk_log,
    walk_pain_record,
)

__all__ = [
    "DuplicateWalk",
    "ImportedMetrics",
    "checkin_record",
    "clearance_record",
    "enrollment_complete",
    "enrollment_record",
    "enrollment_start",
    "go_ahead_record",
    "outcomes_record",
    "readiness_record",
    "recorded_before",
    "screening_record",
    "walk_log",
    "walk_pain_record",
]
