"""Check content items the way CI does, for a contributor working on a few files.

    python scripts/check_items.py content/behavioral/new-item.md ...   # or --area behavioral, or --all

Prints lint problems in those files, then grades each item's model answer on its own key points with
the real feedback engine (CI requires at least 80) and lists the points it did not find. Exits 1 when
anything fails.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

MINIMUM = 80


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--area", action="append", default=[])
    parser.add_argument("--all", action="store_true")
    parser.add_argument("--bank", type=Path, default=None)
    args = parser.parse_args()

    from mlcoach.bank import load_bank
    from mlcoach.bank.paths import bundled_bank

    root = args.bank or bundled_bank()
    loaded = load_bank(root)
    wanted_ids = {f.stem for f in args.files}
    wanted_paths = {str(f) for f in args.files}

    def chosen(item_id: str, area: str) -> bool:
        return args.all or item_id in wanted_ids or area in args.area

    failed = False
    for problem in loaded.problems:
        text = str(problem)
        if args.all or any(p in text for p in wanted_paths) or any(f"/{a}/" in text or text.startswith(f"{a}/") for a in args.area) \
                or any(f"{i}.md" in text for i in wanted_ids):
            print(f"lint: {text}")
            failed = True

    items = [item for item in loaded.bank.items if chosen(item.id, item.area)]
    if not items:
        print("no items chosen" if not failed else "")
        return 1 if failed else 0
    from mlcoach.feedback.engine import FeedbackEngine
    from mlcoach.search.matcher import Matcher

    engine = FeedbackEngine.for_matcher(Matcher.for_bank(loaded.bank))
    for item in items:
        feedback = engine.grade(item, item.model_answer)
        weak = [p for p in feedback.key_points if p.status != "covered"]
        ok = feedback.score >= MINIMUM
        failed = failed or not ok
        if not ok or weak:
            print(f"{'FAIL' if not ok else 'ok  '} {feedback.score:5.1f} {item.id}")
            for point in weak:
                extra = f" ({point.contradiction})" if point.contradiction else ""
                print(f"       {point.status}: {point.text}{extra}")
    print(f"{len(items)} item(s) graded; minimum {MINIMUM}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
