"""Matcher quality and speed, in one run.

Usage: python benchmarks/match.py [--sizes 10000,100000] [--skip-scale]

Prints, for BM25 alone, embeddings alone, the calibrated hybrid and reciprocal rank fusion:
recall@1, MRR@5 and gap-detection F1 on the tuning split and on the held-out split of
benchmarks/data/match_dev.jsonl; then warm latency per query (p50/p95) on the bundled bank and on
synthetic banks, the time to index them, and the cold start of a first `mlcoach match` call.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from match_data import REAL, load, load_real  # noqa: E402

from mlcoach.bank import load_bank  # noqa: E402
from mlcoach.bank.paths import bundled_bank  # noqa: E402
from mlcoach.search.calibrate import gap_f1  # noqa: E402
from mlcoach.search.documents import Document, item_documents  # noqa: E402
from mlcoach.search.embedding import shared_embedder  # noqa: E402
from mlcoach.search.index import SearchIndex  # noqa: E402
from mlcoach.search.matcher import METHODS, Matcher  # noqa: E402

LABELS = {"bm25": "BM25 alone", "embedding": "embeddings alone", "hybrid": "hybrid (calibrated)", "rrf": "hybrid (RRF)"}


def quality(matcher: Matcher, rows: list[dict], method: str) -> dict[str, float]:
    results = matcher.match_many([r["query"] for r in rows], method)
    covered = [(r, m) for r, m in zip(rows, results) if r["item_id"]]
    top1 = sum(m.candidates[0].item_id == r["item_id"] for r, m in covered if m.candidates) / max(len(covered), 1)
    mrr = 0.0
    for r, m in covered:
        ranks = [c.item_id for c in m.candidates[:5]]
        mrr += 1 / (ranks.index(r["item_id"]) + 1) if r["item_id"] in ranks else 0.0
    mrr /= max(len(covered), 1)
    f1 = gap_f1([not m.covered for m in results], [r["item_id"] is None for r in rows])
    # End to end: a covered question must get the right item, a gap must be called a gap.
    right = sum((m.item_id == r["item_id"]) if r["item_id"] else (not m.covered) for r, m in zip(rows, results)) / len(rows)
    return {"recall@1": top1, "mrr@5": mrr, "gap_f1": f1, "accuracy": right}


def real_quality(matcher: Matcher, rows: list[dict]) -> dict[str, float]:
    """The targets of the matching issue, on questions labelled with every covering item (or none)."""
    results = matcher.match_many([r["query"] for r in rows])
    covered = [(r, m) for r, m in zip(rows, results) if r["items"]]
    gaps = [(r, m) for r, m in zip(rows, results) if not r["items"]]
    claimed = [(r, m) for r, m in zip(rows, results) if m.covered]
    top_right = sum(bool(m.candidates) and m.candidates[0].item_id in r["items"] for r, m in covered)
    return {
        "n": len(rows), "covered": len(covered), "gaps": len(gaps),
        # among questions the bank covers, the top candidate is a covering item
        "top1_covering": top_right / max(len(covered), 1),
        # when the matcher says covered, the item it names really covers the question
        "precision_when_covered": sum(m.item_id in r["items"] for r, m in claimed) / max(len(claimed), 1),
        # questions the bank does not cover are reported as gaps
        "gaps_reported": sum(not m.covered for _, m in gaps) / max(len(gaps), 1),
        # covered questions the matcher wrongly calls gaps
        "covered_called_gaps": sum(not m.covered for _, m in covered) / max(len(covered), 1),
    }


def latency(matcher: Matcher, queries: list[str], repeat: int = 3) -> tuple[float, float]:
    matcher.match(queries[0])  # warm
    times = []
    for _ in range(repeat):
        for query in queries:
            start = time.perf_counter()
            matcher.match(query)
            times.append(time.perf_counter() - start)
    times.sort()
    return statistics.median(times) * 1000, times[int(0.95 * (len(times) - 1))] * 1000


def synthetic(bank_docs: list[Document], size: int, seed: int = 7) -> list[Document]:
    """Plausible question-like documents made by recombining the bank's own words."""
    rng = random.Random(seed)
    words = [w for d in bank_docs for w in d.keywords.split() if w.isalpha()]
    docs = []
    for n in range(size):
        base = rng.choice(bank_docs)
        question = base.views[0].split()
        for i in range(len(question)):
            if rng.random() < 0.35:
                question[i] = rng.choice(words)
        text = " ".join(question)
        extra = " ".join(rng.choice(words) for _ in range(rng.randint(15, 40)))
        docs.append(Document(id=f"synthetic-{n}", keywords=f"{text} {text} {extra}", views=(text, f"{text} {extra}")))
    return docs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--skip-scale", action="store_true")
    args = parser.parse_args()

    bank = load_bank(bundled_bank()).bank
    matcher = Matcher.for_bank(bank)
    splits = {"tune": load("tune"), "holdout": load("holdout")}
    for name, rows in splits.items():
        gaps = sum(r["item_id"] is None for r in rows)
        missing = [r["item_id"] for r in rows if r["item_id"] and not bank.get(r["item_id"])]
        print(f"{name}: {len(rows)} queries ({len(rows) - gaps} covered, {gaps} gaps){' — unknown ids: ' + str(missing) if missing else ''}")
    print(f"bank: {len(bank.items)} items\n")
    print(f"{'method':22} {'split':8} {'recall@1':>9} {'MRR@5':>7} {'gap F1':>7} {'accuracy':>9}")
    for method in METHODS:
        for name, rows in splits.items():
            rows = [r for r in rows if r["item_id"] is None or bank.get(r["item_id"])]
            q = quality(matcher, rows, method)
            print(f"{LABELS[method]:22} {name:8} {q['recall@1']:9.3f} {q['mrr@5']:7.3f} {q['gap_f1']:7.3f} {q['accuracy']:9.3f}")
    if REAL.exists():
        print("\nReal-style questions written blind (benchmarks/data/match_real.jsonl); targets: top-1 covering >= 0.95, "
              "precision when covered >= 0.90, gaps reported >= 0.80")
        print(f"{'split':8} {'n':>4} {'covered':>8} {'gaps':>5} {'top1 covering':>14} {'precision|covered':>18} {'gaps reported':>14} {'covered->gap':>13}")
        for name in ("tune", "holdout"):
            rows = load_real(name)
            unknown = sorted({i for r in rows for i in r["items"] if not bank.get(i)})
            if unknown:
                print(f"  unknown ids in {name}: {unknown[:5]}")
            rows = [dict(r, items=[i for i in r["items"] if bank.get(i)]) for r in rows]
            q = real_quality(matcher, rows)
            print(f"{name:8} {q['n']:4d} {q['covered']:8d} {q['gaps']:5d} {q['top1_covering']:14.3f} "
                  f"{q['precision_when_covered']:18.3f} {q['gaps_reported']:14.3f} {q['covered_called_gaps']:13.3f}")
    queries = [r["query"] for r in splits["holdout"]][:100]
    p50, p95 = latency(matcher, queries)
    print(f"\nwarm latency, bundled bank ({len(bank.items)} items): p50 {p50:.2f} ms, p95 {p95:.2f} ms per query")

    if not args.skip_scale:
        embedder = shared_embedder()
        base = item_documents(bank)
        for size in (int(s) for s in args.sizes.split(",")):
            docs = synthetic(base, size)
            start = time.perf_counter()
            index = SearchIndex.build(docs, embedder)
            built = time.perf_counter() - start
            scaled = Matcher(index, embedder, matcher.calibrations)
            p50, p95 = latency(scaled, queries)
            print(f"synthetic bank of {size:,} items: indexed in {built:.1f} s; warm latency p50 {p50:.2f} ms, p95 {p95:.2f} ms per query")

    # Cold start: a fresh process answering one question, with the index cache warm and cold.
    script = Path(sys.executable).parent / "mlcoach"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "mlcoach"]
    for label, cache in (("index cached on disk", None), ("empty cache (builds the index)", tempfile.mkdtemp())):
        env = dict(os.environ)
        if cache:
            env["MLCOACH_CACHE_DIR"] = cache
        start = time.perf_counter()
        subprocess.run(command + ["match", "--json"], input="what is the bias variance trade-off\n", text=True,
                       capture_output=True, check=True, env=env)
        print(f"cold start of `mlcoach match` ({label}): {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
