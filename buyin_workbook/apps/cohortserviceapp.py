"""`jupyter workbook cohort-service`: the cohorts' JupyterHub service (run by the hub)."""

from __future__ import annotations

import secrets
import signal
from urllib.parse import urlsplit

from traitlets import Integer, Unicode

from .. import environment as env
from .._text import FilledWords
from ..exercises import EXERCISES
from ..languages import N_
from ..store import MIN_GROUP_DEFAULT, MIN_GROUP_FLOOR, StoreError
from .base import WorkbookCommand


class CohortServiceApp(WorkbookCommand):
    name = "jupyter-workbook-cohort-service"
    description = N_(
        "Run the workbook's cohort service on JupyterHub: the facilitators' dashboards, and "
        "the API through which participants' workbooks send their anonymous figures and "
        "read the revealed results. The hub starts it (a hub-managed service, see "
        "docs/jupyterhub.md); its address and token come from the "
        "JUPYTERHUB_SERVICE_URL and JUPYTERHUB_API_TOKEN the hub sets. Keep its database "
        "(--db-url, e.g. PostgreSQL) out of participants' reach: no kernel needs it."
    )
    examples = N_(
        "jupyter workbook cohort-service --db-url=postgresql+psycopg://workbook@db/cohorts\n"
        "jupyter workbook cohort-service --exercises=choice,selfcheck --min-group=6"
    )
    aliases = {
        **WorkbookCommand.aliases,
        "exercises": "CohortServiceApp.exercises",
        "min-group": "CohortServiceApp.min_group",
        "group-prefix": "CohortServiceApp.group_prefix",
        "facilitator-scope": "CohortServiceApp.facilitator_scope",
        "auth-cache-seconds": "CohortServiceApp.auth_cache_seconds",
        "scrub-within": "CohortServiceApp.scrub_within",
    }
    exercises = Unicode(
        ",".join(EXERCISES),
        help=FilledWords(
            N_("Comma-separated exercises each cohort works through, from: {exercises}."),
            exercises=", ".join(EXERCISES),
        ),
    ).tag(config=True)
    min_group = Integer(
        MIN_GROUP_DEFAULT,
        help=FilledWords(
            N_("The fewest participants a figure is drawn over (at least {least})."),
            least=MIN_GROUP_FLOOR,
        ),
    ).tag(config=True)
    group_prefix = Unicode(
        "cohort-",
        help=N_(
            "Hub groups whose names start with this are cohorts; their members are the "
            "participants."
        ),
    ).tag(config=True)
    facilitator_scope = Unicode(
        "custom:workbook:facilitate",
        help=N_(
            "The hub scope (from c.JupyterHub.custom_scopes) that makes its holder a "
            "facilitator: of every cohort, or of one with `!group=<cohort group>`."
        ),
    ).tag(config=True)

    auth_cache_seconds = Integer(
        60,
        min=0,
        help=N_(
            "Seconds the service trusts the hub's answer about a user (their cohort groups, "
            "their facilitator scope, that their token works): someone taken out of a group, a "
            "role taken away or a token revoked stops working within this time."
        ),
    ).tag(config=True)

    scrub_within = Integer(
        30,
        min=0,
        help=N_(
            "Seconds within which what a participant takes back is scrubbed from the "
            "database's files (rewritten in the background, after the take-back has answered; "
            "the rewrite itself takes about a second per 20,000 participants on PostgreSQL)."
        ),
    ).tag(config=True)

    def start(self) -> None:
        from tornado.httpserver import HTTPServer
        from tornado.ioloop import IOLoop

        from ..hub.service import BODY_HARD_LIMIT, ServiceSettings, make_app

        address = env.JUPYTERHUB_SERVICE_URL.get()
        prefix = env.JUPYTERHUB_SERVICE_PREFIX.get()
        if not address or not env.JUPYTERHUB_API_TOKEN.get():
            self.fail(
                N_(
                    "run this as a JupyterHub service: the hub sets JUPYTERHUB_SERVICE_URL and "
                    "JUPYTERHUB_API_TOKEN (see docs/jupyterhub.md)."
                )
            )
        exercises = tuple(e.strip() for e in self.exercises.split(",") if e.strip())
        unknown = [e for e in exercises if e not in EXERCISES]
        if unknown or not exercises:
            self.fail(N_("--exercises: choose from {exercises}."), exercises=", ".join(EXERCISES))
        if self.min_group < MIN_GROUP_FLOOR:
            self.fail(N_("--min-group must be at least {least}."), least=MIN_GROUP_FLOOR)
        try:
            store = self.store().open()
        except StoreError as error:
            self.fail_with(error)
        settings = ServiceSettings(
            store,
            exercises,
            self.min_group,
            self.facilitator_scope,
            self.group_prefix,
            prefix,
            auth_cache_seconds=self.auth_cache_seconds,
            scrub_within=self.scrub_within,
        )
        # The login cookie only needs to outlive this process: the hub logs people in again.
        app = make_app(settings, cookie_secret=secrets.token_bytes(32))
        where = urlsplit(address)
        server = HTTPServer(app, xheaders=True, max_body_size=BODY_HARD_LIMIT)
        server.listen(where.port or 80, where.hostname or "127.0.0.1")
        self.log.info(
            "Buy-in Workbook cohort service on %s%s, store %s", address, prefix, store.location
        )
        loop = IOLoop.current()
        # The hub stops its services with SIGINT, then SIGTERM: stop at once on either,
        # even when started with SIGINT ignored (as a background job).
        for number in (signal.SIGINT, signal.SIGTERM):
            signal.signal(number, lambda *_: loop.add_callback_from_signal(loop.stop))
        loop.start()
        store.scrub_erased()  # a take-back's rows, if its scrub had not come yet
        store.close()
