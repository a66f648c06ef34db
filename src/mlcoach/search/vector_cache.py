"""Embeddings remembered by text, so re-indexing an edited bank only embeds the texts that changed."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from mlcoach.search.embedding import DIMENSIONS, Embedder
from mlcoach.search.shipped import round_like_shipped, shipped_vectors, text_key

if TYPE_CHECKING:
    import numpy as np

Progress = Callable[[int, int], None]  # (texts embedded so far, texts to embed)


def encode_cached(embedder: Embedder, texts: Sequence[str], path: Path | None, progress: "Progress | None" = None) -> "np.ndarray":
    """Vectors for `texts`: shipped with the package, else from the on-disk cache at `path`, else
    computed (and then cached). `progress(done, total)` hears about the texts that must be computed."""
    import numpy as np

    keys = [text_key(t) for t in texts]
    out = np.empty((len(texts), DIMENSIONS), dtype=np.float32)
    shipped = shipped_vectors()
    have = [i for i, k in enumerate(keys) if k in shipped]
    for i in have:
        out[i] = shipped[keys[i]]
    rest = [i for i, k in enumerate(keys) if k not in shipped]
    if not rest:
        return out
    out[rest] = _encode_cached(embedder, [texts[i] for i in rest], [keys[i] for i in rest], path, progress)
    return round_like_shipped(out)  # vectors cached by older versions were not rounded


def _compute(embedder: Embedder, texts: Sequence[str], progress: "Progress | None") -> "np.ndarray":
    import numpy as np

    if progress is None or len(texts) <= 64:
        return round_like_shipped(embedder.encode(texts))
    parts = []
    for start in range(0, len(texts), 256):
        parts.append(embedder.encode(texts[start : start + 256]))
        progress(min(start + 256, len(texts)), len(texts))
    return round_like_shipped(np.concatenate(parts))


def _encode_cached(embedder: Embedder, texts: Sequence[str], keys: list[str], path: Path | None, progress: "Progress | None") -> "np.ndarray":
    import numpy as np

    out = np.empty((len(texts), DIMENSIONS), dtype=np.float32)
    if path is None:
        return _compute(embedder, texts, progress)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(path, timeout=30)
        db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL)")
    except sqlite3.Error:
        return _compute(embedder, texts, progress)  # no usable cache: just compute
    try:
        found: dict[str, bytes] = {}
        unique = list(dict.fromkeys(keys))
        for start in range(0, len(unique), 500):
            chunk = unique[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(db.execute(f"SELECT key, vector FROM vectors WHERE key IN ({marks})", chunk).fetchall())
        missing = [i for i, k in enumerate(keys) if k not in found]
        if missing:
            fresh = _compute(embedder, [texts[i] for i in missing], progress)
            for i, vector in zip(missing, fresh):
                out[i] = vector
            with db:
                db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)",
                               [(keys[i], fresh[n].astype(np.float32).tobytes()) for n, i in enumerate(missing)])
        for i, k in enumerate(keys):
            if k in found:
                out[i] = np.frombuffer(found[k], dtype=np.float32)
    except sqlite3.Error:
        return _compute(embedder, texts, progress)
    finally:
        db.close()
    return out
