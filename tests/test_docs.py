"""The docs say what the code does: commands, the test command, the format, the examples."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import typer
from conftest import FIXTURE_BANK, ROOT

from mlcoach.bank import load_bank
from mlcoach.bank.sections import AREA_SECTIONS
from mlcoach.cli.app import app

README = (ROOT / "README.md").read_text(encoding="utf-8")
CONTRIBUTING = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
FORMAT = (ROOT / "docs" / "content-format.md").read_text(encoding="utf-8")


def commands(group: object, prefix: str = "mlcoach") -> list[str]:
    found = []
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        if hasattr(command, "commands"):  # a group (typer vendors its own click)
            found += commands(command, f"{prefix} {name}")
        else:
            found.append(f"{prefix} {name}")
    return found


def test_every_command_is_documented_in_the_readme() -> None:
    listed = commands(typer.main.get_command(app))  # type: ignore[arg-type]
    assert len(listed) >= 7
    missing = [command for command in listed if f"`{command}" not in README]
    assert missing == []


def test_readme_test_command_is_what_ci_runs() -> None:
    assert "./scripts/test.sh" in README
    ci = (ROOT / ".ci" / "run").read_text()
    assert "./scripts/test.sh" in ci and "MLCOACH_REQUIRE_POSTGRES=1" in ci


def test_the_format_doc_lists_every_area_section_in_order() -> None:
    for area, sections in AREA_SECTIONS.items():
        row = next(line for line in FORMAT.splitlines() if line.startswith(f"| `{area}` |"))
        titles = [t.strip().strip("*") for t in row.split("|")[2].split(",")]
        assert titles == [title for title, _ in sections], area
        required = [t.strip().strip("*") for t in row.split("|")[2].split(",") if t.strip().startswith("**")]
        assert required == [title for title, needed in sections if needed], area


def test_contributing_examples_are_in_sync_and_valid(tmp_path: Path) -> None:
    check = subprocess.run([sys.executable, str(ROOT / "scripts" / "sync_contributing.py"), "--check"],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
    blocks = re.findall(r"(`{3,4})markdown\n(---\n.*?)\n\1\n", CONTRIBUTING, flags=re.S)
    areas = {re.search(r"^area: (\S+)$", text, flags=re.M).group(1) for _, text in blocks}  # type: ignore[union-attr]
    assert areas == set(AREA_SECTIONS)
    bank = tmp_path / "bank"
    for area in AREA_SECTIONS:
        (bank / area).mkdir(parents=True)
        shutil.copy(FIXTURE_BANK / area / "_guide.md", bank / area / "_guide.md")
    for _, text in blocks:
        item_id = re.search(r"^id: (\S+)$", text, flags=re.M).group(1)  # type: ignore[union-attr]
        area = re.search(r"^area: (\S+)$", text, flags=re.M).group(1)  # type: ignore[union-attr]
        (bank / area / f"{item_id}.md").write_text(re.sub(r"^related: .*\n", "", text, flags=re.M) + "\n")
    loaded = load_bank(bank)
    assert not loaded.problems, "\n".join(map(str, loaded.problems))
    assert len(loaded.bank.items) == 6


def test_the_architecture_map_names_only_what_exists() -> None:
    """docs/architecture.md: every module path it names exists, and every layer package is on the map."""
    from test_architecture import LAYERS

    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    package = ROOT / "src" / "mlcoach"
    named = set(re.findall(r"`mlcoach/([a-z_/]+(?:\.py)?)`", text))
    named |= {f"{m}" for m in re.findall(r"`((?:core|bank|store|search|feedback|study|mock|reflect|publish|web|cli)/[a-z_]+\.py)`", text)}
    missing = sorted(name for name in named if not (package / name).exists())
    assert len(named) > 20 and missing == []
    for members in LAYERS:
        for member in members - {"__main__"}:
            assert f"`{member}`" in text, f"docs/architecture.md does not place `{member}`"


def test_every_setting_is_in_the_readme_table_and_nowhere_else() -> None:
    from mlcoach.settings import VARIABLES

    section = README[README.index("## Configuration"):README.index("## How it is built")]
    listed = set(re.findall(r"^\| `(MLCOACH_[A-Z_]+)` \|", section, flags=re.M))
    assert listed == set(VARIABLES)
