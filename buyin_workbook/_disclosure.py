"""When figures over a group may be shown: the rules that keep one person's answer hidden.

Shared by a cohort's figures (shown to its facilitator) and the team's own voice (shown to a
leader): both show totals over groups of people, and both readers see who is in the group.

1. A figure is drawn over at least ``min_group`` people.
2. Against every earlier figure of the same thing, the people who left and the people who
   came are each none or at least ``min_group``. Two totals over groups that differ by one
   person give that person's answer by subtraction, whichever way they differ: a newcomer's
   when one joined, a leaver's when one left (even if others joined at the same time, when
   the reader knows the others' answers, as one who invents them does).
3. No combination of the figures shown, the new one included, gives one person's answer:
   totals are sums, and four views can be added and subtracted to leave one person when
   every two of them differ by enough (``{v}+A+B``, ``A+C``, ``B+D``, ``C+D``). Checked by
   linear algebra on who is in each group.

Figures therefore move in steps of at least ``min_group`` people, and once someone whose
answer was shown has left, the figures stay as they were until they are back.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from .languages import N_, Nn_, Translator, translator

Reason = Literal["too_few", "difference", "combination"]
#: Whether the people who make a difference left the earlier group or came into it.
Moved = Literal["left", "came"]


_TOO_FEW = N_("{have} of {need} needed")
_COMBINATION = N_(
    "Held back: together with the figures already shown, new figures would give one person's "
    "answers away. They are shown once more people have finished."
)
_LEFT = Nn_(
    "Held back: {count} person counted in the figures already shown is no longer among those "
    "who have finished, so new figures would give their answers away by the change. The "
    "figures shown stay as they are until they are back.",
    "Held back: {count} people counted in the figures already shown are no longer among those "
    "who have finished, so new figures would give their answers away by the change. The "
    "figures shown stay as they are until they are back.",
)
_DIFFERS = Nn_(
    "Held back: the group differs from the figures already shown by {count} person, so their "
    "answers could be worked out from the change. It is shown once at least {need} differ.",
    "Held back: the group differs from the figures already shown by {count} people, so their "
    "answers could be worked out from the change. It is shown once at least {need} differ.",
)


@dataclass(frozen=True)
class Withheld:
    """Why a figure is not shown, in numbers."""

    reason: Reason
    #: People the figure would be drawn over ("too_few"); how many left or came
    #: ("difference"); how many one combination would single out ("combination").
    have: int
    need: int
    moved: Moved | None = None

    def message(self, words: Translator | None = None) -> str:
        """Why, in ``words``' language (English by default)."""
        say = words or translator()
        if self.reason == "too_few":
            return say.gettext(_TOO_FEW, have=say.number(self.have), need=say.number(self.need))
        if self.reason == "combination":
            return say.gettext(_COMBINATION)
        said = _LEFT if self.moved == "left" else _DIFFERS
        return say.ngettext(*said, self.have, need=say.number(self.need))

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {"reason": self.reason, "have": self.have, "need": self.need}
        if self.moved is not None:
            data["moved"] = self.moved
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Withheld:
        moved = data.get("moved")
        return cls(
            data["reason"],
            int(data["have"]),
            int(data["need"]),
            moved if moved in ("left", "came") else None,
        )


#: Who each combination of groups singles out, for one caller's many figures at once (a
#: release checks each of its figures against the same earlier groups).
Memo = dict[tuple[frozenset[Any], ...], frozenset[Any]]


def withheld(
    group: frozenset[Any],
    earlier: Iterable[frozenset[Any]],
    min_group: int,
    *,
    memo: Memo | None = None,
) -> Withheld | None:
    """Why a figure over ``group`` may not be shown, given the groups of the earlier figures
    of the same thing; ``None`` when it may."""
    if len(group) < min_group:
        return Withheld("too_few", len(group), min_group)
    shown = list(dict.fromkeys(earlier))
    for before in shown:
        for moved, people in (("left", before - group), ("came", group - before)):
            if 0 < len(people) < min_group:
                return Withheld("difference", len(people), min_group, moved)  # type: ignore[arg-type]
    if group not in shown and shown:
        memo = {} if memo is None else memo
        newly = singled_out([*shown, group], memo) - singled_out(shown, memo)
        if newly:
            return Withheld("combination", len(newly), min_group)
    return None


def singled_out(groups: Sequence[frozenset[Any]], memo: Memo | None = None) -> frozenset[Any]:
    """The people whose answer some combination of totals over ``groups`` gives exactly.

    People who are in exactly the same groups can never be told apart, so only someone alone
    in their pattern of membership can be singled out: they are when their unit vector lies
    in the span of the groups' membership vectors (over the patterns), that is when their
    leverage (the squared norm of its projection on that span) is 1.
    """
    distinct = tuple(dict.fromkeys(groups))
    if len(distinct) < 2:
        return frozenset()
    if memo is None:
        return _singled_out(distinct)
    if distinct not in memo:
        memo[distinct] = _singled_out(distinct)
    return memo[distinct]


def _singled_out(groups: tuple[frozenset[Any], ...]) -> frozenset[Any]:
    # Only when groups change, and with numpy: 10,000 people in 200 groups take 0.1 s.
    import numpy as np

    people = list(frozenset().union(*groups))
    try:
        ids = np.array(people, dtype=np.int64)  # participants: ids from the store
        order = np.argsort(ids)
        columns = [
            order[np.searchsorted(ids, np.fromiter(g, np.int64, len(g)), sorter=order)]
            for g in groups
        ]
    except (TypeError, ValueError, OverflowError):  # team members: ids as text
        index = {person: n for n, person in enumerate(people)}
        columns = [np.fromiter((index[p] for p in g), np.int64, len(g)) for g in groups]
    membership = np.zeros((len(people), len(groups)), dtype=bool)  # people x groups
    for column, members in enumerate(columns):
        membership[members, column] = True
    # Rows as bytes, so finding the patterns is one sort of short strings.
    packed = np.ascontiguousarray(np.packbits(membership, axis=1))
    rows = packed.view(np.dtype((np.void, packed.shape[1]))).ravel()
    _, first, counts = np.unique(rows, return_index=True, return_counts=True)
    alone = np.flatnonzero(counts == 1)
    if not alone.size:
        return frozenset()
    patterns = membership[first]  # one row per pattern
    _, singular, basis = np.linalg.svd(patterns.T.astype(float), full_matrices=False)
    rank = int((singular > singular.max() * max(patterns.shape) * 1e-12).sum())
    leverage = (basis[:rank] ** 2).sum(axis=0)
    return frozenset(people[first[i]] for i in alone if leverage[i] > 1 - 1e-9)
