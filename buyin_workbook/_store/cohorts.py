"""The store's cohort methods: a facilitator's course groups, their participants, what has
been revealed to them and every set of figures the facilitator was shown.

Part of :class:`buyin_workbook.store.WorkbookStore` (the one API class); kept apart because a
cohort's rules (aliases, closing, releases) are their own.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from .._text import N_, clean_name, look_alike_key, name_key, same_text
from ..exercise_ids import EXERCISE_IDS
from ..languages import checked_language
from . import schema as t
from .clients import ClientMethods
from .clock import now as _now
from .errors import StoreError
from .keys import hash_key, new_join_code, new_key, normal_join_code, well_formed

#: A figure over fewer people than this could point at one of them.
MIN_GROUP_FLOOR = 3
MIN_GROUP_DEFAULT = 5
#: How many may join a cohort by its link unless the facilitator says otherwise.
MAX_PARTICIPANTS_DEFAULT = 100
#: A cohort is a course group, not a crowd: more than this by one link is refused.
MAX_PARTICIPANTS_CEILING = 2000
NAME_MAX = 200
ALIAS_MAX = 40
HUB_NAME_MAX = 255


class CohortNotFound(StoreError):
    """No cohort with that name or number."""


class CohortClosed(StoreError):
    """The cohort takes no new participants."""


class AliasTaken(StoreError):
    """Someone in the cohort already goes by that alias."""


class ParticipantNotFound(StoreError):
    """No one in the cohort by that alias or number."""


class CohortFull(StoreError):
    """As many have joined as the facilitator allows."""


@dataclass(frozen=True)
class Cohort:
    """A facilitator's course group, working through some of the exercises together."""

    id: int
    name: str
    exercises: tuple[str, ...]
    min_group: int
    created_at: str
    closed_at: str | None
    #: For a cohort on JupyterHub: its hub group (its participants' workbooks send their
    #: measures; there are no links). ``None`` for a cohort joined by link.
    hub_group: str | None = None
    #: How many may join by the cohort's link (a hub group says who is in its cohort).
    max_participants: int = MAX_PARTICIPANTS_DEFAULT
    #: How many the facilitator expects to arrive (0: none announced): `serve` keeps that
    #: many of the cohort's first pages warm until they have come.
    expected: int = 0
    #: The language its participants read the workbook in (a code); ``None``: as their
    #: page or browser asks.
    language: str | None = None

    @property
    def open(self) -> bool:
        return self.closed_at is None


@dataclass(frozen=True)
class Participant:
    """Someone in a cohort, known to the facilitator by their alias only."""

    id: int
    alias: str
    joined_at: str
    shares_summary: bool


@dataclass(frozen=True)
class Release:
    """One set of a cohort's anonymous figures of one exercise, as the facilitator saw it."""

    id: int
    exercise: str
    released_at: str
    #: Participants whose answers the figures were drawn from.
    contributors: frozenset[int]
    #: Each figure: ``{key: {"contributors": [...], "value": ...}}`` or withheld, with why.
    cells: dict[str, Any]


def _cohort(row: sa.Row) -> Cohort:
    return Cohort(
        row.id,
        row.name,
        tuple(json.loads(row.exercises)),
        row.min_group,
        row.created_at,
        row.closed_at,
        row.hub_group,
        row.max_participants,
        row.expected,
        row.language,
    )


def _release(row: sa.Row) -> Release:
    return Release(
        row.id,
        row.exercise,
        row.released_at,
        frozenset(json.loads(row.contributors)),
        json.loads(row.cells),
    )


class CohortMethods(ClientMethods):
    """Cohorts, for :class:`~buyin_workbook.store.WorkbookStore`."""

    # -- the facilitator's side (the store's owner) ----------------------------------------

    def create_cohort(
        self,
        name: str,
        exercises: Iterable[str],
        min_group: int = MIN_GROUP_DEFAULT,
        max_participants: int = MAX_PARTICIPANTS_DEFAULT,
        expected: int = 0,
        language: str | None = None,
    ) -> tuple[Cohort, str, str]:
        """A new cohort, its facilitator key and its join key (shown once: only their
        hashes are kept)."""
        self._coach_only()
        name = clean_name(name, what=N_("The cohort's name"), max_length=NAME_MAX)
        if language is not None:
            language = checked_language(language, what=N_("The cohort's language"))
        ordered = _checked_exercises(exercises, min_group)
        _check_limit(max_participants, min_group)
        _check_expected(expected, max_participants)
        facilitator_key, join_key = new_key(), new_key()
        with self._transaction() as conn:
            for row in conn.execute(sa.select(t.cohorts.c.name)):
                if same_text(row.name, name):
                    raise StoreError(
                        N_("You already have a cohort called “{name}”."), name=row.name
                    )
            result = conn.execute(
                t.cohorts.insert().values(
                    name=name,
                    exercises=json.dumps(ordered),
                    min_group=min_group,
                    max_participants=max_participants,
                    expected=expected,
                    facilitator_key_hash=hash_key(facilitator_key),
                    join_key_hash=hash_key(join_key),
                    join_code=new_join_code(),
                    language=language,
                    created_at=_now(),
                )
            )
            key = result.inserted_primary_key
            assert key is not None
            cohort = self._get_cohort(conn, int(key[0]))
        return cohort, facilitator_key, join_key

    def renew_cohort_links(self, cohort_id: int) -> tuple[str, str]:
        """New facilitator and join keys for a cohort (shown once); the old links stop
        working. Participants' own links are not touched."""
        self._coach_only()
        facilitator_key, join_key = new_key(), new_key()
        with self._transaction() as conn:
            self._get_cohort(conn, cohort_id)
            conn.execute(
                t.cohorts.update()
                .where(t.cohorts.c.id == cohort_id)
                .values(
                    facilitator_key_hash=hash_key(facilitator_key),
                    join_key_hash=hash_key(join_key),
                    join_code=new_join_code(),
                )
            )
        return facilitator_key, join_key

    def join_code(self, cohort_id: int) -> str:
        """The code a room types to join the cohort (made now for a cohort made before
        there were codes); ``cohort links`` makes a new one."""
        self._coach_only()
        with self._transaction() as conn:
            self._link_cohort(
                conn,
                cohort_id,
                N_("A cohort on JupyterHub has no join code: its hub group says who is in it."),
            )
            code = conn.execute(
                sa.select(t.cohorts.c.join_code).where(t.cohorts.c.id == cohort_id)
            ).scalar_one()
            if code is None:
                code = new_join_code()
                conn.execute(
                    t.cohorts.update().where(t.cohorts.c.id == cohort_id).values(join_code=code)
                )
            return str(code)

    def limit_cohort(self, cohort_id: int, max_participants: int) -> Cohort:
        """Change how many may join by the cohort's link (those already in stay)."""
        return self._change_link_cohort(
            cohort_id,
            N_("A cohort on JupyterHub has no join link: its hub group says who is in it."),
            lambda cohort: _check_limit(max_participants, cohort.min_group),
            max_participants=max_participants,
        )

    def expect_cohort(self, cohort_id: int, expected: int) -> Cohort:
        """Say how many are coming (0: no crowd announced), so their first pages are warm."""
        return self._change_link_cohort(
            cohort_id,
            N_(
                "A cohort on JupyterHub opens its pages in each participant's own JupyterLab: "
                "there are no served pages to keep warm."
            ),
            lambda cohort: _check_expected(expected, cohort.max_participants),
            expected=expected,
        )

    def _change_link_cohort(
        self, cohort_id: int, on_hub: str, check: Callable[[Cohort], None], **values: int
    ) -> Cohort:
        """Change a setting only a cohort joined by link has, once ``check`` allows it."""
        self._coach_only()
        with self._transaction() as conn:
            check(self._link_cohort(conn, cohort_id, on_hub))
            conn.execute(t.cohorts.update().where(t.cohorts.c.id == cohort_id).values(**values))
            return self._get_cohort(conn, cohort_id)

    def _link_cohort(self, conn: Connection, cohort_id: int, on_hub: str) -> Cohort:
        """The cohort, if it is joined by link; a hub cohort is refused with ``on_hub``."""
        cohort = self._get_cohort(conn, cohort_id)
        if cohort.hub_group is not None:
            raise StoreError(on_hub)
        return cohort

    def expected_cohorts(self) -> list[Cohort]:
        """Open cohorts joined by link that expect a crowd."""
        self._coach_only()
        with self._transaction() as conn:
            rows = conn.execute(
                sa.select(t.cohorts).where(
                    t.cohorts.c.expected > 0,
                    t.cohorts.c.closed_at.is_(None),
                    t.cohorts.c.hub_group.is_(None),
                )
            )
            return [_cohort(row) for row in rows]

    def cohorts(self) -> list[Cohort]:
        self._coach_only()
        with self._transaction() as conn:
            rows = conn.execute(sa.select(t.cohorts).order_by(t.cohorts.c.created_at))
            return [_cohort(row) for row in rows]

    def find_cohort(self, wanted: str | int) -> Cohort:
        """A cohort by name (any case) or number."""
        cohorts = self.cohorts()
        for cohort in cohorts:
            if cohort.id == wanted or (
                isinstance(wanted, str)
                and (same_text(cohort.name, wanted) or wanted == str(cohort.id))
            ):
                return cohort
        names = ", ".join(f"“{c.name}”" for c in cohorts)
        if not names:
            raise CohortNotFound(
                N_("No cohort called “{wanted}”. Your cohorts: none yet."), wanted=str(wanted)
            )
        raise CohortNotFound(
            N_("No cohort called “{wanted}”. Your cohorts: {names}."),
            wanted=str(wanted),
            names=names,
        )

    def get_cohort(self, cohort_id: int) -> Cohort:
        with self._transaction() as conn:
            self._check_cohort_visible(conn, cohort_id)
            return self._get_cohort(conn, cohort_id)

    def close_cohort(self, cohort_id: int) -> Cohort:
        """No new participants from now on; everyone's work and links stay."""
        self._coach_only()
        with self._transaction() as conn:
            self._get_cohort(conn, cohort_id)
            conn.execute(
                t.cohorts.update()
                .where(t.cohorts.c.id == cohort_id, t.cohorts.c.closed_at.is_(None))
                .values(closed_at=_now())
            )
            return self._get_cohort(conn, cohort_id)

    def reopen_cohort(self, cohort_id: int) -> Cohort:
        """Let new participants join a closed cohort again, by its join link and code (up
        to its limit)."""
        self._coach_only()
        with self._transaction() as conn:
            self._link_cohort(
                conn,
                cohort_id,
                N_("A cohort on JupyterHub is never closed: its hub group says who is in it."),
            )
            conn.execute(
                t.cohorts.update().where(t.cohorts.c.id == cohort_id).values(closed_at=None)
            )
            return self._get_cohort(conn, cohort_id)

    def erase_cohort(self, cohort_id: int) -> None:
        """Delete the cohort, its participants with every plan and answer of theirs, and
        every figure shown of it, leaving no readable copy in the database."""
        self._coach_only()
        with self._transaction() as conn:
            self._get_cohort(conn, cohort_id)
            members = sa.select(t.clients.c.id).where(t.clients.c.cohort_id == cohort_id)
            plan_ids = list(
                conn.execute(
                    sa.select(t.plans.c.id).where(t.plans.c.client_id.in_(members))
                ).scalars()
            )
            self._delete_plan_rows(conn, plan_ids)
            for client_id in conn.execute(members).scalars():
                conn.execute(
                    t.settings.delete().where(t.settings.c.key == f"last_plan:client:{client_id}")
                )
            conn.execute(t.clients.delete().where(t.clients.c.cohort_id == cohort_id))
            for table in (t.cohort_reveals, t.cohort_releases):
                conn.execute(table.delete().where(table.c.cohort_id == cohort_id))
            conn.execute(t.cohorts.delete().where(t.cohorts.c.id == cohort_id))
        self._drop_erased_copies()

    def cohort_for_facilitator_key(self, key: object) -> Cohort | None:
        return self._cohort_for_key(t.cohorts.c.facilitator_key_hash, key)

    def cohort_for_join_key(self, key: object) -> Cohort | None:
        """The cohort this join link belongs to, open or closed."""
        return self._cohort_for_key(t.cohorts.c.join_key_hash, key)

    def cohort_for_join_code(self, code: object) -> Cohort | None:
        """The cohort a join code (as typed) belongs to, open or closed."""
        normal = normal_join_code(code)
        if normal is None:
            return None
        with self._transaction() as conn:
            row = conn.execute(sa.select(t.cohorts).where(t.cohorts.c.join_code == normal)).first()
        return None if row is None else _cohort(row)

    def _cohort_for_key(self, column: sa.Column, key: object) -> Cohort | None:
        if not well_formed(key):
            return None
        assert isinstance(key, str)
        with self._transaction() as conn:
            row = conn.execute(sa.select(t.cohorts).where(column == hash_key(key))).first()
        return None if row is None else _cohort(row)

    def join_cohort(self, cohort_id: int, alias: str) -> tuple[Participant, str]:
        """A new participant and the key of their private link (shown once)."""
        self._coach_only()
        alias = clean_name(alias, what=N_("Your alias"), max_length=ALIAS_MAX)
        taken = AliasTaken(
            N_("Someone in this course already goes by “{alias}”. Please choose another alias."),
            alias=alias,
        )
        key = new_key()
        try:
            with self._transaction() as conn:
                # Joins to one cohort queue here, so its limit holds however many come at
                # once (PostgreSQL locks the row; SQLite's write transaction already queues).
                conn.execute(
                    sa.select(t.cohorts.c.id).where(t.cohorts.c.id == cohort_id).with_for_update()
                )
                cohort = self._get_cohort(conn, cohort_id)
                if not cohort.open:
                    raise CohortClosed(CLOSED)
                joined = conn.execute(
                    sa.select(sa.func.count()).where(t.clients.c.cohort_id == cohort_id)
                ).scalar_one()
                if joined >= cohort.max_participants:
                    raise CohortFull(FULL)
                key_of_alias = name_key(alias)
                if conn.execute(
                    sa.select(t.clients.c.id).where(
                        t.clients.c.cohort_id == cohort_id, t.clients.c.name_key == key_of_alias
                    )
                ).first():
                    raise taken
                # One that reads the same in other letters (Greek capitals for "KATE") would let
                # a facilitator take the wrong person out; joins queue above, so this holds.
                others = conn.execute(
                    sa.select(t.clients.c.name).where(t.clients.c.cohort_id == cohort_id)
                ).scalars()
                reads_as = look_alike_key(alias)
                if any(look_alike_key(other) == reads_as for other in others):
                    raise AliasTaken(
                        N_(
                            "Someone in this course has an alias that looks just like "
                            "“{alias}”. Please choose another alias."
                        ),
                        alias=alias,
                    )
                result = conn.execute(
                    t.clients.insert().values(
                        name=alias,
                        name_key=key_of_alias,
                        key_hash=hash_key(key),
                        created_at=_now(),
                        cohort_id=cohort_id,
                    )
                )
                new_id = result.inserted_primary_key
                assert new_id is not None
                row = conn.execute(
                    sa.select(t.clients).where(t.clients.c.id == int(new_id[0]))
                ).one()
        except StoreError as error:
            # Another server on the same database admitted the same alias a moment before:
            # the database keeps aliases unique as readers compare them.
            if isinstance(error.__cause__, sa.exc.IntegrityError):
                raise taken from error
            raise
        return _participant(row), key

    def find_participant(self, cohort_id: int, alias: str) -> Participant:
        """A participant of a cohort by their alias (as readers compare names)."""
        found = [p for p in self.participants(cohort_id) if same_text(p.alias, alias)]
        if not found:
            raise ParticipantNotFound(
                N_(
                    "No one in this cohort goes by “{alias}”. Its participants are listed on "
                    "your dashboard."
                ),
                alias=alias,
            )
        return found[0]

    def remove_participant(self, cohort_id: int, participant_id: int) -> None:
        """Take one participant out of a link cohort: their link stops at once, then they are
        erased with every plan and answer (scrubbed as any erase is). The cohort's releases
        keep what they showed; a release drawn after would meet them as someone who left."""
        self._coach_only()
        with self._transaction() as conn:
            self._link_cohort(
                conn,
                cohort_id,
                N_(
                    "A cohort on JupyterHub has no links: take the participant out of its hub "
                    "group; what their workbook sent is theirs to take back."
                ),
            )
            belongs = conn.execute(
                sa.select(t.clients.c.id).where(
                    t.clients.c.id == participant_id, t.clients.c.cohort_id == cohort_id
                )
            ).scalar()
            if belongs is None:
                raise ParticipantNotFound(N_("That participant is no longer in this cohort."))
        self.erase_client(participant_id)

    def participants(self, cohort_id: int) -> list[Participant]:
        self._coach_only()
        with self._transaction() as conn:
            self._get_cohort(conn, cohort_id)
            rows = conn.execute(
                sa.select(t.clients)
                .where(t.clients.c.cohort_id == cohort_id)
                .order_by(t.clients.c.name)
            )
            return [_participant(row) for row in rows]

    def cohort_activity(self, cohort_id: int) -> str:
        """A fingerprint of everything a facilitator's dashboard is drawn from (the cohort,
        who is in it and sharing, their plans' revisions, reveals and releases): it changes
        when the dashboard would, so an open dashboard is drawn again only then."""
        self._coach_only()
        members = sa.select(t.clients.c.id).where(t.clients.c.cohort_id == cohort_id)
        queries = [
            sa.select(t.cohorts).where(t.cohorts.c.id == cohort_id),
            sa.select(t.clients.c.id, t.clients.c.revoked_at, t.clients.c.summary_shared_at)
            .where(t.clients.c.cohort_id == cohort_id)
            .order_by(t.clients.c.id),
            sa.select(
                sa.func.count(), sa.func.sum(t.plans.c.revision), sa.func.max(t.plans.c.id)
            ).where(t.plans.c.client_id.in_(members)),
            sa.select(t.cohort_reveals.c.exercise, t.cohort_reveals.c.revealed_at)
            .where(t.cohort_reveals.c.cohort_id == cohort_id)
            .order_by(t.cohort_reveals.c.exercise),
            sa.select(sa.func.max(t.cohort_releases.c.id)).where(
                t.cohort_releases.c.cohort_id == cohort_id
            ),
        ]
        with self._transaction() as conn:
            self._get_cohort(conn, cohort_id)
            seen = [[tuple(row) for row in conn.execute(query)] for query in queries]
        return hash_key(json.dumps(seen, default=str))

    def participant_answers(self, cohort_id: int, exercise: str) -> dict[int, list[dict[str, Any]]]:
        """Each participant's answers to one exercise in every plan of theirs, the plan
        changed last at the end (``{participant id: [{key: value}, ...]}``; no plan, no
        entry). Which plan counts is the cohort's rule, not the store's."""
        self._coach_only()
        with self._transaction() as conn:
            self._get_cohort(conn, cohort_id)
            plans = list(
                conn.execute(
                    sa.select(t.plans.c.id, t.plans.c.client_id)
                    .join(t.clients, t.clients.c.id == t.plans.c.client_id)
                    .where(t.clients.c.cohort_id == cohort_id)
                    .order_by(t.plans.c.updated_at, t.plans.c.id)
                )
            )
            by_plan: dict[int, dict[str, Any]] = {plan_id: {} for plan_id, _ in plans}
            rows = conn.execute(
                sa.select(t.answers.c.plan_id, t.answers.c.key, t.answers.c.value).where(
                    t.answers.c.plan_id.in_(list(by_plan)), t.answers.c.exercise == exercise
                )
            )
            for plan_id, key, value in rows:
                by_plan[plan_id][key] = json.loads(value)
            result: dict[int, list[dict[str, Any]]] = {}
            for plan_id, client_id in plans:
                result.setdefault(client_id, []).append(by_plan[plan_id])
            return result

    def set_revealed(self, cohort_id: int, exercise: str, revealed: bool) -> None:
        """Show (or hide again) the cohort's figures of one exercise to its participants."""
        self._coach_only()
        with self._transaction() as conn:
            cohort = self._get_cohort(conn, cohort_id)
            if exercise not in cohort.exercises:
                raise StoreError(N_("That exercise is not part of this cohort."))
            conn.execute(
                t.cohort_reveals.delete().where(
                    t.cohort_reveals.c.cohort_id == cohort_id,
                    t.cohort_reveals.c.exercise == exercise,
                )
            )
            if revealed:
                conn.execute(
                    t.cohort_reveals.insert().values(
                        cohort_id=cohort_id, exercise=exercise, revealed_at=_now()
                    )
                )

    def add_release(
        self, cohort_id: int, exercise: str, contributors: Iterable[int], cells: dict[str, Any]
    ) -> Release:
        """Keep a set of figures the facilitator is about to be shown."""
        self._coach_only()
        with self._transaction() as conn:
            self._get_cohort(conn, cohort_id)
            result = conn.execute(
                t.cohort_releases.insert().values(
                    cohort_id=cohort_id,
                    exercise=exercise,
                    released_at=_now(),
                    contributors=json.dumps(sorted(contributors)),
                    cells=json.dumps(cells, sort_keys=True, allow_nan=False),
                )
            )
            key = result.inserted_primary_key
            assert key is not None
            row = conn.execute(
                sa.select(t.cohort_releases).where(t.cohort_releases.c.id == int(key[0]))
            ).one()
            return _release(row)

    # -- read by the facilitator and, for their own cohort, by a participant ----------------

    def my_cohort(self) -> Cohort | None:
        """The cohort this store's client belongs to (``None`` for a coach's client)."""
        if self.client_id is None:
            return None
        with self._transaction() as conn:
            cohort_id = conn.execute(
                sa.select(t.clients.c.cohort_id).where(t.clients.c.id == self.client_id)
            ).scalar()
            return None if cohort_id is None else self._get_cohort(conn, cohort_id)

    def revealed(self, cohort_id: int) -> set[str]:
        """The exercises whose figures the cohort's participants may see."""
        with self._transaction() as conn:
            self._check_cohort_visible(conn, cohort_id)
            return set(
                conn.execute(
                    sa.select(t.cohort_reveals.c.exercise).where(
                        t.cohort_reveals.c.cohort_id == cohort_id
                    )
                ).scalars()
            )

    def releases(self, cohort_id: int, exercise: str) -> list[Release]:
        """Every set of figures of one exercise shown so far, oldest first."""
        with self._transaction() as conn:
            self._check_cohort_visible(conn, cohort_id)
            rows = conn.execute(
                sa.select(t.cohort_releases)
                .where(
                    t.cohort_releases.c.cohort_id == cohort_id,
                    t.cohort_releases.c.exercise == exercise,
                )
                .order_by(t.cohort_releases.c.id)
            )
            return [_release(row) for row in rows]

    def latest_release(self, cohort_id: int, exercise: str) -> Release | None:
        """The figures of one exercise shown last (what a revealed exercise shows)."""
        with self._transaction() as conn:
            self._check_cohort_visible(conn, cohort_id)
            row = conn.execute(
                sa.select(t.cohort_releases)
                .where(
                    t.cohort_releases.c.cohort_id == cohort_id,
                    t.cohort_releases.c.exercise == exercise,
                )
                .order_by(t.cohort_releases.c.id.desc())
                .limit(1)
            ).first()
            return None if row is None else _release(row)

    # -- a participant's own choices --------------------------------------------------------

    def share_summary(self, shared: bool) -> None:
        """Let the facilitator read this participant's summary report, or stop it."""
        if self.my_cohort() is None:
            raise StoreError(N_("Only a course participant shares a summary with a facilitator."))
        with self._transaction() as conn:
            conn.execute(
                t.clients.update()
                .where(t.clients.c.id == self.client_id)
                .values(summary_shared_at=_now() if shared else None)
            )

    def shares_summary(self) -> bool:
        if self.client_id is None:
            return False
        with self._transaction() as conn:
            return (
                conn.execute(
                    sa.select(t.clients.c.summary_shared_at).where(t.clients.c.id == self.client_id)
                ).scalar()
                is not None
            )

    # -- cohorts on JupyterHub (the cohort service's own store) -------------------------------

    def hub_cohort(self, group: str, exercises: Iterable[str], min_group: int) -> Cohort:
        """The cohort of a hub group, made on first use. The hub lets people in, so its
        links are never shown (their keys are drawn and dropped)."""
        self._coach_only()
        if not isinstance(group, str) or not 0 < len(group) <= HUB_NAME_MAX:
            raise StoreError(N_("A hub group's name must be 1 to 255 characters."))
        ordered = _checked_exercises(exercises, min_group)
        found = self.find_hub_cohort(group)
        if found is not None:
            return found
        try:
            with self._transaction() as conn:
                conn.execute(
                    t.cohorts.insert().values(
                        name=group,
                        exercises=json.dumps(ordered),
                        min_group=min_group,
                        facilitator_key_hash=hash_key(new_key()),
                        join_key_hash=hash_key(new_key()),
                        created_at=_now(),
                        hub_group=group,
                    )
                )
        except StoreError as error:
            if not isinstance(error.__cause__, sa.exc.IntegrityError):
                raise
            # Another request made it at the same moment: use theirs.
        found = self.find_hub_cohort(group)
        assert found is not None
        return found

    def find_hub_cohort(self, group: str) -> Cohort | None:
        """The cohort of a hub group, if a participant's workbook has reached it."""
        self._coach_only()
        with self._transaction() as conn:
            row = conn.execute(sa.select(t.cohorts).where(t.cohorts.c.hub_group == group)).first()
            return None if row is None else _cohort(row)

    def hub_participant(self, cohort_id: int, user: str) -> Participant:
        """A hub user in a hub cohort (known by their hub name), made on first use. Two
        first requests at once make one: the database keeps a name unique in its cohort."""
        self._coach_only()
        if not isinstance(user, str) or not 0 < len(user) <= NAME_MAX:
            raise StoreError(N_("A hub user's name must be 1 to 200 characters."))
        for attempt in range(2):
            try:
                with self._transaction() as conn:
                    self._get_cohort(conn, cohort_id)
                    where = (t.clients.c.cohort_id == cohort_id, t.clients.c.name == user)
                    row = conn.execute(sa.select(t.clients).where(*where)).first()
                    if row is None:
                        conn.execute(
                            t.clients.insert().values(
                                name=user,
                                key_hash=hash_key(new_key()),
                                created_at=_now(),
                                cohort_id=cohort_id,
                            )
                        )
                        row = conn.execute(sa.select(t.clients).where(*where)).one()
                    return _participant(row)
            except StoreError as error:
                if attempt or not isinstance(error.__cause__, sa.exc.IntegrityError):
                    raise
        raise AssertionError("unreachable")

    def erase_hub_participant(self, cohort_id: int, user: str, *, scrub: bool = True) -> bool:
        """Take a hub user out of a hub cohort with everything their workbook sent (scrubbed
        as any erase is, at once or, without ``scrub``, by the caller soon); whether they
        were in it."""
        self._coach_only()
        with self._transaction() as conn:
            found = conn.execute(
                sa.select(t.clients.c.id).where(
                    t.clients.c.cohort_id == cohort_id, t.clients.c.name == user
                )
            ).scalar()
        if found is None:
            return False
        self.erase_client(found, scrub=scrub)
        return True

    def send_values(
        self,
        cohort_id: int,
        participant_id: int,
        exercise: str,
        measures: dict[str, Any],
        rows: Iterable[tuple[str, str, float]],
    ) -> None:
        """Keep the measures a participant's workbook sent for one exercise, and their tidy
        ``rows`` (measure, item, value), replacing what it sent before. The caller has
        checked them (:func:`buyin_workbook.use_cases.cohorts.figures.received`)."""
        self._coach_only()
        payload = json.dumps(measures, sort_keys=True, allow_nan=False)
        mine = {"client_id": participant_id, "exercise": exercise, "cohort_id": cohort_id}
        with self._transaction() as conn:
            self._get_cohort(conn, cohort_id)
            for table in (t.cohort_values, t.cohort_figures):
                conn.execute(
                    table.delete().where(
                        table.c.client_id == participant_id, table.c.exercise == exercise
                    )
                )
            conn.execute(t.cohort_values.insert().values(**mine, measures=payload, sent_at=_now()))
            tidy = [{**mine, "measure": m, "item": i, "value": v} for m, i, v in rows]
            if tidy:
                conn.execute(t.cohort_figures.insert(), tidy)

    def sent_values(self, cohort_id: int, exercise: str) -> dict[int, dict[str, Any]]:
        """The measures each hub participant's workbook sent for one exercise, by id."""
        self._coach_only()
        with self._transaction() as conn:
            rows = conn.execute(
                sa.select(t.cohort_values.c.client_id, t.cohort_values.c.measures).where(
                    t.cohort_values.c.cohort_id == cohort_id,
                    t.cohort_values.c.exercise == exercise,
                )
            )
            return {client_id: json.loads(measures) for client_id, measures in rows}

    def sent_group(self, cohort_id: int, exercise: str) -> frozenset[int]:
        """Who has sent measures for one exercise (ids only)."""
        self._coach_only()
        with self._transaction() as conn:
            return frozenset(
                conn.execute(
                    sa.select(t.cohort_values.c.client_id).where(
                        t.cohort_values.c.cohort_id == cohort_id,
                        t.cohort_values.c.exercise == exercise,
                    )
                ).scalars()
            )

    def figure_counts(
        self, cohort_id: int, exercise: str
    ) -> tuple[dict[str, list[tuple[str, float, int]]], dict[str, dict[str | None, int]]]:
        """The database's counts behind an exercise's figures, never a row per person:

        - per measure, how many participants gave each (item, value);
        - per measure, how many participants gave each item, and (under ``None``) how many
          gave the measure at all.
        """
        self._coach_only()
        figures = t.cohort_figures
        mine = (figures.c.cohort_id == cohort_id, figures.c.exercise == exercise)
        counted: dict[str, list[tuple[str, float, int]]] = {}
        sizes: dict[str, dict[str | None, int]] = {}
        with self._transaction() as conn:
            for measure, item, value, count in conn.execute(
                sa.select(figures.c.measure, figures.c.item, figures.c.value, sa.func.count())
                .where(*mine)
                .group_by(figures.c.measure, figures.c.item, figures.c.value)
            ):
                counted.setdefault(measure, []).append((item, value, count))
                by_item = sizes.setdefault(measure, {})
                by_item[item] = by_item.get(item, 0) + count
            for measure, count in conn.execute(
                sa.select(figures.c.measure, sa.func.count(sa.distinct(figures.c.client_id)))
                .where(*mine)
                .group_by(figures.c.measure)
            ):
                sizes[measure][None] = count
        return counted, sizes

    def figure_members(
        self, cohort_id: int, exercise: str, measure: str, item: str | None
    ) -> frozenset[int]:
        """Who gave ``item`` of ``measure`` (``None``: any item of it)."""
        self._coach_only()
        figures = t.cohort_figures
        where = [
            figures.c.cohort_id == cohort_id,
            figures.c.exercise == exercise,
            figures.c.measure == measure,
        ]
        if item is not None:
            where.append(figures.c.item == item)
        with self._transaction() as conn:
            return frozenset(
                conn.execute(sa.select(figures.c.client_id).distinct().where(*where)).scalars()
            )

    def sent_progress(
        self, cohort_id: int, *, offset: int = 0, limit: int | None = None
    ) -> tuple[int, dict[str, int], list[tuple[Participant, set[str]]]]:
        """A hub cohort's progress, counted by the database: how many participants, how
        many have sent each exercise, and one page of participants (by hub name) with the
        exercises each has sent."""
        self._coach_only()
        values = t.cohort_values
        with self._transaction() as conn:
            self._get_cohort(conn, cohort_id)
            total = conn.execute(
                sa.select(sa.func.count()).where(t.clients.c.cohort_id == cohort_id)
            ).scalar_one()
            sent: dict[str, int] = dict(
                conn.execute(
                    sa.select(values.c.exercise, sa.func.count())
                    .where(values.c.cohort_id == cohort_id)
                    .group_by(values.c.exercise)
                ).all()
            )
            page = list(
                conn.execute(
                    sa.select(t.clients)
                    .where(t.clients.c.cohort_id == cohort_id)
                    .order_by(t.clients.c.name, t.clients.c.id)
                    .offset(offset)
                    .limit(limit)
                )
            )
            done: dict[int, set[str]] = {row.id: set() for row in page}
            for client_id, exercise in conn.execute(
                sa.select(values.c.client_id, values.c.exercise).where(
                    values.c.client_id.in_(list(done))
                )
            ):
                done[client_id].add(exercise)
        return total, sent, [(_participant(row), done[row.id]) for row in page]

    # -- helpers ------------------------------------------------------------------------------

    def _check_cohort_visible(self, conn: Connection, cohort_id: int) -> None:
        if self.client_id is None:
            return
        own = conn.execute(
            sa.select(t.clients.c.cohort_id).where(t.clients.c.id == self.client_id)
        ).scalar()
        if own != cohort_id:
            raise CohortNotFound(N_("That cohort no longer exists."))

    @staticmethod
    def _get_cohort(conn: Connection, cohort_id: int) -> Cohort:
        row = (
            conn.execute(sa.select(t.cohorts).where(t.cohorts.c.id == cohort_id)).first()
            if isinstance(cohort_id, int) and 0 < cohort_id < 2**31  # ids are 32-bit on PostgreSQL
            else None
        )
        if row is None:
            raise CohortNotFound(N_("That cohort no longer exists."))
        return _cohort(row)


def _checked_exercises(exercises: Iterable[str], min_group: int) -> list[str]:
    """A cohort's exercises in the workbook's order, or why they (or the minimum) won't do."""
    chosen = list(dict.fromkeys(exercises))
    unknown = [e for e in chosen if e not in EXERCISE_IDS]
    if unknown or not chosen:
        listed, got = ", ".join(EXERCISE_IDS), ", ".join(chosen)
        if not got:
            raise StoreError(
                N_("Choose exercises from: {exercises} (got: none)."), exercises=listed
            )
        raise StoreError(
            N_("Choose exercises from: {exercises} (got: {chosen})."),
            exercises=listed,
            chosen=got,
        )
    if not isinstance(min_group, int) or min_group < MIN_GROUP_FLOOR:
        raise StoreError(
            N_(
                "The minimum group must be at least {least}: a figure over fewer "
                "people could point at one of them."
            ),
            least=MIN_GROUP_FLOOR,
        )
    return [e for e in EXERCISE_IDS if e in chosen]


def _check_expected(expected: object, max_participants: int) -> None:
    if (
        not isinstance(expected, int)
        or isinstance(expected, bool)
        or not 0 <= expected <= max_participants
    ):
        raise StoreError(
            N_(
                "The number expected must be a whole number from 0 (no crowd announced) to "
                "the cohort's limit, {most} (got {wanted})."
            ),
            most=max_participants,
            wanted=repr(expected),
        )


def _check_limit(max_participants: object, min_group: int) -> None:
    if (
        not isinstance(max_participants, int)
        or isinstance(max_participants, bool)
        or not min_group <= max_participants <= MAX_PARTICIPANTS_CEILING
    ):
        raise StoreError(
            N_(
                "The most participants must be a whole number from the minimum group "
                "({least}) to {most}."
            ),
            least=min_group,
            most=MAX_PARTICIPANTS_CEILING,
        )


#: What a full cohort's join link says.
FULL = N_(
    "This course is full: as many people have joined as its facilitator allows. If you "
    "joined earlier, use the private link you were given; otherwise ask the facilitator."
)

#: What a closed cohort's join link says.
CLOSED = N_(
    "This course is closed to new participants. If you joined earlier, use the private link "
    "you were given when you joined."
)


def _participant(row: sa.Row) -> Participant:
    return Participant(row.id, row.name, row.created_at, row.summary_shared_at is not None)
