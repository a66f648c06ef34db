"""The composition root: the one object that wires mlcoach together.

`Coach` holds the bank, the store, the clock and the settings, builds the question matcher and the
feedback engine once (lazily: `mlcoach bank list` never loads the model) and hands out every service.
The web app (`web/app.py`) and every CLI command (`cli/common.open_coach`) get their services here and
nowhere else, in the spirit of Anki's `Collection` and datasette's `Datasette`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Any

from mlcoach.core.catalog import Bank
from mlcoach.core.clock import Clock, system_clock
from mlcoach.settings import Settings

if TYPE_CHECKING:
    from mlcoach.feedback.engine import FeedbackEngine
    from mlcoach.llm import LLMClient
    from mlcoach.mock.service import MockService
    from mlcoach.publish.exports import ExportService
    from mlcoach.reflect.service import ReflectService
    from mlcoach.search.matcher import Matcher
    from mlcoach.search.vector_cache import Progress
    from mlcoach.store import Store
    from mlcoach.study.assess import AssessService
    from mlcoach.study.notes import NoteService
    from mlcoach.study.plan import PlanService
    from mlcoach.study.practice import PracticeService
    from mlcoach.study.profile import ProfileService
    from mlcoach.study.stories import StoryService

_UNSET: Any = object()


class Coach:
    def __init__(self, bank: Bank, store: "Store | Callable[[], Store]", clock: Clock = system_clock,
                 settings: Settings | None = None, matcher: "Callable[[], Matcher] | None" = None,
                 llm: "LLMClient | None" = _UNSET, progress: "Progress | None" = None) -> None:
        """`store` may be a factory, so commands that never touch the database never open it;
        `matcher` replaces the bank's own (tests pass a prebuilt one); `llm=None` turns the LLM off,
        leaving it out uses the configured one."""
        self.bank = bank
        self.clock = clock
        self.settings = settings or Settings.from_env()
        self._store: Store | None = store if _is_store(store) else None  # type: ignore[assignment]
        self._store_factory: Callable[[], Store] | None = None if self._store is not None else store  # type: ignore[assignment]
        self._matcher_factory = matcher
        self._llm = llm
        self._progress = progress
        self.index_progress: tuple[int, int] | None = None  # (texts embedded, texts to embed) while building
        self._store_lock, self._matcher_lock, self._engine_lock = threading.Lock(), threading.Lock(), threading.Lock()
        self._matcher: Matcher | None = None
        self._matcher_built = threading.Event()
        self.warm_up_error: Exception | None = None  # why the background build failed, for the page that waits
        self._engine: FeedbackEngine | None = None

    # Infrastructure ---------------------------------------------------------------------------

    @property
    def store(self) -> "Store":
        if self._store is None:
            with self._store_lock:
                if self._store is None:
                    assert self._store_factory is not None
                    self._store = self._store_factory()
        return self._store

    def matcher(self) -> "Matcher":
        """The question matcher, built once and shared (thread-safe)."""
        if self._matcher is None:
            with self._matcher_lock:
                if self._matcher is None:
                    if self._matcher_factory is not None:
                        self._matcher = self._matcher_factory()
                    else:
                        from mlcoach.search.matcher import Matcher

                        self._matcher = Matcher.for_bank(self.bank, progress=self._record_progress)
                    self._matcher_built.set()
        return self._matcher

    def wait_for_matcher(self, seconds: float) -> bool:
        """True when the matcher is ready within `seconds` (it may be building in the background);
        a background build that failed raises its error here instead of looking busy forever."""
        if self.warm_up_error is not None and not self._matcher_built.is_set():
            raise self.warm_up_error
        return self._matcher_built.wait(seconds)

    def _record_progress(self, done: int, total: int) -> None:
        self.index_progress = (done, total)
        if self._progress is not None:
            self._progress(done, total)

    def warm_up(self) -> threading.Thread:
        """Builds the matcher and the engine in the background, so the first search does not wait
        (the bundled bank's vectors ship, so this takes seconds; another bank may take minutes)."""

        def build() -> None:
            try:
                self.engine()
            except Exception as error:  # noqa: BLE001 - kept for the request that waits on the build
                self.warm_up_error = error

        thread = threading.Thread(target=build, name="mlcoach-warm-up", daemon=True)
        thread.start()
        return thread

    def engine(self) -> "FeedbackEngine":
        """The offline feedback engine; it shares the matcher's model and vocabulary."""
        if self._engine is None:
            from mlcoach.feedback.engine import FeedbackEngine

            matcher = self.matcher()
            with self._engine_lock:
                if self._engine is None:
                    self._engine = FeedbackEngine.for_matcher(matcher)
        return self._engine

    @cached_property
    def llm(self) -> "LLMClient | None":
        if self._llm is not _UNSET:
            return self._llm
        from mlcoach.llm import LLMClient, LLMConfig

        config = LLMConfig.from_env(self.settings)
        return LLMClient(config) if config else None

    def local_user(self) -> int:
        """The one user of single-user local mode, created on first use."""
        from mlcoach.store.users import LOCAL_USER, ensure_user

        return self.store.write(lambda s: ensure_user(s, LOCAL_USER, self.clock()).id)

    # Services ---------------------------------------------------------------------------------

    @cached_property
    def profiles(self) -> "ProfileService":
        from mlcoach.study.profile import ProfileService

        return ProfileService(self.store, self.clock)

    @cached_property
    def reflect(self) -> "ReflectService":
        from mlcoach.reflect.service import ReflectService

        return ReflectService(self.bank, self.store, self.matcher, self.clock)

    @cached_property
    def mock(self) -> "MockService":
        from mlcoach.mock.service import MockService

        return MockService(self.bank, self.store, self.engine, self.clock, self.llm)

    @cached_property
    def assess(self) -> "AssessService":
        from mlcoach.study.assess import AssessService

        return AssessService(self.bank, self.store, self.clock, self.engine)

    @cached_property
    def plans(self) -> "PlanService":
        from mlcoach.study.plan import PlanService

        return PlanService(self.bank, self.store, self.clock)

    @cached_property
    def practice(self) -> "PracticeService":
        from mlcoach.study.practice import PracticeService

        return PracticeService(self.bank, self.store, self.clock, self.engine)

    @cached_property
    def notes(self) -> "NoteService":
        from mlcoach.study.notes import NoteService

        return NoteService(self.bank, self.store, self.clock)

    @cached_property
    def stories(self) -> "StoryService":
        from mlcoach.study.stories import StoryService

        return StoryService(self.bank, self.store, self.clock)

    @cached_property
    def exports(self) -> "ExportService":
        from mlcoach.publish.exports import ExportService

        return ExportService(self.bank, self.store, self.clock, self.notes, self.stories)


def _is_store(value: object) -> bool:
    from mlcoach.store import Store

    return isinstance(value, Store)


def open_store(settings: Settings | None = None, url: str | None = None) -> "Store":
    """The configured database: the local default is migrated on open, a shared one only checked."""
    from mlcoach.store import Store, resolve_url

    resolved, local = resolve_url(url, settings)
    store = Store(resolved)
    if local:
        store.upgrade()
    else:
        store.check_current()
    return store
