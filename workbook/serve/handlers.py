"""Pages of the served workbook, and the key check in front of Voila's own pages.

Every page takes the visitor's key from its link (``?key=...``). A client's key opens their
landing page and exercises; a member's key opens only the "About me" page; the coach's key
opens the dashboard. Anything else gets the same refusal page, which names no one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.utils import url_path_join
from tornado import web
from voila.tornado.handler import TornadoVoilaHandler

from .._version import __version__
from ..access import REFUSED
from ..exercises import EXERCISES, plan_progress
from ..report.build import build_report
from ..report.render import to_html
from ..server.handlers import exercise_list
from ..store import Client, MemberLink, PlanNotFound, StoreError, WorkbookStore

ABOUT_ME = "about-me.ipynb"
#: Our own pages load no script and nothing from outside.
PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'"
_TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).with_name("templates")),
    autoescape=True, undefined=jinja2.StrictUndefined)


@dataclass
class ServeState:
    """Shared by every handler: the coach's store, and one store per client."""

    db_url: str
    _coach: WorkbookStore | None = None
    _clients: dict[int, WorkbookStore] = field(default_factory=dict)

    @property
    def coach(self) -> WorkbookStore:
        if self._coach is None:
            self._coach = WorkbookStore(self.db_url).open()
        return self._coach

    def client_store(self, client_id: int) -> WorkbookStore:
        if client_id not in self._clients:
            self._clients[client_id] = WorkbookStore(self.db_url, client_id=client_id).open()
        return self._clients[client_id]

    def close(self) -> None:
        for store in [self._coach, *self._clients.values()]:
            if store is not None:
                store.close()


class _KeyedPage:
    """The visitor's key and who it belongs to (mixed into a JupyterHandler)."""

    settings: dict[str, Any]
    request: Any

    @property
    def state(self) -> ServeState:
        return self.settings["buyin_workbook"]  # type: ignore[no-any-return]

    def key(self) -> str:
        return self.get_argument("key", "")  # type: ignore[attr-defined,no-any-return]

    def visitor(self) -> Client | MemberLink | None:
        try:
            key = self.key()
            return self.state.coach.client_for_key(key) or self.state.coach.member_link_for_key(key)
        except StoreError as error:
            raise web.HTTPError(503, str(error)) from None

    def page_headers(self) -> None:
        set_header = self.set_header  # type: ignore[attr-defined]
        # Keys travel in links: never pass the address on, never keep the page.
        set_header("Referrer-Policy", "no-referrer")
        set_header("Cache-Control", "no-store")
        set_header("X-Content-Type-Options", "nosniff")

    def refuse(self) -> None:
        """The refusal page: the same for a missing, wrong or withdrawn key."""
        self.page_headers()
        self.set_status(403)  # type: ignore[attr-defined]
        self.set_header("Content-Security-Policy", PAGE_CSP)  # type: ignore[attr-defined]
        self.finish(_TEMPLATES.get_template("refused.html").render(  # type: ignore[attr-defined]
            message=REFUSED, version=__version__))


class _Page(_KeyedPage, JupyterHandler):
    def render(self, template: str, **values: Any) -> None:  # type: ignore[override]
        self.page_headers()
        self.set_header("Content-Security-Policy", PAGE_CSP)
        self.finish(_TEMPLATES.get_template(template).render(version=__version__, **values))

    def link(self, *parts: str, **query: str) -> str:
        return url_path_join(self.base_url, *parts) + "?" + urlencode(query)


class LandingHandler(_Page):
    """A client's home: the exercises, with where each of their plans stands."""

    @web.authenticated
    def get(self) -> None:
        visitor = self.visitor()
        if isinstance(visitor, MemberLink):
            self.redirect(self.link("voila/render", ABOUT_ME, key=self.key()))
            return
        if visitor is None:
            self.refuse()
            return
        store = self.state.client_store(visitor.id)
        plans = [(plan, {p.id: p.progress for p in plan_progress(store, plan.id)})
                 for plan in store.list_plans()]
        entries = [{**page, "href": self.link("voila/render", page["notebook"], key=self.key())}
                   for page in exercise_list()]
        self.render("landing.html", client=visitor, plans=plans, pages=entries)


class NavHandler(_KeyedPage, JupyterHandler):
    """The exercise pages' navigation bar, for the visitor's key (JSON)."""

    @web.authenticated
    def get(self) -> None:
        visitor = self.visitor()
        self.page_headers()
        self.set_header("Content-Type", "application/json")
        if not isinstance(visitor, Client):
            self.finish(json.dumps({"links": []}))
            return
        key = self.key()
        links = [{"title": "Overview", "href": url_path_join(self.base_url, f"?key={key}")}]
        links += [{"title": page["title"], "notebook": page["notebook"],
                   "href": url_path_join(self.base_url, "voila/render", page["notebook"])
                   + f"?key={key}"} for page in exercise_list()]
        self.finish(json.dumps({"links": links}))


class CoachHandler(_Page):
    """The coach's dashboard: every client, their plans, and where each stands."""

    @web.authenticated
    def get(self) -> None:
        try:
            if not self.state.coach.is_coach_key(self.key()):
                self.refuse()
                return
            rows = []
            for client in self.state.coach.clients():
                store = self.state.client_store(client.id)
                plans = [(plan, plan_progress(store, plan.id),
                          self.link("coach/clients", str(client.id), "plans", str(plan.id),
                                    key=self.key()))
                         for plan in store.list_plans()]
                rows.append((client, plans))
        except StoreError as error:
            raise web.HTTPError(503, str(error)) from None
        self.render("coach.html", clients=rows, exercises=list(EXERCISES.values()))


class ClientReportHandler(_Page):
    """One client's summary report, for the coach."""

    @web.authenticated
    def get(self, client_id: str, plan_id: str) -> None:
        if not self.state.coach.is_coach_key(self.key()):
            self.refuse()
            return
        try:
            store = self.state.client_store(int(client_id))
            html = to_html(build_report(store, store.get_plan(int(plan_id)).id))
        except PlanNotFound:
            raise web.HTTPError(404, "That client has no such plan.") from None
        self.page_headers()
        self.set_header("Content-Security-Policy", PAGE_CSP)
        self.finish(html)


class KeyedVoilaHandler(_KeyedPage, TornadoVoilaHandler):
    """Voila's exercise page, once the key is checked: before any kernel is spent on it."""

    async def prepare(self) -> None:  # type: ignore[override]
        await super().prepare()
        if self._finished:
            return
        notebook = self.path_args[0] if self.path_args else ""
        visitor = self.visitor()
        allowed = (isinstance(visitor, Client)
                   or (isinstance(visitor, MemberLink) and notebook == ABOUT_ME))
        if not allowed:
            self.refuse()
            return
        self.page_headers()


class ToLandingHandler(_KeyedPage, JupyterHandler):
    """Voila's folder listing is replaced by the client's landing page."""

    @web.authenticated
    def get(self, *_args: str) -> None:
        self.redirect(url_path_join(self.base_url, f"?{urlencode({'key': self.key()})}"))


def workbook_handlers(base_url: str) -> list[tuple[str, type, dict[str, Any]]]:
    """The routes ``jupyter workbook serve`` puts in front of Voila's."""
    return [
        (base_url, LandingHandler, {}),
        (url_path_join(base_url, "buyin/nav"), NavHandler, {}),
        (url_path_join(base_url, "coach"), CoachHandler, {}),
        (url_path_join(base_url, r"coach/clients/(\d+)/plans/(\d+)"), ClientReportHandler, {}),
        (url_path_join(base_url, r"voila/tree(.*)"), ToLandingHandler, {}),
    ]
