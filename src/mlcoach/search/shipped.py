"""Embeddings that ship inside the package, so the bundled bank's index is ready on first run.

`bank_vectors.npz` holds a vector for every text the bundled bank's documents embed, keyed like the
on-disk vector cache (model + text), stored as float16. `scripts/build_index.py` writes it, and its
`--check` (run by the tests) fails when the bank changed and the file was not rebuilt. Any other bank
reuses whatever texts it shares with the bundled one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from mlcoach.search.embedding import MODEL_ID

if TYPE_CHECKING:
    import numpy as np

    from mlcoach.core.catalog import Bank

SHIPPED = Path(__file__).resolve().parent / "data" / "bank_vectors.npz"


def text_key(text: str) -> str:
    return hashlib.sha1(f"{MODEL_ID}\0{text}".encode()).hexdigest()


@lru_cache(maxsize=1)
def shipped_vectors(path: Path = SHIPPED) -> dict[str, "np.ndarray"]:
    """key -> vector (float32) for every text that ships; empty when the file is missing or unreadable."""
    import numpy as np

    try:
        with np.load(path, allow_pickle=False) as data:
            if str(data["model"]) != MODEL_ID:
                return {}
            keys = [bytes(row).hex() for row in data["keys"]]
            vectors = data["vectors"].astype(np.float32)
    except (OSError, KeyError, ValueError):
        return {}
    return dict(zip(keys, vectors))


def round_like_shipped(vectors: "np.ndarray") -> "np.ndarray":
    """Freshly computed vectors rounded as the shipped ones are, so an index is the same either way."""
    import numpy as np

    return vectors.astype(np.float16).astype(np.float32)


def write_shipped(texts: Iterable[str], vectors: "np.ndarray", path: Path = SHIPPED) -> None:
    import numpy as np

    keys = np.array([list(bytes.fromhex(text_key(t))) for t in texts], dtype=np.uint8).reshape(-1, 20)
    order = np.lexsort(keys.T[::-1])  # a stable order, so rebuilding unchanged content gives the same bytes
    np.savez_compressed(path, model=np.array(MODEL_ID), keys=keys[order], vectors=vectors[order].astype(np.float16))


def bank_texts(bank: "Bank") -> list[str]:
    """Every distinct text the bank's search documents embed, in a stable order."""
    from mlcoach.search.documents import item_documents

    return sorted({view for doc in item_documents(bank) for view in doc.views})


def stale_texts(bank: "Bank", path: Path = SHIPPED) -> tuple[list[str], list[str], list[str]]:
    """(texts with no shipped vector, shipped keys no text uses, all texts) for `bank`."""
    shipped_vectors.cache_clear()
    shipped = shipped_vectors(path)
    texts = bank_texts(bank)
    keys = {text_key(t) for t in texts}
    return [t for t in texts if text_key(t) not in shipped], [k for k in shipped if k not in keys], texts
