"""The pages: home (the six guides), a guide (chapter + filtered items), an item."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.exceptions import HTTPException

from mlcoach.core.catalog import Bank
from mlcoach.core.items import AREAS, ROLES
from mlcoach.web.deps import coach, user_id
from mlcoach.web.render import page as _page

router = APIRouter()


def _bank(request: Request) -> Bank:
    return coach(request).bank


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
    context: dict[str, Any] = {"area": area, "guide": bank.guides.get(area), "items": items, "topics": bank.topics(area),
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
    user = user_id(request)
    state = coach(request).practice.card_state(user, item_id)
    note = coach(request).notes.get(user, item_id)
    return _page(request, "item.html", item=found, guide=bank.guides.get(found.area),
                 related=[r for r in related if r is not None], starred=state["starred"], state=state, note=note)


@router.post("/items/{item_id}/star", response_class=HTMLResponse)
def toggle_star(request: Request, item_id: str) -> Response:
    if _bank(request).get(item_id) is None:
        raise HTTPException(404, f"There is no item “{item_id}” in this bank.")
    flags = coach(request).practice.toggle_flag(user_id(request), item_id, "starred")
    return _page(request, "_star.html", item_id=item_id, starred=flags["starred"])
