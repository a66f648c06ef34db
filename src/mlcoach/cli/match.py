"""`mlcoach match` and `mlcoach search`: the question matcher from the command line."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Annotated

import typer

from mlcoach.cli.common import BankOption, JsonOption, console, esc, open_coach, print_json

BATCH = 64


def _matcher(bank_dir: object) -> tuple[object, object]:
    coach = open_coach(bank_dir)  # type: ignore[arg-type]
    return coach.bank, coach.matcher()


def _batches(lines: Iterator[str]) -> Iterator[list[str]]:
    batch: list[str] = []
    for line in lines:
        batch.append(line.rstrip("\r\n"))
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def match(bank: BankOption = None, as_json: JsonOption = False) -> None:
    """Match questions (one per line on stdin) to the bank: which item covers each, or a gap."""
    if sys.stdin.isatty():
        console.print("[dim]Type or paste questions, one per line; end with Ctrl-D.[/]")
    content, matcher = _matcher(bank)
    results = []
    for batch in _batches(iter(sys.stdin)):
        for result in matcher.match_many(batch):  # type: ignore[attr-defined]
            if as_json:
                print_json(result.to_json())
                sys.stdout.flush()
            else:
                results.append(result)
    if as_json:
        return
    from rich.table import Table

    table = Table("question", "verdict", "best item", "score", "also close", title=f"{len(results)} questions")
    for result in results:
        best = result.candidates[0] if result.candidates else None
        others = ", ".join(c.item_id for c in result.candidates[1:3])
        verdict = "[green]covered[/]" if result.covered else "[yellow]gap[/]"
        table.add_row(esc(result.query), verdict, best.item_id if best else "", f"{result.score:.2f}", others)
    console.print(table)


def search(
    query: Annotated[str, typer.Argument(help="What to look for, in your own words.")],
    bank: BankOption = None,
    limit: Annotated[int, typer.Option(min=1, max=100, help="How many results.")] = 10,
    as_json: JsonOption = False,
) -> None:
    """Search the bank by meaning and keywords."""
    content, matcher = _matcher(bank)
    found = matcher.search(query, limit=limit)  # type: ignore[attr-defined]
    rows = []
    for candidate in found:
        item = content.get(candidate.item_id)  # type: ignore[attr-defined]
        rows.append({"item_id": candidate.item_id, "score": round(candidate.score, 4), "area": item.area, "question": item.question})
    if as_json:
        print_json(rows)
        return
    from rich.table import Table

    table = Table("score", "id", "area", "question", title=esc(f"“{query}”"))
    for row in rows:
        table.add_row(f"{row['score']:.2f}", row["item_id"], row["area"], esc(row["question"]))
    console.print(table)
