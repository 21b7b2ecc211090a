"""Writers at the same moment through the whole web stack, and double submissions.

The bursts run in a child process (``benchmarks.writers_child``) on its own SQLite
file under a temporary WALKWELL_HOME: the in-memory test database would hide the
file locking that real use meets. The races on the test database's server run
threads with their own connections (on PostgreSQL; SQLite's in-memory test
database cannot be shared between connections that way).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

from django.test import Client

from tests.cast import START
from tests.web.pages_support import checkin_answers, client_for, walk_answers
from tests.web.racing import at_once
from walkwell.core.limits import ValidationProblem
from walkwell.web.program import services
from walkwell.web.program.models import Person, Walk


def _burst(home: Path, *args: str) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["WALKWELL_HOME"] = str(home)
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.writers_child", *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def test_twenty_checkins_posted_from_twenty_processes_at_once_are_all_stored(
    tmp_path: Path,
) -> None:
    result = _burst(tmp_path, "checkin", "20")
    assert result["errors"] == []
    assert result["checkins"] == 20


def test_twenty_walks_posted_from_twenty_threads_at_once_are_all_stored(
    tmp_path: Path,
) -> None:
    result = _burst(tmp_path, "walk", "20", "--threads")
    assert result["errors"] == []
    assert result["walks"] == 20


def test_one_walk_form_posted_five_times_at_once_is_stored_once(
    tmp_path: Path,
) -> None:
    result = _burst(tmp_path, "repeat", "5", "--threads")
    assert result["errors"] == []
    assert result["walks"] == 1


# --- double submissions on the test database -----------------------------------


def test_the_walk_form_carries_a_fresh_key_each_time_it_is_shown(
    client: Client,
) -> None:
    first, second = client.get("/log/"), client.get("/log/")
    keys = [r.context["form"]["idempotency_key"].value() for r in (first, second)]
    assert all(len(key) == 32 for key in keys)
    assert keys[0] != keys[1]
    assert f'type="hidden" name="idempotency_key" value="{keys[0]}"' in (
        first.content.decode()
    )


def test_a_walk_form_posted_twice_stores_one_walk_and_answers_alike(
    client: Client, alice: Person
) -> None:
    answers = walk_answers(START, idempotency_key=uuid.uuid4().hex)
    first, again = client.post("/log/", answers), client.post("/log/", answers)
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    assert alice.walks.count() == 1


def test_two_walk_forms_each_store_their_walk(client: Client, alice: Person) -> None:
    for _ in range(2):
        client.post("/log/", walk_answers(START, idempotency_key=uuid.uuid4().hex))
    assert alice.walks.count() == 2


def test_a_walk_form_with_a_damaged_key_names_the_form_and_stores_nothing(
    client: Client, alice: Person
) -> None:
    response = client.post("/log/", walk_answers(START, idempotency_key="x' or 1"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "32 lowercase hexadecimal characters" in html
    assert "reload the page" in html
    assert alice.walks.count() == 0


def test_the_service_returns_the_stored_walk_for_a_repeated_key(alice: Person) -> None:
    key = uuid.uuid4().hex
    first = services.walk_log(person=alice, date=START, minutes=12, idempotency_key=key)
    again = services.walk_log(person=alice, date=START, minutes=12, idempotency_key=key)
    assert again.pk == first.pk
    assert Walk.objects.filter(person=alice).count() == 1


def test_the_same_key_from_two_people_stores_two_walks(
    alice: Person, bob: Person
) -> None:
    key = uuid.uuid4().hex
    services.walk_log(person=alice, date=START, minutes=12, idempotency_key=key)
    services.walk_log(person=bob, date=START, minutes=12, idempotency_key=key)
    assert Walk.objects.count() == 2


def test_a_checkin_posted_twice_is_stored_once_and_treated_as_the_same(
    client: Client, alice: Person
) -> None:
    answers = checkin_answers(START)
    first, again = (
        client.post("/check-in/", answers),
        client.post("/check-in/", answers),
    )
    assert first.status_code == again.status_code == 302
    assert list(alice.checkins.values_list("date", "pain")) == [(START, 3)]


# --- races between connections (PostgreSQL) ------------------------------------


def test_the_same_checkin_raced_from_four_connections_is_stored_once(
    racing_alice: Person,
) -> None:
    def record() -> object:
        return services.checkin_record(
            person=racing_alice,
            date=START,
            pain=3,
            morning_stiffness_min=20,
            sleep=6,
            focus=6,
        )

    results = at_once(4, record)
    refused = [r for r in results if isinstance(r, ValidationProblem)]
    assert len(refused) == 3, results
    assert all("already recorded" in r.message for r in refused)
    assert racing_alice.checkins.count() == 1


def test_the_same_walk_form_raced_from_four_connections_is_stored_once(
    racing_alice: Person,
) -> None:
    answers = walk_answers(START, idempotency_key=uuid.uuid4().hex)

    def post() -> int:
        return client_for(racing_alice).post("/log/", answers).status_code

    assert at_once(4, post) == [302] * 4
    assert racing_alice.walks.count() == 1
