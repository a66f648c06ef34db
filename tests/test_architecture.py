"""The layering rules of STYLE.md, enforced: a pure core, lazy heavy imports."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import mlcoach

PACKAGE = Path(mlcoach.__file__).resolve().parent
FORBIDDEN_IN_CORE = ("fastapi", "starlette", "typer", "click", "rich", "sqlalchemy", "alembic", "psycopg",
                     "uvicorn", "jinja2", "onnxruntime", "tokenizers", "torch", "typst", "genanki", "mlcoach.store",
                     "mlcoach.web", "mlcoach.cli", "mlcoach.bank", "mlcoach.export", "mlcoach.publish")


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_core_imports_nothing_from_the_outer_layers() -> None:
    offenders = []
    for path in sorted((PACKAGE / "core").rglob("*.py")):
        for name in imported_modules(path):
            if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN_IN_CORE):
                offenders.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert offenders == []


def test_core_does_not_read_the_wall_clock() -> None:
    """Only clock.py may call now(); everything else takes the clock as an argument."""
    offenders = []
    for path in sorted((PACKAGE / "core").rglob("*.py")):
        if path.name == "clock.py":
            continue
        source = path.read_text(encoding="utf-8")
        for call in ("datetime.now(", "datetime.utcnow(", "date.today(", "time.time("):
            if call in source:
                offenders.append(f"{path.name}: {call}")
    assert offenders == []


def _modules_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return set(out.split())


def test_importing_the_core_loads_no_heavy_dependency() -> None:
    loaded = _modules_after("import mlcoach.core.items, mlcoach.core.catalog, mlcoach.core.clock")
    assert not {name for name in loaded if name.split(".")[0] in {"sqlalchemy", "fastapi", "typer", "pydantic"}}


def test_the_cli_help_path_stays_light() -> None:
    """`mlcoach --help` must not pay for the database, web or validation stacks."""
    loaded = _modules_after("from mlcoach.cli.app import app")
    heavy = {"sqlalchemy", "fastapi", "uvicorn", "alembic", "pydantic", "yaml", "markdown_it", "jinja2", "typst", "genanki"}
    assert not {name.split(".")[0] for name in loaded} & heavy


def test_interfaces_are_not_imported_by_the_bank_or_store() -> None:
    offenders = []
    for layer in ("bank", "store"):
        for path in sorted((PACKAGE / layer).rglob("*.py")):
            for name in imported_modules(path):
                if name.startswith(("mlcoach.cli", "mlcoach.web", "typer", "fastapi")):
                    offenders.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert offenders == []
