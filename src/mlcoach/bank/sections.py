"""Which `## ` sections each area's items may have, in order, and which are required."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

ANSWER = "Answer"
MISTAKES = "Common mistakes"

# (title, required) in the order they must appear.
AREA_SECTIONS: Mapping[str, tuple[tuple[str, bool], ...]] = MappingProxyType(
    {
        "ml-theory": ((ANSWER, True), (MISTAKES, False)),
        "behavioral": ((ANSWER, True), (MISTAKES, False)),
        "cross-team": (("Approach", False), (ANSWER, True), (MISTAKES, False)),
        "product-design": (
            (ANSWER, True),
            ("Goal and ML objective", False),
            ("Requirements", False),
            ("Solution", False),
            ("Metrics", False),
            ("Operating point", False),
            ("Launch experiment", False),
            ("Risks and alternatives", False),
            (MISTAKES, False),
        ),
        "case-study": (
            (ANSWER, True),
            ("Clarify", False),
            ("Hypotheses", False),
            ("Data checks", False),
            ("Analysis", False),
            ("Fix", False),
            ("Prevent recurrence", False),
            (MISTAKES, False),
        ),
        "system-design": (
            (ANSWER, True),
            ("Architecture", True),
            ("Requirements and scale", True),
            ("ML framing", True),
            ("Metrics", True),
            ("Data and labels", True),
            ("Features", True),
            ("Model", True),
            ("Training", True),
            ("Serving", True),
            ("Evaluation and A/B test", True),
            ("Monitoring and retraining", True),
            ("Cost and capacity", True),
            ("Trade-offs and failure modes", True),
            (MISTAKES, False),
        ),
    }
)


def allowed_titles(area: str) -> tuple[str, ...]:
    return tuple(title for title, _ in AREA_SECTIONS[area])


def required_titles(area: str) -> tuple[str, ...]:
    return tuple(title for title, required in AREA_SECTIONS[area] if required)
