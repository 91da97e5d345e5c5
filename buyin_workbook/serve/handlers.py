"""Pages of the served workbook, and the key check in front of Voila's own pages.

Every page takes the visitor's key from its link (``?key=...``). A client's key opens their
landing page and exercises; a member's key opens only the "About me" page; the coach's key
opens the dashboard. Anything else gets the same refusal page, which names no one.

An exercise page's kernel then belongs to that key (see :mod:`.kernels`): its websocket and
endpoints answer only the browser that opened the page, and only while the key works.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import re
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlencode

from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.services.kernels.handlers import KernelHandler
from jupyter_server.utils import url_path_join
from markupsafe import Markup
from tornado import web
from tornado.log import access_log, app_log
from voila.request_info_handler import RequestInfoSocketHandler
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.static_file_handler import TemplateStaticFileHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from .. import web as web_page
from .._store.keys import hash_key
from ..exercises import EXERCISES
from ..kernel_protocol import KERNEL_DONE_PATH, KERNEL_QUERY_PATH
from ..languages import LANGUAGE_NAMES, N_
from ..pages import FACILITATOR_NOTEBOOK, SUMMARY, Page, member_page, workbook_pages
from ..store import (
    UNAVAILABLE,
    Client,
    ClientNotFound,
    Cohort,
    MemberLink,
    PlanNotFound,
    StoreError,
    WorkbookStore,
)
from ..use_cases.plans import plan_progress
from ..use_cases.visitor import REFUSED
from ..web import FORM_CSP, PAGE_CSP, Told, exercise_page_words
from .kernels import WorkbookKernelManager, access_cookie_name, access_cookie_value

_T = TypeVar("_T")


#: Our own pages load no script and nothing from outside.
#: What a page says when the whole server holds as many page kernels as it may.
FULL = N_(
    "The workbook is full right now: as many pages are open as this server can hold. "
    "Please try again in a minute, when others have closed theirs."
)
TOO_MANY_PAGES = N_(
    "This link already has {count} workbook pages open, the most it may have at "
    "once. Close one of them (or wait a minute after closing it), then reload "
    "this page."
)
_ERRORS = {
    404: N_("There is no such page in this workbook. Please check the link."),
    503: UNAVAILABLE,
    500: N_(
        "Something went wrong on the workbook's server. Your saved answers are safe; please "
        "try again in a moment."
    ),
}
#: The error page's heading, in the visitor's words rather than HTTP's.
_HEADINGS = {
    400: N_("That could not be used"),
    403: N_("This link does not open the workbook"),
    404: N_("No such page"),
    429: N_("Too many pages open"),
    503: N_("The workbook cannot answer just now"),
}
_SOMETHING_WRONG = N_("Something went wrong")
_TEMPLATES = web_page.templates()
#: The pages whose every word is in the catalogues, so they offer the language switch.
TRANSLATED_PAGES = frozenset(
    {
        "cohort_join.html",
        "cohort_closed.html",
        "cohort_present.html",
        "cohort_remove.html",
        "coach.html",
        "facilitator.html",
        "participant.html",
        "landing.html",
        "refused.html",
        "error.html",
    }
)


#: What a page says when the database took too long (another program holding it, say).
BUSY = N_(
    "The workbook's database is busy just now. Nothing you saved is lost; please try again "
    "in a moment."
)


@dataclass
class ServeState:
    """Shared by every handler: the coach's store, one store per client, and the limits.

    The stores are used from a small pool of threads, never on the event loop: a database
    that stalls (a file another program has locked, a server that is slow) holds up only
    the pages that need it, and those answer :data:`BUSY` after ``store_wait`` seconds.
    """

    db_url: str
    #: The folder whose notebooks are served (the packaged exercises, by default).
    root_dir: Path = field(default_factory=lambda: Path("."))
    #: Kernels (open exercise pages) one link may hold at once.
    max_pages_per_link: int = 4
    #: Where the served links start, as ``serve`` prints them (ends with a slash).
    link_base: str = ""
    #: Seconds a page waits for the database before it says it is busy.
    store_wait: float = 10.0
    _coach: WorkbookStore | None = None
    _clients: dict[int, WorkbookStore] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _threads: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(4, thread_name_prefix="workbook-store")
    )

    @property
    def coach(self) -> WorkbookStore:
        with self._lock:
            if self._coach is None:
                self._coach = WorkbookStore(self.db_url).open()
            return self._coach

    def client_store(self, client_id: int) -> WorkbookStore:
        with self._lock:
            if client_id not in self._clients:
                self._clients[client_id] = WorkbookStore(self.db_url, client_id=client_id).open()
            return self._clients[client_id]

    async def run(self, work: Callable[[], _T]) -> _T:
        """``work`` (which uses the stores) on the store's threads; :class:`TimeoutError`
        after ``store_wait`` seconds (the work goes on, and its result is dropped)."""
        future = asyncio.wrap_future(self._threads.submit(work))
        return await asyncio.wait_for(asyncio.shield(future), self.store_wait)

    def serves(self, notebook: str) -> bool:
        """Whether ``notebook`` is a notebook in the served folder (and not outside it)."""
        root = self.root_dir.resolve()
        path = (root / notebook).resolve()
        return path.suffix == ".ipynb" and path.is_file() and root in path.parents

    def close(self) -> None:
        self._threads.shutdown(wait=False, cancel_futures=True)
        for store in [self._coach, *self._clients.values()]:
            if store is not None:
                store.close()


_KERNEL_SECRET_IN_PATH = re.compile(rf"/({KERNEL_QUERY_PATH}|{KERNEL_DONE_PATH})/[^/?]+")
#: A cohort's join code, in the address it is typed at (it joins as the join link does).
_JOIN_CODE_IN_PATH = re.compile(r"/j/[^/?]+$")


def _scrub(uri: str) -> str:
    """An address fit for a log: keys and kernel secrets in it replaced."""
    path, _, query = uri.partition("?")
    path = _KERNEL_SECRET_IN_PATH.sub(r"/\1/[secret]", path)
    path = _JOIN_CODE_IN_PATH.sub("/j/[code]", path)
    if not query:
        return path
    parts = [
        f"{name}=[secret]" if "key" in name else f"{name}{sep}{value}"
        for name, sep, value in (part.partition("=") for part in query.split("&"))
    ]
    return f"{path}?{'&'.join(parts)}"


def log_request(handler: web.RequestHandler) -> None:
    """Tornado's request log, as Jupyter's (successes at debug level), with no secret."""
    status = handler.get_status()
    level = (
        logging.DEBUG
        if status < 300 or status == 304
        else logging.INFO
        if status < 400
        else logging.WARNING
        if status < 500
        else logging.ERROR
    )
    logger = getattr(handler, "log", access_log)
    logger.log(
        level,
        "%d %s %s (%s) %.2fms",
        status,
        handler.request.method,
        _scrub(handler.request.uri or ""),
        handler.request.remote_ip,
        1000.0 * handler.request.request_time(),
    )


class ServedPage(web_page.PageLanguage):
    """What every handler of ``serve`` shares: headers, error pages, logs without keys.

    Mixed in front of the workbook's handlers and of Voila's own page handlers.
    """

    settings: dict[str, Any]
    request: Any

    def page_headers(self) -> None:
        web_page.secure_headers(self)  # type: ignore[arg-type]

    def render_page(
        self, template: str, status: int = 200, *, csp: str = PAGE_CSP, **values: Any
    ) -> None:
        self.set_status(status)  # type: ignore[attr-defined]
        self.finish(self.draw_page(template, csp=csp, **values))  # type: ignore[attr-defined]

    def draw_page(self, template: str, *, csp: str = PAGE_CSP, **values: Any) -> str:
        """The page's HTML, its headers set (the caller sends it)."""
        # A form posts back: same-origin still keeps keys off other sites.
        referrer = "same-origin" if "form-action 'self'" in csp else "no-referrer"
        web_page.secure_headers(self, referrer=referrer)  # type: ignore[arg-type]
        page = values.setdefault("translator", self.page_translator())
        if template in TRANSLATED_PAGES:
            values.setdefault("languages", self.language_links(page.language))
        return web_page.html_page(self, _TEMPLATES, template, csp=csp, **values)  # type: ignore[arg-type]

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """The workbook's own error page: no outside stylesheet, no traceback, no key."""
        error = kwargs.get("exc_info", (None, None, None))[1]
        self.clear_header("Content-Security-Policy")  # type: ignore[attr-defined]
        key = self.get_argument("key", "")  # type: ignore[attr-defined]
        page = self.page_translator()
        self.render_page(
            "error.html",
            status=status_code,
            translator=page,
            heading=page.gettext(_HEADINGS.get(status_code, _SOMETHING_WRONG)),
            message=(
                error.said_in(page)
                if isinstance(error, Told)
                else page.gettext(_ERRORS.get(status_code) or _ERRORS[500])
            ),
            # A way back to the visitor's own page, whose key was fine (a page too many).
            home=(
                url_path_join(self.base_url, "") + "?" + urlencode({"key": key})  # type: ignore[attr-defined]
                if status_code == 429 and key
                else ""
            ),
        )

    def store_failed(self, error: StoreError) -> web.HTTPError:
        """The page for a store that failed: the visitor reads plain words (never where the
        database is or what its driver said); the operator's log has the detail."""
        return web_page.store_problem(error, self.request)

    def _request_summary(self) -> str:
        return f"{self.request.method} {_scrub(self.request.uri)} ({self.request.remote_ip})"

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        # Tornado's own would print the request (address, cookies) beside the traceback.
        if isinstance(value, web.HTTPError):
            return
        getattr(self, "log", app_log).error(
            "Uncaught exception %s", self._request_summary(), exc_info=(typ, value, tb)
        )


class _KeyedPage(ServedPage):
    """The visitor's key and who it belongs to (mixed into a JupyterHandler)."""

    @property
    def state(self) -> ServeState:
        return self.settings["buyin_workbook"]  # type: ignore[no-any-return]

    def key(self) -> str:
        return self.get_argument("key", "")  # type: ignore[attr-defined,no-any-return]

    async def in_store(self, work: Callable[[], _T]) -> _T:
        """``work`` on the store's threads (see :class:`ServeState`), its store errors as
        the page for them, and a busy page if the database takes too long."""
        try:
            return await self.state.run(work)
        except StoreError as error:
            raise self.store_failed(error) from None
        except TimeoutError:
            app_log.warning("%s: the database took too long", self._request_summary())
            raise Told(503, BUSY) from None

    async def visitor(self) -> Client | MemberLink | None:
        key, state = self.key(), self.state

        def find() -> Client | MemberLink | None:
            return state.coach.client_for_key(key) or state.coach.member_link_for_key(key)

        return await self.in_store(find)

    async def cohort_of(self, visitor: Client | MemberLink | None) -> Cohort | None:
        """The cohort of a course participant (``None`` for anyone else)."""
        if not isinstance(visitor, Client) or visitor.cohort_id is None:
            return None
        cohort_id = visitor.cohort_id
        return await self.in_store(lambda: self.state.coach.get_cohort(cohort_id))

    @staticmethod
    def pages_for(cohort: Cohort | None, language: str = "en") -> list[Page]:
        """The pages a client sees: every exercise, or (with a participant's cohort) the
        cohort's and the summary."""
        pages = workbook_pages(language)
        if cohort is None:
            return pages
        return [p for p in pages if p.id in cohort.exercises or p.id == SUMMARY]

    def refuse(self) -> None:
        """The refusal page: the same for a missing, wrong or withdrawn key."""
        page = self.page_translator()
        self.render_page(
            "refused.html",
            status=403,
            translator=page,
            languages=self.language_links(page.language, keep_key=False),
            message=page.gettext(REFUSED),
        )


class WorkbookPage(_KeyedPage, JupyterHandler):
    def link(self, *parts: str, **query: str) -> str:
        return url_path_join(self.base_url, *parts) + "?" + urlencode(query)

    def public_base(self) -> str:
        """Where `serve`'s links point (its public address), ending in "/"."""
        return (
            self.state.link_base or f"{self.request.protocol}://{self.request.host}{self.base_url}"
        )


class LandingHandler(WorkbookPage):
    """A client's home: the exercises, with where each of their plans stands."""

    @web.authenticated
    async def get(self) -> None:
        visitor = await self.visitor()
        if isinstance(visitor, MemberLink):
            self.redirect(self.link("voila/render", member_page(visitor.exercise), key=self.key()))
            return
        if visitor is None:
            self.refuse()
            return
        state, client_id = self.state, visitor.id

        def read() -> tuple[list[Any], bool]:
            store = state.client_store(client_id)
            plans = [
                (
                    plan,
                    {p.id: p.progress for p in plan_progress(store, plan.id, EXERCISES.values())},
                )
                for plan in store.list_plans()
            ]
            return plans, store.shares_summary()

        plans, sharing = await self.in_store(read)
        cohort = await self.cohort_of(visitor)
        self.set_language = visitor.language or (cohort.language if cohort else None)
        words = self.page_translator()
        asked = self.asked_language()
        entries = [
            {
                **asdict(page),
                "href": self.link("voila/render", page.notebook, key=self.key(), **asked),
            }
            for page in self.pages_for(cohort, words.language)
        ]
        if cohort is None:
            self.render_page(
                "landing.html", translator=words, client=visitor, plans=plans, pages=entries
            )
            return
        self.render_page(
            "participant.html",
            translator=words,
            csp=FORM_CSP,
            xsrf=self.xsrf_token.decode("ascii"),
            participant=visitor,
            cohort=cohort,
            plans=plans,
            pages=entries,
            sharing=sharing,
            share_action=self.link("cohort/share", key=self.key(), **asked),
            # Just joined: their private link, said once more on the page it opens.
            private_link=(
                f"{self.public_base()}?{urlencode({'key': self.key()})}"
                if self.get_argument("joined", "") == "1"
                else ""
            ),
        )


_OVERVIEW = N_("Overview")


class NavHandler(_KeyedPage, JupyterHandler):
    """The exercise pages' navigation bar, for the visitor's key (JSON): a client's pages
    and, for a client or a team member, the page in each language."""

    @web.authenticated
    async def get(self) -> None:
        visitor = await self.visitor()
        self.page_headers()
        self.set_header("Content-Type", "application/json")
        if visitor is None:
            self.finish(json.dumps({"links": []}))
            return
        cohort = await self.cohort_of(visitor)
        if isinstance(visitor, Client):
            self.set_language = visitor.language or (cohort.language if cohort else None)
        words = self.page_translator()
        # A client's bar links their pages; a team member's has only their one page, so
        # theirs is the language switch alone.
        links: list[dict[str, str]] = []
        if isinstance(visitor, Client):
            key = self.key()
            # The language asked of the exercise page (?lang=) goes on with its links.
            carried = self.language_query("&")
            links.append(
                {
                    "title": words.gettext(_OVERVIEW),
                    "href": url_path_join(self.base_url, f"?key={key}") + carried,
                }
            )
            links += [
                {
                    "title": page.title,
                    "notebook": page.notebook,
                    "href": url_path_join(self.base_url, "voila/render", page.notebook)
                    + f"?key={key}{carried}",
                }
                for page in self.pages_for(cohort, words.language)
            ]
        languages = [
            {"code": code, "name": name, "current": code == words.language}
            for code, name in LANGUAGE_NAMES.items()
        ]
        self.finish(
            json.dumps(
                {
                    "links": links,
                    **exercise_page_words(words),
                    # The page in each language: the bar's switch keeps what was typed.
                    "languages": languages,
                }
            )
        )


_BACK = N_("← Back to your clients")


class CoachHandler(WorkbookPage):
    """The coach's dashboard: every client, their plans, and where each stands."""

    @web.authenticated
    async def get(self) -> None:
        key, state = self.key(), self.state
        # The coach's own language: the page's ?lang=, else their browser's.
        language = self.page_translator().language
        asked = self.asked_language()

        def read() -> list[Any] | None:
            if not state.coach.is_coach_key(key):
                return None
            rows = []
            for client in state.coach.clients():
                store = state.client_store(client.id)
                plans = [
                    (
                        plan,
                        plan_progress(store, plan.id, EXERCISES.values(), language),
                        self.link(
                            "coach/clients", str(client.id), "plans", str(plan.id), key=key, **asked
                        ),
                    )
                    for plan in store.list_plans()
                ]
                rows.append((client, plans))
            return rows

        rows = await self.in_store(read)
        if rows is None:
            self.refuse()
            return
        titles = [exercise.content(language).title for exercise in EXERCISES.values()]
        command = Markup('<code>jupyter workbook clients add "Dana"</code>')
        self.render_page("coach.html", clients=rows, titles=titles, command_add=command)


class ClientReportHandler(WorkbookPage):
    """One client's summary report, for the coach."""

    @web.authenticated
    async def get(self, client_id: str, plan_id: str) -> None:
        key, state = self.key(), self.state
        words = self.page_translator()
        back = (self.link("coach", key=key, **self.asked_language()), words.gettext(_BACK))

        def draw() -> str | None:
            """The report's HTML; ``None`` for a key that is not the coach's; "" for no such
            client's plan."""
            if not state.coach.is_coach_key(key):
                return None
            from ..report.build import build_report  # charts: only when a report is asked for
            from ..report.render import to_html

            try:
                # A coach's clients only: a course participant's work reaches their
                # facilitator only as the cohort's rules allow (a summary they share).
                client = state.coach.find_client(int(client_id))
                store = state.client_store(client.id)
                plan = store.get_plan(int(plan_id))
            except (PlanNotFound, ClientNotFound):
                return ""
            return to_html(build_report(store, plan.id, words.language), back=back)

        html = await self.in_store(draw)
        if html is None:
            self.refuse()
            return
        if not html:
            raise web.HTTPError(404)
        self.page_headers()
        self.set_header("Content-Security-Policy", PAGE_CSP)
        self.finish(html)


class _ClaimingKernels:
    """The kernel manager as one page request sees it: every kernel it hands the page (from
    the pool or newly started) is bound to the page's key."""

    def __init__(self, manager: WorkbookKernelManager, key_hash: str) -> None:
        self._manager = manager
        self._key_hash = key_hash
        #: The kernels handed to this request's page.
        self.claimed: list[str] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._manager, name)

    async def get_rendered_notebook(self, *args: Any, **kwargs: Any) -> Any:
        render_task, rendered, kernel_id = await self._manager.get_rendered_notebook(  # type: ignore[attr-defined]
            *args, **kwargs
        )
        self._claim(kernel_id)
        return render_task, rendered, kernel_id

    async def start_kernel(self, *args: Any, **kwargs: Any) -> str:
        kernel_id = await self._manager.start_kernel(*args, **kwargs)
        self._claim(kernel_id)
        return kernel_id

    def _claim(self, kernel_id: str) -> None:
        self._manager.bind(kernel_id, self._key_hash)
        if not self.claimed:
            # The page is now counted by the kernel it holds, no longer as one opening (a
            # page counted twice made a crowd on warm kernels look like a full server).
            self._manager.opening(self._key_hash, -1)
        self.claimed.append(kernel_id)


class KeyedVoilaHandler(_KeyedPage, TornadoVoilaHandler):
    """Voila's exercise page, once the key is checked: before any kernel is spent on it."""

    _key_hash: str | None = None
    _claiming: _ClaimingKernels | None = None

    @property
    def kernel_manager(self) -> Any:  # type: ignore[override]
        manager = self.settings["kernel_manager"]
        if self._key_hash is None:
            return manager
        if self._claiming is None:
            self._claiming = _ClaimingKernels(manager, self._key_hash)
        return self._claiming

    async def prepare(self) -> None:  # type: ignore[override]
        await super().prepare()
        if self._finished:
            return
        notebook = self.path_args[0] if self.path_args else ""
        visitor = await self.visitor()
        if visitor is not None and not self.state.serves(notebook):
            raise web.HTTPError(404)
        if isinstance(visitor, MemberLink):
            allowed = notebook == member_page(visitor.exercise)
        elif isinstance(visitor, Client) and visitor.cohort_id is not None:
            # A course participant: the cohort's exercises and the summary, nothing else.
            cohort = await self.cohort_of(visitor)
            allowed = notebook in {page.notebook for page in self.pages_for(cohort)}
        else:  # a coach's client: any served notebook but the facilitator's
            allowed = isinstance(visitor, Client) and Path(notebook).name != FACILITATOR_NOTEBOOK
        if not allowed:
            self.refuse()
            return
        key_hash = hash_key(self.key())
        kernels: WorkbookKernelManager = self.settings["kernel_manager"]
        open_pages = kernels.pages_open(key_hash)
        if open_pages >= self.state.max_pages_per_link:
            raise Told(429, TOO_MANY_PAGES, count=open_pages)
        if kernels.pages_full():
            app_log.warning("%s: the server holds its most page kernels", self._request_summary())
            raise Told(503, FULL)
        kernels.opening(key_hash, +1)
        if isinstance(visitor, Client) and visitor.cohort_id is not None:
            # One of an announced crowd has come (and is served): one warm page fewer to keep.
            kernels.arrived(visitor.cohort_id, visitor.id, notebook)
        self._key_hash = key_hash
        self.page_headers()
        # The page's kernel answers only a browser with this cookie (HttpOnly, this site only).
        self.set_cookie(
            access_cookie_name(key_hash),
            access_cookie_value(self.settings["cookie_secret"], key_hash),
            path=self.base_url,
            httponly=True,
            samesite="Strict",
            secure=self.request.protocol == "https",
        )
        # Voila's page sends this back when its tab closes, so its kernel can be released.
        self.xsrf_token  # noqa: B018 (reading it sets the _xsrf cookie)

    def on_finish(self) -> None:
        if self._key_hash is not None:
            kernels: WorkbookKernelManager = self.settings["kernel_manager"]
            if not (self._claiming and self._claiming.claimed):
                kernels.opening(self._key_hash, -1)
            for kernel_id in self._claiming.claimed if self._claiming else ():
                kernels.page_sent(kernel_id)  # given back if no browser comes for it
        super().on_finish()


class ToLandingHandler(_KeyedPage, JupyterHandler):
    """Voila's folder listing is replaced by the client's landing page."""

    @web.authenticated
    def get(self, *_args: str) -> None:
        self.redirect(url_path_join(self.base_url, f"?{urlencode({'key': self.key()})}"))


class TemplateFilesHandler(ServedPage, TemplateStaticFileHandler):
    """Voila's template files. An address that names none is not found (Voila's own handler
    fails an assertion and answers 500)."""

    def parse_url_path(self, url_path: str) -> str:
        try:
            return str(super().parse_url_path(url_path))
        except (AssertionError, ValueError):
            raise web.HTTPError(404) from None


class NotFoundHandler(ServedPage, JupyterHandler):
    """Any address the workbook does not serve."""

    def prepare(self) -> None:  # type: ignore[override]
        raise web.HTTPError(404)


# -- a page's kernel answers only its own page --------------------------------------------


async def _page_holds_kernel(handler: JupyterHandler, kernel_id: str) -> bool:
    """Whether this request comes from the page that got the kernel, while its key works."""
    kernels: WorkbookKernelManager = handler.settings["kernel_manager"]
    owner = kernels.owner(kernel_id)
    if owner is None:
        return False
    cookie = handler.get_cookie(access_cookie_name(owner)) or ""
    expected = access_cookie_value(handler.settings["cookie_secret"], owner)
    if not hmac.compare_digest(cookie, expected):
        return False
    state: ServeState = handler.settings["buyin_workbook"]
    try:
        return await state.run(lambda: state.coach.link_owner(owner)) is not None
    except (StoreError, TimeoutError):
        return False


class GuardedKernelWebsocketHandler(VoilaKernelWebsocketHandler):
    """The kernel's websocket (every widget's state): only for the page that got it."""

    async def pre_get(self) -> None:
        if not await _page_holds_kernel(self, self.kernel_id):
            raise web.HTTPError(403)
        self.settings["kernel_manager"].connected(self.kernel_id)
        await super().pre_get()

    def _request_summary(self) -> str:
        return ServedPage._request_summary(self)  # type: ignore[arg-type]


class GuardedKernelHandler(ServedPage, KernelHandler):
    """``/api/kernels/<id>``, which Voila's page reads at start: only for its own page."""

    async def prepare(self) -> None:  # type: ignore[override]
        await super().prepare()
        if not await _page_holds_kernel(self, self.path_kwargs["kernel_id"]):
            raise web.HTTPError(403)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        KernelHandler.write_error(self, status_code, **kwargs)


class GuardedShutdownHandler(ServedPage, VoilaShutdownKernelHandler):
    """What Voila's page sends as its tab closes: the kernel goes once it has saved."""

    async def prepare(self) -> None:  # type: ignore[override]
        await super().prepare()
        if not await _page_holds_kernel(self, self.path_kwargs["kernel_id"]):
            raise web.HTTPError(403)

    @web.authenticated
    async def post(self, kernel_id: str) -> None:
        kernels: WorkbookKernelManager = self.settings["kernel_manager"]
        kernels.release_soon(kernel_id)
        self.set_status(204)
        self.finish()

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        VoilaShutdownKernelHandler.write_error(self, status_code, **kwargs)


class KernelQueryHandler(RequestInfoSocketHandler):
    """Where a pre-heated kernel learns its page's address: it must show its secret.

    Voila's own channel (``voila/query/<kernel id>``) answers whoever names the kernel.
    """

    async def get(self, secret: str, kernel_id: str) -> None:  # type: ignore[override]
        kernels: WorkbookKernelManager = self.settings["kernel_manager"]
        if not kernels.secret_matches(kernel_id, secret):
            self.set_status(403)
            self.finish()
            return
        await super().get(secret, kernel_id)

    def open(self, secret: str, kernel_id: str) -> None:  # type: ignore[override]
        super().open(kernel_id)
        # Sent (or still to come): the address is not kept once the kernel has it.
        if kernel_id in self._waiters:
            RequestInfoSocketHandler._cache.pop(kernel_id, None)

    def _request_summary(self) -> str:
        return f"{self.request.method} {KERNEL_QUERY_PATH} ({self.request.remote_ip})"


class KernelDoneHandler(web.RequestHandler):
    """A kernel, showing its secret, says its page has closed and all it sent is saved."""

    def check_xsrf_cookie(self) -> None:
        """A kernel has no cookie: its secret, in the path, is what proves who it is."""

    def post(self, secret: str, kernel_id: str) -> None:
        kernels: WorkbookKernelManager = self.settings["kernel_manager"]
        if not kernels.secret_matches(kernel_id, secret):
            raise web.HTTPError(403)
        kernels.release_soon(kernel_id, saved=True)
        self.set_status(204)

    def _request_summary(self) -> str:
        return f"{self.request.method} {KERNEL_DONE_PATH} ({self.request.remote_ip})"


def kernel_routes(server_url: str, kernel_id_regex: str) -> list[tuple[str, type, dict]]:
    """The kernel endpoints ``serve`` guards, in place of Voila's open ones."""
    return [
        (url_path_join(server_url, rf"/api/kernels/{kernel_id_regex}"), GuardedKernelHandler, {}),
        (
            url_path_join(server_url, rf"/api/kernels/{kernel_id_regex}/channels"),
            GuardedKernelWebsocketHandler,
            {},
        ),
        (
            url_path_join(server_url, rf"/voila/api/shutdown/{kernel_id_regex}"),
            GuardedShutdownHandler,
            {},
        ),
        (
            url_path_join(server_url, rf"/{KERNEL_QUERY_PATH}/(?P<secret>[^/]+)/{kernel_id_regex}"),
            KernelQueryHandler,
            {},
        ),
        (
            url_path_join(server_url, rf"/{KERNEL_DONE_PATH}/(?P<secret>[^/]+)/{kernel_id_regex}"),
            KernelDoneHandler,
            {},
        ),
    ]


def workbook_handlers(base_url: str) -> list[tuple[str, type, dict[str, Any]]]:
    """The routes ``jupyter workbook serve`` puts in front of Voila's."""
    return [
        (base_url, LandingHandler, {}),
        (url_path_join(base_url, "buyin/nav"), NavHandler, {}),
        (url_path_join(base_url, "coach"), CoachHandler, {}),
        (
            url_path_join(base_url, r"coach/clients/(\d{1,18})/plans/(\d{1,18})"),
            ClientReportHandler,
            {},
        ),
        (url_path_join(base_url, r"voila/tree(.*)"), ToLandingHandler, {}),
    ]


__all__ = [
    "NotFoundHandler",
    "ServeState",
    "ServedPage",
    "TemplateFilesHandler",
    "kernel_routes",
    "log_request",
    "workbook_handlers",
]
