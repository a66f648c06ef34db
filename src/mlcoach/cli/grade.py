"""`mlcoach grade`: grade answers against their items' key points, offline."""

from __future__ import annotations

import json
import sys

from mlcoach.cli.common import BankOption, JsonOption, console, err, esc, open_coach, print_json


def grade(bank: BankOption = None, as_json: JsonOption = False) -> None:
    """Grade answers read as JSON lines on stdin: {"item_id": ..., "answer": ..., "seconds": optional}."""
    coach = open_coach(bank)
    content = coach.bank
    results = []
    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        try:
            request = json.loads(line)
            item_id, answer = request["item_id"], request.get("answer", "")
            seconds = request.get("seconds")
            if not isinstance(item_id, str) or not isinstance(answer, str):
                raise TypeError
            if seconds is not None and not isinstance(seconds, (int, float)):
                raise TypeError
        except (json.JSONDecodeError, KeyError, TypeError, AttributeError, RecursionError):
            out = {"item_id": None, "error": f"line {number}: expected {{\"item_id\": str, \"answer\": str}}"}
            print_json(out) if as_json else err.print(out["error"])
            continue
        item = content.get(item_id)
        if item is None:
            out = {"item_id": item_id, "error": f"line {number}: no item `{item_id}` in the bank"}
            print_json(out) if as_json else err.print(out["error"])
            continue
        feedback = coach.engine().grade(item, answer, seconds)
        if as_json:
            print_json(feedback.to_json())
            sys.stdout.flush()
        else:
            results.append(feedback)
    if as_json:
        return
    for feedback in results:
        console.print(f"[bold]{feedback.item_id}[/]: {feedback.score:.0f}/100", highlight=False)
        for point in feedback.key_points:
            mark = {"covered": "[green]✓[/]", "partial": "[yellow]~[/]", "missed": "[red]✗[/]"}[point.status]
            console.print(f"  {mark} {esc(point.text)}", highlight=False)
            if point.contradiction:
                console.print(f"      [red]{esc(point.contradiction)}[/]", highlight=False)
        for note in feedback.notes:
            console.print(f"  [dim]{esc(note)}[/]", highlight=False)
