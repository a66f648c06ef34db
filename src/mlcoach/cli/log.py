"""`mlcoach log ...` and `mlcoach gaps`: record real interviews and see what the bank does not cover."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from mlcoach.cli.common import (
    MAX_ROW_ID,
    BankOption,
    JsonOption,
    console,
    err,
    esc,
    fail,
    open_coach,
    parse_row_ref,
    print_json,
    read_mapping,
)

if TYPE_CHECKING:
    from mlcoach.core.reflect import LogInput
    from mlcoach.reflect.service import ReflectService

app = typer.Typer(help="Log the questions of real interviews and match them to the bank.", no_args_is_help=True)

FILE_KEYS = {"company", "role", "round", "date", "questions", "outcome", "rating", "went_well", "went_badly"}


def service(bank_dir: Path | None) -> tuple["ReflectService", int]:
    coach = open_coach(bank_dir)
    return coach.reflect, coach.local_user()


def read_file(path: Path) -> "LogInput":
    """A log from a YAML or JSON file (keys: company, role, round, date, questions, outcome, rating, went_well, went_badly)."""
    from mlcoach.core.reflect import LogInput

    data = read_mapping(path, FILE_KEYS)
    questions = data.get("questions") or []
    if isinstance(questions, str):
        questions = questions.splitlines()
    if not isinstance(questions, list):
        raise fail(f"{path}: `questions` must be a list of strings")
    when = data.get("date", date.today())
    if isinstance(when, str):
        try:
            when = date.fromisoformat(when)
        except ValueError:
            raise fail(f"{path}: date {when!r} is not YYYY-MM-DD") from None
    if not isinstance(when, date):
        raise fail(f"{path}: date must be written YYYY-MM-DD, not {when!r}")
    rating = data.get("rating")
    if rating is not None and (not isinstance(rating, int) or isinstance(rating, bool)):
        raise fail(f"{path}: rating must be a whole number from 1 to 5")
    return LogInput(
        company=str(data.get("company") or ""), role=str(data.get("role") or ""), round_type=str(data.get("round") or "other"),
        interview_date=when, questions=tuple(str(q) for q in questions),
        outcome=None if data.get("outcome") is None else str(data.get("outcome")),
        self_rating=rating, went_well=str(data.get("went_well") or ""), went_badly=str(data.get("went_badly") or ""),
    )


def ask() -> "LogInput":
    from mlcoach.core.reflect import OUTCOMES, ROUND_TYPES, LogInput

    company = typer.prompt("Company")
    role = typer.prompt("Role", default="ML engineer")
    round_type = typer.prompt(f"Round type ({', '.join(ROUND_TYPES)})", default="ml-theory")
    when = typer.prompt("Date (YYYY-MM-DD)", default=date.today().isoformat())
    try:
        day = date.fromisoformat(when)
    except ValueError:
        raise fail(f"date {when!r} is not YYYY-MM-DD") from None
    console.print("Questions you were asked, one per line; an empty line ends the list.")
    questions: list[str] = []
    while True:
        line = typer.prompt(f"  {len(questions) + 1}", default="", show_default=False)
        if not line.strip():
            break
        questions.append(line)
    outcome = typer.prompt(f"Outcome ({', '.join(OUTCOMES)})", default="pending")
    rating = typer.prompt("How did it go, 1-5", default=3, type=int)
    well = typer.prompt("What went well", default="", show_default=False)
    badly = typer.prompt("What went badly", default="", show_default=False)
    return LogInput(company, role, round_type, day, tuple(questions), outcome, rating, well, badly)


def _save(svc: "ReflectService", user: int, entry: "LogInput", log_id: int | None = None) -> int:
    from mlcoach.core.errors import NotFound
    from mlcoach.core.reflect import LogInputError
    from mlcoach.search.embedding import EmbeddingError

    try:
        return svc.save(user, entry, log_id)
    except LogInputError as error:
        raise fail(str(error)) from None
    except NotFound as error:
        raise fail(str(error), code=1) from None
    except EmbeddingError as error:
        raise fail(f"cannot match questions: {error}") from None


@app.command()
def add(
    file: Annotated[Optional[Path], typer.Option("--file", help="Read the log from a YAML/JSON file instead of asking.")] = None,
    bank: BankOption = None,
) -> None:
    """Log a real interview; every question is matched to the bank on save."""
    svc, user = service(bank)
    entry = read_file(file) if file else ask()
    log_id = _save(svc, user, entry)
    _print_log(svc, user, log_id)


@app.command()
def edit(
    log_id: Annotated[int, typer.Argument(metavar="LOG", help="The log number.", min=1, max=MAX_ROW_ID)],
    file: Annotated[Path, typer.Option("--file", help="The whole log, as for `log add --file`.")],
    bank: BankOption = None,
) -> None:
    """Replace a log's details and questions; corrected matches of unchanged questions are kept."""
    svc, user = service(bank)
    _save(svc, user, read_file(file), log_id)
    _print_log(svc, user, log_id)


@app.command("list")
def list_logs(bank: BankOption = None, as_json: JsonOption = False) -> None:
    """All logged interviews, newest first."""
    svc, user = service(bank)
    rows = svc.logs(user)
    if as_json:
        print_json([{"id": log.id, "company": log.company, "role": log.role, "round": log.round_type,
                     "date": log.interview_date.isoformat(), "outcome": log.outcome, "rating": log.self_rating,
                     "questions": n, "gaps": gaps} for log, n, gaps in rows])
        return
    from rich.table import Table

    table = Table("log", "date", "company", "role", "round", "questions", "gaps", "outcome", title=f"{len(rows)} interviews")
    for log, n, gaps in rows:
        table.add_row(str(log.id), log.interview_date.isoformat(), esc(log.company), esc(log.role), log.round_type, str(n), str(gaps), esc(log.outcome or ""))
    console.print(table)


@app.command()
def show(log_id: Annotated[int, typer.Argument(metavar="LOG", min=1, max=MAX_ROW_ID)], bank: BankOption = None, as_json: JsonOption = False) -> None:
    """One interview: each question, the item that covers it and how well you know it, or that it is a gap."""
    svc, user = service(bank)
    _print_log(svc, user, log_id, as_json)


@app.command()
def correct(
    ref: Annotated[str, typer.Argument(metavar="LOG:N", help="Question N of log LOG, e.g. 3:2.")],
    item: Annotated[Optional[str], typer.Option("--item", help="The bank item that covers it.")] = None,
    gap: Annotated[bool, typer.Option("--gap", help="Mark it as a gap instead.")] = False,
    bank: BankOption = None,
) -> None:
    """Fix a match by hand; the correction sticks when the log is edited."""
    from mlcoach.core.errors import NotFound

    if bool(item) == gap:
        raise fail("give exactly one of --item ID or --gap")
    log_id, position = parse_ref(ref)
    svc, user = service(bank)
    try:
        svc.correct(user, log_id, position, item)
    except NotFound as error:
        raise fail(str(error), code=1) from None
    console.print(f"question {position} of log {log_id}: " + (f"covered by {item}" if item else "a gap"), highlight=False)


@app.command()
def delete(log_id: Annotated[int, typer.Argument(metavar="LOG", min=1, max=MAX_ROW_ID)], bank: BankOption = None,
           yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False) -> None:
    """Delete a log and its questions."""
    from mlcoach.core.errors import NotFound

    svc, user = service(bank)
    if not yes and not typer.confirm(f"Delete interview log {log_id}?"):
        raise typer.Exit(1)
    try:
        svc.delete(user, log_id)
    except NotFound as error:
        raise fail(str(error), code=1) from None
    console.print(f"deleted log {log_id}")


def gaps(
    bank: BankOption = None,
    as_json: JsonOption = False,
    export: Annotated[Optional[Path], typer.Option("--export", help="Also write the gaps to this text file.")] = None,
) -> None:
    """Every logged question the bank does not cover."""
    from mlcoach.core.reflect import gap_lines

    svc, user = service(bank)
    found = svc.gaps(user)
    if export:
        export.write_text("\n".join(gap_lines(found)) + ("\n" if found else ""), encoding="utf-8")
        err.print(f"wrote {len(found)} gap(s) to {esc(export)}")
    if as_json:
        print_json([{"log": q.log_id, "position": q.position, "ref": f"{q.log_id}:{q.position}", "question": q.text,
                     "area": q.area, "company": q.company, "date": q.interview_date.isoformat(), "corrected": q.corrected}
                    for q in found])
        return
    from rich.table import Table

    table = Table("ref", "question", "area", "asked", title=f"{len(found)} gaps")
    for q in found:
        table.add_row(f"{q.log_id}:{q.position}", esc(q.text), q.area or "other", esc(f"{q.company}, {q.interview_date}"))
    console.print(table)
    if found:
        console.print("[dim]Turn one into a draft item: mlcoach bank new --from-gap LOG:N[/]")


def parse_ref(ref: str) -> tuple[int, int]:
    parsed = parse_row_ref(ref)
    if parsed is None:
        raise fail(f"{ref!r} is not LOG:N (e.g. 3:2 for the second question of log 3)")
    return parsed


def _print_log(svc: "ReflectService", user: int, log_id: int, as_json: bool = False) -> None:
    from mlcoach.core.errors import NotFound

    try:
        log, views = svc.log(user, log_id)
    except NotFound as error:
        raise fail(str(error), code=1) from None
    if as_json:
        print_json({
            "id": log.id, "company": log.company, "role": log.role, "round": log.round_type,
            "date": log.interview_date.isoformat(), "outcome": log.outcome, "rating": log.self_rating,
            "went_well": log.went_well, "went_badly": log.went_badly,
            "questions": [{"position": v.position, "question": v.text, "status": v.status,
                           "item_id": v.item.id if v.item else None, "area": v.area, "corrected": v.corrected,
                           "last_score": v.last_score, "attempts": v.attempts,
                           "candidates": [{"item_id": i.id, "score": round(s, 4)} for i, s in v.candidates]} for v in views],
        })
        return
    from rich.table import Table

    table = Table("#", "question", "verdict", "item", "your mastery",
                  title=esc(f"log {log.id}: {log.company}, {log.role}, {log.round_type}, {log.interview_date}"))
    for v in views:
        verdict = "[green]covered[/]" if v.status == "covered" else "[yellow]gap[/]"
        if v.corrected:
            verdict += " (corrected)"
        mastery = "not practised" if v.attempts == 0 else f"{v.attempts} attempt(s), last {v.last_score:.0f}" if v.last_score is not None else f"{v.attempts} attempt(s)"
        table.add_row(str(v.position), esc(v.text), verdict, v.item.id if v.item else "", mastery if v.item else "")
    console.print(table)
