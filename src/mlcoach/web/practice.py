"""Practice on the web: today's queue card by card, notes beside each item, flags, the story bank."""

from __future__ import annotations

import math
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from mlcoach.core.practice import RATINGS
from mlcoach.study.notes import NoteService
from mlcoach.study.practice import PracticeService
from mlcoach.study.stories import PARTS, StoryError, StoryInput, StoryService
from mlcoach.web.deps import MAX_ROW_ID, RowId, coach, user_id
from mlcoach.web.guard import local_path
from mlcoach.web.render import form_fields as _form
from mlcoach.web.render import page as _page
from mlcoach.web.render import whole_number

router = APIRouter()


def _user(request: Request) -> int:
    return user_id(request)


def _practice(request: Request) -> PracticeService:
    return coach(request).practice


def _notes(request: Request) -> NoteService:
    return coach(request).notes


def _stories(request: Request) -> StoryService:
    return coach(request).stories


def _seconds(form: dict[str, str]) -> float | None:
    try:
        value = float(form.get("seconds", ""))
    except ValueError:
        return None
    return value if 0 <= value < 86_400 else None


# practice -----------------------------------------------------------------------------------------

@router.get("/practice", response_class=HTMLResponse)
def practice_page(request: Request, item: str = "") -> HTMLResponse:
    svc, user = _practice(request), _user(request)
    queue = svc.queue(user)
    entry = next((e for e in queue.entries if e.item_id == item), None) if item else None
    entry = entry or (queue.entries[0] if queue.entries else None)
    card = svc.item(user, entry.item_id) if entry else None
    return _page(request, "practice.html", queue=queue, entry=entry, card=card, **(_card_context(request, card) if card else {}))


def _card_context(request: Request, card: Any) -> dict[str, Any]:
    user = _user(request)
    return {"note": _notes(request).get(user, card.id), "state": _practice(request).card_state(user, card.id),
            "stories": _stories(request).for_item(user, card), "guide": coach(request).bank.guides.get(card.area)}


@router.post("/practice/{item_id}/check", response_class=HTMLResponse)
async def practice_check(request: Request, item_id: str) -> HTMLResponse:
    """Reveal: the model answer and key points, with the engine's verdicts for a typed answer, and
    the rating buttons with the proposal marked."""
    form = await _form(request)
    data = await request.form()
    svc, user = _practice(request), _user(request)
    card = svc.item(user, item_id)
    if card is None:
        raise HTTPException(404, f"There is no item “{item_id}”.")
    recalled = [n for v in data.getlist("recalled") if isinstance(v, str) and (n := whole_number(v, 0, 1000)) is not None] \
        if "recall" in form else None
    checked = svc.check(user, item_id, form.get("answer", ""), recalled, _seconds(form))
    template = "_practice_rating.html" if "recall" in form else "_practice_reveal.html"
    return _page(request, template, card=card, checked=checked, answer=form.get("answer", ""),
                 seconds=form.get("seconds", ""), recalled=recalled or [], RATINGS=RATINGS)


@router.post("/practice/{item_id}/rate", response_model=None)
async def practice_rate(request: Request, item_id: str) -> Response:
    form = await _form(request)
    svc, user = _practice(request), _user(request)
    raw = form.get("rating", "")
    if raw not in ("1", "2", "3", "4"):
        raise HTTPException(400, "Pick a rating: Again, Hard, Good or Easy.")
    answer = form.get("answer", "")
    try:
        score = float(form["score"]) if form.get("score") else None
    except ValueError:
        score = None
    if score is not None and not (math.isfinite(score) and 0 <= score <= 100):
        score = None  # only a hint from the page: an impossible one is dropped
    feedback = None
    if answer.strip():  # grade again on the server: the score a form carries is only a hint
        checked = svc.check(user, item_id, answer, None, _seconds(form))
        score, feedback = checked.score, checked.feedback
    svc.rate(user, item_id, int(raw), answer, score, feedback, _seconds(form))
    return RedirectResponse("/practice", status_code=303)


@router.post("/practice/add", response_model=None)
async def practice_add(request: Request) -> Response:
    """Put a bank item, or a gap (log and position), on the queue."""
    form = await _form(request)
    svc, user = _practice(request), _user(request)
    log_id, position = whole_number(form.get("log_id")), whole_number(form.get("position"), 0, 10_000)
    if log_id is not None and position is not None:
        svc.queue_gap(user, log_id, position)
    elif form.get("log_id") or form.get("position"):
        raise HTTPException(404, "There is no such interview question.")
    else:
        svc.queue_item(user, form.get("item_id", ""))
    if request.headers.get("HX-Request") == "true":
        return HTMLResponse('<span class="queued">On your practice queue</span>')
    back = form.get("back") or ""
    return RedirectResponse(local_path(back, "/practice"), status_code=303)


@router.post("/items/{item_id}/flags", response_class=HTMLResponse)
async def item_flags(request: Request, item_id: str) -> HTMLResponse:
    form = await _form(request)
    svc, user = _practice(request), _user(request)
    if form.get("flag") not in ("starred", "needs_revision"):
        raise HTTPException(400, "Unknown flag.")
    svc.toggle_flag(user, item_id, form["flag"])
    return _page(request, "_flags.html", item_id=item_id, state=svc.card_state(user, item_id))


# notes --------------------------------------------------------------------------------------------

@router.post("/items/{item_id}/note", response_class=HTMLResponse)
async def item_note(request: Request, item_id: str) -> HTMLResponse:
    form = await _form(request)
    if _practice(request).item(_user(request), item_id) is None:
        raise HTTPException(404, f"There is no item “{item_id}”.")
    note = _notes(request).set(_user(request), item_id, form.get("body", ""))
    return _page(request, "_note.html", item_id=item_id, note=note, saved=True)


@router.get("/notes", response_class=HTMLResponse)
def notes_page(request: Request, q: str = "") -> HTMLResponse:
    found = _notes(request).all(_user(request), q)
    svc, user = _practice(request), _user(request)
    rows = [(n, svc.item(user, n.item_id)) for n in found]
    return _page(request, "notes.html", rows=rows, query=q)


# stories ------------------------------------------------------------------------------------------

def _story_input(form: dict[str, str], data: Any) -> StoryInput:
    competencies = tuple(v for v in data.getlist("competencies") if isinstance(v, str))
    return StoryInput(form.get("title", ""), **{p: form.get(p, "") for p in PARTS}, competencies=competencies)


@router.get("/stories", response_class=HTMLResponse)
def stories_page(request: Request, edit: Annotated[int | None, Query(ge=1, le=MAX_ROW_ID)] = None) -> HTMLResponse:
    svc, user = _stories(request), _user(request)
    editing = None
    if edit is not None:
        editing = svc.get(user, edit)
    return _page(request, "stories.html", stories=svc.all(user), coverage=svc.coverage(user),
                 competencies=svc.competencies, editing=editing, error=None, form=None)


@router.post("/stories", response_model=None)
async def stories_save(request: Request) -> Response:
    form = await _form(request)
    data = await request.form()
    svc, user = _stories(request), _user(request)
    story_id = form.get("story_id", "")
    try:
        entry = _story_input(form, data)
        if story_id:
            existing = whole_number(story_id, 1)
            if existing is None:
                raise HTTPException(404, "There is no such story.")
            svc.edit(user, existing, entry)
        else:
            svc.add(user, entry)
    except StoryError as error:
        return _page(request, "stories.html", status=400, stories=svc.all(user), coverage=svc.coverage(user),
                     competencies=svc.competencies, editing=None, error=str(error), form=form)
    return RedirectResponse("/stories", status_code=303)


@router.post("/stories/{story_id}/delete", response_model=None)
def stories_delete(request: Request, story_id: RowId) -> Response:
    _stories(request).delete(_user(request), story_id)
    return RedirectResponse("/stories", status_code=303)


