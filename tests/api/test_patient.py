"""The patient's operations, driven through the API as Alice."""

from __future__ import annotations

from django.contrib.auth.models import User

from tests.api.conftest import Api
from tests.web.pages_support import PROTOCOL
from walkwell.web.program.models import Person


def test_today_gives_the_plan_with_its_reasons(as_alice: Api) -> None:
    response = as_alice.get("/me/today")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["plan"]["date"] == "2026-01-20"
    assert body["plan"]["prescription"]["sessions"] >= 1
    assert body["plan"]["reasons"]
    assert body["checked_in"] is False


def test_a_logged_walk_is_stored_through_walk_log(as_alice: Api, alice: Person) -> None:
    response = as_alice.post("/me/walks", {"minutes": 12, "pain_after": 3})
    assert response.status_code == 201, response.content
    assert response.json()["date"] == "2026-01-20"
    assert alice.walks.get().minutes == 12


def test_a_refused_walk_names_its_field_and_stores_nothing(
    as_alice: Api, alice: Person
) -> None:
    response = as_alice.post("/me/walks", {"minutes": 12, "pain_after": 11})
    assert response.status_code == 422
    assert response.json()["field"] == "pain_after"
    assert "0 to 10" in response.json()["message"]
    assert not alice.walks.exists()


def test_a_walk_sent_again_with_its_key_is_stored_once(
    as_alice: Api, alice: Person
) -> None:
    walk = {"minutes": 12, "idempotency_key": "0123456789abcdef0123456789abcdef"}
    first = as_alice.post("/me/walks", walk)
    again = as_alice.post("/me/walks", walk)
    assert first.json()["id"] == again.json()["id"]
    assert alice.walks.count() == 1


def test_a_malformed_idempotency_key_is_refused_saying_what_is_allowed(
    as_alice: Api, alice: Person
) -> None:
    for key in ("0123456789ABCDEF0123456789ABCDEF", "a-uuid-with-dashes", "x' or 1"):
        response = as_alice.post("/me/walks", {"minutes": 12, "idempotency_key": key})
        assert response.status_code == 422
        problem = response.json()
        assert problem["field"] == "idempotency_key"
        assert "32 lowercase hexadecimal characters (0-9 and a-f)" in problem["message"]
        assert "form's key is damaged" not in problem["message"]
    assert not alice.walks.exists()


def test_a_walk_in_the_future_is_refused_as_the_form_refuses_it(
    as_alice: Api, alice: Person
) -> None:
    response = as_alice.post("/me/walks", {"minutes": 12, "date": "2026-01-21"})
    assert response.status_code == 422
    assert response.json()["field"] == "date"
    assert not alice.walks.exists()


def test_a_wrongly_typed_value_is_refused_naming_its_field(as_alice: Api) -> None:
    response = as_alice.post("/me/walks", {"minutes": "a while"})
    assert response.status_code == 422
    body = response.json()
    assert body["field"] == "minutes"
    assert body["message"]


def test_a_date_that_is_not_iso_8601_is_refused(as_alice: Api) -> None:
    response = as_alice.post("/me/walks", {"minutes": 10, "date": "20/01/2026"})
    assert response.status_code == 422
    assert response.json()["field"] == "date"


def test_walks_are_listed_newest_first_a_page_at_a_time(
    as_alice: Api, alice: Person
) -> None:
    for day in ("2026-01-17", "2026-01-18", "2026-01-19"):
        assert (
            as_alice.post("/me/walks", {"minutes": 10, "date": day}).status_code == 201
        )
    first = as_alice.get("/me/walks", page_size=2).json()
    assert [w["date"] for w in first["items"]] == ["2026-01-19", "2026-01-18"]
    assert (first["count"], first["pages"]) == (3, 2)
    second = as_alice.get("/me/walks", page_size=2, page=2).json()
    assert [w["date"] for w in second["items"]] == ["2026-01-17"]


def test_a_page_size_past_the_limit_is_refused(as_alice: Api) -> None:
    response = as_alice.get("/me/walks", page_size=1000)
    assert response.status_code == 422
    assert response.json()["field"] == "page_size"


def test_a_check_in_is_stored_once_a_day(as_alice: Api, alice: Person) -> None:
    answers = {"pain": 3, "stiffness_min": 10, "sleep": 7, "focus": 6}
    first = as_alice.post("/me/checkins", answers)
    assert first.status_code == 201, first.content
    assert first.json()["date"] == "2026-01-20"
    again = as_alice.post("/me/checkins", answers)
    assert again.status_code == 422
    assert again.json()["field"] == "date"
    assert alice.checkins.count() == 1
    listed = as_alice.get("/me/checkins").json()
    assert listed["items"][0]["stiffness_min"] == 10


def test_an_unknown_sign_is_refused_naming_the_field(
    as_alice: Api, alice: Person
) -> None:
    answers = {"pain": 3, "stiffness_min": 10, "sleep": 7, "focus": 6}
    response = as_alice.post("/me/checkins", {**answers, "red_flags": ["made_up"]})
    assert response.status_code == 422
    assert response.json()["field"] == "red_flag"
    assert not alice.checkins.exists()


def test_a_reported_red_flag_stops_the_plan_at_once(as_alice: Api) -> None:
    flag = PROTOCOL.red_flags[0].id
    response = as_alice.post("/me/symptoms", {"red_flags": [flag]})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["stored"] == [flag]
    assert body["plan"]["escalated"] is True
    assert as_alice.get("/me/today").json()["plan"]["escalated"] is True


def test_a_symptom_report_needs_a_sign(as_alice: Api) -> None:
    response = as_alice.post("/me/symptoms", {})
    assert response.status_code == 422
    assert response.json()["field"] == "signs"


def test_history_lists_every_day_since_the_start_newest_first(as_alice: Api) -> None:
    body = as_alice.get("/me/history", page_size=5).json()
    assert body["count"] == 16  # 5 to 20 January
    assert body["items"][0]["date"] == "2026-01-20"
    assert body["items"][0]["decision"]


def test_a_days_plan_is_given_up_to_today(as_alice: Api) -> None:
    assert as_alice.get("/me/plan/2026-01-10").json()["date"] == "2026-01-10"
    refused = as_alice.get("/me/plan/2026-02-10")
    assert refused.status_code == 422
    assert refused.json()["field"] == "day"


def test_the_plans_first_day_is_headed_as_its_start_as_on_today(as_alice: Api) -> None:
    first = as_alice.get("/me/plan/2026-01-05").json()
    assert first["headline"] == "Your plan starts today: begin with today's walks."
    later = as_alice.get("/me/plan/2026-01-06").json()
    assert later["headline"] != first["headline"]


def test_outcome_measures_are_stored_all_or_none(as_alice: Api, alice: Person) -> None:
    bad = {"answers": {"pain_nrs": {"rating": 4}, "psfs": {"walking": 11}}}
    refused = as_alice.post("/me/measures", bad)
    assert refused.status_code == 422
    assert refused.json()["field"] == "psfs"
    assert not alice.outcomes.exists()
    good = {"answers": {"pain_nrs": {"rating": 4}, "psfs": {"walking": 5}}}
    stored = as_alice.post("/me/measures", good)
    assert stored.status_code == 201, stored.content
    assert {o["measure"] for o in stored.json()} == {"pain_nrs", "psfs"}
    listed = as_alice.get("/me/measures").json()
    assert len(listed["answers"]) == 2


def test_an_unknown_measure_is_refused(as_alice: Api) -> None:
    response = as_alice.post("/me/measures", {"answers": {"mood": {"x": 1}}})
    assert response.status_code == 422
    assert response.json()["field"] == "measure"


def test_someone_without_a_plan_is_told_to_start_one(db: None) -> None:
    api = Api(User.objects.create_user(username="newcomer"))
    response = api.get("/me/today")
    assert response.status_code == 409
    assert "no plan yet" in response.json()["message"]


def test_each_patient_sees_only_their_own_record(
    as_alice: Api, as_bob: Api, alice: Person
) -> None:
    """The patient operations read the caller's enrolment, never an id."""
    as_alice.post("/me/walks", {"minutes": 12})
    as_alice.post(
        "/me/checkins", {"pain": 3, "stiffness_min": 1, "sleep": 7, "focus": 6}
    )
    assert as_bob.get("/me/walks").json()["count"] == 0
    assert as_bob.get("/me/checkins").json()["count"] == 0
    assert as_bob.get("/me/today").json()["walks_today"] == []
