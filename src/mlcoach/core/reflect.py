"""Review and reflect (step 4): interview logs, their questions, and what they say about gaps. Pure."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from mlcoach.core.errors import Invalid
from mlcoach.core.items import AREAS

# A round is usually one area; coding and other rounds have no guide.
ROUND_TYPES: tuple[str, ...] = (*AREAS, "coding", "other")
OUTCOMES: tuple[str, ...] = ("pending", "advanced", "offer", "rejected", "withdrew")
MAX_QUESTIONS = 50
MAX_QUESTION_CHARS = 1000
MAX_REFLECTION_CHARS = 10_000  # each of "went well" and "went badly"


class LogInputError(Invalid, ValueError):
    """What the user typed cannot be saved as an interview log; the message says which field and why."""


@dataclass(frozen=True, slots=True)
class LogInput:
    company: str
    role: str
    round_type: str
    interview_date: date
    questions: tuple[str, ...]
    outcome: str | None = None
    self_rating: int | None = None
    went_well: str = ""
    went_badly: str = ""


def validate(entry: LogInput) -> LogInput:
    """The entry cleaned (whitespace trimmed, empty questions dropped), or a LogInputError."""
    company, role = entry.company.strip(), entry.role.strip()
    if not company:
        raise LogInputError("company: say where the interview was (a name or just 'startup')")
    if len(company) > 200 or len(role) > 200:
        raise LogInputError("company and role must be at most 200 characters")
    if entry.round_type not in ROUND_TYPES:
        raise LogInputError(f"round type: {entry.round_type!r} is not one of {', '.join(ROUND_TYPES)}")
    if entry.outcome is not None and entry.outcome not in OUTCOMES:
        raise LogInputError(f"outcome: {entry.outcome!r} is not one of {', '.join(OUTCOMES)}")
    if entry.self_rating is not None and not 1 <= entry.self_rating <= 5:
        raise LogInputError("self-rating: give a number from 1 (went badly) to 5 (went very well)")
    questions = tuple(" ".join(q.split()) for q in entry.questions if q.strip())
    if not questions:
        raise LogInputError("questions: write down at least one question you were asked")
    if len(questions) > MAX_QUESTIONS:
        raise LogInputError(f"questions: at most {MAX_QUESTIONS} per interview")
    long = next((n for n, q in enumerate(questions, 1) if len(q) > MAX_QUESTION_CHARS), None)
    if long:
        raise LogInputError(f"question {long} is longer than {MAX_QUESTION_CHARS} characters; shorten it")
    for label, text in (("went well", entry.went_well), ("went badly", entry.went_badly)):
        if len(text) > MAX_REFLECTION_CHARS:
            raise LogInputError(f"{label}: at most {MAX_REFLECTION_CHARS:,} characters; this has {len(text):,}")
    return LogInput(company, role, entry.round_type, entry.interview_date, questions, entry.outcome,
                    entry.self_rating, entry.went_well.strip(), entry.went_badly.strip())


@dataclass(frozen=True, slots=True)
class LoggedQuestion:
    log_id: int
    position: int
    text: str
    status: str  # covered, gap
    item_id: str | None
    area: str | None  # the area it belongs to: the item's, else the round's, else the nearest item's
    interview_date: date
    company: str
    corrected: bool = False


@dataclass(frozen=True)
class Reflection:
    questions_logged: int
    covered: int
    gaps: int
    gaps_by_area: Mapping[str, int]
    gaps_by_month: Mapping[str, Mapping[str, int]]  # "2026-03" -> area -> gaps
    asked_by_area: Mapping[str, int]  # what real interviews asked about
    practised_by_area: Mapping[str, float]  # where practice went (minutes, or attempts when untimed)
    recurring: Sequence[tuple[str, int, tuple[str, ...]]] = field(default_factory=tuple)  # (theme, interviews, examples)


def reflect(
    questions: Sequence[LoggedQuestion],
    practised_by_area: Mapping[str, float],
    themes: Iterable[tuple[str, Sequence[LoggedQuestion]]] = (),
) -> Reflection:
    gaps = [q for q in questions if q.status == "gap"]
    by_month: dict[str, Counter[str]] = defaultdict(Counter)
    for q in gaps:
        by_month[q.interview_date.strftime("%Y-%m")][q.area or "other"] += 1
    recurring = []
    for theme, members in themes:
        interviews = {m.log_id for m in members}
        if len(interviews) >= 2:
            recurring.append((theme, len(interviews), tuple(dict.fromkeys(m.text for m in members))[:3]))
    recurring.sort(key=lambda r: (-r[1], r[0]))
    return Reflection(
        questions_logged=len(questions),
        covered=sum(q.status == "covered" for q in questions),
        gaps=len(gaps),
        gaps_by_area=dict(Counter(q.area or "other" for q in gaps)),
        gaps_by_month={month: dict(counts) for month, counts in sorted(by_month.items())},
        asked_by_area=dict(Counter(q.area or "other" for q in questions)),
        practised_by_area=dict(practised_by_area),
        recurring=tuple(recurring),
    )


def gap_lines(questions: Sequence[LoggedQuestion]) -> list[str]:
    """Gaps as a plain list to export: one line each, with where and when they were asked."""
    return [f"{q.text}  [{q.area or 'other'}; {q.company}, {q.interview_date.isoformat()}]" for q in questions if q.status == "gap"]
