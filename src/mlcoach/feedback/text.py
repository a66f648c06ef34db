"""Splitting answers into spans, counting words, and spotting filler and hedges."""

from __future__ import annotations

import re

_SENTENCE = re.compile(r"(?<=[.!?;])\s+(?=[A-Za-z0-9\"'(*$])|\n+")
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-]*")

FILLERS = ("um", "uh", "erm", "er", "like", "you know", "basically", "actually", "kind of", "sort of", "i mean", "literally", "so yeah")
HEDGES = ("maybe", "perhaps", "probably", "i think", "i guess", "i believe", "not sure", "might", "possibly", "i suppose", "kind of", "sort of", "somewhat")


_EMPHASIS = re.compile(r"(\*\*|__|\*|`)")
_LIST_START = re.compile(r"\n\s*(?:[-*•]|\d+[.)])\s+")


_TEX_SYMBOLS = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε", "theta": "θ",
    "lambda": "λ", "mu": "μ", "sigma": "σ", "pi": "π", "phi": "φ", "rho": "ρ", "tau": "τ", "eta": "η", "omega": "ω",
    "Sigma": "Σ", "sum": "Σ", "prod": "Π", "partial": "∂", "nabla": "∇", "infty": "∞", "approx": "≈", "le": "≤",
    "leq": "≤", "ge": "≥", "geq": "≥", "neq": "≠", "times": "×", "cdot": "·", "to": "→", "in": "∈", "propto": "∝",
    "log": "log", "exp": "exp", "min": "min", "max": "max", "sqrt": "√", "top": "ᵀ",
}


def untex(text: str) -> str:
    """LaTeX math to the plain symbols a candidate would type or a key point uses: \\hat f -> f̂,
    \\frac{a}{b} -> a/b, \\sigma -> σ, $ signs dropped."""
    text = re.sub(r"\\(?:left|right|[Bb]igg?|quad|qquad)\b|\\[,;!]", " ", text)
    text = re.sub(r"\\(?:mathbb|mathrm|mathbf|operatorname|text|mathcal)\{([^{}]*)\}", r"\1", text)
    text = re.sub(r"\\frac\{([^{}]*)\}\{([^{}]*)\}", r"(\1)/(\2)", text)
    text = re.sub(r"\\hat\s*\{?([A-Za-z])\}?", "\\1\u0302", text)
    text = re.sub(r"\\bar\s*\{?([A-Za-z])\}?", "\\1\u0304", text)
    text = re.sub(r"\\([A-Za-z]+)", lambda m: _TEX_SYMBOLS.get(m.group(1), m.group(1)), text)
    return text.replace("$", "").replace("{", "").replace("}", "")


def plain(text: str) -> str:
    """Markdown to running text: emphasis marks dropped, math made plain, hard-wrapped lines joined,
    list items and paragraphs kept apart."""
    text = untex(_EMPHASIS.sub("", text or ""))
    text = re.sub(r"^#+\s*", "", text, flags=re.M)
    text = _LIST_START.sub("\n\n", "\n" + text)
    paragraphs = re.split(r"\n\s*\n", text)
    return "\n".join(" ".join(p.split()) for p in paragraphs if p.strip())


def sentences(text: str) -> list[str]:
    parts = []
    for piece in _SENTENCE.split(plain(text)):
        piece = _BULLET.sub("", piece).strip()
        if len(_WORD.findall(piece)) >= 2 or (piece and len(piece) > 8):
            parts.append(piece)
    return parts


def spans(text: str, limit: int = 160) -> list[str]:
    """Sentences, plus a short sentence joined to its neighbour: a point is often made across two,
    and short fragments ("Then I retrained.") mean little alone."""
    found = sentences(text)[:limit]
    pairs = [f"{a} {b}" for a, b in zip(found, found[1:]) if min(len(words(a)), len(words(b))) < SHORT]
    return found + pairs


SHORT = 12  # words


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


_CLAUSE_SPLIT = re.compile(r";|,\s+(?:and|so|because|while|but)\s+|\s+because\s+|,\s+(?=then\b)")


def clauses(key_point: str) -> list[str]:
    """The separate claims of a compound key point (each with at least four words), or the point itself."""
    parts = [p.strip(" ,.") for p in _CLAUSE_SPLIT.split(key_point)]
    parts = [p for p in parts if len(words(p)) >= 4]
    return parts if len(parts) > 1 else [key_point]
