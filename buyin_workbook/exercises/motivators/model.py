"""The motivators exercise's answers as plain data, its store keys, and the "about me" file.

- ``leader_order``: motivator ids, most important first
- ``effect/<motivator id>``: ``feeds``, ``neutral`` or ``hurts``
- ``members``: list of ``{"id", "name"}``
- ``member/<id>/guess``: the leader's guess of their order; ``member/<id>/self``: their own
  (``{"order", "name", "created_at", "moves"}``), kept apart; ``member/<id>/appeal``,
  ``.../notes``
- ``member/<id>/moves``: the leader's guess of which of the person's motivators this change
  moves up or down (``{motivator id: "up" | "down"}``), as Moving Motivators' second round
  has each player move their own cards
- ``custom_motivators``: list of ``{"id", "name", "meaning", "kind"}``
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ..._text import (
    N_,
    Said,
    TextError,
    clean_name,
    clean_text,
    new_entry,
    new_entry_id,
    same_text,
)
from .content import Motivator

ABOUT_ME_FORMAT = "buyin-workbook.about-me"
ABOUT_ME_VERSION = 2  # 2 added "moves"; files of version 1 still import
EFFECTS = ("feeds", "neutral", "hurts")
MOVES = ("up", "down")


class AboutMeFileError(Said, ValueError):
    """An "about me" file that cannot be read; the message is for the user, in their
    language (``Translator.said``)."""


@dataclass(frozen=True)
class Member:
    id: str
    name: str


@dataclass(frozen=True)
class SelfReport:
    """A member's own order of their motivators, from their "about me" file."""

    order: tuple[str, ...]
    name: str
    created_at: str
    #: Which of their motivators the change moves up or down, in their own view.
    moves: dict[str, str] = field(default_factory=dict)


@dataclass
class MotivatorsAnswers:
    leader_order: list[str] = field(default_factory=list)
    effects: dict[str, str] = field(default_factory=dict)
    members: list[Member] = field(default_factory=list)
    guesses: dict[str, list[str]] = field(default_factory=dict)
    #: The leader's guess of each person's moves for the change.
    moves: dict[str, dict[str, str]] = field(default_factory=dict)
    self_reports: dict[str, SelfReport] = field(default_factory=dict)
    appeals: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    custom: list[Motivator] = field(default_factory=list)

    @classmethod
    def from_store(cls, values: dict[str, Any]) -> MotivatorsAnswers:
        answers = cls()
        answers.leader_order = _order(values.get("leader_order"))
        for item in values.get("members") or []:
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                answers.members.append(Member(item["id"], str(item.get("name", ""))))
        for item in values.get("custom_motivators") or []:
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                kind = "extrinsic" if item.get("kind") == "extrinsic" else "intrinsic"
                answers.custom.append(
                    Motivator(
                        item["id"],
                        str(item.get("name", "")),
                        str(item.get("meaning", "")),
                        kind,
                        group=group_for_kind(kind),
                    )
                )
        for key, value in values.items():
            parts = key.split("/")
            if parts[0] == "effect" and len(parts) == 2 and value in EFFECTS:
                answers.effects[parts[1]] = value
            elif parts[0] == "member" and len(parts) == 3:
                member_id, what = parts[1], parts[2]
                if what == "guess" and _order(value):
                    answers.guesses[member_id] = _order(value)
                elif what == "self" and isinstance(value, dict) and _order(value.get("order")):
                    answers.self_reports[member_id] = SelfReport(
                        tuple(_order(value["order"])),
                        str(value.get("name", "")),
                        str(value.get("created_at", "")),
                        moves_of(value.get("moves")),
                    )
                elif what == "moves" and isinstance(value, dict):
                    answers.moves[member_id] = moves_of(value)
                elif what == "appeal" and isinstance(value, str):
                    answers.appeals[member_id] = value
                elif what == "notes" and isinstance(value, str):
                    answers.notes[member_id] = value
        return answers

    def to_store(self) -> dict[str, Any]:
        values: dict[str, Any] = {
            "leader_order": list(self.leader_order),
            "members": members_value(self.members),
            "custom_motivators": custom_value(self.custom),
        }
        for motivator_id, effect in self.effects.items():
            values[f"effect/{motivator_id}"] = effect
        for member_id, order in self.guesses.items():
            values[member_key(member_id, "guess")] = list(order)
        for member_id, moves in self.moves.items():
            values[member_key(member_id, "moves")] = dict(moves)
        for member_id, report in self.self_reports.items():
            values[member_key(member_id, "self")] = self_report_value(report)
        for member_id, appeal in self.appeals.items():
            values[member_key(member_id, "appeal")] = appeal
        for member_id, text in self.notes.items():
            values[member_key(member_id, "notes")] = text
        return values


def moves_of(value: Any, known: list[str] | None = None) -> dict[str, str]:
    """The well-formed moves in ``value`` (of ``known`` motivators, when given): anything
    else, from an old or forged file, is left out."""
    if not isinstance(value, dict):
        return {}
    return {
        str(motivator): move
        for motivator, move in value.items()
        if move in MOVES and (known is None or motivator in known)
    }


def _order(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        return []
    return list(dict.fromkeys(value))


def member_key(member_id: str, key: str) -> str:
    """Where the leader's plan keeps one entry about a member (a guess, their own order)."""
    return f"member/{member_id}/{key}"


def member_keys(member_id: str) -> list[str]:
    return [member_key(member_id, what) for what in ("guess", "moves", "self", "appeal", "notes")]


def members_value(members: list[Member]) -> list[dict[str, str]]:
    return [{"id": m.id, "name": m.name} for m in members]


def custom_value(custom: list[Motivator]) -> list[dict[str, str]]:
    return [{"id": m.id, "name": m.name, "meaning": m.meaning, "kind": m.kind} for m in custom]


def self_report_value(report: SelfReport) -> dict[str, Any]:
    return {
        "order": list(report.order),
        "name": report.name,
        "created_at": report.created_at,
        "moves": dict(report.moves),
    }


def starting_order(catalogue: list[str], seed: str | None) -> list[str]:
    """The catalogue shuffled, the same way for the same seed: where a person starts
    ordering, so the catalogue's own order anchors no one (Moving Motivators deals the
    cards in no set order). No seed: a new shuffle."""
    order = list(catalogue)
    random.Random(seed).shuffle(order)
    return order


def group_for_kind(kind: str) -> str:
    """The list a motivator of the plan's own is ranked in: an extrinsic one with the appeals."""
    return "appeal" if kind == "extrinsic" else "motivator"


def split_order(order: list[str], groups: dict[str, str]) -> tuple[list[str], list[str]]:
    """An order as its two lists: the motivators, then the appeals (each in its own order)."""
    cards = [m for m in order if groups.get(m, "motivator") != "appeal"]
    return cards, [m for m in order if groups.get(m) == "appeal"]


def complete_order(order: list[str] | tuple[str, ...], catalogue: list[str]) -> list[str]:
    """``order`` limited to the catalogue, with motivators it lacks appended in catalogue
    order (e.g. a custom motivator added after the order was made)."""
    known = [item for item in order if item in catalogue]
    return known + [item for item in catalogue if item not in known]


def new_member(members: list[Member], name: object, *, max_members: int, max_length: int) -> Member:
    text = new_entry(
        (m.name for m in members),
        name,
        what=N_("The person's name"),
        max_length=max_length,
        max_count=max_members,
        full=N_("At most {max} people in one plan."),
        taken=N_(
            "“{name}” is already on your team list. Use initials or a "
            "nickname to tell two people apart."
        ),
    )
    return Member(new_entry_id(), text)


def new_custom_motivator(
    existing: list[Motivator],
    name: object,
    meaning: object,
    kind: str,
    *,
    max_name: int,
    max_meaning: int,
) -> Motivator:
    name_text = clean_name(name, what=N_("The motivator's name"), max_length=max_name)
    meaning_text = clean_text(
        meaning, what=N_("Its meaning"), max_length=max_meaning, required=False
    )
    for motivator in existing:
        if same_text(motivator.name, name_text):
            raise TextError(N_("“{name}” is already a motivator."), name=motivator.name)
    slug = re.sub(r"[^a-z0-9]+", "-", name_text.lower()).strip("-")[:20] or "custom"
    kind = "extrinsic" if kind == "extrinsic" else "intrinsic"
    return Motivator(
        f"custom-{slug}-{new_entry_id()[:6]}",
        name_text,
        meaning_text,
        kind,
        group=group_for_kind(kind),
    )


def about_me_file(name: str, order: list[str], moves: dict[str, str] | None = None) -> str:
    """The JSON a member hands to their leader."""
    return json.dumps(
        {
            "format": ABOUT_ME_FORMAT,
            "format_version": ABOUT_ME_VERSION,
            "name": name,
            "order": list(order),
            "moves": moves_of(moves or {}, list(order)),
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        },
        ensure_ascii=False,
        indent=2,
    )


def read_about_me(data: bytes | str, catalogue: list[str]) -> SelfReport:
    """A member's own order from their file, or :class:`AboutMeFileError`."""
    try:
        raw = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        raise AboutMeFileError(N_("This is not an “about me” file (it is not JSON).")) from None
    if not isinstance(raw, dict) or raw.get("format") != ABOUT_ME_FORMAT:
        raise AboutMeFileError(N_("This is not an “about me” file from Buy-in Workbook."))
    version = raw.get("format_version")
    if not isinstance(version, int) or version > ABOUT_ME_VERSION:
        raise AboutMeFileError(
            N_("This file was made by a newer Buy-in Workbook; upgrade to import it.")
        )
    order = raw.get("order")
    if not isinstance(order, list) or not all(isinstance(item, str) for item in order):
        raise AboutMeFileError(N_("This file has no order of motivators in it."))
    if len(set(order)) != len(order):
        raise AboutMeFileError(N_("This file lists a motivator twice; ask for a new one."))
    known = [item for item in order if item in catalogue]
    if len(known) < 2:
        raise AboutMeFileError(N_("This file's motivators are not ones this workbook knows."))
    try:
        name = clean_name(raw.get("name", ""), what=N_("The name"), max_length=80, required=False)
    except TextError as error:
        raise AboutMeFileError(error.words, **error.values) from None
    return SelfReport(
        tuple(known), name, str(raw.get("created_at", ""))[:40], moves_of(raw.get("moves"), known)
    )
