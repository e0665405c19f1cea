"""Platforms' API keys: created by the operator, checked on every request to /api/v1.

A key is 32 random bytes (URL-safe base64, prefixed `tw_`), shown once at creation; the database keeps
its SHA-256. A fast hash is the right one here, unlike for passwords: the key is random and long, so
there is nothing to guess, and every request checks it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from standards_data.registry_store import utc_now_iso
from tiswatch.api.tables import API_KEYS

KEY_PREFIX = "tw_"
DEFAULT_RATE_PER_SECOND = 50.0


class KeyError_(LookupError):
    """A key name that does not exist or already exists."""


@dataclass(frozen=True)
class KeyRecord:
    id: int
    name: str
    key_prefix: str
    key_sha256: str
    rate_per_second: float
    created_at: str
    revoked: bool


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def add_key(
    engine: Engine, name: str, rate_per_second: float = DEFAULT_RATE_PER_SECOND
) -> tuple[KeyRecord, str]:
    """Store a new key for platform `name`; returns its record and the key (not stored anywhere)."""
    key = new_key()
    values = {
        "name": name,
        "key_prefix": key[:10],
        "key_sha256": key_digest(key),
        "rate_per_second": rate_per_second,
        "created_at": utc_now_iso(),
        "revoked": False,
    }
    try:
        with engine.begin() as connection:
            result = connection.execute(insert(API_KEYS).values(**values))
    except IntegrityError as error:
        raise KeyError_(f"a key named {name!r} already exists (revoke it or choose another name)") from error
    primary_key = result.inserted_primary_key
    assert primary_key is not None
    return KeyRecord(id=int(primary_key[0]), **values), key  # type: ignore[arg-type]


def list_keys(engine: Engine) -> list[KeyRecord]:
    with engine.connect() as connection:
        rows = connection.execute(select(API_KEYS).order_by(API_KEYS.c.id)).mappings()
        return [KeyRecord(**row) for row in rows]


def revoke_key(engine: Engine, name: str) -> None:
    with engine.begin() as connection:
        result = connection.execute(
            update(API_KEYS)
            .where(API_KEYS.c.name == name, API_KEYS.c.revoked.is_(False))
            .values(revoked=True)
        )
    if result.rowcount == 0:
        raise KeyError_(f"no active key named {name!r}")


class KeyRing:
    """The active keys, held in memory and reloaded from the database by the server's watcher, so a
    request costs one hash and one dict lookup and a key added or revoked takes effect within seconds."""

    def __init__(self, records: list[KeyRecord]) -> None:
        self._by_digest = {record.key_sha256: record for record in records if not record.revoked}

    @classmethod
    def load(cls, engine: Engine) -> KeyRing:
        return cls(list_keys(engine))

    def find(self, key: str | None) -> KeyRecord | None:
        if not key:
            return None
        digest = key_digest(key)
        record = self._by_digest.get(digest)
        # Dict lookup by digest already hides the key; compare_digest keeps the last step constant-time.
        if record is not None and hmac.compare_digest(record.key_sha256, digest):
            return record
        return None

    def __len__(self) -> int:
        return len(self._by_digest)
