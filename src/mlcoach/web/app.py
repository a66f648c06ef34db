"""The app factory. Pages read the immutable bank; per-user state goes through the store."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from markupsafe import Markup
from starlette.exceptions import HTTPException

from mlcoach import __version__
from mlcoach.coach import _UNSET, Coach
from mlcoach.core.catalog import Bank
from mlcoach.core.clock import Clock, system_clock
from mlcoach.core.errors import HTTP_STATUS, MlcoachError
from mlcoach.core.items import AREA_TITLES, AREAS, DIFFICULTIES, LEVELS, ROLE_TITLES
from mlcoach.core.mock import ROUNDS
from mlcoach.core.reflect import OUTCOMES, ROUND_TYPES
from mlcoach.llm import LLMClient
from mlcoach.markdown import render
from mlcoach.store import Store, StoreError
from mlcoach.web import downloads, mock, pages, practice, reflect, study
from mlcoach.web.guard import LOOPBACK_HOSTS, Guard, check_csrf

HERE = Path(__file__).resolve().parent


def create_app(bank: Bank, store: Store, clock: Clock = system_clock, matcher: Callable[[], Any] | None = None,
               llm: LLMClient | None = _UNSET, hosts: tuple[str, ...] = ()) -> FastAPI:
    """The app over `bank` and `store` (tests pass a prebuilt `matcher`, `llm=None` and their host name)."""
    return app_for(Coach(bank, store, clock, matcher=matcher, llm=llm), hosts=hosts)


def app_for(coach: Coach, hosts: tuple[str, ...] = ()) -> FastAPI:
    """The web app of a composition root: every route reaches its services through `coach`.

    It answers to the loopback names, the configured `allowed_hosts` and `hosts` (the interface the
    server binds to); every state-changing request must pass the CSRF check (see `web/guard.py`).
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.user_id = coach.local_user()
        coach.warm_up()
        yield

    bank = coach.bank
    app = FastAPI(title="mlcoach", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
                  openapi_url=None, dependencies=[Depends(check_csrf)])
    app.state.coach = coach
    app.add_middleware(Guard, allowed_hosts=(*LOOPBACK_HOSTS, *coach.settings.host_names(), *hosts))
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.filters["markdown"] = render
    templates.env.globals["csrf_input"] = _csrf_input
    templates.env.globals.update(
        AREAS=AREAS, AREA_TITLES=AREA_TITLES, DIFFICULTIES=DIFFICULTIES, ROLE_TITLES=ROLE_TITLES, LEVELS=LEVELS,
        ROUND_TYPES=ROUND_TYPES, OUTCOMES=OUTCOMES, ROUNDS=ROUNDS, version=__version__,
    )
    app.state.templates = templates
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(downloads.router)  # first: its /guides/{area}.pdf must win over the guide page
    app.include_router(pages.router)
    app.include_router(reflect.router)
    app.include_router(mock.router)
    app.include_router(study.router)
    app.include_router(practice.router)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> HTMLResponse:
        return _error_page(request, error.status_code, str(error.detail))

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, error: RequestValidationError) -> HTMLResponse:
        # A number in the URL that no row can have is "not found"; a bad query or form value is a 400.
        where = [str(e.get("loc", ("",))[0]) for e in error.errors()]
        if "path" in where:
            return _error_page(request, 404, "There is nothing at this address.")
        names = sorted({str(e["loc"][-1]) for e in error.errors() if e.get("loc")})
        return _error_page(request, 400, "This value is not valid: " + ", ".join(names) + ".")

    @app.exception_handler(StoreError)
    async def store_error(request: Request, error: StoreError) -> HTMLResponse:
        return _error_page(request, 503, f"The database is not available: {error}. Nothing was saved.")

    @app.exception_handler(MlcoachError)
    async def app_error(request: Request, error: MlcoachError) -> HTMLResponse:
        # The one place an error's kind becomes a status; routes that re-show a filled form catch theirs first.
        return _error_page(request, HTTP_STATUS[error.kind], _sentence(str(error)))

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:  # browsers ask for it even with the <link rel="icon"> in place
        return FileResponse(HERE / "static" / "favicon.svg", media_type="image/svg+xml")

    @app.get("/healthz")
    def healthz() -> JSONResponse:
        return JSONResponse({"ok": True, "items": len(bank.items), "version": __version__})

    def _error_page(request: Request, status: int, message: str) -> HTMLResponse:
        context: dict[str, Any] = {"status": status, "message": message}
        return templates.TemplateResponse(request, "error.html", context, status_code=status)

    return app


@pass_context
def _csrf_input(context: Mapping[str, Any]) -> Markup:
    """The hidden field every state-changing form carries (`{{ csrf_input() }}`)."""
    token = context["request"].state.csrf_token
    return Markup('<input type="hidden" name="csrf_token" value="{}">').format(token)


def _sentence(message: str) -> str:
    message = message.strip()
    return (message[:1].upper() + message[1:] + ("" if message.endswith((".", "!", "?")) else ".")) if message else message
