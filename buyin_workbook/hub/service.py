"""The cohort service: a JupyterHub service in front of the cohorts' shared store.

Who is who comes from the hub. A cohort is a hub group (by default those named
``cohort-...``); a participant is a member of it; a facilitator holds the facilitator scope
(``custom:workbook:facilitate``, for every cohort or ``!group=...`` for one). Browsers log
in through the hub (HubOAuth); a participant's workbook calls the API with the user's own
hub token. Only anonymous measures arrive (checked against what each exercise declares), and
figures leave under the cohorts' rules (:mod:`buyin_workbook.cohorts`).
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jupyterhub.services.auth import HubOAuth, HubOAuthCallbackHandler, HubOAuthenticated
from tornado import web
from tornado.log import app_log

from .. import web as web_page
from ..exercises import EXERCISES
from ..languages import N_
from ..store import Cohort, StoreError, WorkbookStore

#: Participants listed on one page of a dashboard (a course can have thousands).
PAGE_SIZE = 50
#: The last page a dashboard's ``?page=`` asks for (50 million participants).
MAX_PAGE = 1_000_000
#: A request's body is at most this (an exercise's measures are well under 10 KB): a bigger
#: one gets 413 in words. Over :data:`BODY_HARD_LIMIT` the server closes the connection
#: before reading it, so no one's upload stalls another's page.
BODY_MAX_BYTES = 64 * 1024
BODY_HARD_LIMIT = 1024 * 1024
#: The page's security: no script at all, forms only to this service, and no other page may
#: frame it (a notebook's output on the same hub cannot put the dashboard under its clicks).
# The service's pages share the served workbook's base page and styles.
_TEMPLATES = web_page.templates(Path(__file__).with_name("templates"), strict=False)


_MESSAGES = {
    403: N_(
        "This page is for the course's facilitators. Your own results are in your "
        "workbook, in JupyterLab."
    ),
    404: N_("There is no such page in the cohort service."),
    503: N_(
        "The cohort service cannot reach its database just now. Nothing was lost; please "
        "try again in a moment."
    ),
}
_SOMETHING_WRONG = N_("Something went wrong in the cohort service. Please try again.")


class Refused(web_page.Told):
    """A request refused, with why in the visitor's words."""

    def __init__(self, message: str, status: int = 403) -> None:
        super().__init__(status, message)


NOT_IN_COHORT = N_(
    "You are not a participant of that cohort. Your hub account's groups say which cohorts "
    "you are in."
)


NOT_STARTED = N_(
    "No participant of that cohort has reached the cohort service yet. Its page fills in "
    "once their workbooks send their first figures (check the group's name if you expected "
    "some already)."
)


class Scrubber:
    """Rewrites the store's files after take-backs, in the background and one at a time, so
    a take-back answers at once (PostgreSQL's rewrite of the tables takes about a second
    with 20,000 participants, and would hold up every other request) while no deleted row
    stays in the files more than ``within`` seconds (plus one rewrite's time)."""

    def __init__(self, store: WorkbookStore, within: float) -> None:
        self.store = store
        self.within = within
        self._due: asyncio.TimerHandle | None = None
        self._running = asyncio.Lock()

    def soon(self) -> None:
        """Scrub within ``within`` seconds (take-backs in the meantime share the scrub)."""
        if self._due is None:
            loop = asyncio.get_running_loop()
            self._due = loop.call_later(self.within, lambda: asyncio.ensure_future(self.run()))

    async def run(self) -> None:
        self._due = None
        async with self._running:
            try:
                await asyncio.get_running_loop().run_in_executor(None, self.store.scrub_erased)
            except StoreError as error:
                app_log.error("Could not scrub erased rows from the database: %s", error)
                self.soon()  # and again, until it can


@dataclass
class ServiceSettings:
    """What the cohort service needs to know (set by its command's options)."""

    store: WorkbookStore
    exercises: tuple[str, ...]
    min_group: int
    facilitator_scope: str
    group_prefix: str
    #: Where the hub's proxy sends the service's requests (``$JUPYTERHUB_SERVICE_PREFIX``).
    prefix: str = "/services/workbook/"
    #: Seconds the hub's answer about a user (their groups, scopes, token) is trusted.
    auth_cache_seconds: int = 60
    #: Seconds within which a take-back's rows are scrubbed from the database's files.
    scrub_within: float = 30.0
    scrubber: Scrubber | None = None

    def __post_init__(self) -> None:
        if self.scrubber is None:
            self.scrubber = Scrubber(self.store, self.scrub_within)


class _Handler(web_page.PageLanguage, HubOAuthenticated, web.RequestHandler):
    """A page or call of the service; its pages speak the visitor's language (``?lang=``,
    else their browser's)."""

    def initialize(self, hub_auth: HubOAuth) -> None:
        # The service's own HubOAuth (HubOAuthenticated would take the process's singleton,
        # which trusts the hub's answer for five minutes, not the service's setting).
        self.hub_auth = hub_auth

    async def prepare(self) -> None:
        # Ask the hub who this is without blocking the service (its check is cached on
        # the handler, so `current_user` below reads the answer).
        await self.hub_auth.get_user(self, sync=False)

    @property
    def settings_(self) -> ServiceSettings:
        return self.application.settings["workbook"]  # type: ignore[no-any-return]

    @property
    def store(self) -> WorkbookStore:
        return self.settings_.store

    def user(self) -> dict[str, Any]:
        """The hub's model of the visitor (name, groups, scopes); 403 without one."""
        model = self.current_user
        # A service's token has no groups and facilitates nothing: people only.
        if not model or model.get("kind", "user") != "user":
            raise web.HTTPError(403)
        return model  # type: ignore[no-any-return]

    def is_cohort_group(self, group: str) -> bool:
        return group.startswith(self.settings_.group_prefix)

    def cohorts_of(self, user: dict[str, Any]) -> list[str]:
        """The cohorts the user takes part in: their hub groups that are cohorts."""
        return sorted(g for g in user.get("groups") or [] if self.is_cohort_group(g))

    def facilitates(self, user: dict[str, Any], group: str) -> bool:
        scope = self.settings_.facilitator_scope
        held = set(user.get("scopes") or [])
        return self.is_cohort_group(group) and (scope in held or f"{scope}!group={group}" in held)

    def facilitated(self, user: dict[str, Any]) -> list[str] | None:
        """The cohorts the user facilitates; ``None``: every cohort (an unfiltered scope)."""
        scope = self.settings_.facilitator_scope
        held = user.get("scopes") or []
        if scope in held:
            return None
        prefix = f"{scope}!group="
        return sorted(s.removeprefix(prefix) for s in held if s.startswith(prefix))

    def cohort(self, group: str) -> Cohort:
        """The group's cohort, made when one of its participants first reaches the service."""
        return self.store.hub_cohort(group, self.settings_.exercises, self.settings_.min_group)

    def facilitated_cohort(self, user: dict[str, Any], group: str) -> Cohort:
        """A cohort the user facilitates, once its participants have reached the service (a
        facilitator's visit makes nothing: a mistyped group name stays a 404)."""
        if not self.facilitates(user, group):
            raise web.HTTPError(403)
        cohort = self.store.find_hub_cohort(group)
        if cohort is None:
            raise Refused(NOT_STARTED, 404)
        return cohort

    def set_default_headers(self) -> None:
        # Its facilitators' forms post back (Reveal, Hide): same-origin, as serve's forms.
        web_page.secure_headers(self, referrer="same-origin")

    def render_page(self, template: str, status: int = 200, **values: Any) -> None:
        self.set_status(status)
        page = self.page_translator()
        self.finish(
            web_page.html_page(
                self,
                _TEMPLATES,
                template,
                csp=web_page.FORM_CSP,
                base=self.settings_.prefix,
                translator=page,
                languages=self.language_links(page.language),
                # The links and forms a page makes keep a language its address chose.
                query=self.language_query(),
                lang_query=self.language_query("&"),
                **values,
            )
        )

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        error = kwargs.get("exc_info", (None, None, None))[1]
        told = (
            web_page.Told(status_code, _MESSAGES[503])  # the service's own words for its database
            if isinstance(error, web_page.StoreUnavailable)
            else error
            if isinstance(error, web_page.Told)
            else web_page.Told(status_code, _MESSAGES.get(status_code, _SOMETHING_WRONG))
        )
        if self.request.path.startswith(self.settings_.prefix + "api/"):
            # The English, and its words and blanks: the participant's page says it in
            # their own language.
            said = told.said
            values = {k: v if isinstance(v, int) else str(v) for k, v in said.values.items()}
            self.finish({"error": told.message, "words": said.words, "values": values})
            return
        words = self.page_translator()
        self.render_page("hub_error.html", status=status_code, message=told.said_in(words))


class IndexHandler(_Handler):
    """A facilitator's cohorts; anyone else is told where their own results are."""

    @web.authenticated
    @web_page.store_errors
    def get(self) -> None:
        user = self.user()
        facilitated = self.facilitated(user)
        if facilitated is not None and not facilitated:
            raise web.HTTPError(403)
        known = [c.hub_group for c in self.store.cohorts() if c.hub_group]
        groups = sorted(
            g
            for g in set(known) | set(facilitated or ())
            if self.is_cohort_group(g) and (facilitated is None or g in facilitated)
        )
        self.render_page("hub_index.html", user=user["name"], groups=groups)


class DashboardHandler(_Handler):
    """A cohort's dashboard: who has sent which exercise, and the figures under the rules."""

    @web.authenticated
    @web_page.store_errors
    def get(self, group: str) -> None:
        cohort = self.facilitated_cohort(self.user(), group)
        from ..cohorts import dashboard
        from ..use_cases.cohorts.render import STYLE

        try:
            # Bounded: a page number past any course's end is not a database problem.
            page = min(max(1, int(self.get_query_argument("page", "1"))), MAX_PAGE)
        except ValueError:
            page = 1
        shown = dashboard(self.store, cohort, page=page, language=self.page_translator().language)
        self.render_page(
            "hub_dashboard.html",
            cohort=cohort,
            total=shown.total,
            sent=shown.sent,
            participants=shown.progress,
            page=shown.page,
            pages=shown.pages,
            exercises=shown.sections,
            xsrf=self.xsrf_token.decode("ascii"),
            cohort_style=STYLE,
        )


class RevealHandler(_Handler):
    """Reveal an exercise's figures to the whole cohort at once, or hide them again."""

    @web.authenticated
    @web_page.store_errors
    def post(self, group: str) -> None:
        cohort = self.facilitated_cohort(self.user(), group)
        exercise = self.get_body_argument("exercise", "")
        if exercise not in cohort.exercises:
            raise web.HTTPError(404)
        self.store.set_revealed(cohort.id, exercise, self.get_body_argument("reveal", "") == "1")
        self.redirect(
            f"{self.settings_.prefix}cohorts/{group}{self.language_query()}#exercise-{exercise}"
        )


class _ApiHandler(_Handler):
    """The API answers with JSON and is called with a hub token, never a page's cookie."""

    def check_xsrf_cookie(self) -> None:
        # A token in the Authorization header cannot be sent by another site's page.
        if not self.request.headers.get("Authorization", "").startswith(("token ", "Bearer ")):
            raise web.HTTPError(403, reason="Call the API with a hub token")

    def participant_of(self, group: str) -> tuple[dict[str, Any], Cohort]:
        user = self.user()
        if group not in self.cohorts_of(user):
            raise Refused(NOT_IN_COHORT)
        return user, self.cohort(group)


class MeHandler(_ApiHandler):
    """Who the hub says the caller is, and their cohorts with what each has revealed."""

    @web_page.store_errors
    def get(self) -> None:
        user = self.user()
        cohorts = []
        for group in self.cohorts_of(user):
            cohort = self.cohort(group)
            revealed = sorted(self.store.revealed(cohort.id))
            cohorts.append(
                {
                    "group": group,
                    "exercises": list(cohort.exercises),
                    "min_group": cohort.min_group,
                    "revealed": revealed,
                }
            )
        self.finish({"name": user["name"], "cohorts": cohorts})


_TOO_BIG = N_("The measures are over {size} KB.")
_TOO_DEEP = N_("Send JSON nested no deeper than the measures need.")
_NOT_JSON = N_("Send JSON: an object whose “measures” are the exercise's measure ids and values.")


class MeasuresHandler(_ApiHandler):
    """A participant's workbook sends an exercise's anonymous measures (PUT), or takes
    everything it sent back (DELETE on the cohort)."""

    @web_page.store_errors
    def put(self, group: str, exercise: str) -> None:
        from ..use_cases.cohorts.figures import MeasuresRefused, measure_rows, received

        user, cohort = self.participant_of(group)
        if exercise not in cohort.exercises:
            raise web.HTTPError(404)
        if len(self.request.body) > BODY_MAX_BYTES:
            raise web_page.Told(413, _TOO_BIG, size=BODY_MAX_BYTES // 1024)
        # The workbook never sends these: a refusal still says why, in words and blanks.
        try:
            body = json.loads(self.request.body or b"null")
            measures = received(EXERCISES[exercise].content().cohort, body.get("measures"))
        except MeasuresRefused as error:
            raise web_page.Told.about(400, error) from None
        except RecursionError:
            raise web_page.Told(400, _TOO_DEEP) from None
        except (ValueError, AttributeError):
            raise web_page.Told(400, _NOT_JSON) from None
        participant = self.store.hub_participant(cohort.id, user["name"])
        rows = measure_rows(EXERCISES[exercise].content().cohort, measures)
        self.store.send_values(cohort.id, participant.id, exercise, measures, rows)
        self.set_status(204)
        self.finish()

    @web_page.store_errors
    def delete(self, group: str, exercise: str = "") -> None:
        user, cohort = self.participant_of(group)
        if self.store.erase_hub_participant(cohort.id, user["name"], scrub=False):
            assert self.settings_.scrubber is not None
            self.settings_.scrubber.soon()
        self.set_status(204)
        self.finish()


class ResultsHandler(_ApiHandler):
    """What a participant may see of an exercise: nothing before the reveal, then the
    figures last released, with no one's id."""

    @web_page.store_errors
    def get(self, group: str, exercise: str) -> None:
        from ..cohorts import exercise_results

        user, cohort = self.participant_of(group)
        if exercise not in cohort.exercises:
            raise web.HTTPError(404)
        revealed = exercise in self.store.revealed(cohort.id)
        results = exercise_results(self.store, cohort, exercise, release=False)
        if not revealed or results.release is None:
            self.finish({"exercise": exercise, "revealed": revealed, "figures": None})
            return
        drawn = results.release.contributors
        self.finish(
            {
                "exercise": exercise,
                "revealed": True,
                "released_at": results.release.released_at,
                "finished": results.finished,
                "min_group": cohort.min_group,
                "figures": _public_cells(results.release.cells),
                # Whether the asker's own figures are in these (said to them alone, of
                # themselves), so their page marks their own only when they are.
                "counted": any(
                    p.alias == user["name"] and p.id in drawn
                    for p in self.store.participants(cohort.id)
                ),
            }
        )


class FiguresHandler(_ApiHandler):
    """The facilitator's figures of every exercise, as released, as JSON (for charts); with
    ``?answers=1``, each with the answers behind it as counts per value (for exports: their
    size grows with how many different answers were given, the charts' does not)."""

    @web_page.store_errors
    def get(self, group: str) -> None:
        from ..cohorts import exercise_results

        cohort = self.facilitated_cohort(self.user(), group)
        answers = self.get_argument("answers", "") == "1"
        exercises = {}
        for exercise in cohort.exercises:
            results = exercise_results(self.store, cohort, exercise)
            exercises[exercise] = {
                "finished": results.finished,
                "waiting": results.waiting.message() if results.waiting else None,
                "figures": (
                    _public_cells(results.release.cells, answers=answers)
                    if results.release
                    else None
                ),
            }
        self.finish({"cohort": group, "min_group": cohort.min_group, "exercises": exercises})


def _public_cells(cells: dict[str, Any], *, answers: bool = False) -> dict[str, Any]:
    """A release's figures without who contributed (ids stay in the service's store); with
    ``answers`` (the facilitator's API, for charts and exports), the answers behind each
    figure too, as counts per value."""
    public: dict[str, Any] = {}
    for key, cell in cells.items():
        if "value" not in cell:
            public[key] = {"withheld": cell["withheld"]}
            continue
        public[key] = {"value": cell["value"]}
        if answers and "answers" in cell:
            public[key]["answers"] = [
                {"item": item, "value": value, "people": people}
                for item, value, people in cell["answers"]
            ]
    return public


class _OAuthCallback(HubOAuthCallbackHandler):
    def initialize(self, hub_auth: HubOAuth) -> None:
        self.hub_auth = hub_auth


def make_app(settings: ServiceSettings, cookie_secret: bytes) -> web.Application:
    """The service's tornado application, under the hub's service prefix."""
    prefix = settings.prefix
    name = r"([^/]+)"
    # Every handler asks the hub through this one: its answer about a user is reused for
    # ``auth_cache_seconds`` (a minute), so someone taken out of a cohort's group, a role
    # taken away or a token revoked stops working within that time.
    auth = {"hub_auth": HubOAuth(cache_max_age=settings.auth_cache_seconds)}
    routes: list[Any] = [
        (prefix, IndexHandler, auth),
        (prefix + "oauth_callback", _OAuthCallback, auth),
        (prefix + f"cohorts/{name}", DashboardHandler, auth),
        (prefix + f"cohorts/{name}/reveal", RevealHandler, auth),
        (prefix + "api/me", MeHandler, auth),
        (prefix + f"api/cohorts/{name}/measures", MeasuresHandler, auth),
        (prefix + f"api/cohorts/{name}/measures/{name}", MeasuresHandler, auth),
        (prefix + f"api/cohorts/{name}/results/{name}", ResultsHandler, auth),
        (prefix + f"api/cohorts/{name}/figures", FiguresHandler, auth),
    ]
    return web.Application(
        routes, workbook=settings, cookie_secret=cookie_secret, xsrf_cookies=True
    )
