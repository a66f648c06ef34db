"""The grading dev set and its fixed split, by item: held-out items are never seen while tuning.

benchmarks/data/grade_dev.jsonl holds {"item_id", "kind" (strong|partial|weak|wrong), "grade" 0-4,
"answer", "note"}. About a third of the items (by a hash of the id) are held out, all four answers
of an item together, so the held-out numbers measure answers to questions the tuning never saw.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "grade_dev.jsonl"
HOLDOUT_SHARE = 0.35


def split_of(item_id: str) -> str:
    bucket = int(hashlib.sha256(item_id.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    return "holdout" if bucket < HOLDOUT_SHARE else "tune"


def load(split: str | None = None, path: Path = DATA) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for row in rows:
        row["split"] = split_of(row["item_id"])
    return [row for row in rows if split is None or row["split"] == split]


def ranks(values: list[float]) -> list[float]:
    order = sorted(range(len(values)), key=lambda i: values[i])
    out = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            out[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return out


def spearman(x: list[float], y: list[float]) -> float:
    rx, ry = ranks(x), ranks(y)
    n = len(x)
    mx, my = sum(rx) / n, sum(ry) / n
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    vx = sum((a - mx) ** 2 for a in rx) ** 0.5
    vy = sum((b - my) ** 2 for b in ry) ** 0.5
    return cov / (vx * vy) if vx and vy else 0.0


def pairwise_accuracy(rows: list[dict], scores: list[float], within_item: bool = True) -> float:
    """Of pairs with different gold grades, the share the scores order the same way."""
    right = total = 0
    for i in range(len(rows)):
        for j in range(i + 1, len(rows)):
            if within_item and rows[i]["item_id"] != rows[j]["item_id"]:
                continue
            if rows[i]["grade"] == rows[j]["grade"]:
                continue
            total += 1
            if (rows[i]["grade"] - rows[j]["grade"]) * (scores[i] - scores[j]) > 0:
                right += 1
    return right / total if total else 0.0
