"""Write the bundled bank's embeddings into the package (src/mlcoach/search/data/bank_vectors.npz).

    python scripts/build_index.py           # rebuild after changing content/
    python scripts/build_index.py --check   # exit 1 when the shipped file does not match content/

Only texts that changed are embedded again (the rest come from the shipped file or the local cache).
"""

from __future__ import annotations

import argparse
import sys


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that the shipped vectors are current")
    args = parser.parse_args()

    from mlcoach.bank import load_bank
    from mlcoach.bank.paths import bundled_bank
    from mlcoach.search.shipped import SHIPPED, stale_texts, write_shipped

    bank = load_bank(bundled_bank()).bank
    missing, extra, texts = stale_texts(bank)
    if args.check:
        if missing or extra:
            print(f"{SHIPPED.name} is stale: {len(missing)} text(s) of the bank have no shipped vector, "
                  f"{len(extra)} shipped vector(s) belong to no text; run `python scripts/build_index.py`")
            for text in missing[:5]:
                print(f"  missing: {text[:100]}")
            return 1
        print(f"{SHIPPED.name} is current: {len(texts)} texts")
        return 0
    from mlcoach.search.embedding import shared_embedder
    from mlcoach.search.index import cache_root
    from mlcoach.search.vector_cache import encode_cached

    vectors = encode_cached(shared_embedder(), texts, cache_root() / "vectors.sqlite")
    write_shipped(texts, vectors)
    print(f"wrote {SHIPPED} ({len(texts)} texts, {len(missing)} new, {len(extra)} dropped)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
