"""Warm pages for the crowds facilitators announce (``cohort create --expect 30``).

Every ``crowd_check`` seconds ``serve`` reads which open cohorts expect participants and
keeps, beyond the pool, one warm page of each such cohort's first exercise for everyone
who has not had a page yet; the warm pages go back as the crowd arrives or when the
facilitator says no one more is coming (``cohort expect NAME 0``) or closes the cohort.
A warm page is a kernel pre-heated up to the point where its visitor's key is read.
"""

from __future__ import annotations

from collections import Counter

from tornado.ioloop import PeriodicCallback
from tornado.log import app_log

from ..pages import workbook_pages
from ..store import Cohort, StoreError
from .handlers import ServeState
from .kernels import WorkbookKernelManager


def first_page(cohort: Cohort) -> str:
    """The notebook a cohort's participants open first (its exercises are kept in order)."""
    return next(page.notebook for page in workbook_pages() if page.id == cohort.exercises[0])


class CrowdWarmer:
    """Looks at the announced crowds now and then, and keeps their first pages warm."""

    def __init__(self, state: ServeState, kernels: WorkbookKernelManager, every: float) -> None:
        self.state = state
        self.kernels = kernels
        self._timer = PeriodicCallback(self.check, every * 1000)

    def start(self) -> None:
        self._timer.start()

    async def check(self) -> None:
        try:
            cohorts = await self.state.run(lambda: self.state.coach.expected_cohorts())
        except (StoreError, TimeoutError) as error:
            app_log.warning("Expected crowds not read this time: %s", error)
            return
        wanted: Counter[str] = Counter()
        for cohort in cohorts:
            wanted[first_page(cohort)] += self.kernels.still_to_come(cohort.id, cohort.expected)
        self.kernels.keep_warm(dict(wanted))
