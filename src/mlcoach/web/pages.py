"""The pages: home (the six guides), a guide (chapter + filtered items), an item."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.exceptions import HTTPException

from mlcoach.core.catalog import Bank
from mlcoach.core.items import AREAS, ROLES
from mlcoach.store.models import ItemState
from mlcoach.web.render import page as _page

router = APIRouter()


def _bank(request: Request) -> Bank:
    return request.app.state.bank  # type: ignore[no-any-return]


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    bank = _bank(request)
    guides = [
        {"area": area, "guide": bank.guides.get(area), "count": len(bank.filter(area=area))}
        for area in AREAS
    ]
    return _page(request, "home.html", guides=guides, total=len(bank.items))


@router.get("/guides/{area}", response_class=HTMLResponse)
def guide(request: Request, area: str, topic: str = "", difficulty: str = "", role: str = "") -> HTMLResponse:
    bank = _bank(request)
    if area not in AREAS:
        raise HTTPException(404, f"There is no guide called “{area}”.")
    filters = _filters(bank, area, topic, difficulty, role)
    items = bank.filter(area=area, **filters)
    context = {"area": area, "guide": bank.guides.get(area), "items": items, "topics": bank.topics(area),
               "filters": {"topic": topic, "difficulty": difficulty, "role": role}}
    fragment = request.headers.get("HX-Request") == "true"
    response = _page(request, "_items.html" if fragment else "guide.html", **context)
    response.headers["Vary"] = "HX-Request"
    return response


def _filters(bank: Bank, area: str, topic: str, difficulty: str, role: str) -> dict[str, Any]:
    """Query parameters to filters; a value that means nothing is a clear 400, not a silent empty list."""
    chosen: dict[str, Any] = {}
    if topic:
        known = [slug for slug, _, _ in bank.topics(area)]
        if topic not in known:
            raise HTTPException(400, f"Unknown topic “{topic}” for this guide.")
        chosen["topic"] = topic
    if difficulty:
        if difficulty not in ("1", "2", "3"):
            raise HTTPException(400, "Difficulty must be 1 (easy), 2 (medium) or 3 (hard).")
        chosen["difficulty"] = int(difficulty)
    if role:
        if role not in ROLES:
            raise HTTPException(400, f"Role must be one of {', '.join(ROLES)}.")
        chosen["role"] = role
    return chosen


@router.get("/items/{item_id}", response_class=HTMLResponse)
def item(request: Request, item_id: str) -> HTMLResponse:
    bank = _bank(request)
    found = bank.get(item_id)
    if found is None:
        raise HTTPException(404, f"There is no item “{item_id}” in this bank.")
    related = [bank.get(other) for other in found.related]
    user = request.app.state.user_id
    state = request.app.state.practice.card_state(user, item_id)
    note = request.app.state.notes.get(user, item_id)
    return _page(request, "item.html", item=found, guide=bank.guides.get(found.area),
                 related=[r for r in related if r is not None], starred=state["starred"], state=state, note=note)


@router.post("/items/{item_id}/star", response_class=HTMLResponse)
def toggle_star(request: Request, item_id: str) -> Response:
    if _bank(request).get(item_id) is None:
        raise HTTPException(404, f"There is no item “{item_id}” in this bank.")
    store, user_id, now = request.app.state.store, request.app.state.user_id, request.app.state.clock()

    def flip(session: Any) -> bool:
        state = session.get(ItemState, (user_id, item_id))
        if state is None:
            state = ItemState(user_id=user_id, item_id=item_id, starred=False, needs_revision=False, updated_at=now)
            session.add(state)
        state.starred = not state.starred
        state.updated_at = now
        return bool(state.starred)

    starred = store.write(flip)
    return _page(request, "_star.html", item_id=item_id, starred=starred)


def _state(request: Request, item_id: str) -> dict[str, Any]:
    user_id = request.app.state.user_id

    def load(session: Any) -> dict[str, Any]:
        state = session.get(ItemState, (user_id, item_id))
        return {} if state is None else {"starred": state.starred, "needs_revision": state.needs_revision}

    return request.app.state.store.read(load)  # type: ignore[no-any-return]
