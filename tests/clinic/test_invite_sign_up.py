"""An invitation carried from the link (or the short code) through sign-up and
onboarding back to the confirmation: in invite-only mode it is what opens sign-up,
only while it is unused and unexpired, and the path ends with the link made."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client, override_settings
from django.utils import timezone

from tests.cast import START
from tests.clinic.conftest import signed_in
from tests.web.pages_support import (
    PASSWORD,
    baseline_answers,
    client_for,
    screening_answers,
)
from walkwell.web.accounts.invites import INVITE_SESSION_KEY
from walkwell.web.program import services_care
from walkwell.web.program.models import Invite, LinkVia, Person
from walkwell.web.program.services_care import NewInvite

READ_ON = START
pytestmark = pytest.mark.usefixtures("_invite_only")


@pytest.fixture
def _invite_only() -> object:
    with override_settings(WALKWELL_SIGNUP="invite"):
        yield None


@pytest.fixture
def invite(chen: User) -> NewInvite:
    return services_care.invite_create(clinician=chen, now=timezone.now())


def _sign_up(client: Client, username: str = "dan") -> object:
    return client.post(
        "/accounts/sign-up/",
        {"username": username, "password1": PASSWORD, "password2": PASSWORD},
    )


def _onboard(client: Client) -> str:
    """Screening and starting point; where the last step sends the person."""
    assert client.post("/start/screening/", screening_answers()).status_code == 302
    done = client.post("/start/baseline/", baseline_answers())
    assert done.status_code == 302
    return str(done["Location"])


def test_a_stranger_cannot_sign_up_without_an_invitation(db: None) -> None:
    page = Client().get("/accounts/sign-up/")
    assert page.status_code == 403
    assert "by invitation" in page.content.decode()
    assert _sign_up(Client()).status_code == 403  # type: ignore[attr-defined]
    forged = Client()
    session = forged.session
    session[INVITE_SESSION_KEY] = {"token": "made-up"}
    session.save()
    refused = forged.get("/accounts/sign-up/")
    assert refused.status_code == 403
    assert "does not match an invitation" in refused.content.decode()
    assert not User.objects.filter(username="dan").exists()


def test_the_invitation_link_opens_sign_up_with_a_clear_message(
    invite: NewInvite,
) -> None:
    client = Client()
    opened = client.get(f"/care/join/{invite.token}/", follow=True)
    assert opened.redirect_chain == [("/accounts/sign-up/", 302)]
    html = opened.content.decode()
    assert "Dr Chen invited you to WalkWell" in html
    assert 'id="invitation"' in html
    assert client.session[INVITE_SESSION_KEY] == {"token": invite.token}


def test_the_whole_path_from_the_link_ends_with_the_link_made(
    invite: NewInvite, chen: User
) -> None:
    client = Client()
    client.get(f"/care/join/{invite.token}/")
    signed_up = _sign_up(client)
    assert signed_up["Location"] == "/start/"  # type: ignore[index]
    assert _onboard(client) == "/care/join/"
    confirm = client.get("/care/join/")
    assert confirm.status_code == 200
    assert "invites you to link your WalkWell record" in confirm.content.decode()
    person = Person.objects.get(user__username="dan")
    assert not person.clinician_links.exists()  # only once the person agrees
    linked = client.post("/care/join/", {"confirm": "on"})
    assert linked["Location"] == "/care/"
    link = person.clinician_links.get()
    assert (link.clinician, link.via) == (chen, LinkVia.INVITE_LINK)
    assert Invite.objects.get(pk=invite.invite.pk).used_by == person
    assert INVITE_SESSION_KEY not in client.session


def test_a_typed_code_takes_the_same_path(invite: NewInvite, chen: User) -> None:
    client = Client()
    wrong = client.post("/care/join/", {"code": "ZZZZ ZZZZ"})
    assert wrong.status_code == 400
    assert "does not match an invitation" in wrong.content.decode()
    typed = client.post("/care/join/", {"code": invite.code.lower()})
    assert typed["Location"] == "/accounts/sign-up/"
    _sign_up(client, "erin")
    assert _onboard(client) == "/care/join/"
    client.post("/care/join/", {"confirm": "on"})
    link = Person.objects.get(user__username="erin").clinician_links.get()
    assert (link.clinician, link.via) == (chen, LinkVia.INVITE_CODE)


def test_an_expired_invitation_is_refused_on_a_clear_page(
    invite: NewInvite,
) -> None:
    client = Client()
    later = timezone.now() + dt.timedelta(days=8)
    with time_machine.travel(later, tick=False):
        page = client.get(f"/care/join/{invite.token}/")
        assert page.status_code == 400
        assert "This invitation has expired" in page.content.decode()
        assert INVITE_SESSION_KEY not in client.session
        assert client.get("/accounts/sign-up/").status_code == 403


def test_an_invitation_that_expires_before_sign_up_closes_it(
    invite: NewInvite,
) -> None:
    client = Client()
    client.get(f"/care/join/{invite.token}/")
    with time_machine.travel(timezone.now() + dt.timedelta(days=8), tick=False):
        page = client.get("/accounts/sign-up/")
        assert page.status_code == 403
        assert "this invitation has expired" in page.content.decode()
        assert _sign_up(client).status_code == 403  # type: ignore[attr-defined]
    assert not User.objects.filter(username="dan").exists()


def test_a_used_invitation_opens_nothing(invite: NewInvite, bob: Person) -> None:
    client = Client()
    client.get(f"/care/join/{invite.token}/")  # kept, then someone else uses it
    services_care.invite_accept(person=bob, now=timezone.now(), token=invite.token)
    refused = client.get("/accounts/sign-up/")
    assert refused.status_code == 403
    assert "has been used already" in refused.content.decode()
    again = Client().get(f"/care/join/{invite.token}/")
    assert again.status_code == 400
    assert "This invitation has been used already" in again.content.decode()


def test_an_enrolled_person_confirms_a_typed_code_first(
    bob: Person, invite: NewInvite, chen: User
) -> None:
    client = client_for(bob)
    typed = client.post("/care/join/", {"code": invite.code})
    assert typed["Location"] == "/care/join/"
    assert not bob.clinician_links.exists()
    asked = client.post("/care/join/", {})
    assert asked.status_code == 200
    assert "Tick this box to link your clinician" in asked.content.decode()
    client.post("/care/join/", {"confirm": "on"})
    assert bob.clinician_links.get().clinician == chen


def test_clinic_staff_opening_a_patients_link_are_told_so(
    invite: NewInvite, diaz: User
) -> None:
    client = signed_in(diaz)
    page = client.get(f"/care/join/{invite.token}/")
    assert page.status_code == 400
    assert "signed in as clinic staff" in page.content.decode()


def test_guessing_codes_from_one_address_is_slowed(invite: NewInvite) -> None:
    client = Client()
    with override_settings(WALKWELL_ADDRESS_ATTEMPTS=2):
        for guess in ("AAAA AAAA", "BBBB BBBB"):
            assert client.post("/care/join/", {"code": guess}).status_code == 400
        slowed = client.post("/care/join/", {"code": invite.code})
        assert slowed.status_code == 429
        assert "Too many wrong codes" in slowed.content.decode()
        assert INVITE_SESSION_KEY not in client.session
