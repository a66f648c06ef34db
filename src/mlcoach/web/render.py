"""One way to render a page, shared by every router."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    return request.app.state.templates.TemplateResponse(request, template, context, status_code=status)  # type: ignore[no-any-return]


async def form_fields(request: Request) -> dict[str, str]:
    """The text fields of a submitted form (files and repeated keys ignored)."""
    data = await request.form()
    return {key: str(value) for key, value in data.items() if isinstance(value, str)}
