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


#: A cohort's join code: what a room types from a projector. No 0/O, 1/I/L or U, so
#: nothing reads as something else; 8 of these 30 give 6.6e11 codes (a code only lets
#: someone join an open cohort, whose size is capped).
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
JOIN_CODE_LENGTH = 8


def new_join_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normal_join_code(text: object) -> str | None:
    """A join code as typed (any case, with spaces or dashes) in its stored form, or
    ``None`` if it cannot be one."""
    if not isinstance(text, str) or len(text) > 4 * JOIN_CODE_LENGTH:
        return None
    code = re.sub(r"[\s-]", "", text).upper()
    if len(code) != JOIN_CODE_LENGTH or any(ch not in _CODE_ALPHABET for ch in code):
        return None
    return code


def shown_join_code(code: str) -> str:
    """A join code as it is shown: two groups of four, easier to read out and type."""
    half = JOIN_CODE_LENGTH // 2
    return f"{code[:half]}-{code[half:]}"
