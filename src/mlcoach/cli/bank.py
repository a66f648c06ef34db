"""`mlcoach bank ...`: lint, stats, list and show the content bank."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from mlcoach.cli.common import BankOption, JsonOption, console, err, esc, fail, open_bank, print_json

app = typer.Typer(help="Inspect and check the content bank.", no_args_is_help=True)


@app.command()
def lint(
    bank: BankOption = None,
    as_json: JsonOption = False,
    semantic: Annotated[bool, typer.Option(help="Also look for questions that mean the same (uses the embedding model).")] = True,
) -> None:
    """Check every file of the bank; print problems as `path:line: message` and exit 1 if any."""
    from mlcoach.bank import load_bank
    from mlcoach.bank.paths import bundled_bank
    from mlcoach.bank.problems import BankError

    try:
        loaded = load_bank(bank or bundled_bank())
    except BankError as error:
        raise fail(str(error)) from None
    problems = list(loaded.problems)
    if semantic:
        from mlcoach.search.duplicates import duplicate_problems
        from mlcoach.search.embedding import EmbeddingError

        root = bank or bundled_bank()
        shown: dict[str, str] = {item.id: _shown(root, item.path) for item in loaded.bank.items}
        try:
            lexical = {(p.path, p.line) for p in problems if "nearly duplicates" in p.message}
            found = [p for p in duplicate_problems(loaded.bank, shown) if (p.path, p.line) not in lexical]
            problems = sorted(set(problems) | set(found))
        except EmbeddingError as error:
            err.print(f"[yellow]warning:[/] semantic duplicates not checked: {esc(error)}", highlight=False)
    if as_json:
        print_json([{"path": p.path, "line": p.line, "message": p.message} for p in problems])
    else:
        for problem in problems:
            typer.echo(str(problem))
        items, guides = len(loaded.bank.items), len(loaded.bank.guides)
        summary = f"{items} items, {guides} guides: {len(problems)} problem(s)"
        err.print(("[red]" if problems else "[green]") + summary, highlight=False)
    raise typer.Exit(1 if problems else 0)


def _shown(root: object, relative: str) -> str:
    """A bank file's path as lint prints it: relative to the working directory when under it."""
    import os
    from pathlib import Path

    path = (Path(str(root)) / relative).resolve()
    shown = os.path.relpath(path)
    return path.as_posix() if shown.startswith("..") else Path(shown).as_posix()


@app.command()
def stats(bank: BankOption = None, as_json: JsonOption = False) -> None:
    """Count items by area, difficulty and role."""
    from mlcoach.core.catalog import stats as count

    numbers = count(open_bank(bank).items)
    if as_json:
        print_json(numbers)
        return
    from rich.table import Table

    table = Table("", "items", title=f"{numbers['items']} items")
    for group in ("by_area", "by_difficulty", "by_role"):
        for key, value in numbers[group].items():  # type: ignore[attr-defined]
            table.add_row(f"{group[3:]}: {key}", str(value))
    for key in ("with_answer", "with_key_points", "with_follow_ups"):
        table.add_row(key.replace("_", " "), str(numbers[key]))
    console.print(table)


@app.command("list")
def list_items(
    bank: BankOption = None,
    area: Annotated[Optional[str], typer.Option(help="Only this area.")] = None,
    topic: Annotated[Optional[str], typer.Option(help="Only this topic slug.")] = None,
    difficulty: Annotated[Optional[int], typer.Option(min=1, max=3, help="1 easy, 2 medium, 3 hard.")] = None,
    role: Annotated[Optional[str], typer.Option(help="mle, ds or mlswe.")] = None,
    as_json: JsonOption = False,
) -> None:
    """List items, optionally filtered."""
    from mlcoach.core.items import AREAS, DIFFICULTIES, ROLES, item_summary

    if area is not None and area not in AREAS:
        raise fail(f"unknown area `{area}`; areas are: {', '.join(AREAS)}")
    if role is not None and role not in ROLES:
        raise fail(f"unknown role `{role}`; roles are: {', '.join(ROLES)}")
    items = open_bank(bank).filter(area=area, topic=topic, difficulty=difficulty, role=role)
    if as_json:
        print_json([item_summary(item) for item in items])
        return
    from rich.table import Table

    table = Table("id", "area", "topic", "level", "roles", "question", title=f"{len(items)} items")
    for item in items:
        table.add_row(item.id, item.area, item.topic, DIFFICULTIES[item.difficulty], ",".join(item.roles), esc(item.question))
    console.print(table)


@app.command()
def show(
    item_id: Annotated[str, typer.Argument(metavar="ID", help="The item id.")],
    bank: BankOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show one item: question, key points, follow-ups and the model answer."""
    from mlcoach.core.items import DIFFICULTIES, item_detail

    item = open_bank(bank).get(item_id)
    if item is None:
        raise fail(f"no item with id `{item_id}` (try `mlcoach bank list`)", code=1)
    if as_json:
        print_json(item_detail(item))
        return
    from rich.markdown import Markdown
    from rich.panel import Panel
    from rich.text import Text

    console.print(Panel(Text(item.question), title=f"{item.id} · {item.area}/{item.topic} · {DIFFICULTIES[item.difficulty]}"))
    console.print("[bold]Key points[/]")
    for point in item.key_points:
        console.print(f"  • {esc(point)}", highlight=False)
    console.print("[bold]Follow-ups[/]")
    for question in item.follow_ups:
        console.print(f"  ? {esc(question)}", highlight=False)
    for section in item.sections:
        console.print(Markdown(f"## {section.title}\n\n{section.markdown}"))
    if not item.sections:
        err.print("[yellow]this item has no sections yet[/]")


@app.command()
def new(
    from_gap: Annotated[str, typer.Option("--from-gap", metavar="LOG:N", help="Question N of interview log LOG (see `mlcoach gaps`).")],
    bank: BankOption = None,
    area: Annotated[Optional[str], typer.Option(help="Area of the new item (default: where the gap was filed).")] = None,
    topic: Annotated[Optional[str], typer.Option(help="Topic slug (default: the closest item's topic in that area).")] = None,
) -> None:
    """Write a draft item for a gap into the bank; lint fails on its TODOs until someone writes it."""
    from pathlib import Path

    from mlcoach.bank.paths import bundled_bank
    from mlcoach.cli.log import parse_ref, service
    from mlcoach.core.errors import NotFound

    root = Path(bank) if bank else bundled_bank()
    if root.name == "_bank":
        raise fail("the bundled bank is part of the installed package; pass --bank DIR (e.g. your clone's content/)")
    log_id, position = parse_ref(from_gap)
    svc, user = service(bank)
    try:
        drafted = svc.draft_item(user, log_id, position, area, topic)
    except NotFound as error:
        raise fail(str(error), code=1) from None
    except ValueError as error:
        raise fail(str(error)) from None
    if drafted.matched_to:
        err.print(f"[yellow]note:[/] question {position} of log {log_id} is matched to {drafted.matched_to}; drafting it anyway")
    relative, text = drafted.path, drafted.text
    target = root / relative
    if target.exists():
        raise fail(f"{target} already exists")
    target.write_text(text, encoding="utf-8")
    console.print(f"wrote {esc(target)}: fill in the key points, follow-ups and answer, then run `mlcoach bank lint`", highlight=False)
