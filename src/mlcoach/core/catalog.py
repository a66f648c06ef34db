"""The loaded bank as one immutable object: lookup, filters and counts. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from mlcoach.core.items import AREAS, ROLES, Guide, Item


@dataclass(frozen=True, slots=True)
class Bank:
    root: str
    items: tuple[Item, ...]
    guides: Mapping[str, Guide]
    content_hash: str  # changes whenever any file of the bank changes; keys caches
    _by_id: Mapping[str, Item] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {item.id: item for item in self.items})

    def get(self, item_id: str) -> Item | None:
        return self._by_id.get(item_id)

    def __len__(self) -> int:
        return len(self.items)

    def filter(
        self,
        area: str | None = None,
        topic: str | None = None,
        difficulty: int | None = None,
        role: str | None = None,
    ) -> tuple[Item, ...]:
        return tuple(
            item
            for item in self.items
            if (area is None or item.area == area)
            and (topic is None or item.topic == topic)
            and (difficulty is None or item.difficulty == difficulty)
            and (role is None or role in item.roles)
        )

    def topics(self, area: str) -> list[tuple[str, str, int]]:
        """(slug, title, item count) for an area, in the guide's order, then any undeclared ones."""
        guide = self.guides.get(area)
        counts: dict[str, int] = {}
        for item in self.filter(area=area):
            counts[item.topic] = counts.get(item.topic, 0) + 1
        order = list(guide.topics) if guide else []
        order += sorted(set(counts) - set(order))
        return [(slug, guide.topic_title(slug) if guide else slug, counts.get(slug, 0)) for slug in order]


def stats(items: Iterable[Item]) -> dict[str, object]:
    """The `bank stats --json` contract."""
    items = tuple(items)
    by_area = {area: 0 for area in AREAS}
    by_difficulty = {"1": 0, "2": 0, "3": 0}
    by_role = {role: 0 for role in ROLES}
    for item in items:
        by_area[item.area] += 1
        by_difficulty[str(item.difficulty)] += 1
        for role in item.roles:
            by_role[role] += 1
    return {
        "items": len(items),
        "by_area": by_area,
        "with_answer": sum(1 for item in items if has_answer(item)),
        "with_key_points": sum(1 for item in items if item.key_points),
        "with_follow_ups": sum(1 for item in items if item.follow_ups),
        "by_difficulty": by_difficulty,
        "by_role": by_role,
    }


def has_answer(item: Item) -> bool:
    answer = item.answer.strip()
    return bool(answer) and "TODO" not in answer
