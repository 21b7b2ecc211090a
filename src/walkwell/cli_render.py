"""What the ``walkwell`` command shows: Rich for people, plain dicts for ``--json``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from walkwell.core import safety
from walkwell.core.baseline import BaselineSuggestion
from walkwell.core.measures import QUESTIONNAIRES
from walkwell.core.model import DayPlan, Decision, Prescription
from walkwell.core.plan_json import day_json, reason_text
from walkwell.core.protocol import Protocol
from walkwell.core.words import day_in_words

if TYPE_CHECKING:
    from walkwell.web.program.models import CheckIn, Walk
    from walkwell.web.program.selectors import Status

STYLE = {
    Decision.SEEK_URGENT_CARE: "bold white on red",
    Decision.STOP_CONSULT: "bold red",
    Decision.STEP_BACK: "bold yellow",
    Decision.PAUSE_REASSESS: "bold yellow",
    Decision.HOLD: "yellow",
    Decision.ADVANCE: "bold green",
    Decision.CONTINUE: "green",
    Decision.NOT_STARTED: "dim",
}


def _console() -> Console:
    return Console(highlight=False, emoji=False)


def screening_questions(protocol: Protocol, given: list[str]) -> tuple[list[str], bool]:
    """Ask every red-flag question; an urgent yes stops at once with what to do.

    Returns the flags answered yes and whether an urgent answer stopped onboarding.
    """
    out = _console()
    out.print("[bold]First, some safety questions.[/] Answer for how you are now.")
    flags = list(given)
    for sign in protocol.red_flags:
        if sign.id not in flags and not typer.confirm(sign.question, default=False):
            continue
        flags = list(dict.fromkeys([*flags, sign.id]))
        tier = protocol.tiers[sign.tier]
        if tier.decision == Decision.SEEK_URGENT_CARE:
            out.print(f"[bold white on red] {tier.action} [/]")
            out.print("Your answer is recorded. WalkWell will not plan walks until a")
            out.print("clinician has seen you: then run `walkwell clearance`, and")
            out.print("`walkwell init`, which asks these questions again.")
            return flags, True
    return flags, False


def rescreen_questions(protocol: Protocol, given: list[str]) -> list[str]:
    """Ask every red-flag question again; returns the flags answered yes."""
    _console().print("[bold]The safety questions again.[/] Answer for how you are now.")
    flags = list(given)
    for sign in protocol.red_flags:
        if sign.id not in flags and typer.confirm(sign.question, default=False):
            flags.append(sign.id)
    return flags


def readiness_questions(protocol: Protocol, given: list[str]) -> list[str]:
    """Ask every readiness question; returns the ids answered yes."""
    _console().print("[bold]Ready to exercise?[/] Answer for how you are now.")
    found = list(given)
    for q in protocol.readiness.questions:
        if q.id not in found and typer.confirm(q.question, default=False):
            found.append(q.id)
    return found


def ask_baseline(suggestion: BaselineSuggestion | None = None) -> float:
    """Ask for the baseline; walks before the start may suggest one to confirm."""
    question = "How many minutes can you walk now before your pain starts to rise?"
    if suggestion is None:
        return float(typer.prompt(question, type=float))
    typer.echo(suggestion.text)
    question += " Press Enter to keep the suggestion, or type your own"
    return float(typer.prompt(question, type=float, default=float(suggestion.minutes)))


def _dose(p: Prescription) -> str:
    if p.sessions == 0:
        return "no walk today"
    times = "once" if p.sessions == 1 else f"{p.sessions} times"
    where = ", ".join(t.value for t in p.terrain) or "flat"
    return f"{p.minutes_per_session} minutes, {times}; {where}; {p.pace.value} pace"


def _phase_name(protocol: Protocol, phase: int | None) -> str:
    return (
        f"Phase {phase}: {protocol.phase(phase).name}" if phase else "Before the plan"
    )


def _decision(decision: Decision) -> str:
    """The decision in words, styled by how serious it is."""
    return f"[{STYLE[decision]}]{decision.value.replace('_', ' ')}[/]"


def _planned(p: dict[str, Any]) -> str:
    """A day's prescription (as ``day_json`` gives it) in a table cell."""
    return f"{p['sessions']}×{p['minutes_per_session']}" if p["sessions"] else "rest"


def plan(protocol: Protocol, day: DayPlan) -> None:
    """Today's prescription with the decision and every reason; on a stop day the
    stop's instruction first, only the walk it allows and only its reasons."""
    out, p = _console(), day.prescription
    when = f"{day.date:%A} {day.date.day} {day.date:%B %Y}"
    out.print(f"[bold]{when}[/] · {_phase_name(protocol, day.phase)}")
    out.print(f"Decision: {_decision(day.decision)}")
    stop = safety.is_stop(day)
    if stop:
        _stop(out, protocol, day)
    else:
        out.print(f"Walk: {_dose(p)}")
    if day.flare_plan and not any(r.rule == "flare_plan" for r in day.reasons):
        out.print(f"Flare plan: {day.flare_plan}")
    details = [
        ("Breathing", p.breathing),
        ("Intervals", ", ".join(f"{m} min {kind}" for kind, m in p.intervals)),
        ("Cooldown", f"{p.cooldown_minutes} min, {p.cooldown}" if p.cooldown else ""),
        ("Habit", "" if stop else p.habit),
        ("Pack", f"up to {p.max_load_kg:g} kg" if p.max_load_kg else ""),
    ]
    for label, text in details:
        if text and p.sessions:
            out.print(f"{label}: {text}")
    _bullets(out, "Form", list(p.cues) if p.sessions and not stop else [])
    reasons = safety.stop_reasons(day) if stop else day.reasons
    _bullets(out, "Why", [reason_text(protocol, r) for r in reasons])
    _bullets(out, "Watch out", [reason_text(protocol, r) for r in day.warnings])
    due = [QUESTIONNAIRES.get(m, m) for m in day.measures_due]
    _bullets(out, "Questionnaires due", due)


def _stop(out: Console, protocol: Protocol, day: DayPlan) -> None:
    """The tier's instruction, then the only walk the stop allows (if any)."""
    if day.action is not None:
        out.print(f"[{STYLE[day.decision]}]{reason_text(protocol, day.action)}[/]")
    p = day.prescription
    if p.sessions:
        out.print(f"Walk: only if it feels fine, {_dose(p)}; stop if the sign returns")
    else:
        out.print("Walk: none until a clinician has seen you")


def checkin_stored(before: CheckIn | None, after: CheckIn) -> str:
    """ "Check-in for DAY stored." or what an amend changed, old → new."""
    if before is None:
        return f"Check-in for {after.date} stored."
    names = {"pain": "pain", "morning_stiffness_min": "stiffness", "sleep": "sleep"}
    names |= {"focus": "focus", "warning_signs": "warning signs"}
    names |= {"red_flags": "red flags"}
    changes = [
        f"{label} {_value(getattr(before, f))} → {_value(getattr(after, f))}"
        for f, label in names.items()
        if getattr(before, f) != getattr(after, f)
    ]
    if not changes:
        return f"Check-in for {after.date} unchanged."
    return f"Check-in for {after.date} amended: {'; '.join(changes)}."


def _value(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "none"
    return str(value)


def _bullets(out: Console, title: str, lines: list[str]) -> None:
    """A titled list whose wrapped lines stay indented under their bullet."""
    if not lines:
        return
    out.print(f"[bold]{title}:[/]")
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=3, justify="right")
    grid.add_column()
    for line in lines:
        grid.add_row("•", Text(line))
    out.print(grid)


def walk_stored(
    walk: Walk, day: DayPlan, protocol: Protocol, *, already: bool = False
) -> None:
    """The walk just stored, or, sent again with the same key, the one kept before."""
    out = _console()
    what = f"{walk.minutes:g} minutes, {walk.terrain}, {walk.pace} pace"
    if already:
        out.print(
            f"Walk on {day_in_words(walk.date)} was already stored with this key "
            f"({what}); nothing new was stored."
        )
    else:
        out.print(f"Walk on {day_in_words(walk.date)} stored: {what}.")
    _bullets(out, "Watch out", [reason_text(protocol, r) for r in day.warnings])
    if day.decision.is_escalation:
        _bullets(out, "Please read", [reason_text(protocol, r) for r in day.reasons])


def walk_json(walk: Walk) -> dict[str, Any]:
    return {
        "date": walk.date.isoformat(),
        "minutes": walk.minutes,
        "terrain": walk.terrain,
        "pace": walk.pace,
        "pain_before": walk.pain_before,
        "pain_during": walk.pain_during,
        "pain_after": walk.pain_after,
        "warning_signs": list(walk.warning_signs),
        "cooldown": walk.cooldown,
        "load_kg": walk.load_kg,
        "footwear": walk.footwear or None,
        "source": walk.source,
    }


def checkin_json(checkin: CheckIn) -> dict[str, Any]:
    return {
        "date": checkin.date.isoformat(),
        "pain": checkin.pain,
        "morning_stiffness_min": checkin.morning_stiffness_min,
        "sleep": checkin.sleep,
        "focus": checkin.focus,
        "warning_signs": list(checkin.warning_signs),
        "red_flags": list(checkin.red_flags),
    }


def status_json(protocol: Protocol, facts: Status) -> dict[str, Any]:
    person = facts.person
    return {
        "protocol": protocol.id,
        "start": person.start.isoformat(),
        "baseline_minutes": person.baseline_minutes,
        "date": facts.plan.date.isoformat(),
        "phase": facts.plan.phase,
        "phase_name": _phase_name(protocol, facts.plan.phase),
        "decision": facts.plan.decision.value,
        "today": day_json(protocol, facts.plan),
        "walks": facts.walks,
        "minutes_last_7_days": facts.minutes_last_7_days,
        "last_walk": walk_json(facts.last_walk) if facts.last_walk else None,
        "last_checkin": checkin_json(facts.last_checkin)
        if facts.last_checkin
        else None,
    }


def status(protocol: Protocol, facts: Status) -> None:
    out, data = _console(), status_json(protocol, facts)
    out.print(f"[bold]{protocol.name}[/]", markup=True)
    out.print(f"Started {data['start']} · {data['phase_name']}")
    out.print(f"Today: {_decision(facts.plan.decision)}")
    out.print(f"Walk: {_dose(facts.plan.prescription)}")
    out.print(
        f"Walks logged: {facts.walks}; "
        f"minutes in the last 7 days: {facts.minutes_last_7_days:g}"
    )
    if facts.last_checkin is not None:
        c = facts.last_checkin
        out.print(
            f"Last check-in {c.date}: pain {c.pain}, stiffness {c.morning_stiffness_min} min"
        )


def history_json(
    protocol: Protocol, days: list[DayPlan], walks: list[Walk], checkins: list[CheckIn]
) -> list[dict[str, Any]]:
    """Each day's plan beside what was logged on it."""
    by_day: dict[str, list[dict[str, Any]]] = {}
    for w in reversed(walks):
        by_day.setdefault(w.date.isoformat(), []).append(walk_json(w))
    checks = {c.date.isoformat(): checkin_json(c) for c in checkins}
    rows = []
    for plan_day in days:
        row = day_json(protocol, plan_day)
        row["walks"] = by_day.get(row["date"], [])
        row["checkin"] = checks.get(row["date"])
        rows.append(row)
    return rows


def earlier_walks(walks: list[dict[str, Any]]) -> None:
    """One line about the walks before the start (nothing when there are none)."""
    if walks:
        minutes = sum(w["minutes"] for w in walks)
        typer.echo(
            f"Before your start: {len(walks)} walk{'s' if len(walks) != 1 else ''}, "
            f"{minutes:g} minutes in all, from {walks[0]['date']} to {walks[-1]['date']} "
            "(history: not judged, not counted in the plan)."
        )


def history(rows: list[dict[str, Any]]) -> None:
    table = Table("date", "phase", "decision", "planned", "walked", "pain", "morning")
    for row in rows:
        walked = sum(w["minutes"] for w in row["walks"])
        pains = [w["pain_during"] for w in row["walks"] if w["pain_during"] is not None]
        check = row["checkin"]
        table.add_row(
            row["date"],
            str(row["phase"] or "-"),
            row["decision"],
            _planned(row["prescription"]),
            f"{walked:g}" if row["walks"] else "",
            str(max(pains)) if pains else "",
            f"pain {check['pain']}" if check else "",
        )
    _console().print(table)


def simulation(result: dict[str, Any]) -> None:
    earlier = result.get("before_start") or {}
    if earlier.get("walks"):
        n = len(earlier["walks"])
        typer.echo(
            f"Before the start: {n} walk{'s' if n != 1 else ''}, "
            f"{earlier['minutes']:g} minutes in all (history: not judged, not counted)."
        )
        if earlier.get("suggested_baseline"):
            typer.echo(earlier["suggested_baseline"]["text"])
    table = Table("date", "phase", "decision", "prescription", "first reason")
    for day in result["days"]:
        table.add_row(
            day["date"],
            str(day["phase"] or "-"),
            day["decision"],
            _planned(day["prescription"]),
            day["reasons"][0] if day["reasons"] else "",
        )
    _console().print(table)
