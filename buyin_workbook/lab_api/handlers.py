"""REST handlers of the server extension (JSON in and out, except the HTML report)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import PurePosixPath
from typing import Any

from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import APIHandler, JupyterHandler
from jupyter_server.utils import ensure_async
from tornado import web

from ..config import WorkbookConfig, leader_language
from ..exercises import EXERCISES
from ..languages import N_, translator
from ..pages import lab_pages, notebook_in
from ..store import PlanNotFound, StoreError, WorkbookStore
from ..use_cases.plans import plan_progress
from ..web import DOCUMENT_CSP, Told, exercise_page_words, store_errors, store_problem

API_PREFIX = "buyin-workbook/api"
#: Where a user's own copies of the exercises go, under the server root.
COPIES_FOLDER = "buyin-workbook"
AUTH_RESOURCE = "buyin-workbook"

#: The API's bodies are a few names and ids: anything bigger is refused unread.
BODY_MAX_BYTES = 64 * 1024


_TOO_BIG = N_("The request body is over {size} KB.")
_NOT_JSON = N_("The request body is not JSON.")
_TOO_DEEP = N_("The request body is nested too deeply.")
_NOT_AN_OBJECT = N_("The request body must be a JSON object.")
_NO_PLAN = N_("No plan {plan}.")
_UNKNOWN_EXERCISE = N_("Unknown exercise {exercise}; choose from {exercises}.")
_FOLDER_OUTSIDE = N_("The folder must be a path inside the server's root.")

#: A store's problem answers in the user's terms: a missing plan 404, bad text 400, a
#: damaged, read-only or full database 503 with its detail (the leader runs this server).
_store_errors = store_errors(operator=True)


class _WorkbookMixin(JupyterHandler):
    """Shared by every endpoint: the store, JSON bodies, and errors in the user's terms."""

    auth_resource = AUTH_RESOURCE

    def initialize(self, store: WorkbookStore, config: WorkbookConfig | None = None) -> None:
        self._store = store
        self.workbook_config = config

    @property
    def store(self) -> WorkbookStore:
        """The open store; a damaged or newer database answers 503 with its message."""
        try:
            return self._store.open()
        except StoreError as error:
            raise store_problem(error, self.request, operator=True) from None

    def json_body(self) -> dict[str, Any]:
        if len(self.request.body) > BODY_MAX_BYTES:
            raise Told(413, _TOO_BIG, size=BODY_MAX_BYTES // 1024)
        try:
            body = json.loads(self.request.body or b"{}")
        except ValueError:
            raise Told(400, _NOT_JSON) from None
        except RecursionError:
            raise Told(400, _TOO_DEEP) from None
        if not isinstance(body, dict):
            raise Told(400, _NOT_AN_OBJECT)
        return body

    def plan_or_404(self, plan_id: str) -> Any:
        try:
            return self.store.get_plan(int(plan_id))
        except PlanNotFound:
            raise Told(404, _NO_PLAN, plan=plan_id) from None


class WorkbookHandler(_WorkbookMixin, APIHandler):
    """A JSON endpoint: errors come back as ``{"message": ...}``, the workbook's own in the
    leader's language (the sidebar and JupyterLab's dialogs show them)."""

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        error = kwargs.get("exc_info", (None, None, None))[1]
        if not isinstance(error, Told):
            super().write_error(status_code, **kwargs)
            return
        words = translator(leader_language(self.workbook_config))
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"message": error.said_in(words), "reason": error.reason}))


class ExercisesHandler(WorkbookHandler):
    @web.authenticated
    @authorized
    @_store_errors
    async def get(self) -> None:
        # Named in the language chosen in JupyterLab's settings (the launcher's cards).
        language = leader_language(self.workbook_config)
        self.finish(json.dumps({"exercises": [asdict(page) for page in lab_pages(language)]}))


class PageWordsHandler(WorkbookHandler):
    """The words of an exercise opened as an app ("Open as app": Voila in this server, with
    no key to ask ``serve`` for its bar): its skip link and landmarks, in JupyterLab's
    language."""

    @web.authenticated
    @authorized
    async def get(self) -> None:
        words = translator(leader_language(self.workbook_config))
        self.finish(json.dumps(exercise_page_words(words)))


class PlansHandler(WorkbookHandler):
    @web.authenticated
    @authorized
    @_store_errors
    async def get(self) -> None:
        current = self.store.last_plan()
        # The exercises named as the launcher's cards name them (JupyterLab's language).
        language = leader_language(self.workbook_config)
        plans = []
        for plan in self.store.list_plans():
            exercises = [
                {
                    "id": p.id,
                    "title": p.title,
                    "progress": p.progress,
                    "last_changed": p.last_changed,
                }
                for p in plan_progress(self.store, plan.id, EXERCISES.values(), language)
            ]
            plans.append(
                {
                    "id": plan.id,
                    "name": plan.name,
                    "updated_at": plan.updated_at,
                    "current": current is not None and current.id == plan.id,
                    "exercises": exercises,
                }
            )
        self.finish(json.dumps({"plans": plans}))

    @web.authenticated
    @authorized
    @_store_errors
    async def post(self) -> None:
        plan = self.store.create_plan(self.json_body().get("name", ""))
        self.set_status(201)
        self.finish(json.dumps({"plan": {"id": plan.id, "name": plan.name}}))


class CurrentPlanHandler(WorkbookHandler):
    @web.authenticated
    @authorized
    @_store_errors
    async def put(self, plan_id: str) -> None:
        plan = self.plan_or_404(plan_id)
        self.store.remember_plan(plan.id)
        self.finish(json.dumps({"plan": {"id": plan.id, "name": plan.name}}))


class CopiesHandler(WorkbookHandler):
    """The user's own copy of an exercise notebook; an existing copy is never overwritten."""

    @web.authenticated
    @authorized
    @_store_errors
    async def post(self) -> None:
        body = self.json_body()
        notebooks = {page.id: page.notebook for page in lab_pages()}
        exercise = body.get("exercise")
        if exercise not in notebooks:
            raise Told(
                400, _UNKNOWN_EXERCISE, exercise=repr(exercise)[:80], exercises=", ".join(notebooks)
            )
        folder = body.get("folder", COPIES_FOLDER)
        if (
            not isinstance(folder, str)
            or not folder.strip("/")
            or folder.startswith("/")
            or ".." in PurePosixPath(folder).parts
            or "\\" in folder
        ):
            raise Told(400, _FOLDER_OUTSIDE)
        path = f"{folder.strip('/')}/{notebooks[exercise]}"
        manager = self.contents_manager
        if await ensure_async(manager.file_exists(path)):
            self.finish(json.dumps({"path": path, "created": False}))
            return
        parent = ""
        for part in PurePosixPath(folder.strip("/")).parts:  # each missing folder in turn
            parent = f"{parent}/{part}".lstrip("/")
            if not await ensure_async(manager.dir_exists(parent)):
                await ensure_async(manager.save({"type": "directory"}, parent))
        # The leader's own copy: its Markdown in their language (its code is Python's).
        content = notebook_in(notebooks[exercise], leader_language(self.workbook_config))
        await ensure_async(
            manager.save({"type": "notebook", "format": "json", "content": content}, path)
        )
        self.set_status(201)
        self.finish(json.dumps({"path": path, "created": True}))


class ReportHandler(_WorkbookMixin):
    """An HTML page (not JSON), so it is a plain Jupyter handler."""

    @web.authenticated
    @authorized
    @_store_errors
    async def get(self, plan_id: str) -> None:
        plan = self.plan_or_404(plan_id)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        # The report carries no script; forbid any, whatever a plan's text holds.
        self.set_header("Content-Security-Policy", DOCUMENT_CSP)
        from ..report.build import build_report  # charts: only when a report is asked for
        from ..report.render import to_html

        language = leader_language(self.workbook_config)
        self.finish(to_html(build_report(self.store, plan.id, language)))


def handlers() -> list[tuple[str, type[_WorkbookMixin]]]:
    return [
        ("exercises", ExercisesHandler),
        ("page-words", PageWordsHandler),
        ("plans", PlansHandler),
        (r"plans/(\d+)/current", CurrentPlanHandler),
        ("copies", CopiesHandler),
        (r"report/(\d+)", ReportHandler),
    ]
