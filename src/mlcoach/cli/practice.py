"""`mlcoach practice`: today's queue in the terminal, keyboard-driven, scheduled with FSRS."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from mlcoach.cli.common import BankOption, JsonOption, console, esc, fail, open_coach, parse_row_ref, print_json, read_answer

if TYPE_CHECKING:
    from mlcoach.study.practice import PracticeService

app = typer.Typer(help="Active recall with spaced repetition: today's queue, flags, the review log.",
                  invoke_without_command=True)

RATING_HELP = "1 again · 2 hard · 3 good · 4 easy"


def service(bank_dir: Path | None) -> tuple["PracticeService", int]:
    coach = open_coach(bank_dir)
    return coach.practice, coach.local_user()


@app.callback()
def practice(ctx: typer.Context, limit: Annotated[int, typer.Option(help="Stop after this many cards.", min=1, max=10_000)] = 50,
             bank: BankOption = None) -> None:
    """Practise today's queue: answer (typed, or think it through), reveal, rate; notes and flags as you go."""
    if ctx.invoked_subcommand is not None:
        return
    from rich.markdown import Markdown

    from mlcoach.core.items import AREA_TITLES, DIFFICULTIES
    from mlcoach.core.practice import RATINGS, parse_rating
    from mlcoach.study.practice import PracticeError

    coach = open_coach(bank)
    svc, user, notes, stories = coach.practice, coach.local_user(), coach.notes, coach.stories
    queue = svc.queue(user)
    if not queue.entries:
        console.print("Nothing due today. Add items with `mlcoach practice add ID`, or make a plan with `mlcoach plan --make`.")
        return
    console.print(f"Today: {queue.reviews_due} review(s) due, {queue.new_today} new. Type an answer and end it with a "
                  "line holding only '.', or press Enter to think it through and reveal.")
    done = 0
    for n, entry in enumerate(queue.entries[:limit], 1):
        item = svc.item(user, entry.item_id)
        if item is None:
            continue
        console.rule(f"[{n}/{min(limit, len(queue.entries))}] {entry.kind} · {AREA_TITLES[item.area]} · {item.topic} · "
                     f"{DIFFICULTIES.get(item.difficulty, '')}")
        console.print(f"[bold]{esc(item.question)}[/]", highlight=False)
        note = notes.get(user, item.id)
        if note:
            console.print("[dim]Your note:[/]")
            console.print(Markdown(note.body))
        for story in stories.for_item(user, item):
            console.print(f"[dim]A story of yours that fits:[/] {esc(story.title)}", highlight=False)
        started = time.monotonic()
        answer = read_answer()
        seconds = time.monotonic() - started
        console.print("[bold]Model answer[/]")
        console.print(Markdown(item.answer or "(no model answer yet: your note is the answer)"))
        recalled = None
        if not answer.strip() and item.key_points:
            for k, point in enumerate(item.key_points, 1):
                console.print(f"  {k}. {esc(point)}", highlight=False)
            raw = typer.prompt("Key points you recalled (numbers; Enter for none)", default="", show_default=False)
            recalled = [int(x) - 1 for x in raw.replace(",", " ").split() if x.isdigit()]
        checked = svc.check(user, item.id, answer, recalled, seconds)
        if checked.feedback is not None:
            for result in checked.feedback.key_points:
                colour = {"covered": "green", "partial": "yellow"}.get(result.status, "red")
                console.print(f"  [{colour}]{result.status:8}[/] {esc(result.text)}", highlight=False)
            for line in checked.feedback.notes:
                console.print(f"  [dim]{esc(line)}[/]", highlight=False)
        proposal = checked.proposed
        if checked.score is not None and proposal is not None:
            console.print(f"Score {checked.score:.0f}: proposed [bold]{RATINGS[proposal]}[/].")
        hint = f"Enter = {RATINGS[proposal]}; " if proposal else ""
        while True:
            raw = typer.prompt(f"Rating ({RATING_HELP}; {hint}q = stop)", default="", show_default=False)
            if raw.strip().lower() == "q":
                console.print(f"Stopped after {done} card(s); the rest stay in the queue.")
                return
            if not raw.strip() and proposal is None:
                console.print("[yellow]nothing to propose from here: pick a rating[/]")
                continue
            try:
                rating = parse_rating(raw) if raw.strip() else proposal
                break
            except ValueError as error:
                console.print(f"[yellow]{esc(error)}[/]")
        assert rating is not None  # the loop above only breaks with a rating
        rated = svc.rate(user, item.id, rating, answer, checked.score, checked.feedback, seconds)
        done += 1
        console.print(f"Next review in {_interval(rated.interval_days)}.")
        while True:
            key = typer.prompt("n note · s star · r needs revision · Enter next · q quit", default="", show_default=False).strip().lower()
            if key == "n":
                body = typer.prompt("Note (Markdown; replaces the note)", default=note.body if note else "")
                notes.set(user, item.id, body)
            elif key in ("s", "r"):
                state = svc.card_state(user, item.id)
                try:
                    flags = svc.set_flags(user, item.id, starred=not state["starred"]) if key == "s" else \
                        svc.set_flags(user, item.id, needs_revision=not state["needs_revision"])
                except PracticeError as error:
                    raise fail(str(error)) from None
                console.print(f"starred: {flags['starred']}, needs revision: {flags['needs_revision']}")
            elif key == "q":
                console.print(f"Stopped after {done} card(s).")
                return
            else:
                break
    later = svc.queue(user)
    console.print(f"Done: {done} card(s) practised." + (f" {len(later)} card(s) are due again later today: run "
                  "`mlcoach practice` again." if later.entries else ""))


def _interval(days: float) -> str:
    if days < 1 / 24:
        return f"{max(1, round(days * 1440))} min"
    if days < 1:
        return f"{round(days * 24)} h"
    return f"{days:.0f} day(s)"


@app.command("queue")
def queue(bank: BankOption = None, as_json: JsonOption = False) -> None:
    """Today's queue: due reviews, then new items from the plan (and gaps you added)."""
    from mlcoach.core.items import AREA_TITLES

    svc, user = service(bank)
    q = svc.queue(user)
    if as_json:
        print_json({"reviews_due": q.reviews_due, "new": q.new_today, "new_done_today": q.new_done_today,
                    "reviews_done_today": q.reviews_done_today,
                    "entries": [{"item_id": e.item_id, "kind": e.kind, "due_at": e.due_at.isoformat() if e.due_at else None}
                                for e in q.entries]})
        return
    console.print(f"{q.reviews_due} review(s) due, {q.new_today} new; done today: {q.reviews_done_today} review(s).")
    for e in q.entries:
        item = svc.item(user, e.item_id)
        if item is not None:
            console.print(f"  {e.kind:6} [dim]{AREA_TITLES[item.area]}[/] {esc(item.question)}", highlight=False)


@app.command("add")
def add(target: Annotated[str, typer.Argument(help="An item id, or LOG:N for a gap from an interview log.")],
        bank: BankOption = None) -> None:
    """Put an item, or a gap from an interview log, on the practice queue."""
    from mlcoach.study.practice import PracticeError

    svc, user = service(bank)
    try:
        if ":" in target:
            parsed = parse_row_ref(target)
            if parsed is None:
                raise fail(f"{target!r}: a gap is LOG:N, e.g. 3:2 (see `mlcoach gaps`)")
            card = svc.queue_gap(user, *parsed)
            console.print(f"Queued the gap as {card}.")
        else:
            svc.queue_item(user, target)
            console.print(f"Queued {target}.")
    except PracticeError as error:
        raise fail(str(error), code=1) from None


@app.command("flag")
def flag(item_id: Annotated[Optional[str], typer.Argument(help="The item; without it, the flagged items are listed.")] = None,
         star: Annotated[Optional[bool], typer.Option("--star/--no-star", help="Star or unstar.")] = None,
         revision: Annotated[Optional[bool], typer.Option("--revision/--no-revision", help="Mark as needing revision.")] = None,
         bank: BankOption = None) -> None:
    """Star an item or mark it as needing revision (no options: show its flags; no item: list flagged items)."""
    from mlcoach.study.practice import PracticeError

    svc, user = service(bank)
    try:
        if item_id is None:
            for item_id_, starred, needs in svc.flagged(user):
                console.print(f"{item_id_}: {'★ ' if starred else ''}{'needs revision' if needs else ''}")
            return
        if star is None and revision is None:
            state = svc.card_state(user, item_id)
            console.print(f"{item_id}: starred {state['starred']}, needs revision {state['needs_revision']}")
            return
        flags = svc.set_flags(user, item_id, star, revision)
    except PracticeError as error:
        raise fail(str(error), code=1) from None
    console.print(f"{item_id}: starred {flags['starred']}, needs revision {flags['needs_revision']}")


@app.command("reviews")
def reviews(out: Annotated[Optional[Path], typer.Option(help="Write them to this JSON-lines file.")] = None,
            optimize: Annotated[bool, typer.Option("--optimize", help="Fit your own FSRS parameters (needs the optimizer extra).")] = False,
            bank: BankOption = None) -> None:
    """Your review log, in the shape the FSRS optimiser reads; `--optimize` fits your parameters."""
    import json

    svc, user = service(bank)
    logs = svc.review_logs(user)
    if out is not None:
        try:
            out.write_text("".join(json.dumps(r) + "\n" for r in logs), encoding="utf-8")
        except OSError as error:
            raise fail(f"cannot write {out}: {error}") from None
        console.print(f"Wrote {len(logs)} review(s) to {esc(out)}")
    if optimize:
        _optimize(open_coach(bank, quiet=True).profiles, user, logs)
    elif out is None:
        for r in logs:
            print_json(r)


def _optimize(profiles: Any, user: int, logs: list[dict[str, Any]]) -> None:
    from dataclasses import replace
    from datetime import datetime

    try:
        import torch  # noqa: F401  (the optimiser's own dependency)
        from fsrs import Optimizer, ReviewLog
    except ImportError:
        raise fail("the FSRS optimiser needs PyTorch: pip install 'mlcoach[optimizer]'", code=1) from None
    if len(logs) < 100:
        raise fail(f"{len(logs)} review(s) is too few to fit parameters; keep practising (100 or more)", code=1)
    parsed = [ReviewLog(card_id=r["card_id"], rating=r["rating"], review_datetime=datetime.fromisoformat(r["review_datetime"]),
                        review_duration=r["review_duration"]) for r in logs]
    from fsrs import Scheduler

    parameters = tuple(Optimizer(parsed).compute_optimal_parameters())
    if parameters == tuple(Scheduler().parameters):
        console.print(f"The optimiser kept the default parameters: {len(logs)} reviews are not enough to do better yet.")
        return
    current = profiles.get(user)
    profiles.save(user, replace(current, fsrs_parameters=parameters))
    console.print("Saved your FSRS parameters; scheduling uses them from now on.")
