"""Semantic near-duplicate questions: the same question in other words, found with embeddings."""

from __future__ import annotations

from pathlib import Path

from mlcoach.bank.problems import Problem
from mlcoach.core.catalog import Bank
from mlcoach.core.items import Item
from mlcoach.search.documents import item_documents
from mlcoach.search.embedding import Embedder, shared_embedder
from mlcoach.search.index import cached_index

# Distinct questions on neighbouring subjects reach about 0.8 cosine in the bundled bank; rewordings of
# the same question score above 0.9.
THRESHOLD = 0.88
# A phrasing is ambiguous when another item's question is close to it (cosine at least AMBIGUITY_CLOSE)
# and closer than its own item's question by AMBIGUITY_MARGIN. Below that closeness a phrasing is only
# loosely near several questions at once (a short phrasing of a long scenario, say) and the order is
# noise: in the bundled bank, 131 of 280 such flags sat under 0.5 and none of those read as the other item.
AMBIGUITY_CLOSE = 0.6
AMBIGUITY_MARGIN = 0.05


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


def ambiguous_phrasings(bank: Bank, embedder: Embedder | None = None) -> list[tuple[str, int, str, float, float]]:
    """`asked_as` phrasings that read closer to another item's question than to their own item's:
    (item id, 0-based phrasing number, the other item's id, cosine to own question, cosine to the other)."""
    import numpy as np

    if len(bank.items) < 2:
        return []
    index = cached_index(bank.content_hash, item_documents(bank), embedder or shared_embedder())
    first_view = np.searchsorted(index.owners, np.arange(len(index.ids)))
    questions = index.vectors[first_view]
    by_id: dict[str, Item] = {item.id: item for item in bank.items}
    found = []
    for doc, item_id in enumerate(index.ids):
        asked = by_id[item_id].asked_as
        if not asked:
            continue
        start = int(first_view[doc]) + 2  # views: question, question with key points, then each phrasing
        block = index.vectors[start : start + len(asked)] @ questions.T
        for number, row in enumerate(block):
            own = float(row[doc])
            row[doc] = -1.0
            other = int(row.argmax())
            if float(row[other]) >= max(own + AMBIGUITY_MARGIN, AMBIGUITY_CLOSE):
                found.append((item_id, number, index.ids[other], own, float(row[other])))
    return found


def duplicate_problems(bank: Bank, shown: dict[str, str], embedder: Embedder | None = None) -> list[Problem]:
    """Lint problems for semantic duplicates, reported on the later file's question line."""
    problems = []
    for first, second, score in semantic_duplicates(bank, embedder):
        path = shown[second]
        problems.append(Problem(path, _question_line(Path(path)),
                                f"question means nearly the same as `{first}` ({shown[first]}); embedding similarity {score:.2f}"))
    for item_id, number, other, own, close in ambiguous_phrasings(bank, embedder):
        path = shown[item_id]
        problems.append(Problem(path, _asked_line(Path(path), number),
                                f"asked_as[{number + 1}] reads closer to `{other}`'s question ({close:.2f}) than to this "
                                f"item's ({own:.2f}); reword it so it asks this item's question, or split the item"))
    return problems


def _asked_line(path: Path, number: int) -> int:
    """The line of the `number`-th (0-based) entry under `asked_as:`."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
        start = next(n for n, line in enumerate(lines) if line.startswith("asked_as:"))
        entries = [n for n in range(start + 1, len(lines)) if lines[n].lstrip().startswith("- ")]
        following = [n for n in entries if all(lines[k].startswith((" ", "\t")) for k in range(start + 1, n + 1))]
        return following[number] + 1 if number < len(following) else start + 1
    except (OSError, StopIteration):
        return _question_line(path)


def _question_line(path: Path) -> int:
    try:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.startswith("question:"):
                return number
    except OSError:
        pass
    return 1
