"""The access matrix's cast, all around Alice's record: anonymous, the cast's
patients Alice and Bob, Carol (Alice's clinician), Mallory (here a clinician linked
to nobody) and Ada (a clinic admin), with one of each of Alice's rows that an
address or a form can name (``AliceRows``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.cast import START
from tests.clinic.conftest import staff
from walkwell.web.accounts import services_tokens, unsubscribe
from walkwell.web.accounts.models import Preferences
from walkwell.web.imports.models import ImportRun, RunStatus
from walkwell.web.program import services, services_care, services_export
from walkwell.web.program.models import LinkVia, Person, WalkSource
from walkwell.web.program.roles import Role

ROLES = ("anonymous", "alice", "bob", "carol", "mallory", "ada")


@pytest.fixture
def carol(alice: Person) -> User:
    """Alice's clinician."""
    user = staff("carol", Role.CLINICIAN, "Carol Chen")
    services_care.link_create(person=alice, clinician=user, via=LinkVia.DEMO)
    return user


@pytest.fixture
def mallory(db: None) -> User:
    """A clinician linked to nobody: she must never see Alice's record."""
    return staff("mallory", Role.CLINICIAN, "Mallory Moss")


@pytest.fixture
def ada(db: None) -> User:
    """A clinic admin: she manages clinicians and links, and sees no health data."""
    return staff("ada", Role.CLINIC_ADMIN, "Ada Admin")


@dataclass(frozen=True)
class AliceRows:
    """Real ids of Alice's rows, to fill addresses and forms with."""

    person: int
    user: int
    token: int
    link: int
    run: int
    walk: int
    calendar: str
    invite: str
    invite_code: str
    export: str
    reset_uid: str
    reset_token: str
    day: str
    unsubscribe: str


def imported_walk(who: Person, day: dt.date) -> int:
    started = dt.datetime.combine(day, dt.time(7, 40), tzinfo=dt.UTC)
    walk = services.walk_log(
        person=who,
        date=day,
        minutes=14,
        source=WalkSource.IMPORT,
        imported=services.ImportedMetrics(
            content_hash=f"{who.pk}-{day}",
            started_at=started,
            duration_s=840,
            moving_s=840,
            distance_m=1200,
        ),
    )
    return walk.pk


def ready_export(who: Person) -> str:
    """The name of an export waiting in the person's folder, as the worker makes."""
    made = services_export.export_file(
        user_id=who.user_id, fmt="json", now=timezone.now()
    )
    assert made is not None
    return made.name


def silent_run(who: Person) -> None:
    """An import whose worker, on another machine, went silent an hour ago: a
    read shows it stopped, and only a write may store that."""
    run = ImportRun.objects.create(
        person=who, status=RunStatus.RUNNING, files_total=2, worker_host="elsewhere"
    )
    an_hour_ago = timezone.now() - dt.timedelta(hours=1)
    ImportRun.objects.filter(pk=run.pk).update(updated_at=an_hour_ago)


@pytest.fixture
def rows(alice: Person, carol: User, settings: Any, tmp_path: Path) -> AliceRows:
    """Everything the matrix's addresses name, each one Alice's (or, for the
    invitation, Carol's to anyone; a ready export in Alice's folder)."""
    settings.WALKWELL_HOME = tmp_path
    token, _ = services_tokens.token_create(user=alice.user, name="spare")
    run = ImportRun.objects.create(person=alice, status=RunStatus.FINISHED)
    silent_run(alice)
    invite = services_care.invite_create(clinician=carol, now=timezone.now())
    prefs = Preferences.objects.create(user=alice.user)
    return AliceRows(
        person=alice.pk,
        user=alice.user.pk,
        token=token.pk,
        link=alice.clinician_links.get().pk,
        run=run.pk,
        walk=imported_walk(alice, START + dt.timedelta(days=1)),
        calendar=prefs.calendar_token,
        invite=invite.token,
        invite_code=invite.code,
        export=ready_export(alice),
        reset_uid=urlsafe_base64_encode(force_bytes(alice.user.pk)),
        reset_token=default_token_generator.make_token(alice.user),
        day=START.isoformat(),
        unsubscribe=unsubscribe.token_for(alice.user.pk, "walks"),
    )


@pytest.fixture
def users(
    alice: Person, bob: Person, carol: User, mallory: User, ada: User
) -> dict[str, User | None]:
    return {
        "anonymous": None,
        "alice": alice.user,
        "bob": bob.user,
        "carol": carol,
        "mallory": mallory,
        "ada": ada,
    }


@pytest.fixture
def secrets(users: dict[str, User | None]) -> dict[str, str]:
    """Each signed-in role's personal access token for the API."""
    return {
        role: services_tokens.token_create(user=user, name="matrix")[1]
        for role, user in users.items()
        if user is not None
    }
