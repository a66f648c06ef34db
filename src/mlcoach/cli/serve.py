"""`mlcoach serve`: the web app."""

from __future__ import annotations

import ipaddress
from typing import Annotated

import typer

from mlcoach.cli.common import BankOption, err, open_coach
from mlcoach.core.errors import Invalid

UNSAFE_FLAG = "--i-understand-anyone-on-the-network-can-use-it"


def is_loopback(host: str) -> bool:
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve(
    bank: BankOption = None,
    host: Annotated[str, typer.Option(help="Interface to listen on (loopback only, unless you opt out below).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    unauthenticated_network: Annotated[bool, typer.Option(
        UNSAFE_FLAG, help="Listen on a non-loopback interface although local mode has no accounts: everyone "
                          "who can reach the port reads and changes your data.")] = False,
) -> None:
    """Start the web app (local single-user mode) at http://HOST:PORT."""
    if not is_loopback(host) and not unauthenticated_network:
        raise Invalid(
            f"refusing to listen on {host}: local mode has no accounts, so anyone who can reach that "
            f"address could read and change your data. Use the default 127.0.0.1 (reach it from elsewhere "
            f"through an SSH tunnel), or, on a network you trust, add {UNSAFE_FLAG}")
    coach = open_coach(bank)
    store = coach.store  # opened now: a database problem stops the start, not the first page

    import uvicorn

    from mlcoach.web.app import app_for

    err.print(f"mlcoach: {len(coach.bank)} items, database {store.describe()}", highlight=False)
    hosts: tuple[str, ...] = ()
    if not is_loopback(host):
        err.print(f"mlcoach: WARNING: listening on {host} WITHOUT ACCOUNTS: anyone who can reach this port can read "
                  "and change every note, log and answer.", style="bold red", highlight=False, markup=False)
        if host not in ("0.0.0.0", "::"):
            hosts = (host,)
        else:
            err.print("mlcoach: add the names people will use in MLCOACH_ALLOWED_HOSTS (other Host headers get 400)",
                      highlight=False, markup=False)
    err.print(f"mlcoach: open http://{host}:{port}", highlight=False, markup=False)
    uvicorn.run(app_for(coach, hosts=hosts), host=host, port=port, log_level="warning")
