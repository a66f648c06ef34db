"""Keyword side: tokenising with English stemming and stop words, BM25 via bm25s, IDF coverage."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

_TOKEN = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
_STOP = frozenset(
    """a about above after again against all am an and any are as at be because been before being below between
    both but by can could did do does doing down during each few for from further had has have having he her here
    hers him his how i if in into is it its itself just me more most my no nor not now of off on once only or other
    our ours out over own same she should so some such than that the their theirs them then there these they this
    those through to too under until up very was we were what when where which while who whom why will with would
    you your yours asked ask question questions interview interviewer like basically kind sort me us tell explain
    describe talk walk know think say said something thing things got get gets really also just way ways well""".split()
)
_stemmer = None


def _stem(words: list[str]) -> list[str]:
    global _stemmer
    if _stemmer is None:
        import Stemmer

        _stemmer = Stemmer.Stemmer("english")
    return _stemmer.stemWords(words)  # type: ignore[no-any-return]


_ACRONYM_PLURAL = re.compile(r"\b([A-Z]{2,})s\b")  # LSTMs, GPUs, LLMs: the plural of an acronym


def tokens(text: str, compounds: bool = False) -> list[str]:
    """Content words, stemmed. With `compounds`, a hyphenated term also gives one token for the whole
    ("t-distribution" -> "t_distribut" beside "distribut"), so search can tell it from "t-SNE"."""
    words = []
    for token in _TOKEN.findall(_ACRONYM_PLURAL.sub(r"\1", text).lower().replace("\u2019", "'")):
        parts = token.replace("'", " ").replace("-", " ").split()
        kept = [part for part in parts if part not in _STOP and (len(part) > 1 or part.isdigit())]
        words.extend(_stem(kept) if kept else [])
        if compounds and "-" in token and len(parts) > 1:
            words.append("_".join(_stem(parts)))
    return words


def search_tokens(text: str) -> list[str]:
    return tokens(text, compounds=True)


class KeywordIndex:
    """BM25 over the documents, plus each document's set of terms for the coverage feature."""

    def __init__(self, bm25: object, vocab: dict[str, int], doc_terms: "np.ndarray", doc_offsets: "np.ndarray", df: "np.ndarray") -> None:
        self.bm25 = bm25
        self.vocab = vocab
        self.doc_terms = doc_terms  # term ids of every document, concatenated (CSR layout)
        self.doc_offsets = doc_offsets
        self.df = df
        self.n_docs = len(doc_offsets) - 1

    @classmethod
    def build(cls, texts: Sequence[str]) -> "KeywordIndex":
        import bm25s
        import numpy as np

        tokenized = [search_tokens(text) for text in texts]
        vocab: dict[str, int] = {}
        for doc in tokenized:
            for term in doc:
                vocab.setdefault(term, len(vocab))
        ids = [[vocab[t] for t in doc] for doc in tokenized]
        bm25 = bm25s.BM25()
        bm25.index(bm25s.tokenization.Tokenized(ids=ids, vocab=vocab), show_progress=False)
        unique = [np.unique(np.array(doc, dtype=np.int32)) for doc in ids]
        offsets = np.zeros(len(unique) + 1, dtype=np.int64)
        offsets[1:] = np.cumsum([len(u) for u in unique])
        terms = np.concatenate(unique) if unique else np.zeros(0, dtype=np.int32)
        df = np.bincount(terms, minlength=len(vocab)).astype(np.int32)
        return cls(bm25, vocab, terms, offsets, df)

    def query_ids(self, query: str) -> list[int]:
        return sorted({self.vocab[t] for t in search_tokens(query) if t in self.vocab})

    def prepare(self, query: str) -> "QueryTerms":
        """Tokenise a query once: its known term ids, their IDF weights, and the weight of unseen words."""
        import numpy as np

        words = set(search_tokens(query))
        known = sorted({self.vocab[w] for w in words if w in self.vocab})
        weights = np.array([self.idf(t) for t in known], dtype=np.float64)
        # A word the bank has never seen counts as maximally rare: a question about something the
        # bank does not know should not look covered.
        unseen = (len(words) - len(known)) * math.log(1 + (self.n_docs + 0.5) / 0.5)
        return QueryTerms(known, np.array(known, dtype=np.int32), weights, float(weights.sum() + unseen), len(words))

    def scores(self, term_ids: list[int]) -> "np.ndarray":
        import numpy as np

        if not term_ids:
            return np.zeros(self.n_docs, dtype=np.float32)
        return self.bm25.get_scores(term_ids)  # type: ignore[attr-defined,no-any-return]

    def idf(self, term_id: int) -> float:
        df = int(self.df[term_id])
        return math.log(1 + (self.n_docs - df + 0.5) / (df + 0.5))

    def idf_unseen(self) -> float:
        """The IDF of a word no document contains: the rarest possible."""
        return math.log(1 + (self.n_docs + 0.5) / 0.5)

    def coverage(self, terms: "QueryTerms", doc: int) -> float:
        """Share of the query's informative words, weighted by IDF, that the document contains."""
        return self.coverage_and_missing(terms, doc)[0]

    def rarest_missing(self, terms: "QueryTerms", doc: int) -> float:
        """The IDF of the rarest query word the bank knows but this document lacks, as a share of the
        largest IDF: a question naming "MPE" or "t-distribution" should not match an item that never
        says it, however close the rest of the wording."""
        return self.coverage_and_missing(terms, doc)[1]

    def coverage_and_missing(self, terms: "QueryTerms", doc: int) -> tuple[float, float]:
        """`coverage` and `rarest_missing` from one look at the document's terms."""
        import numpy as np

        if not terms.ids:
            return 0.0, 0.0
        doc_terms = self.doc_terms[self.doc_offsets[doc] : self.doc_offsets[doc + 1]]
        present = np.isin(terms.array, doc_terms, assume_unique=True)
        covered = float(terms.weights[present].sum() / terms.total) if terms.total > 0 else 0.0
        absent = ~present
        missing = float(terms.weights[absent].max() / self.idf_unseen()) if absent.any() else 0.0
        return covered, missing


class QueryTerms:
    __slots__ = ("ids", "array", "weights", "total", "n_words")

    def __init__(self, ids: list[int], array: "np.ndarray", weights: "np.ndarray", total: float, n_words: int) -> None:
        self.ids = ids
        self.array = array
        self.weights = weights
        self.total = total
        self.n_words = n_words  # distinct content words, known to the bank or not
