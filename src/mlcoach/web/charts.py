"""Small SVG charts drawn on the server: no JavaScript, readable without styles."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Radar:
    size: int
    axes: tuple[tuple[str, float, float, float, float], ...]  # label, axis end x, y, label x, y
    rings: tuple[str, ...]  # polygon points of the 25/50/75/100 rings
    shapes: tuple[tuple[str, str], ...]  # (css class, polygon points) per series


def radar(labels: Sequence[str], series: Mapping[str, Sequence[float]], size: int = 420) -> Radar:
    """A radar chart of 0-100 values, one polygon per series (e.g. "now" and "before")."""
    centre, radius = size / 2, size / 2 - 95  # room for the labels
    n = max(1, len(labels))

    def point(index: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / n
        r = radius * max(0.0, min(100.0, value)) / 100
        return centre + r * math.cos(angle), centre + r * math.sin(angle)

    def polygon(values: Sequence[float]) -> str:
        return " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, v) for i, v in enumerate(values)))

    axes = []
    for i, label in enumerate(labels):
        x, y = point(i, 100)
        lx, ly = point(i, 122)
        axes.append((label, round(x, 1), round(y, 1), round(lx, 1), round(ly, 1)))
    rings = tuple(polygon([level] * n) for level in (25, 50, 75, 100))
    shapes = tuple((name, polygon(values)) for name, values in series.items())
    return Radar(size, tuple(axes), rings, shapes)
