"""One reminder as an email: plain text and simple HTML from the same words.

The subject says only what kind of reminder it is: no pain score, no sign, no
decision, since subjects show on lock screens and in mail server logs. The body
holds what the person asked for: the walk, the check-in, on a stop day what to do
instead, and on a review day the week's look back.
"""

from __future__ import annotations

import datetime as dt
from email.utils import format_datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.template.loader import render_to_string
from django.urls import reverse

from walkwell.core.model import DayPlan
from walkwell.core.reminders import TOPIC_OF, Reminder
from walkwell.web.accounts import unsubscribe
from walkwell.web.program.presenters import pace_words, terrain_words

SUBJECTS = {
    "checkin": "WalkWell: your morning check-in",
    "walk": "WalkWell: time for your walk",
    "stop": "WalkWell: no walk reminder today",
}
TOPIC_WORDS = {"checkin": "morning check-in", "walks": "walk"}


def _site(name: str) -> str:
    return f"{settings.WALKWELL_SITE_URL}{reverse(name)}"


def _paragraphs(reminder: Reminder, plan: DayPlan, at: dt.datetime) -> list[str]:
    when = f"Your {at:%H:%M} reminder for {at:%A} {at.day} {at:%B}."
    rx = plan.prescription
    if reminder.message == "checkin":
        return [
            when,
            "How did yesterday's walking settle overnight? Pain, stiffness, sleep "
            "and focus: the check-in takes a minute, and tomorrow's plan is built "
            "on it.",
        ]
    if reminder.message == "stop":
        action = plan.action.text if plan.action else ""
        return [
            when,
            "Today is not a day to walk on as planned, so this is not a walk "
            "reminder: something you reported needs a clinician first.",
            f"What to do instead: {action}".strip(),
            "Your plan carries on once a clinician's clearance is recorded in "
            "WalkWell.",
        ]
    which = (
        f"walk {reminder.walk_number} of {reminder.walks_planned}"
        if reminder.walks_planned > 1
        else "walk"
    )
    return [
        when,
        f"Time for today's {which}: {rx.minutes_per_session} minutes, "
        f"{pace_words(rx).lower()}, on {terrain_words(rx.terrain)}.",
        "Stop at the whisper, not the scream, and finish with the 2-minute cooldown.",
    ]


def _link(reminder: Reminder) -> tuple[str, str]:
    if reminder.message == "checkin":
        return _site("pages:checkin"), "Open the check-in"
    if reminder.message == "stop":
        return _site("pages:today"), "Open today's page"
    return _site("pages:walk"), "Start the guided walk"


def message(
    user: User,
    reminder: Reminder,
    plan: DayPlan,
    *,
    at: dt.datetime,
    now: dt.datetime,
    look_back: list[str],
    connection: BaseEmailBackend | None = None,
) -> EmailMultiAlternatives:
    """The email for ``reminder``; ``at`` is the moment it was due, in the
    person's zone; the Date header is ``now`` in that zone, with its offset."""
    topic = TOPIC_OF[reminder.kind]
    stop_url = unsubscribe.url_for(user.pk, topic)
    link, link_text = _link(reminder)
    context = {
        "name": user.get_username(),
        "paragraphs": _paragraphs(reminder, plan, at),
        "link": link,
        "link_text": link_text,
        "look_back": look_back,
        "topic": TOPIC_WORDS[topic],
        "settings_url": _site("accounts:settings"),
        "unsubscribe_url": stop_url,
    }
    subject = SUBJECTS[reminder.message] + (", and your week" if look_back else "")
    mail = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("accounts/email/reminder.txt", context),
        to=[user.email],
        connection=connection,
        headers={
            "Date": format_datetime(now.astimezone(at.tzinfo)),
            "List-Unsubscribe": f"<{stop_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    mail.attach_alternative(
        render_to_string("accounts/email/reminder.html", context), "text/html"
    )
    return mail
