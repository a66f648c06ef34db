"""Embeddings remembered by text, so re-indexing an edited bank only embeds the texts that changed."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from mlcoach.search.embedding import DIMENSIONS, MODEL_ID, Embedder

if TYPE_CHECKING:
    import numpy as np


def _key(text: str) -> str:
    return hashlib.sha1(f"{MODEL_ID}\0{text}".encode()).hexdigest()


def encode_cached(embedder: Embedder, texts: Sequence[str], path: Path) -> "np.ndarray":
    import numpy as np

    keys = [_key(t) for t in texts]
    out = np.empty((len(texts), DIMENSIONS), dtype=np.float32)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(path, timeout=30)
        db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL)")
    except sqlite3.Error:
        return embedder.encode(texts)  # no usable cache: just compute
    try:
        found: dict[str, bytes] = {}
        unique = list(dict.fromkeys(keys))
        for start in range(0, len(unique), 500):
            chunk = unique[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(db.execute(f"SELECT key, vector FROM vectors WHERE key IN ({marks})", chunk).fetchall())
        missing = [i for i, k in enumerate(keys) if k not in found]
        if missing:
            fresh = embedder.encode([texts[i] for i in missing])
            for i, vector in zip(missing, fresh):
                out[i] = vector
            with db:
                db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)",
                               [(keys[i], fresh[n].astype(np.float32).tobytes()) for n, i in enumerate(missing)])
        for i, k in enumerate(keys):
            if k in found:
                out[i] = np.frombuffer(found[k], dtype=np.float32)
    except sqlite3.Error:
        return embedder.encode(texts)
    finally:
        db.close()
    return out
