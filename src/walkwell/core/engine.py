"""The decision engine: (protocol, history, day) -> what to walk today, and why.

A pure fold over the calendar from the plan's start: each day applies safety first,
then the morning check-in, a gap in walking, the weekly review, and finally judges
the day's walks. Nothing here reads a clock, a file or a database.

Most folded days are never shown (``plan_day`` explains only its last one), so the
day's rules decide first and put their findings into words only when ``explain``
is set; the protocol's daily numbers are looked up once per fold (``Rules``).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Literal

from walkwell.core import measures, readiness, recovery, safety
from walkwell.core.daystate import Ctx, SafetyEvent, State, index_history, rules_for
from walkwell.core.model import (
    REST,
    CheckIn,
    DayPlan,
    Decision,
    Directive,
    DirectiveKind,
    History,
    Morning,
    Prescription,
    Reason,
)
from walkwell.core.prescribe import gentle, prescribe, stage_index
from walkwell.core.progression import (
    Day,
    Ledger,
    ReviewFinding,
    baseline_findings,
    entered_minutes,
    entry_minutes,
    grown_minutes,
    improvement,
    painful_days,
    ready_to_leave,
    review_findings,
)
from walkwell.core.protocol import Phase, Protocol, adjusted_tolerance
from walkwell.core.tolerance import (
    AfterFinding,
    WhisperFinding,
    day_too_much,
    mistakes,
    morning,
    past_limits,
)
from walkwell.core.words import count, day_in_words


def timeline(protocol: Protocol, history: History, end: dt.date) -> list[DayPlan]:
    """One plan per calendar day from the start of the history to ``end``."""
    return list(_fold(protocol, history, end))


@dataclass(frozen=True, slots=True)
class Window:
    """The days a page shows, explained, and where the phase changed since the start.

    ``plans`` runs from ``max(start, history.start)`` to ``end``; ``phase_changes``
    holds the first day of each phase run over the whole fold, the first phase
    included (a phase of ``None`` -- stopped, not started -- is not a change).
    """

    plans: tuple[DayPlan, ...]
    phase_changes: tuple[tuple[dt.date, int], ...]


def window(
    protocol: Protocol, history: History, start: dt.date, end: dt.date
) -> Window:
    """``timeline`` with words only for the days from ``start`` to ``end``."""
    changes: list[tuple[dt.date, int]] = []
    explain_from = max(start, history.start)
    plans = tuple(_fold(protocol, history, end, explain_from, changes))
    return Window(plans, tuple(changes))


def plan_day(protocol: Protocol, history: History, day: dt.date) -> DayPlan:
    """The plan, decision and reasons for one day."""
    if day < history.start:
        text = f"Your plan starts on {day_in_words(history.start, day)}."
        return _not_started(
            protocol, day, Reason("plan.start", protocol.start.source, text)
        )
    return next(_fold(protocol, history, day, explain_from=day))


def directive_refusal(
    protocol: Protocol, history: History, directive: Directive
) -> str | None:
    """Why the engine would refuse ``directive`` on its own day, or None when it
    applies: the service asks this before it stores a clinician's action, so the
    refusal the clinician sees is the one the engine would give."""
    if directive.date < history.start:
        return f"the plan starts on {day_in_words(history.start, directive.date)}"
    with_it = replace(history, directives=(*history.directives, directive))
    refused: list[tuple[Directive, str]] = []
    for _ in _fold(protocol, with_it, directive.date, directive.date, refused=refused):
        pass
    return next((why for d, why in refused if d is directive), None)


START_RULE = "start"  # the reason the plan's first day carries (``_start_plan``)


def starts_today(plan: DayPlan) -> bool:
    """The plan's first day: no walk yet that a check-in or a review could judge."""
    return plan.phase is not None and any(r.rule == START_RULE for r in plan.reasons)


def waiting_for_baseline(protocol: Protocol, day: dt.date) -> DayPlan:
    """Cleared after an urgent answer, but the first dose needs the baseline (and
    finishing onboarding asks the red-flag questions again: the fresh screening)."""
    text = (
        "Your plan starts once you answer the red-flag questions again and your "
        "baseline is recorded: how many minutes you can walk now before your pain "
        "starts to rise (walkwell init)."
    )
    return _not_started(protocol, day, Reason(START_RULE, protocol.start.source, text))


def _not_started(protocol: Protocol, day: dt.date, reason: Reason) -> DayPlan:
    lesson = protocol.lessons.by_decision[Decision.NOT_STARTED]
    return DayPlan(day, None, Decision.NOT_STARTED, (reason,), (), REST, lesson=lesson)


def _fold(
    protocol: Protocol,
    history: History,
    end: dt.date,
    explain_from: dt.date | None = None,
    phase_changes: list[tuple[dt.date, int]] | None = None,
    *,
    refused: list[tuple[Directive, str]] | None = None,
) -> Iterator[DayPlan]:
    """Fold day by day; plans are built (and yielded) only from ``explain_from`` on.

    ``phase_changes``, when given, collects each day the phase changed;
    ``refused``, each clinician's directive refused and why."""
    explain_from = explain_from or history.start
    index = index_history(history)
    baseline = history.profile.baseline_minutes
    red_flags = history.screening.red_flags
    state = State(escalation=safety.escalation_for(protocol, red_flags, history.start))
    one_day = dt.timedelta(days=1)
    day = history.start
    ctx = Ctx(
        rules_for(protocol),
        protocol,
        state,
        walked=index.minutes,
        shoes=history.profile.footwear,
        start=history.start,
        readiness=history.profile.readiness,
        go_ahead=history.profile.go_ahead,
        refused=refused,
    )
    usual = history.profile.baseline_morning
    # the first day has no "yesterday": a walk before the start is history, and a
    # morning is never judged against it
    while day <= end:
        ctx.begin(
            day,
            index.walks.get(day, ()),
            index.checkins.get(day),
            explain=day >= explain_from,
        )
        plan = _step(
            ctx,
            baseline,
            events=index.safety.get(day),
            usual=usual,
            directives=index.directives.get(day),
        )
        if phase_changes is not None:
            phase = state.phase
            if phase and (not phase_changes or phase_changes[-1][1] != phase):
                phase_changes.append((day, phase))
        if plan is not None:
            yield plan
        day += one_day


def _step(
    ctx: Ctx,
    baseline_minutes: float,
    *,
    events: list[SafetyEvent] | None,
    usual: Morning | None,
    directives: list[Directive] | None = None,
) -> DayPlan | None:
    state = ctx.state
    _thresholds(ctx, directives)
    for kind, signs in events or ():
        if kind == "clear":
            _clear(ctx, signs)
        elif kind == "screen":
            _screened(ctx)
        else:
            # the plan starts before the day's own reports, so a warning sign on
            # the first day still leaves the gentle walks its tier prescribes
            if not state.phase and state.escalation is None and not _waits(ctx):
                _start_plan(ctx, baseline_minutes, usual)
            _escalate(ctx, list(signs))
    if not state.phase and state.escalation is None:
        if _waits(ctx):
            _directives(ctx, directives, stopped=True)
            return _go_ahead_day(ctx) if ctx.explain else None
        _start_plan(ctx, baseline_minutes, usual)
    if state.escalation is not None:
        # safety wins: a stop refuses the day's moves
        _directives(ctx, directives, stopped=True)
        return _escalated_day(ctx, state.escalation)
    _morning(ctx)
    _gap(ctx)
    _directives(ctx, directives)
    _grow_or_review(ctx, held=_held(ctx))
    prescription = prescribe(ctx.rules, state, ctx.day)
    if ctx.readiness:
        prescription = _adjusted(ctx, prescription)
    _judge_walks(ctx, prescription)
    if not ctx.explain:
        return None
    _describe_day(ctx, prescription)
    return _plan(ctx, prescription)


def _grow_or_review(ctx: Ctx, *, held: bool) -> None:
    """A flare plan's climb, or the weekly review; a clinician's hold takes no
    step up in either."""
    state = ctx.state
    if state.flare_target is not None:
        if not held:
            _flare_climb(ctx)
    elif (ctx.day - state.anchor).days >= ctx.rules.review_days:
        ctx.reviewed = True
        if held:
            _review_held(ctx)
        else:
            _review_unless_whisper(ctx)


def _plan(ctx: Ctx, prescription: Prescription) -> DayPlan:
    verdict = ctx.verdict
    decision = verdict.decision()
    return DayPlan(
        date=ctx.day,
        phase=ctx.state.phase or None,
        decision=decision,
        reasons=verdict.reasons(),
        warnings=tuple(verdict.warnings),
        prescription=prescription,
        measures_due=_measures_due(ctx),
        action=verdict.action if decision.is_escalation else None,
        lesson=_lesson(ctx.protocol, decision, verdict.mistakes),
        flare_plan=ctx.state.flare_why,
        reviewed=ctx.reviewed,
    )


def _measures_due(ctx: Ctx) -> tuple[str, ...]:
    """The schedule's occasions; the first one is the plan's first day, which comes
    later than the start when the plan waited for a clearance."""
    if ctx.day == ctx.state.started:
        return tuple(m.id for m in ctx.protocol.measures)
    return measures.due_ids(ctx.protocol, ctx.start, ctx.day)


def _lesson(protocol: Protocol, decision: Decision, mistake_ids: list[str]) -> str:
    """A mistake's own lesson first, unless the plan is stopped for safety."""
    lessons = protocol.lessons
    if not decision.is_escalation:
        for mistake in mistake_ids:
            if mistake in lessons.by_mistake:
                return lessons.by_mistake[mistake]
    return lessons.by_decision[decision]


# --- safety ---------------------------------------------------------------------


def _clear(ctx: Ctx, who: tuple[str, ...] = ()) -> None:
    """A clinician's clearance: it lifts a stop, unless the stop's tier also waits
    for a fresh screening with no red flags that has not come yet. ``who``: the
    name given and whether the person recorded it themself or a clinician did,
    from their own account."""
    state = ctx.state
    open_now = state.escalation
    if open_now is not None:
        state.escalation = open_now = replace(open_now, cleared=True)
        if not open_now.lifted:
            return  # the stop's reasons say what it still waits for
    how = ""
    if len(who) == 2:
        by, recorded = who
        how = (
            f" by {by}, from their clinician account"
            if recorded == "clinician"
            else f" (self-reported: {by})"
        )
    _lift(ctx, "A clinician's clearance was recorded", how)


def _screened(ctx: Ctx) -> None:
    """A fresh screening that reports no red flags: with a clearance, it lifts an
    urgent stop."""
    state = ctx.state
    open_now = state.escalation
    if open_now is None or not open_now.rescreen:
        return
    state.escalation = open_now = replace(open_now, screened=True)
    if open_now.lifted:
        _lift(ctx, "A fresh screening with no red flags was recorded")


def _lift(ctx: Ctx, what: str, how: str = "") -> None:
    state = ctx.state
    if state.escalation is None and not state.reassessing:
        return
    stopped = state.escalation is not None
    state.escalation = None
    # a clearance of Stabilize's exit pause lets the phase move on; one of the
    # trend watch's pause restarts its count (it still holds while mornings stay
    # past the baseline, and asks again after as many periods)
    state.reassess_waived = state.reassessing and not state.trend_paused
    state.reassessing = state.trend_paused = False
    state.worse_reviews = state.painful_reviews = 0
    state.anchor = ctx.day
    text = f"{what} on {day_in_words(ctx.day, ctx.day)}{how}; the plan resumes."
    ctx.verdict.note(
        Reason(rule="safety.clearance", source=ctx.protocol.safety.source, text=text)
    )
    if stopped and state.phase:
        _return(ctx, "After the stop")


def _return(ctx: Ctx, after: str) -> None:
    """Restart from what was really walked lately, with stressors one at a time."""
    protocol, state = ctx.protocol, ctx.state
    rule = protocol.returns
    walked = recovery.walked_per_week(ctx.walked, ctx.day, rule.lookback_days)
    phase = protocol.phase(state.phase)
    minutes = recovery.return_minutes(protocol, phase, state.minutes, walked)
    _mark_step_back(ctx)
    state.minutes, state.anchor, state.stage_start = minutes, ctx.day, ctx.day
    state.top_reviews = 0
    state.flare_target = None
    state.flare_why = ""
    text = (
        f"{after}, the plan restarts from what you really walked in the last "
        f"{rule.lookback_days} days (about {walked:.0f} minutes a week): {minutes} minutes "
        "a walk, growing by the weekly cap from here."
    )
    ctx.verdict.note(
        Reason(rule="returns.lookback_days", source=rule.source, text=text)
    )


def _escalate(ctx: Ctx, signs: list[str]) -> None:
    found = safety.escalation_for(ctx.protocol, signs, ctx.day)
    if found is not None:
        open_now = ctx.state.escalation
        ctx.state.escalation = found if open_now is None else open_now.merged(found)


def _escalated_day(ctx: Ctx, escalation: safety.Escalation) -> DayPlan | None:
    tier = safety.tier_of(ctx.protocol, escalation)
    why = safety.reasons_for(ctx.protocol, escalation) if ctx.explain else ()
    ctx.verdict.add(Decision(tier.decision), *why)
    if why:
        ctx.verdict.action = why[0]  # the tier's action comes first
    prescription = REST
    if tier.prescribe_walks and ctx.state.phase:
        prescription = gentle(ctx.rules, prescribe(ctx.rules, ctx.state, ctx.day))
    ctx.state.anchor = ctx.day  # time spent escalated never counts towards a review
    if ctx.state.phase:
        # gentle walks still count as walking, and their mistakes are still named
        _judge_walks(ctx, prescription, escalated=True)
    else:
        _record(ctx, prescription, hard=True)
    return _plan(ctx, prescription) if ctx.explain else None


# --- readiness: a doctor's go-ahead, and adjustments -------------------------------


def _waits(ctx: Ctx) -> bool:
    """An answer that asks for a doctor's go-ahead, and none recorded by today."""
    return readiness.waits_for_go_ahead(
        ctx.protocol, ctx.readiness, ctx.go_ahead, ctx.day
    )


def _go_ahead_day(ctx: Ctx) -> DayPlan:
    rule = ctx.protocol.readiness
    text = readiness.go_ahead_words(ctx.protocol, ctx.readiness)
    return _not_started(
        ctx.protocol, ctx.day, Reason("readiness.go_ahead", rule.source, text)
    )


def _adjusted(ctx: Ctx, planned: Prescription) -> Prescription:
    cleared = ctx.go_ahead is not None and ctx.go_ahead <= ctx.day
    # the protocol as loaded (a clinician's thresholds change no adjustment), so
    # the cache of adjusted prescriptions is keyed by one protocol, not by copies
    protocol = ctx.rules.protocol
    found = readiness.adjust(protocol, planned, ctx.readiness, go_ahead=cleared)
    if ctx.explain and planned.sessions:
        why = readiness.adjust_reason(ctx.protocol, ctx.readiness, go_ahead=cleared)
        if why is not None:
            ctx.verdict.note(why)
    return found


# --- starting, mornings and gaps --------------------------------------------------


def start_minutes(protocol: Protocol, baseline_minutes: float) -> int:
    """The first dose: never above the baseline, within phase 1's range when it allows."""
    return max(1, min(int(baseline_minutes), protocol.phase(1).minutes_max))


def _start_plan(ctx: Ctx, baseline_minutes: float, usual: Morning | None) -> None:
    protocol, state = ctx.protocol, ctx.state
    first = protocol.phase(1)
    start = start_minutes(protocol, baseline_minutes)
    state.phase, state.minutes, state.phase_start, state.anchor = (
        1,
        start,
        ctx.day,
        ctx.day,
    )
    state.started = state.stage_start = ctx.day
    state.ledger = Ledger(
        start_minutes=start,
        baseline=usual,
        baseline_size=protocol.baseline.checkins,
    )
    text = f"Your plan starts with {first.name}: {start} minutes a walk"
    if start < first.minutes_min:
        text += (
            f", the time you can walk now before pain rises. It builds up to "
            f"{first.minutes_min} minutes before the program moves on."
        )
    else:
        text += f", within the phase's {first.minutes_min}-{first.minutes_max} minutes and never above your baseline."
    ctx.verdict.note(Reason(rule=START_RULE, source=protocol.start.source, text=text))


def _reference_pain(ctx: Ctx) -> int | None:
    """The pain before yesterday's walks: what this morning is compared with."""
    before = [w.pain_before for w in ctx.yesterday if w.pain_before is not None]
    return max(before) if before else ctx.state.ledger.morning_pain


def _morning(ctx: Ctx) -> None:
    checkin = ctx.checkin
    if checkin is None:
        return
    if checkin.recurrence:
        _recurrence(ctx)
        return
    reference = _reference_pain(ctx)
    if not ctx.yesterday or reference is None:
        _severe_morning(ctx, checkin)
        return
    tol = ctx.protocol.tolerance
    found = morning(tol, checkin.pain, reference)
    ctx.state.ledger.mark_morning(flare=found.flare)
    if not found.flare:
        # a settled morning only adds a note: worded only on a day that is shown
        if ctx.explain:
            ctx.verdict.note(found.reason(tol))
        return
    why = found.reason(tol)
    recent = ctx.state.ledger.flares_within(ctx.protocol.progression.review_days)
    if found.severe or recent >= 1:
        _step_back(ctx, why)
        return
    hold = Reason(
        rule="tolerance.flare_holds",
        source=tol.source,
        text="Keep today's dose; it will not grow until the walks settle for a whole review period.",
    )
    ctx.verdict.add(Decision.HOLD, why, hold)


def _recurrence(ctx: Ctx) -> None:
    """Back pain that stopped usual activities for a day or more: the flare plan."""
    ctx.state.ledger.mark_morning(flare=True)
    rule = ctx.protocol.recurrence
    text = "Back pain stopped your usual activities for 24 hours or more: a recurrence."
    _step_back(ctx, Reason(rule="recurrence", source=rule.source, text=text))


def _severe_morning(ctx: Ctx, checkin: CheckIn) -> None:
    """No walk to compare with, but pain at the severe level is a strong flare."""
    tol = ctx.protocol.tolerance
    if checkin.pain < tol.severe_pain:
        return
    ctx.state.ledger.mark_morning(flare=True)
    text = (
        f"This morning's pain is {checkin.pain}/10, at or above {tol.severe_pain}/10: "
        "a strong flare."
    )
    _step_back(ctx, Reason(rule="tolerance.severe_pain", source=tol.source, text=text))


def _gap(ctx: Ctx) -> None:
    protocol, state, gap = ctx.protocol, ctx.state, ctx.protocol.gap
    idle = (ctx.day - (state.last_walk or state.phase_start)).days
    if idle >= gap.phase_back_days and state.gap_level < 2 and state.phase > 1:
        state.gap_level = 2
        _mark_step_back(ctx)
        _move_to_phase(ctx, state.phase - 1)
        text = f"No walks for {idle} days: back to {protocol.phase(state.phase).name} to rebuild tolerance."
        ctx.verdict.add(
            Decision.STEP_BACK,
            Reason(rule="gap.phase_back_days", source=gap.source, text=text),
        )
    elif idle >= gap.restart_days and state.gap_level < 1:
        state.gap_level = 1
        restart = min(
            state.minutes,
            entry_minutes(protocol, state.phase, state.ledger.start_minutes),
        )
        walked = recovery.walked_per_week(
            ctx.walked, ctx.day, protocol.returns.lookback_days
        )
        if walked > 0:  # never above what was really walked in the last weeks
            phase = protocol.phase(state.phase)
            restart = recovery.return_minutes(protocol, phase, restart, walked)
        text = f"No walks for {idle} days: restart gently at {restart} minutes."
        changed = restart < state.minutes
        if changed:
            _mark_step_back(ctx)
        state.minutes, state.anchor = restart, ctx.day
        decision = Decision.STEP_BACK if changed else Decision.CONTINUE
        ctx.verdict.add(
            decision, Reason(rule="gap.restart_days", source=gap.source, text=text)
        )


def _move_to_phase(ctx: Ctx, number: int) -> None:
    """Enter a phase: its starting dose, but never a week's total above the weekly
    cap, nor (going back) a day's total above the day before."""
    protocol, state = ctx.protocol, ctx.state
    old, nxt = protocol.phase(state.phase), protocol.phase(number)
    start = state.ledger.start_minutes
    minutes = entered_minutes(protocol, old, state.minutes, nxt, start)
    if number < state.phase:
        daily = recovery.daily_minutes(old, state.minutes)
        minutes = max(1, min(minutes, daily // nxt.sessions_per_day))
    state.phase, state.phase_start, state.anchor = number, ctx.day, ctx.day
    state.stage_start, state.minutes, state.top_reviews = ctx.day, minutes, 0


def _mark_step_back(ctx: Ctx) -> None:
    """For the step back's week, the minutes a day stay at most today's."""
    protocol, state = ctx.protocol, ctx.state
    daily = recovery.daily_minutes(protocol.phase(state.phase), state.minutes)
    until = ctx.day + dt.timedelta(days=protocol.step_back.ceiling_days)
    if ctx.day <= state.ceiling_until:
        daily = min(daily, state.ceiling)
    state.ceiling, state.ceiling_until = daily, until


def _step_back(ctx: Ctx, *why: Reason) -> None:
    """The flare plan: a lighter block now, then back up to where the person was."""
    protocol, state = ctx.protocol, ctx.state
    if state.flare_target is None:
        state.flare_target = (
            state.phase,
            state.minutes,
            state.phase_start,
            state.stage_start,
        )
    _mark_step_back(ctx)
    phase, minutes = recovery.stepped_back(
        protocol, state.phase, state.minutes, state.ledger.start_minutes
    )
    if phase != state.phase:
        state.phase_start = ctx.day
    state.phase, state.minutes, state.anchor = phase, minutes, ctx.day
    state.stage_start, state.top_reviews = ctx.day, 0
    text = f"Step back to {minutes} minutes a walk in {protocol.phase(phase).name} until the walks settle again."
    step = Reason(
        rule="progression.step_back_fraction",
        source=protocol.progression.source,
        text=text,
    )
    plan = protocol.flare_plan
    where = protocol.phase(state.flare_target[0]).name
    back = (
        f"Once your back settles for {plan.settle_days} days, the walks grow back "
        f"to where you were in {where}."
    )
    state.flare_why = f"{plan.words} Why: {why[0].text if why else 'a flare.'} {back}"
    # The day's own reasons say why already: its flare plan says it once, not twice.
    today = f"{plan.words} {back}" if why else state.flare_why
    flare = Reason(rule="flare_plan", source=plan.source, text=today)
    ctx.verdict.add(Decision.STEP_BACK, *why, step, flare)


def _flare_climb(ctx: Ctx) -> None:
    """While the back stays settled, one step back up (at most the weekly cap on
    the week's total) every ``climb_days`` until back where the person was."""
    protocol, state, plan = ctx.protocol, ctx.state, ctx.protocol.flare_plan
    target = state.flare_target
    if target is None or (ctx.day - state.anchor).days < plan.climb_days:
        return
    recent = state.ledger.last(plan.settle_days)
    if state.ledger.pending_flare or any(d.flare or d.hard for d in recent):
        return
    if baseline_findings(protocol, state.ledger):
        return  # mornings well past the person's baseline: the climb waits
    phase, goal = protocol.phase(state.phase), protocol.phase(target[0])
    now = recovery.weekly_minutes(phase, state.minutes)
    wanted = recovery.weekly_minutes(goal, target[1])
    grown = max(now + 1, math.floor(now * (1 + protocol.progression.max_weekly_growth)))
    state.anchor = ctx.day
    _growing(ctx)
    if grown >= wanted and _daily_fits(ctx, goal, target[1]):
        state.phase, state.minutes, state.phase_start, state.stage_start = target
        state.flare_target, state.flare_why = None, ""
        text = f"Your back settled after the flare: back to where you were, {goal.name} at {target[1]} minutes a walk."
    else:
        per_week = phase.sessions_per_day * phase.days_per_week
        minutes = max(state.minutes, min(phase.minutes_max, grown // per_week))
        if not _daily_fits(ctx, phase, minutes):
            return
        state.minutes = minutes
        text = f"Your back settled: one step back up, to {minutes} minutes a walk."
    ctx.verdict.add(
        Decision.ADVANCE,
        Reason(rule="flare_plan.climb_days", source=plan.source, text=text),
    )


def _daily_fits(ctx: Ctx, phase: Phase, minutes: int) -> bool:
    """Within a step back's week, no more minutes a day than before it."""
    state = ctx.state
    if ctx.day > state.ceiling_until:
        return True
    return recovery.daily_minutes(phase, minutes) <= state.ceiling


# --- the weekly review ----------------------------------------------------------


def _review(ctx: Ctx) -> None:
    protocol, state = ctx.protocol, ctx.state
    state.anchor = ctx.day
    watch = _watch_trend(ctx)
    if watch == "pause":
        return
    findings = review_findings(protocol, state.ledger, today_checkin=ctx.checkin)
    if ctx.explain:
        problems = [f.reason() for f in findings]
        if problems:
            state.top_reviews = 0
            ctx.verdict.add(Decision.HOLD, *problems)
            return
    elif next(findings, None) is not None:  # a day nobody reads: one is enough
        state.top_reviews = 0
        ctx.verdict.add(Decision.HOLD)
        return
    if watch == "hold":
        state.top_reviews = 0
        return
    phase = protocol.phase(state.phase)
    if state.minutes >= phase.minutes_max:
        state.top_reviews += 1
    if _ready(ctx, phase):
        _try_next_phase(ctx, phase)
    elif state.minutes < phase.minutes_max:
        _grow(ctx, phase)
    else:
        text = f"Your walks since the last review settled. You are at the top of {phase.name}'s range; keep to {state.minutes} minutes."
        ctx.verdict.add(
            Decision.CONTINUE,
            Reason(rule="progression.review", source=phase.source, text=text),
        )


def _ready(ctx: Ctx, phase: Phase) -> bool:
    """The phase's calendar, dose and (for the last steps) weeks at the top are done."""
    state = ctx.state
    return ready_to_leave(
        ctx.protocol,
        phase,
        minutes=state.minutes,
        days_in_phase=(ctx.day - state.phase_start).days,
        top_reviews=state.top_reviews,
        days_since_start=(ctx.day - state.started).days,
    )


def _watch_trend(ctx: Ctx) -> Literal["pause", "hold"] | None:
    """The person's own baseline, and pain past the limits that lasts: say whether
    they keep the dose. The first period of either holds; a run of them pauses to
    reassess with a clinician (holding for ever is no answer)."""
    protocol, state = ctx.protocol, ctx.state
    if state.trend_paused:
        return "pause"  # until a clearance
    worse = baseline_findings(protocol, state.ledger)
    state.worse_reviews = state.worse_reviews + 1 if worse else 0
    tol = protocol.tolerance
    painful = painful_days(protocol, state.ledger) >= tol.persistent_pain_days
    state.painful_reviews = state.painful_reviews + 1 if painful else 0
    if state.worse_reviews >= protocol.baseline.reviews_to_reassess:
        _trend_pause(ctx, _baseline_pause(protocol, state.worse_reviews), worse)
        return "pause"
    if state.painful_reviews >= tol.persistent_pain_reviews:
        _trend_pause(ctx, _pain_pause(protocol, state.painful_reviews), [])
        return "pause"
    if worse:
        ctx.verdict.add(Decision.HOLD, *(f.reason() for f in worse if ctx.explain))
        return "hold"
    return None


def _trend_pause(ctx: Ctx, why: Reason, found: list[ReviewFinding]) -> None:
    state = ctx.state
    state.reassessing = state.trend_paused = True
    state.reassess_note = why
    ctx.verdict.add(
        Decision.PAUSE_REASSESS, why, *(f.reason() for f in found if ctx.explain)
    )


_TALK_TO_A_PHYSIO = (
    "Pause here and talk it over with your physiotherapist: the dose holds until a "
    "clinician has looked at it and cleared you to go on."
)


def _baseline_pause(protocol: Protocol, periods: int) -> Reason:
    text = (
        f"Your mornings have been meaningfully worse than your own baseline for "
        f"{periods} review periods in a row. {_TALK_TO_A_PHYSIO}"
    )
    return Reason(rule="baseline.reassess", source=protocol.baseline.source, text=text)


def _pain_pause(protocol: Protocol, periods: int) -> Reason:
    tol = protocol.tolerance
    text = (
        f"Pain went past the limit during or after walks on {tol.persistent_pain_days} "
        f"or more days in each of the last {periods} review periods, although the "
        f"dose held. {_TALK_TO_A_PHYSIO}"
    )
    return Reason(
        rule="tolerance.persistent_pain_reviews", source=tol.whisper_source, text=text
    )


def _review_unless_whisper(ctx: Ctx) -> None:
    """Review the week; a walk past the whisper later that day takes a step up back."""
    state = ctx.state
    before = (state.phase, state.minutes, state.phase_start, state.stage_start)
    _review(ctx)
    phase = ctx.protocol.phase(state.phase)
    if not _daily_fits(ctx, phase, state.minutes) and ctx.verdict.retract(
        Decision.ADVANCE
    ):
        state.phase, state.minutes, state.phase_start, state.stage_start = before
        rule = ctx.protocol.step_back
        text = "The week after a step back, the minutes a day stay at most what they were before it."
        ctx.verdict.add(
            Decision.HOLD,
            Reason(rule="step_back.ceiling_days", source=rule.source, text=text),
        )
        return
    tol = ctx.protocol.tolerance
    past = any(past_limits(tol, w) is not None for w in ctx.walks)
    if past and ctx.verdict.retract(Decision.ADVANCE):
        state.phase, state.minutes, state.phase_start, state.stage_start = before
        text = "Today's walk went past the whisper, so this morning's step up waits."
        ctx.verdict.note(
            Reason(rule="tolerance.whisper_holds", source=tol.whisper_source, text=text)
        )


def _growing(ctx: Ctx) -> None:
    """Before a step up: remember the week's total before the period's first one."""
    state = ctx.state
    if (ctx.day - state.grew_on).days >= ctx.rules.review_days:
        phase = ctx.protocol.phase(state.phase)
        state.week_base = recovery.weekly_minutes(phase, state.minutes)
        state.grew_on = ctx.day


def _grow(ctx: Ctx, phase: Phase) -> None:
    _growing(ctx)
    before = ctx.state.minutes
    ctx.state.minutes = grown_minutes(ctx.protocol, phase, before)
    if not ctx.explain:  # the step up still counts: a whisper later today retracts it
        ctx.verdict.add(Decision.ADVANCE)
        return
    prog = ctx.protocol.progression
    text = (
        f"Your walks since the last review settled: each walk grows from {before} to {ctx.state.minutes} "
        f"minutes (the week's total grows by at most {prog.max_weekly_growth:.0%})."
    )
    ctx.verdict.add(
        Decision.ADVANCE,
        Reason(rule="progression.max_weekly_growth", source=prog.source, text=text),
    )


def _try_next_phase(ctx: Ctx, phase: Phase) -> None:
    protocol, state = ctx.protocol, ctx.state
    if phase.reassess_on_exit and not state.reassess_waived:
        improved, why = improvement(protocol, state.ledger, state.phase_start)
        if not improved:
            state.reassessing, state.reassess_note = True, why
            return
        ctx.verdict.note(why)
    state.reassessing = state.reassess_waived = False
    nxt = protocol.phase(phase.number + 1)
    _growing(ctx)
    _move_to_phase(ctx, nxt.number)
    text = (
        f"{phase.name} is done and your walks settled: {nxt.name} begins, "
        f"{count(nxt.sessions_per_day, 'walk')} of {state.minutes} minutes, {nxt.days_per_week} days a week."
    )
    ctx.verdict.add(
        Decision.ADVANCE,
        Reason(rule=f"phases[{nxt.number}]", source=nxt.source, text=text),
    )


# --- the day's walks and its description ------------------------------------------


def _judge_walks(ctx: Ctx, planned: Prescription, *, escalated: bool = False) -> None:
    state = ctx.state
    hard = False
    if ctx.walks:
        hard = _judge_each_walk(ctx, planned)
        state.last_walk, state.gap_level = ctx.day, 0
    _record(ctx, planned, hard=hard or escalated)


def _judge_each_walk(ctx: Ctx, planned: Prescription) -> bool:
    """Name each walk's mistakes and pain past the whisper; say if any was too hard."""
    protocol, state, explain = ctx.protocol, ctx.state, ctx.explain
    phase = ctx.rules.phases[state.phase - 1]
    # on a rest day a walk is judged against the dose it would have had
    minutes = planned.minutes_per_session if planned.sessions else state.minutes
    hard, too_hard = False, ctx.rules.too_hard
    too_long = False
    # the stage open today: a stressor before its week is a mistake, as it is in
    # the prescription (the same count of weeks from the stage's start)
    stage = stage_index(phase, (ctx.day - state.stage_start).days // 7 + 1)
    for walk in ctx.walks:
        found = mistakes(protocol, phase, walk, minutes, ctx.shoes, stage=stage)
        for mistake in found:
            hard = hard or mistake.id in too_hard
            too_long = too_long or mistake.id == "too_much_too_early"
            if explain:
                ctx.verdict.warnings.append(mistake.reason(protocol))
                ctx.verdict.mistakes.append(mistake.id)
        past = past_limits(protocol.tolerance, walk)
        if past is not None:
            hard = ctx.painful = True
            ctx.verdict.add(Decision.HOLD, *_whisper_holds(ctx, past))
    if len(ctx.walks) > 1 and not too_long:
        day = day_too_much(protocol, ctx.walks, minutes * phase.sessions_per_day)
        if day is not None:
            hard = hard or day.id in too_hard
            if explain:
                ctx.verdict.warnings.append(day.reason(protocol))
                ctx.verdict.mistakes.append(day.id)
    return hard


def _whisper_holds(ctx: Ctx, past: WhisperFinding | AfterFinding) -> tuple[Reason, ...]:
    if not ctx.explain:
        return ()
    tol = ctx.protocol.tolerance
    if isinstance(past, AfterFinding):
        text = "The dose holds until the pain after walks stays within its limits."
        holds = Reason(rule="tolerance.after_holds", source=tol.source, text=text)
        return past.reason(tol), holds
    text = "The dose holds until walks stay below the whisper."
    holds = Reason(rule="tolerance.whisper_holds", source=tol.whisper_source, text=text)
    return past.reason(tol), holds


def _record(ctx: Ctx, planned: Prescription, *, hard: bool) -> None:
    day = Day(
        date=ctx.day,
        prescribed=planned.sessions,
        done=len(ctx.walks),
        flare=ctx.state.ledger.pending_flare,
        hard=hard,
        checkin=ctx.checkin,
        phase=ctx.state.phase or None,
        painful=ctx.painful,
    )
    ctx.state.ledger.add(day)


def _describe_day(ctx: Ctx, planned: Prescription) -> None:
    protocol, state = ctx.protocol, ctx.state
    _describe_thresholds(ctx)
    if state.reassessing and state.reassess_note is not None:
        ctx.verdict.add(Decision.PAUSE_REASSESS, state.reassess_note)
    phase = ctx.rules.phases[state.phase - 1]
    review = state.anchor + dt.timedelta(days=protocol.progression.review_days)
    week = (ctx.day - state.phase_start).days // 7 + 1
    what = (
        "a rest day"
        if planned.sessions == 0
        else f"{count(planned.sessions, 'walk')} of {planned.minutes_per_session} minutes"
    )
    text = f"{phase.name}, week {week}: {what}. Next review on {day_in_words(review, ctx.day)}."
    ctx.verdict.note(
        Reason(rule=f"phases[{phase.number}]", source=phase.source, text=text)
    )


# --- a clinician's directives -----------------------------------------------------
#
# Applied after the day's safety events, mornings and gaps, before the review:
# safety always wins (a stop open that day refuses a move), a flare this morning
# refuses an advance, and a step back never adds minutes a day.

_ASKED = {
    DirectiveKind.HOLD: "hold the plan",
    DirectiveKind.STEP_BACK: "step the plan back",
    DirectiveKind.ADVANCE: "move the plan on to the next phase early",
    DirectiveKind.THRESHOLD: "adjust a threshold",
}


def _thresholds(ctx: Ctx, today: list[Directive] | None) -> None:
    """A threshold set today counts for all of today's rules."""
    for d in today or ():
        if d.kind == DirectiveKind.THRESHOLD:
            _threshold(ctx, d)


def _directives(
    ctx: Ctx, today: list[Directive] | None, *, stopped: bool = False
) -> None:
    for d in today or ():
        if d.kind == DirectiveKind.THRESHOLD:
            continue  # applied at the day's start
        if stopped or not ctx.state.phase:
            why = (
                "the plan is stopped for safety: a warning sign or red flag awaits a "
                "clinician's clearance"
                if ctx.state.escalation is not None
                else "the plan has not started yet"
            )
            _refuse(ctx, d, why)
        elif d.kind == DirectiveKind.HOLD:
            _hold(ctx, d)
        elif d.kind == DirectiveKind.STEP_BACK:
            _clinician_step_back(ctx, d)
        else:
            _clinician_advance(ctx, d)


def _clinician(d: Directive, did: str) -> str:
    return f"Your clinician, {d.by}, {did}: {d.reason.rstrip('.')}."


def _directive_reason(ctx: Ctx, d: Directive, did: str, then: str) -> Reason:
    rule = f"clinician.{d.kind.value}"
    text = f"{_clinician(d, did)} {then}"
    return Reason(rule=rule, source=ctx.protocol.clinician_rules.source, text=text)


def _refuse(ctx: Ctx, d: Directive, why: str) -> None:
    if ctx.refused is not None:
        ctx.refused.append((d, why))
    if not ctx.explain:
        return
    text = (
        f"Your clinician, {d.by}, asked to {_ASKED[d.kind]} ({d.reason.rstrip('.')}); "
        f"it was not done: {why}. The plan follows the program's rules."
    )
    source = ctx.protocol.clinician_rules.source
    ctx.verdict.note(Reason(rule="clinician.refused", source=source, text=text))


def _hold(ctx: Ctx, d: Directive) -> None:
    days = ctx.protocol.clinician_rules.hold_days
    ctx.state.hold = d
    ctx.state.hold_until = d.until or ctx.day + dt.timedelta(days=days - 1)


def _held(ctx: Ctx) -> bool:
    """While a clinician's hold runs, every day says so and the dose keeps."""
    state = ctx.state
    d = state.hold
    if d is None or ctx.day > state.hold_until:
        state.hold = None
        return False
    if not ctx.explain:
        ctx.verdict.add(Decision.HOLD)
        return True
    until = day_in_words(state.hold_until, ctx.day)
    then = (
        f"The dose stays at {state.minutes} minutes a walk until {until}; the "
        "program's safety rules still apply."
    )
    ctx.verdict.add(Decision.HOLD, _directive_reason(ctx, d, "held the plan", then))
    return True


def _review_held(ctx: Ctx) -> None:
    """The review runs (its trend watch may still pause), but takes no step up."""
    state = ctx.state
    before = (
        state.phase,
        state.minutes,
        state.phase_start,
        state.stage_start,
        state.reassess_waived,
    )
    _review_unless_whisper(ctx)
    if not ctx.verdict.retract(Decision.ADVANCE):
        return
    (
        state.phase,
        state.minutes,
        state.phase_start,
        state.stage_start,
        state.reassess_waived,
    ) = before
    if ctx.explain and state.hold is not None:
        text = (
            "This review found your walks settled and would have stepped up; your "
            "clinician's hold keeps the dose instead."
        )
        source = ctx.protocol.clinician_rules.source
        ctx.verdict.note(Reason(rule="clinician.hold", source=source, text=text))


def _clinician_step_back(ctx: Ctx, d: Directive) -> None:
    """One step down, as the step-back rule takes it, never more minutes a day."""
    protocol, state = ctx.protocol, ctx.state
    if Decision.STEP_BACK in ctx.verdict.decisions:
        then = "The plan already stepped back today; once is enough."
        ctx.verdict.add(
            Decision.STEP_BACK,
            _directive_reason(ctx, d, "stepped the plan back", then),
        )
        return
    old = protocol.phase(state.phase)
    daily = recovery.daily_minutes(old, state.minutes)
    _mark_step_back(ctx)
    phase, minutes = recovery.stepped_back(
        protocol, state.phase, state.minutes, state.ledger.start_minutes
    )
    if recovery.daily_minutes(protocol.phase(phase), minutes) > daily:
        phase, minutes = state.phase, min(state.minutes, minutes)
    if phase != state.phase:
        state.phase_start = ctx.day
    state.phase, state.minutes, state.anchor, state.stage_start = (
        phase,
        minutes,
        ctx.day,
        ctx.day,
    )
    state.top_reviews = 0
    state.flare_target, state.flare_why = None, ""
    name = protocol.phase(phase).name
    then = (
        f"Step back to {minutes} minutes a walk in {name}; the dose grows again from "
        "the next review, by at most the weekly cap."
    )
    ctx.verdict.add(
        Decision.STEP_BACK, _directive_reason(ctx, d, "stepped the plan back", then)
    )


def _advance_refusal(ctx: Ctx) -> str | None:
    protocol, state = ctx.protocol, ctx.state
    if state.phase >= len(protocol.phases):
        return f"{protocol.phase(state.phase).name} is the program's last phase"
    if state.reassessing or state.trend_paused:
        return "the plan is paused to reassess; a clearance lifts the pause first"
    if state.ledger.pending_flare or Decision.STEP_BACK in ctx.verdict.decisions:
        return "this morning's check-in is a flare (or the plan stepped back today)"
    if state.flare_target is not None:
        return "the plan is lighter after a flare and climbs back once the back settles"
    if Decision.ADVANCE in ctx.verdict.decisions:
        return "the plan moved on today already; one step at a time"
    return None


def _clinician_advance(ctx: Ctx, d: Directive) -> None:
    """The next phase now, its week within the weekly cap; refused otherwise."""
    protocol, state = ctx.protocol, ctx.state
    why = _advance_refusal(ctx)
    if why is not None:
        _refuse(ctx, d, why)
        return
    before = (state.phase, state.minutes, state.phase_start, state.anchor)
    stage_start = state.stage_start
    _growing(ctx)
    _move_to_phase(ctx, state.phase + 1)
    nxt = protocol.phase(state.phase)
    # within the weekly cap of the week before this period's first step up
    capped = recovery.week_capped(protocol, state.week_base, nxt, state.minutes)
    state.minutes = min(state.minutes, capped)
    if not _daily_fits(ctx, nxt, state.minutes):
        state.phase, state.minutes, state.phase_start, state.anchor = before
        state.stage_start = stage_start
        _refuse(
            ctx,
            d,
            "in the week after a step back the minutes a day may not rise above "
            "those before it",
        )
        return
    state.reassessing = state.reassess_waived = False
    state.top_reviews, state.hold = 0, None
    cap = protocol.progression.max_weekly_growth
    then = (
        f"{nxt.name} begins: {count(nxt.sessions_per_day, 'walk')} of {state.minutes} "
        f"minutes, {nxt.days_per_week} days a week (the week's total grows by at most "
        f"{cap:.0%})."
    )
    ctx.verdict.add(
        Decision.ADVANCE,
        _directive_reason(ctx, d, f"moved the plan on to {nxt.name} early", then),
    )


def _threshold(ctx: Ctx, d: Directive) -> None:
    """From today, the engine uses the clinician's value (within the bounds the
    protocol declares); back to the protocol's own value when set to it."""
    base = ctx.rules.protocol
    rule = base.clinician_rules.threshold(d.threshold)
    value = d.value
    if rule is None or value is None or not rule.low <= value <= rule.high:
        _refuse(ctx, d, f"{d.threshold} is not adjustable to {value} in this program")
        return
    adjusted = dict(ctx.state.adjusted)
    adjusted[d.threshold] = (value, d)
    if getattr(base.tolerance, rule.name) == value:
        del adjusted[d.threshold]
    tol = base.tolerance
    try:
        for path, (v, _) in adjusted.items():
            tol = adjusted_tolerance(tol, path.removeprefix("tolerance."), v)
    except ValueError as exc:  # pydantic's ValidationError is one
        _refuse(ctx, d, f"the thresholds together are not valid ({exc})")
        return
    ctx.state.adjusted = adjusted
    ctx.protocol = base.model_copy(update={"tolerance": tol}) if adjusted else base


def _describe_thresholds(ctx: Ctx) -> None:
    base = ctx.rules.protocol
    for path, (value, d) in ctx.state.adjusted.items():
        rule = base.clinician_rules.threshold(path)
        if rule is None:
            continue
        own = getattr(base.tolerance, rule.name)
        text = (
            f"{rule.label}: {value:g} for you (the program's own is {own:g}; a "
            f"clinician may set {rule.low:g}-{rule.high:g}), set on "
            f"{day_in_words(d.date, ctx.day)}. {_clinician(d, 'adjusted it')}"
        )
        ctx.verdict.note(
            Reason(rule="clinician.thresholds", source=rule.source, text=text)
        )
