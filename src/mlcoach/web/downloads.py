"""Downloads: the printable guides (built on demand, cached by bank content) and the Anki deck."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.exceptions import HTTPException

from mlcoach.core.catalog import Bank
from mlcoach.core.items import AREAS
from mlcoach.web.deps import coach, user_id
from mlcoach.web.render import page as _page

router = APIRouter()

APKG_TYPE = "application/apkg"  # what Anki registers for .apkg files


def _bank(request: Request) -> Bank:
    return coach(request).bank


def attachment(data: bytes, media_type: str, filename: str) -> Response:
    return Response(data, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@router.get("/downloads", response_class=HTMLResponse)
def downloads(request: Request) -> HTMLResponse:
    bank = _bank(request)
    guides = [{"area": area, "guide": bank.guides.get(area), "count": len(bank.filter(area=area))} for area in AREAS]
    return _page(request, "downloads.html", guides=guides, total=len(bank.items))


# Registered before the guide page, whose `/guides/{area}` would otherwise take "ml-theory.pdf" as an area.
@router.get("/guides/{area}.pdf")
def guide_pdf(request: Request, area: str) -> Response:
    from mlcoach.publish.cache import cached_guide
    from mlcoach.publish.compiler import PublishError

    if area not in AREAS:
        raise HTTPException(404, f"There is no guide called “{area}”.")
    try:
        data = cached_guide(_bank(request), area)
    except PublishError as error:
        raise HTTPException(500, f"The guide could not be built: {error}") from None
    return attachment(data, "application/pdf", f"mlcoach-{area}.pdf")


@router.get("/export/anki")
def anki_deck(request: Request) -> Response:
    from mlcoach.publish.anki import deck_bytes

    areas = request.query_params.getlist("area")
    unknown = [a for a in areas if a not in AREAS]
    if unknown:
        raise HTTPException(400, f"Unknown area “{unknown[0]}”; areas are: {', '.join(AREAS)}.")
    data, _ = deck_bytes(_bank(request), areas)
    name = "mlcoach.apkg" if not areas or len(areas) == len(AREAS) else f"mlcoach-{'-'.join(areas)}.apkg"
    return attachment(data, APKG_TYPE, name)


@router.get("/export/report.pdf")
def progress_report(request: Request) -> Response:
    from mlcoach.publish.compiler import PublishError
    try:
        pdf = coach(request).exports.progress_report(user_id(request))
    except PublishError as error:
        raise HTTPException(500, f"The report could not be built: {error}") from None
    return attachment(pdf.data, "application/pdf", "mlcoach-progress.pdf")


@router.get("/export/notes.md")
def notes_export(request: Request) -> Response:
    text = coach(request).exports.notes_markdown(user_id(request))
    return attachment(text.encode("utf-8"), "text/markdown; charset=utf-8", "mlcoach-notes.md")
