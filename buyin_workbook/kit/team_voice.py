"""The team's own voice in an exercise: the members a leader asked, their answers, the
plan's minimum and the reveal, as plain data on the exercise's stored answers.

A leader names the members they ask (``voice/members``); each member's answers are kept
apart from the leader's, in the store's table of team answers (written through their own
link or imported from their answer file), never in an export or snapshot of the plan. The
exercise's models read them beside the leader's answers under ``team/<member id>/...``
(:func:`with_team`; see :func:`buyin_workbook.use_cases.plans.plan_values`). Nothing of them
is shown until at least ``voice/min`` members have answered and the leader has revealed them
(``voice/revealed``), and then only together, without names.

Each group of members whose answers were shown is kept (``voice/groups``, ids only). The
answers are shown only while the members who have answered are the last group revealed,
and a new group may be revealed only under the rules cohorts' figures follow
(:mod:`buyin_workbook._disclosure`): otherwise comparing two views would give away the answer of
someone who joined or left.

A leader keeps buy-in going with dated check-ins (``voice/round``, ``voice/checkins``): each
asks the team again. A member's answers carry the round they were sent in (``round``, 1 for
answers sent before check-ins existed); only this round's count and are shown, under the same
rules, since the groups shown before stay kept across rounds.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .._disclosure import Withheld, withheld
from .._text import N_, Said, new_entry, new_entry_id

MEMBERS_KEY = "voice/members"
MIN_KEY = "voice/min"
REVEALED_KEY = "voice/revealed"
GROUPS_KEY = "voice/groups"
ROUND_KEY = "voice/round"
CHECKINS_KEY = "voice/checkins"
#: The key of a member's answers that says which round they answer.
ROUND_ANSWER = "round"
#: Where the models read a member's answers beside the leader's (never a stored key).
TEAM_PREFIX = "team/"
#: Never fewer answers than this are shown together.
MIN_FLOOR = 3
MIN_CEILING = 50
MAX_MEMBERS = 50
NAME_MAX_LENGTH = 60

FORM_FORMAT = "buyin-workbook.team-voice-form"
ANSWERS_FORMAT = "buyin-workbook.team-voice-answers"
FILE_VERSION = 1
#: A form or answer file is small: refuse anything bigger before reading it.
FILE_MAX_BYTES = 200_000


class VoiceFileError(Said, ValueError):
    """A form or answer file that cannot be used; the message is for the person holding it."""


#: Why a form (``[0]``) or an answer file (``[1]``) cannot be used.
_TOO_BIG = (
    N_("This file is too big to be a workbook form file."),
    N_("This file is too big to be a workbook answer file."),
)
_NOT_JSON = (
    N_("This is not a workbook form file (it is not readable JSON)."),
    N_("This is not a workbook answer file (it is not readable JSON)."),
)
_NOT_OURS = (N_("This is not a workbook form file."), N_("This is not a workbook answer file."))
_NEWER = (
    N_("This form file was made by a newer version of the workbook; please update it first."),
    N_("This answer file was made by a newer version of the workbook; please update it first."),
)
_OTHER_PAGE = (
    N_("This form file belongs to another page of the workbook."),
    N_("This answer file belongs to another page of the workbook."),
)
_INCOMPLETE = (N_("This form file is incomplete."), N_("This answer file is incomplete."))
_NAME = N_("The name")
_FULL = N_("At most {max} people can be asked in one plan.")
_TAKEN = N_("“{name}” is already on the list. Use initials or a nickname to tell two people apart.")


@dataclass(frozen=True)
class VoiceMember:
    id: str
    name: str


@dataclass
class TeamVoice:
    """Whom a leader asked in one exercise of one plan, and what came back."""

    members: list[VoiceMember] = field(default_factory=list)
    min_voices: int = MIN_FLOOR
    revealed: bool = False
    #: The groups of members whose answers have been shown, oldest first.
    groups: list[frozenset[str]] = field(default_factory=list)
    #: Each member's own answers of this round (keys without ``team/<id>/``), by member id.
    answers: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: This round: 1 until the first check-in asks the team again.
    round: int = 1
    #: The check-ins, oldest first: ``{"round": n, "started": "YYYY-MM-DD"}``.
    checkins: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def from_store(cls, values: Mapping[str, Any]) -> TeamVoice:
        voice = cls()
        for item in values.get(MEMBERS_KEY) or []:
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                voice.members.append(VoiceMember(item["id"], str(item.get("name", ""))))
        wanted = values.get(MIN_KEY)
        if isinstance(wanted, int) and not isinstance(wanted, bool):
            voice.min_voices = min(max(wanted, MIN_FLOOR), MIN_CEILING)
        voice.revealed = values.get(REVEALED_KEY) is True
        for group in values.get(GROUPS_KEY) or []:
            if isinstance(group, list) and all(isinstance(m, str) for m in group):
                voice.groups.append(frozenset(group))
        voice.round = answer_round(values.get(ROUND_KEY))
        for item in values.get(CHECKINS_KEY) or []:
            if isinstance(item, dict) and isinstance(item.get("started"), str):
                voice.checkins.append(
                    {"round": answer_round(item.get("round")), "started": item["started"][:10]}
                )
        known = {m.id for m in voice.members}
        given: dict[str, dict[str, Any]] = {}
        for key, value in values.items():
            parts = key.split("/", 2)
            # Only members still on the list count: removing one erases their answers.
            if len(parts) == 3 and f"{parts[0]}/" == TEAM_PREFIX and parts[1] in known:
                given.setdefault(parts[1], {})[parts[2]] = value
        for member_id, theirs in given.items():
            voice.take(member_id, theirs)
        return voice

    def to_store(self) -> dict[str, Any]:
        values: dict[str, Any] = {
            MEMBERS_KEY: members_value(self.members),
            MIN_KEY: self.min_voices,
            REVEALED_KEY: self.revealed,
            GROUPS_KEY: groups_value(self.groups),
            ROUND_KEY: self.round,
            CHECKINS_KEY: [dict(item) for item in self.checkins],
        }
        for member_id, given in self.answers.items():
            for key, value in stamped(given, self.round).items():
                values[team_key(member_id, key)] = value
        return values

    def take(self, member_id: str, sent: Mapping[str, Any]) -> None:
        """What a member sent, as they sent it: theirs for this round, or (sent in an earlier
        round) nothing until they answer again."""
        answers, round_number = unstamped(sent)
        if round_number == self.round:
            self.answers[member_id] = answers
        else:
            self.answers.pop(member_id, None)

    def member(self, member_id: str) -> VoiceMember | None:
        return next((m for m in self.members if m.id == member_id), None)

    def answered(self, complete: Callable[[Mapping[str, Any]], bool]) -> list[str]:
        """The members on the list whose answers are complete, in list order."""
        return [m.id for m in self.members if complete(self.answers.get(m.id, {}))]

    def shown(self, answered: Iterable[str]) -> bool:
        """Whether the answers of the members who have ``answered`` may be shown: revealed,
        and the same people as the group last revealed (their later changes cannot be told
        apart; anyone joining or leaving hides them until a new reveal)."""
        return self.revealed and bool(self.groups) and frozenset(answered) == self.groups[-1]

    def reveal_gap(self, answered: Iterable[str]) -> Withheld | None:
        """``None`` if the answers of these members may be revealed; else why not: too few,
        people who left or came since a group shown before (fewer than the minimum, so
        their answers could be told apart), or a combination of the views that would."""
        return withheld(frozenset(answered), self.groups, self.min_voices)

    def check_in(self, today: str) -> None:
        """Ask the team again from ``today`` (an ISO date): a new round, with nothing of it
        answered or shown yet."""
        self.round += 1
        self.checkins.append({"round": self.round, "started": today[:10]})
        self.answers = {}
        self.revealed = False

    def reveal(self, answered: Iterable[str]) -> None:
        """Show the answers of these members (check :meth:`reveal_gap` first)."""
        group = frozenset(answered)
        if not self.groups or self.groups[-1] != group:
            self.groups.append(group)
        self.revealed = True


def answer_round(value: Any) -> int:
    """A stored round number, 1 where there is none (answers from before check-ins)."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    return 1


def stamped(answers: Mapping[str, Any], round_number: int) -> dict[str, Any]:
    """A member's answers as stored: with the round they answer."""
    return {**answers, ROUND_ANSWER: round_number}


def unstamped(sent: Mapping[str, Any]) -> tuple[dict[str, Any], int]:
    """A member's stored answers without their round, and that round."""
    answers = dict(sent)
    return answers, answer_round(answers.pop(ROUND_ANSWER, None))


def team_key(member_id: str, key: str) -> str:
    """Where the models read one of a member's answers beside the leader's."""
    return f"{TEAM_PREFIX}{member_id}/{key}"


def with_team(values: Mapping[str, Any], team: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """An exercise's answers (``values``, the leader's) with what its members sent
    (``team``, ``{member id: {key: value}}``) beside them, as the models read them. A leader's
    answer under ``team/`` (only a forged plan file could hold one) is dropped, so only what
    members sent is ever read as theirs."""
    merged = {key: value for key, value in values.items() if not key.startswith(TEAM_PREFIX)}
    for member_id, given in team.items():
        for key, value in given.items():
            merged[team_key(member_id, key)] = value
    return merged


def groups_value(groups: list[frozenset[str]]) -> list[list[str]]:
    return [sorted(group) for group in groups]


def members_value(members: list[VoiceMember]) -> list[dict[str, str]]:
    return [{"id": m.id, "name": m.name} for m in members]


def new_voice_member(members: list[VoiceMember], name: object) -> VoiceMember:
    """A member to add to the list, or :class:`~buyin_workbook._text.TextError` saying why not."""
    text = new_entry(
        (m.name for m in members),
        name,
        what=_NAME,
        max_length=NAME_MAX_LENGTH,
        max_count=MAX_MEMBERS,
        full=_FULL,
        taken=_TAKEN,
    )
    return VoiceMember(new_entry_id(), text)


# -- form and answer files (JupyterLab without `serve`) -----------------------------------


def form_file(
    exercise: str, member: VoiceMember, questions: dict[str, Any], round_number: int = 1
) -> str:
    """The form a leader hands one member: which page, whose slot, the round it asks, and the
    questions (e.g. the plan's decision names), never the plan's name or the leader's own
    answers."""
    return json.dumps(
        {
            "format": FORM_FORMAT,
            "format_version": FILE_VERSION,
            "exercise": exercise,
            "member_id": member.id,
            "member_name": member.name,
            "round": round_number,
            "questions": questions,
        },
        ensure_ascii=False,
        indent=2,
    )


def answers_file(form: Mapping[str, Any], answers: Mapping[str, Any]) -> str:
    """What a member sends back: their form's slot and their answers."""
    return json.dumps(
        {
            "format": ANSWERS_FORMAT,
            "format_version": FILE_VERSION,
            "exercise": form["exercise"],
            "member_id": form["member_id"],
            "round": answer_round(form.get("round")),
            "answers": dict(answers),
        },
        ensure_ascii=False,
        indent=2,
    )


def read_voice_file(data: bytes, *, kind: str, exercise: str) -> dict[str, Any]:
    """A form (``kind="form"``) or answer file for ``exercise``, checked; or
    :class:`VoiceFileError` in words."""
    wanted = FORM_FORMAT if kind == "form" else ANSWERS_FORMAT
    which = 0 if kind == "form" else 1
    if len(data) > FILE_MAX_BYTES:
        raise VoiceFileError(_TOO_BIG[which])
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise VoiceFileError(_NOT_JSON[which]) from None
    if not isinstance(raw, dict) or raw.get("format") != wanted:
        raise VoiceFileError(_NOT_OURS[which])
    version = raw.get("format_version")
    if not isinstance(version, int) or version > FILE_VERSION:
        raise VoiceFileError(_NEWER[which])
    if raw.get("exercise") != exercise:
        raise VoiceFileError(_OTHER_PAGE[which])
    body = raw.get("questions" if kind == "form" else "answers")
    if not isinstance(raw.get("member_id"), str) or not isinstance(body, dict):
        raise VoiceFileError(_INCOMPLETE[which])
    return raw
