"""Steps 1 and 2 on the web: the profile, the diagnostic and its result, the study plan."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from mlcoach.core.items import AREA_TITLES, AREAS
from mlcoach.study import profile as profiles
from mlcoach.study.assess import AssessService
from mlcoach.study.plan import PlanError, PlanService, local_day
from mlcoach.web.charts import radar
from mlcoach.web.deps import CheckNumber, Position, RowId, coach, user_id
from mlcoach.web.render import form_fields as _form
from mlcoach.web.render import page as _page
from mlcoach.web.render import whole_number

router = APIRouter()


def _user(request: Request) -> int:
    return user_id(request)


def _assess(request: Request) -> AssessService:
    return coach(request).assess


def _plans(request: Request) -> PlanService:
    return coach(request).plans


def _profile(request: Request) -> profiles.ProfileData:
    user = _user(request)
    return coach(request).store.read(lambda s: profiles.load(s, user))


# profile ------------------------------------------------------------------------------------------

@router.get("/profile", response_class=HTMLResponse)
def profile_page(request: Request, saved: str = "") -> HTMLResponse:
    return _page(request, "profile.html", profile=_profile(request), error=None, saved=bool(saved))


@router.post("/profile", response_model=None)
async def profile_save(request: Request) -> Response:
    form = await _form(request)
    current = _profile(request)
    try:
        data = _profile_from_form(form, current)
        coach(request).profiles.save(_user(request), data)
    except profiles.ProfileError as error:
        return _page(request, "profile.html", status=400, profile=current, error=str(error), saved=False, form=form)
    return RedirectResponse("/profile?saved=1", status_code=303)


def _profile_from_form(form: dict[str, str], current: profiles.ProfileData) -> profiles.ProfileData:
    def number(name: str, label: str, default: float) -> float:
        raw = form.get(name, "").strip()
        if not raw:
            return default
        try:
            return float(raw)
        except ValueError:
            raise profiles.ProfileError(f"{label}: {raw!r} is not a number") from None

    raw_date = form.get("interview_date", "").strip()
    try:
        day = date.fromisoformat(raw_date) if raw_date else None
    except ValueError:
        raise profiles.ProfileError(f"interview date: {raw_date!r} is not a date (YYYY-MM-DD)") from None
    weights = {}
    for area in AREAS:
        raw = form.get(f"weight_{area}", "").strip()
        if raw:
            weights[area] = number(f"weight_{area}", f"weight of {AREA_TITLES[area]}", 0.0)
    return profiles.validate(profiles.ProfileData(
        role=form.get("role", current.role), level=form.get("level", current.level), interview_date=day,
        hours_per_week=number("hours_per_week", "hours per week", current.hours_per_week),
        desired_retention=number("desired_retention", "desired retention", current.desired_retention),
        weights=weights, fsrs_parameters=current.fsrs_parameters))


# assessment ----------------------------------------------------------------------------------------

@router.get("/assess", response_class=HTMLResponse)
def assess_home(request: Request) -> HTMLResponse:
    history = _assess(request).history(_user(request))
    return _page(request, "assess_start.html", profile=_profile(request), history=history)


@router.post("/assess", response_model=None)
async def assess_start(request: Request) -> Response:
    form = await _form(request)
    ratings = {}
    for area in AREAS:
        raw = form.get(f"rate_{area}", "").strip()
        if raw:
            rating = whole_number(raw, 1, 5)
            if rating is None:
                raise HTTPException(400, f"The self-rating for {AREA_TITLES[area]} must be 1 to 5.")
            ratings[area] = rating
    state = _assess(request).start(_user(request), ratings)
    return RedirectResponse(f"/assess/{state.id}", status_code=303)


@router.get("/assess/result", response_class=HTMLResponse)
def assess_result(request: Request) -> HTMLResponse:
    svc = _assess(request)
    summary = svc.summary(_user(request))
    if summary is None:
        return _page(request, "assess_result.html", summary=None, chart=None)
    history = svc.history(_user(request))
    series = {"now": [summary["areas"][a]["score"] for a in AREAS]}
    if len(history) > 1 and history[1].result is not None:
        series = {"before": [history[1].result.areas[a].score for a in AREAS], **series}
    chart = radar([AREA_TITLES[a] for a in AREAS], series)
    return _page(request, "assess_result.html", summary=summary, chart=chart, topic_title=_topic_title(request))


def _topic_title(request: Request) -> Any:
    bank = coach(request).bank

    def title(area: str, slug: str | None) -> str:
        guide = bank.guides.get(area)
        return (guide.topic_title(slug) if guide else slug) if slug else ""

    return title


@router.get("/assess/{assessment_id}", response_class=HTMLResponse)
def assess_check(request: Request, assessment_id: RowId, check: CheckNumber = None) -> Response:
    state = _assess(request).get(_user(request), assessment_id)
    if state.finished:
        return RedirectResponse("/assess/result", status_code=303)
    position = check if check is not None else state.next_position
    current = next((c for c in state.checks if c.position == position), None)
    item = coach(request).bank.get(current.item_id) if current else None
    return _page(request, "assess_check.html", state=state, check=current, item=item, outcome=None)


@router.post("/assess/{assessment_id}/checks/{position}", response_class=HTMLResponse)
async def assess_answer(request: Request, assessment_id: RowId, position: Position) -> HTMLResponse:
    form = await _form(request)
    data = await request.form()
    response: dict[str, Any]
    if "choice" in form:
        choice = whole_number(form["choice"], 0, 100)
        if choice is None:
            raise HTTPException(400, "Pick one of the options.")
        response = {"choice": choice}
    elif form.get("typed", "").strip():
        response = {"typed": form["typed"]}
    else:
        recalled = [n for v in data.getlist("recalled") if isinstance(v, str) and (n := whole_number(v, 0, 1000)) is not None]
        response = {"recalled": recalled}
    svc = _assess(request)
    saved = svc.answer(_user(request), assessment_id, position, response)
    state = svc.get(_user(request), assessment_id)
    item = coach(request).bank.get(saved.item_id)
    return _page(request, "assess_check.html", state=state, check=saved, item=item, outcome=saved)


@router.post("/assess/{assessment_id}/finish", response_model=None)
def assess_finish(request: Request, assessment_id: RowId) -> Response:
    _assess(request).finish(_user(request), assessment_id)
    return RedirectResponse("/assess/result", status_code=303)


# plan ---------------------------------------------------------------------------------------------

@router.get("/plan", response_class=HTMLResponse)
def plan_page(request: Request, all: str = "") -> HTMLResponse:
    svc = _plans(request)
    user = _user(request)
    plan = svc.get(user)
    today = local_day(coach(request).clock())
    days = [] if plan is None else [p for p in plan.days if all or p.day.day >= today]
    return _page(request, "plan.html", plan=plan, days=days, today=today, stale=svc.needs_replan(user) if plan else None,
                 profile=_profile(request), error=None, bank=coach(request).bank)


@router.post("/plan", response_model=None)
def plan_make(request: Request) -> Response:
    try:
        _plans(request).make(_user(request))
    except PlanError as error:
        return _page(request, "plan.html", status=400, plan=None, days=[], today=local_day(coach(request).clock()),
                     stale=None, profile=_profile(request), error=str(error), bank=coach(request).bank)
    return RedirectResponse("/plan", status_code=303)


@router.get("/plan.ics")
def plan_ics(request: Request) -> Response:
    body = _plans(request).ics(_user(request))
    return Response(body, media_type="text/calendar",
                    headers={"Content-Disposition": 'attachment; filename="mlcoach-plan.ics"'})
