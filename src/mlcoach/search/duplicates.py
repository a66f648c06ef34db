"""Semantic near-duplicate questions: the same question in other words, found with embeddings."""

from __future__ import annotations

from pathlib import Path

from mlcoach.bank.problems import Problem
from mlcoach.core.catalog import Bank
from mlcoach.search.documents import item_documents
from mlcoach.search.embedding import Embedder, shared_embedder
from mlcoach.search.index import cached_index

# Distinct questions on neighbouring subjects reach about 0.8 cosine in the bundled bank; rewordings of
# the same question score above 0.9.
THRESHOLD = 0.88


def semantic_duplicates(bank: Bank, embedder: Embedder | None = None, threshold: float = THRESHOLD) -> list[tuple[str, str, float]]:
    """Pairs (earlier id, later id, cosine) of questions that mean the same thing."""
    import numpy as np

    if len(bank.items) < 2:
        return []
    index = cached_index(bank.content_hash, item_documents(bank), embedder or shared_embedder())
    first_view = np.searchsorted(index.owners, np.arange(len(index.ids)))  # each item's question vector
    questions = index.vectors[first_view]
    pairs = []
    for start in range(0, len(questions), 1024):  # blocks keep memory flat on big banks
        block = questions[start : start + 1024] @ questions.T
        for offset, row in enumerate(block):
            i = start + offset
            for j in np.nonzero(row[i + 1 :] >= threshold)[0]:
                pairs.append((index.ids[i], index.ids[i + 1 + int(j)], float(row[i + 1 + int(j)])))
    return pairs


def duplicate_problems(bank: Bank, shown: dict[str, str], embedder: Embedder | None = None) -> list[Problem]:
    """Lint problems for semantic duplicates, reported on the later file's question line."""
    problems = []
    for first, second, score in semantic_duplicates(bank, embedder):
        path = shown[second]
        problems.append(Problem(path, _question_line(Path(path)),
                                f"question means nearly the same as `{first}` ({shown[first]}); embedding similarity {score:.2f}"))
    return problems


def _question_line(path: Path) -> int:
    try:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.startswith("question:"):
                return number
    except OSError:
        pass
    return 1
