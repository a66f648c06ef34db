"""Read a bank directory into an immutable `Bank`, collecting every problem with its file and line.

Loading never raises for bad content: a file that cannot be understood is left out and reported, a
file with quality problems is loaded and reported. Only a missing bank directory is an error.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from pydantic import ValidationError

from mlcoach.bank.checks import check_meta, check_sections
from mlcoach.bank.parse import MAX_BYTES, ParsedFile, ParseFailure, parse_file, split_sections
from mlcoach.bank.problems import BankError, Problem
from mlcoach.bank.schema import GuideMeta, ItemMeta, describe
from mlcoach.bank.similar import near_duplicates
from mlcoach.core.catalog import Bank
from mlcoach.core.items import AREAS, LEVELS, Guide, Item, ItemId, Quiz, Section

GUIDE = "_guide.md"
IGNORED = frozenset({"README.md", "LICENSE", "LICENSE.md"})


@dataclass(frozen=True, slots=True)
class BankLoad:
    bank: Bank
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(slots=True)
class _Loaded:
    item: Item
    parsed: ParsedFile
    shown: str  # the path as shown in messages


def load_bank(root: str | os.PathLike[str]) -> BankLoad:
    given = Path(root)
    if not given.is_dir():
        raise BankError(f"bank directory not found: {given}")
    problems: list[Problem] = []
    digest = hashlib.sha256()
    guides: dict[str, Guide] = {}
    loaded: list[_Loaded] = []

    def shown(path: Path) -> str:
        relative = os.path.relpath(path)
        return path.as_posix() if relative.startswith("..") else Path(relative).as_posix()

    for entry in sorted(given.iterdir()):
        if entry.name.startswith(".") or entry.name in IGNORED:
            continue
        if entry.is_file():
            problems.append(Problem(shown(entry), 1, "unexpected file at the bank root: items go in content/<area>/"))
            continue
        if entry.name not in AREAS:
            problems.append(Problem(shown(entry), 1, f"unknown area folder `{entry.name}`; areas are: {', '.join(AREAS)}"))
            continue
        area = entry.name
        files = sorted(p for p in entry.iterdir() if not p.name.startswith("."))
        if not (entry / GUIDE).is_file():
            problems.append(Problem(shown(entry / GUIDE), 1, f"missing: every area folder needs a {GUIDE} with its chapter and topic map"))
        for path in files:
            if path.name in IGNORED:
                continue
            if path.is_dir() or path.suffix != ".md":
                problems.append(Problem(shown(path), 1, "unexpected file: an area folder holds only <id>.md items and _guide.md"))
                continue
            if path.name.startswith("_") and path.name != GUIDE:
                problems.append(Problem(shown(path), 1, f"unexpected file: only {GUIDE} may start with `_`"))
                continue
            unreadable = _not_a_content_file(path)
            if unreadable:
                problems.append(Problem(shown(path), 1, unreadable))
                continue
            raw = path.read_bytes()
            relative = path.relative_to(given).as_posix()
            digest.update(relative.encode() + b"\0" + raw + b"\0")
            name = shown(path)
            try:
                parsed = parse_file(raw)
            except ParseFailure as failure:
                problems.append(Problem(name, failure.line, failure.message))
                continue
            problems.extend(Problem(name, line, message) for line, message in parsed.problems)
            if path.name == GUIDE:
                guide = _guide(parsed, area, relative, name, problems)
                if guide is not None:
                    guides[area] = guide
            else:
                item = _item(parsed, area, path.stem, relative, name, problems)
                if item is not None:
                    loaded.append(_Loaded(item, parsed, name))

    items = _cross_checks(loaded, guides, problems)
    bank = Bank(root=str(given.resolve()), items=tuple(items), guides=MappingProxyType(guides), content_hash=digest.hexdigest())
    return BankLoad(bank=bank, problems=tuple(sorted(set(problems))))


def _guide(parsed: ParsedFile, area: str, relative: str, name: str, problems: list[Problem]) -> Guide | None:
    try:
        meta = GuideMeta.model_validate(parsed.data)
    except ValidationError as error:
        problems.extend(Problem(name, parsed.line_of(e["loc"]), describe(e)) for e in error.errors())
        return None
    if meta.area != area:
        problems.append(Problem(name, parsed.line_of(("area",)), f"area is `{meta.area}` but the file is in `{area}/`"))
    if not meta.topics:
        problems.append(Problem(name, parsed.line_of(("topics",)), "`topics` must declare at least one topic"))
    return Guide(
        area=area, title=meta.title, summary=meta.summary, topics=MappingProxyType(dict(meta.topics)),
        markdown=parsed.body.strip(), path=relative,
    )


def _item(parsed: ParsedFile, area: str, stem: str, relative: str, name: str, problems: list[Problem]) -> Item | None:
    try:
        meta = ItemMeta.model_validate(parsed.data)
    except ValidationError as error:
        problems.extend(Problem(name, parsed.line_of(e["loc"]), describe(e)) for e in error.errors())
        return None
    check_meta(meta, lambda loc, message: problems.append(Problem(name, parsed.line_of(loc), message)))
    if meta.id != stem:
        problems.append(Problem(name, parsed.line_of(("id",)), f"id `{meta.id}` must equal the file name `{stem}` (rename the file or fix the id)"))
    if meta.area != area:
        problems.append(Problem(name, parsed.line_of(("area",)), f"area is `{meta.area}` but the file is in `{area}/`"))
    sections, layout = split_sections(parsed.body, parsed.body_line)
    problems.extend(Problem(name, line, message) for line, message in layout)
    check_sections(area, sections, lambda line, message: problems.append(Problem(name, line, message)), parsed.body_line)
    quiz = None
    if meta.quiz is not None:
        quiz = Quiz(meta.quiz.question, tuple(meta.quiz.options), meta.quiz.correct, meta.quiz.explanation)
    return Item(
        id=ItemId(meta.id),
        area=area,
        question=meta.question,
        topic=meta.topic,
        difficulty=meta.difficulty,
        roles=tuple(meta.roles),
        key_points=tuple(point.strip() for point in meta.key_points),
        follow_ups=tuple(question.strip() for question in meta.follow_ups),
        asked_as=tuple(text.strip() for text in meta.asked_as),
        sections=tuple(Section(s.title, s.markdown) for s in sections),
        path=relative,
        tags=tuple(meta.tags),
        related=tuple(ItemId(r) for r in meta.related),
        level_signals=MappingProxyType({lvl: meta.level_signals[lvl] for lvl in LEVELS if lvl in meta.level_signals}),
        quiz=quiz,
    )


def _cross_checks(loaded: list[_Loaded], guides: dict[str, Guide], problems: list[Problem]) -> list[Item]:
    first: dict[str, _Loaded] = {}
    kept: list[_Loaded] = []
    for entry in loaded:
        earlier = first.get(entry.item.id)
        if earlier is not None:
            problems.append(Problem(entry.shown, entry.parsed.line_of(("id",)), f"duplicate id `{entry.item.id}`: already used by {earlier.shown}"))
            continue
        first[entry.item.id] = entry
        kept.append(entry)
    for entry in kept:
        item = entry.item
        guide = guides.get(item.area)
        if guide is not None and item.topic not in guide.topics:
            problems.append(Problem(entry.shown, entry.parsed.line_of(("topic",)), f"topic `{item.topic}` is not declared in {item.area}/_guide.md (topics: {', '.join(guide.topics)})"))
        for index, other in enumerate(item.related):
            if other not in first:
                problems.append(Problem(entry.shown, entry.parsed.line_of(("related", index)), f"related id `{other}` does not exist in the bank"))
    by_id: dict[str, _Loaded] = {entry.item.id: entry for entry in kept}
    for id_a, id_b, score in near_duplicates((e.item.id, e.item.question) for e in kept):
        later = by_id[id_b]
        problems.append(Problem(later.shown, later.parsed.line_of(("question",)), f"question nearly duplicates `{id_a}` ({by_id[id_a].shown}); word overlap {score:.2f}"))
    return [entry.item for entry in kept]


# Larger files are refused from their size alone; smaller ones get parse.py's own message.
MAX_READ_BYTES = 10 * MAX_BYTES


def _not_a_content_file(path: Path) -> str | None:
    """Why `path` cannot be read as a content file, or None. Only regular files are read, and only
    small ones: a FIFO would hang the loader, a device or a huge file would exhaust memory."""
    try:
        info = path.stat()
    except OSError as error:  # a dangling symlink, a symlink loop, no permission
        return f"cannot read this file: {error.strerror or error}"
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file (content files are plain files, not FIFOs, devices or sockets)"
    if info.st_size > MAX_READ_BYTES:
        return f"file is {info.st_size:,} bytes; the limit is {MAX_BYTES:,} (split it or trim it)"
    return None
