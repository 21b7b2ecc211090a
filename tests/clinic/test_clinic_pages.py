"""The clinician's pages: the patient list (needs attention first), a patient's
record, the actions on it, and the clinic admin's break-glass; every read logged."""

from __future__ import annotations

import re

from django.contrib.auth.models import User
from django.test import Client

from tests.cast import START, TODAY
from tests.clinic.conftest import signed_in
from tests.web.pages_support import client_for, person
from walkwell.core.model import Decision
from walkwell.web.program import (
    selectors,
    services_care,
    services_checkins,
    services_symptoms,
)
from walkwell.web.program.models import LinkVia, Person

CLOCK_RUNS = True  # a same-day clearance is recorded after the sign it clears


def _linked(username: str, chen: User) -> Person:
    who = person(username, START)
    services_care.link_create(person=who, clinician=chen, via=LinkVia.DEMO)
    return who


def test_the_patient_list_shows_the_most_urgent_first_with_the_reason(
    alice: Person, chen: User, bob: Person
) -> None:
    carol = _linked("carol", chen)
    services_symptoms.symptom_report(
        person=carol, date=TODAY, warning_signs=["radiating_leg_pain"]
    )
    html = signed_in(chen).get("/clinic/").content.decode()
    assert html.index("carol") < html.index("alice")
    assert "Stopped: awaiting review" in html
    assert "bob" not in html  # not linked to Dr Chen


def test_the_patient_list_filters_and_searches(alice: Person, chen: User) -> None:
    carol = _linked("carol", chen)
    services_symptoms.symptom_report(
        person=carol, date=TODAY, warning_signs=["radiating_leg_pain"]
    )
    client = signed_in(chen)
    warned = client.get("/clinic/", {"reason": "warning_sign"}).content.decode()
    assert "carol" in warned
    assert ">alice<" not in warned
    found = client.get("/clinic/", {"q": "ali"}).content.decode()
    assert ">alice<" in found
    assert "carol" not in found
    bad = client.get("/clinic/", {"reason": "nonsense"})
    assert bad.status_code == 200
    assert "Select a valid choice" in bad.content.decode()


def test_the_patient_list_paginates(chen: User) -> None:
    for i in range(27):
        _linked(f"p{i:02d}", chen)
    client = signed_in(chen)
    first = client.get("/clinic/").content.decode()
    assert "Page 1 of 2" in first
    second = client.get("/clinic/", {"page": "2"}).content.decode()
    assert "p26" in second
    assert "p26" not in first


def test_only_clinicians_reach_the_patient_list(alice: Person, ada: User) -> None:
    assert client_for(alice).get("/clinic/").status_code == 403
    assert signed_in(ada).get("/clinic/").status_code == 403
    assert Client().get("/clinic/")["Location"].startswith("/accounts/sign-in/")


def test_a_linked_clinician_reads_the_record_and_the_read_is_logged(
    alice: Person, chen: User
) -> None:
    response = signed_in(chen).get(
        f"/clinic/patients/{alice.pk}/", REMOTE_ADDR="192.0.2.5"
    )
    assert response.status_code == 200
    html = response.content.decode()
    for part in ("Phase timeline", "Walks", "Morning check-ins", "Audit trail"):
        assert part in html
    row = alice.access_log.get()
    assert (row.actor_name, row.ip, row.allowed) == ("chen", "192.0.2.5", True)


def test_an_unrelated_clinician_is_refused_and_the_attempt_logged(
    alice: Person, diaz: User
) -> None:
    assert signed_in(diaz).get(f"/clinic/patients/{alice.pk}/").status_code == 403
    assert alice.access_log.get().allowed is False


def test_an_unknown_patient_is_not_found(chen: User) -> None:
    assert signed_in(chen).get("/clinic/patients/999999/").status_code == 404


def test_clearing_a_stop_from_the_page_reaches_the_patients_today(
    alice: Person, chen: User
) -> None:
    services_symptoms.symptom_report(
        person=alice, date=TODAY, warning_signs=["radiating_leg_pain"]
    )
    clinic = signed_in(chen)
    page = clinic.get(f"/clinic/patients/{alice.pk}/").content.decode()
    assert "Clear the stop" in page
    unticked = clinic.post(f"/clinic/patients/{alice.pk}/clear/", {})
    assert unticked.status_code == 400
    assert not alice.clearances.exists()
    done = clinic.post(
        f"/clinic/patients/{alice.pk}/clear/",
        {"clear-reason": "Reviewed: nerve irritation settling", "clear-confirm": "on"},
    )
    assert done["Location"] == f"/clinic/patients/{alice.pk}/"
    today = client_for(alice).get("/").content.decode()
    assert "Dr Chen cleared a stop" in today
    assert "Reviewed: nerve irritation settling" in today
    assert "Stop and see a professional" not in today
    care = client_for(alice).get("/care/").content.decode()
    assert "Dr Chen (recorded by your clinician)" in care


def test_clearing_a_patient_who_is_not_stopped_is_refused_above_the_form(
    alice: Person, chen: User
) -> None:
    """The form is offered only on a stop; a post from an old page is told why."""
    clinic = signed_in(chen)
    assert (
        "Clear the stop"
        not in clinic.get(f"/clinic/patients/{alice.pk}/").content.decode()
    )
    refused = clinic.post(
        f"/clinic/patients/{alice.pk}/clear/",
        {"clear-reason": "Reviewed", "clear-confirm": "on"},
    )
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "Clear the stop" in html
    assert "no open stop to clear" in html
    assert not alice.clearances.exists()
    assert not alice.clinician_actions.exists()


def test_an_urgent_stop_cleared_already_waits_for_the_screening_not_a_second_clearance(
    alice: Person, chen: User
) -> None:
    services_symptoms.symptom_report(
        person=alice, date=TODAY, red_flags=["saddle_numbness"]
    )
    clinic = signed_in(chen)
    patient = f"/clinic/patients/{alice.pk}/"
    assert "Clear the stop" in clinic.get(patient).content.decode()
    cleared = clinic.post(
        f"{patient}clear/", {"clear-reason": "Seen in A&E", "clear-confirm": "on"}
    )
    assert cleared["Location"] == patient
    page = clinic.get(patient).content.decode()
    assert "Answer the red-flag questions again" in page  # what the plan waits for
    assert "Clear the stop" not in page
    again = clinic.post(
        f"{patient}clear/", {"clear-reason": "Seen again", "clear-confirm": "on"}
    )
    assert again.status_code == 400
    assert "is cleared already" in again.content.decode()
    assert alice.clearances.count() == 1


def test_a_note_shows_on_the_patients_today(alice: Person, chen: User) -> None:
    signed_in(chen).post(
        f"/clinic/patients/{alice.pk}/note/", {"note-text": "Lovely progress!"}
    )
    assert "Lovely progress!" in client_for(alice).get("/").content.decode()


def test_a_decision_without_a_reason_is_refused_beside_the_field(
    alice: Person, chen: User
) -> None:
    response = signed_in(chen).post(
        f"/clinic/patients/{alice.pk}/decision/", {"decision-kind": "hold"}
    )
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert not alice.clinician_actions.exists()


def test_an_unrelated_clinician_cannot_act(alice: Person, diaz: User) -> None:
    response = signed_in(diaz).post(
        f"/clinic/patients/{alice.pk}/note/", {"note-text": "hello"}
    )
    assert response.status_code == 403
    assert not alice.clinician_notes.exists()


def test_break_glass_from_the_admin_page_is_shown_to_the_patient(
    alice: Person, ada: User
) -> None:
    admin = signed_in(ada)
    assert admin.get(f"/clinic/patients/{alice.pk}/").status_code == 403
    opened = admin.post(
        "/clinic/admin/",
        {
            "form": "glass",
            "glass-username": "alice",
            "glass-reason": "Fell at home, family rang",
        },
    )
    assert opened["Location"] == f"/clinic/patients/{alice.pk}/"
    page = admin.get(opened["Location"]).content.decode()
    assert "break-glass access" in page
    care = client_for(alice).get("/care/").content.decode()
    assert "Fell at home, family rang" in care
    assert "(break-glass)" in care


def test_break_glass_for_an_unknown_username_names_the_field(ada: User) -> None:
    response = signed_in(ada).post(
        "/clinic/admin/",
        {"form": "glass", "glass-username": "nobody", "glass-reason": "x"},
    )
    assert "is not the username of anyone enrolled" in response.content.decode()


def test_an_admin_gives_roles_and_manages_links_without_reading_health_data(
    bob: Person, ada: User, chen: User
) -> None:
    admin = signed_in(ada)
    User.objects.create_user(username="evans")
    given = admin.post(
        "/clinic/admin/",
        {"form": "role", "role-username": "evans", "role-role": "clinician"},
    )
    assert given["Location"] == "/clinic/admin/"
    linked = admin.post(
        "/clinic/admin/",
        {
            "form": "link",
            "link-patient": "bob",
            "link-clinician": "chen",
            "link-action": "link",
        },
    )
    assert linked["Location"] == "/clinic/admin/"
    assert bob.clinician_links.get().clinician == chen
    assert bob.audit.get(event_type="clinician_linked").actor == ada
    assert not bob.access_log.exists()
    refused = admin.post(
        "/clinic/admin/",
        {
            "form": "link",
            "link-patient": "bob",
            "link-clinician": "nobody",
            "link-action": "link",
        },
    )
    assert refused.status_code == 400
    assert "is not the username of any account" in refused.content.decode()
    admin.post(
        "/clinic/admin/",
        {
            "form": "link",
            "link-patient": "bob",
            "link-clinician": "chen",
            "link-action": "unlink",
        },
    )
    assert bob.clinician_links.get().ended_at is not None


def test_the_patient_page_gives_each_days_decision_in_words_and_each_reason_once(
    alice: Person, chen: User
) -> None:
    services_checkins.checkin_record(
        person=alice, date=TODAY, pain=8, morning_stiffness_min=20, sleep=6, focus=6
    )
    assert selectors.plan_for(alice, TODAY).decision == Decision.STEP_BACK
    html = signed_in(chen).get(f"/clinic/patients/{alice.pk}/").content.decode()
    table = html.split('id="timeline-h"', 1)[1].split("</table>", 1)[0]
    today = re.search(rf"<tr><th scope=\"row\">{TODAY:%a} {TODAY.day} .*?</tr>", table)
    assert today is not None
    row = today.group(0)
    assert "<td>Step back: shorter walks for now.</td>" in row
    assert "step_back" not in table
    assert "continue</td>" not in table
    assert row.count("pain is 8/10, at or above 8/10") == 1
