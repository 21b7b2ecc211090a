"""The person's side: link a clinician with a code or an invitation link, see who
is linked and who looked, unlink at any time."""

from __future__ import annotations

import datetime as dt
import re

from django.contrib.auth.models import User
from django.utils import timezone

from tests.cast import TODAY
from tests.clinic.conftest import signed_in
from tests.web.pages_support import client_for
from walkwell.web.program import services_care, services_symptoms
from walkwell.web.program.models import Person


def test_a_person_alone_sees_no_clinician_and_can_still_clear_themself(
    bob: Person,
) -> None:
    html = client_for(bob).get("/care/").content.decode()
    assert "No clinician is linked to you." in html
    assert "Nobody but you has looked at your record." in html


def test_a_code_links_a_clinician_and_the_person_sees_them(
    bob: Person, chen: User
) -> None:
    made = services_care.invite_create(clinician=chen, now=timezone.now())
    client = client_for(bob)
    response = client.post("/care/", {"code": made.code})
    assert response["Location"] == "/care/"
    assert "Dr Chen" in client.get("/care/").content.decode()
    again = client.post("/care/", {"code": made.code})
    assert "This invitation has been used already" in again.content.decode()


def test_an_invitation_link_asks_first_then_links(bob: Person, chen: User) -> None:
    made = services_care.invite_create(clinician=chen, now=timezone.now())
    client = client_for(bob)
    page = client.get(f"/care/join/{made.token}/").content.decode()
    assert "Dr Chen" in page
    assert not bob.clinician_links.exists()
    client.post(f"/care/join/{made.token}/", {"confirm": "on"})
    assert bob.clinician_links.get().clinician == chen
    used = client.get(f"/care/join/{made.token}/")
    assert used.status_code == 400
    assert "This invitation has been used already" in used.content.decode()


def test_a_person_unlinks_and_the_clinician_loses_access(
    alice: Person, chen: User
) -> None:
    link = alice.clinician_links.get()
    client = client_for(alice)
    client.post("/care/unlink/", {"link": link.pk})
    assert not alice.clinician_links.filter(ended_at__isnull=True).exists()
    assert signed_in(chen).get(f"/clinic/patients/{alice.pk}/").status_code == 403
    assert "Past links" in client.get("/care/").content.decode()


def test_a_person_cannot_unlink_someone_elses_link(alice: Person, bob: Person) -> None:
    link = alice.clinician_links.get()
    response = client_for(bob).post("/care/unlink/", {"link": link.pk})
    assert response.status_code == 400
    assert alice.clinician_links.get().ended_at is None


def test_the_person_sees_who_looked_and_when(alice: Person, chen: User) -> None:
    signed_in(chen).get(f"/clinic/patients/{alice.pk}/")
    html = client_for(alice).get("/care/").content.decode()
    assert "chen" in html
    assert "patient page" in html


def test_a_linked_person_is_told_their_clinician_clears_the_stop(
    alice: Person,
) -> None:
    services_symptoms.symptom_report(
        person=alice, date=TODAY, warning_signs=["radiating_leg_pain"]
    )
    today = client_for(alice).get("/").content.decode()
    assert "clear you from their own account" in today
    refused = client_for(alice).post("/clearance/", {"by": "Dr Patel", "confirm": "on"})
    assert "for your clinician to record" in refused.content.decode()
    assert not alice.clearances.exists()


def _who_looked(html: str) -> list[str]:
    """The rows of "Who looked at your record", each as "what: allowed", newest
    first."""
    table = html.split('id="who-looked"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr><td>.*?</tr>", table, flags=re.S)
    cells = [re.findall(r"<td>(.*?)</td>", row, flags=re.S) for row in rows]
    return [f"{c[2]}: {c[3]}" for c in cells]


def test_refused_actions_are_listed_as_not_carried_out(
    alice: Person, chen: User
) -> None:
    clinic = signed_in(chen)
    for value in ("9", "-1", "2.5", "4"):
        clinic.post(
            f"/clinic/patients/{alice.pk}/threshold/",
            {
                "threshold-threshold": "tolerance.max_pain_during",
                "threshold-value": value,
                "threshold-reason": "Her pain runs high on hills",
            },
        )
    held = clinic.post(
        f"/clinic/patients/{alice.pk}/decision/",
        {
            "decision-kind": "hold",
            "decision-reason": "Until the scan",
            "decision-until": (TODAY - dt.timedelta(days=3)).isoformat(),
        },
    )
    assert held.status_code == 400
    rows = _who_looked(client_for(alice).get("/care/").content.decode())
    actions = [r for r in rows if not r.startswith("patient page")]
    refused = "yes, but not carried out: the request was refused"
    assert actions == [
        f"decision: hold: {refused}",
        "adjust a threshold: yes, and done",
        f"adjust a threshold: {refused}",
        f"adjust a threshold: {refused}",
        f"adjust a threshold: {refused}",
    ]


def test_an_action_sent_twice_is_listed_as_done_once(alice: Person, chen: User) -> None:
    clinic = signed_in(chen)
    for _ in range(2):
        clinic.post(
            f"/clinic/patients/{alice.pk}/note/",
            {"note-text": "Well done this week", "note-idempotency_key": "a" * 32},
        )
    rows = _who_looked(client_for(alice).get("/care/").content.decode())
    assert [r for r in rows if r.startswith("write a note")] == [
        "write a note: yes, sent again: done once, not twice",
        "write a note: yes, and done",
    ]
