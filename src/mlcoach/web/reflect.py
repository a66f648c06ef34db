"""Review and reflect pages: interview logs, corrections, the reflection page, gap export, search."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response

from mlcoach.core.items import AREAS
from mlcoach.core.reflect import LogInput, LogInputError, gap_lines
from mlcoach.reflect.service import ReflectService
from mlcoach.web.deps import Position, RowId, coach, user_id
from mlcoach.web.render import form_fields as _form
from mlcoach.web.render import page as _page
from mlcoach.web.render import whole_number

router = APIRouter()


def _svc(request: Request) -> ReflectService:
    return coach(request).reflect


def _user(request: Request) -> int:
    return user_id(request)


def _entry(form: dict[str, str]) -> LogInput:
    """Form fields to a log; anything odd becomes a LogInputError naming the field."""
    try:
        day = date.fromisoformat(form.get("interview_date", "").strip())
    except ValueError:
        raise LogInputError("date: pick the day of the interview (YYYY-MM-DD)") from None
    rating_text = form.get("self_rating", "").strip()
    rating = whole_number(rating_text, 1, 5)
    if rating_text and rating is None:
        raise LogInputError("self-rating: give a number from 1 to 5")
    return LogInput(
        company=form.get("company", ""), role=form.get("role", ""), round_type=form.get("round_type", ""),
        interview_date=day, questions=tuple(form.get("questions", "").splitlines()),
        outcome=form.get("outcome") or None, self_rating=rating,
        went_well=form.get("went_well", ""), went_badly=form.get("went_badly", ""),
    )


@router.get("/log", response_class=HTMLResponse)
def logs(request: Request) -> HTMLResponse:
    return _page(request, "log_list.html", logs=_svc(request).logs(_user(request)))


@router.get("/log/new", response_class=HTMLResponse)
def new_log(request: Request) -> HTMLResponse:
    form = {"interview_date": coach(request).clock().date().isoformat(), "round_type": "ml-theory", "outcome": "pending"}
    return _page(request, "log_form.html", form=form, error=None, action="/log")


@router.post("/log", response_model=None)
async def create_log(request: Request) -> Response:
    form = await _form(request)
    try:
        log_id = _svc(request).save(_user(request), _entry(form))
    except LogInputError as error:
        # Everything the user typed comes back with the message: nothing is lost.
        return _page(request, "log_form.html", status=422, form=form, error=str(error), action="/log")
    return RedirectResponse(f"/log/{log_id}", status_code=303)


@router.get("/log/{log_id}", response_class=HTMLResponse)
def show_log(request: Request, log_id: RowId) -> HTMLResponse:
    log, views = _svc(request).log(_user(request), log_id)
    return _page(request, "log_detail.html", log=log, views=views)


@router.get("/log/{log_id}/edit", response_class=HTMLResponse)
def edit_log(request: Request, log_id: RowId) -> HTMLResponse:
    log, views = _svc(request).log(_user(request), log_id, with_candidates=False)
    form = {"company": log.company, "role": log.role, "round_type": log.round_type, "interview_date": log.interview_date.isoformat(),
            "questions": "\n".join(v.text for v in views), "outcome": log.outcome or "", "self_rating": str(log.self_rating or ""),
            "went_well": log.went_well, "went_badly": log.went_badly}
    return _page(request, "log_form.html", form=form, error=None, action=f"/log/{log_id}/edit")


@router.post("/log/{log_id}/edit", response_model=None)
async def update_log(request: Request, log_id: RowId) -> Response:
    form = await _form(request)
    try:
        _svc(request).save(_user(request), _entry(form), log_id)
    except LogInputError as error:
        return _page(request, "log_form.html", status=422, form=form, error=str(error), action=f"/log/{log_id}/edit")
    return RedirectResponse(f"/log/{log_id}", status_code=303)


@router.post("/log/{log_id}/delete", response_model=None)
def delete_log(request: Request, log_id: RowId) -> Response:
    _svc(request).delete(_user(request), log_id)
    return RedirectResponse("/log", status_code=303)


@router.post("/log/{log_id}/questions/{position}", response_class=HTMLResponse)
async def correct_question(request: Request, log_id: RowId, position: Position) -> HTMLResponse:
    choice = (await _form(request)).get("item_id", "")
    svc = _svc(request)
    svc.correct(_user(request), log_id, position, None if choice in ("", "gap") else choice)
    log, views = svc.log(_user(request), log_id)
    view = next(v for v in views if v.position == position)
    return _page(request, "_log_question.html", log=log, v=view)


@router.get("/reflect", response_class=HTMLResponse)
def reflection(request: Request) -> HTMLResponse:
    summary = _svc(request).reflection(_user(request))
    areas = [a for a in (*AREAS, "other") if summary.asked_by_area.get(a) or summary.practised_by_area.get(a) or summary.gaps_by_area.get(a)]
    asked_total = sum(summary.asked_by_area.values()) or 1
    practised_total = sum(summary.practised_by_area.values()) or 1
    return _page(request, "reflect.html", r=summary, areas=areas, asked_total=asked_total, practised_total=practised_total)


@router.get("/gaps.txt", response_class=PlainTextResponse)
def gaps_export(request: Request) -> PlainTextResponse:
    lines = gap_lines(_svc(request).gaps(_user(request)))
    return PlainTextResponse("\n".join(lines) + ("\n" if lines else ""),
                             headers={"Content-Disposition": 'attachment; filename="mlcoach-gaps.txt"'})


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, q: str = "") -> HTMLResponse:
    q = q.strip()[:500]
    results: list[tuple[Any, float]] = []
    app = coach(request)
    if q and not app.wait_for_matcher(1.5):
        # The index is still being built (first run on a new bank): say so instead of hanging.
        return _page(request, "search.html", q=q, results=[], building=app.index_progress or (0, 0))
    verdict = None
    if q:
        bank = app.bank
        verdict, candidates = _svc(request).matcher.lookup(q, limit=15)
        for candidate in candidates:
            item = bank.get(candidate.item_id)
            # Weak hits are noise: a nonsense query lists nothing rather than 15 items at 0%.
            if item is not None and (candidate.score >= WEAK or (verdict.covered and not results)):
                results.append((item, candidate.score))
    return _page(request, "search.html", q=q, results=results, covered=bool(verdict and verdict.covered),
                 WEAK=WEAK, CLOSE=CLOSE)


# Relevance labels for search hits (the calibrated probability that the item answers the query).
WEAK, CLOSE = 0.05, 0.5
