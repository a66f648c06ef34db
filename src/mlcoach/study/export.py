"""The user's own writing as Markdown: notes per item and the story bank, to keep or share."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from mlcoach.core.catalog import Bank
from mlcoach.core.items import AREA_TITLES, AREAS
from mlcoach.study.notes import NoteView
from mlcoach.study.stories import PARTS, StoryView


def notes_markdown(bank: Bank, notes: Sequence[NoteView], stories: Sequence[StoryView], competencies: dict[str, str],
                   generated: datetime) -> str:
    """Notes grouped by area in the guides' order (then gap cards), stories with their STAR parts."""
    lines = ["# My mlcoach notes", "", f"Exported {generated:%Y-%m-%d %H:%M} UTC.", ""]
    by_area: dict[str, list[tuple[str, NoteView]]] = {}
    for note in notes:
        item = bank.get(note.item_id)
        area = item.area if item else "other"
        by_area.setdefault(area, []).append((item.question if item else note.item_id, note))
    lines += ["## Notes", ""]
    if not notes:
        lines += ["No notes yet.", ""]
    for area in [*AREAS, "other"]:
        if area not in by_area:
            continue
        lines += [f"### {AREA_TITLES.get(area, 'Other (interview gaps and removed items)')}", ""]
        for question, note in sorted(by_area[area], key=lambda pair: pair[1].item_id):
            lines += [f"#### {question}", "", f"`{note.item_id}` · updated {note.updated_at:%Y-%m-%d}", "",
                      _demote(note.body.strip()), ""]
    lines += ["## Story bank", ""]
    if not stories:
        lines += ["No stories yet.", ""]
    for story in stories:
        shown = ", ".join(competencies.get(c, c) for c in story.competencies) or "no competency"
        lines += [f"### {story.title}", "", f"*Competencies: {shown}*", ""]
        for part in PARTS:
            text = getattr(story, part).strip()
            if text:
                lines += [f"**{part.capitalize()}.** {text}", ""]
    missing = [title for slug, title in competencies.items() if not any(slug in s.competencies for s in stories)]
    if missing:
        lines += ["Competencies with no story yet: " + ", ".join(missing) + ".", ""]
    return "\n".join(lines).rstrip() + "\n"


def _demote(markdown: str) -> str:
    """Headings inside a note sit below the note's own heading level."""
    out = []
    fenced = False
    for line in markdown.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        level = len(line) - len(line.lstrip("#"))
        if not fenced and 1 <= level <= 6 and line[level:level + 1] in (" ", ""):
            line = "#" * min(6, level + 4) + line[level:]
        out.append(line)
    return "\n".join(out)
