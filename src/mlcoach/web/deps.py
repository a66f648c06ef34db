"""What a route may take from the app, typed: the composition root and the current user.

Routes call `coach(request)` (or declare `CoachDep`) and reach every service through it; nothing else
reads `request.app.state`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from mlcoach.coach import Coach


def coach(request: Request) -> Coach:
    return request.app.state.coach  # type: ignore[no-any-return]


def user_id(request: Request) -> int:
    return request.app.state.user_id  # type: ignore[no-any-return]


CoachDep = Annotated[Coach, Depends(coach)]
UserDep = Annotated[int, Depends(user_id)]
