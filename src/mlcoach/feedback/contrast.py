"""Right words, wrong relation: a span that names the contrasting term where the key point names its partner.

The lexicon holds pairs that ML answers commonly confuse or reverse. Plain quantity words (more and
fewer, many and few) are left out: true stories contrast them all the time. When a key point says "A" and
the span that best matches it says "B" instead (and not "A"), the span most likely states the
relation the wrong way round, e.g. "boosting reduces variance" against "bagging reduces variance".
"""

from __future__ import annotations

import re

PAIRS: tuple[tuple[str, str], ...] = (
    ("l1", "l2"), ("lasso", "ridge"), ("precision", "recall"), ("bias", "variance"),
    ("overfitting", "underfitting"), ("overfit", "underfit"), ("bagging", "boosting"),
    ("false positive", "false negative"), ("false positives", "false negatives"),
    ("type i", "type ii"), ("increase", "decrease"), ("increases", "decreases"), ("increasing", "decreasing"),
    ("higher", "lower"), ("larger", "smaller"), ("faster", "slower"),
    ("raises", "lowers"), ("reduces", "increases"), ("underestimate", "overestimate"),
    ("maximise", "minimise"), ("maximize", "minimize"), ("convex", "concave"), ("sparse", "dense"),
    ("supervised", "unsupervised"), ("generative", "discriminative"), ("parametric", "non-parametric"),
    ("batch norm", "layer norm"), ("batchnorm", "layernorm"), ("encoder", "decoder"),
    ("mean", "median"), ("online", "offline"), ("sequential", "parallel"), ("sequentially", "in parallel"),
    ("before", "after"), ("always", "never"), ("row", "column"), ("rows", "columns"),
    ("left", "right"), ("local", "global"), ("shallow", "deep"), ("weak", "strong"),
    ("training", "inference"), ("train", "test"), ("validation", "test"), ("pointwise", "pairwise"),
    ("relu", "sigmoid"), ("max pooling", "average pooling"), ("additive", "multiplicative"),
    ("linear", "quadratic"), ("quadratic", "cubic"), ("square", "square root"), ("exponential", "linear"),
    ("independent", "dependent"), ("positive", "negative"), ("upper", "lower"), ("too large", "too small"),
    ("on-policy", "off-policy"), ("exploration", "exploitation"), ("recall@k", "precision@k"),
    ("largest", "smallest"), ("ascending", "descending"),
    ("random", "deterministic"), ("correlated", "uncorrelated"), ("above", "below"), ("first", "last"),
    ("overconfident", "underconfident"), ("over-confident", "under-confident"), ("mode-seeking", "mass-covering"),
    ("drop", "keep"), ("dropped", "kept"), ("safe", "unsafe"), ("true", "false"), ("forward", "reverse"),
    ("biased", "unbiased"), ("stable", "unstable"), ("slowly", "quickly"), ("cheap", "expensive"),
    ("numerator", "denominator"), ("multiply", "divide"), ("multiplies", "divides"), ("frozen", "trainable"),
    ("narrow", "wide"), ("wider", "narrower"), ("dropping", "keeping"), ("drops", "keeps"),
    ("held-out", "training"), ("held out", "training"), ("out-of-sample", "in-sample"),
)

COMPARATIVES = frozenset({("higher", "lower"), ("larger", "smaller"), ("faster", "slower"), ("wider", "narrower"),
                          ("upper", "lower"), ("above", "below"), ("before", "after"), ("cheap", "expensive")})

_PARTNERS: dict[str, set[str]] = {}
for a, b in PAIRS:
    _PARTNERS.setdefault(a, set()).add(b)
    _PARTNERS.setdefault(b, set()).add(a)


# Verb forms count as the term ("keeping" for "keep"); nouns and adjectives match as written, so
# "mean" does not match "meaning".
_VERBS = frozenset({"drop", "keep", "increase", "decrease", "raise", "lower", "reduce", "maximise", "minimise",
                    "maximize", "minimize", "multiply", "divide", "overfit", "underfit", "underestimate", "overestimate"})


def _has(term: str, text: str) -> bool:
    stem = re.escape(term[:-1] if term.endswith("e") and term in _VERBS else term)
    suffix = r"(?:e|es|s|ed|ing|ped|ping)?" if term in _VERBS else ""
    return re.search(rf"(?<![a-z0-9]){stem}{suffix}(?![a-z0-9])", text) is not None


# Names a key point sets against each other: acronyms and terms with digits or hyphens ("PR-AUC",
# "E-step", "L1"), and capitalised words inside a clause ("Xavier").
_NAME = re.compile(r"(?<![\w-])(?:[A-Z]{2,}[\w-]*|[A-Za-z]+\d[\w-]*|[A-Za-z]+-[A-Za-z0-9][\w-]*)(?![\w-])|(?<=[a-z,] )[A-Z][a-z]+\b")


def named_pairs(key_point: str) -> list[tuple[str, str]]:
    """Pairs of names that the key point puts in different clauses: candidates for a role swap."""
    where: dict[str, set[int]] = {}
    for match in _NAME.finditer(key_point):
        clause_index = len(_CLAUSE.findall(key_point[: match.start()]))
        where.setdefault(match.group().lower(), set()).add(clause_index)
    names = [k for k, v in where.items() if len(v) == 1]
    return [(a, b) for i, a in enumerate(names) for b in names[i + 1:] if where[a] != where[b]]


def relevant_pairs(key_point: str, span: str) -> list[tuple[str, str]]:
    """Contrast pairs that the key point uses and the span also talks about: the lexicon's, and the
    names the key point itself sets against each other ("ROC-AUC ..., but PR-AUC ...")."""
    kp, sp = key_point.lower(), span.lower()
    found = []
    for a, b in PAIRS:
        if (_has(a, kp) or _has(b, kp)) and (_has(a, sp) or _has(b, sp)):
            found.append((a, b))
    for a, b in named_pairs(key_point):  # both must be in the span: a swap, not a substitution
        if (a, b) not in found and _has(a, sp) and _has(b, sp):
            found.append((a, b))
    return found


_CLAUSE = re.compile(r"[;,.:()]|\b(?:while|whereas|but|and|so|because|which|unlike|than|then|instead of)\b", re.I)


def _clauses(text: str) -> list[str]:
    return [c.strip().lower() for c in _CLAUSE.split(text) if c and c.strip()]


def _context(text: str, term: str, exclude: set[str]) -> set[str]:
    """Content words sharing a clause with `term`."""
    from mlcoach.search.keywords import tokens

    words: set[str] = set()
    for clause in _clauses(text):
        if _has(term, clause):
            words |= set(tokens(clause))
    return words - exclude


def roles(key_point: str, span: str) -> list[tuple[tuple[str, str], int, int]]:
    """For each contrast pair the two share: how many of the key point's words sit with the same
    term in the span (`same`) and how many sit with its partner instead (`crossed`)."""
    from mlcoach.search.keywords import tokens

    found = []
    for a, b in relevant_pairs(key_point, span):
        if (a, b) in COMPARATIVES and _has("than", span.lower()):
            continue  # "A is lower than B" and "B is higher than A" say the same thing
        exclude = set(tokens(f"{a} {b}"))
        kp_a, kp_b = _context(key_point, a, exclude), _context(key_point, b, exclude)
        sp_a, sp_b = _context(span, a, exclude), _context(span, b, exclude)
        same = len(sp_a & (kp_a - kp_b)) + len(sp_b & (kp_b - kp_a))
        crossed = len(sp_b & (kp_a - kp_b)) + len(sp_a & (kp_b - kp_a))
        found.append(((a, b), same, crossed))
    return found


def reversed_pair(key_point: str, span: str, others: list[str] | None = None, min_support: int = 2) -> tuple[str, str] | None:
    """The contrast pair whose roles the span swaps relative to the key point, if any.

    The words said together with A in the key point should come with A in the span too. When they
    come with B instead (and A's words are not with A), the span attributes A's properties to B:
    "boosting reduces variance" against "bagging reduces variance". When another span of the same
    answer states the pair the right way round, the answer is taken to agree with the key point.
    """
    for pair, same, crossed in roles(key_point, span):
        if crossed >= min_support and crossed > same:
            supported = any(s2 >= min_support and s2 > c2 for other in (others or []) if other != span
                            for p2, s2, c2 in roles(key_point, other) if p2 == pair)
            if not supported:
                return pair
    return None
