"""The answers of "Who else must buy in, and who will sell with me?" as plain data, and
their store keys.

- ``stakeholders``: list of ``{"id", "name"}``, in the order they were added
- ``stakeholder/<id>/level``: a level id (``executives``, ``peer_teams``, ``direct_reports``,
  ``external_partners``)
- ``stakeholder/<id>/power``, ``stakeholder/<id>/interest``: 1 to 5
- ``stakeholder/<id>/state``: a state id (``commitment``, ``buy_in``, ``agreement``, ...)
- ``stakeholder/<id>/concern``: their main concern, in their own terms (text)
- ``stakeholder/<id>/champion``: true or false; ``stakeholder/<id>/audience``: who they would
  make the case to; ``stakeholder/<id>/case``: the case they would make (texts)
- ``stakeholder/<id>/role``: ``enabler`` or ``seller``, the leader's role toward them
- ``obstacle/<id>/answer``, ``strategy/<id>/answer``: ``yes``, ``partly`` or ``no``;
  ``obstacle/<id>/note``, ``strategy/<id>/note``: text
- ``conversations``: list of ``{"id", "who", "about", "by_when" (ISO date or null),
  "outcome"}`` (what came of it, once held)
- ``objections``: list of ``{"id", "what", "who", "answer"}``: the objections heard, from
  whom, and what is done about each
- ``quick_wins``: list of ``{"id", "what", "by_when"}``: what can be shown working, and when

A value of the wrong type or outside its range is skipped on reading (treated as not
answered), never an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..._text import N_, new_entry, new_entry_id, optional_date

ROLES = ("enabler", "seller")
ANSWERS = ("yes", "partly", "no")
CHECK_KINDS = ("obstacle", "strategy")
TEXT_FIELDS = ("concern", "audience", "case")
FIELDS = ("level", "power", "interest", "state", "concern", "champion", "audience", "case", "role")


@dataclass
class Stakeholder:
    """A person or group whose buy-in the plan needs, as the leader sees them."""

    id: str
    name: str
    level: str | None = None
    power: int | None = None
    interest: int | None = None
    state: str | None = None
    concern: str = ""
    champion: bool = False
    audience: str = ""
    case: str = ""
    role: str | None = None

    def to_values(self) -> dict[str, Any]:
        """The per-field store values (``stakeholder/<id>/<field>``) of what is answered."""
        return {
            stakeholder_key(self.id, name): getattr(self, name)
            for name in FIELDS
            if getattr(self, name) is not None
        }


@dataclass(frozen=True)
class PlannedConversation:
    """One of the next conversations the leader will have."""

    id: str
    who: str = ""
    about: str = ""
    by_when: date | None = None
    #: What came of it, once held.
    outcome: str = ""

    @classmethod
    def new(cls) -> PlannedConversation:
        return cls(new_entry_id())

    def to_value(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "who": self.who,
            "about": self.about,
            "by_when": self.by_when.isoformat() if self.by_when else None,
            "outcome": self.outcome,
        }

    @classmethod
    def from_value(cls, value: Any) -> PlannedConversation | None:
        if not isinstance(value, dict) or not isinstance(value.get("id"), str):
            return None
        when = optional_date(value.get("by_when"))
        return cls(
            value["id"], _text(value, "who"), _text(value, "about"), when, _text(value, "outcome")
        )


def _text(value: dict[str, Any], key: str) -> str:
    text = value.get(key, "")
    return text if isinstance(text, str) else ""


@dataclass(frozen=True)
class Objection:
    """An objection heard, from whom, and what is done about it (seed 003's remedy)."""

    id: str
    what: str = ""
    who: str = ""
    answer: str = ""

    def to_value(self) -> dict[str, Any]:
        return {"id": self.id, "what": self.what, "who": self.who, "answer": self.answer}

    @classmethod
    def from_value(cls, value: Any) -> Objection | None:
        if not isinstance(value, dict) or not isinstance(value.get("id"), str):
            return None
        return cls(value["id"], _text(value, "what"), _text(value, "who"), _text(value, "answer"))


@dataclass(frozen=True)
class QuickWin:
    """Something people can see working, and when it is (or was) shown."""

    id: str
    what: str = ""
    by_when: date | None = None

    def to_value(self) -> dict[str, Any]:
        when = self.by_when.isoformat() if self.by_when else None
        return {"id": self.id, "what": self.what, "by_when": when}

    @classmethod
    def from_value(cls, value: Any) -> QuickWin | None:
        if not isinstance(value, dict) or not isinstance(value.get("id"), str):
            return None
        return cls(value["id"], _text(value, "what"), optional_date(value.get("by_when")))


def _rows(raw: Any, kind: Any) -> list[Any]:
    """A stored list of rows, those of the wrong shape left out."""
    if not isinstance(raw, list):
        return []
    return [row for row in map(kind.from_value, raw) if row is not None]


@dataclass
class StakeholdersAnswers:
    stakeholders: list[Stakeholder] = field(default_factory=list)
    #: ``{check id: "yes" | "partly" | "no"}`` for each kind of check.
    obstacles: dict[str, str] = field(default_factory=dict)
    strategies: dict[str, str] = field(default_factory=dict)
    obstacle_notes: dict[str, str] = field(default_factory=dict)
    strategy_notes: dict[str, str] = field(default_factory=dict)
    conversations: list[PlannedConversation] = field(default_factory=list)
    objections: list[Objection] = field(default_factory=list)
    quick_wins: list[QuickWin] = field(default_factory=list)

    @classmethod
    def from_store(cls, values: dict[str, Any]) -> StakeholdersAnswers:
        answers = cls()
        seen: set[str] = set()
        listed = values.get("stakeholders")
        for item in listed if isinstance(listed, list) else []:
            if (
                isinstance(item, dict)
                and isinstance(item.get("id"), str)
                and isinstance(item.get("name"), str)
                and item["id"] not in seen
            ):
                seen.add(item["id"])
                answers.stakeholders.append(Stakeholder(item["id"], item["name"]))
        by_id = {person.id: person for person in answers.stakeholders}
        for key, value in values.items():
            parts = key.split("/")
            if len(parts) != 3:
                continue
            if parts[0] == "stakeholder" and parts[1] in by_id and _valid(parts[2], value):
                setattr(by_id[parts[1]], parts[2], value)
            elif parts[0] in CHECK_KINDS:
                kind, check_id, what = parts
                if what == "answer" and value in ANSWERS:
                    answers.checks(kind)[check_id] = value
                elif what == "note" and isinstance(value, str):
                    answers.notes(kind)[check_id] = value
        answers.conversations = _rows(values.get("conversations"), PlannedConversation)
        answers.objections = _rows(values.get("objections"), Objection)
        answers.quick_wins = _rows(values.get("quick_wins"), QuickWin)
        return answers

    def to_store(self) -> dict[str, Any]:
        values: dict[str, Any] = {
            "stakeholders": stakeholders_value(self.stakeholders),
            "conversations": conversations_value(self.conversations),
            "objections": [objection.to_value() for objection in self.objections],
            "quick_wins": [win.to_value() for win in self.quick_wins],
        }
        for person in self.stakeholders:
            values.update(person.to_values())
        for kind in CHECK_KINDS:
            for check_id, answer in self.checks(kind).items():
                values[check_key(kind, check_id, "answer")] = answer
            for check_id, note in self.notes(kind).items():
                values[check_key(kind, check_id, "note")] = note
        return values

    def checks(self, kind: str) -> dict[str, str]:
        """The answers of the obstacle or the strategy check."""
        return self.obstacles if kind == "obstacle" else self.strategies

    def notes(self, kind: str) -> dict[str, str]:
        return self.obstacle_notes if kind == "obstacle" else self.strategy_notes


def _valid(name: str, value: Any) -> bool:
    """Whether a stored value fits a stakeholder field (None never does: it means unset)."""
    if name in ("power", "interest"):
        return type(value) is int and 1 <= value <= 5
    if name in ("level", "state"):
        return isinstance(value, str) and bool(value)
    if name in TEXT_FIELDS:
        return isinstance(value, str)
    if name == "champion":
        return isinstance(value, bool)
    if name == "role":
        return value in ROLES
    return False


def stakeholder_key(stakeholder_id: str, name: str) -> str:
    return f"stakeholder/{stakeholder_id}/{name}"


def stakeholder_keys(stakeholder_id: str) -> list[str]:
    return [stakeholder_key(stakeholder_id, name) for name in FIELDS]


def check_key(kind: str, check_id: str, what: str) -> str:
    """``obstacle/<id>/answer``, ``strategy/<id>/note``..."""
    return f"{kind}/{check_id}/{what}"


def stakeholders_value(stakeholders: list[Stakeholder]) -> list[dict[str, str]]:
    return [{"id": person.id, "name": person.name} for person in stakeholders]


def conversations_value(conversations: list[PlannedConversation]) -> list[dict[str, Any]]:
    return [conversation.to_value() for conversation in conversations]


def new_stakeholder(
    stakeholders: list[Stakeholder], name: object, *, max_stakeholders: int, max_length: int
) -> Stakeholder:
    """A new stakeholder named ``name``, or :class:`TextError` saying why not."""
    text = new_entry(
        (p.name for p in stakeholders),
        name,
        what=N_("The stakeholder's name"),
        max_length=max_length,
        max_count=max_stakeholders,
        full=N_(
            "At most {max} stakeholders in one plan. Group some of them (e.g. "
            "“the platform teams”) or remove one first."
        ),
        taken=N_("“{name}” is already on your list. Add a role or a team to tell the two apart."),
    )
    return Stakeholder(new_entry_id(), text)
