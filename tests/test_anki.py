"""The Anki deck, imported with Anki's own library into a fresh collection: notes, fields, tags, and
a re-import that updates instead of duplicating."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURE_BANK
from typer.testing import CliRunner

from mlcoach.bank import load_bank
from mlcoach.cli.app import app
from mlcoach.core.catalog import Bank
from mlcoach.markdown import render
from mlcoach.publish.anki import DECK_NAME, FIELDS, MODEL_ID, deck_bytes, note_guid


@pytest.fixture
def collection(tmp_path: Path) -> Iterator[Any]:
    from anki.collection import Collection

    col = Collection(str(tmp_path / "collection.anki2"))
    yield col
    col.close()


def import_deck(col: Any, data: bytes, tmp_path: Path, name: str = "deck.apkg") -> Any:
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    path = tmp_path / name
    path.write_bytes(data)
    request = ImportAnkiPackageRequest(package_path=str(path), options=ImportAnkiPackageOptions(with_scheduling=False))
    return col.import_anki_package(request)


def notes_by_id(col: Any) -> dict[str, Any]:
    notes = [col.get_note(note_id) for note_id in col.find_notes("")]
    return {note["Id"]: note for note in notes}


def test_every_item_becomes_one_note_with_its_fields_and_tags(collection: Any, bank: Bank, tmp_path: Path) -> None:
    data, count = deck_bytes(bank, timestamp=1_700_000_000)
    result = import_deck(collection, data, tmp_path)
    assert count == len(bank.items) == len(result.log.new)
    notes = notes_by_id(collection)
    assert set(notes) == {item.id for item in bank.items}
    for item in bank.items:
        note = notes[item.id]
        assert note.note_type()["id"] == MODEL_ID and list(note.keys()) == list(FIELDS)
        assert note.guid == note_guid(item.id)
        assert note["Question"] == item.question.replace("&", "&amp;").replace("'", "&#x27;").replace('"', "&quot;")
        assert note["Area"] == bank.guides[item.area].title
        assert note["Topic"] == bank.guides[item.area].topic_title(item.topic)
        assert note["Key points"].count("<li>") == len(item.key_points)
        assert note["Follow-ups"].count("<li>") == len(item.follow_ups)
        assert str(render(item.answer)) in note["Answer"]
        assert sorted(note.tags) == sorted([item.area, f"{item.area}::{item.topic}"])
        assert all(" " not in tag for tag in note.tags)
    design = next(item for item in bank.items if item.area == "system-design")
    assert "<h3>Architecture</h3>" in notes[design.id]["Answer"] and "<pre>" in notes[design.id]["Answer"]
    with_math = next(note for note in notes.values() if "math-inline" in note["Answer"])
    assert "\\(" in with_math["Answer"]  # Anki's MathJax typesets \( ... \)
    assert DECK_NAME in [deck.name for deck in collection.decks.all_names_and_ids()]
    cards = collection.find_cards(f'"deck:{DECK_NAME}"')
    assert len(cards) == len(bank.items)


def test_reimporting_a_newer_export_updates_notes_instead_of_duplicating(collection: Any, tmp_path: Path) -> None:
    copy = tmp_path / "bank"
    shutil.copytree(FIXTURE_BANK, copy)
    first = load_bank(copy).bank
    import_deck(collection, deck_bytes(first, timestamp=1_700_000_000)[0], tmp_path, "first.apkg")
    item = first.filter(area="ml-theory")[0]
    path = copy / item.path
    path.write_text(path.read_text().replace("## Answer\n", "## Answer\n\nA sentence added in the second export.\n", 1))
    second = load_bank(copy).bank
    assert second.get(item.id).answer != item.answer
    result = import_deck(collection, deck_bytes(second, timestamp=1_700_086_400)[0], tmp_path, "second.apkg")
    assert result.log.new == [] and len(result.log.updated) >= 1
    notes = notes_by_id(collection)
    assert len(collection.find_notes("")) == len(first.items) == len(notes)
    assert "A sentence added in the second export." in notes[item.id]["Answer"]


def test_areas_filter_the_deck(collection: Any, bank: Bank, tmp_path: Path) -> None:
    data, count = deck_bytes(bank, ["ml-theory", "case-study"])
    import_deck(collection, data, tmp_path)
    notes = notes_by_id(collection)
    assert count == len(notes) == len(bank.filter(area="ml-theory")) + len(bank.filter(area="case-study"))
    assert {item.area for item in bank.items if item.id in notes} == {"ml-theory", "case-study"}
    with pytest.raises(ValueError, match="unknown area `maths`"):
        deck_bytes(bank, ["maths"])


def test_export_anki_command(tmp_path: Path, bank: Bank) -> None:
    runner = CliRunner()
    target = tmp_path / "decks" / "ml.apkg"
    result = runner.invoke(app, ["export", "anki", "--bank", str(FIXTURE_BANK), "--area", "ml-theory", "--out", str(target)])
    assert result.exit_code == 0 and f"{len(bank.filter(area='ml-theory'))} notes" in result.stdout
    assert target.read_bytes()[:2] == b"PK"  # a zip, as .apkg files are
    bad = runner.invoke(app, ["export", "anki", "--bank", str(FIXTURE_BANK), "--area", "maths", "--out", str(target)])
    assert bad.exit_code == 1 and "unknown area `maths`" in bad.stderr and "Traceback" not in bad.stderr
    into_dir = runner.invoke(app, ["export", "anki", "--bank", str(FIXTURE_BANK), "--out", str(tmp_path)])
    assert into_dir.exit_code == 1 and "is a directory" in into_dir.stderr
