"""Mock interview pages: choose a round, answer against the clock (autosaved), feedback, scorecard;
peer mode with an interviewer view and a candidate view kept in sync; history of attempts."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from mlcoach.mock.service import MockError, MockService
from mlcoach.web.deps import RowId, coach, user_id
from mlcoach.web.render import form_fields as _form
from mlcoach.web.render import page as _page
from mlcoach.web.render import whole_number

router = APIRouter()


def _svc(request: Request) -> MockService:
    return coach(request).mock


def _who(request: Request) -> dict[str, Any]:
    """Who is asking: the local user, or the holder of a peer link's token."""
    token = request.query_params.get("token")
    return {"token": token} if token else {"user_id": user_id(request)}


def _position(form: dict[str, str]) -> int:
    try:
        return int(form.get("position", ""))
    except ValueError:
        raise HTTPException(400, "The form did not say which question it answers.") from None


@router.get("/mock", response_class=HTMLResponse)
def mock_home(request: Request) -> HTMLResponse:
    return _page(request, "mock_home.html", sessions=_svc(request).sessions(user_id(request)), error=None)


@router.post("/mock", response_model=None)
async def mock_start(request: Request) -> Response:
    form = await _form(request)
    try:
        session_id = _svc(request).start(user_id(request), form.get("round_type", ""), form.get("mode", "solo"),
                                         form.get("role") or None, form.get("level", "mid"))
    except MockError as error:
        return _page(request, "mock_home.html", status=422, sessions=_svc(request).sessions(user_id(request)), error=str(error))
    state = _svc(request).state(session_id, user_id=user_id(request))
    if state.mode == "peer":
        return RedirectResponse(f"/mock/{session_id}/share", status_code=303)
    return RedirectResponse(f"/mock/{session_id}", status_code=303)


# Before /mock/{session_id}, which would otherwise read "packet" as a round number.
@router.get("/mock/packet", response_model=None)
def mock_packet(request: Request, round_type: str = "ml-theory", role: str = "", level: str = "mid") -> Response:
    """The round printed for a peer or mentor who runs it offline (a new plan on every download)."""
    from mlcoach.publish.compiler import PublishError
    from mlcoach.publish.packet import build_packet

    seed = int(coach(request).clock().timestamp())
    try:
        pdf = build_packet(_svc(request).bank, round_type, role or None, level, seed=seed)
    except ValueError as error:
        return _page(request, "mock_home.html", status=422, sessions=_svc(request).sessions(user_id(request)),
                     error=str(error))
    except PublishError as error:
        raise HTTPException(500, f"The packet could not be built: {error}") from None
    return Response(pdf.data, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="mlcoach-packet-{round_type}.pdf"'})


def _state(request: Request, session_id: int) -> Any:
    return _svc(request).state(session_id, **_who(request))


@router.get("/mock/{session_id}/share", response_class=HTMLResponse)
def mock_share(request: Request, session_id: RowId) -> HTMLResponse:
    state = _state(request, session_id)
    base = str(request.base_url).rstrip("/")
    return _page(request, "mock_share.html", s=state, base=base)


@router.get("/mock/{session_id}", response_class=HTMLResponse)
def mock_candidate(request: Request, session_id: RowId) -> Response:
    """The candidate's view: the question, the timer, the answer box (solo mode adds the feedback)."""
    state = _state(request, session_id)
    token = request.query_params.get("token")
    if token and token == state.interviewer_token:
        return RedirectResponse(f"/mock/{session_id}/interviewer?token={token}", status_code=303)
    if state.status == "finished" and state.mode == "solo":
        return RedirectResponse(f"/mock/{session_id}/result", status_code=303)
    return _page(request, "mock_question.html", s=state, token=token or "", role="candidate")


@router.get("/mock/{session_id}/interviewer", response_class=HTMLResponse)
def mock_interviewer(request: Request, session_id: RowId) -> HTMLResponse:
    state = _state(request, session_id)
    token = request.query_params.get("token", "")
    if not token or token != state.interviewer_token:
        raise HTTPException(404, "This interviewer link is not valid.")
    return _page(request, "mock_interviewer.html", s=state, token=token, role="interviewer")


@router.get("/mock/{session_id}/status", response_class=HTMLResponse)
def mock_status(request: Request, session_id: RowId) -> HTMLResponse:
    """Polled by both peer views: a fragment with the current question and timer."""
    state = _state(request, session_id)
    role = request.query_params.get("as", "candidate")
    token = request.query_params.get("token", "")
    if role == "interviewer" and token != state.interviewer_token:
        raise HTTPException(404, "This interviewer link is not valid.")
    return _page(request, "_mock_status.html", s=state, role=role, token=token)


@router.post("/mock/{session_id}/autosave")
async def mock_autosave(request: Request, session_id: RowId) -> JSONResponse:
    form = await _form(request)
    try:
        saved = _svc(request).autosave(session_id, _position(form), form.get("answer", ""), **_who(request))
    except MockError as error:
        return JSONResponse({"saved": False, "error": str(error)}, status_code=409)
    return JSONResponse({"saved": True, "at": saved.isoformat()})


@router.post("/mock/{session_id}/answer", response_class=HTMLResponse)
async def mock_answer(request: Request, session_id: RowId) -> HTMLResponse:
    form = await _form(request)
    svc = _svc(request)
    svc.submit(session_id, _position(form), form.get("answer", ""), **_who(request))
    state = svc.state(session_id, **_who(request))
    return _page(request, "_mock_feedback.html", s=state, q=state.current, token=request.query_params.get("token", ""))


@router.post("/mock/{session_id}/follow-up", response_class=HTMLResponse)
async def mock_follow_up(request: Request, session_id: RowId) -> Response:
    form = await _form(request)
    _svc(request).answer_follow_up(session_id, _position(form), form.get("answer", ""), **_who(request))
    return HTMLResponse('<p class="saved" id="follow-up-saved">Follow-up answer saved.</p>')


@router.post("/mock/{session_id}/next", response_model=None)
def mock_next(request: Request, session_id: RowId) -> Response:
    token = request.query_params.get("token", "")
    state = _svc(request).advance(session_id, **_who(request))
    suffix = f"?token={token}" if token else ""
    if token and token == state.interviewer_token:
        return RedirectResponse(f"/mock/{session_id}/interviewer{suffix}", status_code=303)
    if state.status == "finished":
        return RedirectResponse(f"/mock/{session_id}/result{suffix}", status_code=303)
    return RedirectResponse(f"/mock/{session_id}{suffix}", status_code=303)


@router.post("/mock/{session_id}/scorecard", response_model=None)
async def mock_scorecard(request: Request, session_id: RowId) -> Response:
    form = await _form(request)
    token = request.query_params.get("token", "")
    scores = {}
    for key, value in form.items():
        if key.startswith("dim:") and value:
            score = whole_number(value, 1, 4)
            if score is None:
                raise HTTPException(400, f"Score “{key[4:]}” from 1 to 4.")
            scores[key[4:]] = score
    _svc(request).save_scorecard(session_id, token, scores, form.get("notes", ""))
    return RedirectResponse(f"/mock/{session_id}/interviewer?token={token}&saved=1", status_code=303)


@router.get("/mock/{session_id}/result", response_class=HTMLResponse)
def mock_result(request: Request, session_id: RowId) -> HTMLResponse:
    card, rows = _svc(request).result(session_id, **_who(request))
    state = _svc(request).state(session_id, **_who(request))
    return _page(request, "mock_result.html", card=card, rows=rows, s=state)


@router.get("/history", response_class=HTMLResponse)
def history(request: Request) -> HTMLResponse:
    return _page(request, "history.html", h=_svc(request).history(user_id(request)))
