"""``walkwell demo --clinic``'s patients read as a clinic would: most follow the
plan the engine gives them and move through its phases, and each of the few who
need the clinician does so for one clear reason, shown on the patient list."""

from __future__ import annotations

import itertools
import re

from django.test import Client

from tests.cast import TODAY
from tests.clinic.conftest import signed_in
from walkwell.core.model import DayPlan, Decision
from walkwell.web.program import selectors
from walkwell.web.program.demo_stories import Story
from walkwell.web.program.models import Person
from walkwell.web.program.services_demo import Demo, demo_clinic

TOO_MUCH = "went well past today's plan"


def _demo() -> Demo:
    return demo_clinic(today=TODAY)


def _plans(who: Person) -> list[DayPlan]:
    """The engine's plan for every day of the person's program, up to today."""
    return selectors.timeline_for(who, TODAY)


def _telling(made: Demo, story: Story) -> list[Person]:
    return [p for p in made.patients if made.stories[p.pk] is story]


def _walked_share(who: Person) -> float:
    """The minutes walked against the minutes the plan prescribed before today."""
    planned = sum(d.prescription.total_minutes for d in _plans(who)[:-1])
    walked = sum(w.minutes for w in selectors.walk_list(who))
    return walked / planned


def _listed(client: Client, reason: str) -> list[str]:
    """The user names the patient list shows when filtered by ``reason``."""
    html = client.get("/clinic/", {"reason": reason}).content.decode()
    return re.findall(r"\((demo-patient-\d+)\)", html)


def test_most_demo_patients_follow_their_plan_through_the_phases(db: None) -> None:
    made = _demo()
    steady = _telling(made, Story.STEADY)
    assert len(steady) == 6
    for who in steady:
        share = _walked_share(who)
        assert 0.75 <= share <= 1.0, (who.user.username, share)
        plans = _plans(who)
        assert all(d.decision is not Decision.PAUSE_REASSESS for d in plans)
        assert all(not d.flare_plan for d in plans)
        # Reset lasts two weeks at least; after three, everyone has moved on
        if len(plans) > 21:
            assert (plans[-1].phase or 0) >= 2, who.user.username
    # one just begun, one in Stabilize, the others in Strengthen: as the calendar allows
    assert {_plans(p)[-1].phase for p in steady} == {1, 2, 3}
    phases = [_plans(p)[-1].phase or 0 for p in made.patients]
    assert sum(phase >= 2 for phase in phases) >= 10


def test_each_demo_story_that_needs_the_clinician_shows_its_reason_on_the_list(
    db: None,
) -> None:
    made = _demo()
    client = signed_in(made.clinician)
    expected = {
        Story.WORSENING: "pause_reassess",
        Story.FLARE: "flare",
        Story.OVERDOING: "overdoing",
        Story.QUIET: "no_data",
        Story.WARNING_SIGN: "warning_sign",
        Story.RED_FLAG: "urgent_red_flag",
    }
    for story, reason in expected.items():
        (who,) = _telling(made, story)
        # that patient alone: nobody else is paused, on a flare plan, past the
        # plan, silent or stopped
        assert _listed(client, reason) == [who.user.username], story
    everyone = _listed(client, "")
    assert len(everyone) == 12
    # the most urgent first: the red flag, then the warning sign
    (red,) = _telling(made, Story.RED_FLAG)
    (warned,) = _telling(made, Story.WARNING_SIGN)
    assert everyone[:2] == [red.user.username, warned.user.username]


def test_the_worsening_demo_patient_is_held_then_paused_as_mornings_creep_up(
    db: None,
) -> None:
    made = _demo()
    (who,) = _telling(made, Story.WORSENING)
    recent = _plans(who)[-21:]
    decisions = [d.decision for d in recent]
    assert Decision.HOLD in decisions
    assert decisions[-1] is Decision.PAUSE_REASSESS
    assert "meaningfully worse than your own baseline" in recent[-1].reasons[0].text
    pains = [c.pain for c in reversed(selectors.checkin_list(who))][-21:]
    assert pains[-1] >= pains[0] + 2
    # a creep, not a flare: never more than a point up from one morning to the next
    assert all(b - a <= 1 for a, b in itertools.pairwise(pains))


def test_the_flare_demo_patient_steps_back_onto_the_flare_plan_in_the_last_week(
    db: None,
) -> None:
    made = _demo()
    (who,) = _telling(made, Story.FLARE)
    week = _plans(who)[-7:]
    assert Decision.STEP_BACK in [d.decision for d in week]
    assert week[-1].flare_plan.startswith("Lighter for a few days")


def test_only_the_overdoing_demo_patient_walks_well_past_the_plan(db: None) -> None:
    made = _demo()
    (overdoing,) = _telling(made, Story.OVERDOING)
    ten_days = _plans(overdoing)[-11:-1]
    warned = {d.date for d in ten_days if any(TOO_MUCH in w.text for w in d.warnings)}
    walked = {w.date for w in selectors.walk_list(overdoing)}
    # every walk of the last ten days went well past the plan, and the plan says so
    assert warned == {d.date for d in ten_days} & walked
    assert len(warned) >= 5
    share = _walked_share(overdoing)
    for who in made.patients:
        if who != overdoing:
            plans = _plans(who)
            assert not any(TOO_MUCH in w.text for d in plans for w in d.warnings)
            assert _walked_share(who) < share


def test_a_steady_demo_patients_page_shows_walks_within_the_plan(db: None) -> None:
    made = _demo()
    client = signed_in(made.clinician)
    for who in _telling(made, Story.STEADY):
        page = client.get(f"/clinic/patients/{who.pk}/").content.decode()
        summary = re.search(r"You walked (\d+) minutes? of (\d+) planned", page)
        assert summary, who.user.username
        walked, planned = (int(n) for n in summary.groups())
        assert 0.75 * planned <= walked <= planned, summary.group(0)
