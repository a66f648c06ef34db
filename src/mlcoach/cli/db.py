"""`mlcoach db ...`: migrate and inspect the database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from mlcoach.cli.common import JsonOption, console, fail, print_json

app = typer.Typer(help="Manage the database (SQLite by default, PostgreSQL via MLCOACH_DATABASE_URL).", no_args_is_help=True)

UrlOption = Annotated[
    Optional[str],
    typer.Option("--url", help="Database URL (default: $MLCOACH_DATABASE_URL, else a local SQLite file).", show_default=False),
]


@app.command()
def upgrade(url: UrlOption = None) -> None:
    """Apply all migrations."""
    from mlcoach.store import Store, StoreError, resolve_url

    try:
        store = Store(resolve_url(url)[0])
        before, after = store.upgrade()
    except StoreError as error:
        raise fail(str(error)) from None
    if before == after:
        console.print(f"{store.describe()}: already at {after}", highlight=False)
    else:
        console.print(f"{store.describe()}: upgraded {before or 'empty'} -> {after}", highlight=False)


@app.command()
def status(url: UrlOption = None, as_json: JsonOption = False) -> None:
    """Show which database is used and whether it needs migrations."""
    from mlcoach.store import Store, StoreError, resolve_url

    try:
        store = Store(resolve_url(url)[0])
        current, head = store.current_revision(), store.head_revision()
    except StoreError as error:
        raise fail(str(error)) from None
    if as_json:
        print_json({"url": store.describe(), "dialect": store.dialect, "revision": current, "head": head, "current": current == head})
        return
    state = "up to date" if current == head else "needs `mlcoach db upgrade`"
    console.print(f"{store.describe()} ({store.dialect}): revision {current or 'none'}, head {head}: {state}", highlight=False)


@app.command()
def backup(out: Annotated[Path, typer.Argument(help="The new file to write the copy to.")], url: UrlOption = None) -> None:
    """Copy the local SQLite database to OUT, consistently, even while `mlcoach serve` is running."""
    from mlcoach.store import Store, StoreError, resolve_url

    try:
        store = Store(resolve_url(url)[0])
        size = store.backup(out)
    except StoreError as error:
        raise fail(str(error)) from None
    console.print(f"{store.describe()}: copied to {out} ({size:,} bytes, integrity ok)", highlight=False, markup=False)
