"""The app factory. Pages read the immutable bank; per-user state goes through the store."""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, AsyncIterator, Callable

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException

from mlcoach import __version__
from mlcoach.core.catalog import Bank
from mlcoach.core.clock import Clock, system_clock
from mlcoach.core.items import AREA_TITLES, AREAS, DIFFICULTIES, LEVELS, ROLE_TITLES
from mlcoach.core.mock import ROUNDS
from mlcoach.core.reflect import OUTCOMES, ROUND_TYPES
from mlcoach.store import Store, StoreError
from mlcoach.store.users import LOCAL_USER, ensure_user
from mlcoach.reflect.service import ReflectService
from mlcoach.llm import LLMClient, client_from_env
from mlcoach.mock.service import MockService
from mlcoach.study.assess import AssessService
from mlcoach.study.notes import NoteService
from mlcoach.study.plan import PlanService
from mlcoach.study.practice import PracticeService
from mlcoach.study.stories import StoryService
from mlcoach.web import downloads, mock, pages, practice, reflect, study
from mlcoach.web.markdown import render

HERE = Path(__file__).resolve().parent


def create_app(bank: Bank, store: Store, clock: Clock = system_clock, matcher: Callable[[], Any] | None = None,
               llm: LLMClient | None = None) -> FastAPI:
    """The app. `matcher` builds the question matcher on first use (default: the bank's own); the
    feedback engine shares it. `llm` defaults to the one configured by MLCOACH_LLM_* (or none)."""
    if matcher is None:
        built: list[Any] = []

        def matcher() -> Any:
            from mlcoach.search.matcher import Matcher

            if not built:
                built.append(Matcher.for_bank(bank))
            return built[0]

    def engine() -> Any:
        from mlcoach.feedback.engine import FeedbackEngine

        return FeedbackEngine.for_matcher(matcher())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.user_id = store.write(lambda s: ensure_user(s, LOCAL_USER, clock()).id)
        yield

    app = FastAPI(title="mlcoach", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.bank = bank
    app.state.store = store
    app.state.clock = clock
    app.state.reflect = ReflectService(bank, store, matcher, clock)
    app.state.mock = MockService(bank, store, engine, clock, llm if llm is not None else client_from_env())
    app.state.assess = AssessService(bank, store, clock, engine)
    app.state.plans = PlanService(bank, store, clock)
    app.state.practice = PracticeService(bank, store, clock, engine)
    app.state.notes = NoteService(bank, store, clock)
    app.state.stories = StoryService(bank, store, clock)
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.filters["markdown"] = render
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

    @app.exception_handler(StoreError)
    async def store_error(request: Request, error: StoreError) -> HTMLResponse:
        return _error_page(request, 503, f"The database is not available: {error}. Nothing was saved.")

    @app.get("/healthz")
    def healthz() -> JSONResponse:
        return JSONResponse({"ok": True, "items": len(bank.items), "version": __version__})

    def _error_page(request: Request, status: int, message: str) -> HTMLResponse:
        context: dict[str, Any] = {"status": status, "message": message}
        return templates.TemplateResponse(request, "error.html", context, status_code=status)

    return app
