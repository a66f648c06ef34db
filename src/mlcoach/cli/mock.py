"""`mlcoach mock`: a timed mock round in the terminal, with autosaved drafts and feedback;
`mlcoach mock packet`: the round printed for a peer or mentor who runs it offline."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from mlcoach.cli.common import BankOption, JsonOption, console, esc, fail, open_coach, print_json

# A group whose callback still runs a round when no subcommand is given: `mlcoach mock --round ...`.
app = typer.Typer()

RoundOption = Annotated[str, typer.Option("--round", help="ml-theory, system-design, behavioral, product-design, case-study or cross-team.")]
RoleOption = Annotated[Optional[str], typer.Option(help="mle, ds or mlswe.")]
LevelOption = Annotated[str, typer.Option(help="junior, mid, senior or staff.")]


def _service(bank_dir: Any) -> tuple[Any, int]:
    coach = open_coach(bank_dir)
    return coach.mock, coach.local_user()


def _left(started: datetime | None, minutes: float) -> str:
    if started is None:
        return ""
    left = minutes * 60 - (datetime.now(UTC) - started).total_seconds()
    sign = "-" if left < 0 else ""
    left = abs(left)
    return f"{sign}{int(left // 60):02d}:{int(left % 60):02d}"


def _read(prompt_left: Any, save: Any) -> str:
    """Lines until a lone '.' or end of input; every line is saved as a draft."""
    lines: list[str] = []
    while True:
        if sys.stdin.isatty():
            console.print(f"[dim]\\[{prompt_left()} left][/] ", end="")
        line = sys.stdin.readline()
        if not line or line.strip() == ".":
            break
        lines.append(line.rstrip("\n"))
        save("\n".join(lines))
    return "\n".join(lines)


@app.callback(invoke_without_command=True)
def mock(
    ctx: typer.Context,
    round_type: RoundOption = "ml-theory",
    role: RoleOption = None,
    level: LevelOption = "mid",
    resume: Annotated[Optional[int], typer.Option(help="Continue an unfinished round by its number.")] = None,
    bank: BankOption = None,
    as_json: JsonOption = False,
) -> None:
    """A timed mock round in the terminal: type each answer, end it with a line holding only '.'.
    `mlcoach mock packet` prints a round for a peer or mentor instead."""
    if ctx.invoked_subcommand is not None:
        return
    from mlcoach.mock.service import MockError

    svc, user = _service(bank)
    try:
        session_id = resume if resume is not None else svc.start(user, round_type, "solo", role, level)
        state = svc.state(session_id, user_id=user)
    except MockError as error:
        raise fail(str(error)) from None
    except LookupError as error:
        raise fail(str(error), code=1) from None
    if not as_json:
        console.print(f"[bold]{esc(state.title)}[/] · round {state.id} · {state.total} question(s). End each answer with a line holding only '.'", highlight=False)
    while state.status == "active" and state.current is not None:
        q = state.current
        if not q.submitted:
            if not as_json:
                console.rule(f"Question {state.position + 1} of {state.total} · {q.planned_minutes:.0f} min")
                console.print(q.item.question, highlight=False)
                if q.phases:
                    console.print("[dim]Phases: " + esc(" → ".join(f"{t} ({m}m)" for t, m in q.phases)) + "[/]")
                if q.draft:
                    console.print(f"[dim]Restored draft:[/]\n{esc(q.draft)}", highlight=False)
            # The callbacks run while this question is on screen, so binding the loop variables is intended.
            text = _read(lambda: _left(q.started_at, q.planned_minutes),  # noqa: B023
                         lambda draft: svc.autosave(session_id, state.position, (q.draft + "\n" if q.draft else "") + draft, user_id=user))  # noqa: B023
            text = (q.draft + "\n" + text).strip() if q.draft else text
            feedback, follow_up, notices = svc.submit(session_id, state.position, text, user_id=user)
            if as_json:
                print_json({**feedback.to_json(), "follow_up": follow_up, "notices": notices})
            else:
                _show(feedback, notices)
            if follow_up:
                if not as_json:
                    console.print(f"\n[bold]Follow-up:[/] {esc(follow_up)}", highlight=False)
                reply = _read(lambda: "--:--", lambda draft: None)
                if reply.strip():
                    svc.answer_follow_up(session_id, state.position, reply, user_id=user)
        state = svc.advance(session_id, user_id=user)
    card, _ = svc.result(session_id, user_id=user)
    if as_json:
        print_json({"session": session_id, "average": card.average, "minutes_used": card.minutes_used,
                    "questions": [{"item_id": c.item_id, "score": c.score, "missed": list(c.missed)} for c in card.questions]})
        return
    console.rule("Scorecard")
    for c in card.questions:
        console.print(f"{c.item_id}: {c.score if c.score is not None else '—'}", highlight=False)
    if card.average is not None:
        console.print(f"[bold]Average {card.average:.0f}/100[/], {card.minutes_used} of {card.minutes_planned:.0f} min", highlight=False)


def _show(feedback: Any, notices: list[str]) -> None:
    console.print(f"\n[bold]Score {feedback.score:.0f}/100[/]", highlight=False)
    for notice in notices:
        console.print(f"[yellow]{esc(notice)}[/]", highlight=False)
    for point in feedback.key_points:
        mark = {"covered": "[green]✓[/]", "partial": "[yellow]~[/]", "missed": "[red]✗[/]"}[point.status]
        console.print(f"  {mark} {esc(point.text)}", highlight=False)
    for note in feedback.notes:
        console.print(f"  [dim]{esc(note)}[/]", highlight=False)


@app.command()
def packet(
    round_type: RoundOption = "ml-theory",
    role: RoleOption = None,
    level: LevelOption = "mid",
    out: Annotated[Optional[Path], typer.Option("--out", help="The PDF to write (default: packet-ROUND.pdf).", show_default=False)] = None,
    seed: Annotated[Optional[int], typer.Option(help="Plan the same questions again with the same seed (default: a new plan).", show_default=False)] = None,
    bank: BankOption = None,
) -> None:
    """A PDF for a peer or mentor who runs the round offline: questions, what to listen for, follow-ups, time budget, scorecard."""
    import time

    from mlcoach.cli.guides import clean_bank, output_file, writable_dir, write
    from mlcoach.publish.compiler import PublishError
    from mlcoach.publish.packet import build_packet

    target = out or Path(f"packet-{round_type}.pdf")
    output_file(target, "packet.pdf")
    loaded = clean_bank(bank)  # a printed packet should not carry broken content
    plan_seed = seed if seed is not None else int(time.time())
    try:
        pdf = build_packet(loaded, round_type, role, level, seed=plan_seed)
    except ValueError as error:
        raise fail(str(error), code=1) from None
    except PublishError as error:
        raise fail(str(error), code=1) from None
    writable_dir(target.parent)
    write(target, pdf.data)
    console.print(f"wrote {target}: {pdf.pages} pages (plan seed {plan_seed})", highlight=False, markup=False, soft_wrap=True)
