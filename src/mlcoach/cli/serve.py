"""`mlcoach serve`: the web app."""

from __future__ import annotations

from typing import Annotated

import typer

from mlcoach.cli.common import BankOption, err, open_coach


def serve(
    bank: BankOption = None,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Start the web app (local single-user mode) at http://HOST:PORT."""
    coach = open_coach(bank)
    store = coach.store  # opened now: a database problem stops the start, not the first page

    import uvicorn

    from mlcoach.web.app import app_for

    err.print(f"mlcoach: {len(coach.bank)} items, database {store.describe()}", highlight=False)
    err.print(f"mlcoach: open http://{host}:{port}", highlight=False)
    uvicorn.run(app_for(coach), host=host, port=port, log_level="warning")
