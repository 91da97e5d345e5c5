"""`jupyter workbook serve`: the exercises as Voila apps for a coach's clients.

A subclass of Voila's own application, so every Voila option still works; it adds the
workbook's defaults (its template, loopback only, no code shown, pre-heated kernels, idle
kernels culled) and its pages: client landing pages, the coach's dashboard, and a key check
in front of every exercise page.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import nbformat
from jupyter_server.base.handlers import APIHandler
from jupyter_server.services.kernels.handlers import KernelHandler, _kernel_id_regex
from tornado.websocket import WebSocketHandler
from traitlets import Bool, Float, Integer, default
from traitlets.config import Config
from voila.app import Voila
from voila.request_info_handler import RequestInfoSocketHandler
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.static_file_handler import TemplateStaticFileHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler
from voila.tornado.treehandler import TornadoVoilaTreeHandler

from .. import environment as env
from .. import notebooks_dir
from .._text import N_
from .._version import __version__
from ..config import WorkbookConfig, load_config_files
from ..pages import FACILITATOR_NOTEBOOK, MEMBER_NOTEBOOKS
from ..serve import (
    NotFoundHandler,
    ServedPage,
    ServeState,
    TemplateFilesHandler,
    cohort_handlers,
    kernel_routes,
    workbook_handlers,
)
from ..serve.forked import FORK_IS_SAFE, PROVISIONER_NAME, start_fork_server
from ..serve.handlers import KeyedVoilaHandler, log_request
from ..serve.warm_pages import WarmPages
from ..store import StoreError
from ._help import TranslatedHelp
from .base import STORE_ALIASES

#: Voila's kernel endpoints answer anyone who names a kernel; serve puts guarded ones instead.
_OPEN_KERNEL_HANDLERS = (
    KernelHandler,
    VoilaKernelWebsocketHandler,
    VoilaShutdownKernelHandler,
    RequestInfoSocketHandler,
)

#: Voila options the workbook sets differently; config files and the command line win.
_VOILA_DEFAULTS = {
    "Voila": {"ip": "127.0.0.1", "open_browser": False, "port_retries": 0},
    "VoilaConfiguration": {
        "template": "buyin",
        # A client cannot switch to a template that shows code or fetches fonts.
        "allow_template_override": "NO",
        "allow_theme_override": "NO",
        "strip_sources": True,
        "show_tracebacks": False,
        # A page follows its reader's browser when no language is asked or set for them.
        "http_header_envs": ["Accept-Language"],
        # Each kernel knows the link whose page it serves (see buyin_workbook.serve.kernels).
        "multi_kernel_manager_class": "buyin_workbook.serve.kernels.WorkbookKernelManager",
    },
    # Members are few: their pages have no pool of their own, only one warm page while some
    # member link to them works (ServeApp.warm_member_pages).
    # Voila matches each pattern against the notebook's path relative to the served folder
    # ("about-me.ipynb" at the top, "team/about-me.ipynb" in a folder).
    # The facilitator's notebook is for JupyterLab: serve opens it to no one.
    "VoilaKernelManager": {
        "preheat_denylist": [
            rf"(.*/)?{re.escape(notebook)}$"
            for notebook in (*MEMBER_NOTEBOOKS, FACILITATOR_NOTEBOOK)
        ]
    },
    # Unix sockets, not TCP ports: a port picked for a starting kernel can be taken by
    # another kernel before it binds; that kernel then restarts on new ports while Voila
    # waits on the old ones, and the page never finishes (seen in bursts of clients).
    "KernelManager": {"transport": "ipc"},
    # After a cell's reply, nbclient waits this long for its outputs (4 s by default). A
    # busy server (many kernels starting) can take longer to pass on the hundreds of widget
    # messages of an exercise, and the page then came up blank.
    "VoilaExecutor": {"iopub_timeout": 120},
    # The exercises are signed in this process only (see ServeApp.init_settings).
    "NotebookNotary": {"db_file": ":memory:"},
}


class ServeApp(TranslatedHelp, Voila):
    name = "jupyter-workbook-serve"
    version = __version__
    description = N_(
        "Serve the workbook's exercises to a coach's clients, as Voila apps.\n\n"
        "Each client opens their own link (see `jupyter workbook clients add`) and sees only "
        "their own plans; the coach's dashboard link is printed at the first start."
    )
    examples = N_(
        "jupyter workbook serve\n"
        "jupyter workbook serve --port=9000 --pool-size=2 --cull-idle-timeout=900\n"
        "jupyter workbook serve --public-url=https://coach.example.org/"
    )
    classes = [*Voila.classes, WorkbookConfig]
    # Voila's own command line names a notebook and options (its pool, its template, its
    # theme) that `serve` sets itself: a coach sees the options that matter, one meaning
    # each, in the workbook's words. Anything else stays reachable as --Voila.* /
    # --VoilaConfiguration.*.
    aliases = {
        "port": ("Voila.port", N_("The port serve listens on.")),
        "ip": (
            "Voila.ip",
            N_(
                "The address serve listens on: 127.0.0.1 (this machine only), or 0.0.0.0 "
                "behind a proxy that others reach."
            ),
        ),
        "base-url": (
            "Voila.base_url",
            N_("The path serve's pages start with, e.g. /workbook/ behind a proxy."),
        ),
        "token": (
            "Voila.token",
            N_(
                "A token a browser must bring to open any page, on top of the links' keys "
                "(empty: none; the keys already say who may open what)."
            ),
        ),
        "pool-size": "ServeApp.pool_size",
        "cull-idle-timeout": "ServeApp.cull_idle_timeout",
        "cull-interval": "ServeApp.cull_interval",
        **STORE_ALIASES,
        "public-url": "WorkbookConfig.public_url",
        "max-pages-per-link": "ServeApp.max_pages_per_link",
        "store-wait": "ServeApp.store_wait",
        "max-kernels": "ServeApp.max_kernels",
        "page-connect-timeout": "ServeApp.page_connect_timeout",
    }
    flags = {
        "debug": (
            Voila.flags["debug"][0],
            N_("Log everything (the DEBUG level), and show errors' tracebacks in the log."),
        ),
        "no-browser": (
            Voila.flags["no-browser"][0],
            N_("Open no browser at the start (the default)."),
        ),
        "fork-kernels": (
            {"ServeApp": {"fork_kernels": True}},
            N_("Start each page's kernel as a fork of one warm parent (the default on Linux)."),
        ),
        "plain-kernels": (
            {"ServeApp": {"fork_kernels": False}},
            N_(
                "Start each page's kernel as a process of its own, as Jupyter does (the "
                "default where fork is not safe: macOS, Windows)."
            ),
        ),
    }

    pool_size = Integer(
        1,
        min=0,
        help=N_(
            "Kernels kept running and ready for each exercise, so a client's page opens at "
            "once. Each takes about 50 MB forked (115 MB with --plain-kernels). 0 starts a "
            "kernel when a page is opened."
        ),
    ).tag(config=True)
    cull_idle_timeout = Integer(
        600,
        min=0,
        help=N_(
            "Seconds after which a kernel nobody uses (its page closed) is shut down, so "
            "memory returns to the pool's when clients leave. 0 never culls."
        ),
    ).tag(config=True)
    cull_interval = Integer(
        60,
        min=1,
        help=N_("How often, in seconds, to look for idle kernels to cull."),
    ).tag(config=True)
    max_pages_per_link = Integer(
        4,
        min=1,
        help=N_(
            "Exercise pages one link may have open at once (each holds a kernel of about "
            "115 MB). A further page asks the visitor to close one first; a closed tab "
            "gives its kernel back within seconds."
        ),
    ).tag(config=True)

    max_kernels = Integer(
        40,
        min=1,
        help=N_(
            "Kernels the open pages of all links may hold at once (the warm pool's come on "
            "top; so do the warm pages of an expected crowd, within this number). Beyond it, a "
            "page says the workbook is full right now and to try again in a minute, so a leaked "
            "link or a crawler cannot run the server out of memory. Sizing, measured on Linux "
            "with 30 pages open: serve itself about 250 MB, then about 50 MB per open page or "
            "warm kernel forked (115 MB with --plain-kernels); so 2 GB for 30 people, 6 GB "
            "for 100."
        ),
    ).tag(config=True)
    page_connect_timeout = Float(
        60.0,
        min=1.0,
        help=N_(
            "Seconds a page's kernel waits for the browser to connect; a page fetched "
            "without a browser (a script, a link preview) gives its kernel back then."
        ),
    ).tag(config=True)
    store_wait = Float(
        10.0,
        min=0.5,
        help=N_(
            "Seconds a page waits for the database before it says, in words, that the "
            "database is busy. The database is used off the server's event loop, so a stalled "
            "one holds up only the pages that need it."
        ),
    ).tag(config=True)
    max_body_bytes = Integer(
        64 * 1024,
        min=1024,
        help="The largest request body serve reads (its forms: joining, revealing, sharing "
        "are a few hundred bytes; answers and files travel over a page's websocket). A "
        "bigger one is refused before it is read, so no upload holds up another's page.",
    ).tag(config=True)

    crowd_check = Float(
        10.0,
        min=1.0,
        help="How often, in seconds, serve looks at who is expected: the crowds "
        "facilitators announce (`cohort create --expect N`, `cohort expect`), whose first "
        "pages it keeps that many of warm, and the member links that work (see "
        "warm_member_pages).",
    ).tag(config=True)
    warm_member_pages = Bool(
        True,
        help="Keep one warm page of each member page (their say, their goal, about me) "
        "while some team member's link to it works, so their link opens at once. At most "
        "one kernel per member page (three), counted within max_kernels.",
    ).tag(config=True)

    fork_kernels = Bool(
        FORK_IS_SAFE,
        help="Start each page's kernel as a fork of one parent process that has already "
        "imported the workbook (--fork-kernels; --plain-kernels to turn it off). A kernel "
        "then starts in a fraction of a second and the memory of those imports is shared "
        "by all kernels. The default on Linux; off on macOS, where a process that forks "
        "without exec may crash in Apple's system libraries, and on Windows, which has no "
        "fork.",
    ).tag(config=True)

    @default("root_dir")
    def _default_root_dir(self) -> str:
        return str(notebooks_dir())

    def initialize(self, argv: Any = None) -> None:
        defaults = Config(_VOILA_DEFAULTS)
        defaults.merge(load_config_files())
        self.update_config(defaults)
        try:
            super().initialize(argv)
        except ValueError:  # Voila's word on a notebook argument, which serve takes none of
            if not self.extra_args:
                raise
        if self.extra_args:
            self.log.critical(
                self.words.gettext(
                    N_(
                        "`jupyter workbook serve` takes no notebook or folder (it serves the "
                        "workbook's exercises); got: {arguments}. See --help."
                    ),
                    arguments=" ".join(self.extra_args),
                )
            )
            self.exit(2)
        self.voila_configuration.preheat_kernel = self.pool_size > 0
        self.voila_configuration.default_pool_size = self.pool_size
        self.config.MappingKernelManager.cull_idle_timeout = self.cull_idle_timeout
        self.config.MappingKernelManager.cull_interval = self.cull_interval
        self.config.WorkbookKernelManager.max_page_kernels = self.max_kernels
        self.config.WorkbookKernelManager.connect_timeout = self.page_connect_timeout
        if self.fork_kernels:
            self.config.KernelProvisionerFactory.default_provisioner_name = PROVISIONER_NAME
        self.workbook_config = WorkbookConfig(parent=self)

    def init_settings(self) -> dict:
        settings: dict = super().init_settings()
        # The exercises are the workbook's own notebooks, installed with it: vouch for them
        # in this process's notary (in memory), so that no page open logs "Notebook ... is
        # not trusted" (Voila shows them as apps either way).
        notary = self.contents_manager.notary
        for notebook in Path(self.root_dir).glob("*.ipynb"):
            notary.sign(nbformat.read(notebook, as_version=4))
        return settings

    def init_handlers(self) -> list:
        handlers: list = []
        for spec in super().init_handlers():
            handler = spec[1]
            if handler is TornadoVoilaHandler:
                spec = (spec[0], KeyedVoilaHandler, *spec[2:])
            elif handler is TornadoVoilaTreeHandler or handler.__name__ == "VoilaContentsHandler":
                continue  # no folder listing: each visitor gets their own landing page
            elif handler in _OPEN_KERNEL_HANDLERS:
                continue  # replaced by kernel_routes below
            elif handler is TemplateStaticFileHandler:
                spec = (spec[0], TemplateFilesHandler, *spec[2:])
            elif not issubclass(handler, (APIHandler, WebSocketHandler, ServedPage)):
                # Voila's own pages (static files, login) show the workbook's error page.
                spec = (spec[0], type(handler.__name__, (ServedPage, handler), {}), *spec[2:])
            handlers.append(spec)
        server_url = self.server_url or self.base_url
        return [
            *workbook_handlers(server_url),
            *cohort_handlers(server_url),
            *kernel_routes(server_url, _kernel_id_regex),
            *handlers,
        ]

    def listen(self) -> None:
        # Voila's listen starts the event loop: the check of who is expected goes on it first.
        WarmPages(
            self._state, self.kernel_manager, self.crowd_check, members=self.warm_member_pages
        ).start()
        # Voila listens through its tornado application: give its HTTP server the limit.
        self.app.listen = functools.partial(self.app.listen, max_body_size=self.max_body_bytes)  # type: ignore[method-assign]
        super().listen()

    def link_base(self) -> str:
        host = "127.0.0.1" if self.ip in ("", "0.0.0.0", "::") else self.ip
        return self.workbook_config.link_base(f"http://{host}:{self.port}{self.base_url}")

    def start(self) -> None:
        db_url = self.workbook_config.db_url
        # Kernels read these: whose store, and that they serve client links.
        env.DB_URL.set(db_url)
        env.SERVED.set("1")
        env.LINK_BASE.set(self.link_base())
        state = self._state = ServeState(
            db_url,
            root_dir=Path(self.root_dir),
            max_pages_per_link=self.max_pages_per_link,
            link_base=self.link_base(),
            store_wait=self.store_wait,
        )
        try:
            clients = len(state.coach.clients())
            has_dashboard_link = state.coach.has_coach_key()
            state.coach.remember_link_base(self.link_base())
        except StoreError as error:
            self.log.critical("%s", self.words.said(error))
            self.exit(1)
        settings: dict[str, Any] = dict(self.tornado_settings)  # type: ignore[has-type]
        self.tornado_settings = {
            **settings,
            "buyin_workbook": state,
            # Requests are logged with the keys in their addresses replaced.
            "log_function": log_request,
            "default_handler_class": NotFoundHandler,
        }
        # What the coach reads as serve starts, in the terminal's language.
        words = self.words
        self.log.info(
            "%s",
            words.ngettext(
                "Buy-in Workbook {version}: {count} client, store {store}",
                "Buy-in Workbook {version}: {count} clients, store {store}",
                clients,
                version=__version__,
                store=state.coach.location,
            ),
        )
        links = words.gettext(
            N_(
                "Client, member and dashboard links point to {address} (`jupyter workbook "
                "clients` prints them so)."
            ),
            address=self.link_base(),
        )
        if not self.workbook_config.public_url.strip():
            links += " " + words.gettext(
                N_("Set --public-url to the address your clients use, e.g. behind an HTTPS proxy.")
            )
        self.log.info("%s", links)
        # Keys never go into the log: links are printed by `jupyter workbook clients`.
        dashboard = (
            N_(
                "Coach dashboard: open your dashboard link (`jupyter workbook clients "
                "coach-link` makes a new one)."
            )
            if has_dashboard_link
            else N_(
                "Coach dashboard: no link yet. Make yours with `jupyter workbook clients "
                "coach-link`."
            )
        )
        self.log.info("%s", words.gettext(dashboard))
        if self.fork_kernels:
            start_fork_server()  # its imports overlap the server's own start
        try:
            super().start()
        finally:
            state.close()


main = ServeApp.launch_instance
