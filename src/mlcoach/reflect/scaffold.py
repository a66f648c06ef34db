"""A draft bank item from a gap: the question is the user's, the rest is marked TODO for a contributor."""

from __future__ import annotations

import re

import yaml

from mlcoach.bank.sections import AREA_SECTIONS
from mlcoach.core.catalog import Bank
from mlcoach.core.items import AREAS, ROLES
from mlcoach.core.reflect import LoggedQuestion

TODO_ANSWER = "TODO: write the model answer (lint fails until this is replaced)."


def slug(text: str, taken: set[str], limit: int = 60) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower())
    stop = {"the", "a", "an", "of", "to", "and", "in", "on", "for", "how", "what", "why", "do", "you", "would", "is", "are", "me", "about", "your", "with"}
    base = "-".join(w for w in words if w not in stop)[:limit].strip("-") or "new-item"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def draft(bank: Bank, question: LoggedQuestion, area: str, topic: str | None = None) -> tuple[str, str]:
    """(file name relative to the bank, file text) of a draft item for this gap."""
    if area not in AREAS:
        raise ValueError(f"area must be one of {', '.join(AREAS)}")
    guide = bank.guides.get(area)
    if guide is None or not guide.topics:
        raise ValueError(f"the bank has no {area}/_guide.md with topics to file the draft under")
    chosen = topic if topic in guide.topics else next(iter(guide.topics))
    text = question.text.strip()
    if not text.endswith("?"):
        text = text[0].upper() + text[1:] if text else text
    item_id = slug(text, {item.id for item in bank.items})
    front = {
        "id": item_id,
        "area": area,
        "question": text,
        # The logged wording is a real phrasing; the contributor adds how others would put it.
        "asked_as": [
            question.text.strip(),
            "TODO: how another interviewer would ask it",
            "TODO: how a candidate would recall it afterwards",
        ],
        "topic": chosen,
        "difficulty": 2,
        "roles": list(ROLES),
        "key_points": [
            "TODO: the first precise claim a strong answer makes",
            "TODO: the second precise claim a strong answer makes",
            "TODO: the third precise claim a strong answer makes",
        ],
        "follow_ups": ["TODO: the question an interviewer asks next?"],
    }
    sections = [f"## Answer\n\n{TODO_ANSWER}\n"]
    if any(title == "Common mistakes" for title, _ in AREA_SECTIONS[area]):
        sections.append("## Common mistakes\n\n- TODO: where candidates slip.\n")
    yaml_text = yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=100)
    return f"{area}/{item_id}.md", f"---\n{yaml_text}---\n\n" + "\n".join(sections)
