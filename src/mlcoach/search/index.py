"""The search index of a bank: keyword index + embedding vectors, cached on disk by content hash."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mlcoach.search.documents import Document
from mlcoach.search.embedding import MODEL_ID, Embedder
from mlcoach.search.keywords import KeywordIndex

if TYPE_CHECKING:
    import numpy as np

    from mlcoach.search.vector_cache import Progress

# Bump when documents, tokenising or vectors change, so old caches are not reused.
INDEX_VERSION = "2"


@dataclass
class SearchIndex:
    ids: list[str]
    keywords: KeywordIndex
    vectors: "np.ndarray"  # (views, 384) unit vectors
    owners: "np.ndarray"  # (views,) the document each view belongs to

    @classmethod
    def build(cls, documents: Sequence[Document], embedder: Embedder, vector_cache: Path | None = None,
              progress: "Progress | None" = None) -> "SearchIndex":
        import numpy as np

        from mlcoach.search.vector_cache import encode_cached

        keywords = KeywordIndex.build([d.keywords for d in documents])
        texts, owners = [], []
        for number, doc in enumerate(documents):
            for view in doc.views:
                texts.append(view)
                owners.append(number)
        vectors = encode_cached(embedder, texts, vector_cache, progress)
        return cls([d.id for d in documents], keywords, vectors, np.array(owners, dtype=np.int32))

    def view_similarities(self, query_vector: "np.ndarray") -> dict[str, "np.ndarray"]:
        """Cosine of the query with each document, per kind of view: `best` of all views, the question
        (`question`), the question with its key points (`points`), the best `asked_as` phrasing
        (`asked`, the question's where there is none). Views are stored document by document in that order."""
        import numpy as np

        per_view = self.vectors @ query_vector
        n = len(self.ids)
        if not hasattr(self, "_first_view"):
            self._first_view = np.searchsorted(self.owners, np.arange(n))
            counts = np.bincount(self.owners, minlength=n)
            self._has_points = counts >= 2
            self._with_asked = np.nonzero(counts > 2)[0]
            starts = self._first_view[self._with_asked] + 2
            # reduceat over [start, end) pairs: each document's phrasings are one contiguous run
            self._asked_bounds = np.stack([starts, self._first_view[self._with_asked] + counts[self._with_asked]], axis=1).ravel()
        question = per_view[self._first_view]
        points = np.where(self._has_points, per_view[np.minimum(self._first_view + 1, len(per_view) - 1)], question)
        asked = question.copy()
        if len(self._with_asked):
            padded = np.append(per_view, np.float32(-1.0))  # so the last run may end at len(per_view)
            asked[self._with_asked] = np.maximum.reduceat(padded, self._asked_bounds)[::2]
        best = np.maximum(np.maximum(question, points), asked)
        return {"best": best, "question": question, "points": points, "asked": asked}

    # Cache ------------------------------------------------------------------------------------

    def save(self, directory: Path) -> None:
        import numpy as np

        directory.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=directory.parent))
        try:
            np.save(staging / "vectors.npy", self.vectors)
            np.save(staging / "owners.npy", self.owners)
            np.save(staging / "doc_terms.npy", self.keywords.doc_terms)
            np.save(staging / "doc_offsets.npy", self.keywords.doc_offsets)
            np.save(staging / "df.npy", self.keywords.df)
            self.keywords.bm25.save(str(staging / "bm25"), show_progress=False)  # type: ignore[attr-defined]
            (staging / "meta.json").write_text(json.dumps({"ids": self.ids, "vocab": self.keywords.vocab, "model": MODEL_ID}))
            if directory.exists():
                shutil.rmtree(directory, ignore_errors=True)
            os.replace(staging, directory)  # readers see a whole index or none
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    @classmethod
    def load(cls, directory: Path) -> "SearchIndex":
        import bm25s
        import numpy as np

        meta = json.loads((directory / "meta.json").read_text())
        bm25 = bm25s.BM25.load(str(directory / "bm25"), show_progress=False, verbosity=0)
        keywords = KeywordIndex(bm25, meta["vocab"], np.load(directory / "doc_terms.npy"),
                                np.load(directory / "doc_offsets.npy"), np.load(directory / "df.npy"))
        return cls(meta["ids"], keywords, np.load(directory / "vectors.npy"), np.load(directory / "owners.npy"))


def cache_root() -> Path:
    from mlcoach.settings import current

    base = current().cache_dir
    if base:
        return base
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("mlcoach", appauthor=False))


def cached_index(key: str, documents: Sequence[Document], embedder: Embedder, progress: "Progress | None" = None) -> SearchIndex:
    """The index for this content, from the cache when it was built before; built and cached otherwise."""
    directory = cache_root() / "index" / f"{key[:24]}-v{INDEX_VERSION}"
    if (directory / "meta.json").exists():
        try:
            return SearchIndex.load(directory)
        except Exception:  # noqa: BLE001 - a damaged cache is rebuilt, never fatal
            shutil.rmtree(directory, ignore_errors=True)
    index = SearchIndex.build(documents, embedder, vector_cache=cache_root() / "vectors.sqlite", progress=progress)
    try:
        index.save(directory)
    except OSError:
        pass  # a read-only cache directory costs speed, not correctness
    return index
