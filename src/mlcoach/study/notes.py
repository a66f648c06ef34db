"""Notes: one Markdown note per user and item, shown beside the item and searchable."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select

from mlcoach.core.catalog import Bank
from mlcoach.core.clock import Clock
from mlcoach.core.errors import Invalid
from mlcoach.store import Store
from mlcoach.store.models import Note

MAX_NOTE = 50_000


class NoteError(Invalid, ValueError):
    pass


@dataclass(frozen=True)
class NoteView:
    item_id: str
    body: str
    updated_at: datetime


class NoteService:
    def __init__(self, bank: Bank, store: Store, clock: Clock) -> None:
        self.bank, self.store, self.clock = bank, store, clock

    def get(self, user_id: int, item_id: str) -> NoteView | None:
        def read(session: Any) -> NoteView | None:
            row = _row(session, user_id, item_id)
            return NoteView(str(row.item_id), row.body or "", row.updated_at) if row else None

        return self.store.read(read)

    def set(self, user_id: int, item_id: str, body: str) -> NoteView | None:
        """Save the note (an empty body deletes it)."""
        if len(body) > MAX_NOTE:
            raise NoteError(f"a note holds at most {MAX_NOTE} characters; this one has {len(body)}")
        now = self.clock()

        def save(session: Any) -> NoteView | None:
            row = _row(session, user_id, item_id)
            if not body.strip():
                if row is not None:
                    session.delete(row)
                return None
            if row is None:
                row = Note(user_id=user_id, item_id=item_id, body=body, created_at=now, updated_at=now)
                session.add(row)
            row.body, row.updated_at = body, now
            return NoteView(item_id, body, now)

        return self.store.write(save)

    def all(self, user_id: int, query: str = "") -> list[NoteView]:
        """Every note, newest first; with a query, the notes whose text or item question contains it."""
        needle = query.strip().lower()
        question_hits = [i.id for i in self.bank.items if needle and needle in i.question.lower()]

        def read(session: Any) -> list[NoteView]:
            stmt = select(Note).where(Note.user_id == user_id, Note.item_id.is_not(None))
            if needle:
                stmt = stmt.where(or_(func.lower(Note.body).contains(needle, autoescape=True), Note.item_id.in_(question_hits)))
            rows = session.scalars(stmt.order_by(Note.updated_at.desc(), Note.id.desc())).all()
            return [NoteView(r.item_id, r.body, r.updated_at) for r in rows]

        return self.store.read(read)


def _row(session: Any, user_id: int, item_id: str) -> Note | None:
    row: Note | None = session.scalars(select(Note).where(Note.user_id == user_id, Note.item_id == item_id).order_by(Note.id)).first()
    return row
