"""Course cohorts: a facilitator's group working through the exercises, with anonymous
figures revealed together.

What a facilitator sees of an exercise is a *release*: figures drawn over the participants
who have finished it, kept in the store with who each figure was drawn over and the answers
behind it (counts per value, never who gave which), so every later release obeys the rules
of :mod:`buyin_workbook._disclosure` against all earlier ones. Between releases the figures stay as
they were, even if answers change, and everything a facilitator can get (the dashboard, the
frames, an export) is read from the releases alone.

- :func:`exercise_results`: an exercise's latest figures (making a new release first, when
  the rules allow one and the facilitator is the one looking);
- :func:`cohort_frames`: the released figures as tidy pandas DataFrames, to go on in pandas
  and altair;
- :func:`participant_progress`: each alias's progress per exercise;
- :func:`list_cohorts` and :func:`frames`: the same, for a facilitator's notebook (with a
  made-up cohort to try it on).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..kit.declaration import lazy_exports

if TYPE_CHECKING:
    from .._disclosure import Withheld, withheld
    from .results import (
        ExerciseResults,
        cohort_frames,
        counted_answers,
        exercise_results,
        finished_values,
        frames,
        list_cohorts,
        participant_progress,
        sample_frames,
    )

__all__ = [
    "ExerciseResults",
    "Withheld",
    "cohort_frames",
    "counted_answers",
    "exercise_results",
    "finished_values",
    "frames",
    "list_cohorts",
    "participant_progress",
    "sample_frames",
    "withheld",
]

# Light to import (serve's join page needs only the aliases); pandas comes with the figures.
__getattr__: Any = lazy_exports(
    __name__,
    {name: ".._disclosure" if name in ("Withheld", "withheld") else ".results" for name in __all__},
)
