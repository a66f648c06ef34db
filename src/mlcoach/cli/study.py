"""`mlcoach profile`, `mlcoach assess` and `mlcoach plan`: steps 1 and 2 of the method in the terminal."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from mlcoach.cli.common import BankOption, JsonOption, console, esc, fail, open_coach, print_json, read_answer

# profile ------------------------------------------------------------------------------------------

def profile(
    role: Annotated[Optional[str], typer.Option(help="Target role: mle, ds or mlswe.")] = None,
    level: Annotated[Optional[str], typer.Option(help="junior, mid, senior or staff.")] = None,
    interview_date: Annotated[Optional[str], typer.Option("--date", help="Interview date, YYYY-MM-DD ('none' to clear).")] = None,
    hours: Annotated[Optional[float], typer.Option(help="Study hours per week.")] = None,
    retention: Annotated[Optional[float], typer.Option(help="Desired retention for spaced repetition (0.70-0.99).")] = None,
    weight: Annotated[Optional[list[str]], typer.Option(help="Override an area's weight, AREA=W (repeatable; W=default resets).")] = None,
    as_json: JsonOption = False,
) -> None:
    """Show or set what you are preparing for: role, level, interview date, weekly hours."""
    from dataclasses import replace

    from mlcoach.core.items import AREA_TITLES
    from mlcoach.study import profile as profiles

    coach = open_coach(quiet=True)
    user = coach.local_user()
    current = coach.profiles.get(user)
    changes: dict[str, Any] = {}
    if role is not None:
        changes["role"] = role
    if level is not None:
        changes["level"] = level
    if interview_date is not None:
        if interview_date.lower() == "none":
            changes["interview_date"] = None
        else:
            try:
                changes["interview_date"] = date.fromisoformat(interview_date)
            except ValueError:
                raise fail(f"--date {interview_date!r} is not YYYY-MM-DD") from None
    if hours is not None:
        changes["hours_per_week"] = hours
    if retention is not None:
        changes["desired_retention"] = retention
    try:
        if weight:
            overrides = dict(current.weights)
            for pair in weight:
                if pair.endswith("=default"):
                    overrides.pop(pair.split("=")[0].strip(), None)
                else:
                    overrides.update(profiles.parse_weights([pair]))
            changes["weights"] = overrides
        if changes:
            current = coach.profiles.save(user, replace(current, **changes))
    except profiles.ProfileError as error:
        raise fail(str(error)) from None
    if as_json:
        print_json(current.to_json())
        return
    console.print(f"Role [bold]{current.role}[/], level [bold]{current.level}[/], "
                  f"interview {current.interview_date or '[dim]not set[/]'}, {current.hours_per_week:g} h/week, "
                  f"retention {current.desired_retention:.2f}")
    weights = current.area_weights()
    console.print("Area weights: " + ", ".join(
        f"{AREA_TITLES[a]} {w:.2f}{'*' if a in current.weights else ''}" for a, w in weights.items()))


# assess -------------------------------------------------------------------------------------------

assess_app = typer.Typer(help="The diagnostic: about 20 minutes of checks across the six areas.", invoke_without_command=True)


@assess_app.callback()
def assess(ctx: typer.Context, bank: BankOption = None) -> None:
    """Take the diagnostic (or resume the unfinished one): rate yourself, then answer each check."""
    if ctx.invoked_subcommand is not None:
        return
    from mlcoach.core.items import AREA_TITLES, AREAS
    from mlcoach.study.assess import AssessError

    coach = open_coach(bank)
    the_bank, user, svc = coach.bank, coach.local_user(), coach.assess
    console.print("[bold]Self-rating[/]: how ready do you feel in each area? 1 (not at all) to 5 (ready).")
    ratings: dict[str, int] = {}
    for area in AREAS:
        value = typer.prompt(f"  {AREA_TITLES[area]}", default="3")
        try:
            ratings[area] = max(1, min(5, int(value)))
        except ValueError:
            ratings[area] = 3
    try:
        state = svc.start(user, ratings)
        for check in state.checks:
            if check.score is not None:
                continue
            item = the_bank.get(check.item_id)
            if item is None:
                continue
            console.rule(f"[{check.position + 1}/{len(state.checks)}] {AREA_TITLES[check.area]}")
            if check.kind == "quiz" and item.quiz is not None:
                console.print(item.quiz.question, highlight=False)
                for n, option in enumerate(item.quiz.options, 1):
                    console.print(f"  {n}. {esc(option)}", highlight=False)
                choice = _ask_int("Your choice (1-4)", 1, len(item.quiz.options))
                svc.answer(user, state.id, check.position, {"choice": choice})
                verdict = "[green]right[/]" if choice == item.quiz.correct else f"[red]wrong[/]: it is {item.quiz.correct}"
                console.print(f"{verdict}. {esc(item.quiz.explanation)}", highlight=False)
            else:
                console.print(item.question, highlight=False)
                console.print("[dim]Think it through and press Enter to see the key points, or type a short answer "
                              "to be graded (end it with a line holding only '.').[/]")
                typed = read_answer()
                if typed.strip():
                    saved = svc.answer(user, state.id, check.position, {"typed": typed})
                    console.print(f"Graded: {round((saved.score or 0) * 100)}/100 on the key points.")
                    continue
                for n, point in enumerate(item.key_points, 1):
                    console.print(f"  {n}. {esc(point)}", highlight=False)
                raw = typer.prompt("Which did you recall? (numbers, e.g. 1 3; Enter for none)", default="", show_default=False)
                recalled = [int(x) - 1 for x in raw.replace(",", " ").split() if x.isdigit() and 1 <= int(x) <= len(item.key_points)]
                svc.answer(user, state.id, check.position, {"recalled": recalled})
        svc.finish(user, state.id)
    except AssessError as error:
        raise fail(str(error)) from None
    _print_summary(svc.summary(user))


def _ask_int(prompt: str, low: int, high: int) -> int:
    while True:
        raw = typer.prompt(prompt)
        if raw.strip().isdigit() and low <= int(raw) <= high:
            return int(raw)
        console.print(f"[yellow]enter a number from {low} to {high}[/]")


@assess_app.command("result")
def assess_result(as_json: JsonOption = False) -> None:
    """Readiness per area and topic from the latest diagnostic, the focus list, and the change since the last one."""
    coach = open_coach(quiet=True)
    summary = coach.assess.summary(coach.local_user())
    if as_json:
        print_json(summary)
        return
    if summary is None:
        raise fail("no diagnostic yet: run `mlcoach assess`", code=1)
    _print_summary(summary)


def _print_summary(summary: dict[str, Any] | None) -> None:
    from rich.table import Table

    from mlcoach.core.items import AREA_TITLES

    if summary is None:
        return
    table = Table(title=f"Readiness ({summary['checks']} checks)")
    for column in ("Area", "Readiness", "80% range", "Sure", "Change"):
        table.add_column(column)
    change = summary.get("change") or {}
    for area, r in summary["areas"].items():
        bar = "█" * round(r["score"] / 10)
        delta = change.get(area)
        table.add_row(AREA_TITLES[area], f"{bar} {r['score']:.0f}", f"{r['low']:.0f}-{r['high']:.0f}", r["sureness"],
                      "" if delta is None else f"{delta:+.0f}")
    console.print(table)
    console.print("[bold]Focus[/] (weight × gap):")
    for n, f in enumerate(summary["focus"], 1):
        where = AREA_TITLES[f["area"]] + (f" › {f.get('topic_title') or f['topic']}" if f["topic"] else "")
        console.print(f"  {n}. {esc(where)}: readiness {f['readiness']:.0f}, weight {f['weight']:.2f}", highlight=False)


# plan ---------------------------------------------------------------------------------------------

def plan(
    make: Annotated[bool, typer.Option("--make", help="Make the plan, or make it again from today (keeps what is done).")] = False,
    ics: Annotated[Optional[Path], typer.Option("--ics", help="Write the plan as an iCalendar file.")] = None,
    days: Annotated[int, typer.Option(help="How many days to show.", min=1, max=366)] = 14,
    bank: BankOption = None,
    as_json: JsonOption = False,
) -> None:
    """Your day-by-day study plan until the interview: new items, reviews, weekly mocks, final review."""
    from mlcoach.core.clock import system_clock
    from mlcoach.core.items import AREA_TITLES
    from mlcoach.study.plan import PlanError, local_day

    coach = open_coach(bank)
    the_bank, user, svc = coach.bank, coach.local_user(), coach.plans
    try:
        current = svc.make(user) if make else svc.get(user)
        if current is None:
            raise fail("no plan yet: set your profile (`mlcoach profile --date ...`), take `mlcoach assess`, then `mlcoach plan --make`", code=1)
        if ics is not None:
            try:
                ics.write_bytes(svc.ics(user))
            except OSError as error:
                raise fail(f"cannot write {ics}: {error}") from None
    except PlanError as error:
        raise fail(str(error)) from None
    if as_json:
        print_json(current.to_json())
        return
    stale = svc.needs_replan(user)
    if stale:
        console.print(f"[yellow]The plan is out of date ({stale}): run `mlcoach plan --make` to re-plan from today.[/]")
    today = local_day(system_clock())
    console.print(f"Plan to the interview on [bold]{current.interview_date}[/], {current.hours_per_week:g} h/week.")
    shown = [p for p in current.days if p.day.day >= today][:days]
    for progress in shown:
        day = progress.day
        head = f"[bold]{day.day:%a %d %b}[/] {day.minutes} min"
        if day.final_review:
            head += " · final review"
        if day.mock:
            head += f" · mock: {day.mock}" + (" ✓" if progress.mock_done else "")
        console.print(head + f" · reviews ~{day.review_minutes} min")
        for item_id in day.new:
            item = the_bank.get(item_id)
            if item is not None:
                mark = "✓" if item_id in progress.done else "·"
                console.print(f"   {mark} [dim]{AREA_TITLES[item.area]}[/] {esc(item.question)}", highlight=False)
    if ics is not None:
        console.print(f"Wrote {esc(ics)}")
