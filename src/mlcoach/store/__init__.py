"""Storage: SQLAlchemy models, the one write path, Alembic migrations.

SQLite (the local default) and PostgreSQL (hosting many users) behave the same through `Store`.
"""

from mlcoach.store.database import Store, StoreError, default_url, resolve_url

__all__ = ["Store", "StoreError", "default_url", "resolve_url"]
