"""A user's own outputs: the progress report (PDF) and the notes and stories (Markdown)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mlcoach.core.catalog import Bank
    from mlcoach.core.clock import Clock
    from mlcoach.publish.compiler import Pdf
    from mlcoach.store import Store
    from mlcoach.study.notes import NoteService
    from mlcoach.study.stories import StoryService


class ExportService:
    def __init__(self, bank: "Bank", store: "Store", clock: "Clock", notes: "NoteService", stories: "StoryService") -> None:
        self.bank, self.store, self.clock, self.notes, self.stories = bank, store, clock, notes, stories

    def progress_report(self, user_id: int) -> "Pdf":
        """Raises `PublishError` when typst cannot build it."""
        from mlcoach.publish.report import build_report
        from mlcoach.study.progress import collect

        return build_report(collect(self.bank, self.store, self.clock, user_id))

    def notes_markdown(self, user_id: int) -> str:
        from mlcoach.study.export import notes_markdown

        return notes_markdown(self.bank, self.notes.all(user_id), self.stories.all(user_id),
                              self.stories.competencies, self.clock())
