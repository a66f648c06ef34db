"""What every command shares: the console, the `--bank` option, loading with friendly errors."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer
from rich.console import Console

if TYPE_CHECKING:
    from mlcoach.core.catalog import Bank

console = Console()
err = Console(stderr=True)

BankOption = Annotated[
    Optional[Path],
    typer.Option("--bank", help="Content bank directory (default: the bundled bank).", show_default=False),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(code)


def open_bank(path: Path | None, quiet: bool = False) -> "Bank":
    """Load the bank; problems are a warning here (lint is where they fail)."""
    from mlcoach.bank import load_bank
    from mlcoach.bank.paths import bundled_bank
    from mlcoach.bank.problems import BankError

    try:
        loaded = load_bank(path or bundled_bank())
    except BankError as error:
        raise fail(str(error)) from None
    if loaded.problems and not quiet:
        err.print(
            f"[yellow]warning:[/] the bank has {len(loaded.problems)} problem(s); "
            "run `mlcoach bank lint` to see them",
            highlight=False,
        )
    return loaded.bank


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=None) + "\n")
