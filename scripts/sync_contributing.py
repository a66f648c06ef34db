"""Copy one fixture item per area into CONTRIBUTING.md, between the example markers.

Usage: python scripts/sync_contributing.py [--check]
With --check, changes nothing and exits 1 if CONTRIBUTING.md is out of date.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTRIBUTING = ROOT / "CONTRIBUTING.md"
FIXTURES = ROOT / "tests" / "fixtures" / "bank"
AREAS = ("behavioral", "cross-team", "product-design", "case-study", "system-design", "ml-theory")
START, END = "<!-- examples:start -->", "<!-- examples:end -->"


def examples() -> str:
    blocks = []
    for area in AREAS:
        path = sorted(p for p in (FIXTURES / area).glob("*.md") if not p.name.startswith("_"))[0]
        text = path.read_text(encoding="utf-8").rstrip("\n")
        fence = "````" if "```" in text else "```"
        blocks.append(
            f"<details>\n<summary><b>{area}</b>: <code>content/{area}/{path.name}</code></summary>\n\n"
            f"{fence}markdown\n{text}\n{fence}\n\n</details>"
        )
    return "\n\n".join(blocks)


def render(current: str) -> str:
    head, _, rest = current.partition(START)
    _, _, tail = rest.partition(END)
    return f"{head}{START}\n{examples()}\n{END}{tail}"


def main() -> int:
    current = CONTRIBUTING.read_text(encoding="utf-8")
    wanted = render(current)
    if "--check" in sys.argv:
        if current != wanted:
            print("CONTRIBUTING.md is out of date: run python scripts/sync_contributing.py")
            return 1
        return 0
    CONTRIBUTING.write_text(wanted, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
