"""`mlcoach serve`: the web app."""

from __future__ import annotations

from typing import Annotated

import typer

from mlcoach.cli.common import BankOption, err, fail, open_bank


def serve(
    bank: BankOption = None,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Start the web app (local single-user mode) at http://HOST:PORT."""
    from mlcoach.store import Store, StoreError, resolve_url

    content = open_bank(bank)
    url, local = resolve_url()
    try:
        store = Store(url)
        if local:
            store.upgrade()  # the local default keeps itself current; shared databases are migrated on purpose
        else:
            store.check_current()
    except StoreError as error:
        raise fail(str(error)) from None

    import uvicorn

    from mlcoach.web.app import create_app

    err.print(f"mlcoach: {len(content)} items, database {store.describe()}", highlight=False)
    err.print(f"mlcoach: open http://{host}:{port}", highlight=False)
    uvicorn.run(create_app(content, store), host=host, port=port, log_level="warning")
