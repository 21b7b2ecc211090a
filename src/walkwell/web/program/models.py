"""What WalkWell stores about a person: enrolment, screening, walks, check-ins,
clearances, outcome measures, and an audit log of clinical state changes.

Rows hold no rules: services validate and write them, selectors turn them into the
core's frozen dataclasses. The constraints below are a second line of defence that
keeps impossible values out even if a future writer forgets a check; their bounds
are the input limits of ``core.limits``, so the database allows exactly what the
services allow.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from walkwell.core import limits
from walkwell.core.model import Footwear, Pace, Terrain


def _choices(
    enum: type[Terrain] | type[Pace] | type[Footwear],
) -> list[tuple[str, str]]:
    return [(m.value, m.value.replace("_", " ")) for m in enum]


def _rating(field: str, name: str, *, nullable: bool = False) -> models.CheckConstraint:
    """A 0-10 rating, as pain, sleep and focus are asked."""
    in_range = Q(**{f"{field}__gte": 0, f"{field}__lte": limits.RATING_MAX})
    if nullable:
        in_range |= Q(**{f"{field}__isnull": True})
    return models.CheckConstraint(condition=in_range, name=name)


PROTOCOL_NAME_MAX = 100


class Person(models.Model):
    """One person following one protocol: the enrolment (one per user)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="person"
    )
    protocol_id = models.CharField(max_length=PROTOCOL_NAME_MAX)
    start = models.DateField()
    # Null until given: an urgent screening answer ends onboarding before it.
    baseline_minutes = models.FloatField(null=True, blank=True)
    footwear = models.CharField(max_length=20, choices=_choices(Footwear), blank=True)
    # Exercise-readiness answers (the protocol's question ids answered yes), and a
    # doctor's go-ahead to exercise: when and who gave it.
    readiness = models.JSONField(default=list, blank=True)
    go_ahead = models.DateField(null=True, blank=True)
    go_ahead_by = models.CharField(max_length=200, blank=True)
    # A usual morning, given at onboarding (optional, all four or none): the
    # person's own baseline; without it the first week of check-ins makes it.
    usual_pain = models.PositiveSmallIntegerField(null=True, blank=True)
    usual_stiffness_min = models.PositiveSmallIntegerField(null=True, blank=True)
    usual_sleep = models.PositiveSmallIntegerField(null=True, blank=True)
    usual_focus = models.PositiveSmallIntegerField(null=True, blank=True)
    # The engine's last answer seen by a service, so changes can be audited.
    last_phase = models.PositiveSmallIntegerField(null=True, blank=True)
    last_decision = models.CharField(max_length=30, blank=True)
    # A new value on every write to the person's history (``program.history.bump``):
    # the key of the stored timeline and of the review. Random, not a counter, so a
    # value seen inside a transaction that rolled back is never given again.
    history_version = models.UUIDField(default=uuid.uuid4)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = (
            models.CheckConstraint(
                condition=Q(baseline_minutes__isnull=True)
                | Q(
                    baseline_minutes__gte=limits.MIN_BASELINE_MINUTES,
                    baseline_minutes__lte=limits.MAX_WALK_MINUTES,
                ),
                name="person_baseline_minutes_range",
            ),
            _rating("usual_pain", "person_usual_pain_range", nullable=True),
            _rating("usual_sleep", "person_usual_sleep_range", nullable=True),
            _rating("usual_focus", "person_usual_focus_range", nullable=True),
            models.CheckConstraint(
                condition=Q(usual_stiffness_min__isnull=True)
                | Q(usual_stiffness_min__gte=0, usual_stiffness_min__lte=1440),
                name="person_usual_stiffness_range",
            ),
        )

    def __str__(self) -> str:
        return f"{self.user} on {self.protocol_id} from {self.start}"


class Screening(models.Model):
    """Red-flag screening answers: the identifiers answered yes."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="screenings"
    )
    date = models.DateField()
    red_flags = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("date", "id")

    def __str__(self) -> str:
        return f"screening {self.date}: {self.red_flags or 'none'}"


class WalkSource(models.TextChoices):
    TYPED = "typed"
    TIMER = "timer"
    IMPORT = "import"


class Walk(models.Model):
    """A stored walk: ``core.Walk``'s fields (``limits.WALK_SPEC``), and what a
    device recorded."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="walks")
    date = models.DateField()
    minutes = models.FloatField()
    terrain = models.CharField(max_length=10, choices=_choices(Terrain), default="flat")
    pace = models.CharField(max_length=10, choices=_choices(Pace), default="easy")
    # Nullable: an imported walk gets its pain answers later.
    pain_before = models.PositiveSmallIntegerField(null=True, blank=True)
    pain_during = models.PositiveSmallIntegerField(null=True, blank=True)
    pain_after = models.PositiveSmallIntegerField(null=True, blank=True)
    warning_signs = models.JSONField(default=list, blank=True)
    cooldown = models.BooleanField(default=True)
    load_kg = models.FloatField(default=0.0)
    footwear = models.CharField(max_length=20, choices=_choices(Footwear), blank=True)
    source = models.CharField(
        max_length=10, choices=WalkSource, default=WalkSource.TYPED
    )
    # What a device recorded, for imported walks.
    started_at = models.DateTimeField(null=True, blank=True)
    duration_s = models.FloatField(null=True, blank=True)
    moving_s = models.FloatField(null=True, blank=True)
    distance_m = models.FloatField(null=True, blank=True)
    elevation_gain_m = models.FloatField(null=True, blank=True)
    device = models.CharField(max_length=200, blank=True)
    device_activity_id = models.CharField(max_length=200, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    # The key of the form that stored the walk: a repost (a retry, a double tap)
    # finds the walk already stored instead of storing it twice.
    idempotency_key = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("date", "id")
        indexes = (models.Index(fields=["person", "date"], name="walk_person_date"),)
        constraints = (
            models.CheckConstraint(
                condition=Q(
                    minutes__gte=limits.WALK["minutes"].low,
                    minutes__lte=limits.WALK["minutes"].high,
                ),
                name="walk_minutes_range",
            ),
            models.CheckConstraint(
                condition=Q(
                    load_kg__gte=limits.WALK["load_kg"].low,
                    load_kg__lte=limits.WALK["load_kg"].high,
                ),
                name="walk_load_kg_range",
            ),
            _rating("pain_before", "walk_pain_before_range", nullable=True),
            _rating("pain_during", "walk_pain_during_range", nullable=True),
            _rating("pain_after", "walk_pain_after_range", nullable=True),
            models.UniqueConstraint(
                fields=["person", "content_hash"],
                condition=~Q(content_hash=""),
                name="walk_unique_content_per_person",
            ),
            models.UniqueConstraint(
                fields=["person", "device", "device_activity_id"],
                condition=~Q(device_activity_id=""),
                name="walk_unique_device_activity_per_person",
            ),
            models.UniqueConstraint(
                fields=["person", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="walk_unique_form_key_per_person",
            ),
        )

    def __str__(self) -> str:
        return f"walk {self.date}: {self.minutes:g} min"


class WalkShape(models.Model):
    """An imported walk's route and elevation, thinned to ``core.shape.SHAPE_POINTS``
    points at most (rows of ``ShapePoint.row``), with its bounding box."""

    walk = models.OneToOneField(Walk, on_delete=models.CASCADE, related_name="shape")
    points = models.JSONField(default=list)
    south = models.FloatField()
    west = models.FloatField()
    north = models.FloatField()
    east = models.FloatField()
    intervals = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"shape of walk {self.walk_id}: {len(self.points)} points"


class CheckIn(models.Model):
    """The morning check (12-24 hours after a walk); one a day."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="checkins"
    )
    date = models.DateField()
    pain = models.PositiveSmallIntegerField()
    morning_stiffness_min = models.PositiveSmallIntegerField()
    sleep = models.PositiveSmallIntegerField()
    focus = models.PositiveSmallIntegerField()
    warning_signs = models.JSONField(default=list, blank=True)
    red_flags = models.JSONField(default=list, blank=True)
    # Back pain that stopped usual activities for 24 hours or more since the last
    # check-in (WalkBack's recurrence); null when the question was not answered.
    recurrence = models.BooleanField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("date",)
        constraints = (
            models.UniqueConstraint(
                fields=["person", "date"], name="checkin_one_per_day"
            ),
            _rating("pain", "checkin_pain_range"),
            _rating("sleep", "checkin_sleep_range"),
            _rating("focus", "checkin_focus_range"),
            models.CheckConstraint(
                condition=Q(
                    morning_stiffness_min__gte=0,
                    morning_stiffness_min__lte=limits.MAX_STIFFNESS_MINUTES,
                ),
                name="checkin_stiffness_range",
            ),
        )

    def __str__(self) -> str:
        return f"check-in {self.date}: pain {self.pain}"


class Clearance(models.Model):
    """A clinician has seen the person after an escalation and cleared them."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="clearances"
    )
    date = models.DateField()
    by = models.CharField(max_length=limits.MAX_CLEARED_BY, default="clinician")
    # The clinician's account that recorded it; None when the person recorded it
    # themself (self-reported, shown so wherever it appears).
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    self_reported = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("date", "id")

    def __str__(self) -> str:
        how = " (self-reported)" if self.self_reported else ""
        return f"clearance {self.date} by {self.by}{how}"


class SymptomReport(models.Model):
    """Warning signs or red flags reported on their own, at any time of the day."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="symptoms"
    )
    date = models.DateField()
    warning_signs = models.JSONField(default=list, blank=True)
    red_flags = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("date", "id")

    def __str__(self) -> str:
        return f"symptoms {self.date}: {[*self.red_flags, *self.warning_signs]}"


class OutcomeResponse(models.Model):
    """Answers to an outcome measure (pain NRS, PSFS, STarT Back) and their score."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="outcomes"
    )
    measure_id = models.CharField(max_length=30)
    date = models.DateField()
    answers = models.JSONField(default=dict)
    score = models.FloatField(null=True, blank=True)
    result = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("date", "id")

    def __str__(self) -> str:
        return f"{self.measure_id} {self.date}: {self.score}"


class AuditEvent(models.TextChoices):
    ENROLLED = "enrolled"
    RED_FLAG_REPORTED = "red_flag_reported"
    WARNING_SIGN_REPORTED = "warning_sign_reported"
    PHASE_CHANGED = "phase_changed"
    DECISION_ESCALATED = "decision_escalated"
    CHECKIN_AMENDED = "checkin_amended"
    CLEARANCE_RECORDED = "clearance_recorded"
    READINESS_RECORDED = "readiness_recorded"
    GO_AHEAD_RECORDED = "go_ahead_recorded"
    DATA_EXPORTED = "data_exported"
    CLINICIAN_ACTION = "clinician_action"
    PROTOCOL_CHANGED = "protocol_changed"
    CLINICIAN_LINKED = "clinician_linked"
    CLINICIAN_UNLINKED = "clinician_unlinked"
    BREAK_GLASS = "break_glass"
    DATA_RESTORED = "data_restored"


class AuditLog(models.Model):
    """A clinical state change, written in the same transaction as its cause."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="audit")
    event_type = models.CharField(max_length=40, choices=AuditEvent)
    occurred_at = models.DateTimeField(auto_now_add=True)
    day = models.DateField(null=True, blank=True)
    detail: models.JSONField[Any] = models.JSONField(default=dict)
    # Who made the change when it was not the person (a clinician, an admin).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ("occurred_at", "id")
        indexes = (
            models.Index(fields=["person", "occurred_at"], name="audit_person_time"),
        )

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.event_type}"


# --- The care team: clinicians linked to a person, and what they read and did ---


class LinkVia(models.TextChoices):
    INVITE_LINK = "invite_link", "a one-time invitation link"
    INVITE_CODE = "invite_code", "a short invitation code"
    DEMO = "demo", "the demonstration data"
    ADMIN = "admin", "a clinic admin"


class ClinicianLink(models.Model):
    """A clinician who may see this person's record, from ``created_at`` until the
    person (or a clinic admin) ends the link (``ended_at``)."""

    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="patient_links"
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="clinician_links"
    )
    via = models.CharField(max_length=20, choices=LinkVia)
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ("created_at", "id")
        indexes = (
            models.Index(fields=["clinician", "ended_at"], name="link_clinician_open"),
        )
        constraints = (
            models.UniqueConstraint(
                fields=["clinician", "person"],
                condition=Q(ended_at__isnull=True),
                name="link_one_open_per_pair",
            ),
        )

    def __str__(self) -> str:
        return f"link {self.clinician_id} -> person {self.person_id}"


class Invite(models.Model):
    """A clinician's invitation: a one-time link and a short code, both stored only
    as hashes, valid until ``expires_at`` and used at most once."""

    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invites"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    code_hash = models.CharField(max_length=64, unique=True)
    label = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"invite by {self.clinician_id} until {self.expires_at:%Y-%m-%d %H:%M}"


class ClinicianNote(models.Model):
    """A note a clinician writes for the person; shown on Today and in history."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="clinician_notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField()
    # The key of the form (or API request) that wrote the note: sent again, it
    # finds the note already stored instead of storing it twice. Blank: no key.
    idempotency_key = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = (
            models.UniqueConstraint(
                fields=["person", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="note_unique_form_key_per_person",
            ),
        )

    def __str__(self) -> str:
        return f"note for person {self.person_id} by {self.author_id}"


class ActionKind(models.TextChoices):
    CLEAR_STOP = "clear_stop", "cleared a stop"
    CONFIRM = "confirm", "confirmed the plan's decision"
    HOLD = "hold", "held the plan at its current dose"
    STEP_BACK = "step_back", "stepped the plan back"
    ADVANCE = "advance", "moved the plan on to the next phase early"
    THRESHOLD = "threshold", "adjusted a threshold"
    PROTOCOL = "protocol", "changed the program"
    NOTE = "note", "wrote a note"
    BREAK_GLASS = "break_glass", "opened the record in an emergency (break-glass)"


class ClinicianAction(models.Model):
    """Something a clinician (or an admin) did to the person's plan, with the reason;
    the person sees each one on Today and in their history."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="clinician_actions"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=ActionKind)
    day = models.DateField()
    reason = models.TextField(blank=True)
    detail: models.JSONField[Any] = models.JSONField(default=dict, blank=True)
    # The key of the form (or API request) that stored the action: sent again, it
    # finds the action already stored instead of storing (and auditing) it twice.
    # Blank: no key (a note's own action; rows from before keys).
    idempotency_key = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = (models.Index(fields=["person", "day"], name="action_person_day"),)
        constraints = (
            models.UniqueConstraint(
                fields=["person", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="action_unique_form_key_per_person",
            ),
        )

    def __str__(self) -> str:
        return f"{self.kind} for person {self.person_id} by {self.actor_id}"


class BreakGlass(models.Model):
    """A clinic admin's emergency access to one person's record, for a short time,
    with a reason; audited and shown to the person."""

    admin = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="break_glass"
    )
    reason = models.TextField()
    started_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ("-started_at", "-id")

    def __str__(self) -> str:
        return f"break-glass by {self.admin_id} on person {self.person_id}"


class AccessOutcome(models.TextChoices):
    """What came of an access that was allowed. The row is written when the
    permission is checked, before the action runs; an action's row then says
    whether it was carried out. Rows from before outcomes were kept hold ""."""

    READ = "read", "yes"
    # an action, allowed and not (or not yet) carried out: it stays so if the
    # action failed for a reason other than a refusal
    NOT_DONE = "not_done", "yes, but not carried out"
    DONE = "done", "yes, and done"
    REFUSED = "refused", "yes, but not carried out: the request was refused"
    REPEAT = "repeat", "yes, sent again: done once, not twice"


class AccessLog(models.Model):
    """One read of (or action on) a person's record by someone else: who, whose,
    what, when, from where, whether it was allowed and, for an action, whether it
    was carried out (``outcome``)."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField(max_length=150)
    actor_role = models.CharField(max_length=20)
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="access_log"
    )
    what = models.CharField(max_length=100)
    at = models.DateTimeField(auto_now_add=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=200, blank=True)
    allowed = models.BooleanField()
    outcome = models.CharField(max_length=12, choices=AccessOutcome.choices)
    break_glass = models.BooleanField(default=False)

    class Meta:
        ordering = ("-at", "-id")
        indexes = (models.Index(fields=["person", "at"], name="access_person_time"),)

    def __str__(self) -> str:
        verdict = "allowed" if self.allowed else "denied"
        return f"{self.actor_name} {self.what} person {self.person_id} ({verdict})"

    @property
    def verdict(self) -> str:
        """Whether it was allowed and what came of it, in words ("yes, but not
        carried out: the request was refused")."""
        if not self.allowed:
            return "no (refused)"
        if self.outcome in AccessOutcome.values:
            return str(AccessOutcome(self.outcome).label)
        return "yes"


class PersonReview(models.Model):
    """The latest review of a person: the engine's decision for ``day`` and the
    attention reasons (``core.attention``), most urgent first.

    Written by ``program.services_review`` after each write and by the nightly
    review; read by ``program.selectors_attention.needs_attention``.
    """

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, primary_key=True, related_name="review"
    )
    day = models.DateField()
    history_version = models.UUIDField()
    phase = models.PositiveSmallIntegerField(null=True, blank=True)
    decision = models.CharField(max_length=30)
    # The most urgent reason's rank (``core.attention.RANK``), or NO_ATTENTION.
    rank = models.PositiveSmallIntegerField()
    reason = models.CharField(max_length=30, blank=True)  # the most urgent one
    # Every reason's code between spaces (" flare no_data "), for the filter.
    codes = models.CharField(max_length=300, blank=True)
    # [{"code", "text", "source", "since"}], most urgent first.
    reasons: models.JSONField[Any] = models.JSONField(default=list, blank=True)
    since = models.DateField(null=True, blank=True)  # when the top reason began
    reviewed_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = (
            models.Index(fields=["rank", "since", "person"], name="review_urgency"),
        )

    def __str__(self) -> str:
        return f"review {self.day}: {self.reason or 'nothing'}"


class AccountDeletion(models.Model):
    """That an account was deleted, and how many rows went, per table: no name,
    no health data (the account's own audit log went with it)."""

    occurred_at = models.DateTimeField(auto_now_add=True)
    rows_removed: models.JSONField[Any] = models.JSONField(default=dict)

    class Meta:
        ordering = ("occurred_at", "id")

    def __str__(self) -> str:
        return f"account deleted {self.occurred_at:%Y-%m-%d %H:%M}"
