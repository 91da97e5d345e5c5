"""The team's own voice, once for every page that hears it: who is asked, what each member
sent (kept apart from the leader's answers, see :mod:`buyin_workbook.kit.team_voice`), and
the rules that hold whichever way the answers come (a member's link or their answer file).

- a member's answers always answer the round the leader asks now (they are stamped with it);
- a member no longer on the list sends nothing, and removing one stops their link and
  erases what they sent, in that order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .._text import N_
from ..kit.team_voice import TeamVoice, stamped, unstamped, with_team
from ..store import PlanNotFound

if TYPE_CHECKING:
    from ..store import MemberLink, WorkbookStore

_OFF_THE_LIST = N_("This member is no longer on the list of this plan.")


def with_their_answers(
    store: WorkbookStore, plan_id: int, exercise: str, values: dict[str, Any]
) -> dict[str, Any]:
    """A page's stored answers with what its team members sent beside them."""
    return with_team(values, store.team_answers(plan_id, exercise))


def _voice(store: WorkbookStore, plan_id: int, exercise: str) -> tuple[TeamVoice, dict[str, Any]]:
    values = {key: answer.value for key, answer in store.answers(plan_id, exercise).items()}
    return TeamVoice.from_store(values), values


@dataclass(frozen=True)
class MemberQuestions:
    """What a member's page shows: the leader's answers it asks about, and the member's own
    earlier answers (unstamped) with the round they answered."""

    plan_values: dict[str, Any]
    voice: TeamVoice
    mine: dict[str, Any]
    answered_round: int

    @property
    def asked_again(self) -> bool:
        """They answered an earlier check-in, and the leader asks again."""
        return bool(self.mine) and self.answered_round < self.voice.round


def member_questions(store: WorkbookStore, link: MemberLink) -> MemberQuestions:
    """What a member's link opens; :class:`PlanNotFound` once they are off the list."""
    voice, values = _voice(store, link.plan_id, link.exercise)
    if voice.member(link.member_id) is None:
        raise PlanNotFound(_OFF_THE_LIST)
    own = store.team_answers(link.plan_id, link.exercise, link.member_id)
    mine, answered_round = unstamped(own.get(link.member_id, {}))
    return MemberQuestions(values, voice, mine, answered_round)


def send_member_answers(store: WorkbookStore, link: MemberLink, answers: dict[str, Any]) -> int:
    """Put a member's answers, sent through their link, in their slot of the leader's plan
    (all at once), answering the round asked now. Returns the plan's new revision."""
    voice, _ = _voice(store, link.plan_id, link.exercise)
    if voice.member(link.member_id) is None:
        raise PlanNotFound(_OFF_THE_LIST)
    return store.replace_team_answers(
        link.plan_id, link.exercise, link.member_id, stamped(answers, voice.round)
    )


def import_member_answers(
    store: WorkbookStore,
    plan_id: int,
    exercise: str,
    voice: TeamVoice,
    member_id: str,
    answers: dict[str, Any],
) -> int:
    """A member's answers from their answer file, as the leader imports them (the file is
    checked for its member and round by the page first). Returns the plan's new revision."""
    return store.replace_team_answers(plan_id, exercise, member_id, stamped(answers, voice.round))


def invite_member(
    store: WorkbookStore, plan_id: int, exercise: str, member_id: str, name: str
) -> str:
    """A new key for a member's link to one exercise's page (their old link stops)."""
    return store.add_member_link(plan_id, member_id, name, exercise=exercise)


def remove_member(store: WorkbookStore, plan_id: int, exercise: str, member_id: str) -> None:
    """Take a member off: their link stops first, then what they sent is erased."""
    store.revoke_member_link(plan_id, exercise, member_id)
    store.replace_team_answers(plan_id, exercise, member_id, {})


def answers_of(store: WorkbookStore, plan_id: int, exercise: str) -> dict[str, dict[str, Any]]:
    """What each member sent (stamped with their round): ``{member id: {key: value}}``."""
    return store.team_answers(plan_id, exercise)
