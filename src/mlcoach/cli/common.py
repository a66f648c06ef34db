"""What every command shares: the console, the `--bank` option, loading with friendly errors."""

from __future__ import annotations

import json
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer
from rich.console import Console
from rich.markup import escape

if TYPE_CHECKING:
    from mlcoach.coach import Coach
    from mlcoach.core.catalog import Bank
    from mlcoach.store import Store

console = Console()
err = Console(stderr=True)


def esc(value: object) -> str:
    """User and content text for a Rich markup string: shown as written, never read as markup."""
    return escape(str(value))

BankOption = Annotated[
    Optional[Path],
    typer.Option("--bank", help="Content bank directory (default: the bundled bank).", show_default=False),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
# A file or stdin the CLI reads (logs, stories, answers) holds at most this much.
MAX_INPUT_BYTES = 1_000_000
# Row numbers (logs, stories) are positive 64-bit integers: anything larger is refused before the database.
MAX_ROW_ID = 2**63 - 1


def parse_row_ref(ref: str) -> tuple[int, int] | None:
    """`LOG:N` as (log, position), or None when it is not two small ASCII whole numbers."""
    log, sep, position = ref.partition(":")
    if not sep or not all(p.isascii() and p.isdigit() and len(p) <= 18 for p in (log, position)):
        return None
    return int(log), int(position)


def fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"[bold red]error:[/] {esc(message)}", highlight=False)
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


def index_progress() -> "Callable[[int, int], None]":
    """A progress bar on stderr for building a search index (shown only on a terminal)."""
    state: dict[str, Any] = {}

    def report(done: int, total: int) -> None:
        if not err.is_terminal:
            return
        if "bar" not in state:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

            bar = Progress("[dim]Building the search index (first run for this bank)[/]", BarColumn(),
                           MofNCompleteColumn(), TimeRemainingColumn(), console=err, transient=True)
            bar.start()
            state["bar"], state["task"] = bar, bar.add_task("embed", total=total)
        state["bar"].update(state["task"], completed=done)
        if done >= total:
            state.pop("bar").stop()

    return report


def read_mapping(path: Path, keys: set[str]) -> dict[str, Any]:
    """A YAML (or JSON) file holding one mapping with only these keys; anything else is one clear error."""
    import yaml

    from mlcoach.bank.parse import NoAliasLoader

    if str(path) != "-":
        try:
            info = path.stat()
        except OSError as error:
            raise fail(f"cannot read {path}: {error.strerror or error}") from None
        if not stat.S_ISREG(info.st_mode):
            raise fail(f"{path}: not a regular file")
        if info.st_size > MAX_INPUT_BYTES:
            raise fail(f"{path}: {info.st_size:,} bytes; a file here holds at most {MAX_INPUT_BYTES:,}")
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=NoAliasLoader)  # noqa: S506 - a safe loader
    except (OSError, UnicodeDecodeError) as error:
        raise fail(f"cannot read {path}: {error}") from None
    except yaml.YAMLError as error:
        raise fail(f"{path}: not valid YAML/JSON: {error}") from None
    except RecursionError:
        raise fail(f"{path}: nested too deeply") from None
    except ValueError as error:  # e.g. a date like 2026-13-45
        raise fail(f"{path}: a value cannot be read (check dates are YYYY-MM-DD): {error}") from None
    if not isinstance(data, dict):
        raise fail(f"{path}: expected a mapping with keys {', '.join(sorted(keys))}")
    unknown = set(data) - keys
    if unknown:
        raise fail(f"{path}: unknown key(s) {', '.join(sorted(map(str, unknown)))}; allowed: {', '.join(sorted(keys))}")
    return data


def read_answer() -> str:
    """A typed answer from stdin: lines up to one holding only '.', or "" when the first line is empty
    (the user pressed Enter to think it through and reveal instead)."""
    lines: list[str] = []
    while True:
        line = sys.stdin.readline()
        if not line or line.strip() == ".":
            break
        if not lines and not line.strip():
            return ""
        lines.append(line.rstrip("\n"))
    return "\n".join(lines)


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=None) + "\n")


def open_store() -> "Store":
    """The configured database, migrated (local default) or checked (shared database)."""
    from mlcoach.coach import open_store as open_configured
    from mlcoach.store import StoreError

    try:
        return open_configured()
    except StoreError as error:
        raise fail(str(error)) from None


def open_coach(bank_dir: Path | None = None, quiet: bool = False) -> "Coach":
    """The composition root for a command: the bank now, the database and the model on first use."""
    from mlcoach.coach import Coach

    return Coach(open_bank(bank_dir, quiet=quiet), open_store, progress=index_progress())


def local_user(store: "Store") -> int:
    from mlcoach.core.clock import system_clock
    from mlcoach.store.users import LOCAL_USER, ensure_user

    return store.write(lambda s: ensure_user(s, LOCAL_USER, system_clock()).id)
