"""`jupyter workbook serve` for real: client links, refusals, the coach's dashboard, member
links and many clients at once, in headless Chromium with the network cut off."""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from buyin_workbook.exercises.motivators import load_content
from buyin_workbook.exercises.motivators.model import member_key
from buyin_workbook.pages import MEMBER_NOTEBOOKS
from buyin_workbook.store import WorkbookStore
from buyin_workbook.use_cases.visitor import REFUSED
from tests.plugin.axe import violations
from tests.plugin.coach import add_client, seed_clients
from tests.plugin.languages import english_left
from tests.plugin.load import open_at_once
from tests.plugin.pages import create_plan, kernel_id, offline_page, open_app, visit
from tests.plugin.paths import SCREENSHOTS
from tests.plugin.servers import (
    OfflineGuard,
    Served,
    ServerFactory,
    fetch,
    kernel_processes,
    link_key,
    needs_chromium,
    workbook_cli,
)

pytestmark = needs_chromium

#: Clients opening an exercise at the same moment. The full run (20, the issue's figure)
#: takes about 4 minutes on a 2-CPU machine, so the suite runs 5 (the suite must stay under
#: 12 minutes); the README gives both.
LOAD_CLIENTS = int(os.environ.get("BUYIN_WORKBOOK_LOAD_CLIENTS", "5"))
CHOICE = "voila/render/01-how-much-choice.ipynb"
DANAS_PLAN = "Dana's plan"


@pytest.fixture(scope="module")
def served(
    file_servers: ServerFactory, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    tmp = tmp_path_factory.mktemp("serve")
    db_url = f"sqlite:///{tmp / 'coach.sqlite'}"
    keys, ids = seed_clients(db_url, "Dana", "Sam")
    with WorkbookStore(db_url, client_id=ids["Dana"]) as dana:
        plan = dana.create_plan("Dana's merger plan")
        dana.save_answer(plan.id, "choice", "decisions", [{"id": "d1", "label": "The deadline"}])
        dana.remember_plan(plan.id)
        ids["Dana's plan"] = plan.id
    with WorkbookStore(db_url, client_id=ids["Sam"]) as sam:
        ids["Sam's plan"] = sam.create_plan("Sam's hiring plan").id
    url = file_servers.workbook(
        db_url, "--pool-size=1", "--cull-idle-timeout=120", "--cull-interval=20"
    )
    yield Served(url, db_url, keys, ids, url.log)


# -- refusals (plain HTTP) -------------------------------------------------------------------


def test_clients_add_prints_a_link_that_works_with_the_running_serve(served: Served):
    """`serve` (here on a random port) records where its links point; `clients add` uses it."""
    output = workbook_cli(served.db_url, "clients", "add", "Lee")
    assert "assume" not in output
    link = output.strip().splitlines()[-1]
    assert link.startswith(served.url), (link, served.url)
    status, page = fetch(link)
    assert status == 200 and "Lee" in page
    log = served.log.read_text()
    assert f"links point to {served.url}" in log


def test_a_missing_or_wrong_key_gets_the_refusal_page_and_nothing_else(served: Served):
    dana, coach = served.keys["Dana"], served.keys["coach"]
    wrong = dana[:-4] + ("AAAA" if not dana.endswith("AAAA") else "BBBB")
    plan = served.ids["Dana's plan"]
    for path in [
        "",
        "?key=",
        f"?key={wrong}",
        "?key=<script>alert(1)</script>",
        CHOICE,
        f"{CHOICE}?key={wrong}",
        f"{CHOICE}?key={coach}",
        f"coach?key={dana}",
        "coach",
        f"coach/clients/{served.ids['Dana']}/plans/{plan}?key={dana}",
        "voila/render/05-summary.ipynb?key=x",
    ]:
        status, body = fetch(served.url + path)
        assert status == 403, path
        assert REFUSED in body, path
        for private in ("Dana", "Sam", "merger", "How much choice"):
            assert private not in body, (path, private)
        assert "<script>alert" not in body


def test_no_folder_listing_or_contents_api(served: Served):
    status, body = fetch(served.url + "voila/tree")
    assert status == 403 and REFUSED in body  # sent to the landing page, which refuses
    status, _body = fetch(served.url + "voila/api/contents")
    assert status == 404


def test_a_revoked_link_is_refused_and_a_renewed_one_works(browser, served: Served):
    key = link_key(workbook_cli(served.db_url, "clients", "add", "Eve"))
    assert fetch(f"{served.url}?key={key}")[0] == 200
    assert "link no longer works" in workbook_cli(served.db_url, "clients", "revoke", "eve")
    status, body = fetch(f"{served.url}?key={key}")
    assert status == 403 and REFUSED in body
    guard = OfflineGuard()
    page, errors = offline_page(browser, guard)
    response = visit(page, f"{served.url}voila/render/03-motivators.ipynb?key={key}")
    assert response is not None and response.status == 403
    expect(page.locator(".bw-refused")).to_have_text(REFUSED)
    # Its only links are the language switch's, and none carries the key it refused.
    assert page.locator("a").count() == page.locator(".bw-languages a").count() == 4
    assert page.locator(f'a[href*="{key}"]').count() == 0 and "Eve" not in page.content()
    assert errors == [] and guard.blocked == []
    assert fetch(f"{served.url}{CHOICE}?key={key}")[0] == 403
    renewed = link_key(workbook_cli(served.db_url, "clients", "renew", "Eve"))
    assert fetch(f"{served.url}?key={renewed}")[0] == 200
    assert fetch(f"{served.url}?key={key}")[0] == 403


# -- in the browser ------------------------------------------------------------------------


def test_a_client_works_in_their_own_plans_and_cannot_reach_anothers(browser, served: Served):
    guard = OfflineGuard()
    dana, errors = offline_page(browser, guard)
    visit(dana, f"{served.url}?key={served.keys['Dana']}")
    expect(dana.locator(".bw-client-name")).to_have_text("Dana")
    assert (
        "Dana's merger plan: in progress"
        in dana.locator(".bw-landing-exercise[data-exercise=choice]").inner_text()
    )
    dana.screenshot(path=str(SCREENSHOTS / "serve-client-landing.png"), full_page=True)

    dana.locator(".bw-landing-exercise[data-exercise=choice] a").click()
    dana.wait_for_selector(".bw-plan-picker", timeout=90_000)
    expect(dana.locator("#bw-nav a[aria-current=page]")).to_have_text("How much choice can I give?")
    expect(dana.locator(".bw-plan-select select")).to_contain_text("Dana's merger plan")
    dana.locator(".bw-plan-new-name input").fill("Dana's second plan")
    dana.locator(".bw-plan-create").click()
    dana.wait_for_selector(".bw-suggestion")
    dana.get_by_role("button", name="+ The deadline").click()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with WorkbookStore(served.db_url, client_id=served.ids["Dana"]) as store:
            names = {p.name for p in store.list_plans()}
            second = next((p for p in store.list_plans() if p.name == "Dana's second plan"), None)
            saved = second and store.answers(second.id, "choice").get("decisions")
        if saved:
            break
        time.sleep(0.3)
    assert names == {"Dana's merger plan", "Dana's second plan"}
    with WorkbookStore(served.db_url, client_id=served.ids["Sam"]) as store:
        assert [p.name for p in store.list_plans()] == ["Sam's hiring plan"]

    sam, sam_errors = offline_page(browser, guard)
    visit(sam, f"{served.url}?key={served.keys['Sam']}")
    expect(sam.locator(".bw-client-name")).to_have_text("Sam")
    assert "Dana" not in sam.content() and "merger" not in sam.content()
    sam.locator(".bw-landing-exercise[data-exercise=choice] a").click()
    sam.wait_for_selector(".bw-plan-picker", timeout=90_000)
    expect(sam.locator(".bw-plan-select select")).to_contain_text("Sam's hiring plan")
    assert "Dana" not in sam.locator(".bw-exercise").inner_text()
    # Changing the address does not help: Dana's summary, the dashboard, no key at all.
    dana_summary = f"coach/clients/{served.ids['Dana']}/plans/{served.ids[DANAS_PLAN]}"
    for path in [
        f"{dana_summary}?key={served.keys['Sam']}",
        f"coach?key={served.keys['Sam']}",
        CHOICE,
    ]:
        response = visit(sam, served.url + path)
        assert response is not None and response.status == 403
        expect(sam.locator(".bw-refused")).to_have_text(REFUSED)
        assert "Dana" not in sam.content()
    sam.screenshot(path=str(SCREENSHOTS / "serve-refused.png"))
    assert errors == [] and sam_errors == []
    assert guard.blocked == []
    assert "is not trusted" not in served.log.read_text()  # the workbook's own notebooks


def test_the_coach_dashboard_shows_every_client_and_their_summaries(browser, served: Served):
    guard = OfflineGuard()
    page, errors = offline_page(browser, guard)
    visit(page, f"{served.url}coach?key={served.keys['coach']}")
    clients = page.locator(".bw-coach-client")
    expect(page.locator(".bw-coach-client[data-client=Dana]")).to_contain_text("Dana's merger plan")
    expect(page.locator(".bw-coach-client[data-client=Sam]")).to_contain_text("Sam's hiring plan")
    dana_row = page.locator(".bw-coach-client[data-client=Dana] .bw-coach-plan").filter(
        has_text="Dana's merger plan"
    )
    expect(dana_row.locator(".status").first).to_have_text("in progress")
    # When the plan last changed, as the store has it.
    with WorkbookStore(served.db_url, client_id=served.ids["Dana"]) as dana:
        changed = dana.get_plan(served.ids[DANAS_PLAN]).updated_at
    expect(dana_row.locator(".bw-coach-changed time")).to_have_attribute("datetime", changed)
    expect(dana_row.locator(".bw-coach-changed")).to_have_text(
        changed[:16].replace("T", " ") + " UTC"
    )
    assert clients.count() >= 2
    page.screenshot(path=str(SCREENSHOTS / "serve-coach-dashboard.png"), full_page=True)
    dana_row.locator(".bw-coach-report").click()
    expect(page.locator("h1")).to_contain_text("Dana's merger plan")
    assert errors == [] and guard.blocked == []


def test_the_coach_dashboard_reads_in_the_coachs_language(browser, served: Served):
    """A coach whose browser reads German finds their dashboard and a client's summary in
    German (no English word left outside the clients' and plans' names), with a language
    switch that works by keyboard, and no serious axe finding at 390 and 1400 px."""
    names = ["UTC"]
    with WorkbookStore(served.db_url) as coach:
        for client in coach.clients():
            names.append(client.name)
            with WorkbookStore(served.db_url, client_id=client.id) as own:
                names += [plan.name for plan in own.list_plans()]
    guard = OfflineGuard()
    page = browser.new_page(
        extra_http_headers={"Accept-Language": "de-DE,de;q=0.9"},
        viewport={"width": 1200, "height": 900},
    )
    guard.watch(page)
    visit(page, f"{served.url}coach?key={served.keys['coach']}")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    for width in (390, 1400):
        page.set_viewport_size({"width": width, "height": 900})
        shown = page.locator("main").inner_text()
        left = english_left(shown, names=tuple(sorted(names, key=len, reverse=True)))
        assert left == [], (left, shown)
        assert violations(page) == [], width
    # A client's summary, in German too, and back.
    page.locator(".bw-coach-report").first.click()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    back = page.get_by_role("link", name="← Zurück zu Ihren Klienten")
    expect(back).to_be_visible()
    back.click()
    # The switch, by keyboard: the dashboard in French.
    page.get_by_role("link", name="Français").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Vos clients")).to_be_visible()
    assert guard.blocked == []
    page.close()


def _other_extensions_requirements() -> set[tuple[str, str]]:
    """(module, version range) the other installed labextensions ask the shared scope for
    (ipywidgets' manager, Voila's own widget managers): built against newer JupyterLab
    packages than Voila 0.5 ships, they warn on every page, which is theirs to fix."""
    folder = Path(sys.prefix, "share/jupyter")
    asked: set[tuple[str, str]] = set()
    for entry in folder.glob("**/remoteEntry*.js"):
        if "buyin-workbook" in entry.parts:
            continue
        text = entry.read_text("utf-8")
        # Written out by newer builders, minified by older ones ("^4.5.10" is [1,4,5,10]).
        pattern = r'shareKey:\s*"([^"]+)",\s*import:\s*null,\s*requiredVersion:\s*"([^"]+)"'
        asked |= set(re.findall(pattern, text))
        for name, *version in re.findall(r'"(@[^"]+)",!1,\[1,(\d+),(\d+),(\d+)\]', text):
            asked.add((name, "^" + ".".join(version)))
    return asked


def test_a_member_link_reaches_only_its_client(browser, served: Served):
    guard = OfflineGuard()
    dana, errors = offline_page(browser, guard)
    console: list[str] = []
    dana.on("console", lambda message: console.append(message.text))
    visit(dana, f"{served.url}voila/render/03-motivators.ipynb?key={served.keys['Dana']}")
    dana.wait_for_selector(".bw-plan-picker", timeout=90_000)
    # The workbook's extension asks Voila's JupyterLab packages for versions they have; the
    # warnings left are the other extensions' (see _other_extensions_requirements).
    asked = [
        re.search(r"module (\S+) \(required ([^)]+)\)", line)
        for line in console
        if "Unsatisfied version" in line
    ]
    ours = [found.groups() if found else None for found in asked]
    theirs = _other_extensions_requirements()
    assert [wanted for wanted in ours if wanted not in theirs] == []
    dana.locator(".bw-plan-select select").select_option(label="Dana's merger plan")
    dana.locator(".bw-member-name input").fill("Ana <b>B</b>")
    dana.locator(".bw-member-add").click()
    dana.locator(".bw-member-link").click()
    link = dana.locator(".bw-member-url").inner_text(timeout=30_000)
    assert link.startswith(served.url + "voila/render/about-me.ipynb?key=")
    member_key_text = link.split("key=")[1]
    # One press copies it, to paste into a message to Ana.
    dana.context.grant_permissions(["clipboard-read", "clipboard-write"])
    dana.get_by_role("button", name="Copy the link").click()
    expect(dana.locator(".bw-copy-link-status")).to_have_text("Copied: paste it into your message.")
    assert dana.evaluate("navigator.clipboard.readText()") == link

    member, member_errors = offline_page(browser, guard)
    visit(member, link)
    member.wait_for_selector(".bw-about-send", timeout=90_000)
    assert "Ana <b>B</b>, order these motivators" in member.locator(".bw-exercise").inner_text()
    assert "merger" not in member.content()  # the member sees none of Dana's answers
    member.locator(".bw-about-ranking .bw-cards select").select_option(index=3)
    member.locator(".bw-about-ranking .bw-cards .bw-move-top").click()
    member.locator(
        ".bw-about-ranking .bw-cards .bw-ranking-mark button", has_text="Moves down"
    ).click()
    member.locator(".bw-about-send").click()
    expect(member.locator(".bw-about-message")).to_contain_text("Sent.")
    member.screenshot(path=str(SCREENSHOTS / "serve-member-about-me.png"))

    with WorkbookStore(served.db_url, client_id=served.ids["Dana"]) as store:
        answers = store.answers(served.ids["Dana's plan"], "motivators")
        (member_id,) = [m["id"] for m in answers["members"].value]
        sent = answers[member_key(member_id, "self")].value
    assert sent["name"] == "Ana <b>B</b>"
    assert sorted(sent["order"]) == sorted(m.id for m in load_content().motivators)
    assert list(sent["moves"].values()) == ["down"]  # the card they moved down for the change
    with WorkbookStore(served.db_url, client_id=served.ids["Sam"]) as store:
        assert store.answers(served.ids["Sam's plan"], "motivators") == {}
    # The member's key opens the "about me" page and nothing else.
    assert fetch(f"{served.url}{CHOICE}?key={member_key_text}")[0] == 403
    assert fetch(f"{served.url}coach?key={member_key_text}")[0] == 403
    assert errors == [] and member_errors == [] and guard.blocked == []


def test_many_clients_opening_exercises_at_once_all_get_a_working_app(served: Served):
    with WorkbookStore(served.db_url) as coach:
        keys = [coach.add_client(f"Load client {n}")[1] for n in range(LOAD_CLIENTS)]
    notebooks = [
        "01-how-much-choice",
        "02-am-i-bought-in",
        "03-motivators",
        "04-stakeholders",
        "05-summary",
    ]
    urls = [
        f"{served.url}voila/render/{notebooks[n % 5]}.ipynb?key={key}" for n, key in enumerate(keys)
    ]
    result = open_at_once(urls, ".bw-plan-picker", deadline=240)
    print(f"{LOAD_CLIENTS} clients at once, seconds to a working app: {result.seconds}")
    assert result.ready == LOAD_CLIENTS, (result.seconds, result.errors)
    assert result.errors == [[] for _ in urls]
    assert result.blocked == []


def test_closing_the_tab_right_after_typing_loses_nothing(browser, served: Served):
    guard = OfflineGuard()
    page, errors = offline_page(browser, guard)
    visit(page, f"{served.url}voila/render/02-am-i-bought-in.ipynb?key={served.keys['Sam']}")
    page.wait_for_selector(".bw-plan-picker", timeout=120_000)
    expect(page.locator(".bw-plan-select select")).to_contain_text("Sam's hiring plan")
    kernel = kernel_id(page)
    sentence = "Hire two SREs by March so on-call drops to one week in six"
    page.locator(".bw-sentence textarea").press_sequentially(sentence, delay=15)
    # At once, as a person closes a tab: the last keystrokes are still on their way.
    page.close(run_before_unload=True)
    deadline = time.monotonic() + 30
    saved = None
    while time.monotonic() < deadline and (saved != sentence or kernel_processes(kernel)):
        with WorkbookStore(served.db_url, client_id=served.ids["Sam"]) as store:
            answer = store.answers(served.ids["Sam's plan"], "selfcheck").get("sentence")
        saved = answer.value if answer else None
        time.sleep(0.3)
    # Everything typed is kept, except at most the keystroke still in flight at the close
    # (one the browser had not yet handled when the tab went).
    assert saved in (sentence, sentence[:-1])
    # ... and the closed tab's kernel is gone within seconds, not at the next cull.
    assert kernel_processes(kernel) == []
    assert errors == [] and guard.blocked == []


# -- an open page after its link ends, and two tabs ----------------------------------------


def test_an_erased_clients_open_tab_stops_and_never_reaches_the_next_client(
    browser, served: Served
):
    key_a, _a_id = add_client(served.db_url, "Client A")
    guard = OfflineGuard()
    page, errors = open_app(browser, f"{served.url}{CHOICE}?key={key_a}", guard)
    create_plan(page, "A's plan")
    workbook_cli(served.db_url, "clients", "erase", "Client A", "--yes")
    _b_key, b_id = add_client(served.db_url, "Client B")
    with WorkbookStore(served.db_url, client_id=b_id) as client_b:
        b_plan = client_b.create_plan("B's secret plan")
        client_b.save_answer(b_plan.id, "choice", "reflection/hardest", "B's own words")

    banner = page.locator(".bw-page-guard-banner[data-state=problem]")
    expect(banner).to_contain_text("This link no longer works", timeout=20_000)
    create_plan_attempt = "Made after the erase"
    page.locator(".bw-plan-new-name input").fill(create_plan_attempt)
    page.locator(".bw-plan-create").click()
    expect(page.locator(".bw-plan-message")).to_contain_text("no longer works")
    assert "B's secret plan" not in page.content() and "B's own words" not in page.content()
    with WorkbookStore(served.db_url, client_id=b_id) as client_b:
        assert [p.name for p in client_b.list_plans()] == ["B's secret plan"]
        assert client_b.answers(b_plan.id, "choice")["reflection/hardest"].value == (
            "B's own words"
        )
    assert errors == [] and guard.blocked == []


def test_a_revoked_clients_open_tab_and_member_page_stop_saving(browser, served: Served):
    key, client_id = add_client(served.db_url, "Client R")
    with WorkbookStore(served.db_url, client_id=client_id) as client:
        plan = client.create_plan("R's plan")
        client.remember_plan(plan.id)
        client.save_answer(plan.id, "motivators", "members", [{"id": "m1", "name": "Ana"}])
        member_link = client.add_member_link(plan.id, "m1", "Ana")
    guard = OfflineGuard()
    page, errors = open_app(browser, f"{served.url}{CHOICE}?key={key}", guard)
    member, member_errors = offline_page(browser, guard)
    visit(member, f"{served.url}voila/render/about-me.ipynb?key={member_link}")
    member.wait_for_selector(".bw-about-send", timeout=120_000)

    workbook_cli(served.db_url, "clients", "revoke", "Client R")
    expect(page.locator(".bw-page-guard-banner[data-state=problem]")).to_contain_text(
        "no longer works", timeout=20_000
    )
    page.locator(".bw-plan-new-name input").fill("Made after the revoke")
    page.locator(".bw-plan-create").click()
    expect(page.locator(".bw-plan-message")).to_contain_text("no longer works")
    member.locator(".bw-about-send").click()
    expect(member.locator(".bw-about-message")).to_contain_text("Not sent")
    expect(member.locator(".bw-page-guard-banner[data-state=problem]")).to_be_visible()
    with WorkbookStore(served.db_url, client_id=client_id) as client:
        assert [p.name for p in client.list_plans()] == ["R's plan"]
        assert member_key("m1", "self") not in client.answers(plan.id, "motivators")

    # A renewed link works again, but the member link stays ended.
    renewed = link_key(workbook_cli(served.db_url, "clients", "renew", "Client R"))
    assert fetch(f"{served.url}?key={renewed}")[0] == 200
    assert fetch(f"{served.url}voila/render/about-me.ipynb?key={member_link}")[0] == 403
    assert errors == [] and member_errors == [] and guard.blocked == []


def test_of_two_tabs_on_one_answer_the_one_replaced_is_told(browser, served: Served):
    key, client_id = add_client(served.db_url, "Client T")
    with WorkbookStore(served.db_url, client_id=client_id) as client:
        plan = client.create_plan("T's plan")
        client.remember_plan(plan.id)
    url = f"{served.url}voila/render/02-am-i-bought-in.ipynb?key={key}"
    guard = OfflineGuard()
    first, errors = open_app(browser, url, guard)
    second, second_errors = open_app(browser, url, guard)

    def saved() -> object:
        with WorkbookStore(served.db_url, client_id=client_id) as client:
            answer = client.answers(plan.id, "selfcheck").get("sentence")
        return answer.value if answer else None

    first.locator(".bw-sentence textarea").fill("Ship the pilot by June")
    expect(first.locator(".bw-save-status")).to_contain_text("All answers saved")
    second.locator(".bw-sentence textarea").fill("Ship the pilot to two teams by June")
    expect(second.locator(".bw-notice")).to_contain_text("your version is the one saved now")
    assert saved() == "Ship the pilot to two teams by June"
    # The first tab typed nothing more, and still learns its answer was replaced.
    expect(first.locator(".bw-notice")).to_contain_text(
        "its version is the one saved now", timeout=15_000
    )
    first.locator(".bw-reload").click()
    expect(first.locator(".bw-sentence textarea")).to_have_value(
        "Ship the pilot to two teams by June"
    )
    assert errors == [] and second_errors == [] and guard.blocked == []


def test_the_exercises_are_pre_heated_and_a_member_page_only_while_a_link_to_it_works(
    served: Served,
):
    deadline = time.monotonic() + 180
    filled: set[str] = set()
    exercises = {
        "01-how-much-choice.ipynb",
        "02-am-i-bought-in.ipynb",
        "03-motivators.ipynb",
        "04-stakeholders.ipynb",
        "05-summary.ipynb",
    }
    while time.monotonic() < deadline and not exercises <= filled:
        filled = set(re.findall(r"Kernel pool of (\S+) is filled", served.log.read_text()))
        time.sleep(1)
    warmed = set(re.findall(r"Warm pages of (\S+) for those expected: 1", served.log.read_text()))
    # A member page has no pool of its own: it is warm only for the links earlier tests made.
    assert filled - exercises <= warmed <= set(MEMBER_NOTEBOOKS)


#: A plan far enough along that every step of the choice exercise shows its words: its
#: decisions, their ratings (one held by a limit the client named), the result, a reflection.
_RATED = {
    "decisions": [{"id": "d1", "label": "Termin"}, {"id": "d2", "label": "Werkzeuge"}],
    "rating/d1/what/today": 1,
    "rating/d1/what/possible": 3,
    "rating/d1/how/today": 2,
    "rating/d1/how/possible": 6,
    "rating/d2/what/today": 4,
    "rating/d2/what/possible": 4,
    "rating/d2/how/today": 5,
    "rating/d2/how/possible": 7,
    "constraint/d1/what": {"kind": "role", "nature": "real", "note": ""},
    "reflection/hardest": "Termin",
}


@pytest.mark.parametrize("language", ["de", "fr", "es"])
def test_the_choice_exercise_reads_with_no_english_left(browser, served: Served, language):
    """A client who reads German, French or Spanish finds no English word on the choice
    exercise, from the plan picker to the reading and the charts' words; and the page has no
    serious axe finding at a phone's width and a desktop's."""
    with WorkbookStore(served.db_url) as coach:
        found, key = coach.add_client(f"Client {language}", language)
        client_id = found.id
    with WorkbookStore(served.db_url, client_id=client_id) as client:
        plan = client.create_plan("Umzug")
        for answer, value in _RATED.items():
            client.save_answer(plan.id, "choice", answer, value)
        client.remember_plan(plan.id)
    guard = OfflineGuard()
    page, errors = offline_page(browser, guard)
    visit(page, f"{served.url}{CHOICE}?key={key}")
    expect(page.locator(".bw-chart svg, .bw-chart canvas").first).to_be_visible(timeout=120_000)
    expect(page.locator(".bw-reading p").first).to_be_visible()
    expect(page.locator("#bw-nav a").first).to_be_visible()  # the pages bar, asked of serve
    for width in (390, 1400):
        page.set_viewport_size({"width": width, "height": 900})
        shown = page.locator("body").inner_text()
        assert english_left(shown, names=("Umzug", "Termin", "Werkzeuge")) == [], (width, shown)
        assert violations(page) == [], width
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert errors == [] and guard.blocked == []
    page.close()


def test_the_language_switch_keeps_what_was_typed(browser, served: Served):
    """A client reading German switches the choice exercise to French in the pages bar:
    the page comes back in French with what they had typed still there, a decision not
    added yet and a note (saved as typed) alike; the switch works by keyboard."""
    with WorkbookStore(served.db_url) as coach:
        found, key = coach.add_client("Client switch", "de")
    with WorkbookStore(served.db_url, client_id=found.id) as client:
        plan = client.create_plan("Umzug")
        client.remember_plan(plan.id)
    guard = OfflineGuard()
    page, errors = offline_page(browser, guard)
    visit(page, f"{served.url}{CHOICE}?key={key}")
    decision = page.locator(".bw-decision-text input")
    expect(decision).to_be_visible(timeout=120_000)
    decision.fill("Wer das Budget freigibt")
    note = page.locator(".bw-exercise textarea").first
    note.fill("Die Reihenfolge der Teams")
    french = page.get_by_role("group", name="Sprache").get_by_role("link", name="Français")
    french.focus()
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "fr", timeout=120_000)
    expect(page.get_by_role("link", name="Deutsch")).to_be_visible()
    expect(page.locator(".bw-decision-text input")).to_have_value(
        "Wer das Budget freigibt", timeout=60_000
    )
    expect(page.locator(".bw-exercise textarea").first).to_have_value("Die Reihenfolge der Teams")
    expect(page.get_by_role("group", name="Langue")).to_be_visible()
    for width in (390, 1400):
        page.set_viewport_size({"width": width, "height": 900})
        assert violations(page) == [], width
    assert errors == [] and guard.blocked == []
    page.close()


@pytest.mark.parametrize(
    ("notebook", "language"),
    [
        ("02-am-i-bought-in.ipynb", "de"),
        ("03-motivators.ipynb", "fr"),
        ("04-stakeholders.ipynb", "es"),
        ("05-summary.ipynb", "de"),
    ],
)
def test_the_other_exercises_and_the_summary_read_with_no_english_left(
    browser, served: Served, notebook: str, language: str
):
    """Each other page, one language each (the choice exercise has all three): a client with
    answers under way finds no English word on it, and no serious axe finding, narrow or
    wide."""
    with WorkbookStore(served.db_url) as coach:
        found, key = coach.add_client(f"Kim {notebook}", language)
    with WorkbookStore(served.db_url, client_id=found.id) as client:
        plan = client.create_plan("Umzug")
        people = [{"id": "cfo", "name": "CFO"}, {"id": "ops", "name": "Ops"}]
        for answer, value in {
            ("stakeholders", "stakeholders"): people,
            ("stakeholders", "stakeholder/cfo/state"): "compliance",
            ("stakeholders", "stakeholder/cfo/power"): 4,
            ("stakeholders", "stakeholder/cfo/interest"): 2,
            ("selfcheck", "attitude"): "enrollment",
            ("selfcheck", "sentence"): "Bis März arbeiten alle Teams in der neuen Struktur",
            ("motivators", "members"): [{"id": "m1", "name": "Ana"}],
        }.items():
            client.save_answer(plan.id, *answer, value)
        client.remember_plan(plan.id)
    guard = OfflineGuard()
    page, errors = offline_page(browser, guard)
    visit(page, f"{served.url}voila/render/{notebook}?key={key}")
    # Drawn to its end: an exercise's reference table comes last, the summary its report.
    last = ".bw-report" if notebook == "05-summary.ipynb" else "table.bw-reference"
    expect(page.locator(last).first).to_be_visible(timeout=120_000)
    expect(page.locator(".bw-plan-picker")).to_be_visible()
    expect(page.locator("#bw-nav a").first).to_be_visible(timeout=60_000)
    expect(page.locator("html")).to_have_attribute("lang", language)
    names = ("Umzug", "Kim", "CFO", "Ops", "Ana", "Bis März arbeiten alle Teams")
    for width in (390, 1400):
        page.set_viewport_size({"width": width, "height": 900})
        shown = page.locator("body").inner_text()
        assert english_left(shown, names=names) == [], (width, shown)
        assert violations(page) == [], width
    assert errors == [] and guard.blocked == []
    page.close()


def test_an_exercise_page_speaks_its_clients_language(browser, served: Served):
    """A served exercise follows ``?lang=``, then the client's language set by the coach,
    then the browser's: its ``<html lang>`` and its words (the delegation levels by their
    published names) say so, pre-heated kernel or not."""
    added = workbook_cli(served.db_url, "clients", "add", "Jana", "--language=de")
    assert "They read the workbook in Deutsch." in added
    jana = re.findall(r"\?key=(\S+)", added)[-1]
    luc = link_key(workbook_cli(served.db_url, "clients", "add", "Luc"))
    for key in (jana, luc):
        with WorkbookStore(served.db_url) as coach:
            found = coach.client_for_key(key)
            assert found is not None
        with WorkbookStore(served.db_url, client_id=found.id) as client:
            plan = client.create_plan("Umzug")
            client.save_answer(plan.id, "choice", "decisions", [{"id": "d1", "label": "Termin"}])
            client.remember_plan(plan.id)
    guard = OfflineGuard()
    cases = [
        (jana, "", "fr-FR", "de", "6 · Erkundigen"),  # the coach's choice over the browser's
        (jana, "&lang=es", "fr-FR", "es", "6 · Preguntar"),  # the link's over both
        (luc, "", "fr-FR,fr;q=0.9", "fr", "6 · Enquêter"),  # else the browser's
    ]
    for key, asked, accepted, language, level in cases:
        page = browser.new_page(
            extra_http_headers={"Accept-Language": accepted},
            viewport={"width": 1200, "height": 900},
        )
        guard.watch(page)
        visit(page, f"{served.url}{CHOICE}?key={key}{asked}")
        rating = page.locator(".bw-rate-what-today select").first
        expect(rating).to_be_visible(timeout=120_000)
        assert level in rating.inner_text().replace("\xa0", " "), language
        expect(page.locator("html")).to_have_attribute("lang", language)
        page.close()
    assert guard.blocked == []
