"""The matcher dev set and its fixed split: tuning data and held-out data.

benchmarks/data/match_dev.jsonl holds {"query", "item_id" (null for a gap), "style"}. About a third
of it, chosen by a hash of the query text, is held out: never used to fit or tune anything, only
reported. The split does not change when lines are added.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "match_dev.jsonl"
HOLDOUT_SHARE = 0.35


def split_of(query: str) -> str:
    bucket = int(hashlib.sha256(query.strip().lower().encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    return "holdout" if bucket < HOLDOUT_SHARE else "tune"


def load(split: str | None = None, path: Path = DATA) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for row in rows:
        row["split"] = split_of(row["query"])
    return [row for row in rows if split is None or row["split"] == split]


# Real-style questions written blind (by people who saw only the guides' topic lists, never the items),
# in four registers, labelled by hand against the bank: {"query", "register", "area", "items": [ids]}
# (empty: a gap). Half of it, by a hash of the query, is held out and never tuned on.
REAL = Path(__file__).resolve().parent / "data" / "match_real.jsonl"
REAL_HOLDOUT_SHARE = 0.5


def load_real(split: str | None = None, path: Path = REAL) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for row in rows:
        bucket = int(hashlib.sha256(("real:" + row["query"].strip().lower()).encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
        row["split"] = "holdout" if bucket < REAL_HOLDOUT_SHARE else "tune"
    return [row for row in rows if split is None or row["split"] == split]
