"""`mlcoach guides build` and `mlcoach mock packet`: the files they write, and clear errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURE_BANK
from pdf_helpers import flat, pages_text
from typer.testing import CliRunner

from mlcoach.cli.app import app
from mlcoach.core.catalog import Bank
from mlcoach.core.mock import DESIGN_PHASES, DIMENSIONS, plan_round
from mlcoach.publish.packet import build_packet

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def squash(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def test_guides_build_writes_one_pdf_per_area(tmp_path: Path, bank: Bank) -> None:
    out = tmp_path / "out"
    code, stdout, _ = run("guides", "build", "--bank", str(FIXTURE_BANK), "--out", str(out),
                          "--area", "ml-theory", "--area", "behavioral", "--json")
    assert code == 0
    rows = json.loads(stdout)
    assert [row["area"] for row in rows] == ["ml-theory", "behavioral"]
    assert sorted(p.name for p in out.iterdir()) == ["behavioral.pdf", "ml-theory.pdf"]
    for row in rows:
        pages = pages_text(Path(row["path"]).read_bytes())
        assert len(pages) == row["pages"] and row["math_fallbacks"] == 0
        for item in bank.filter(area=row["area"]):
            assert flat(item.question) in " ".join(pages)
    code, stdout, _ = run("guides", "build", "--bank", str(FIXTURE_BANK), "--out", str(out), "--area", "cross-team")
    assert code == 0 and f"wrote {out / 'cross-team.pdf'}" in stdout.replace("\n", "")


@pytest.mark.parametrize("args, message", [
    (["--area", "statistics"], "unknown area `statistics`"),
    (["--out", "{file}"], "cannot create the output directory"),
    (["--out", "{file}/below"], "cannot create the output directory"),
])
def test_guides_build_user_errors_are_one_clear_message(tmp_path: Path, args: list[str], message: str) -> None:
    (tmp_path / "file").write_text("not a directory")
    args = [a.replace("{file}", str(tmp_path / "file")) for a in args]
    code, _, stderr = run("guides", "build", "--bank", str(FIXTURE_BANK), *args)
    assert code == 1 and message in flat(stderr) and "Traceback" not in stderr


@pytest.mark.parametrize("command", [["guides", "build", "--out", "{out}"], ["mock", "packet", "--out", "{out}/p.pdf"],
                                     ["export", "anki", "--out", "{out}/d.apkg"]])
def test_publishing_refuses_a_bank_with_lint_problems(tmp_path: Path, command: list[str]) -> None:
    copy = tmp_path / "bank"
    shutil.copytree(FIXTURE_BANK, copy)
    (copy / "ml-theory" / "broken.md").write_text("no front matter\n")
    args = [a.replace("{out}", str(tmp_path / "out")) for a in command]
    code, _, stderr = run(*args, "--bank", str(copy))
    assert code == 1 and "the bank has 1 problem" in stderr and "no front matter" in stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_packet_has_each_question_checklist_budget_and_scorecard(bank: Bank) -> None:
    plan = plan_round(bank, "ml-theory", None, "senior", (), seed=7)
    pdf = build_packet(bank, "ml-theory", None, "senior", seed=7)
    text = " ".join(pages_text(pdf.data))
    assert len(pages_text(pdf.data)) == pdf.pages
    assert "ML theory round" in text and "For a candidate: any role, senior level" in text and "seed 7" in text
    for number, planned in enumerate(plan.questions, start=1):
        item = bank.get(planned.item_id)
        assert f"Question {number} of {len(plan.questions)}" in text
        assert flat(item.question) in text and f"about {planned.minutes:.0f} min" in text
        for point in (*item.key_points, *item.follow_ups):
            assert squash(point) in squash(text)
    for label in ("WHAT TO LISTEN FOR", "FOLLOW-UPS", "Scorecard", "Dimension 1 2 3 4 Notes"):
        assert label in text
    for dimension in DIMENSIONS["ml-theory"]:
        assert dimension in text


def test_system_design_packet_times_each_phase(bank: Bank) -> None:
    text = " ".join(pages_text(build_packet(bank, "system-design", "mle", "mid", seed=1).data))
    assert "TIME BUDGET BY PHASE" in text
    for phase, minutes in DESIGN_PHASES:
        assert f"{phase} {minutes} min" in text


def test_mock_packet_command_writes_the_pdf(tmp_path: Path, bank: Bank) -> None:
    target = tmp_path / "packets" / "behavioral.pdf"
    code, stdout, _ = run("mock", "packet", "--round", "behavioral", "--level", "staff", "--seed", "3",
                          "--bank", str(FIXTURE_BANK), "--out", str(target))
    assert code == 0 and "plan seed 3" in stdout
    text = " ".join(pages_text(target.read_bytes()))
    assert "Behavioral round" in text and "staff level" in text
    for planned in plan_round(bank, "behavioral", None, "staff", (), seed=3).questions:
        assert flat(bank.get(planned.item_id).question) in text


@pytest.mark.parametrize("args, message", [
    (["--round", "coding"], "unknown round type 'coding'"),
    (["--level", "principal"], "unknown level 'principal'"),
    (["--role", "pm"], "unknown role 'pm'"),
])
def test_mock_packet_user_errors(tmp_path: Path, args: list[str], message: str) -> None:
    code, _, stderr = run("mock", "packet", "--bank", str(FIXTURE_BANK), "--out", str(tmp_path / "p.pdf"), *args)
    assert code == 1 and message in flat(stderr) and "Traceback" not in stderr
    assert not (tmp_path / "p.pdf").exists()


def test_mock_is_still_a_command_and_now_a_group() -> None:
    code, stdout, _ = run("mock", "--help")
    assert code == 0 and "--round" in stdout and "--resume" in stdout and "packet" in stdout
