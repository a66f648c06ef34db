"""The vocabulary of the content bank: areas, roles, levels, and the immutable item and guide."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import NewType

ItemId = NewType("ItemId", str)

# The six guides, in the order the product presents them.
AREAS: tuple[str, ...] = (
    "behavioral",
    "cross-team",
    "product-design",
    "case-study",
    "system-design",
    "ml-theory",
)
AREA_TITLES: Mapping[str, str] = MappingProxyType(
    {
        "behavioral": "Behavioral",
        "cross-team": "Cross-team communication",
        "product-design": "Product design",
        "case-study": "ML case studies",
        "system-design": "ML system design",
        "ml-theory": "ML theory",
    }
)
ROLES: tuple[str, ...] = ("mle", "ds", "mlswe")
ROLE_TITLES: Mapping[str, str] = MappingProxyType(
    {"mle": "ML engineer", "ds": "Data scientist", "mlswe": "ML software engineer"}
)
LEVELS: tuple[str, ...] = ("junior", "mid", "senior", "staff")
DIFFICULTIES: Mapping[int, str] = MappingProxyType({1: "easy", 2: "medium", 3: "hard"})


@dataclass(frozen=True, slots=True)
class Quiz:
    question: str
    options: tuple[str, ...]
    correct: int  # 1-based, as written in the content files
    explanation: str


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    markdown: str


@dataclass(frozen=True, slots=True)
class Item:
    id: ItemId
    area: str
    question: str
    topic: str
    difficulty: int
    roles: tuple[str, ...]
    key_points: tuple[str, ...]
    follow_ups: tuple[str, ...]
    sections: tuple[Section, ...]
    path: str  # relative to the bank root, for messages and links to the source
    tags: tuple[str, ...] = ()
    related: tuple[ItemId, ...] = ()
    level_signals: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    quiz: Quiz | None = None
    asked_as: tuple[str, ...] = ()  # how the question is really put, by interviewers and candidates

    def section(self, title: str) -> str | None:
        for section in self.sections:
            if section.title == title:
                return section.markdown
        return None

    @property
    def answer(self) -> str:
        return self.section("Answer") or ""

    @property
    def common_mistakes(self) -> str | None:
        return self.section("Common mistakes")

    @property
    def phases(self) -> tuple[Section, ...]:
        """The worked sections around the Answer (phases of a design, the approach, ...)."""
        return tuple(s for s in self.sections if s.title not in ("Answer", "Common mistakes"))

    @property
    def model_answer(self) -> str:
        """The Answer with its phase sections: what a grader compares a candidate's answer to."""
        parts = [s.markdown for s in self.sections if s.title != "Common mistakes"]
        return "\n\n".join(p for p in parts if p)


@dataclass(frozen=True, slots=True)
class Guide:
    area: str
    title: str
    summary: str
    topics: Mapping[str, str]  # slug -> display name, in reading order
    markdown: str
    path: str

    def topic_title(self, slug: str) -> str:
        return self.topics.get(slug, slug)


def item_summary(item: Item) -> dict[str, object]:
    """The short JSON form of an item, as `bank list --json` prints it."""
    return {
        "id": item.id,
        "area": item.area,
        "topic": item.topic,
        "difficulty": item.difficulty,
        "roles": list(item.roles),
        "question": item.question,
        "path": item.path,
    }


def item_detail(item: Item) -> dict[str, object]:
    """The full JSON form of an item, as `bank show --json` prints it."""
    return {
        **item_summary(item),
        "asked_as": list(item.asked_as),
        "key_points": list(item.key_points),
        "follow_ups": list(item.follow_ups),
        "tags": list(item.tags),
        "related": list(item.related),
        "level_signals": dict(item.level_signals),
        "quiz": None
        if item.quiz is None
        else {
            "question": item.quiz.question,
            "options": list(item.quiz.options),
            "correct": item.quiz.correct,
            "explanation": item.quiz.explanation,
        },
        "answer": item.answer,
        "sections": [{"title": s.title, "markdown": s.markdown} for s in item.sections],
    }
