"""`mlcoach guides build`: the printable PDF guides, one per area."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from mlcoach.cli.common import BankOption, JsonOption, console, err, fail, print_json

if TYPE_CHECKING:
    from mlcoach.core.catalog import Bank

app = typer.Typer(help="Printable PDF guides built from the content bank.", no_args_is_help=True)

AreaOption = Annotated[
    Optional[list[str]],
    typer.Option("--area", help="Only this area (repeat for several; default: all six).", show_default=False),
]


@app.command()
def build(
    bank: BankOption = None,
    out: Annotated[Path, typer.Option("--out", help="Directory to write the PDFs to.")] = Path("guides"),
    area: AreaOption = None,
    as_json: JsonOption = False,
) -> None:
    """Build one PDF per area: cover, contents, the area's chapter and every item by topic."""
    from mlcoach.core.items import AREAS
    from mlcoach.publish.compiler import PublishError
    from mlcoach.publish.guides import build_guides

    areas = check_areas(area) or list(AREAS)
    loaded = clean_bank(bank)
    writable_dir(out)
    started = time.perf_counter()
    try:
        built = build_guides(loaded, areas)
    except PublishError as error:
        raise fail(str(error), code=1) from None
    rows = []
    for name, pdf in built.items():
        path = out / f"{name}.pdf"
        write(path, pdf.data)
        rows.append({"area": name, "path": str(path), "pages": pdf.pages, "bytes": len(pdf.data),
                     "math": pdf.math, "math_fallbacks": len(pdf.fallbacks)})
    if as_json:
        print_json(rows)
        return
    for row in rows:
        console.print(f"wrote {row['path']}: {row['pages']} pages", highlight=False, markup=False, soft_wrap=True)
    fallbacks = sum(int(row["math_fallbacks"]) for row in rows)  # type: ignore[call-overload]
    if fallbacks:
        err.print(f"[yellow]warning:[/] {fallbacks} math snippet(s) could not be typeset and are shown as LaTeX",
                  highlight=False)
    console.print(f"{len(rows)} guide(s) in {time.perf_counter() - started:.1f}s", highlight=False)


def check_areas(areas: list[str] | None) -> list[str]:
    from mlcoach.core.items import AREAS

    for name in areas or []:
        if name not in AREAS:
            raise fail(f"unknown area `{name}`; areas are: {', '.join(AREAS)}", code=1)
    return list(dict.fromkeys(areas or []))


def clean_bank(path: Path | None) -> "Bank":
    """The bank, refusing one with lint problems: a printed guide should not carry broken content."""
    from mlcoach.bank import load_bank
    from mlcoach.bank.paths import bundled_bank
    from mlcoach.bank.problems import BankError

    try:
        loaded = load_bank(path or bundled_bank())
    except BankError as error:
        raise fail(str(error), code=1) from None
    if loaded.problems:
        from rich.markup import escape

        shown = "\n".join(f"  {escape(str(problem))}" for problem in loaded.problems[:5])
        more = f"\n  ... and {len(loaded.problems) - 5} more" if len(loaded.problems) > 5 else ""
        raise fail(f"the bank has {len(loaded.problems)} problem(s); fix them first (`mlcoach bank lint`):\n"
                   f"{shown}{more}", code=1)
    return loaded.bank


def writable_dir(path: Path) -> None:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise fail(f"cannot create the output directory {path}: {error.strerror or error}", code=1) from None
    if not path.is_dir():
        raise fail(f"the output path {path} is not a directory", code=1)


def output_file(path: Path, example: str) -> None:
    """Refuse a directory where a file to write is expected, naming what to give instead."""
    if path.is_dir():
        raise fail(f"{path} is a directory; give the file to write, e.g. {path / example}", code=1)


def write(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as error:
        raise fail(f"cannot write {path}: {error.strerror or error}", code=1) from None
