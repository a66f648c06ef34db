"""The `mlcoach` command."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from mlcoach import __version__
from mlcoach.cli import bank, db, export, grade, guides, log, match, mock, notes, practice, serve, study
from mlcoach.cli.common import err
from mlcoach.core.errors import EXIT_CODE, MlcoachError


class _Commands(TyperGroup):
    """The one place the CLI turns an error a user can meet into a message and an exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except MlcoachError as error:
            err.print(f"error: {error}", markup=False, highlight=False, soft_wrap=True)
            raise typer.Exit(EXIT_CODE[error.kind]) from None
        except UnicodeDecodeError as error:
            err.print(f"error: the input is not UTF-8 text ({error.reason} at byte {error.start}); nothing was saved",
                      markup=False, highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None


app = typer.Typer(
    name="mlcoach",
    cls=_Commands,
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
