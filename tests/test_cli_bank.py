"""The bank commands and their JSON contracts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURE_BANK
from typer.testing import CliRunner

from mlcoach.cli.app import app
from mlcoach.core.catalog import Bank
from mlcoach.core.items import AREAS, ROLES

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_stats_json_matches_the_contract(bank: Bank) -> None:
    code, out, _ = run("bank", "stats", "--bank", str(FIXTURE_BANK), "--json")
    assert code == 0
    stats = json.loads(out)
    assert list(stats) == ["items", "by_area", "with_answer", "with_key_points", "with_follow_ups", "by_difficulty", "by_role"]
    assert list(stats["by_area"]) == list(AREAS)
    assert list(stats["by_difficulty"]) == ["1", "2", "3"]
    assert list(stats["by_role"]) == list(ROLES)
    assert stats["items"] == len(bank.items) == sum(stats["by_area"].values()) == sum(stats["by_difficulty"].values())
    assert stats["with_answer"] == stats["with_key_points"] == stats["with_follow_ups"] == stats["items"]
    for area in AREAS:
        assert stats["by_area"][area] == len(bank.filter(area=area))
    for role in ROLES:
        assert stats["by_role"][role] == len(bank.filter(role=role))
    assert all(isinstance(value, int) for value in stats["by_area"].values())


def test_stats_counts_draft_answers_as_missing(tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "bank"
    shutil.copytree(FIXTURE_BANK, copy)
    path = next((copy / "behavioral").glob("[!_]*.md"))
    text = path.read_text()
    head, _, _ = text.partition("## Answer")
    path.write_text(head + "## Answer\n\nTODO: write the story.\n")
    stats = json.loads(run("bank", "stats", "--bank", str(copy), "--json")[1])
    assert stats["with_answer"] == stats["items"] - 1


def test_list_filters_and_json(bank: Bank) -> None:
    code, out, _ = run("bank", "list", "--bank", str(FIXTURE_BANK), "--area", "ml-theory", "--json")
    rows = json.loads(out)
    assert code == 0 and rows and all(row["area"] == "ml-theory" for row in rows)
    assert {row["id"] for row in rows} == {item.id for item in bank.filter(area="ml-theory")}
    assert set(rows[0]) == {"id", "area", "topic", "difficulty", "roles", "question", "path"}
    code, out, _ = run("bank", "list", "--bank", str(FIXTURE_BANK), "--role", "ds", "--difficulty", "3", "--json")
    assert all("ds" in row["roles"] and row["difficulty"] == 3 for row in json.loads(out))


@pytest.mark.parametrize("args, message", [
    (["--area", "statistics"], "unknown area `statistics`"),
    (["--role", "pm"], "unknown role `pm`"),
])
def test_list_rejects_unknown_values(args: list[str], message: str) -> None:
    code, _, err = run("bank", "list", "--bank", str(FIXTURE_BANK), *args)
    assert code == 2 and message in err


def test_list_table_shows_the_questions(bank: Bank) -> None:
    code, out, _ = run("bank", "list", "--bank", str(FIXTURE_BANK))
    assert code == 0 and f"{len(bank.items)} items" in out


def test_show_json_and_text(bank: Bank) -> None:
    item = bank.filter(area="system-design")[0]
    code, out, _ = run("bank", "show", item.id, "--bank", str(FIXTURE_BANK), "--json")
    detail = json.loads(out)
    assert code == 0 and detail["id"] == item.id and detail["answer"] == item.answer
    assert detail["key_points"] == list(item.key_points)
    assert [s["title"] for s in detail["sections"]][:2] == ["Answer", "Architecture"]
    code, out, _ = run("bank", "show", item.id, "--bank", str(FIXTURE_BANK))
    assert code == 0 and "Key points" in out and item.key_points[0][:30] in out.replace("\n", " ")


def test_show_unknown_id_is_a_clear_error() -> None:
    code, _, err = run("bank", "show", "no-such-item", "--bank", str(FIXTURE_BANK))
    assert code == 1 and "no item with id `no-such-item`" in err


def test_missing_bank_directory_is_a_clear_error(tmp_path: Path) -> None:
    code, _, err = run("bank", "stats", "--bank", str(tmp_path / "missing"), "--json")
    assert code == 2 and "bank directory not found" in err and "Traceback" not in err


def test_broken_bank_still_lists_what_loads_and_warns(tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "bank"
    shutil.copytree(FIXTURE_BANK, copy)
    (copy / "ml-theory" / "broken.md").write_text("no front matter\n")
    code, out, err = run("bank", "stats", "--bank", str(copy), "--json")
    assert code == 0 and "1 problem" in err and json.loads(out)["items"] >= 12


def test_version_and_help_via_the_console_script() -> None:
    result = subprocess.run([sys.executable, "-m", "mlcoach", "--help"], capture_output=True, text=True, check=True)
    for command in ("bank", "db", "serve"):
        assert command in result.stdout
    version = subprocess.run([sys.executable, "-m", "mlcoach", "--version"], capture_output=True, text=True, check=True)
    assert version.stdout.startswith("mlcoach ")
