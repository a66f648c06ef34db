"""The bank as an Anki deck (.apkg): one note per item, built with genanki.

The note type id, the deck id and every note's GUID are fixed (the GUID is derived from the item
id), so importing a newer export updates the notes already in Anki instead of adding copies.
Math stays as `\\(...\\)` and `\\[...\\]`, which Anki typesets with its own MathJax.
"""

from __future__ import annotations

import io
import itertools
import os
import re
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Iterable, Sequence
from html import escape
from typing import TYPE_CHECKING

from mlcoach.core.catalog import Bank
from mlcoach.core.items import AREA_TITLES, AREAS, Item

if TYPE_CHECKING:
    import genanki

# Never change these: Anki recognises the note type and the deck of an earlier import by them.
MODEL_ID = 1_742_905_117
DECK_ID = 1_742_905_118
DECK_NAME = "mlcoach"
FIELDS = ("Question", "Answer", "Key points", "Follow-ups", "Area", "Topic", "Id")

_FRONT = """<div class="meta">{{Area}} · {{Topic}}</div>
<div class="question">{{Question}}</div>"""
_BACK = """{{FrontSide}}
<hr id="answer">
<div class="answer">{{Answer}}</div>
<h3>Key points</h3>
{{Key points}}
<h3>Follow-ups</h3>
{{Follow-ups}}
<div class="id">{{Id}}</div>"""
_CSS = """.card { font-family: Georgia, serif; font-size: 18px; text-align: left; color: #1a1a1a; background: #fff;
  max-width: 46em; margin: 0 auto; line-height: 1.45; }
.meta, .id { color: #666; font-size: 13px; }
.question { font-weight: bold; font-size: 20px; margin: 0.4em 0; }
h3 { font-size: 15px; color: #1f4e79; text-transform: uppercase; letter-spacing: 0.04em; margin: 1.2em 0 0.3em; }
pre { background: #f4f4f4; padding: 8px; overflow-x: auto; font-size: 13px; }
table { border-collapse: collapse; } td, th { border: 1px solid #bbb; padding: 3px 6px; }"""


def note_guid(item_id: str) -> str:
    """The note's GUID: a function of the item id alone, stable across exports."""
    import genanki

    return str(genanki.guid_for("mlcoach", item_id))


def tag(text: str) -> str:
    """An Anki tag: no spaces allowed (a space separates tags)."""
    return re.sub(r"\s+", "_", text.strip())


def build_package(bank: Bank, areas: Sequence[str] = ()) -> "genanki.Package":
    """The deck of every item in the given areas (all areas when none are given)."""
    import genanki

    unknown = [a for a in areas if a not in AREAS]
    if unknown:
        raise ValueError(f"unknown area `{unknown[0]}`; areas are: {', '.join(AREAS)}")
    model = genanki.Model(
        MODEL_ID, "mlcoach item", fields=[{"name": name} for name in FIELDS],
        templates=[{"name": "Question → answer", "qfmt": _FRONT, "afmt": _BACK}], css=_CSS,
    )
    deck = genanki.Deck(DECK_ID, DECK_NAME, description="Interview questions from the mlcoach content bank.")
    for item in _items(bank, areas):
        deck.add_note(genanki.Note(model=model, fields=note_fields(bank, item), guid=note_guid(item.id),
                                   tags=[tag(item.area), tag(f"{item.area}::{item.topic}")]))
    return genanki.Package(deck)


def note_fields(bank: Bank, item: Item) -> list[str]:
    from mlcoach.markdown import render

    parts = []
    for section in item.sections:
        if section.title == "Common mistakes":
            continue
        if section.title != "Answer":
            parts.append(f"<h3>{escape(section.title)}</h3>")
        parts.append(str(render(section.markdown)))
    guide = bank.guides.get(item.area)
    return [
        escape(item.question),
        "\n".join(parts),
        _html_list(item.key_points),
        _html_list(item.follow_ups),
        escape(guide.title if guide else AREA_TITLES.get(item.area, item.area)),
        escape(guide.topic_title(item.topic) if guide else item.topic),
        escape(item.id),
    ]


def deck_bytes(bank: Bank, areas: Sequence[str] = (), timestamp: float | None = None) -> tuple[bytes, int]:
    """The .apkg file's bytes and its number of notes.

    genanki's own `write_to_file` leaves its temporary database behind; this writes the same
    package (genanki's `write_to_db`) into a temporary file that is removed afterwards.
    """
    package = build_package(bank, areas)
    notes = len(package.decks[0].notes)
    stamp = time.time() if timestamp is None else timestamp
    handle, db_path = tempfile.mkstemp(prefix="mlcoach-anki-", suffix=".anki2")
    os.close(handle)
    try:
        connection = sqlite3.connect(db_path)
        try:
            package.write_to_db(connection.cursor(), stamp, itertools.count(int(stamp * 1000)))
            connection.commit()
        finally:
            connection.close()
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.write(db_path, "collection.anki2")
            archive.writestr("media", "{}")
    finally:
        os.unlink(db_path)
    return out.getvalue(), notes


def _items(bank: Bank, areas: Sequence[str]) -> Iterable[Item]:
    chosen = set(areas or AREAS)
    return (item for area in AREAS if area in chosen for item in bank.filter(area=area))


def _html_list(texts: Iterable[str]) -> str:
    return "<ul>" + "".join(f"<li>{escape(t)}</li>" for t in texts) + "</ul>"
