"""Numbers and dates in sentences are written for people."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

from tests.core.scenarios import Story
from walkwell.core.words import (
    count,
    day_in_words,
    share_of_plan,
    zone_in_words,
    zone_name,
)


def test_counts_say_one_walk_and_two_walks() -> None:
    assert count(1, "walk") == "1 walk"
    assert count(2, "walk") == "2 walks"
    assert count(0, "flare") == "0 flares"
    assert count(1, "morning check-in") == "1 morning check-in"


def test_dates_name_the_weekday_and_the_year_only_when_it_differs() -> None:
    friday = dt.date(2026, 12, 4)
    assert day_in_words(friday, dt.date(2026, 12, 1)) == "Friday 4 December"
    assert day_in_words(friday, dt.date(2027, 1, 2)) == "Friday 4 December 2026"
    assert day_in_words(friday) == "Friday 4 December 2026"


def test_more_than_planned_is_never_a_percentage_above_one_hundred() -> None:
    assert share_of_plan(133, 20) == "done, and more than planned"
    assert share_of_plan(20, 20) == "done in full"
    assert share_of_plan(10, 20) == "50% of the plan"


def test_a_clock_time_names_its_zone_and_its_offset_from_utc() -> None:
    def at(zone: dt.tzinfo) -> dt.datetime:
        return dt.datetime(2026, 11, 28, 9, 23, tzinfo=dt.UTC).astimezone(zone)

    berlin = at(zoneinfo.ZoneInfo("Europe/Berlin"))
    assert (zone_name(berlin), zone_in_words(berlin)) == ("CET", "CET (UTC+01:00)")
    for utc in (dt.UTC, zoneinfo.ZoneInfo("UTC")):
        assert (zone_name(at(utc)), zone_in_words(at(utc))) == ("UTC", "UTC")
    dubai = at(zoneinfo.ZoneInfo("Asia/Dubai"))  # whose abbreviation is "+04"
    assert (zone_name(dubai), zone_in_words(dubai)) == ("UTC+04:00", "UTC+04:00")
    kolkata = at(dt.timezone(dt.timedelta(hours=5, minutes=30)))  # a bare offset
    assert zone_in_words(kolkata) == "UTC+05:30"
    samoa = at(zoneinfo.ZoneInfo("Pacific/Pago_Pago"))
    assert zone_in_words(samoa) == "SST (UTC-11:00)"


def test_no_engine_reason_writes_a_count_with_s_in_brackets_or_an_iso_date() -> None:
    """Six weeks with a flare, a warning sign, a clearance and a red flag."""
    story = Story().follow_plan(0, 20)
    story.walk(21, 30, terrain="hills", cooldown=False, pain_during=7)
    story.checkin(22, 6, warning_signs=["numbness_tingling"]).clearance(24)
    story.checkin(25, red_flags=["fever"])
    texts = [t for d in story.run() for t in (*d["reasons"], *d["warnings"])]
    assert any("2 walks of" in t for t in texts)
    assert not [t for t in texts if "(s)" in t]
    assert not [t for t in texts if re.search(r"\d{4}-\d\d-\d\d", t)]
