"""Right setting, wrong number: the answer works the key point's example but arrives at another value.

"With a Beta(2, 2) prior, 3 heads in 3 tosses give a MAP estimate of 4/5" against "... the MAP estimate
is 5/7". Embeddings and word overlap see the same sentence. The check, for a key point with numbers:
when the answer uses some of them (it is in the key point's setting), leaves out another, and the
sentence that best matches the key point states a different number in the same slot (the words
before it share two words: "MAP estimate of 4/5" and "MAP estimate is 5/7"), the answer has that
quantity wrong. An answer with its own example (none of the key point's numbers) or one that omits a
number without offering another is not flagged: omission is already a missed point.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from mlcoach.search.keywords import tokens

_NUMBER = re.compile(
    r"(?<![\w.^])(\d+(?:,\d{3})+|\d+(?:\.\d+)?|\.\d+)(?:\s*/\s*(\d+(?:\.\d+)?)(?![\w.]))?"
    r"\s*(%|k\b|K\b|M\b|B\b|million\b|billion\b|thousand\b)?(?![\w.]*[a-zA-Z_(])",
)
_SCALE = {"%": 0.01, "k": 1e3, "K": 1e3, "M": 1e6, "B": 1e9, "thousand": 1e3, "million": 1e6, "billion": 1e9}
WINDOW = 3  # content words before a number that say what it is
TOLERANCE = 0.03  # relative: "0.39%" matches 0.0039 and "about 0.4%"


def values(text: str) -> list[float]:
    """The numbers a text states, as values; a fraction counts as its quotient and a percentage as
    itself and as a share ("98%" matches 0.98). Numbers glued to letters (L1, fp32, log2) are names."""
    out = []
    for match in _NUMBER.finditer(text):
        whole, denominator, unit = match.groups()
        value = float(whole.replace(",", ""))
        if denominator:
            if float(denominator) == 0:
                continue
            value /= float(denominator)
        if unit == "%":
            out.append(value)
        value *= _SCALE.get(unit or "", 1.0)
        out.append(value)
    return out


def significant(found: Sequence[float]) -> set[float]:
    """Numbers that carry a result: not the 0, 1 and 2 of every formula."""
    return {v for v in found if v not in (0.0, 1.0, 2.0)}


def same(a: float, b: float) -> bool:
    return abs(a - b) <= TOLERANCE * max(abs(a), abs(b))


def _present(value: float, pool: Sequence[float]) -> bool:
    return any(same(value, other) for other in pool)


def wrong_value(key_point: str, sentences: Sequence[str], idf: Callable[[str], float],
                min_overlap: float = 0.5) -> tuple[str, str] | None:
    """(number the key point states, the answer's sentence that states another) or None."""
    expected = significant(values(key_point))
    if not expected or not sentences:
        return None
    said = [v for s in sentences for v in values(s)]
    missing = [v for v in sorted(expected) if not _present(v, said)]
    anchored = any(_present(v, said) for v in expected)
    if not missing or not anchored:
        return None
    terms = {t for t in tokens(key_point) if not t[0].isdigit()}
    total = sum(idf(t) for t in terms) or 1.0
    overlap, best = max(((sum(idf(t) for t in terms & set(tokens(s))) / total, s) for s in sentences), key=lambda p: p[0])
    if overlap < min_overlap:
        return None
    for value in missing:
        slot = _context(key_point, value)
        for match in _NUMBER.finditer(best):
            rivals = significant(values(match.group(0)))
            if rivals and not any(_present(v, list(expected)) for v in rivals) and len(slot & _context(best, match)) >= 2:
                return _show(value, key_point), best
    return None


def _context(text: str, where: "float | re.Match[str]") -> set[str]:
    """The words before a number, which say what it is ("the MAP estimate of 4/5")."""
    if not isinstance(where, re.Match):
        where = next(m for m in _NUMBER.finditer(text) if _present(where, values(m.group(0))))
    return set([t for t in tokens(text[: where.start()]) if not t[0].isdigit()][-WINDOW:])


def _show(value: float, text: str) -> str:
    for match in _NUMBER.finditer(text):
        if _present(value, values(match.group(0))):
            return match.group(0).strip()
    return f"{value:g}"
