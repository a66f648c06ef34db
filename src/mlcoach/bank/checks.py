"""Quality checks on one item that has the right shape: counts, lengths, sections, answer."""

from __future__ import annotations

import re
from collections.abc import Callable

from mlcoach.bank.parse import RawSection
from mlcoach.bank.schema import ItemMeta
from mlcoach.bank.sections import ANSWER, AREA_SECTIONS, required_titles

MIN_ANSWER_WORDS = 40
# Every item must say how its question is really asked (the matcher indexes these phrasings).
REQUIRE_ASKED_AS = True
_WORD = re.compile(r"\w+")

Report = Callable[[tuple[str | int, ...], str], None]  # (front matter location, message)


def check_meta(meta: ItemMeta, report: Report) -> None:
    _count(meta.key_points, "key_points", 3, 8, report)
    _lengths(meta.key_points, "key_points", 10, 200, report)
    _count(meta.follow_ups, "follow_ups", 1, 5, report)
    _lengths(meta.follow_ups, "follow_ups", 10, 300, report)
    if REQUIRE_ASKED_AS or meta.asked_as:
        _count(meta.asked_as, "asked_as", 3, 8, report)
    _lengths(meta.asked_as, "asked_as", 10, 300, report)
    _repeats(meta.asked_as, "asked_as", report)
    _repeats(meta.key_points, "key_points", report)
    _repeats(meta.follow_ups, "follow_ups", report)
    _repeats(meta.roles, "roles", report)
    for name, values in (("key_points", meta.key_points), ("follow_ups", meta.follow_ups), ("asked_as", meta.asked_as)):
        for index, value in enumerate(values):
            if "TODO" in value:
                report((name, index), f"{name}[{index + 1}] is marked TODO: write it")
    if not meta.roles:
        report(("roles",), "`roles` must name at least one of mle, ds, mlswe")
    if not 15 <= len(meta.question) <= 600:
        report(("question",), f"question is {len(meta.question)} characters; keep it between 15 and 600")
    if meta.id in meta.related:
        report(("related",), "an item cannot be related to itself")
    for level, text in meta.level_signals.items():
        if not text.strip():
            report(("level_signals", level), f"level_signals.{level} is empty")
    if meta.quiz is not None:
        quiz = meta.quiz
        if len(quiz.options) != 4:
            report(("quiz", "options"), f"quiz needs exactly 4 options, found {len(quiz.options)}")
        if len({o.strip().lower() for o in quiz.options}) != len(quiz.options):
            report(("quiz", "options"), "quiz options must be distinct")
        if any(not o.strip() for o in quiz.options):
            report(("quiz", "options"), "quiz options must not be empty")
        if not 1 <= quiz.correct <= max(len(quiz.options), 1):
            report(("quiz", "correct"), f"quiz.correct is {quiz.correct}; it is the 1-based number of the right option")
        if not 10 <= len(quiz.question) <= 300:
            report(("quiz", "question"), "quiz.question must be 10–300 characters")
        if "\n" in quiz.explanation.strip() or len(quiz.explanation) > 250:
            report(("quiz", "explanation"), "quiz.explanation must be one line of at most 250 characters")


def check_sections(area: str, sections: list[RawSection], report_line: Callable[[int, str], None], body_line: int) -> None:
    allowed = [title for title, _ in AREA_SECTIONS[area]]
    seen: dict[str, int] = {}
    last_index = -1
    for section in sections:
        if section.title not in allowed:
            report_line(section.line, f"unknown section `## {section.title}` for {area}; allowed, in order: {', '.join(allowed)}")
            continue
        if section.title in seen:
            report_line(section.line, f"section `## {section.title}` appears twice (first at line {seen[section.title]})")
            continue
        index = allowed.index(section.title)
        if index < last_index:
            report_line(section.line, f"section `## {section.title}` is out of order; the order is: {', '.join(allowed)}")
        last_index = max(last_index, index)
        seen[section.title] = section.line
        if not section.markdown.strip():
            report_line(section.line, f"section `## {section.title}` is empty")
    where = sections[0].line if sections else body_line
    for title in required_titles(area):
        if title not in seen:
            report_line(where, f"missing required section `## {title}`")
    answer = next((s for s in sections if s.title == ANSWER), None)
    if answer is not None and answer.markdown.strip():
        words = len(_WORD.findall(answer.markdown))
        if "TODO" in answer.markdown:
            report_line(answer.line, "the answer is marked TODO: write the model answer")
        elif words < MIN_ANSWER_WORDS:
            report_line(answer.line, f"the answer has {words} words; a model answer needs at least {MIN_ANSWER_WORDS}")


def _count(values: list, name: str, low: int, high: int, report: Report) -> None:  # type: ignore[type-arg]
    if not low <= len(values) <= high:
        report((name,), f"`{name}` has {len(values)} entries; it needs {low}–{high}")


def _lengths(values: list[str], name: str, low: int, high: int, report: Report) -> None:
    for index, value in enumerate(values):
        if not low <= len(value.strip()) <= high:
            report((name, index), f"{name}[{index + 1}] is {len(value.strip())} characters; keep each between {low} and {high}")


def _repeats(values: list[str], name: str, report: Report) -> None:
    seen: set[str] = set()
    for index, value in enumerate(values):
        key = value.strip().lower()
        if key in seen:
            report((name, index), f"{name}[{index + 1}] repeats an earlier entry")
        seen.add(key)
