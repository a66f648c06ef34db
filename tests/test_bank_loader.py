"""Loading the fixture bank and the bundled bank into immutable items."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURE_BANK

from mlcoach.bank import load_bank
from mlcoach.bank.paths import bundled_bank
from mlcoach.bank.problems import BankError
from mlcoach.bank.sections import AREA_SECTIONS
from mlcoach.core.catalog import Bank
from mlcoach.core.items import AREAS


def test_fixture_bank_has_two_items_per_area(bank: Bank) -> None:
    for area in AREAS:
        assert len(bank.filter(area=area)) >= 2, area
        assert area in bank.guides


def test_items_are_immutable(bank: Bank) -> None:
    item = bank.items[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        item.question = "changed"  # type: ignore[misc]
    with pytest.raises(TypeError):
        item.level_signals["junior"] = "x"  # type: ignore[index]


def test_every_fixture_item_is_complete(bank: Bank) -> None:
    for item in bank.items:
        assert len(item.answer.split()) >= 40, item.id
        assert 3 <= len(item.key_points) <= 8, item.id
        assert 1 <= len(item.follow_ups) <= 5, item.id
        assert item.topic in bank.guides[item.area].topics, item.id
        assert item.path == f"{item.area}/{item.id}.md"
        allowed = [title for title, _ in AREA_SECTIONS[item.area]]
        titles = [section.title for section in item.sections]
        assert titles == sorted(titles, key=allowed.index), item.id


def test_system_design_model_answer_includes_every_phase(bank: Bank) -> None:
    design = bank.filter(area="system-design")[0]
    for phase in ("Serving", "Monitoring and retraining", "Data and labels"):
        body = design.section(phase)
        assert body and body in design.model_answer
    assert design.section("Architecture") and "```" in design.section("Architecture")  # type: ignore[operator]
    mistakes = design.common_mistakes
    assert mistakes is None or mistakes not in design.model_answer


def test_filters_combine(bank: Bank) -> None:
    theory = bank.filter(area="ml-theory")
    assert theory and all(item.area == "ml-theory" for item in theory)
    hard_ds = bank.filter(difficulty=3, role="ds")
    assert all(item.difficulty == 3 and "ds" in item.roles for item in hard_ds)
    assert bank.filter(area="ml-theory", topic="no-such-topic") == ()


def test_content_hash_changes_with_any_file(tmp_path: Path) -> None:
    copy = tmp_path / "bank"
    shutil.copytree(FIXTURE_BANK, copy)
    first = load_bank(copy).bank.content_hash
    assert load_bank(copy).bank.content_hash == first
    path = next((copy / "ml-theory").glob("[!_]*.md"))
    path.write_text(path.read_text() + "\nOne more sentence in the last section.\n")
    assert load_bank(copy).bank.content_hash != first


def test_missing_directory_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(BankError, match="bank directory not found"):
        load_bank(tmp_path / "nope")


def test_bundled_bank_is_lint_clean() -> None:
    loaded = load_bank(bundled_bank())
    assert not loaded.problems, "\n".join(map(str, loaded.problems[:30]))
    assert len(loaded.bank.guides) == 6
