"""Course cohorts: a facilitator's group working through the exercises, with anonymous
figures revealed together.

The rules live in :mod:`buyin_workbook.use_cases.cohorts`; here they are bound to the
workbook's own exercises, for a facilitator's notebook and the servers:

- :func:`exercise_results`: an exercise's latest figures (making a new release first, when
  the rules allow one and the facilitator is the one looking);
- :func:`cohort_frames`: the released figures as tidy pandas DataFrames, to go on in pandas
  and altair;
- :func:`participant_progress`: each alias's progress per exercise;
- :func:`dashboard`: what a facilitator's dashboard shows;
- :func:`list_cohorts` and :func:`frames`: for a facilitator's notebook (with a made-up
  cohort to try it on).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..kit.declaration import lazy_exports

if TYPE_CHECKING:
    from .._disclosure import Withheld, withheld
    from ..use_cases.cohorts.results import ExerciseResults
    from .facilitator import (
        cohort_frames,
        counted_answers,
        dashboard,
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
    "dashboard",
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
    {
        **{name: ".facilitator" for name in __all__},
        "ExerciseResults": "..use_cases.cohorts.results",
        "Withheld": ".._disclosure",
        "withheld": ".._disclosure",
    },
)
