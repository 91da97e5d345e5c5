"""Access keys for client, coach and member links: random, shown once, stored hashed."""

from __future__ import annotations

import hashlib
import re
import secrets

#: 32 random bytes: unguessable, so a plain SHA-256 (no salt, no slow hash) is enough to
#: keep the stored form useless to someone who reads the database.
_KEY_BYTES = 32
_KEY_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")


def new_key() -> str:
    return secrets.token_urlsafe(_KEY_BYTES)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("ascii")).hexdigest()


def well_formed(key: object) -> bool:
    """Whether ``key`` could be a key at all (checked before any lookup)."""
    return isinstance(key, str) and _KEY_SHAPE.fullmatch(key) is not None
