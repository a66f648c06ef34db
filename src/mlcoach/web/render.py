"""One way to render a page, shared by every router."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    return request.app.state.templates.TemplateResponse(request, template, context, status_code=status)  # type: ignore[no-any-return]


async def form_fields(request: Request) -> dict[str, str]:
    """The text fields of a submitted form (files and repeated keys ignored). NUL characters are
    dropped: no text a person types contains them, and PostgreSQL refuses them in text columns."""
    data = await request.form()
    return {key: value.replace("\x00", "") for key, value in data.items() if isinstance(value, str)}


def whole_number(text: str | None, low: int = 0, high: int = 2**63 - 1) -> int | None:
    """`text` as a whole number in [low, high], or None. Only ASCII digits count: `str.isdigit` also
    accepts `²` and `٣`, which `int` then refuses, and a 5,000-digit number must not reach the database."""
    text = (text or "").strip()
    if not text or len(text) > 19 or not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if low <= value <= high else None
