"""The store's timestamps: UTC, ISO 8601, to the microsecond (they sort as text)."""

from datetime import UTC, datetime


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")
