"""``walkwell measures``: answer the outcome measures, and list them with the change.

Registered on the main ``walkwell`` app by ``cli.py`` (this module does not import it). ``record`` takes every answer
as a flag (pain NRS, PSFS activities, the nine STarT Back items) and stores them all
or none; ``list`` shows each answer, the change since the first one, and whether an
occasion is due.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from walkwell.cli_context import (
    CommandGroup,
    DateOpt,
    JsonOpt,
    _day,
    _echo_json,
    _person,
    _today,
)
from walkwell.core.instruments import BOTHER, START_BACK_ITEMS
from walkwell.core.limits import ValidationProblem
from walkwell.core.words import day_in_words

if TYPE_CHECKING:
    from walkwell.core.measures import Advice
    from walkwell.web.program.models import Person

measures_app = typer.Typer(
    help="Outcome measures: pain NRS, PSFS and STarT Back, and the change since "
    "the start.\n\nExample: walkwell measures record --nrs 4",
    no_args_is_help=True,
    rich_markup_mode=None,
    cls=CommandGroup,
)

Item = Annotated[bool | None, typer.Option(help="STarT Back: agree (or --no-...).")]
BOTHER_CHOICES = {b.lower().replace(" ", "-"): b for b in BOTHER}


@measures_app.command("record")
def record(
    nrs: Annotated[
        int | None, typer.Option(help="Back pain now, 0 (none) to 10 (worst).")
    ] = None,
    psfs: Annotated[
        list[str] | None,
        typer.Option(
            help="An activity your back makes hard and how well you do it now, 0-10: "
            '"walking 20 minutes=5". Repeat for up to 5.'
        ),
    ] = None,
    leg_pain: Item = None,
    shoulder_neck: Item = None,
    walked_short: Item = None,
    dressed_slowly: Item = None,
    not_safe: Item = None,
    worrying: Item = None,
    terrible: Item = None,
    not_enjoyed: Item = None,
    bothersome: Annotated[
        str | None,
        typer.Option(help="STarT Back: " + ", ".join(BOTHER_CHOICES) + "."),
    ] = None,
    date: DateOpt = None,
) -> None:
    """Answer the outcome measures; all the answers are stored, or none.

    Example: walkwell measures record --nrs 4 --psfs "walking 20 minutes=5"
    """
    agreed = dict(zip([i.id for i in START_BACK_ITEMS[:8]], [
        leg_pain, shoulder_neck, walked_short, dressed_slowly,
        not_safe, worrying, terrible, not_enjoyed,
    ], strict=True))  # fmt: skip
    answers: dict[str, dict[str, Any]] = {}
    if nrs is not None:
        answers["pain_nrs"] = {"rating": nrs}
    if psfs:
        answers["psfs"] = _psfs(psfs)
    start_back = _start_back(agreed, bothersome)
    if start_back:
        answers["start_back"] = start_back
    if not answers:
        raise ValidationProblem("nrs", "give at least one answer (--nrs, --psfs, ...)")
    day = _day(date)
    person = _person()
    from walkwell.web.program import services

    try:
        services.outcomes_record(
            person=person, day=day, answers=answers, today=_today()
        )
    except ValidationProblem as problem:  # name the option, not the measure's id
        field = "nrs" if problem.field == "pain_nrs" else problem.field
        raise ValidationProblem(field, problem.message) from None
    typer.echo(f"Stored your answers for {day_in_words(day, day)}.")
    _show_changes(person)


def _psfs(given: list[str]) -> dict[str, int]:
    ratings: dict[str, int] = {}
    for text in given:
        name, sep, value = text.rpartition("=")
        if not sep or not name.strip() or not value.strip().isdigit():
            raise ValidationProblem(
                "psfs", f'write "activity=rating", rating 0-10 (got {text!r})'
            )
        ratings[name.strip()] = int(value)
    return ratings


def _start_back(
    agreed: dict[str, bool | None], bothersome: str | None
) -> dict[str, str]:
    if bothersome is None and all(v is None for v in agreed.values()):
        return {}
    for item_id, value in agreed.items():
        if value is None:
            flag = item_id.replace("_", "-")
            raise ValidationProblem(
                "start_back", f"answer every item: --{flag} or --no-{flag} is missing"
            )
    if bothersome not in BOTHER_CHOICES:
        raise ValidationProblem(
            "bothersome", f"must be one of {', '.join(BOTHER_CHOICES)}"
        )
    answers = {k: ("Agree" if v else "Disagree") for k, v in agreed.items()}
    return {**answers, "bothersome": BOTHER_CHOICES[bothersome]}


@measures_app.command("list")
def list_measures(as_json: JsonOpt = False, date: DateOpt = None) -> None:
    """Every answer, the change since the first one, and whether answers are due.

    Example: walkwell measures list --json
    """
    day = _day(date)
    person = _person()
    from walkwell.web.program import selectors_measures as read

    answers, changes = read.measure_answers(person), read.measure_changes(person)
    due = read.measures_open(person, day)
    if as_json:
        _echo_json({
            "answers": [
                {"measure": a.measure, "date": a.date.isoformat(), "score": a.score,
                 "risk": a.risk} for a in answers
            ],
            "changes": [
                {"measure": c.measure, "meaningful": c.meaningful,
                 "improved": c.improved, "sentence": c.sentence} for c in changes
            ],
            "due": due.isoformat() if due else None,
        })  # fmt: skip
        return
    for a in answers:
        risk = f" ({a.risk} risk)" if a.risk else ""
        typer.echo(f"{a.date.isoformat()}  {a.measure:<10}  {a.score:g}{risk}")
    if not answers:
        typer.echo("No answers yet.")
    if due:
        typer.echo(
            f"Questionnaires due since {due.isoformat()}: walkwell measures record"
        )
    _show_changes(person)


def _show_changes(person: Person) -> None:
    from walkwell.web.program import selectors
    from walkwell.web.program import selectors_measures as read

    for change in read.measure_changes(person):
        typer.echo(change.sentence)
    advice = read.start_back_advice(person)
    if advice is not None:
        _show_advice(
            advice, selectors.protocol_for(person).sources[advice.source].title
        )


def _show_advice(advice: Advice, source: str) -> None:
    typer.echo(advice.text)
    typer.echo(f"Lessons: {', '.join(advice.lessons)} (walkwell serve, then Learn).")
    typer.echo(f"Source: {source}")
