"""Warm pages beyond the pool, for those who are about to come.

Every ``crowd_check`` seconds ``serve`` reads who is expected and keeps their pages warm:

- **An announced crowd** (``cohort create --expect 30``): one warm page of the cohort's first
  exercise for everyone who has not had a page yet. They go back as the crowd arrives, or
  when the facilitator says no one more is coming (``cohort expect NAME 0``) or closes it.
- **Team members**: one warm page of each member page (their say, their goal, about me)
  while some member link to it works, so a member's link opens at once each time they come
  (to answer, or to change and send again). It goes back once no such link works.

A warm page is a kernel pre-heated up to the point where its visitor's key is read.
"""

from __future__ import annotations

from collections import Counter

from tornado.ioloop import PeriodicCallback
from tornado.log import app_log

from ..pages import member_page, workbook_pages
from ..store import Cohort, StoreError
from .handlers import ServeState
from .kernels import WorkbookKernelManager


def first_page(cohort: Cohort) -> str:
    """The notebook a cohort's participants open first (its exercises are kept in order)."""
    return next(page.notebook for page in workbook_pages() if page.id == cohort.exercises[0])


class WarmPages:
    """Looks now and then at who is expected, and keeps their pages warm."""

    def __init__(
        self,
        state: ServeState,
        kernels: WorkbookKernelManager,
        every: float,
        *,
        members: bool = True,
    ) -> None:
        self.state = state
        self.kernels = kernels
        self.members = members
        self._timer = PeriodicCallback(self.check, every * 1000)

    def start(self) -> None:
        self._timer.start()

    async def check(self) -> None:
        state, members = self.state, self.members

        def expected() -> tuple[list[Cohort], list[str]]:
            coach = state.coach
            return coach.expected_cohorts(), coach.member_link_exercises() if members else []

        try:
            cohorts, linked = await state.run(expected)  # one trip to the store's threads
        except (StoreError, TimeoutError) as error:
            app_log.warning("Who is expected was not read this time: %s", error)
            return
        wanted: Counter[str] = Counter()
        for cohort in cohorts:
            wanted[first_page(cohort)] += self.kernels.still_to_come(cohort.id, cohort.expected)
        for notebook in {member_page(exercise) for exercise in linked}:
            wanted[notebook] = max(wanted[notebook], 1)
        self.kernels.keep_warm(dict(wanted))
