"""`mlcoach notes` and `mlcoach stories`: your notes per item, and your STAR stories."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from mlcoach.cli.common import MAX_ROW_ID, BankOption, JsonOption, console, esc, fail, open_coach, print_json, read_mapping

notes_app = typer.Typer(help="Your Markdown notes per item: list, search, show, set.", invoke_without_command=True)
stories_app = typer.Typer(help="Your STAR stories for behavioral questions, mapped to competencies.", invoke_without_command=True)


def _notes(bank_dir: Path | None) -> tuple[Any, int]:
    coach = open_coach(bank_dir, quiet=True)
    return coach.notes, coach.local_user()


@notes_app.callback()
def notes(ctx: typer.Context, search: Annotated[str, typer.Option(help="Only notes containing this text.")] = "",
          bank: BankOption = None, as_json: JsonOption = False) -> None:
    """Your notes, newest first (`--search TEXT` to filter)."""
    if ctx.invoked_subcommand is not None:
        return
    svc, user = _notes(bank)
    found = svc.all(user, search)
    if as_json:
        print_json([{"item_id": n.item_id, "body": n.body, "updated_at": n.updated_at.isoformat()} for n in found])
        return
    for n in found:
        item = svc.bank.get(n.item_id)
        console.print(f"[bold]{esc(n.item_id)}[/] {esc(item.question if item else '')}", highlight=False)
        console.print(f"  {esc((n.body.strip().splitlines() or [''])[0][:120])}", highlight=False)
    if not found:
        console.print("No notes" + (f" containing {esc(repr(search))}." if search else " yet: add one with `mlcoach notes set ID TEXT`."))


@notes_app.command("show")
def show(item_id: str, bank: BankOption = None) -> None:
    """One item's note."""
    from rich.markdown import Markdown

    svc, user = _notes(bank)
    note = svc.get(user, item_id)
    if note is None:
        raise fail(f"no note for {item_id}", code=1)
    console.print(Markdown(note.body))


@notes_app.command("set")
def set_note(item_id: str, text: Annotated[Optional[str], typer.Argument(help="The note (Markdown).")] = None,
             file: Annotated[Optional[Path], typer.Option(help="Read the note from a file ('-' for stdin).")] = None,
             bank: BankOption = None) -> None:
    """Write an item's note (replaces it; an empty note deletes it)."""
    import sys

    from mlcoach.study.notes import NoteError

    svc, user = _notes(bank)
    if svc.bank.get(item_id) is None and not item_id.startswith("gap-"):
        raise fail(f"no item {item_id!r} in the bank", code=1)
    if file is not None:
        try:
            text = sys.stdin.read() if str(file) == "-" else file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise fail(f"cannot read {file}: {error}") from None
    if text is None:
        raise fail("give the note as an argument or with --file")
    try:
        saved = svc.set(user, item_id, text)
    except NoteError as error:
        raise fail(str(error)) from None
    console.print("Saved." if saved else "Deleted the note.")


# stories ------------------------------------------------------------------------------------------

STORY_KEYS = {"title", "situation", "task", "action", "result", "competencies"}


def _stories(bank_dir: Path | None) -> tuple[Any, int]:
    coach = open_coach(bank_dir, quiet=True)
    return coach.stories, coach.local_user()


def _read_story(path: Path) -> Any:
    from mlcoach.study.stories import StoryInput

    data = read_mapping(path, STORY_KEYS)
    competencies = data.get("competencies") or []
    if isinstance(competencies, str):
        competencies = [c.strip() for c in competencies.split(",") if c.strip()]
    if not isinstance(competencies, list):
        raise fail(f"{path}: competencies is a list of slugs (or one comma-separated line), not {competencies!r}")
    for key in ("title", "situation", "task", "action", "result"):
        value = data.get(key)
        if value is not None and not isinstance(value, (str, int, float)):
            raise fail(f"{path}: `{key}` must be text, not a {type(value).__name__}")
    parts = {k: str(data.get(k) or "") for k in ("situation", "task", "action", "result")}
    return StoryInput(str(data.get("title") or ""), **parts, competencies=tuple(str(c) for c in competencies))


def _ask_story(svc: Any) -> Any:
    from mlcoach.study.stories import StoryInput

    title = typer.prompt("Title")
    parts = {p: typer.prompt(p.capitalize(), default="", show_default=False) for p in ("situation", "task", "action", "result")}
    console.print("Competencies: " + esc(", ".join(svc.competencies)))
    raw = typer.prompt("Which does it show? (comma-separated slugs)", default="", show_default=False)
    return StoryInput(title, **parts, competencies=tuple(c.strip() for c in raw.split(",") if c.strip()))


@stories_app.callback()
def stories(ctx: typer.Context, bank: BankOption = None, as_json: JsonOption = False) -> None:
    """Your stories, and the competencies that have none yet."""
    if ctx.invoked_subcommand is not None:
        return
    svc, user = _stories(bank)
    coverage = svc.coverage(user)
    all_stories = svc.all(user)
    if as_json:
        print_json({"stories": [s.to_json() for s in all_stories],
                    "coverage": {c: [s.id for s in found] for c, found in coverage.items()},
                    "missing": [c for c, found in coverage.items() if not found]})
        return
    for s in all_stories:
        console.print(f"[bold]{s.id}[/] {esc(s.title)} [dim]({esc(', '.join(s.competencies) or 'no competency')})[/]", highlight=False)
    missing = [svc.competencies[c] for c, found in coverage.items() if not found]
    console.print(f"{len(all_stories)} stor{'y' if len(all_stories) == 1 else 'ies'}; "
                  + (f"no story yet for: {', '.join(missing)}" if missing else "every competency has a story"))


@stories_app.command("add")
def add_story(file: Annotated[Optional[Path], typer.Option(help="A YAML/JSON file with title, situation, task, action, result, competencies.")] = None,
              bank: BankOption = None) -> None:
    """Add a story (asks for each part, or reads a file)."""
    from mlcoach.study.stories import StoryError

    svc, user = _stories(bank)
    data = _read_story(file) if file else _ask_story(svc)
    try:
        story = svc.add(user, data)
    except StoryError as error:
        raise fail(f"{file}: {error}" if file else str(error)) from None
    console.print(f"Saved story {story.id}.")


@stories_app.command("edit")
def edit_story(story_id: Annotated[int, typer.Argument(min=1, max=MAX_ROW_ID)], file: Annotated[Path, typer.Option(help="The story as YAML/JSON (replaces it).")],
               bank: BankOption = None) -> None:
    """Replace a story with the contents of a file."""
    from mlcoach.study.stories import StoryError

    svc, user = _stories(bank)
    data = _read_story(file)
    try:
        svc.get(user, story_id)
    except StoryError as error:
        raise fail(str(error), code=1) from None
    try:
        svc.edit(user, story_id, data)
    except StoryError as error:
        raise fail(f"{file}: {error}") from None
    console.print(f"Saved story {story_id}.")


@stories_app.command("delete")
def delete_story(story_id: Annotated[int, typer.Argument(min=1, max=MAX_ROW_ID)], bank: BankOption = None) -> None:
    """Delete a story."""
    from mlcoach.study.stories import StoryError

    svc, user = _stories(bank)
    try:
        svc.delete(user, story_id)
    except StoryError as error:
        raise fail(str(error), code=1) from None
    console.print(f"Deleted story {story_id}.")
