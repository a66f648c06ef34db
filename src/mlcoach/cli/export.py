"""`mlcoach export ...`: the bank in other tools' formats."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mlcoach.cli.common import BankOption, JsonOption, console, fail, print_json
from mlcoach.cli.guides import AreaOption, check_areas, clean_bank, write, writable_dir

app = typer.Typer(help="Export the bank for other tools.", no_args_is_help=True)


@app.command()
def anki(
    bank: BankOption = None,
    area: AreaOption = None,
    out: Annotated[Path, typer.Option("--out", help="The .apkg file to write.")] = Path("mlcoach.apkg"),
    as_json: JsonOption = False,
) -> None:
    """An Anki deck (.apkg), one note per item; importing a newer export updates the notes, no duplicates."""
    from mlcoach.publish.anki import deck_bytes

    areas = check_areas(area)
    loaded = clean_bank(bank)
    writable_dir(out.parent)
    if out.is_dir():
        raise fail(f"{out} is a directory; give the file to write, e.g. {out / 'mlcoach.apkg'}", code=1)
    data, notes = deck_bytes(loaded, areas)
    write(out, data)
    if as_json:
        print_json({"path": str(out), "notes": notes, "areas": areas or None})
        return
    console.print(f"wrote {out}: {notes} notes", highlight=False, markup=False, soft_wrap=True)
