"""The layering rules of STYLE.md, enforced: a pure core, lazy heavy imports."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import mlcoach

PACKAGE = Path(mlcoach.__file__).resolve().parent
FORBIDDEN_IN_CORE = ("fastapi", "starlette", "typer", "click", "rich", "sqlalchemy", "alembic", "psycopg", "pydantic",
                     "uvicorn", "jinja2", "onnxruntime", "tokenizers", "torch", "typst", "genanki", "mlcoach.store",
                     "mlcoach.web", "mlcoach.cli", "mlcoach.bank", "mlcoach.publish", "mlcoach.search", "mlcoach.feedback",
                     "mlcoach.study", "mlcoach.mock", "mlcoach.reflect", "mlcoach.coach", "mlcoach.llm")


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


# The layer table (docs/architecture.md draws it): lowest first. A module may import from its own
# layer and the layers below it, never from a layer above. Every package and top-level module of
# mlcoach must appear here, so a new one has to be placed on purpose.
LAYERS: list[set[str]] = [
    {"core", "settings"},                  # pure vocabulary and rules; every setting in one place
    {"bank", "store", "llm", "markdown"},  # content files, the database, the optional LLM, Markdown
    {"search"},                            # the matcher and its index
    {"feedback"},                          # the offline feedback engine
    {"study", "mock", "reflect"},          # services: the steps of the method
    {"publish"},                           # PDFs, decks and exports
    {"coach"},                             # the composition root
    {"web"},                               # the web interface
    {"cli", "__main__"},                   # the command line
]


def _layer_of(name: str) -> int | None:
    parts = name.split(".")
    if parts[0] != "mlcoach" or len(parts) < 2:
        return None
    for number, members in enumerate(LAYERS):
        if parts[1] in members:
            return number
    return None


def test_every_package_has_a_place_in_the_layer_table() -> None:
    placed = set().union(*LAYERS)
    present = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    present |= {p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    assert present - placed == set(), "place these in LAYERS (and docs/architecture.md)"
    assert placed - present == set(), "LAYERS names packages that do not exist"


def test_nothing_imports_from_a_layer_above_it() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        own = _layer_of("mlcoach." + (relative.parts[0].removesuffix(".py")))
        if own is None:
            continue  # mlcoach/__init__.py
        for name in imported_modules(path):
            target = _layer_of(name)
            if target is not None and target > own:
                offenders.append(f"{relative} (layer {own}) imports {name} (layer {target})")
    assert offenders == []


def test_the_orm_stays_below_the_interfaces() -> None:
    """Routes and commands go through services; only store/ and the services touch ORM models."""
    offenders = []
    for layer in ("web", "cli", "publish", "coach.py"):
        for path in sorted((PACKAGE / layer).rglob("*.py")) if (PACKAGE / layer).is_dir() else [PACKAGE / layer]:
            for name in imported_modules(path):
                if name.startswith(("mlcoach.store.models", "sqlalchemy")):
                    offenders.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert offenders == []


def test_only_the_settings_module_reads_the_environment() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "settings.py":
            continue
        source = path.read_text(encoding="utf-8")
        if "os.environ" in source or "getenv(" in source:
            offenders.append(str(path.relative_to(PACKAGE)))
    assert offenders == []
