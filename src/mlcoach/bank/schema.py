"""The front matter contract, as pydantic models. Unknown keys are errors (`extra="forbid"`).

Types and required keys live here: a file that fails them cannot be loaded. Counts and lengths that
are about quality (how many key points, how long) are checked in `checks.py`, so an item with one key
point too many still loads and lint still reports it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, field_validator

from mlcoach.core.items import AREAS, LEVELS, ROLES

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
Slug = Annotated[StrictStr, Field(pattern=SLUG_PATTERN, max_length=80)]
Area = Literal[AREAS]  # type: ignore[valid-type]
Role = Literal[ROLES]  # type: ignore[valid-type]
Level = Literal[LEVELS]  # type: ignore[valid-type]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


def _no_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value.strip()


class QuizMeta(_Strict):
    question: StrictStr
    options: list[StrictStr]
    correct: StrictInt
    explanation: StrictStr

    _strip = field_validator("question", "explanation")(_no_blank)


class ItemMeta(_Strict):
    id: Slug
    area: Area
    question: StrictStr
    asked_as: list[StrictStr] = []
    topic: Slug
    difficulty: Literal[1, 2, 3]
    roles: list[Role]
    key_points: list[StrictStr]
    follow_ups: list[StrictStr]
    tags: list[Slug] = []
    related: list[Slug] = []
    level_signals: dict[Level, StrictStr] = {}
    quiz: QuizMeta | None = None

    _strip = field_validator("question")(_no_blank)


class GuideMeta(_Strict):
    area: Area
    title: StrictStr
    summary: StrictStr
    topics: dict[Slug, StrictStr]

    _strip = field_validator("title", "summary")(_no_blank)


def describe(error: Mapping[str, Any]) -> str:
    """A pydantic error in words a content contributor understands."""
    loc = _where(error["loc"])
    kind = error["type"]
    value = error.get("input")
    if kind == "missing":
        return f"missing required key `{loc}`"
    if kind == "extra_forbidden":
        return f"unknown key `{loc}` (check the spelling; allowed keys are listed in docs/content-format.md)"
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        return f"`{loc}` is {value!r}; expected one of {expected}"
    if kind == "string_pattern_mismatch":
        return f"`{loc}` is {value!r}; use a slug: lowercase letters, digits and single hyphens"
    if kind in ("string_type", "int_type", "list_type", "dict_type", "model_type"):
        wanted = {"string_type": "text", "int_type": "a whole number", "list_type": "a list",
                  "dict_type": "a mapping", "model_type": "a mapping"}[kind]
        return f"`{loc}` must be {wanted}, not {type(value).__name__} {value!r}"
    return f"`{loc}`: {error['msg']}"


def _where(loc: tuple[str | int, ...]) -> str:
    """('key_points', 1) -> 'key_points[2]': 1-based, as a contributor counts list entries."""
    text = ""
    for part in loc:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "front matter"
