"""What a route may take from the app, typed: the composition root and the current user.

Routes call `coach(request)` (or declare `CoachDep`) and reach every service through it; nothing else
reads `request.app.state`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Query, Request

from mlcoach.coach import Coach


def coach(request: Request) -> Coach:
    return request.app.state.coach  # type: ignore[no-any-return]


def user_id(request: Request) -> int:
    return request.app.state.user_id  # type: ignore[no-any-return]


CoachDep = Annotated[Coach, Depends(coach)]
UserDep = Annotated[int, Depends(user_id)]

# A row id in a URL: a positive 64-bit integer, or the route answers 404 before touching the database
# (SQLite and PostgreSQL overflow on larger numbers). Positions are small.
MAX_ROW_ID = 2**63 - 1
RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
Position = Annotated[int, Path(ge=0, le=10_000)]
CheckNumber = Annotated[int | None, Query(ge=0, le=10_000)]
