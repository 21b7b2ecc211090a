"""Reminder emails: one pass sends what fell due since the last pass.

A pass (``remind_pass``, run by ``walkwell remind`` from cron or by the recurring
task on the workers) looks at the window from the start of the last finished pass
to now (at most ``core.reminders.LATEST`` back), and for every person who asked
for reminders by email finds the reminders whose local moment falls in it
(``core.reminders``: what to remind is decided there). Each one is claimed in the
``ReminderSent`` table before it is sent: its unique (account, kind, local day)
lets exactly one of any number of concurrent or repeated passes claim it, so a
reminder goes out at most once. A mail server that refuses it releases the claim,
and the pass is left unfinished so that the next one looks back over it again.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Iterator
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, transaction
from django.db.models import Q

from walkwell.core import reminders as rules
from walkwell.core.model import DayPlan
from walkwell.core.reminders import Reminder, Slot, Times, Topic
from walkwell.web.accounts.models import Preferences, ReminderPass, ReminderSent
from walkwell.web.accounts.reminder_mail import message
from walkwell.web.accounts.zones import zone_of
from walkwell.web.program import presenters, selectors
from walkwell.web.program.models import Person

log = logging.getLogger(__name__)

FIRST_PASS = dt.timedelta(minutes=15)  # the very first pass looks back this far
KEEP = dt.timedelta(days=30)  # sent reminders and passes are forgotten after this


@dataclass(frozen=True, slots=True)
class PassResult:
    start: dt.datetime
    end: dt.datetime
    sent: int
    failed: int


def topics_of(prefs: Preferences) -> frozenset[Topic]:
    chosen: list[Topic] = []
    if prefs.email_checkin:
        chosen.append("checkin")
    if prefs.email_walks:
        chosen.append("walks")
    return frozenset(chosen)


def times_of(prefs: Preferences) -> Times:
    return Times(
        checkin=prefs.checkin_time,
        first_walk=prefs.first_walk_time,
        second_walk=prefs.second_walk_time,
    )


def _last_pass_start() -> dt.datetime | None:
    last = (
        ReminderPass.objects.filter(finished_at__isnull=False)
        .order_by("-started_at")
        .first()
    )
    return last.started_at if last else None


def _subscribers() -> Iterator[Preferences]:
    """Everyone who asked for reminders by email and has an address."""
    rows = (
        Preferences.objects.filter(Q(email_checkin=True) | Q(email_walks=True))
        .exclude(user__email="")
        .filter(user__is_active=True)
        .select_related("user")
        .order_by("pk")
    )
    return rows.iterator(chunk_size=500)


def remind_pass(*, now: dt.datetime) -> PassResult:
    """One pass: send every reminder due in (start of the last pass, now]."""
    start = rules.window_start(now, _last_pass_start(), FIRST_PASS)
    run = ReminderPass.objects.create(started_at=now)
    sent = failed = 0
    connection = get_connection()
    for prefs in _subscribers():
        for outcome in _remind(prefs, start, now, connection):
            sent += outcome
            failed += not outcome
    connection.close()
    # A pass with a refused email stays unfinished: the next pass starts where the
    # last clean one did, so it tries that reminder again (within LATEST).
    run.finished_at = None if failed else now
    run.sent, run.failed = sent, failed
    run.save(update_fields=["finished_at", "sent", "failed"])
    _forget_old(now)
    return PassResult(start=start, end=now, sent=sent, failed=failed)


def _remind(
    prefs: Preferences,
    start: dt.datetime,
    now: dt.datetime,
    connection: BaseEmailBackend,
) -> Iterator[bool]:
    """Send this person's reminders due in the window; yields True for each sent,
    False for each the mail server refused."""
    topics = topics_of(prefs)
    slots = rules.slots_due(start, now, zone_of(prefs), times_of(prefs), topics)
    if not slots:
        return
    person = Person.objects.filter(user_id=prefs.user_id).first()
    if person is None:
        return  # not enrolled: nothing to remind yet
    for slot in slots:
        if slot.day < person.start:
            continue  # the program has not started on that day
        plan = selectors.plan_for(person, slot.day)
        reminder = _reminder(person, plan, slot, topics)
        if reminder is None:
            continue
        claim = _claim(prefs.user_id, slot, now)
        if claim is None:
            continue  # another pass has it
        yield _send(
            user=prefs.user,
            person=person,
            reminder=reminder,
            plan=plan,
            at=slot.at,
            now=now,
            claim=claim,
            connection=connection,
        )


def _reminder(
    person: Person, plan: DayPlan, slot: Slot, topics: frozenset[Topic]
) -> Reminder | None:
    before = slot.day - dt.timedelta(days=1)
    return rules.reminder_for(
        slot.kind,
        plan,
        day_before=selectors.plan_for(person, before)
        if before >= person.start
        else None,
        checked_in=selectors.checkin_on(person, slot.day) is not None,
        topics=topics,
    )


def _claim(user_id: int, slot: Slot, now: dt.datetime) -> ReminderSent | None:
    """This reminder, claimed for this pass; None if another pass claimed it."""
    try:
        with transaction.atomic():
            return ReminderSent.objects.create(
                user_id=user_id, kind=slot.kind, day=slot.day, claimed_at=now
            )
    except IntegrityError:
        return None


def _send(
    *,
    user: User,
    person: Person,
    reminder: Reminder,
    plan: DayPlan,
    at: dt.datetime,
    now: dt.datetime,
    claim: ReminderSent,
    connection: BaseEmailBackend,
) -> bool:
    lines = _look_back(person, reminder.day) if reminder.look_back else []
    mail = message(
        user, reminder, plan, at=at, now=now, look_back=lines, connection=connection
    )
    try:
        mail.send()
    except (smtplib.SMTPException, OSError) as exc:
        log.warning("reminder %s for user %s not sent: %s", reminder.kind, user.pk, exc)
        claim.delete()  # the next pass tries again
        return False
    ReminderSent.objects.filter(pk=claim.pk).update(sent_at=now)
    return True


def _look_back(person: Person, day: dt.date) -> list[str]:
    plans = selectors.timeline_for(person, day)
    walks, checkins = selectors.look_back_rows(person, day, weeks=1)
    found = presenters.look_back_on(
        selectors.protocol_for(person), plans, walks, checkins, day
    )
    return presenters.look_back_lines(found) if found else []


def _forget_old(now: dt.datetime) -> None:
    """Reminders sent and passes run more than ``KEEP`` ago are of no more use."""
    ReminderSent.objects.filter(day__lt=(now - KEEP).date()).delete()
    ReminderPass.objects.filter(started_at__lt=now - KEEP).delete()


def unsubscribe(*, user_id: int, topic: Topic) -> bool:
    """Stop one topic's reminders; False when the account is gone."""
    prefs = Preferences.objects.filter(user_id=user_id).first()
    if prefs is None:
        return User.objects.filter(pk=user_id).exists()
    field = "email_checkin" if topic == "checkin" else "email_walks"
    setattr(prefs, field, False)
    prefs.save(update_fields=[field])
    return True
