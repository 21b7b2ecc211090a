"""`walkwell readiness` and `walkwell go-ahead`: the same services as the web."""

from __future__ import annotations

import json

from tests.cli.conftest import Walkwell
from walkwell.web.program.models import Person


def _plan(walkwell: Walkwell, day: str) -> dict[str, object]:
    data: dict[str, object] = json.loads(
        walkwell("today", "--date", day, "--json").stdout
    )
    return data


def test_readiness_asks_every_question_and_stores_the_yes_answers(
    enrolled: Walkwell,
) -> None:
    # the ninth question (over 75) answered yes, the rest no
    result = enrolled("readiness", input="n\n" * 8 + "y\n")
    assert result.exit_code == 0, result.output
    assert "Are you over 75?" in result.stdout
    assert Person.objects.get().readiness == ["age_over_75"]


def test_a_go_ahead_answer_holds_the_plan_until_the_go_ahead(
    enrolled: Walkwell,
) -> None:
    stored = enrolled("readiness", "--answer", "kidney_disease", "--yes")
    assert stored.exit_code == 0, stored.output
    assert "kidney" in stored.stdout
    assert _plan(enrolled, "2026-01-06")["decision"] == "not_started"
    refused = enrolled("go-ahead", "--yes")
    assert refused.exit_code != 0
    assert "--by" in refused.stderr
    unconfirmed = enrolled("go-ahead", "--date", "2026-01-06", input="Dr Okafor\nn\n")
    assert unconfirmed.exit_code != 0
    assert Person.objects.get().go_ahead is None
    given = enrolled("go-ahead", "--date", "2026-01-06", input="Dr Okafor\ny\n")
    assert given.exit_code == 0, given.output
    assert _plan(enrolled, "2026-01-06")["phase"] == 1


def test_an_unknown_readiness_answer_is_refused_in_one_line(
    enrolled: Walkwell,
) -> None:
    result = enrolled("readiness", "--answer", "bad_knees", "--yes")
    assert result.exit_code != 0
    assert "readiness" in result.stderr
    assert "Traceback" not in result.output
    assert Person.objects.get().readiness == []
