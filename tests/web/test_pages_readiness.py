"""Readiness beyond red flags on the web: at onboarding, and editable later."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.cast import TODAY
from tests.web.pages_support import (
    PASSWORD,
    baseline_answers,
    screening_answers,
)
from walkwell.web.program import selectors
from walkwell.web.program.models import AuditEvent, AuditLog, Person


@pytest.fixture
def newcomer(db: None) -> Client:
    client = Client()
    client.post(
        "/accounts/sign-up/",
        {"username": "bea", "password1": PASSWORD, "password2": PASSWORD},
    )
    return client


def test_onboarding_asks_the_readiness_questions_as_optional_ticks(
    newcomer: Client,
) -> None:
    newcomer.post("/start/screening/", screening_answers())
    page = newcomer.get("/start/baseline/").text
    assert 'name="readiness"' in page
    assert "Are you pregnant?" in page
    newcomer.post("/start/baseline/", baseline_answers())
    assert Person.objects.get().readiness == []


def test_a_go_ahead_answer_at_onboarding_holds_the_plan_until_recorded(
    newcomer: Client,
) -> None:
    newcomer.post("/start/screening/", screening_answers())
    answers = {**baseline_answers(), "readiness": ["heart_disease"]}
    assert newcomer.post("/start/baseline/", answers)["Location"] == "/plan/"
    bea = Person.objects.get()
    assert bea.readiness == ["heart_disease"]
    plan = selectors.plan_for(bea, TODAY)
    assert plan.decision == "not_started"
    today = newcomer.get("/").text
    assert "A doctor&#x27;s go-ahead first" in today or "go-ahead first" in today
    assert 'href="/readiness/"' in today
    refused = newcomer.post("/readiness/go-ahead/", {"by": "Dr Okafor"})
    assert refused.status_code == 200
    assert "Tick this box only when a doctor has said so." in refused.text
    recorded = newcomer.post(
        "/readiness/go-ahead/", {"by": "Dr Okafor", "confirm": "on"}
    )
    assert recorded["Location"] == "/"
    bea.refresh_from_db()
    assert bea.go_ahead == TODAY
    assert selectors.plan_for(bea, TODAY).phase == 1
    assert AuditLog.objects.filter(event_type=AuditEvent.GO_AHEAD_RECORDED).exists()


def test_an_emergency_answer_skips_readiness_and_goes_to_seek_care(
    newcomer: Client,
) -> None:
    response = newcomer.post("/start/screening/", screening_answers("saddle_numbness"))
    assert response["Location"] == "/start/seek-care/"


def test_the_readiness_page_is_linked_from_settings_and_more(
    alice: Person, client: Client
) -> None:
    assert 'href="/readiness/"' in client.get("/accounts/settings/").text
    assert 'href="/readiness/"' in client.get("/more/").text


def test_answers_can_be_changed_later_and_adjust_the_walks(
    alice: Person, client: Client
) -> None:
    response = client.post("/readiness/", {"readiness": ["pregnancy"]})
    assert response["Location"] == "/readiness/"
    alice.refresh_from_db()
    assert alice.readiness == ["pregnancy"]
    page = client.get("/readiness/").text
    assert "no daypack" in page
    ticked = re.search(r'<input[^>]*value="pregnancy"[^>]*>', page)
    assert ticked is not None
    assert "checked" in ticked.group(0)
    plan = selectors.plan_for(alice, TODAY)
    assert any(r.rule == "readiness.adjust" for r in plan.reasons)
    audit = AuditLog.objects.get(event_type=AuditEvent.READINESS_RECORDED)
    assert audit.detail == {"answers": ["pregnancy"], "previous": []}
    client.post("/readiness/", {"readiness": []})
    alice.refresh_from_db()
    assert alice.readiness == []


def test_an_unknown_readiness_answer_is_refused_and_nothing_stored(
    alice: Person, client: Client
) -> None:
    response = client.post("/readiness/", {"readiness": ["bad_knees"]})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.text or "errorlist" in response.text
    alice.refresh_from_db()
    assert alice.readiness == []
