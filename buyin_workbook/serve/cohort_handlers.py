"""The served pages of a course cohort: joining, the facilitator's dashboard, revealing an
exercise's figures, and a participant sharing their summary.

A cohort has two links of its own, printed once by ``jupyter workbook cohort create``: the
join link (anyone holding it may join while the cohort is open) and the facilitator's. A
participant gets a private link when they join; it works as a coach's client's does, limited
to the cohort's exercises. The facilitator's pages show aliases, progress and anonymous
figures, never a participant's answers (a summary only while its owner shares it).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any, ClassVar, Literal
from urllib.parse import urlencode

from jupyter_server.utils import url_path_join
from markupsafe import Markup
from tornado import web

from .._text import TextError
from ..cohorts.aliases import suggest_alias
from ..languages import LANGUAGES, N_
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
    shown_join_code,
)
from ..web import FORM_CSP, PAGE_CSP, live_csp
from .handlers import WorkbookPage

#: The header of a 204 whose page is as it was although the store changed: its new ``since``.
SINCE_HEADER = "X-Workbook-Since"
#: Hex digits of a participant's reference in the facilitator's links (64 bits).
_REF_LENGTH = 16
#: How long a presenter view opened by its link keeps working in that browser.
_KEPT_DAYS = 1
#: Where a live page's ``since`` goes, once what the page shows is known.
_SINCE_SLOT = "bw-since-slot"

#: A join code no open cohort has (mistyped, or from a cohort given a new one).
UNKNOWN_CODE = N_(
    "No course has that join code. Check the code on the screen: eight letters and digits, "
    "with no 0 or 1 and no I, L, O or U. Or ask the facilitator for the join link."
)


def _presenter_cookie(cohort_id: str) -> str:
    return f"bw-present-{cohort_id}"


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
        else:
            self.set_language = cohort.language
        return cohort

    def participant_ref(self, cohort: Cohort, participant: Participant) -> str:
        """How the facilitator's links name a participant: not their id, which counts
        everyone who joined any cohort or became a client on this server (a facilitator
        would read other courses' arrivals in its jumps), but a reference of this cohort's."""
        secret = self.settings["cookie_secret"]
        said = f"participant:{cohort.id}:{participant.id}".encode("ascii")
        return hmac.new(secret, said, hashlib.sha256).hexdigest()[:_REF_LENGTH]

    async def participant_by_ref(
        self, cohort: Cohort, ref: str, *, sharing: bool = False
    ) -> Participant:
        """The cohort's participant a link names (sharing their summary, if asked); 404 for
        no one."""
        state = self.state
        people = await self.in_store(lambda: state.coach.participants(cohort.id))
        for participant in people:
            if hmac.compare_digest(self.participant_ref(cohort, participant), ref):
                if sharing and not participant.shares_summary:
                    break
                return participant
        raise web.HTTPError(404)

    def render_form_page(
        self, template: str, status: int = 200, *, csp: str = FORM_CSP, **values: Any
    ) -> None:
        xsrf = self.xsrf_token.decode("ascii")
        self.render_page(template, status, csp=csp, xsrf=xsrf, **values)


class _LivePage(_CohortPage):
    """A facilitator's page that keeps itself current (see _live.js). It is asked again
    with what it was drawn at (``since``: the cohort's fingerprint in the store, then a
    fingerprint of what the page showed) and answers 204 until something it shows changed;
    a change in the store that shows nothing new (someone edits a sentence) is answered
    204 too, with the new ``since`` in a header, so the page learns nothing from it."""

    async def activity_if_changed(self, cohort: Cohort) -> str | None:
        """The cohort's fingerprint now, read before the page is drawn (a change while it is
        drawn then shows at the next ask); ``None`` once 204 has been sent."""
        state = self.state
        activity = await self.in_store(lambda: state.coach.cohort_activity(cohort.id))
        if self._since()[0] != activity:
            return activity
        self._unchanged()
        return None

    def _since(self) -> tuple[str, str]:
        stored, _, shown = self.get_argument("since", "").partition(".")
        return stored, shown

    def _unchanged(self, since: str = "") -> None:
        self.page_headers()
        if since:
            self.set_header(SINCE_HEADER, since)
        self.set_status(204)
        self.finish()

    async def render_live(
        self,
        template: str,
        cohort: Cohort,
        activity: str,
        *,
        present_keys: bool = False,
        **values: Any,
    ) -> None:
        nonce = secrets.token_urlsafe(18)
        xsrf = self.xsrf_token.decode("ascii")
        html = self.draw_page(
            template,
            csp=live_csp(nonce),
            nonce=nonce,
            xsrf=xsrf,
            activity=_SINCE_SLOT,
            cohort=cohort,
            present_keys=present_keys,
            **values,
        )
        # What the page shows, without what differs in every response.
        drawn = html.replace(nonce, "").replace(xsrf, "").encode("utf-8")
        shown = hashlib.sha256(drawn).hexdigest()[:24]
        since = f"{activity}.{shown}"
        if self._since()[1] == shown:
            self._unchanged(since)
            return
        self.finish(html.replace(_SINCE_SLOT, since))


class JoinHandler(_CohortPage):
    """The join link (or the join code's address, ``j/CODE``): choose an alias, then
    receive a private link."""

    opened_by = "join"

    async def cohort(self) -> Cohort | None:
        if not self.path_args:
            return await super().cohort()
        code, state = self.path_args[0], self.state
        cohort = await self.in_store(lambda: state.coach.cohort_for_join_code(code))
        if cohort is None:
            page = self.page_translator()
            self.render_page(
                "refused.html",
                status=403,
                translator=page,
                languages=self.language_links(page.language),
                message=page.gettext(UNKNOWN_CODE),
            )
        else:
            self.set_language = cohort.language
        return cohort

    def action(self, language: str | None = None) -> str:
        """Where the join form posts: back to the address it was opened at (in
        ``language``, when the visitor chose one)."""
        asked = {"lang": language} if language else {}
        if self.path_args:
            address = url_path_join(self.base_url, "j", self.path_args[0])
            return f"{address}?{urlencode(asked)}" if asked else address
        return self.link("cohort/join", key=self.key(), **asked)

    @web.authenticated
    async def get(self, _code: str = "") -> None:
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
        self._form(cohort, suggest_alias(taken, self.page_translator().language))

    def _form(self, cohort: Cohort, alias: str, error: str = "", status: int = 200) -> None:
        page = self.page_translator()
        titles = {p.id: p.title for p in workbook_pages(page.language)}
        self.render_form_page(
            "cohort_join.html",
            status=status,
            translator=page,
            cohort=cohort,
            alias=alias,
            alias_max=ALIAS_MAX,
            error=error,
            exercises=page.listed([page.quoted(titles[e]) for e in cohort.exercises]),
            action=self.action(self.asked_language().get("lang")),
            action_in={code: self.action(code) for code in LANGUAGES},
        )

    @web.authenticated
    async def post(self, _code: str = "") -> None:
        cohort = await self.cohort()
        if cohort is None:
            return
        alias = self.get_body_argument("alias", "")
        if self.get_body_argument("switch", ""):
            # The language switch: the same form in the language chosen, the alias kept.
            self._form(cohort, alias[: ALIAS_MAX * 2])
            return
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
        if isinstance(joined, AliasTaken):
            # A new suggestion in the box, said as such: the taken one would only fail again.
            taken = await self.in_store(
                lambda: [p.alias for p in state.coach.participants(cohort.id)]
            )
            words = self.page_translator()
            other = suggest_alias(taken, words.language)
            offered = words.gettext(
                "The box now holds a free one, {alias}: keep it or type your own.",
                alias=words.quoted(other),
            )
            self._form(cohort, other, f"{words.said(joined)} {offered}", status=400)
            return
        if isinstance(joined, (StoreError, TextError)):
            message = self.page_translator().said(joined)
            self._form(cohort, alias[: ALIAS_MAX * 2], message, status=400)
            return
        _participant, key = joined
        # To their own page, which shows its link this once: reloading it joins no one again.
        self.redirect(self.link("", key=key, joined="1", **self.asked_language()))


class FacilitatorHandler(_LivePage):
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

        # The facilitator reads the cohort's language (else the page's ?lang=, the browser's).
        self.set_language = cohort.language
        language = self.page_translator().language
        asked = self.asked_language()
        activity = await self.activity_if_changed(cohort)
        if activity is None:
            return
        state = self.state
        shown = await self.in_store(lambda: dashboard(state.coach, cohort, language=language))
        key = self.key()
        await self.render_live(
            "facilitator.html",
            cohort,
            activity,
            present=self.link("cohort/present", key=key, **asked),
            participants=[
                (
                    participant,
                    steps,
                    self.link(
                        "cohort/participants",
                        self.participant_ref(cohort, participant),
                        "summary",
                        key=key,
                        **asked,
                    )
                    if participant.shares_summary
                    else None,
                    self.link(
                        "cohort/participants",
                        self.participant_ref(cohort, participant),
                        "remove",
                        key=key,
                    ),
                )
                for participant, steps in shown.progress
            ],
            exercises=shown.sections,
            action=self.link("cohort/reveal", key=key, **asked),
            cohort_style=STYLE,
            command_create=Markup("<code>jupyter workbook cohort create</code>"),
        )


_PRESENT_CLOSED = N_("Closed to new participants.")
_PRESENT_FULL = N_("Full: all {count} places are taken.")


class PresenterHandler(_LivePage):
    """The presenter view, for the projector: the join code, its QR code and address, how
    many joined and finished, and one exercise at a time, its figures once revealed."""

    def key(self) -> str:
        """The facilitator's key: from the link that opened the view, then from the cookie
        that link left for the cohort named by ``c``."""
        given = super().key()
        cohort_id = self.get_argument("c", "")
        if given or not (cohort_id.isdigit() and len(cohort_id) <= 12):
            return given
        kept = self.get_signed_cookie(_presenter_cookie(cohort_id), max_age_days=_KEPT_DAYS)
        return kept.decode("utf-8", "replace") if kept else ""

    @web.authenticated
    async def get(self) -> None:
        cohort = await self.cohort()
        if cohort is None:
            return
        if cohort.hub_group is not None:
            raise web.HTTPError(404)
        if self.get_argument("key", ""):
            # The projector shows the address bar to the room: the key moves into a cookie
            # of this view's own, and the address names only the cohort.
            self.set_signed_cookie(
                _presenter_cookie(str(cohort.id)),
                self.key(),
                expires_days=_KEPT_DAYS,
                path=url_path_join(self.base_url, "cohort/present"),
                httponly=True,
                secure=self.request.protocol == "https",
                samesite="Strict",
            )
            self.redirect(self.present_link(cohort, self.get_argument("exercise", "")))
            return
        # The room reads the cohort's language (else the projector's browser's).
        self.set_language = cohort.language
        words = self.page_translator()
        activity = await self.activity_if_changed(cohort)
        if activity is None:
            return
        from ..cohorts import dashboard
        from ..use_cases.cohorts.render import STYLE

        state, key = self.state, self.key()
        exercise_id = self.get_argument("exercise", cohort.exercises[0])
        if exercise_id not in cohort.exercises:
            exercise_id = cohort.exercises[0]
        # One trip to the store (its thread) for both: the figures and the code to join by.
        shown, code = await self.in_store(
            lambda: (
                dashboard(state.coach, cohort, language=words.language),
                state.coach.join_code(cohort.id),
            )
        )
        index = cohort.exercises.index(exercise_id)
        sections = {section.id: section for section in shown.sections}

        def neighbour(at: int) -> dict[str, str] | None:
            if not 0 <= at < len(cohort.exercises):
                return None
            other = cohort.exercises[at]
            href = self.present_link(cohort, other)
            return {"href": href, "title": sections[other].title}

        joined = len(shown.progress)
        finished = sum(1 for _participant, steps in shown.progress if steps[index][1] == "done")
        await self.render_live(
            "cohort_present.html",
            cohort,
            activity,
            present_keys=True,
            join=self._join(code) if cohort.open and joined < cohort.max_participants else None,
            closed=(
                words.gettext(_PRESENT_CLOSED)
                if not cohort.open
                else words.gettext(_PRESENT_FULL, count=words.number(cohort.max_participants))
            ),
            joined=joined,
            finished=finished,
            exercise=sections[exercise_id],
            position=index + 1,
            count=len(cohort.exercises),
            previous=neighbour(index - 1),
            next=neighbour(index + 1),
            action=self.link("cohort/reveal", key=key),
            cohort_style=STYLE,
            toggled=self.get_argument("toggled", "") == "1",
        )

    def present_link(self, cohort: Cohort, exercise: str = "", **more: str) -> str:
        """The view's address with no key in it (the cookie holds it)."""
        query = {
            "c": str(cohort.id),
            **({"exercise": exercise} if exercise else {}),
            **self.asked_language(),
            **more,
        }
        return self.link("cohort/present", **query)

    def _join(self, code: str) -> dict[str, str]:
        import segno

        address = self.public_base() + "j/" + shown_join_code(code)
        qr = segno.make(address, error="m").svg_data_uri(scale=10, border=4)
        shown_address = address.split("://", 1)[-1]
        return {"address": shown_address, "code": shown_join_code(code), "qr": qr}


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
        if self.get_body_argument("back", "") == "present":
            # Back with the button focused: a keyboard's place survives the reload.
            self.redirect(
                self.link("cohort/present", c=str(cohort.id), exercise=exercise, toggled="1")
            )
            return
        back = self.link("cohort", key=self.key(), **self.asked_language())
        self.redirect(back + f"#exercise-{exercise}")


_BACK = N_("← Back to the cohort")


class SharedSummaryHandler(_CohortPage):
    """A participant's summary report, for their facilitator, while they share it."""

    @web.authenticated
    async def get(self, ref: str) -> None:
        cohort = await self.cohort()
        if cohort is None:
            return
        participant = await self.participant_by_ref(cohort, ref, sharing=True)
        state = self.state
        self.set_language = cohort.language
        words = self.page_translator()
        back = (self.link("cohort", key=self.key(), **self.asked_language()), words.gettext(_BACK))

        def draw() -> str:
            """The shared summary's HTML; "" when there is none to show."""
            from ..report.build import build_report
            from ..report.render import to_html

            store = state.client_store(participant.id)
            try:
                plans = store.list_plans()
                if not plans:
                    return ""
                return to_html(build_report(store, plans[0].id, words.language), back=back)
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

    @web.authenticated
    async def get(self, ref: str) -> None:
        cohort = await self.cohort()
        if cohort is None:
            return
        participant = await self.participant_by_ref(cohort, ref)
        self.render_form_page(
            "cohort_remove.html",
            cohort=cohort,
            participant=participant,
            action=self.link("cohort/participants", ref, "remove", key=self.key()),
            back=self.link("cohort", key=self.key()) + "#participants",
        )

    @web.authenticated
    async def post(self, ref: str) -> None:
        cohort = await self.cohort()
        if cohort is None:
            return
        participant = await self.participant_by_ref(cohort, ref)
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
        self.redirect(self.link("", key=self.key(), **self.asked_language()) + "#share")


def cohort_handlers(base_url: str) -> list[tuple[str, type, dict[str, Any]]]:
    return [
        (url_path_join(base_url, "cohort/join"), JoinHandler, {}),
        (url_path_join(base_url, r"j/([A-Za-z0-9-]{1,40})"), JoinHandler, {}),
        (url_path_join(base_url, "cohort"), FacilitatorHandler, {}),
        (url_path_join(base_url, "cohort/present"), PresenterHandler, {}),
        (url_path_join(base_url, "cohort/reveal"), RevealHandler, {}),
        (
            url_path_join(base_url, r"cohort/participants/([0-9a-f]{1,40})/summary"),
            SharedSummaryHandler,
            {},
        ),
        (url_path_join(base_url, "cohort/share"), ShareSummaryHandler, {}),
        (
            url_path_join(base_url, r"cohort/participants/([0-9a-f]{1,40})/remove"),
            RemoveParticipantHandler,
            {},
        ),
    ]
