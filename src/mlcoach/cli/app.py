"""The `mlcoach` command."""

from __future__ import annotations

from typing import Annotated

import typer

from mlcoach import __version__
from mlcoach.cli import bank, db, export, grade, guides, log, match, mock, notes, practice, serve, study

app = typer.Typer(
    name="mlcoach",
    help="A local-first coach for machine-learning engineering interviews.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(bank.app, name="bank")
app.add_typer(db.app, name="db")
app.add_typer(log.app, name="log")
app.add_typer(study.assess_app, name="assess")
app.add_typer(practice.app, name="practice")
app.add_typer(notes.notes_app, name="notes")
app.add_typer(notes.stories_app, name="stories")
app.command()(study.profile)
app.command()(study.plan)
app.add_typer(guides.app, name="guides")
app.add_typer(export.app, name="export")
app.add_typer(mock.app, name="mock")
app.command()(serve.serve)
app.command()(match.match)
app.command()(match.search)
app.command()(log.gaps)
app.command()(grade.grade)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"mlcoach {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")] = False,
) -> None:
    """A local-first coach for machine-learning engineering interviews."""


def main() -> None:
    app()
