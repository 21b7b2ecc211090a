"""Imported walks on Today: the person adds how each one felt, and the plan follows."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from tests.cast import START
from tests.web.pages_support import PROTOCOL, client_for, warning_answers
from walkwell.core.model import Decision
from walkwell.web.program import selectors, services
from walkwell.web.program.models import AuditEvent, Person, Walk, WalkSource

READ_ON = START + dt.timedelta(days=4)  # the first Friday


def imported(who: Person, day: dt.date, *, minutes: float = 14, tag: str = "") -> Walk:
    """A walk as a watch recorded it: no pain answers yet."""
    started = dt.datetime.combine(day, dt.time(7, 40), tzinfo=dt.UTC)
    return services.walk_log(
        person=who,
        date=day,
        minutes=minutes,
        source=WalkSource.IMPORT,
        imported=services.ImportedMetrics(
            content_hash=f"{who.pk}-{day}-{minutes}-{tag}",
            started_at=started,
            duration_s=minutes * 60,
            moving_s=minutes * 60,
            distance_m=1200,
        ),
    )


def answers(walk: Walk, *yes: str, **changes: str) -> dict[str, str]:
    """The form's answers under the walk's own prefix; ``yes`` names warning signs."""
    data = {
        "pain_before": "3",
        "pain_during": "4",
        "pain_after": "2",
        "cooldown": "yes",
        **warning_answers(*yes),
        **changes,
    }
    return {f"walk{walk.pk}-{name}": value for name, value in data.items()}


def url(walk: Walk) -> str:
    return f"/imports/walks/{walk.pk}/answers/"


def stored(walk: Walk) -> tuple[object, ...]:
    row = Walk.objects.get(pk=walk.pk)
    return (
        row.pain_before,
        row.pain_during,
        row.pain_after,
        row.warning_signs,
        row.cooldown,
    )


UNANSWERED: tuple[object, ...] = (None, None, None, [], True)


def test_today_asks_how_each_recent_imported_walk_felt(
    alice: Person, client: Client
) -> None:
    recent = imported(alice, READ_ON - dt.timedelta(days=1))
    old = imported(alice, READ_ON - dt.timedelta(days=3))
    typed = services.walk_log(person=alice, date=READ_ON, minutes=10)
    html = client.get("/").content.decode()
    assert "How did your walk of Thursday 5 March feel?" in html
    assert "14 minutes, 1.2 km" in html
    assert f'action="{url(recent)}"' in html
    assert f'action="{url(old)}"' not in html  # older than three days
    assert f"/imports/walks/{typed.pk}/" not in html  # typed walks have answers
    for sign in PROTOCOL.warning_signs:
        assert f'id="id_walk{recent.pk}-sign_{sign.id}_1"' in html
        assert sign.question in html
    assert f'id="id_walk{recent.pk}-pain_during_10"' in html
    assert f'name="walk{recent.pk}-cooldown"' in html
    assert html.count('name="csrfmiddlewaretoken"') >= 1


def test_answers_are_stored_and_the_walk_leaves_today(
    alice: Person, client: Client
) -> None:
    walk = imported(alice, READ_ON)
    response = client.post(url(walk), answers(walk, cooldown="no"))
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert stored(walk) == (3, 4, 2, [], False)
    assert Walk.objects.get(pk=walk.pk).source == WalkSource.IMPORT
    html = client.get("/").content.decode()
    assert "Answers saved for your walk of Friday 6 March." in html
    assert f'action="{url(walk)}"' not in html
    assert "How did your walk of" not in html
    history = selectors.history_for(alice)
    assert [(w.pain_during, w.cooldown) for w in history.walks] == [(4, False)]


def test_a_warning_sign_escalates_today_at_once(alice: Person, client: Client) -> None:
    walk = imported(alice, READ_ON - dt.timedelta(days=1))
    assert selectors.plan_for(alice, READ_ON).decision != Decision.STOP_CONSULT
    client.post(url(walk), answers(walk, "radiating_leg_pain"))
    assert stored(walk)[3] == ["radiating_leg_pain"]
    assert selectors.plan_for(alice, READ_ON).decision == Decision.STOP_CONSULT
    assert alice.audit.filter(event_type=AuditEvent.WARNING_SIGN_REPORTED).exists()
    html = client.get("/").content.decode()
    assert 'class="alert alert-danger" role="alert" id="escalation"' in html
    assert "See a physiotherapist or musculoskeletal specialist" in html
    assert 'href="/learn/when-to-stop/"' in html


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("pain_during", "11", "from 0 to 10 for the highest pain during the walk."),
        ("pain_before", "", "Choose a number from 0 to 10 for pain before the walk."),
        ("cooldown", "", "Please answer yes or no."),
        ("sign_numbness_tingling", "", "Please answer yes or no."),
    ],
)
def test_bad_answers_are_shown_by_their_field_and_nothing_is_stored(
    alice: Person, client: Client, field: str, value: str, message: str
) -> None:
    walk = imported(alice, READ_ON)
    response = client.post(url(walk), answers(walk, **{field: value}))
    html = response.content.decode()
    assert response.status_code == 200
    errors = re.search(rf'id="id_walk{walk.pk}-{field}_errors">(.*?)</ul>', html, re.S)
    assert errors, html
    assert message in errors.group(1)
    assert "Nothing was saved" in html
    if field.startswith("pain"):  # the scale's fieldset points at its error list
        assert f'aria-describedby="id_walk{walk.pk}-{field}_errors"' in html
    assert stored(walk) == UNANSWERED
    assert f'action="{url(walk)}"' in client.get("/").content.decode()


def test_the_walks_page_shows_the_same_form(alice: Person, client: Client) -> None:
    walk = imported(alice, READ_ON)
    html = client.get(url(walk)).content.decode()
    assert "How did your walk of Friday 6 March feel?" in html
    assert f'id="id_walk{walk.pk}-pain_before_0"' in html


def test_mallory_cannot_see_or_answer_alices_walk(
    alice: Person, mallory: Person
) -> None:
    walk = imported(alice, READ_ON)
    intruder = client_for(mallory)
    assert intruder.get(url(walk)).status_code == 404
    response = intruder.post(url(walk), answers(walk, "radiating_leg_pain"))
    assert response.status_code == 404
    assert stored(walk) == UNANSWERED
    assert selectors.plan_for(alice, READ_ON).decision != Decision.STOP_CONSULT
    assert f"/imports/walks/{walk.pk}/" not in intruder.get("/").content.decode()


def test_a_typed_walk_is_not_answered_through_this_page(
    alice: Person, client: Client
) -> None:
    walk = services.walk_log(person=alice, date=READ_ON, minutes=10)
    response = client.post(url(walk), answers(walk))
    assert response.status_code == 404
    assert Walk.objects.get(pk=walk.pk).pain_before is None


def test_import_is_in_the_main_navigation(client: Client) -> None:
    html = client.get("/imports/").content.decode()
    assert re.search(r'<a href="/imports/" aria-current="page">Import</a>', html)
    today = client.get("/").content.decode()
    assert '<a href="/imports/">Import</a>' in today
