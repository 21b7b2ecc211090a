"""The private iCal feed: the next four weeks of planned walks at the person's times.

Future days are what the engine plans if nothing new is logged; the feed is fetched
again by the calendar app, so it follows the plan as it changes.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from icalendar import Alarm, Calendar, Event

from walkwell.core import engine
from walkwell.core.model import DayPlan
from walkwell.core.safety import is_stop
from walkwell.web.accounts.models import Preferences
from walkwell.web.accounts.zones import zone_of
from walkwell.web.program import selectors
from walkwell.web.program.models import Person
from walkwell.web.program.presenters import pace_words, terrain_words, urgent_action

DAYS_AHEAD = 28


def feed_bytes(person: Person, prefs: Preferences, today: dt.date, site: str) -> bytes:
    protocol = selectors.protocol_for(person)
    history = selectors.history_for(person)
    end = max(today, person.start) + dt.timedelta(days=DAYS_AHEAD)
    plans = [p for p in engine.timeline(protocol, history, end) if p.date >= today]
    zone = zone_of(prefs)
    times = [prefs.first_walk_time, prefs.second_walk_time]
    cal = Calendar()
    cal.add("prodid", "-//WalkWell//Planned walks//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "WalkWell walks")
    stamp = dt.datetime.combine(today, dt.time(0, 0), tzinfo=dt.UTC)
    walked_before = False
    for plan in plans:
        rx = plan.prescription
        if walked_before:
            cal.add_component(_checkin_event(person, plan.date, prefs, zone, stamp))
        walked_before = rx.sessions > 0
        if is_stop(plan):
            # a calendar entry nudges like a reminder: on a stop day it says what to
            # do instead of walking, never "time for your walk" (reminders.stop_day)
            cal.add_component(
                _stop_event(
                    person, plan, prefs=prefs, zone=zone, stamp=stamp, site=site
                )
            )
            continue
        for n in range(rx.sessions):
            at = times[n] if n < len(times) else times[-1]
            start = dt.datetime.combine(plan.date, at, tzinfo=zone)
            event = Event()
            event.add("uid", f"walkwell-{person.pk}-{plan.date.isoformat()}-{n + 1}")
            event.add("dtstamp", stamp)
            event.add("dtstart", start)
            event.add("dtend", start + dt.timedelta(minutes=rx.minutes_per_session))
            summary, description = _walk_words(plan)
            event.add("summary", summary)
            event.add("description", f"{description} Open WalkWell: {site}")
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", "Time for your walk")
            alarm.add("trigger", dt.timedelta(minutes=-10))
            event.add_component(alarm)
            cal.add_component(event)
    return bytes(cal.to_ical())


def _walk_words(plan: DayPlan) -> tuple[str, str]:
    """The event's title and text."""
    rx = plan.prescription
    how = f"{pace_words(rx)} on {terrain_words(rx.terrain)}."
    title = f"WalkWell: {rx.minutes_per_session}-minute walk"
    return title, f"{how} Finish with the 2-minute cooldown."


def _stop_event(
    person: Person,
    plan: DayPlan,
    *,
    prefs: Preferences,
    zone: zoneinfo.ZoneInfo,
    stamp: dt.datetime,
    site: str,
) -> Event:
    """A stop day: no walk, only what to do instead, at the first walk's time."""
    action = urgent_action(plan)
    todo = f"{action.text} " if action is not None else ""
    start = dt.datetime.combine(plan.date, prefs.first_walk_time, tzinfo=zone)
    event = Event()
    event.add("uid", f"walkwell-{person.pk}-{plan.date.isoformat()}-stop")
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("dtend", start + dt.timedelta(minutes=5))
    event.add("summary", "WalkWell: not a day to walk as planned")
    event.add(
        "description",
        f"{todo}The plan carries on once a clinician's clearance is recorded. "
        f"Open WalkWell: {site}",
    )
    return event


def _checkin_event(
    person: Person,
    day: dt.date,
    prefs: Preferences,
    zone: zoneinfo.ZoneInfo,
    stamp: dt.datetime,
) -> Event:
    """The morning after a walk: how did it settle?"""
    start = dt.datetime.combine(day, prefs.checkin_time, tzinfo=zone)
    event = Event()
    event.add("uid", f"walkwell-{person.pk}-{day.isoformat()}-checkin")
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("dtend", start + dt.timedelta(minutes=5))
    event.add("summary", "WalkWell: morning check-in")
    event.add("description", "Pain, stiffness, sleep and focus: one minute.")
    return event
