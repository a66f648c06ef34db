"""The story bank: the user's own STAR stories, each mapped to behavioral competencies."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from mlcoach.core.catalog import Bank
from mlcoach.core.clock import Clock
from mlcoach.core.errors import Invalid, NotFound
from mlcoach.core.items import Item
from mlcoach.store import Store
from mlcoach.store.models import Story

MAX_FIELD = 10_000
PARTS = ("situation", "task", "action", "result")
_WORD = re.compile(r"[a-z][a-z0-9'-]{2,}")
_STOP = frozenset("the and that with for you your was were this from have had about when what time tell how did they them"
                  " their there which would could into our out not but all are its it's one two".split())


class StoryError(Invalid, ValueError):
    pass


class StoryNotFound(NotFound, StoryError):
    """What was asked for does not exist (a 404 on the web, exit 1 in the CLI)."""


@dataclass(frozen=True)
class StoryInput:
    title: str
    situation: str = ""
    task: str = ""
    action: str = ""
    result: str = ""
    competencies: tuple[str, ...] = ()


@dataclass(frozen=True)
class StoryView:
    id: int
    title: str
    situation: str
    task: str
    action: str
    result: str
    competencies: tuple[str, ...]
    updated_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, **{p: getattr(self, p) for p in PARTS},
                "competencies": list(self.competencies), "updated_at": self.updated_at.isoformat()}

    @property
    def text(self) -> str:
        return " ".join([self.title, self.situation, self.task, self.action, self.result])


def _view(row: Story) -> StoryView:
    return StoryView(row.id, row.title, row.situation, row.task, row.action, row.result, tuple(row.competencies), row.updated_at)


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP}


def suggest(stories: Sequence[StoryView], item: Item, limit: int = 3) -> list[StoryView]:
    """Stories that fit a behavioral question: those mapped to its competency first, then by shared words."""
    asked = _words(" ".join([item.question, *item.key_points]))

    def rank(story: StoryView) -> tuple[int, int, int]:
        return (0 if item.topic in story.competencies else 1, -len(asked & _words(story.text)), story.id)

    ranked = sorted(stories, key=rank)
    return [s for s in ranked if item.topic in s.competencies or asked & _words(s.text)][:limit]


class StoryService:
    def __init__(self, bank: Bank, store: Store, clock: Clock) -> None:
        self.bank, self.store, self.clock = bank, store, clock

    @property
    def competencies(self) -> dict[str, str]:
        """Slug -> title, from the behavioral guide's topic map."""
        guide = self.bank.guides.get("behavioral")
        if guide is not None and guide.topics:
            return dict(guide.topics)
        return {slug: title for slug, title, _ in self.bank.topics("behavioral")}

    def validate(self, data: StoryInput) -> StoryInput:
        title = data.title.strip()
        if not title:
            raise StoryError("a story needs a title")
        if len(title) > 200:
            raise StoryError("a title holds at most 200 characters")
        for part in PARTS:
            if len(getattr(data, part)) > MAX_FIELD:
                raise StoryError(f"the {part} holds at most {MAX_FIELD} characters")
        known = self.competencies
        unknown = [c for c in data.competencies if c not in known]
        if unknown:
            raise StoryError(f"unknown competency {unknown[0]!r}; choose from {', '.join(known)}")
        parts = {p: getattr(data, p).strip() for p in PARTS}
        return StoryInput(title, **parts, competencies=tuple(dict.fromkeys(data.competencies)))

    def add(self, user_id: int, data: StoryInput) -> StoryView:
        data = self.validate(data)
        now = self.clock()

        def save(session: Any) -> StoryView:
            row = Story(user_id=user_id, title=data.title, situation=data.situation, task=data.task, action=data.action,
                        result=data.result, competencies=list(data.competencies), created_at=now, updated_at=now)
            session.add(row)
            session.flush()
            return _view(row)

        return self.store.write(save)

    def edit(self, user_id: int, story_id: int, data: StoryInput) -> StoryView:
        data = self.validate(data)
        now = self.clock()

        def save(session: Any) -> StoryView:
            row = _own(session, user_id, story_id)
            row.title, row.situation, row.task, row.action, row.result = data.title, data.situation, data.task, data.action, data.result
            row.competencies, row.updated_at = list(data.competencies), now
            session.flush()
            return _view(row)

        return self.store.write(save)

    def delete(self, user_id: int, story_id: int) -> None:
        self.store.write(lambda s: s.delete(_own(s, user_id, story_id)))

    def get(self, user_id: int, story_id: int) -> StoryView:
        return self.store.read(lambda s: _view(_own(s, user_id, story_id)))

    def all(self, user_id: int) -> list[StoryView]:
        return self.store.read(lambda s: [_view(r) for r in s.scalars(
            select(Story).where(Story.user_id == user_id).order_by(Story.id)).all()])

    def coverage(self, user_id: int) -> Mapping[str, list[StoryView]]:
        """Every competency with the stories mapped to it (an empty list: a competency with no story)."""
        stories = self.all(user_id)
        return {slug: [s for s in stories if slug in s.competencies] for slug in self.competencies}

    def for_item(self, user_id: int, item: Item) -> list[StoryView]:
        if item.area != "behavioral":
            return []
        return suggest(self.all(user_id), item)


def _own(session: Any, user_id: int, story_id: int) -> Story:
    row = session.get(Story, story_id)
    if row is None or row.user_id != user_id:
        raise StoryNotFound(f"no story {story_id}")
    return row  # type: ignore[no-any-return]
