"""Right words, opposite sign: a clause that matches a key point's claim but negates it, or the reverse.

"A large p-value is not evidence that the null is true" against "a large p-value is good evidence that
the null is true"; "proposes a timeout with a fallback" against "I wouldn't offer a timeout with a
fallback". Word overlap and sentence embeddings both rate such pairs as near matches. The check:
split the key point and the answer into clauses; for each claim of the key point find the answer
clause that shares most of its (IDF-weighted) words; if exactly one of the two is negated, and the
words the negation governs appear on the other side too, the answer states the claim the other way
round. Paraphrases that carry the negation in a word ("invariant", "unchanged") are left alone unless
the governed word itself is shared, which keeps strong answers from being flagged.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from mlcoach.search.keywords import tokens

_CUES = re.compile(
    r"\b(?:not|no|never|none|nothing|neither|nor|without|cannot|rarely|seldom|hardly|barely|"
    r"regardless|no matter|invariant|unaffected|unchanged|insensitive|rather than|instead of|"
    # "A and B are different" says "A is not B"
    r"(?:is|are|be|was|were) (?:very |quite |fundamentally )?(?:different|distinct)|"
    # verbs that negate their object: "avoid leaking the label"
    r"prevent|prevents|avoid|avoids|forbid|forbids|refuse|refuses|fail to|fails to|hold off)\b(?![-‐])"
    r"|^\W*(?:very |only |relatively )?few\b"
    r"|\b\w+n['’]t\b(?![-‐])",
    re.I,
)
_VERB = re.compile(r"prevent|avoid|forbid|refuse|fail|hold", re.I)  # a verb governs its object only
_FREE = re.compile(r"\b([a-z]+)-free\b", re.I)  # "identifier-free traffic": no identifiers
# Negation words that do not negate the claim they sit in.
_NOT_NEGATION = re.compile(
    r"\b(?:not only|not just|not merely|whether or not|if not|nothing but|not always|"
    r"no (?:more|less|better|worse|higher|lower|larger|smaller|greater|longer)|not (?:more|less) than|"
    r"a few|quite a few)\b",
    re.I,
)
_CLAUSE = re.compile(r"[;:()!?]|\.(?!\d)|,|\b(?:while|whereas|but|so|because|which|unlike|then|though|although)\b", re.I)
# A new clause starts at these too (the word stays with the clause it opens).
_OPENERS = re.compile(
    r"(?=\b(?:instead of|rather than|if|unless|assuming|suppose|whether|when|whenever|(?:mis)?reads? it as|"
    r"think|thinks|believe|believes|misconception|mistake is)\b)", re.I)
# Clauses that do not assert their content: a condition ("if the null were true"), something to
# verify ("check for sample ratio mismatch"), a belief reported or a possibility ("suggestions can
# reveal private relationships"). They may agree with a key point but are never taken to contradict it.
_UNASSERTED = re.compile(
    r"^\W*(?:and |or |so |but )?(?:if|unless|assuming|suppose|whether|check|checks|checking|verify|verifies|confirm|"
    r"confirms|ensure|ensures|make sure|test for|look for|watch for|(?:mis)?reads? it as|think|thinks|believe|believes|"
    r"misconception|mistake is)\b|\b(?:can|could|may|might|need not|needn't|not necessarily|(?:does|do)(?: not|n't) have to)\b",
    re.I)
# A key point's contrasting alternative ("..., not in a group", "rather than arguing later") says
# what not to do; answers describe such things in stories and risks, so it is not checked.
_ALTERNATIVE = re.compile(r"^\W*(?:and |or )?(?:instead of|rather than|not)\b", re.I)
_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|‘[^’]*’|(?<!\w)'[^']+'(?!\w)")
_THAT = re.compile(r"(?=\bthat\b)", re.I)
AGREE_SLACK = 0.2  # a same-sign clause this much below the best overlap still counts as agreeing
SHORT_REVERSE = 0.6  # a three-word claim matched on two words: the clause must be mostly those two
SCOPE = 2  # content words after a negation cue that it governs


@dataclass(frozen=True, slots=True)
class Clause:
    text: str
    terms: frozenset[str]
    negated: bool
    governed: frozenset[str]  # the content words the negation cue(s) govern
    asserted: bool  # False for a condition, a check, a reported belief or a possibility
    alternative: bool  # starts with "instead of", "rather than" or "not"


def clause(text: str) -> Clause:
    masked = _NOT_NEGATION.sub(" ", _QUOTED.sub(" ", text))
    cues = list(_CUES.finditer(masked))
    governed: set[str] = set()
    for cue in cues:
        scope = 1 if _VERB.match(cue.group()) else SCOPE
        governed |= set(tokens(masked[cue.end():])[:scope])
    free = _FREE.findall(masked)
    governed |= set(tokens(" ".join(free)))
    terms = frozenset(tokens(_FREE.sub(r"\1", _CUES.sub(" ", text))))
    negated = (len(cues) + len(free)) % 2 == 1
    return Clause(text, terms, negated, frozenset(governed), not _UNASSERTED.search(masked),
                  bool(_ALTERNATIVE.search(text)))


def _pieces(text: str) -> list[str]:
    return [p for chunk in _CLAUSE.split(text) for p in _OPENERS.split(chunk)]


def _whole(piece: str) -> Clause:
    """A clause kept whole across "that": a negated main clause sets the sign ("X should not drive
    choices that add cost without value"); otherwise what follows "that" does ("explains that the new
    embeddings are not compatible")."""
    main, *rest = _THAT.split(piece)
    whole = clause(piece.strip())
    if not rest:
        return whole
    head, tail = clause(main), clause(" ".join(rest))
    if head.negated:
        verbal = all(_VERB.match(cue) for cue in _CUES.findall(main))  # "prevent X with a tool that ..."
        carried = frozenset() if verbal else frozenset(tokens(rest[0])[:SCOPE])
        return replace(whole, negated=True, governed=head.governed | carried)
    return replace(whole, negated=tail.negated, governed=tail.governed)


def split(answer: str) -> list[Clause]:
    """An answer's clauses: each whole, and where it has a "that", also its parts, so that a relative
    clause's negation ("a set the model never trains on") stands apart from the claim it qualifies.
    A part after "that" inherits a negation before it ("it does not guarantee that ...")."""
    out = []
    for piece in _pieces(answer):
        parts = _THAT.split(piece)
        if len(parts) > 1:
            whole = _whole(piece)
            if len(whole.terms) >= 2:
                out.append(whole)
        before: Clause | None = None
        for part in parts:
            current = clause(part.strip())
            if before is not None and before.negated and _THAT.match(part):
                head = frozenset(tokens(part)[:SCOPE])
                current = replace(current, negated=not current.negated, governed=current.governed | head)
            if len(current.terms) >= 2:
                out.append(current)
            before = current
    return out


def claims(key_point: str) -> list[Clause]:
    """A key point's claims, each kept whole across "that"."""
    return [c for c in map(_whole, _pieces(key_point)) if len(c.terms) >= 2]


def flipped(key_point: str, answer_clauses: Sequence[Clause], idf: Callable[[str], float],
            min_overlap: float = 0.6, min_reverse: float = 0.4) -> tuple[str, str] | None:
    """(claim of the key point, answer clause) where the answer states the claim with the opposite
    sign, or None.

    A claim's best match in the answer is the asserted clause that shares most of the claim's
    IDF-weighted words (at least `min_overlap`, and at least three words);
    the clause must be mostly about the claim too (`min_reverse` of its own weight shared). The pair
    contradicts when exactly one side is negated and the negated words appear on the other side.
    When any other clause matches the claim as well with the claim's sign, the answer agrees.
    """
    for claim in claims(key_point):
        if len(claim.terms) < 3 or not claim.asserted or claim.alternative:
            continue
        weights = {t: idf(t) for t in claim.terms}
        total = sum(weights.values()) or 1.0
        scored = []
        for other in answer_clauses:
            shared = claim.terms & other.terms
            if len(shared) >= min(3, len(claim.terms) - 1):
                scored.append((sum(weights[t] for t in shared) / total, other))
        candidates = [(ov, o) for ov, o in scored if o.asserted]
        if not candidates:
            continue
        best_overlap, best = max(candidates, key=lambda s: s[0])
        if best_overlap < min_overlap or best.negated == claim.negated:
            continue
        reverse = sum(idf(t) for t in best.terms & claim.terms) / (sum(idf(t) for t in best.terms) or 1.0)
        if reverse < (min_reverse if len(best.terms & claim.terms) >= 3 else SHORT_REVERSE):
            continue
        negated_side, other_side = (claim, best) if claim.negated else (best, claim)
        if not negated_side.governed & other_side.terms:
            continue
        if not any(o.negated == claim.negated and ov >= min_overlap - AGREE_SLACK for ov, o in scored if o is not best):
            return claim.text, best.text
    return None
