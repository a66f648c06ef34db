"""Where the bundled bank lives: inside the installed package, or `content/` in a source checkout."""

from __future__ import annotations

from pathlib import Path


def bundled_bank() -> Path:
    package = Path(__file__).resolve().parent.parent
    shipped = package / "_bank"  # a wheel carries the bank here (see pyproject.toml)
    if shipped.is_dir():
        return shipped
    return package.parent.parent / "content"  # editable install: src/mlcoach -> repo root
