"""The re-screen page: after an urgent stop, the safety questions again."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.test import Client

from tests.cast import TODAY
from tests.web.pages_support import (
    checkin_answers,
    screening_answers,
    warning_answers,
)
from walkwell.web.program import selectors
from walkwell.web.program.models import Person


def _stopped(client: Client) -> None:
    answers = {**checkin_answers(TODAY), "red_flags": ["saddle_numbness"]}
    client.post("/check-in/", answers)


def test_the_stop_screen_links_to_the_clearance_and_the_rescreen(
    alice: Person, client: Client
) -> None:
    _stopped(client)
    page = client.get("/").text
    assert 'href="/clearance/"' in page
    assert 'href="/rescreen/"' in page
    assert "safety questions answered again" in page


def _later_today(hour: int) -> time_machine.travel:
    return time_machine.travel(
        dt.datetime.combine(TODAY, dt.time(hour), tzinfo=dt.UTC), tick=False
    )


def test_a_warning_sign_stop_needs_no_rescreen_and_lifts_with_a_later_clearance(
    alice: Person, client: Client
) -> None:
    client.post(
        "/check-in/", {**checkin_answers(TODAY), **warning_answers("numbness_tingling")}
    )
    assert selectors.plan_for(alice, TODAY).decision == "stop_consult"
    page = client.get("/").text
    assert 'href="/clearance/"' in page
    assert 'href="/rescreen/"' not in page
    with _later_today(15):
        cleared = client.post("/clearance/", {"by": "Physio", "confirm": "on"})
    assert cleared["Location"] == "/"
    assert not selectors.plan_for(alice, TODAY).decision.is_escalation


def test_the_rescreen_page_asks_every_red_flag_question(
    alice: Person, client: Client
) -> None:
    page = client.get("/rescreen/")
    assert page.status_code == 200
    protocol = selectors.protocol_for(alice)
    for flag in protocol.red_flags:
        assert f'name="sign_{flag.id}"' in page.text


def test_an_unanswered_rescreen_stores_nothing(alice: Person, client: Client) -> None:
    before = alice.screenings.count()
    response = client.post("/rescreen/", {"sign_saddle_numbness": "no"})
    assert response.status_code == 200
    assert "Please answer every question" in response.text
    assert alice.screenings.count() == before


def test_a_clean_rescreen_alone_keeps_an_urgent_stop(
    alice: Person, client: Client
) -> None:
    _stopped(client)
    with _later_today(12):
        response = client.post("/rescreen/", screening_answers())
    assert response["Location"] == "/"
    assert selectors.plan_for(alice, TODAY).decision == "seek_urgent_care"


def test_a_clearance_at_the_same_moment_as_the_sign_counts_as_before_it(
    alice: Person, client: Client
) -> None:
    """When two records carry the same time, the cautious order is taken."""
    _stopped(client)
    client.post("/clearance/", {"by": "A&E doctor", "confirm": "on"})
    assert client.post("/rescreen/", screening_answers())["Location"] == "/"
    assert selectors.plan_for(alice, TODAY).decision == "seek_urgent_care"


def test_clearance_then_clean_rescreen_lifts_an_urgent_stop(
    alice: Person, client: Client
) -> None:
    _stopped(client)
    with _later_today(12):
        cleared = client.post("/clearance/", {"by": "A&E doctor", "confirm": "on"})
    assert cleared["Location"] == "/rescreen/"
    assert selectors.plan_for(alice, TODAY).decision == "seek_urgent_care"
    with _later_today(13):
        assert client.post("/rescreen/", screening_answers())["Location"] == "/"
    assert not selectors.plan_for(alice, TODAY).decision.is_escalation


def test_once_cleared_the_stop_screen_asks_only_for_the_screening(
    alice: Person, client: Client
) -> None:
    """The clearance is in: the screen no longer offers to record one."""
    _stopped(client)
    with _later_today(12):
        client.post("/clearance/", {"by": "A&E doctor", "confirm": "on"})
        page = client.get("/").text
    assert "One step left" in page
    assert 'href="/rescreen/"' in page
    assert 'href="/clearance/"' not in page
    assert "Record a clinician's clearance" not in page


def test_a_red_flag_in_the_rescreen_keeps_the_stop(
    alice: Person, client: Client
) -> None:
    _stopped(client)
    with _later_today(12):
        client.post("/clearance/", {"by": "A&E doctor", "confirm": "on"})
    with _later_today(13):
        client.post("/rescreen/", screening_answers("bladder_bowel_change"))
    plan = selectors.plan_for(alice, TODAY)
    assert plan.decision == "seek_urgent_care"
    assert any(r.rule == "red_flags.bladder_bowel_change" for r in plan.reasons)
