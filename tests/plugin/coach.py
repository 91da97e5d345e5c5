"""A coach's store as `jupyter workbook clients` leaves it: clients and their links' keys.

The store's own calls, which the CLI makes, so a fixture seeds in milliseconds instead of
starting a `jupyter workbook` process per client; the CLI itself is tested in tests/apps.
"""

from __future__ import annotations

from buyin_workbook.store import WorkbookStore


def add_client(db_url: str, name: str) -> tuple[str, int]:
    """A client added as `clients add NAME` adds them: their link's key and their id."""
    with WorkbookStore(db_url) as coach:
        client, key = coach.add_client(name)
    return key, client.id


def seed_clients(db_url: str, *names: str) -> tuple[dict[str, str], dict[str, int]]:
    """Clients added by name and the coach's dashboard link (under "coach"): the links'
    keys by name, and the clients' ids by name."""
    keys: dict[str, str] = {}
    ids: dict[str, int] = {}
    for name in names:
        keys[name], ids[name] = add_client(db_url, name)
    with WorkbookStore(db_url) as coach:
        keys["coach"] = coach.new_coach_key()
    return keys, ids
