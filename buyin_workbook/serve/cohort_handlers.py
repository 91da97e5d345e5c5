"""The served pages of a course cohort: joining, the facilitator's dashboard, revealing an
exercise's figures, and a participant sharing their summary.

A cohort has two links of its own, printed once by ``jupyter workbook cohort create``: the
join link (anyone holding it may join while the cohort is open) and the facilitator's. A
participant gets a private link when they join; it works as a coach's client's does, limited
to the cohort's exercises. The facilitator's pages show aliases, progress and anonymous
figures, never a participant's answers (a summary only while its owner shares it).
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal
from urllib.parse import urlencode

from tornado import web

from .._text import TextError
from ..cohorts.aliases import suggest_alias
from ..pages import workbook_pages
from ..store import (
    ALIAS_MAX,
    AliasTaken,
    Cohort,
    CohortClosed,
    CohortFull,
    CohortNotFound,
    Participant,
    PlanNotFound,
    StoreError,
    WorkbookStore,
)
from ..web import FORM_CSP, PAGE_CSP
from .handlers import WorkbookPage


class _CohortPage(WorkbookPage):
    """A page opened by one of a cohort's own keys."""

    #: Which key opens it: the cohort's join key or its facilitator's.
    opened_by: ClassVar[Literal["join", "facilitator"]] = "facilitator"

    async def cohort(self) -> Cohort | None:
        """The cohort whose key is in the link; ``None`` once the refusal page is sent."""
        key, state, by_join = self.key(), self.state, self.opened_by == "join"

        def find() -> Cohort | None:
            coach = state.coach
            return (
                coach.cohort_for_join_key(key) if by_join else coach.cohort_for_facilitator_key(key)
            )

        cohort = await self.in_store(find)
        if cohort is None:
            self.refuse()
        return cohort

    def render_form_page(self, template: str, status: int = 200, **values: Any) -> None:
        xsrf = self.xsrf_token.decode("ascii")
        self.render_page(template, status, csp=FORM_CSP, xsrf=xsrf, **values)


class JoinHandler(_CohortPage):
    """The join link: choose an alias, then receive a private link."""

    opened_by = "join"

    @web.authenticated
    async def get(self) -> None:
        cohort = await self.cohort()
        if cohort is None:
            return
        if not cohort.open:
            self.render_page("cohort_closed.html", status=403, cohort=cohort, full=False)
            return
        state = self.state
        taken = await self.in_store(lambda: [p.alias for p in state.coach.participants(cohort.id)])
        if len(taken) >= cohort.max_participants:
            self.render_page("cohort_closed.html", status=403, cohort=cohort, full=True)
            return
        self._form(cohort, suggest_alias(taken))

    def _form(self, cohort: Cohort, alias: str, error: str = "", status: int = 200) -> None:
        titles = {page.id: page.title for page in workbook_pages()}
        self.render_form_page(
            "cohort_join.html",
            status=status,
            cohort=cohort,
            alias=alias,
            alias_max=ALIAS_MAX,
            error=error,
            exercises=[titles[e] for e in cohort.exercises],
            action=self.link("cohort/join", key=self.key()),
        )

    @web.authenticated
    async def post(self) -> None:
        cohort = await self.cohort()
        if cohort is None:
            return
        alias = self.get_body_argument("alias", "")
        state = self.state

        def join() -> tuple[Participant, str] | StoreError | TextError:
            try:
                return state.coach.join_cohort(cohort.id, alias)
            except (CohortClosed, CohortFull, AliasTaken, TextError) as refused:
                return refused

        joined = await self.in_store(join)
        if isinstance(joined, (CohortClosed, CohortFull)):
            full = isinstance(joined, CohortFull)
            self.render_page("cohort_closed.html", status=403, cohort=cohort, full=full)
            return
        if isinstance(joined, (StoreError, TextError)):
            self._form(cohort, alias[: ALIAS_MAX * 2], str(joined), status=400)
            return
        participant, key = joined
        self.render_page(
            "cohort_joined.html",
            cohort=cohort,
            participant=participant,
            link=self.private_link(key),
        )

    def private_link(self, key: str) -> str:
        """The participant's own link, as `serve` prints links (its public address)."""
        base = (
            self.state.link_base or f"{self.request.protocol}://{self.request.host}{self.base_url}"
        )
        return f"{base}?{urlencode({'key': key})}"


class FacilitatorHandler(_CohortPage):
    """The facilitator's dashboard: aliases and progress, and each exercise's anonymous
    figures with its Reveal button."""

    @web.authenticated
    async def get(self) -> None:
        cohort = await self.cohort()
        if cohort is None:
            return
        # pandas, only once a dashboard is asked for: the server's other pages need none.
        from ..cohorts import dashboard
        from ..use_cases.cohorts.render import STYLE

        state = self.state
        shown = await self.in_store(lambda: dashboard(state.coach, cohort))
        key = self.key()
        self.render_form_page(
            "facilitator.html",
            cohort=cohort,
            participants=[
                (
                    participant,
                    steps,
                    self.link("cohort/participants", str(participant.id), "summary", key=key)
                    if participant.shares_summary
                    else None,
                    self.link("cohort/participants", str(participant.id), "remove", key=key),
                )
                for participant, steps in shown.progress
            ],
            exercises=shown.sections,
            action=self.link("cohort/reveal", key=key),
            cohort_style=STYLE,
        )


class RevealHandler(_CohortPage):
    """Reveal an exercise's figures to every participant at once, or hide them again."""

    @web.authenticated
    async def post(self) -> None:
        cohort = await self.cohort()
        if cohort is None:
            return
        exercise = self.get_body_argument("exercise", "")
        reveal = self.get_body_argument("reveal", "") == "1"
        if exercise not in cohort.exercises:
            raise web.HTTPError(404)
        state = self.state
        await self.in_store(lambda: state.coach.set_revealed(cohort.id, exercise, reveal))
        self.redirect(self.link("cohort", key=self.key()) + f"#exercise-{exercise}")


class SharedSummaryHandler(_CohortPage):
    """A participant's summary report, for their facilitator, while they share it."""

    @web.authenticated
    async def get(self, participant_id: str) -> None:
        cohort = await self.cohort()
        if cohort is None:
            return
        state = self.state
        back = (self.link("cohort", key=self.key()), "← Back to the cohort")

        def draw() -> str:
            """The shared summary's HTML; "" when there is none to show."""
            shared = {p.id: p for p in state.coach.participants(cohort.id) if p.shares_summary}
            participant = shared.get(int(participant_id))
            if participant is None:
                return ""
            from ..report.build import build_report
            from ..report.render import to_html

            store = state.client_store(participant.id)
            try:
                plans = store.list_plans()
                if not plans:
                    return ""
                return to_html(build_report(store, plans[0].id), back=back)
            except (PlanNotFound, CohortNotFound):
                return ""

        html = await self.in_store(draw)
        if not html:
            raise web.HTTPError(404)
        self.page_headers()
        self.set_header("Content-Security-Policy", PAGE_CSP)
        self.finish(html)


class RemoveParticipantHandler(_CohortPage):
    """Take one participant out: a page that says what follows, then the form's POST."""

    async def _participant(self, cohort: Cohort, participant_id: str) -> Participant:
        state = self.state
        found = await self.in_store(lambda: {p.id: p for p in state.coach.participants(cohort.id)})
        if int(participant_id) not in found:
            raise web.HTTPError(404)
        return found[int(participant_id)]

    @web.authenticated
    async def get(self, participant_id: str) -> None:
        cohort = await self.cohort()
        if cohort is None:
            return
        participant = await self._participant(cohort, participant_id)
        self.render_form_page(
            "cohort_remove.html",
            cohort=cohort,
            participant=participant,
            action=self.link("cohort/participants", participant_id, "remove", key=self.key()),
            back=self.link("cohort", key=self.key()) + "#participants",
        )

    @web.authenticated
    async def post(self, participant_id: str) -> None:
        cohort = await self.cohort()
        if cohort is None:
            return
        participant = await self._participant(cohort, participant_id)
        state = self.state
        await self.in_store(lambda: state.coach.remove_participant(cohort.id, participant.id))
        self.redirect(self.link("cohort", key=self.key()) + "#participants")


class ShareSummaryHandler(_CohortPage):
    """A participant shares their summary with the facilitator, or stops sharing it."""

    @web.authenticated
    async def post(self) -> None:
        visitor = await self.visitor()
        if visitor is None or getattr(visitor, "cohort_id", None) is None:
            self.refuse()
            return
        share = self.get_body_argument("share", "") == "1"
        db_url, key, client_id = self.state.db_url, self.key(), visitor.id

        def shared() -> None:
            with WorkbookStore(db_url, client_id=client_id, access_key=key) as store:
                store.share_summary(share)

        await self.in_store(shared)
        self.redirect(self.link("", key=self.key()) + "#share")


def cohort_handlers(base_url: str) -> list[tuple[str, type, dict[str, Any]]]:
    from jupyter_server.utils import url_path_join

    return [
        (url_path_join(base_url, "cohort/join"), JoinHandler, {}),
        (url_path_join(base_url, "cohort"), FacilitatorHandler, {}),
        (url_path_join(base_url, "cohort/reveal"), RevealHandler, {}),
        (
            url_path_join(base_url, r"cohort/participants/(\d{1,18})/summary"),
            SharedSummaryHandler,
            {},
        ),
        (url_path_join(base_url, "cohort/share"), ShareSummaryHandler, {}),
        (
            url_path_join(base_url, r"cohort/participants/(\d{1,18})/remove"),
            RemoveParticipantHandler,
            {},
        ),
    ]
