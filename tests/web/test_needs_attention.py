"""The clinician's list: the stored reviews, most urgent first, in two queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext

from tests.cast import START
from walkwell.core.limits import ValidationProblem
from walkwell.web.program import services, services_review, services_symptoms
from walkwell.web.program.models import Person, PersonReview
from walkwell.web.program.selectors_attention import NOTHING, needs_attention

READ_ON = START
ENROLLED = READ_ON - dt.timedelta(days=20)


def _person(
    name: str, *, walk_until: int = 20, long_days: tuple[int, ...] = ()
) -> Person:
    person = services.enrollment_start(
        user=User.objects.create_user(username=name, first_name=name.title()),
        start=ENROLLED,
        baseline_minutes=12,
    )
    for i in range(walk_until + 1):
        services.walk_log(
            person=person,
            date=ENROLLED + dt.timedelta(days=i),
            minutes=40 if walk_until - i in long_days else 12,
            pain_before=2,
            pain_during=2,
            pain_after=2,
            check_plan=False,
        )
    services_review.review_refresh(person=person, today=READ_ON)
    return person


@pytest.fixture
def ward(db: None) -> dict[str, Person]:
    people = {
        "steady": _person("steady"),
        "quiet": _person("quiet", walk_until=5),
        "signed": _person("signed"),
    }
    services_symptoms.symptom_report(
        person=people["signed"], date=READ_ON, warning_signs=["radiating_leg_pain"]
    )
    return people


def test_the_warning_sign_comes_first_then_silence_then_the_rest(
    ward: dict[str, Person],
) -> None:
    page = needs_attention([p.pk for p in ward.values()])
    assert [r.username for r in page.rows] == ["signed", "quiet", "steady"]
    assert page.rows[0].reason == "warning_sign"
    assert "no_data" in {r["code"] for r in page.rows[1].reasons}
    assert page.rows[2].reason == ""
    assert page.total == 3


def test_a_write_updates_the_persons_review_at_once(ward: dict[str, Person]) -> None:
    review = PersonReview.objects.get(person=ward["signed"])
    assert review.reason == "warning_sign"
    assert (
        review.history_version
        == Person.objects.get(pk=ward["signed"].pk).history_version
    )


def test_the_list_takes_two_queries_whatever_its_size(ward: dict[str, Person]) -> None:
    ids = Person.objects.values("pk")
    with CaptureQueriesContext(connection) as queries:
        needs_attention(ids, per_page=2)
    assert len(queries) == 2


def test_search_and_reason_filter_narrow_the_list(ward: dict[str, Person]) -> None:
    ids = [p.pk for p in ward.values()]
    assert [r.username for r in needs_attention(ids, q="QUI").rows] == ["quiet"]
    found = needs_attention(ids, reason="no_data").rows
    assert [r.username for r in found] == ["quiet"]


def test_people_never_reviewed_are_listed_before_those_with_nothing(
    ward: dict[str, Person],
) -> None:
    PersonReview.objects.filter(person=ward["quiet"]).delete()
    rows = needs_attention([p.pk for p in ward.values()]).rows
    assert [r.reason for r in rows] == ["warning_sign", "not_reviewed", ""]


def test_pages_split_the_list(ward: dict[str, Person]) -> None:
    ids = [p.pk for p in ward.values()]
    second = needs_attention(ids, page=2, per_page=2)
    assert [r.username for r in second.rows] == ["steady"]
    assert (second.total, second.pages, second.has_next) == (3, 2, False)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"reason": "bored"}, "reason"),
        ({"page": 0}, "page"),
        ({"per_page": 1000}, "per_page"),
        ({"q": "x" * 101}, "q"),
    ],
)
def test_a_bad_filter_names_its_field(
    ward: dict[str, Person], kwargs: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationProblem) as refused:
        needs_attention([], **kwargs)  # type: ignore[arg-type]
    assert refused.value.field == field


def test_the_nightly_batch_is_idempotent(ward: dict[str, Person]) -> None:
    ids = [p.pk for p in ward.values()]
    tomorrow = READ_ON + dt.timedelta(days=1)
    assert services_review.reviews_refresh(person_ids=ids, today=tomorrow) == 3
    before = list(PersonReview.objects.order_by("pk").values("pk", "day", "reason"))
    assert services_review.reviews_refresh(person_ids=ids, today=tomorrow) == 0
    assert (
        list(PersonReview.objects.order_by("pk").values("pk", "day", "reason"))
        == before
    )


@pytest.mark.parametrize(("long_days", "listed"), [((0, 2, 5), True), ((1,), False)])
def test_walking_well_past_the_plan_three_days_of_the_week_is_listed(
    db: None, long_days: tuple[int, ...], listed: bool
) -> None:
    keen = _person("keen", long_days=long_days)
    (row,) = needs_attention([keen.pk]).rows
    assert (row.label == "Walking past the plan") is listed
    found = needs_attention([keen.pk], reason="overdoing").rows
    assert [r.username for r in found] == (["keen"] if listed else [])
    if listed:
        assert row.text.startswith("Walked well past the plan on 3 of the last 7")
    else:
        assert row.label == "Nothing to look at"


def _migrate(target: tuple[str, str]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])


@pytest.mark.django_db(transaction=True)
def test_reviews_stored_before_overdoing_keep_their_order_on_the_list() -> None:
    people = {"quiet": _person("quiet", walk_until=5), "steady": _person("steady")}
    _migrate(("program", "0013_access_outcome"))
    # as stored then: adherence_falling was rank 5, nothing to look at 9
    assert dict(PersonReview.objects.values_list("reason", "rank")) == {
        "adherence_falling": 5,
        "": 9,
    }
    _migrate(("program", "0014_review_ranks_with_overdoing"))
    assert dict(PersonReview.objects.values_list("reason", "rank")) == {
        "adherence_falling": 6,
        "": NOTHING,
    }
    unseen = _person("unseen")
    PersonReview.objects.filter(person=unseen).delete()
    rows = needs_attention([p.pk for p in (*people.values(), unseen)]).rows
    assert [r.reason for r in rows] == ["adherence_falling", "not_reviewed", ""]
