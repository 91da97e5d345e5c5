"""Attempts on the served workbook and the Lab API that must keep failing.

Kept from trying `jupyter workbook serve` as an attacker would: every variant of a key, every
endpoint of Voila's, a kernel reached without its page, code sent over a page's websocket,
forged widget messages, markup in every field of every view and export, and paths that
climb out of the Lab server's root. Real servers, a real browser, real websockets.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any
from urllib.parse import quote

import ipywidgets as widgets
import pytest
from tornado.httpclient import HTTPClientError
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from buyin_workbook.exercises import EXERCISES
from buyin_workbook.exercises.choice import ChoiceExercise
from buyin_workbook.exercises.motivators import MotivatorsExercise
from buyin_workbook.exercises.selfcheck import SelfCheckExercise
from buyin_workbook.exercises.stakeholders import StakeholdersExercise
from buyin_workbook.kit.charts import VEGALITE_MIME
from buyin_workbook.report.build import build_report
from buyin_workbook.report.render import to_html, to_markdown
from buyin_workbook.report.view import SummaryView
from buyin_workbook.store import WorkbookStore
from buyin_workbook.use_cases.cohorts.figures import checked_values
from buyin_workbook.use_cases.visitor import REFUSED
from tests.plugin.coach import add_client, seed_clients
from tests.plugin.servers import (
    OfflineGuard,
    ServerFactory,
    kernel_processes,
    needs_chromium,
    workbook_cli,
)

CHOICE = "voila/render/01-how-much-choice.ipynb"
#: Markup that would run if any place showed it as HTML (short enough for every name box).
PAYLOAD = "<img src=x onerror=bwPwned=1><u>"


@dataclass
class Target:
    url: str
    db_url: str
    keys: dict[str, str]
    ids: dict[str, int]


@pytest.fixture(scope="module")
def target(
    file_servers: ServerFactory, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Target]:
    tmp = tmp_path_factory.mktemp("attacks")
    db_url = f"sqlite:///{tmp / 'coach.sqlite'}"
    keys, ids = seed_clients(db_url, "Dana", "Sam")
    with WorkbookStore(db_url, client_id=ids["Dana"]) as dana:
        plan = dana.create_plan("Dana's merger plan")
        dana.remember_plan(plan.id)
        dana.save_answer(plan.id, "motivators", "members", [{"id": "m1", "name": "Ana"}])
        # A decision to rate, so the choice page has level controls to forge values into.
        dana.save_answer(plan.id, "choice", "decisions", [{"id": "d1", "label": "Rota"}])
        keys["member"] = dana.add_member_link(plan.id, "m1", "Ana")
        ids["Dana's plan"] = plan.id
    with WorkbookStore(db_url, client_id=ids["Sam"]) as sam:
        plan = sam.create_plan("SAM-PRIVATE-PLAN")
        sam.remember_plan(plan.id)
        sam.save_answer(plan.id, "choice", "reflection/hardest", "SAM-PRIVATE-WORDS")
        ids["Sam's plan"] = plan.id
    url = file_servers.workbook(
        db_url,
        "--pool-size=1",
        "--max-pages-per-link=8",
        "--cull-idle-timeout=120",
        "--cull-interval=20",
        "--store-wait=6",  # a page waits this long for a locked database (one test locks it)
    )
    yield Target(url, db_url, keys, ids)


def request(
    url: str,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    jar: CookieJar | None = None,
    body: bytes | None = None,
) -> tuple[int, str]:
    handlers = [urllib.request.HTTPCookieProcessor(jar)] if jar is not None else []
    opener = urllib.request.build_opener(*handlers)
    try:
        with opener.open(
            urllib.request.Request(url, data=body, method=method, headers=headers or {}),
            timeout=120,
        ) as reply:
            return reply.status, reply.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


@dataclass
class OpenPage:
    kernel_id: str
    jar: CookieJar

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


def open_page(target: Target, who: str, notebook: str = CHOICE) -> OpenPage:
    """A page fetched as its browser would: its kernel, and the cookies it was given."""
    jar = CookieJar()
    status, html = request(f"{target.url}{notebook}?key={target.keys[who]}", jar=jar)
    assert status == 200
    kernel_id = re.search(r'"kernelId": "([0-9a-f-]+)"', html)
    assert kernel_id is not None
    return OpenPage(kernel_id.group(1), jar)


def ws_url(target: Target, kernel_id: str) -> str:
    return (
        f"{target.url.replace('http', 'ws', 1)}api/kernels/{kernel_id}/channels"
        f"?session_id={uuid.uuid4().hex}"
    )


def refused_websocket(target: Target, kernel_id: str, cookie: str = "") -> int:
    with pytest.raises(InvalidStatus) as caught:
        connect(
            ws_url(target, kernel_id),
            additional_headers={"Cookie": cookie} if cookie else {},
            open_timeout=30,
        ).close()
    return caught.value.response.status_code


def message(msg_type: str, content: dict[str, Any], channel: str = "shell") -> str:
    return json.dumps(
        {
            "header": {
                "msg_id": uuid.uuid4().hex,
                "msg_type": msg_type,
                "username": "attacker",
                "session": uuid.uuid4().hex,
                "date": datetime.now(UTC).isoformat(),
                "version": "5.3",
            },
            "parent_header": {},
            "metadata": {},
            "content": content,
            "channel": channel,
            "buffers": [],
        }
    )


def listen(socket: Any, seconds: float, until: str = "") -> list[dict[str, Any]]:
    """Every message the kernel sends in the next few seconds (or until one of a type)."""
    received: list[dict[str, Any]] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            received.append(json.loads(socket.recv(timeout=0.5)))
        except TimeoutError:
            continue
        if until and received[-1]["msg_type"] == until:
            break
    return received


# -- keys ----------------------------------------------------------------------------------


def test_every_variant_of_a_key_is_refused_and_names_no_one(target: Target):
    dana, sam, coach = target.keys["Dana"], target.keys["Sam"], target.keys["coach"]
    # (Only the key itself opens anything; spaces around it are trimmed, as any form does.)
    variants = [
        "",
        dana[:-1],
        dana + "A",
        dana.upper(),
        dana.lower(),
        dana[1:] + dana[0],
        "%00" + dana[1:],
        "x" * 43,
        "A" * 44,
        dana[::-1],
        f"{dana}%20{dana}",
        dana.encode().hex()[:43],
        "'or''='",
        "../../etc/passwd",
        "*",
    ]
    dana_plan = target.ids["Dana's plan"]
    dana_summary = f"coach/clients/{target.ids['Dana']}/plans/{dana_plan}"
    pages = ["", CHOICE, "voila/render/about-me.ipynb", "coach", dana_summary]
    for page in pages:
        for variant in variants:
            status, body = request(f"{target.url}{page}?key={quote(variant, safe='%/*')}")
            assert (status, REFUSED in body) == (403, True), (page, variant)
            for private in ("Dana", "Sam", "merger", "SAM-PRIVATE"):
                assert private not in body, (page, variant)
    # A working key used where it does not belong.
    for page, key in (
        (f"coach?key={dana}", "client on the dashboard"),
        (f"{CHOICE}?key={coach}", "coach on an exercise"),
        (f"{CHOICE}?key={target.keys['member']}", "member on an exercise"),
        (f"?key={sam}&key={dana}", "two keys"),
    ):
        status, body = request(target.url + page)
        if page.startswith("?key="):  # tornado takes the last: Dana's own landing page
            assert status == 200 and "SAM-PRIVATE" not in body, key
        else:
            assert status == 403 and REFUSED in body, key


def test_a_body_bigger_than_any_form_is_refused_unread(target: Target):
    """serve's forms are a few hundred bytes: a huge body is refused before it is read (so
    it holds up no one else's page) and the server goes on serving."""
    try:
        status, _ = request(
            f"{target.url}cohort/join?key={'x' * 43}", "POST", body=b"alias=" + b"x" * 2_000_000
        )
    except (urllib.error.URLError, ConnectionError):
        status = 0  # the server may close the connection mid-upload instead of answering
    assert status in (0, 400, 413)
    assert request(f"{target.url}?key={target.keys['Dana']}")[0] == 200


def test_a_database_another_program_holds_stalls_only_the_pages_that_need_it(target: Target):
    """Another process takes the SQLite file's write lock and keeps it: a page that needs
    the database says it is busy, in words, after serve's --store-wait; every other page
    (here, a 404) answers meanwhile, because no store call runs on the event loop."""
    path = target.db_url.removeprefix("sqlite:///")
    locker = sqlite3.connect(path, timeout=0, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    answered: dict[str, tuple[int, str]] = {}
    landing = threading.Thread(
        target=lambda: answered.setdefault(
            "landing", request(f"{target.url}?key={target.keys['Dana']}")
        )
    )
    try:
        landing.start()
        time.sleep(0.5)  # the landing page is now waiting for the database
        answered["404"] = request(f"{target.url}no/such/page")
        waiting = landing.is_alive()  # still waiting as the 404 came back
        landing.join(timeout=60)
    finally:
        locker.rollback()
        locker.close()
    assert answered["404"][0] == 404 and waiting
    status, body = answered["landing"]
    assert status == 503 and "busy just now" in body and path not in body
    assert request(f"{target.url}?key={target.keys['Dana']}")[0] == 200  # and again at once


def test_voilas_other_endpoints_give_nothing_away(target: Target):
    dana = target.keys["Dana"]
    page = open_page(target, "Dana")
    for path, allowed in (
        ("voila/tree", (200,)),  # her own landing page, and no listing
        ("voila/api/contents", (404,)),
        ("voila/api/contents/01-how-much-choice.ipynb", (404,)),
        ("voila/files/01-how-much-choice.ipynb", (403, 404)),
        ("voila/files/../../../../etc/passwd", (403, 404)),
        ("api/kernels", (404,)),
        ("api/sessions", (404,)),
        ("api/contents", (404,)),
        ("api/kernelspecs", (404,)),
        ("api/terminals", (404,)),
        (f"voila/query/{page.kernel_id}", (404,)),
        ("voila/render/../../../../etc/passwd", (403, 404)),
        ("voila/render/%2e%2e/%2e%2e/etc/passwd", (403, 404)),
        ("voila/templates/../../../../etc/passwd", (403, 404)),
        ("voila/labextensions/../../../../etc/passwd", (403, 404)),
    ):
        status, body = request(f"{target.url}{path}?key={dana}")
        assert status in allowed, (path, status)
        assert "root:" not in body and "cells" not in body, path


def test_a_kernel_answers_only_the_page_that_got_it(target: Target):
    dana = open_page(target, "Dana")
    sam = open_page(target, "Sam")
    kernel = dana.kernel_id
    # The kernel id alone, or with another client's cookies, opens nothing.
    assert refused_websocket(target, kernel) == 403
    assert refused_websocket(target, kernel, sam.cookie_header()) == 403
    assert request(f"{target.url}api/kernels/{kernel}")[0] == 403
    assert (
        request(f"{target.url}api/kernels/{kernel}", headers={"Cookie": sam.cookie_header()})[0]
        == 403
    )
    # Forged cookies with a matching header token: refused, and the kernel lives on.
    forged = "_xsrf=forged; bw-access-0123456789abcdef=forged"
    for method, path in (
        ("DELETE", f"api/kernels/{kernel}"),
        ("POST", f"voila/api/shutdown/{kernel}"),
        ("POST", f"api/kernels/{kernel}/restart"),
    ):
        status, _ = request(
            f"{target.url}{path}",
            method=method,
            body=b"",
            headers={"Cookie": forged, "X-XSRFToken": "forged", "Authorization": "token forged"},
        )
        assert status in (403, 404), (method, path)
    assert kernel_processes(kernel)
    # The page's own cookies open it.
    assert (
        request(f"{target.url}api/kernels/{kernel}", headers={"Cookie": dana.cookie_header()})[0]
        == 200
    )
    with connect(
        ws_url(target, kernel), open_timeout=30, additional_headers={"Cookie": dana.cookie_header()}
    ) as socket:
        socket.send(message("kernel_info_request", {}))
        replies = listen(socket, 60, until="kernel_info_reply")
        assert any(m["msg_type"] == "kernel_info_reply" for m in replies)
    # A pre-heated kernel's way to its page's address needs the kernel's own secret.
    status, _ = request(f"{target.url}buyin/kernel-query/not-the-secret/{kernel}")
    assert status in (400, 403)  # a plain GET is no websocket either way
    assert refused_query(target, kernel) == 403
    # ... and so does its way to say its page closed.
    assert (
        request(f"{target.url}buyin/kernel-done/guess/{kernel}", method="POST", body=b"")[0] == 403
    )
    assert kernel_processes(kernel)


def refused_query(target: Target, kernel_id: str) -> int:
    with pytest.raises(InvalidStatus) as caught:
        connect(
            f"{target.url.replace('http', 'ws', 1)}buyin/kernel-query/guess/{kernel_id}",
            open_timeout=30,
        ).close()
    return caught.value.response.status_code


def test_a_pages_access_cookie_is_http_only_and_for_this_site_only(target: Target):
    with urllib.request.urlopen(
        f"{target.url}{CHOICE}?key={target.keys['Dana']}", timeout=120
    ) as reply:
        cookies = reply.headers.get_all("Set-Cookie")
        reply.read()
    (access,) = [c for c in cookies if c.startswith("bw-access-")]
    assert "HttpOnly" in access and "SameSite=Strict" in access
    assert target.keys["Dana"] not in access  # a server-made token, not the key


def test_a_revoked_link_loses_its_kernels_websocket(target: Target):
    key, _riley_id = add_client(target.db_url, "Riley")
    target.keys["Riley"] = key
    page = open_page(target, "Riley")
    cookie = page.cookie_header()
    with connect(
        ws_url(target, page.kernel_id), open_timeout=30, additional_headers={"Cookie": cookie}
    ):
        pass
    workbook_cli(target.db_url, "clients", "revoke", "Riley")
    assert refused_websocket(target, page.kernel_id, cookie) == 403


def test_execute_requests_over_a_pages_websocket_run_nothing(target: Target, tmp_path: Path):
    page = open_page(target, "Dana")
    marker = tmp_path / "ran.txt"
    code = f"open({str(marker)!r}, 'w').write('ran')"
    with connect(
        ws_url(target, page.kernel_id),
        open_timeout=30,
        additional_headers={"Cookie": page.cookie_header()},
    ) as socket:
        socket.send(
            message(
                "execute_request",
                {
                    "code": code,
                    "silent": False,
                    "store_history": False,
                    "user_expressions": {},
                    "allow_stdin": False,
                    "stop_on_error": True,
                },
            )
        )
        socket.send(
            message("inspect_request", {"code": "open", "cursor_pos": 4, "detail_level": 1})
        )
        socket.send(message("complete_request", {"code": "import o", "cursor_pos": 8}))
        # Answered after the requests above (one channel, in order): they were dropped.
        socket.send(message("kernel_info_request", {}))
        replies = listen(socket, 60, until="kernel_info_reply")
    assert replies[-1]["msg_type"] == "kernel_info_reply"
    assert not marker.exists()
    assert not {"execute_reply", "inspect_reply", "complete_reply"} & {
        m["msg_type"] for m in replies
    }


def test_forged_widget_messages_reach_nothing_private(target: Target):
    page = open_page(target, "Dana")
    with connect(
        ws_url(target, page.kernel_id),
        open_timeout=30,
        additional_headers={"Cookie": page.cookie_header()},
    ) as socket:
        socket.send(message("comm_info_request", {"target_name": "jupyter.widget"}))
        replies = listen(socket, 60, until="comm_info_reply")
        (info,) = [m for m in replies if m["msg_type"] == "comm_info_reply"]
        comms = list(info["content"]["comms"])
        assert comms  # the page's widgets
        for comm_id in comms:
            socket.send(
                message("comm_msg", {"comm_id": comm_id, "data": {"method": "request_state"}})
            )
        for comm_id in comms:  # every widget told to change to values no page offers
            for state in (
                {"index": 99},
                {"value": target.ids["Sam's plan"]},
                {"value": "A forged value"},
                {"index": [0, 1, 2]},
                {"value": 999},  # no level, score or share a page offers
                {"value": -1000},
            ):
                socket.send(
                    message(
                        "comm_msg",
                        {
                            "comm_id": comm_id,
                            "data": {"method": "update", "state": state, "buffer_paths": []},
                        },
                    )
                )
        socket.send(
            message(
                "comm_open",
                {
                    "comm_id": uuid.uuid4().hex,
                    "target_name": "jupyter.widget",
                    "data": {
                        "state": {
                            "_model_name": "HTMLModel",
                            "_model_module": "@jupyter-widgets/controls",
                            "value": PAYLOAD,
                        },
                        "buffer_paths": [],
                    },
                },
            )
        )
        socket.send(message("kernel_info_request", {}))
        replies = listen(socket, 60, until="kernel_info_reply")
    assert any(m["msg_type"] == "kernel_info_reply" for m in replies)  # still serving
    text = json.dumps(replies)
    assert "SAM-PRIVATE" not in text
    assert "Dana's merger plan" in text  # the page's own state did come back
    # Whatever reached Dana's answers is what a page could give: nothing out of range
    # reaches a figure.
    with WorkbookStore(target.db_url, client_id=target.ids["Dana"]) as dana:
        saved = {k: a.value for k, a in dana.answers(target.ids["Dana's plan"], "choice").items()}
    levels = [v for k, v in saved.items() if k.startswith("rating/")]
    assert all(isinstance(v, int) and 1 <= v <= 7 for v in levels), levels
    measures = EXERCISES["choice"].content().cohort
    given = EXERCISES["choice"].cohort_values(saved)
    assert checked_values(measures, given) == given
    with WorkbookStore(target.db_url, client_id=target.ids["Sam"]) as sam:
        assert [p.name for p in sam.list_plans()] == ["SAM-PRIVATE-PLAN"]
        assert (
            sam.answers(target.ids["Sam's plan"], "choice")["reflection/hardest"].value
            == "SAM-PRIVATE-WORDS"
        )


@needs_chromium
def test_markup_in_names_and_answers_shows_as_text_on_every_served_page(browser, target: Target):
    key, client_id = add_client(target.db_url, PAYLOAD)
    with WorkbookStore(target.db_url, client_id=client_id) as client:
        plan = client.create_plan(PAYLOAD)
        client.remember_plan(plan.id)
        client.save_answer(plan.id, "choice", "decisions", [{"id": "d1", "label": PAYLOAD}])
        client.save_answer(plan.id, "choice", "reflection/hardest", PAYLOAD)
        client.save_answer(plan.id, "selfcheck", "sentence", PAYLOAD)
        client.save_answer(
            plan.id, "summary", "actions", [{"what": PAYLOAD, "who": PAYLOAD, "by_when": ""}]
        )
    guard = OfflineGuard()
    page = browser.new_page()
    guard.watch(page)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: dialogs.append(dialog.message))
    pages = [
        f"?key={key}",
        f"coach?key={target.keys['coach']}",
        f"coach/clients/{client_id}/plans/{plan.id}?key={target.keys['coach']}",
    ]
    pages += [
        f"voila/render/{nb}?key={key}"
        for nb in ("01-how-much-choice.ipynb", "02-am-i-bought-in.ipynb", "05-summary.ipynb")
    ]
    for path in pages:
        page.goto(target.url + path, wait_until="domcontentloaded", timeout=180_000)
        if "voila/render" in path:
            page.wait_for_selector(".bw-plan-picker", timeout=120_000)
            page.wait_for_timeout(1500)
        assert page.evaluate("window.bwPwned") is None, path
        assert page.locator("img[src=x]").count() == 0, path
        shown = page.evaluate(
            "() => document.body.innerText + [...document.querySelectorAll("
            "'input, textarea, option')].map(e => e.value || e.textContent).join('\\n')"
        )
        assert "<img src=x" in shown, path  # there, as text
    assert dialogs == [] and guard.blocked == []
    page.close()


# -- in every view and export, in-process ---------------------------------------------------


def _all_widgets(root: widgets.Widget) -> Iterator[widgets.Widget]:
    yield root
    for child in getattr(root, "children", ()):
        yield from _all_widgets(child)


def _fill_every_box(view: widgets.Widget) -> None:
    """Markup into every text box, then every add button, twice (rows bring new boxes)."""
    for _round in range(2):
        for control in list(_all_widgets(view)):
            if (
                isinstance(control, (widgets.Text, widgets.Textarea, widgets.Combobox))
                and not control.disabled
            ):
                control.value = PAYLOAD
        for control in list(_all_widgets(view)):
            if (
                isinstance(control, widgets.Button)
                and not control.disabled
                and (control.description.startswith(("+", "Add")))
            ):
                control.click()


def _shown_markup(view: widgets.Widget) -> tuple[list[str], list[dict[str, Any]]]:
    """Every HTML a view shows, and every chart spec it sends to the page."""
    shown, specs = [], []
    for control in _all_widgets(view):
        if isinstance(control, (widgets.HTML, widgets.HTMLMath)):
            shown.append(control.value)
        if isinstance(control, widgets.Output):
            for output in control.outputs:
                data = output.get("data", {})
                if VEGALITE_MIME in data:
                    specs.append(data[VEGALITE_MIME])
                shown += [str(v) for k, v in data.items() if k not in ("text/plain", VEGALITE_MIME)]
    return shown, specs


def _chart_code(spec: Any, key: str = "") -> list[str]:
    """The strings of a chart spec that vega evaluates as expressions (the rest it draws as
    text): user text must never reach them."""
    if isinstance(spec, dict):
        return [s for k, v in spec.items() for s in _chart_code(v, k)]
    if isinstance(spec, list):
        return [s for v in spec for s in _chart_code(v, key)]
    code_keys = ("expr", "signal", "test", "calculate", "filter")
    is_code = key in code_keys or key.endswith("Expr")
    return [spec] if is_code and isinstance(spec, str) else []


@pytest.mark.parametrize(
    "exercise",
    [ChoiceExercise, SelfCheckExercise, MotivatorsExercise, StakeholdersExercise, SummaryView],
)
def test_markup_typed_into_every_box_of_every_view_shows_as_text(tmp_path: Path, exercise):
    store = WorkbookStore(f"sqlite:///{tmp_path / 'workbook.sqlite'}")
    view = exercise(store)
    view.picker.new_name.value = "Plan <b>bold</b>"
    view.picker.create.click()
    _fill_every_box(view)
    saved = view.store.answers(view.plan.id, view.exercise_id).values()
    assert any(PAYLOAD in str(a.value) for a in saved)  # the sweep reached the boxes
    markup, specs = _shown_markup(view)
    shown = "\n".join(markup)
    for raw in ("<img src=x", "<u>"):
        assert raw not in shown, raw
    # Charts take user text as data, which the page draws as SVG text (the browser tests
    # check it), never as an expression vega would evaluate.
    assert not any(PAYLOAD[:6] in code for spec in specs for code in _chart_code(spec))
    report = build_report(view.store, view.plan.id)
    for exported in (to_html(report), to_markdown(report)):
        assert "<img src=x" not in exported and "<u>" not in exported
    view.close_store()


# -- the Lab API ----------------------------------------------------------------------------


@pytest.fixture()
def jp_server_config(tmp_path: Path) -> dict:
    return {
        "ServerApp": {"jpserver_extensions": {"buyin_workbook": True}},
        "WorkbookConfig": {"db_url": f"sqlite:///{tmp_path / 'lab.sqlite'}"},
    }


@pytest.mark.parametrize(
    "folder",
    [
        "../outside",
        "a/../../outside",
        "/etc",
        "//etc",
        "a\\..\\..\\outside",
        "..",
        "a/./../../outside",
        "C:\\outside",
        "",
        "/",
        7,
        None,
        ["a"],
    ],
)
async def test_copies_stay_inside_the_server_root(jp_fetch, jp_root_dir: Path, folder):
    with pytest.raises(HTTPClientError) as caught:
        await jp_fetch(
            "buyin-workbook/api",
            "copies",
            method="POST",
            body=json.dumps({"exercise": "choice", "folder": folder}),
        )
    assert caught.value.code == 400
    outside = jp_root_dir.parent
    assert not (outside / "outside").exists()
    assert not list(outside.glob("**/01-how-much-choice.ipynb"))
