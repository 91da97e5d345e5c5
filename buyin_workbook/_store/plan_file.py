"""Plan files: what :meth:`WorkbookStore.export_plan` writes and ``import_plan`` reads."""

from __future__ import annotations

import json
from typing import Any

from .._text import N_
from .errors import PlanFileError

#: Identifies a file made by :meth:`WorkbookStore.export_plan`.
EXPORT_FORMAT = "buyin-workbook.plan"
EXPORT_FORMAT_VERSION = 1
#: The largest plan file read: far above any plan's (answers are at most 200 KB each).
PLAN_FILE_MAX_BYTES = 20_000_000


def _blind(exercise: str, key: str) -> bool:
    """Whether an answer in a plan file is what a team member sent blind: a file never
    brings one in (it belongs to the workbook it was sent to). Files of versions before
    0009 of the store could hold them under ``member/<id>/say/...`` and ``member/<id>/goal``;
    ``team/`` is where the workbook reads them (never a stored answer)."""
    parts = key.split("/", 2)
    old = (
        len(parts) == 3
        and parts[0] == "member"
        and (
            (exercise == "choice" and parts[2].startswith("say/"))
            or (exercise == "selfcheck" and parts[2] == "goal")
        )
    )
    return old or key.startswith("team/")


def read_plan_file(data: Any) -> tuple[dict[str, str], list[dict[str, Any]], list[dict[str, Any]]]:
    """Validate exported plan data, with messages a user can act on."""
    if isinstance(data, (bytes, str)):
        if len(data) > PLAN_FILE_MAX_BYTES:
            megabytes = PLAN_FILE_MAX_BYTES // 1_000_000
            raise PlanFileError(
                N_("This file is too big to be a plan export (over {megabytes} MB)."),
                megabytes=megabytes,
            )
        try:
            data = json.loads(data)
        except (ValueError, UnicodeDecodeError) as error:
            raise PlanFileError(
                N_("This file is not a plan export (it is not JSON: {error})."), error=str(error)
            ) from error
        except RecursionError as error:
            raise PlanFileError(
                N_("This file is not a plan export (its data is nested too deeply).")
            ) from error
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise PlanFileError(N_("This file is not a plan exported from Buy-in Workbook."))
    version = data.get("format_version")
    if not isinstance(version, int) or version > EXPORT_FORMAT_VERSION:
        raise PlanFileError(
            N_(
                "This plan was exported by a newer Buy-in Workbook (file format {version}); "
                "upgrade with `pip install -U buyin-workbook` to import it."
            ),
            version=version,
        )
    plan = data.get("plan")
    answers = data.get("answers")
    if (
        not isinstance(plan, dict)
        or not isinstance(answers, list)
        or not all(isinstance(plan.get(k), str) for k in ("name", "created_at", "updated_at"))
    ):
        raise PlanFileError(N_("This plan file is incomplete: its plan or answers are missing."))
    seen = set()
    for answer in answers:
        if (
            not isinstance(answer, dict)
            or not isinstance(answer.get("exercise"), str)
            or not isinstance(answer.get("key"), str)
            or "value" not in answer
            or not isinstance(answer.get("updated_at"), str)
        ):
            raise PlanFileError(N_("This plan file is damaged: an answer has missing parts."))
        identity = (answer["exercise"], answer["key"])
        if identity in seen:
            raise PlanFileError(N_("This plan file is damaged: an answer appears twice."))
        seen.add(identity)
    answers = [a for a in answers if not _blind(a["exercise"], a["key"])]
    snapshots = data.get("snapshots", [])
    if not isinstance(snapshots, list) or not all(
        isinstance(s, dict)
        and isinstance(s.get("exercise"), str)
        and isinstance(s.get("taken_at"), str)
        and isinstance(s.get("reason"), str)
        and isinstance(s.get("figures"), dict)
        and isinstance(s.get("answers"), dict)
        for s in snapshots
    ):
        raise PlanFileError(N_("This plan file is damaged: its history has missing parts."))
    return plan, answers, snapshots
