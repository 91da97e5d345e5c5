"""When a cohort figure may be shown: the two rules that keep one person's answer hidden.

1. A figure is drawn over at least ``min_group`` people.
2. It is never drawn over a group that differs from the group of an earlier figure of the
   same thing by fewer than ``min_group`` people: two totals over groups that differ by one
   person give that person's answer by subtraction. This holds over time too: the
   facilitator sees who has finished, so figures that changed as one person finished would
   give that person away. Figures therefore move in steps of at least ``min_group`` people.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Withheld:
    """Why a figure is not shown, in numbers."""

    reason: Literal["too_few", "difference"]
    #: People the figure would be drawn over ("too_few"), or by how many its group
    #: differs from an earlier figure's ("difference").
    have: int
    need: int

    def message(self) -> str:
        if self.reason == "too_few":
            return f"{self.have} of {self.need} needed"
        people = "person" if self.have == 1 else "people"
        return (
            f"Held back: the group differs from the figures already shown by {self.have} "
            f"{people}, so their answers could be worked out from the change. It is shown "
            f"once at least {self.need} differ."
        )

    def to_json(self) -> dict[str, object]:
        return {"reason": self.reason, "have": self.have, "need": self.need}

    @classmethod
    def from_json(cls, data: dict) -> Withheld:
        return cls(data["reason"], int(data["have"]), int(data["need"]))


def withheld(
    group: frozenset[int], earlier: Iterable[frozenset[int]], min_group: int
) -> Withheld | None:
    """Why a figure over ``group`` may not be shown, given the groups of the earlier figures
    of the same thing; ``None`` when it may."""
    if len(group) < min_group:
        return Withheld("too_few", len(group), min_group)
    for shown in earlier:
        difference = len(group ^ shown)
        if 0 < difference < min_group:
            return Withheld("difference", difference, min_group)
    return None
