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
    from mlcoach.store import Store

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


def open_store() -> "Store":
    """The configured database, migrated (local default) or checked (shared database)."""
    from mlcoach.store import Store, StoreError, resolve_url

    url, local = resolve_url()
    try:
        store = Store(url)
        if local:
            store.upgrade()
        else:
            store.check_current()
    except StoreError as error:
        raise fail(str(error)) from None
    return store


def local_user(store: "Store") -> int:
    from mlcoach.core.clock import system_clock
    from mlcoach.store.users import LOCAL_USER, ensure_user

    return store.write(lambda s: ensure_user(s, LOCAL_USER, system_clock()).id)
