"""Checks beyond the key points: STAR structure, ownership, measurable results, design phases, delivery."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from mlcoach.feedback.text import FILLERS, HEDGES, count_phrases, sentences, words

# Cues for each part of a STAR story. A part is found when a sentence carries one of its cues; the
# first matching sentence is shown as evidence.
_STAR = {
    "situation": r"\b(at (my|our|a|the) (previous |last |old )?(company|team|job|startup|employer)|i was (working|an?|the|on)|we were|our team|the company|at the time|context|background|situation)\b",
    "task": r"\b(my (goal|task|job|responsibility|role) (was|is)|i was (asked|tasked|responsible|given)|i needed to|i had to|i owned|the goal was|we needed to|task)\b",
    "action": r"\b(i (built|wrote|designed|proposed|decided|ran|set up|created|led|analy[sz]ed|investigated|trained|added|changed|talked|met|scheduled|pushed|asked|suggested|reviewed|started|rolled|implemented|organi[sz]ed|called|shipped|replaced|split|fixed|found|compared|measured)|action)\b",
    "result": r"\b(as a result|result(ed)?|outcome|in the end|eventually|which (cut|reduced|raised|improved|increased)|(reduced|improved|increased|raised|cut|saved|dropped|fell|rose|grew)\b|launched|shipped)\b",
}
_METRIC = re.compile(r"(\d+(\.\d+)?\s*(%|percent|x\b|×|ms\b|s\b|seconds|minutes|hours|days|weeks|points?|pp\b|k\b|m\b|million|users|\$)|\$\s?\d)", re.I)
_I = re.compile(r"\b(i|i'm|i've|i'd|my|me)\b", re.I)
_WE = re.compile(r"\b(we|we're|we've|we'd|our|us)\b", re.I)


def star(answer: str) -> dict[str, object]:
    found: dict[str, object] = {}
    for part, pattern in _STAR.items():
        hit = next((s for s in sentences(answer) if re.search(pattern, s, re.I)), None)
        found[part] = hit
    i_count, we_count = len(_I.findall(answer)), len(_WE.findall(answer))
    result_text = " ".join(s for s in sentences(answer) if re.search(_STAR["result"], s, re.I))
    return {
        "star": {part: {"found": hit is not None, "evidence": hit} for part, hit in found.items()},
        "i_count": i_count,
        "we_count": we_count,
        "ownership": "clear" if i_count >= we_count else "unclear: more 'we' than 'I'",
        "measurable_result": bool(_METRIC.search(result_text)),
    }


def phases(answer: str, item_phases: Sequence[tuple[str, str]], similarity: Callable[[list[str], list[str]], list[list[float]]],
           threshold: float = 0.45) -> dict[str, object]:
    """Which phases of the item's worked design the answer addresses, judged by meaning.

    Each phase is represented by its section text; the answer addresses it when one of its sentences
    comes close to one of the phase's sentences.
    """
    spans = sentences(answer)
    if not spans or not item_phases:
        return {"phases": {title: False for title, _ in item_phases}}
    references = [[s for s in sentences(body) if len(words(s)) >= 5][:40] or [body[:500]] for _, body in item_phases]
    # One similarity call for every phase: the answer is embedded once per grade, not once per phase.
    sims = similarity(spans, [s for reference in references for s in reference])
    result: dict[str, bool] = {}
    start = 0
    for (title, _), reference in zip(item_phases, references):
        best = max(max(row[start : start + len(reference)]) for row in sims)
        result[title] = best >= threshold
        start += len(reference)
    return {"phases": result, "phases_addressed": sum(result.values()), "phases_total": len(result)}


def delivery(answer: str, seconds: float | None) -> dict[str, object]:
    n = len(words(answer))
    out: dict[str, object] = {"words": n, "fillers": count_phrases(answer, FILLERS), "hedges": count_phrases(answer, HEDGES)}
    if seconds and seconds >= 10:  # shorter times are not spoken answers; a rate would mislead
        out["seconds"] = round(seconds, 1)
        out["words_per_minute"] = round(n / (seconds / 60), 1)
    return out
