"""Lexical near-duplicate questions: the same words, possibly reordered or re-punctuated.

Semantic duplicates (same meaning, other words) need embeddings and come with the matcher.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations

THRESHOLD = 0.7

_TOKEN = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    """a an the and or of to in on for with by from at as is are was were be been being it its this that
    these those what which who whom how why when where do does did can could would should will you your
    we our i me my they their them there here than then so if not no vs versus about into over under
    between explain describe tell walk through give example difference differences compare""".split()
)


def words(text: str) -> frozenset[str]:
    out = set()
    for token in _TOKEN.findall(text.lower()):
        if token in _STOP:
            continue
        if len(token) > 3 and token.endswith("s") and not token.endswith("ss"):
            token = token[:-1]
        out.add(token)
    return frozenset(out)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def near_duplicates(questions: Iterable[tuple[str, str]], threshold: float = THRESHOLD) -> list[tuple[str, str, float]]:
    """Pairs (id_a, id_b, similarity) of questions whose content words overlap at least `threshold`."""
    bags = [(item_id, words(text)) for item_id, text in questions]
    postings: dict[str, list[int]] = defaultdict(list)
    for index, (_, bag) in enumerate(bags):
        for token in bag:
            postings[token].append(index)
    candidates: set[tuple[int, int]] = set()
    for members in postings.values():
        if len(members) > 200:  # a word in hundreds of questions says nothing about duplication
            continue
        candidates.update(combinations(members, 2))
    found = []
    for i, j in sorted(candidates):
        (id_a, a), (id_b, b) = bags[i], bags[j]
        if min(len(a), len(b)) < 3:
            continue
        score = jaccard(a, b)
        if score >= threshold:
            found.append((id_a, id_b, round(score, 2)))
    return found
