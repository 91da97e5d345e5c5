"""The store's plans: their answers (the last write of each wins, and the window it replaced is
told), team members' blind answers kept apart, snapshots, and plan files."""

from __future__ import annotations

import json
import logging
from typing import Any

import sqlalchemy as sa

from .._text import N_, same_text
from .._version import __version__
from . import schema as t
from .base import StoreBase
from .clock import now as _now
from .errors import (
    PlanNotFound,
    StoreError,
)
from .plan_file import EXPORT_FORMAT, EXPORT_FORMAT_VERSION, read_plan_file
from .records import (
    PLAN_NAME_MAX,
    Answer,
    Plan,
    SaveResult,
    Snapshot,
    answer_of,
    clean_plan_name,
    dump_value,
    new_id,
    plan_of,
    snapshot_of,
)

log = logging.getLogger("buyin_workbook.store")


class PlanMethods(StoreBase):
    """Plans and everything in them."""

    def list_plans(self) -> list[Plan]:
        with self._transaction() as conn:
            rows = conn.execute(
                sa.select(t.plans).where(self._own()).order_by(t.plans.c.updated_at.desc())
            )
            return [plan_of(row) for row in rows]

    def get_plan(self, plan_id: int) -> Plan:
        with self._transaction() as conn:
            return self._get_plan(conn, plan_id)

    def create_plan(self, name: str) -> Plan:
        """A new, empty plan. Raises :class:`TextError` for a bad or taken name."""
        name = clean_plan_name(name)
        now = _now()
        with self._transaction() as conn:
            self._check_name_free(conn, name)
            result = conn.execute(
                t.plans.insert().values(
                    name=name, created_at=now, updated_at=now, revision=0, client_id=self.client_id
                )
            )
            return self._get_plan(conn, new_id(result))

    def rename_plan(self, plan_id: int, name: str) -> Plan:
        name = clean_plan_name(name)
        with self._transaction() as conn:
            self._check_name_free(conn, name, except_id=plan_id)
            self._bump(conn, plan_id)
            conn.execute(t.plans.update().where(t.plans.c.id == plan_id).values(name=name))
            return self._get_plan(conn, plan_id)

    def erase_plan(self, plan_id: int) -> None:
        """Delete a plan and every answer in it, leaving no readable trace in the file."""
        with self._transaction() as conn:
            self._get_plan(conn, plan_id)
            self._delete_plan_rows(conn, [plan_id])
            last = self._setting(conn, self._last_plan_key)
            if last == str(plan_id):
                conn.execute(t.settings.delete().where(t.settings.c.key == self._last_plan_key))
        self._drop_erased_copies()

    @property
    def _last_plan_key(self) -> str:
        return "last_plan" if self.client_id is None else f"last_plan:client:{self.client_id}"

    def remember_link_base(self, link_base: str) -> None:
        """Where `jupyter workbook serve` says its links start (it records this at each
        start), so that `jupyter workbook clients` prints links that work."""
        self._coach_only()
        with self._transaction() as conn:
            self._set_setting(conn, "served_link_base", link_base)

    def served_link_base(self) -> str | None:
        """The link base the last `serve` on this store recorded, if any."""
        with self._transaction() as conn:
            return self._setting(conn, "served_link_base")

    def remember_plan(self, plan_id: int) -> None:
        """Mark the plan the user is working on, so the next session opens it."""
        with self._transaction() as conn:
            self._get_plan(conn, plan_id)
            self._set_setting(conn, self._last_plan_key, str(plan_id))

    def last_plan(self) -> Plan | None:
        """The plan last worked on, if it still exists."""
        with self._transaction() as conn:
            value = self._setting(conn, self._last_plan_key)
            if value is None:
                return None
            try:
                return self._get_plan(conn, int(value))
            except PlanNotFound:
                return None

    def hub_sharing_stopped(self) -> set[str]:
        """The hub cohorts this user stopped sending figures to (see the hub panel)."""
        with self._transaction() as conn:
            return set(json.loads(self._setting(conn, "hub_sharing_stopped") or "[]"))

    def set_hub_sharing(self, group: str, *, stopped: bool) -> None:
        with self._transaction() as conn:
            groups = set(json.loads(self._setting(conn, "hub_sharing_stopped") or "[]"))
            groups = groups | {group} if stopped else groups - {group}
            self._set_setting(conn, "hub_sharing_stopped", json.dumps(sorted(groups)))

    def answers(self, plan_id: int, exercise: str) -> dict[str, Answer]:
        """Every saved answer of one exercise in one plan, by key."""
        with self._transaction() as conn:
            self._get_plan(conn, plan_id)
            rows = conn.execute(
                sa.select(t.answers).where(
                    t.answers.c.plan_id == plan_id, t.answers.c.exercise == exercise
                )
            )
            return {row.key: answer_of(row) for row in rows}

    def save_answer(
        self, plan_id: int, exercise: str, key: str, value: Any, *, seen_revision: int | None = None
    ) -> SaveResult:
        """Save one answer; the last write wins.

        ``seen_revision`` is the revision of this answer as the caller last saw it (``None``
        when it saw none). If another window saved it since, that answer is returned in
        :attr:`SaveResult.replaced` so the caller can tell the user.
        """
        payload = dump_value(value)
        with self._transaction() as conn:
            revision = self._bump(conn, plan_id)
            where = (
                t.answers.c.plan_id == plan_id,
                t.answers.c.exercise == exercise,
                t.answers.c.key == key,
            )
            row = conn.execute(sa.select(t.answers).where(*where)).first()
            values = {
                "value": payload,
                "updated_at": _now(),
                "revision": revision,
                "writer": self.writer,
            }
            if row is None:
                conn.execute(
                    t.answers.insert().values(plan_id=plan_id, exercise=exercise, key=key, **values)
                )
                return SaveResult(revision)
            conn.execute(t.answers.update().where(*where).values(**values))
            replaced = None
            if row.writer != self.writer and row.revision != seen_revision:
                replaced = answer_of(row)
            return SaveResult(revision, replaced)

    def delete_answers(self, plan_id: int, exercise: str, keys: list[str]) -> int:
        """Remove answers that no longer apply (e.g. the ratings of a removed decision)."""
        if not keys:
            return self.get_plan(plan_id).revision
        with self._transaction() as conn:
            revision = self._bump(conn, plan_id)
            conn.execute(
                t.answers.delete().where(
                    t.answers.c.plan_id == plan_id,
                    t.answers.c.exercise == exercise,
                    t.answers.c.key.in_(keys),
                )
            )
            return revision

    def changes_since(self, plan_id: int, revision: int) -> list[Answer]:
        """Answers other windows saved in this plan after ``revision``."""
        with self._transaction() as conn:
            self._get_plan(conn, plan_id)
            rows = conn.execute(
                sa.select(t.answers)
                .where(
                    t.answers.c.plan_id == plan_id,
                    t.answers.c.revision > revision,
                    t.answers.c.writer != self.writer,
                )
                .order_by(t.answers.c.revision)
            )
            return [answer_of(row) for row in rows]

    def team_answers(
        self, plan_id: int, exercise: str, member_id: str | None = None
    ) -> dict[str, dict[str, Any]]:
        """What team members sent for one exercise of one plan, blind (their say, the goal
        in their words): ``{member id: {key: value}}``, of one member or of all. Kept apart
        from the plan's answers, so :meth:`export_plan` and snapshots never hold them."""
        query = sa.select(t.team_answers).where(
            t.team_answers.c.plan_id == plan_id, t.team_answers.c.exercise == exercise
        )
        if member_id is not None:
            query = query.where(t.team_answers.c.member_id == member_id)
        with self._transaction() as conn:
            self._get_plan(conn, plan_id)
            found: dict[str, dict[str, Any]] = {}
            for row in conn.execute(query):
                found.setdefault(row.member_id, {})[row.key] = json.loads(row.value)
            return found

    def replace_team_answers(
        self, plan_id: int, exercise: str, member_id: str, values: dict[str, Any]
    ) -> int:
        """Put ``values`` in place of everything one member sent for one exercise, in one
        step (none of the old stays, all of the new lands); no values erases theirs. Returns
        the plan's new revision, which the leader's open page notices."""
        if not isinstance(member_id, str) or not 0 < len(member_id) <= 64:
            raise StoreError(N_("A team member is named by their id on the leader's list."))
        payloads = {key: dump_value(value) for key, value in values.items()}
        with self._transaction() as conn:
            revision = self._bump(conn, plan_id)
            mine = (
                t.team_answers.c.plan_id == plan_id,
                t.team_answers.c.exercise == exercise,
                t.team_answers.c.member_id == member_id,
            )
            conn.execute(t.team_answers.delete().where(*mine))
            now = _now()
            if payloads:
                conn.execute(
                    t.team_answers.insert(),
                    [
                        {
                            "plan_id": plan_id,
                            "exercise": exercise,
                            "member_id": member_id,
                            "key": key,
                            "value": payload,
                            "sent_at": now,
                            "revision": revision,
                        }
                        for key, payload in payloads.items()
                    ],
                )
            return revision

    def team_answered_since(self, plan_id: int, revision: int) -> list[tuple[str, str, int]]:
        """Who sent answers after ``revision``: ``(exercise, member id, revision)``."""
        with self._transaction() as conn:
            self._get_plan(conn, plan_id)
            rows = conn.execute(
                sa.select(
                    t.team_answers.c.exercise,
                    t.team_answers.c.member_id,
                    sa.func.max(t.team_answers.c.revision),
                )
                .where(t.team_answers.c.plan_id == plan_id, t.team_answers.c.revision > revision)
                .group_by(t.team_answers.c.exercise, t.team_answers.c.member_id)
            )
            return [(exercise, member, int(rev)) for exercise, member, rev in rows]

    def take_snapshot(
        self, plan_id: int, exercise: str, *, reason: str, figures: dict[str, Any]
    ) -> Snapshot:
        """Keep a dated copy of the exercise's answers as they are now, with its figures.

        "About me" orders (``member/...``) are left out: they are kept in one place only, so
        taking a member off the list erases them everywhere (team members' blind answers
        are in a table of their own, never copied: see :meth:`team_answers`)."""
        with self._transaction() as conn:
            self._get_plan(conn, plan_id)
            rows = conn.execute(
                sa.select(t.answers).where(
                    t.answers.c.plan_id == plan_id, t.answers.c.exercise == exercise
                )
            )
            answers = {
                row.key: json.loads(row.value) for row in rows if not row.key.startswith("member/")
            }
            result = conn.execute(
                t.snapshots.insert().values(
                    plan_id=plan_id,
                    exercise=exercise,
                    taken_at=_now(),
                    reason=reason,
                    figures=dump_value(figures),
                    answers=dump_value(answers),
                )
            )
            row = conn.execute(
                sa.select(t.snapshots).where(t.snapshots.c.id == new_id(result))
            ).one()
            return snapshot_of(row)

    def snapshots(self, plan_id: int, exercise: str | None = None) -> list[Snapshot]:
        """A plan's snapshots, oldest first (of one exercise, or of all)."""
        query = sa.select(t.snapshots).where(t.snapshots.c.plan_id == plan_id)
        if exercise is not None:
            query = query.where(t.snapshots.c.exercise == exercise)
        with self._transaction() as conn:
            self._get_plan(conn, plan_id)
            rows = conn.execute(query.order_by(t.snapshots.c.taken_at, t.snapshots.c.id))
            return [snapshot_of(row) for row in rows]

    def export_plan(self, plan_id: int) -> dict[str, Any]:
        """Everything the workbook holds about one plan, as plain JSON-ready data."""
        with self._transaction() as conn:
            plan = self._get_plan(conn, plan_id)
            rows = conn.execute(
                sa.select(t.answers)
                .where(t.answers.c.plan_id == plan_id)
                .order_by(t.answers.c.exercise, t.answers.c.key)
            )
            answers = [
                {
                    "exercise": row.exercise,
                    "key": row.key,
                    "value": json.loads(row.value),
                    "updated_at": row.updated_at,
                }
                for row in rows
            ]
            snapshot_rows = conn.execute(
                sa.select(t.snapshots)
                .where(t.snapshots.c.plan_id == plan_id)
                .order_by(t.snapshots.c.taken_at, t.snapshots.c.id)
            )
            snapshots = [
                {
                    "exercise": s.exercise,
                    "taken_at": s.taken_at,
                    "reason": s.reason,
                    "figures": json.loads(s.figures),
                    "answers": json.loads(s.answers),
                }
                for s in snapshot_rows
            ]
        return {
            "format": EXPORT_FORMAT,
            "format_version": EXPORT_FORMAT_VERSION,
            "app_version": __version__,
            "exported_at": _now(),
            "plan": {
                "name": plan.name,
                "created_at": plan.created_at,
                "updated_at": plan.updated_at,
            },
            "answers": answers,
            "snapshots": snapshots,
        }

    def import_plan(self, data: Any, *, name: str | None = None) -> Plan:
        """Add a plan from :meth:`export_plan` data; a taken name gets "(imported)" added."""
        plan_data, answers, snapshots = read_plan_file(data)
        wanted = clean_plan_name(name if name is not None else plan_data["name"])
        with self._transaction() as conn:
            taken = [row.name for row in conn.execute(sa.select(t.plans.c.name).where(self._own()))]
            final, suffix = wanted, 1
            while any(same_text(final, other) for other in taken):
                label = " (imported)" if suffix == 1 else f" (imported {suffix})"
                final = wanted[: PLAN_NAME_MAX - len(label)] + label
                suffix += 1
            result = conn.execute(
                t.plans.insert().values(
                    name=final,
                    created_at=plan_data["created_at"],
                    updated_at=plan_data["updated_at"],
                    revision=1,
                    client_id=self.client_id,
                )
            )
            plan_id = new_id(result)
            for answer in answers:
                conn.execute(
                    t.answers.insert().values(
                        plan_id=plan_id,
                        exercise=answer["exercise"],
                        key=answer["key"],
                        value=dump_value(answer["value"]),
                        updated_at=answer["updated_at"],
                        revision=1,
                        writer=self.writer,
                    )
                )
            for snapshot in snapshots:
                conn.execute(
                    t.snapshots.insert().values(
                        plan_id=plan_id,
                        exercise=snapshot["exercise"],
                        taken_at=snapshot["taken_at"],
                        reason=snapshot["reason"],
                        figures=dump_value(snapshot["figures"]),
                        answers=dump_value(snapshot["answers"]),
                    )
                )
            return self._get_plan(conn, plan_id)
