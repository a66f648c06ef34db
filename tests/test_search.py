"""The matcher and search engine: embeddings, the index cache, the `match` contract, duplicates."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import FIXTURE_BANK

from mlcoach.bank import load_bank
from mlcoach.core.catalog import Bank
from mlcoach.search.documents import item_documents
from mlcoach.search.embedding import Embedder, EmbeddingError, verify
from mlcoach.search.index import cached_index

UNRELATED = "What is the best way to proof sourdough bread overnight in a cold kitchen?"


def test_embeddings_are_unit_vectors_and_meaningful(matcher: object) -> None:
    embedder = matcher.embedder  # type: ignore[attr-defined]
    vectors = embedder.encode(["How does dropout prevent overfitting?", "Why does dropout regularise a network?", UNRELATED])
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.3
    single = embedder.encode(["How does dropout prevent overfitting?"])[0]
    assert np.allclose(single, vectors[0], atol=1e-5)  # batching and padding do not change a vector


def test_a_damaged_model_file_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "model.onnx"
    fake.write_bytes(b"not a model")
    with pytest.raises(EmbeddingError, match="expected 8199be6f"):
        verify(fake)
    with pytest.raises(EmbeddingError, match="reinstall"):
        Embedder(path=fake).encode(["x"])


def test_each_question_finds_its_own_item(bank: Bank, matcher: object) -> None:
    results = matcher.match_many([item.question for item in bank.items])  # type: ignore[attr-defined]
    for item, result in zip(bank.items, results):
        assert result.covered and result.item_id == item.id, (item.id, result)


def test_a_question_outside_the_bank_is_a_gap(matcher: object) -> None:
    result = matcher.match(UNRELATED)  # type: ignore[attr-defined]
    assert not result.covered and result.item_id is None
    assert 0.0 <= result.score < 0.5 and len(result.candidates) == 5


def test_index_is_cached_by_content_hash(bank: Bank, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MLCOACH_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr("mlcoach.search.vector_cache.shipped_vectors", lambda: {})  # as for a bank that shares no text
    calls = []

    class Counting(Embedder):
        def encode(self, texts, batch_size=64):  # type: ignore[no-untyped-def]
            calls.append(len(texts))
            return super().encode(texts, batch_size)

    embedder = Counting()
    first = cached_index(bank.content_hash, item_documents(bank), embedder)
    assert calls and (tmp_path / "index").exists()
    second = cached_index(bank.content_hash, item_documents(bank), embedder)
    assert len(calls) == 1  # loaded from disk, nothing embedded again
    assert second.ids == first.ids and np.allclose(second.vectors, first.vectors)
    # A damaged cache is rebuilt instead of failing; re-embedding is skipped thanks to the vector cache.
    for path in (tmp_path / "index").glob("*/vectors.npy"):
        path.write_bytes(b"garbage")
    third = cached_index(bank.content_hash, item_documents(bank), embedder)
    assert third.ids == first.ids and len(calls) == 1


def test_match_cli_contract(tmp_path: Path) -> None:
    questions = "How do precision and recall trade off?\n\n" + UNRELATED + "\n"
    run = subprocess.run([sys.executable, "-m", "mlcoach", "match", "--bank", str(FIXTURE_BANK), "--json"],
                         input=questions, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    rows = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(rows) == 3  # one line out per line in, blank lines included
    for row in rows:
        assert list(row) == ["query", "covered", "item_id", "score", "candidates"]
        assert isinstance(row["covered"], bool) and isinstance(row["score"], float)
        assert all(list(c) == ["item_id", "score"] for c in row["candidates"]) and len(row["candidates"]) <= 5
        assert (row["item_id"] is None) == (not row["covered"])
    assert rows[0]["covered"] and rows[0]["item_id"] == "precision-recall-f1"
    assert rows[1] == {"query": "", "covered": False, "item_id": None, "score": 0.0, "candidates": []}
    assert not rows[2]["covered"]
    import os

    table = subprocess.run([sys.executable, "-m", "mlcoach", "match", "--bank", str(FIXTURE_BANK)],
                           input=questions, capture_output=True, text=True, env={**os.environ, "COLUMNS": "250"})
    assert table.returncode == 0 and "precision-recall-f1" in table.stdout and "gap" in table.stdout


def test_search_cli(tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, "-m", "mlcoach", "search", "eigenvalues of a matrix", "--bank", str(FIXTURE_BANK),
                          "--json", "--limit", "3"], capture_output=True, text=True)
    rows = json.loads(run.stdout)
    assert run.returncode == 0 and len(rows) == 3 and rows[0]["item_id"] == "eigendecomposition-explained"
    assert set(rows[0]) == {"item_id", "score", "area", "question"}


def test_lint_flags_a_reworded_duplicate(tmp_path: Path) -> None:
    copy = tmp_path / "bank"
    shutil.copytree(FIXTURE_BANK, copy)
    original = copy / "ml-theory" / "precision-recall-f1.md"
    text = original.read_text()
    old_question = next(line for line in text.splitlines() if line.startswith("question:"))
    reworded = 'question: "Define precision, recall and F1. When do you optimise for precision vs recall?"'
    (copy / "ml-theory" / "precision-and-recall-again.md").write_text(
        text.replace("id: precision-recall-f1", "id: precision-and-recall-again").replace(old_question, reworded))
    run = subprocess.run([sys.executable, "-m", "mlcoach", "bank", "lint", "--bank", str(copy)], capture_output=True, text=True)
    assert run.returncode == 1
    flagged = [line for line in run.stdout.splitlines() if "means nearly the same" in line]
    assert len(flagged) == 1
    assert "precision-recall-f1" in flagged[0] and "precision-and-recall-again" in flagged[0]  # both files named
    quiet = subprocess.run([sys.executable, "-m", "mlcoach", "bank", "lint", "--bank", str(FIXTURE_BANK)], capture_output=True, text=True)
    assert quiet.returncode == 0, quiet.stdout


def test_synthetic_index_handles_empty_and_odd_queries(bank: Bank, matcher: object) -> None:
    for query in ("", "   ", "?!", "a" * 5000, "ünïcödé quéstion about ∑ and λ"):
        result = matcher.match(query)  # type: ignore[attr-defined]
        assert 0.0 <= result.score <= 1.0
    assert matcher.search("") == []  # type: ignore[attr-defined]


def test_bundled_bank_index_needs_no_embedding_on_first_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bundled bank's vectors ship in the package: a fresh install embeds nothing to build its index,
    and the shipped file matches content/ (else `python scripts/build_index.py` must be run)."""
    from mlcoach.bank.paths import bundled_bank
    from mlcoach.search.shipped import stale_texts

    bundled = load_bank(bundled_bank()).bank
    missing, extra, texts = stale_texts(bundled)
    assert not missing and not extra, f"shipped vectors are stale ({len(missing)} missing, {len(extra)} extra): run python scripts/build_index.py"

    monkeypatch.setenv("MLCOACH_CACHE_DIR", str(tmp_path))
    calls = []

    class Counting(Embedder):
        def encode(self, texts, batch_size=64):  # type: ignore[no-untyped-def]
            calls.append(len(texts))
            return super().encode(texts, batch_size)

    index = cached_index(bundled.content_hash, item_documents(bundled), Counting())
    assert calls == [] and len(index.ids) == len(bundled.items)
