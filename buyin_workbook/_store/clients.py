"""A coach's clients (each with the key of their link) and the links a client makes for their
team members."""

from __future__ import annotations

import logging
import secrets

import sqlalchemy as sa

from .._text import N_, TextError, clean_name, same_text
from ..languages import checked_language
from . import schema as t
from .base import StoreBase
from .clock import now as _now
from .errors import (
    ClientNotFound,
    StoreError,
)
from .keys import hash_key, new_key, well_formed
from .records import (
    PLAN_NAME_MAX,
    Client,
    MemberLink,
    client_of,
    member_link_of,
    new_id,
)

log = logging.getLogger("buyin_workbook.store")


class ClientMethods(StoreBase):
    """Clients, the coach's key, and member links."""

    def add_client(self, name: str, language: str | None = None) -> tuple[Client, str]:
        """A new client and the key of their link (shown once: only its hash is kept); the
        language they read the workbook in, if the coach sets one."""
        self._coach_only()
        name = clean_name(name, what=N_("The client's name"), max_length=PLAN_NAME_MAX)
        if language is not None:
            language = checked_language(language, what=N_("The client's language"))
        key = new_key()
        with self._transaction() as conn:
            coach_clients = sa.select(t.clients.c.name).where(t.clients.c.cohort_id.is_(None))
            for row in conn.execute(coach_clients):
                if same_text(row.name, name):
                    raise TextError(
                        N_(
                            "You already have a client called “{name}”. Pick "
                            "another name, or give them a new link."
                        ),
                        name=row.name,
                    )
            result = conn.execute(
                t.clients.insert().values(
                    name=name, key_hash=hash_key(key), created_at=_now(), language=language
                )
            )
            row = conn.execute(sa.select(t.clients).where(t.clients.c.id == new_id(result))).one()
            return client_of(row), key

    def clients(self) -> list[Client]:
        """The coach's clients (course participants are a cohort's: see :meth:`participants`)."""
        self._coach_only()
        with self._transaction() as conn:
            rows = conn.execute(
                sa.select(t.clients)
                .where(t.clients.c.cohort_id.is_(None))
                .order_by(t.clients.c.name)
            )
            return [client_of(row) for row in rows]

    def plan_counts(self) -> dict[int, int]:
        """How many plans each client has (clients with none are left out)."""
        self._coach_only()
        with self._transaction() as conn:
            rows = conn.execute(
                sa.select(t.plans.c.client_id, sa.func.count())
                .join(t.clients, t.clients.c.id == t.plans.c.client_id)
                .where(t.clients.c.cohort_id.is_(None))
                .group_by(t.plans.c.client_id)
            )
            return {client_id: count for client_id, count in rows}

    def find_client(self, wanted: str | int) -> Client:
        """A client by name (any case) or number."""
        clients = self.clients()
        for client in clients:
            if client.id == wanted or (
                isinstance(wanted, str)
                and (same_text(client.name, wanted) or wanted == str(client.id))
            ):
                return client
        names = ", ".join(c.name for c in clients)
        if not names:
            raise ClientNotFound(
                N_("No client called “{wanted}”. Your clients: none yet."), wanted=str(wanted)
            )
        raise ClientNotFound(
            N_("No client called “{wanted}”. Your clients: {names}."),
            wanted=str(wanted),
            names=names,
        )

    def revoke_client(self, client_id: int) -> Client:
        """Stop the client's link (and their member links) working; their answers stay.

        Member links end for good: a later :meth:`renew_client_key` does not revive them.
        """
        self._coach_only()
        with self._transaction() as conn:
            self._get_client(conn, client_id)
            now = _now()
            conn.execute(
                t.clients.update()
                .where(t.clients.c.id == client_id, t.clients.c.revoked_at.is_(None))
                .values(revoked_at=now)
            )
            conn.execute(
                t.member_links.update()
                .where(
                    t.member_links.c.client_id == client_id, t.member_links.c.revoked_at.is_(None)
                )
                .values(revoked_at=now)
            )
            return self._get_client(conn, client_id)

    def renew_client_key(self, client_id: int) -> str:
        """A new link for the client; the old one stops working."""
        self._coach_only()
        key = new_key()
        with self._transaction() as conn:
            self._get_client(conn, client_id)
            conn.execute(
                t.clients.update()
                .where(t.clients.c.id == client_id)
                .values(key_hash=hash_key(key), revoked_at=None)
            )
        return key

    def erase_client(self, client_id: int, *, scrub: bool = True) -> None:
        """Delete the client, every plan and answer of theirs, and their links; with
        ``scrub``, rewrite the files at once so no deleted row stays in them (else the caller
        calls :meth:`scrub_erased` soon, off the request that erased)."""
        self._coach_only()
        with self._transaction() as conn:
            self._get_client(conn, client_id)
            plan_ids = list(
                conn.execute(
                    sa.select(t.plans.c.id).where(t.plans.c.client_id == client_id)
                ).scalars()
            )
            self._delete_plan_rows(conn, plan_ids)
            conn.execute(
                t.settings.delete().where(t.settings.c.key == f"last_plan:client:{client_id}")
            )
            conn.execute(t.clients.delete().where(t.clients.c.id == client_id))
        if scrub:
            self._drop_erased_copies()

    def scrub_erased(self) -> None:
        """Rewrite the database's files so that no row deleted so far stays readable in
        them (SQLite: the write-ahead log moved into the zeroed file; PostgreSQL: the
        personal tables rewritten, which takes a while on a big database)."""
        self._drop_erased_copies()

    def client_for_key(self, key: object) -> Client | None:
        """The client whose working link holds ``key``; ``None`` for any other key."""
        if not well_formed(key):
            return None
        assert isinstance(key, str)
        with self._transaction() as conn:
            row = conn.execute(
                sa.select(t.clients).where(
                    t.clients.c.key_hash == hash_key(key), t.clients.c.revoked_at.is_(None)
                )
            ).first()
            return None if row is None else client_of(row)

    def new_coach_key(self) -> str:
        """The key of the coach's dashboard link; any earlier one stops working."""
        self._coach_only()
        key = new_key()
        with self._transaction() as conn:
            self._set_setting(conn, "coach_key_hash", hash_key(key))
        return key

    def has_coach_key(self) -> bool:
        with self._transaction() as conn:
            return self._setting(conn, "coach_key_hash") is not None

    def is_coach_key(self, key: object) -> bool:
        if not well_formed(key):
            return False
        assert isinstance(key, str)
        with self._transaction() as conn:
            stored = self._setting(conn, "coach_key_hash")
        return stored is not None and secrets.compare_digest(stored, hash_key(key))

    def add_member_link(
        self, plan_id: int, member_id: str, member_name: str, *, exercise: str = "motivators"
    ) -> str:
        """A key that lets one team member answer one exercise's member page in this plan.

        A member has one working link per exercise: making a new one stops the old.
        """
        if self.client_id is None:
            raise StoreError(N_("Member links belong to a client's plan."))
        name = clean_name(member_name, what=N_("The member's name"), max_length=PLAN_NAME_MAX)
        key = new_key()
        with self._transaction() as conn:
            self._get_plan(conn, plan_id)
            self._revoke_member_links(conn, plan_id, exercise, member_id)
            conn.execute(
                t.member_links.insert().values(
                    client_id=self.client_id,
                    plan_id=plan_id,
                    member_id=member_id,
                    member_name=name,
                    key_hash=hash_key(key),
                    created_at=_now(),
                    exercise=exercise,
                )
            )
        return key

    def revoke_member_link(self, plan_id: int, exercise: str, member_id: str) -> None:
        """Stop a member's link to one exercise's page working (its answers stay)."""
        with self._transaction() as conn:
            self._get_plan(conn, plan_id)
            self._revoke_member_links(conn, plan_id, exercise, member_id)

    def member_links(self, plan_id: int, exercise: str | None = None) -> list[MemberLink]:
        """The plan's working member links (of one exercise, or of all)."""
        query = sa.select(t.member_links).where(
            t.member_links.c.plan_id == plan_id, t.member_links.c.revoked_at.is_(None)
        )
        if exercise is not None:
            query = query.where(t.member_links.c.exercise == exercise)
        with self._transaction() as conn:
            self._get_plan(conn, plan_id)
            return [member_link_of(row) for row in conn.execute(query)]

    def member_link_for_key(self, key: object) -> MemberLink | None:
        """The working member link holding ``key``, while its client's link works too."""
        if not well_formed(key):
            return None
        assert isinstance(key, str)
        with self._transaction() as conn:
            row = conn.execute(
                sa.select(t.member_links, t.clients.c.cohort_id)
                .join(t.clients, t.clients.c.id == t.member_links.c.client_id)
                .where(
                    t.member_links.c.key_hash == hash_key(key),
                    t.member_links.c.revoked_at.is_(None),
                    t.clients.c.revoked_at.is_(None),
                )
            ).first()
            return None if row is None else member_link_of(row)

    def member_link_exercises(self) -> list[str]:
        """The exercises whose member page some working member link opens, across clients
        (``serve`` keeps one of each warm)."""
        self._coach_only()
        links = t.member_links
        query = (
            sa.select(links.c.exercise)
            .distinct()
            .join(t.clients, t.clients.c.id == links.c.client_id)
            .where(links.c.revoked_at.is_(None), t.clients.c.revoked_at.is_(None))
            .order_by(links.c.exercise)
        )
        with self._transaction() as conn:
            return list(conn.execute(query).scalars())
