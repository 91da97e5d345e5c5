"""What a page is handed: who it works for, the store it saves into (open) and the
workbook's settings."""

from __future__ import annotations

from dataclasses import dataclass

from ..config import WorkbookConfig, load_workbook_config
from ..store import WorkbookStore
from .hub_cohort import CohortService, HubCohort, cohort_for
from .visitor import MEMBER_ONLY, Access, AccessRefused, current_access, on_hub


@dataclass(frozen=True)
class Session:
    """One page's visitor, store and settings."""

    who: Access
    #: Open, and (on a served page) re-checking the visitor's key before every operation.
    store: WorkbookStore
    config: WorkbookConfig

    def hub_cohort(self, exercise: str) -> tuple[CohortService, HubCohort] | None:
        """The hub cohort a leader's exercise sends its figures to, if any."""
        if self.who.role != "leader" or not on_hub():
            return None
        return cohort_for(exercise, self.config)


def plan_page_session(store: WorkbookStore | None = None) -> Session:
    """The session of a page about a leader's plans: on ``store`` when one is given (the
    leader's own), else the visitor's under ``serve``.

    Raises :class:`AccessRefused` for a link that opens no plan page (a team member's) and
    :class:`~buyin_workbook.store.StoreError` for a database that cannot be opened.
    """
    config = load_workbook_config()
    who = Access("leader")
    if store is None:
        who = current_access()
        if who.role == "member":
            raise AccessRefused(MEMBER_ONLY)
        store = who.store(config)
    return Session(who, store.open(), config)
