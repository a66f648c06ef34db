"""Building today's practice queue for a user with 1 million review logs, on SQLite and PostgreSQL.

Usage: python benchmarks/practice_queue.py [--logs 1000000] [--runs 50] [--postgres URL] [--sqlite-only]

Fills a fresh database with one user who has practised every item of the bundled bank (item states
with FSRS cards, a share of them due), a study plan, and N review logs spread over two years (plus
500 today), then times `PracticeService.queue` warm: p50 and p95 over the runs. Target: ≤ 50 ms.
The PostgreSQL database is created for the run and dropped after it.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import make_url

from mlcoach.bank import load_bank
from mlcoach.bank.paths import bundled_bank
from mlcoach.core.clock import fixed_clock
from mlcoach.store import Store
from mlcoach.store.models import ItemState, ReviewLog
from mlcoach.store.users import ensure_user
from mlcoach.study import profile as profiles
from mlcoach.study.plan import PlanService
from mlcoach.study.practice import PracticeService
from mlcoach.study.scheduling import card_id, review

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
BATCH = 50_000


def fill(store: Store, bank, logs: int) -> int:
    rng = random.Random(7)
    user = store.write(lambda s: ensure_user(s, "bench", NOW).id)
    data = profiles.ProfileData(role="mle", level="mid", interview_date=date(2027, 1, 20), hours_per_week=8)
    store.write(lambda s: profiles.save(s, user, data, NOW))
    PlanService(bank, store, fixed_clock(NOW)).make(user)  # before any item is practised: a full plan
    items = [i.id for i in bank.items]
    states = []
    for n, item_id in enumerate(items):
        if n % 5 == 4:
            continue  # a fifth of the bank still new
        when = NOW - timedelta(days=rng.uniform(1, 60))
        decided = review(None, item_id, 3, when, 0.9)
        decided = review(decided.card, item_id, rng.choice((2, 3, 4)), when + timedelta(days=1), 0.9)
        due = NOW + timedelta(days=rng.uniform(-5, 30))
        states.append({"user_id": user, "item_id": item_id, "starred": False, "needs_revision": False, "card": decided.card,
                       "due_at": due, "introduced_at": when, "queued_at": None, "updated_at": when})
    store.write(lambda s: s.execute(insert(ItemState), states))
    start = time.perf_counter()
    span = 2 * 365 * 86400
    for offset in range(0, logs, BATCH):
        rows = [{"user_id": user, "item_id": (item := items[rng.randrange(len(items))]), "card_id": card_id(item),
                 "rating": rng.choice((1, 2, 3, 3, 3, 4)), "score": None,
                 "reviewed_at": NOW - timedelta(seconds=rng.uniform(3600 * 13, span)), "duration_ms": rng.randrange(5_000, 120_000)}
                for _ in range(min(BATCH, logs - offset))]
        store.write(lambda s: s.execute(insert(ReviewLog), rows))  # noqa: B023 (runs now)
    today = [{"user_id": user, "item_id": items[k % len(items)], "card_id": card_id(items[k % len(items)]), "rating": 3,
              "score": None, "reviewed_at": NOW - timedelta(minutes=k % 600), "duration_ms": 30_000} for k in range(500)]
    store.write(lambda s: s.execute(insert(ReviewLog), today))
    print(f"  filled {logs + 500:,} review logs, {len(states)} item states in {time.perf_counter() - start:.1f} s", flush=True)
    if store.dialect == "postgresql":
        with store.engine.connect() as connection:
            connection.execute(text("ANALYZE"))
            connection.commit()
    return user


def measure(name: str, store: Store, bank, logs: int, runs: int) -> None:
    print(f"{name}:", flush=True)
    user = fill(store, bank, logs)
    svc = PracticeService(bank, store, fixed_clock(NOW))
    queue = svc.queue(user)  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        queue = svc.queue(user)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
    print(f"  queue: {queue.reviews_due} due, {queue.new_today} new, {queue.reviews_done_today} reviews done today")
    print(f"  build the daily queue: p50 {statistics.median(times):.1f} ms, p95 {p95:.1f} ms over {runs} runs (target ≤ 50 ms)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--logs", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args()
    bank = load_bank(bundled_bank()).bank
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{Path(tmp) / 'bench.db'}")
        store.upgrade()
        measure("SQLite", store, bank, args.logs, args.runs)
        store.dispose()
    if args.sqlite_only:
        return 0
    admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
    name = f"mlcoach_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        store = Store(make_url(args.postgres).set(database=name).render_as_string(hide_password=False))
        store.upgrade()
        measure("PostgreSQL", store, bank, args.logs, args.runs)
        store.dispose()
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
