"""Splitting answers into spans, counting words, and spotting filler and hedges."""

from __future__ import annotations

import re

_SENTENCE = re.compile(r"(?<=[.!?;])\s+(?=[A-Za-z0-9\"'(*$])|\n+")
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-]*")

FILLERS = ("um", "uh", "erm", "er", "like", "you know", "basically", "actually", "kind of", "sort of", "i mean", "literally", "so yeah")
HEDGES = ("maybe", "perhaps", "probably", "i think", "i guess", "i believe", "not sure", "might", "possibly", "i suppose", "kind of", "sort of", "somewhat")


def sentences(text: str) -> list[str]:
    parts = []
    for piece in _SENTENCE.split(text or ""):
        piece = _BULLET.sub("", piece).strip()
        if len(_WORD.findall(piece)) >= 2 or (piece and len(piece) > 8):
            parts.append(piece)
    return parts


def spans(text: str, limit: int = 120) -> list[str]:
    """Sentences and pairs of neighbouring sentences: a key point is often made across two."""
    found = sentences(text)[:limit]
    pairs = [f"{a} {b}" for a, b in zip(found, found[1:])]
    return found + pairs


def words(text: str) -> list[str]:
    return _WORD.findall(text or "")


def count_phrases(text: str, phrases: tuple[str, ...]) -> dict[str, int]:
    lowered = " " + " ".join(w.lower() for w in words(text)) + " "
    counts = {}
    for phrase in phrases:
        n = lowered.count(f" {phrase} ")
        if n:
            counts[phrase] = n
    return counts
