"""`mlcoach export ...`: the bank in other tools' formats."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mlcoach.cli.common import BankOption, JsonOption, console, fail, open_coach, print_json
from mlcoach.cli.guides import AreaOption, check_areas, clean_bank, output_file, writable_dir, write

app = typer.Typer(help="Export the bank for other tools, and your own progress and notes.", no_args_is_help=True)


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
    output_file(out, "mlcoach.apkg")
    data, notes = deck_bytes(loaded, areas)
    write(out, data)
    if as_json:
        print_json({"path": str(out), "notes": notes, "areas": areas or None})
        return
    console.print(f"wrote {out}: {notes} notes", highlight=False, markup=False, soft_wrap=True)


@app.command()
def report(
    bank: BankOption = None,
    out: Annotated[Path, typer.Option("--out", help="The PDF to write.")] = Path("mlcoach-progress.pdf"),
    as_json: JsonOption = False,
) -> None:
    """Your progress report (PDF): readiness by area, practice and mock history, with charts."""
    from mlcoach.publish.compiler import PublishError

    coach = open_coach(bank)
    writable_dir(out.parent)
    output_file(out, "mlcoach-progress.pdf")
    try:
        pdf = coach.exports.progress_report(coach.local_user())
    except PublishError as error:
        raise fail(f"the report could not be built: {error}", code=1) from None
    write(out, pdf.data)
    if as_json:
        print_json({"path": str(out), "pages": pdf.pages})
        return
    console.print(f"wrote {out}: {pdf.pages} page(s)", highlight=False, markup=False, soft_wrap=True)


@app.command()
def notes(
    bank: BankOption = None,
    out: Annotated[Path, typer.Option("--out", help="The Markdown file to write ('-' for standard output).")] = Path("mlcoach-notes.md"),
) -> None:
    """Your notes and story bank as one Markdown file."""
    import sys

    coach = open_coach(bank)
    text = coach.exports.notes_markdown(coach.local_user())
    if str(out) == "-":
        sys.stdout.write(text)
        return
    writable_dir(out.parent)
    write(out, text.encode("utf-8"))
    console.print(f"wrote {out}", highlight=False, markup=False, soft_wrap=True)
