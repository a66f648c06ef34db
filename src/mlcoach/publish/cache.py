"""Built guides kept on disk, keyed by the bank's content and by the code that builds them.

A guide takes a second or two to build, and the web app serves it on demand; the key changes when
any bank file or any file of this package changes, so a stale PDF is never served.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import threading
from functools import lru_cache
from pathlib import Path

from mlcoach import __version__
from mlcoach.core.catalog import Bank

_PACKAGE = Path(__file__).resolve().parent
_building = threading.Lock()  # one build at a time: a second request for the same guide waits, then reads


@lru_cache(maxsize=1)
def code_key() -> str:
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(_PACKAGE.rglob("*")):
        if path.suffix in (".py", ".typ"):
            digest.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def guide_path(bank: Bank, area: str) -> Path:
    from mlcoach.search.index import cache_root

    key = hashlib.sha256(f"{bank.content_hash}\0{code_key()}".encode()).hexdigest()[:24]
    return cache_root() / "guides" / f"{area}-{key}.pdf"


def cached_guide(bank: Bank, area: str) -> bytes:
    """The guide's PDF, built now if this bank and this code never built it. Raises ValueError for an
    unknown area and PublishError when typst fails."""
    from mlcoach.publish.guides import build_guide

    path = guide_path(bank, area)
    if path.exists():
        return path.read_bytes()
    with _building:
        if path.exists():
            return path.read_bytes()
        data = build_guide(bank, area).data
        _store(path, data)
    return data


def _store(path: Path, data: bytes) -> None:
    """Write atomically and drop the area's older builds; a cache that cannot be written costs speed,
    not correctness."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        return
    area = path.name.rsplit("-", 1)[0]
    for old in path.parent.glob(f"{area}-*.pdf"):
        if old != path and old.name.rsplit("-", 1)[0] == area:
            with contextlib.suppress(OSError):
                old.unlink()
