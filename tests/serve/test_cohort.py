"""A course cohort on `jupyter workbook serve`, for real: joining with an alias, the private
link, the facilitator's dashboard (figures only from the fifth finished self-check), Reveal,
a participant's revealed result, sharing a summary, and every way one participant might
reach another's answers. Plain HTTP for the refusals; headless Chromium, cut off from the
network, for what a person sees."""

from __future__ import annotations

import html
import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
import segno
from playwright.sync_api import expect

from buyin_workbook.store import WorkbookStore, shown_join_code
from buyin_workbook.use_cases.visitor import REFUSED
from tests.plugin.axe import violations
from tests.plugin.coach import seed_clients
from tests.plugin.cohort import fill_selfcheck_page, finish_selfcheck
from tests.plugin.languages import english_left
from tests.plugin.pages import offline_page, visit, wait_for_chart
from tests.plugin.paths import SCREENSHOTS
from tests.plugin.servers import (
    OfflineGuard,
    ServerFactory,
    fetch,
    needs_chromium,
    workbook_cli,
)

pytestmark = needs_chromium

SELFCHECK = "voila/render/02-am-i-bought-in.ipynb"
HOSTILE_ALIAS = "<img src=x onerror=window.hacked=1>Kite"


@dataclass
class Course:
    url: str
    db_url: str
    join: str
    facilitator: str
    coach: str
    #: A coach's client on the same server.
    dana: str
    #: alias -> (participant id, key of their private link)
    people: dict[str, tuple[int, str]] = field(default_factory=dict)


@pytest.fixture(scope="module")
def course(
    file_servers: ServerFactory, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Course]:
    tmp = tmp_path_factory.mktemp("cohort")
    db_url = f"sqlite:///{tmp / 'course.sqlite'}"
    created = workbook_cli(
        db_url, "cohort", "create", "Leading change, spring", "--exercises=selfcheck,stakeholders"
    )
    join = created.split("cohort/join?key=")[1].split()[0]
    facilitator = created.split("cohort?key=")[1].split()[0]
    keys, _ids = seed_clients(db_url, "Dana")
    url = file_servers.workbook(db_url, "--pool-size=0")
    yield Course(url, db_url, join, facilitator, keys["coach"], keys["Dana"])


class Form:
    """A browserless visitor: GET a page, then POST its form back (with its XSRF token)."""

    def __init__(self) -> None:
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, url: str) -> tuple[int, str]:
        try:
            with self.opener.open(url, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def post(self, url: str, page: str, **fields: str) -> tuple[int, str]:
        xsrf = re.search(r'name="_xsrf" value="([^"]+)"', page)
        assert xsrf, "the page has a form"
        data = urllib.parse.urlencode({"_xsrf": xsrf.group(1), **fields}).encode()
        try:
            with self.opener.open(url, data=data, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


def _join(course: Course, alias: str) -> tuple[int, str]:
    visitor = Form()
    url = f"{course.url}cohort/join?key={course.join}"
    status, page = visitor.get(url)
    assert status == 200
    return visitor.post(url, page, alias=alias)


# -- plain HTTP: joining and refusals --------------------------------------------------------


def test_join_page_suggests_an_alias_and_says_what_the_facilitator_sees(course: Course):
    status, page = fetch(f"{course.url}cohort/join?key={course.join}")
    assert status == 200
    suggested = re.search(r'name="alias" value="([^"]+)"', page)
    assert suggested and re.fullmatch(r"[A-Z][a-z]+ [A-Z][a-z]+", suggested.group(1))
    assert "Will not see:</strong> your own answers" in page
    assert "form-action 'self'" in _csp(f"{course.url}cohort/join?key={course.join}")
    for wrong in ("", "x", course.facilitator, course.coach):
        status, page = fetch(f"{course.url}cohort/join?key={wrong}")
        assert status == 403 and REFUSED in page, wrong


def _csp(url: str) -> str:
    with urllib.request.urlopen(url, timeout=60) as response:
        return str(response.headers["Content-Security-Policy"])


def test_bad_aliases_get_a_clear_message_and_nothing_is_made(course: Course):
    with WorkbookStore(course.db_url) as store:
        before = len(store.participants(store.find_cohort("Leading change, spring").id))
    status, page = _join(course, "   ")
    assert status == 400 and "Your alias is empty" in page
    status, page = _join(course, "x" * 80)
    assert status == 400 and "Your alias" in page and "characters" in page
    with WorkbookStore(course.db_url) as store:
        assert len(store.participants(store.find_cohort("Leading change, spring").id)) == before


# -- the course, as its people see it --------------------------------------------------------


def test_six_join_the_fifth_unlocks_the_figures_reveal_shows_them(browser, course: Course):
    guard = OfflineGuard()
    page, errors = offline_page(browser, guard)

    # Six join through the join page: the first keeps the suggested alias, one types HTML.
    aliases = []
    for n in range(6):
        visit(page, f"{course.url}cohort/join?key={course.join}")
        box = page.get_by_label("Your alias")
        if n == 2:
            box.fill(HOSTILE_ALIAS)
        elif n > 0:
            box.fill(f"Participant {n}")
        aliases.append(box.input_value())
        if n == 0:
            _check_page(page, "join")
        box.press("Enter")  # Enter submits
        expect(page.locator("h1")).to_contain_text("Welcome")
        expect(page.locator(".bw-private-link")).to_contain_text("your only way back")
        link = page.locator(".bw-private-link-href").inner_text()
        assert link.startswith(course.url)
        with WorkbookStore(course.db_url) as store:
            client = store.client_for_key(link.split("key=")[1])
        assert client is not None and client.name == aliases[-1]
        course.people[aliases[-1]] = (client.id, link.split("key=")[1])
        if n == 0:
            _check_page(page, "joined")
    assert page.evaluate("window.hacked === undefined")

    # The same alias again: a clear message, the form kept.
    visit(page, f"{course.url}cohort/join?key={course.join}")
    page.get_by_label("Your alias").fill("participant 1")
    page.get_by_role("button", name="Join the course").click()
    expect(page.locator(".bw-error")).to_contain_text("already goes by “participant 1”")
    expect(page.get_by_label("Your alias")).to_be_focused()

    # Four finish the self-check in their own pages (each on their private link).
    people = list(course.people.values())
    for n, (pid, key) in enumerate(people[:4]):
        _fill_selfcheck(
            page,
            f"{course.url}{SELFCHECK}?key={key}",
            (pid, key),
            course.db_url,
            attitude=("Commitment", "Enrollment", "Genuine compliance", "Commitment")[n],
            scores=(4, 2 + n % 3, 3, 5 - n % 2, 4),
        )
    dashboard = f"{course.url}cohort?key={course.facilitator}"
    facilitator, _ = offline_page(browser, guard)
    visit(facilitator, dashboard)
    selfcheck = facilitator.locator("#exercise-selfcheck")
    expect(selfcheck).to_contain_text("No figures yet: 4 of 5 needed")
    expect(selfcheck.locator(".bw-cohort-measure")).to_have_count(0)
    rows = facilitator.locator(".bw-participant")
    expect(rows).to_have_count(6)
    expect(facilitator.locator(".bw-participants")).to_contain_text(HOSTILE_ALIAS)

    # The fifth finishes in the browser, in the same app a coach's client uses.
    fifth_alias = aliases[4]
    fifth_id, fifth_key = course.people[fifth_alias]
    visit(page, f"{course.url}?key={fifth_key}")
    # The cohort's two exercises and the summary, nothing else.
    expect(page.locator(".bw-landing-exercise")).to_have_count(3)
    _check_page(page, "participant landing")
    page.get_by_role("link", name="Am I bought in myself?").click()
    page.wait_for_selector(".bw-plan-picker", timeout=180_000)
    expect(page.locator(".bw-cohort-not-yet")).to_contain_text("Once your facilitator reveals")
    _fill_selfcheck(
        page,
        None,
        (fifth_id, fifth_key),
        course.db_url,
        attitude="Enrollment",
        scores=(5, 3, 4, 4, 2),
        plan="Team rota",
        sentence="Everyone on the new rota by 1 March.",
    )
    wait_for_chart(page, ".bw-chart")

    # The facilitator's open dashboard now shows the figures, without a reload: only
    # aggregates, no one's answers.
    expect(selfcheck.locator("[data-measure=ladder]")).to_contain_text("Enrollment")
    expect(selfcheck.locator(".bw-cohort-drawn")).to_contain_text("the 5 people")
    expect(selfcheck).not_to_contain_text("Everyone on the new rota")
    expect(selfcheck).not_to_contain_text(fifth_alias)
    _check_page(facilitator, "facilitator")

    # Reveal (by keyboard): the fifth's page shows the cohort's answers with theirs marked.
    reveal = selfcheck.get_by_role("button", name="Reveal to participants")
    reveal.focus()
    facilitator.keyboard.press("Enter")
    expect(selfcheck.locator(".bw-reveal-state")).to_contain_text("Revealed")
    panel = page.locator(".bw-cohort-panel")
    expect(panel.locator(".bw-cohort-revealed")).to_be_visible(timeout=30_000)
    expect(panel.locator("[data-measure=ladder]")).to_contain_text("◆ you")
    expect(panel.locator(".bw-you")).not_to_have_count(0)
    ladder = panel.locator("[data-measure=ladder] tr", has=page.locator(".bw-you"))
    expect(ladder).to_have_count(1)
    expect(ladder).to_contain_text("Enrollment")
    _check_page(page, "participant's revealed result")
    # Taller than the panel: a screenshot of an element that does not fit is stitched, and
    # Voila's scrolling shell then shows its bar across the top of the picture.
    page.set_viewport_size({"width": 1100, "height": 2200})
    panel.screenshot(path=str(SCREENSHOTS / "cohort-participant-revealed.png"))

    # A sixth finishing changes nothing the facilitator sees: it would be their answer.
    sixth_id, sixth_key = course.people[aliases[5]]
    sixth, _ = offline_page(browser, guard)
    _fill_selfcheck(
        sixth,
        f"{course.url}{SELFCHECK}?key={sixth_key}",
        (sixth_id, sixth_key),
        course.db_url,
        attitude="Apathy",
        scores=(1, 1, 1, 1, 1),
    )
    # Their own page says their answer is not in the figures yet, and marks nothing.
    sixth_panel = sixth.locator(".bw-cohort-panel")
    expect(sixth_panel.locator(".bw-cohort-not-counted")).to_contain_text("not in these figures")
    expect(sixth_panel.locator(".bw-you")).to_have_count(0)
    sixth.close(run_before_unload=True)
    expect(selfcheck.locator(".bw-cohort-waiting")).to_contain_text("6 have finished now (+1)")
    expect(selfcheck.locator("[data-measure=ladder]")).not_to_contain_text("◆")
    apathy = selfcheck.locator("[data-measure=ladder] tr", has_text="Apathy")
    expect(apathy).to_contain_text("0 of 5")
    facilitator.set_viewport_size({"width": 1200, "height": 1600})
    facilitator.screenshot(path=str(SCREENSHOTS / "cohort-facilitator.png"), full_page=True)

    # Hide again: the participant's page goes back to "not yet".
    selfcheck.get_by_role("button", name="Hide from participants").click()
    expect(panel.locator(".bw-cohort-not-yet")).to_be_visible(timeout=30_000)

    assert page.evaluate("window.hacked === undefined")
    assert facilitator.evaluate("window.hacked === undefined")
    assert errors == [] and guard.blocked == []
    page.close(run_before_unload=True)
    facilitator.close()


def _fill_selfcheck(
    page,
    url: str | None,
    who: tuple[int, str],
    db_url: str,
    *,
    attitude: str,
    scores: tuple[int, ...],
    plan: str = "My plan",
    sentence: str = "Cut the queue to two days by June.",
) -> None:
    """A participant finishes the self-check in their page (opened at ``url``, or already
    open), until their store says it is done."""
    if url is not None:
        visit(page, url)
        page.wait_for_selector(".bw-plan-picker", timeout=180_000)
    fill_selfcheck_page(page, attitude=attitude, scores=scores, plan=plan, sentence=sentence)
    pid, key = who
    with WorkbookStore(db_url, client_id=pid, access_key=key) as theirs:
        _wait_until(lambda: _progress(theirs) == "done")


def _progress(store: WorkbookStore) -> str:
    from buyin_workbook.exercises import EXERCISES

    plan = store.list_plans()[0]
    values = {k: a.value for k, a in store.answers(plan.id, "selfcheck").items()}
    return EXERCISES["selfcheck"].progress(values)


def _wait_until(condition, timeout: float = 30) -> None:
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def _check_page(page, name: str) -> None:
    """No serious or critical axe finding, at a phone's width and a desktop's."""
    for width in (390, 1400):
        page.set_viewport_size({"width": width, "height": 900})
        found = violations(page)
        assert found == [], (name, width, found)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1, (name, width, overflow)
    page.set_viewport_size({"width": 1200, "height": 900})


def test_the_presenter_view_and_the_dashboard_follow_six_joining(browser, course: Course):
    """The facilitator puts the presenter view on the projector and keeps the dashboard
    open; six join by the code on the screen and five finish. Both pages follow without a
    reload, the presenter view names no one, and R reveals the figures from the keyboard."""
    with WorkbookStore(course.db_url) as store:
        cohort, facilitator, _join = store.create_cohort(
            "Presenter practice", ["selfcheck", "choice"]
        )
        code = shown_join_code(store.join_code(cohort.id))
    guard = OfflineGuard()
    presenter, errors = offline_page(browser, guard)
    visit(presenter, f"{course.url}cohort/present?key={facilitator}&exercise=selfcheck")
    expect(presenter.locator(".bw-present-code")).to_have_text(code)
    expect(presenter.locator(".bw-present-counts")).to_contain_text("0 joined")
    address = presenter.locator(".bw-present-address").inner_text()
    assert address == f"{urllib.parse.urlsplit(course.url).netloc}/j/{code}"
    # The QR code is the typed address (drawn offline, in the page itself).
    qr = presenter.locator(".bw-present-qr")
    assert qr.get_attribute("src") == segno.make(f"http://{address}", error="m").svg_data_uri(
        scale=10, border=4
    )
    expect(qr).to_have_attribute("alt", f"QR code that opens {address}")
    _check_page(presenter, "presenter view, empty")
    dashboard, dashboard_errors = offline_page(browser, guard)
    visit(dashboard, f"{course.url}cohort?key={facilitator}")
    expect(dashboard.locator(".bw-no-participants")).to_be_visible()

    # The first types the address as read off the screen; the others' phones scan it.
    people: dict[str, tuple[int, str]] = {}
    for n in range(6):
        alias = f"Scanner {n}"
        if n == 0:
            joiner, joiner_errors = offline_page(browser, guard)
            visit(joiner, f"http://{address.lower()}")
            joiner.get_by_label("Your alias").fill(alias)
            joiner.get_by_label("Your alias").press("Enter")
            link = joiner.locator(".bw-private-link-href").inner_text()
            assert joiner_errors == []
            joiner.close()
        else:
            visitor = Form()
            status, page = visitor.get(f"http://{address}")
            assert status == 200 and "Presenter practice" in page
            status, page = visitor.post(f"http://{address}", page, alias=alias)
            assert status == 200, page
            found = re.search(r'class="bw-private-link-href" href="([^"]+)"', page)
            assert found, page
            link = html.unescape(found.group(1))
        key = link.split("key=")[1]
        with WorkbookStore(course.db_url) as store:
            client = store.client_for_key(key)
        assert client is not None and client.name == alias
        people[alias] = (client.id, key)
        expect(presenter.locator(".bw-present-counts")).to_contain_text(f"{n + 1} joined")
        expect(dashboard.locator(".bw-participant")).to_have_count(n + 1)
        expect(dashboard.locator(".bw-cohort-summary")).to_contain_text(f"{n + 1} of at most")

    # Five finish: the counts and "n of 5 needed" move on both pages by themselves.
    section = dashboard.locator("#exercise-selfcheck")
    for n, (pid, key) in enumerate(list(people.values())[:5]):
        finish_selfcheck(
            course.db_url,
            pid,
            key,
            attitude=("commitment", "enrollment", "genuine_compliance", "apathy", "commitment")[n],
            stance="bought_in",
            scores=(4, 3, 2 + n % 3, 5, 4),
        )
        expect(presenter.locator(".bw-present-counts")).to_contain_text(f"{n + 1} of them finished")
        if n < 4:
            expect(section).to_contain_text(f"No figures yet: {n + 1} of 5 needed")
    expect(section.locator(".bw-cohort-drawn")).to_contain_text("the 5 people")
    expect(presenter.locator(".bw-present-hidden")).to_be_visible()
    expect(presenter.locator(".bw-cohort-measure")).to_have_count(0)

    # R reveals, on the projector and to the participants; the dashboard follows.
    presenter.locator("body").press("r")
    expect(presenter.locator("[data-measure=ladder]")).to_contain_text("Enrollment")
    expect(presenter.get_by_role("button", name="Hide from the room")).to_be_focused()
    expect(section.locator(".bw-reveal-state")).to_contain_text("Revealed")
    shown = presenter.locator("main").inner_text()
    assert not any(alias in shown for alias in people), shown
    _check_page(presenter, "presenter view, revealed")
    # On a projector's screen: one figure at a time, large, and nothing to scroll.
    presenter.set_viewport_size({"width": 1400, "height": 900})
    place = presenter.locator("[data-present-figure-place]")
    expect(place).to_have_text("Figure 1 of 4")
    expect(presenter.locator(".bw-cohort-measure:visible")).to_have_count(1)
    text_size = presenter.evaluate(
        "Math.min(...[...document.querySelectorAll('.bw-cohort-measure:not([hidden]) th')]"
        ".map((cell) => parseFloat(getComputedStyle(cell).fontSize)))"
    )
    assert text_size >= 24, text_size
    for figure in range(4):
        height = presenter.evaluate("document.documentElement.scrollHeight")
        assert height <= 900, (figure, height)
        presenter.locator("body").press("PageDown")
    expect(place).to_have_text("Figure 4 of 4")
    presenter.locator("body").press("ArrowUp")
    expect(place).to_have_text("Figure 3 of 4")
    presenter.get_by_role("button", name="↑ Previous figure").click()
    expect(place).to_have_text("Figure 2 of 4")
    expect(presenter.locator(".bw-cohort-measure:visible")).to_have_count(1)
    presenter.locator("body").press("ArrowUp")
    presenter.screenshot(path=str(SCREENSHOTS / "cohort-presenter.png"))
    # ← and → go from exercise to exercise.
    presenter.locator("body").press("ArrowLeft")
    expect(presenter.locator(".bw-present-exercise")).to_have_attribute("data-exercise", "choice")
    expect(presenter.get_by_text("Exercise 1 of 2")).to_be_visible()
    presenter.locator("body").press("ArrowRight")
    expect(presenter.locator(".bw-present-exercise")).to_have_attribute(
        "data-exercise", "selfcheck"
    )
    expect(place).to_have_text("Figure 1 of 4")
    presenter.locator("body").press("R")
    expect(presenter.locator(".bw-present-hidden")).to_be_visible()
    expect(section.locator(".bw-reveal-state")).to_contain_text("Not revealed")
    assert errors == [] and dashboard_errors == [] and guard.blocked == []
    presenter.close()
    dashboard.close()


@pytest.mark.parametrize("language", ["de", "fr", "es"])
def test_the_presenter_view_speaks_the_cohorts_language(browser, course: Course, language):
    """The room reads the cohort's language: the way in, the counts, the keys and the
    revealed figures (their titles, tables and legends) have no English word left, at a
    phone's width and a projector's, with no serious axe finding."""
    with WorkbookStore(course.db_url) as store:
        cohort, facilitator, _join = store.create_cohort(
            f"Kurs {language}", ["selfcheck"], language=language
        )
        people = [store.join_cohort(cohort.id, f"P{n}") for n in range(5)]
    for n, (participant, key) in enumerate(people):
        finish_selfcheck(
            course.db_url,
            participant.id,
            key,
            attitude=("commitment", "enrollment", "apathy", "commitment", "enrollment")[n],
            stance="bought_in",
            scores=(4, 3, 2, 5, 4),
        )
    guard = OfflineGuard()
    presenter, errors = offline_page(browser, guard)
    visit(presenter, f"{course.url}cohort/present?key={facilitator}")
    expect(presenter.locator("html")).to_have_attribute("lang", language)
    presenter.locator("body").press("r")
    expect(presenter.locator(".bw-cohort-measure").first).to_be_visible()
    for width in (390, 1400):
        presenter.set_viewport_size({"width": width, "height": 900})
        for _figure in range(4):
            shown = presenter.locator("body").inner_text()
            left = english_left(shown, names=(f"Kurs {language}", "UTC"))
            assert left == [], (left, shown)
            presenter.locator("body").press("PageDown")
        assert violations(presenter) == [], width
    # The facilitator's dashboard reads the cohort's language too (aliases are names).
    dashboard, dashboard_errors = offline_page(browser, guard)
    visit(dashboard, f"{course.url}cohort?key={facilitator}")
    expect(dashboard.locator("html")).to_have_attribute("lang", language)
    expect(dashboard.locator(".bw-participant")).to_have_count(5)
    for width in (390, 1400):
        dashboard.set_viewport_size({"width": width, "height": 900})
        shown = dashboard.locator("main").inner_text()
        aliases = tuple(f"P{n}" for n in range(5))
        left = english_left(shown, names=(f"Kurs {language}", "UTC", *aliases))
        assert left == [], (left, shown)
        assert violations(dashboard) == [], width
    assert dashboard_errors == []
    dashboard.close()
    # The switch, by keyboard: the same view in English, the figures still shown.
    presenter.get_by_role("link", name="English").focus()
    presenter.keyboard.press("Enter")
    expect(presenter.locator("html")).to_have_attribute("lang", "en")
    expect(presenter.get_by_role("button", name="Hide from the room")).to_be_visible()
    assert errors == [] and guard.blocked == []
    presenter.close()


def _ref_of(course: Course, alias: str) -> str:
    """How the facilitator's dashboard links name a participant (read off its Remove link)."""
    _status, page = fetch(f"{course.url}cohort?key={course.facilitator}")
    found = re.search(
        r'/cohort/participants/([0-9a-f]+)/remove[^"]*">Remove ' + re.escape(html.escape(alias)),
        page,
    )
    assert found is not None, alias
    return found.group(1)


def test_no_participant_reaches_anothers_answers(course: Course):
    """Every address a participant might try with their own key, or none."""
    if len(course.people) < 2:
        pytest.skip("needs the participants of the test above (same module, run in order)")
    (mine_alias, (_mine_id, mine)), (theirs_alias, (theirs_id, theirs)) = list(
        course.people.items()
    )[4:6]
    with WorkbookStore(course.db_url, client_id=theirs_id, access_key=theirs) as store:
        their_plan = store.list_plans()[0].id
    theirs_ref, mine_ref = _ref_of(course, theirs_alias), _ref_of(course, mine_alias)
    refused = [
        f"cohort?key={mine}",
        f"cohort?key={course.join}",
        f"cohort/participants/{theirs_ref}/summary?key={mine}",
        f"cohort/participants/{theirs_ref}/summary?key={course.coach}",
        f"cohort/participants/{theirs_id}/summary?key={course.facilitator}",  # an id: no one
        f"coach?key={mine}",
        f"coach/clients/{theirs_id}/plans/{their_plan}?key={mine}",
        f"voila/render/01-how-much-choice.ipynb?key={mine}",  # not this cohort's exercise
        f"voila/render/about-me.ipynb?key={mine}",
        f"voila/render/06-cohort.ipynb?key={mine}",
        f"voila/render/06-cohort.ipynb?key={course.dana}",  # a coach's client neither
        f"voila/render/02-am-i-bought-in.ipynb?key={course.join}",
        f"voila/render/02-am-i-bought-in.ipynb?key={course.facilitator}",
        f"?key={course.facilitator}",
    ]
    for path in refused:
        status, page = fetch(course.url + path)
        assert status in (403, 404), (path, status)
        assert "Everyone on the new rota" not in page and "Cut the queue" not in page, path
    # The coach's dashboard lists clients, never course participants.
    status, page = fetch(f"{course.url}coach?key={course.coach}")
    assert status == 200 and "Dana" in page and "Participant 1" not in page

    # A summary is readable by the facilitator only while its owner shares it.
    summary = f"{course.url}cohort/participants/{mine_ref}/summary?key={course.facilitator}"
    assert fetch(summary)[0] == 404
    visitor = Form()
    status, landing = visitor.get(f"{course.url}?key={mine}")
    assert status == 200 and "Not shared" in landing
    status, landing = visitor.post(f"{course.url}cohort/share?key={mine}", landing, share="1")
    assert status == 200 and "You share your summary" in landing
    status, report = fetch(summary)
    assert status == 200 and "Team rota" in report
    status, dashboard = fetch(f"{course.url}cohort?key={course.facilitator}")
    assert "Shared: open it" in dashboard
    status, landing = visitor.post(f"{course.url}cohort/share?key={mine}", landing, share="0")
    assert "Not shared" in landing
    assert fetch(summary)[0] == 404
    # Sharing needs the participant's own key; another's key cannot switch it.
    status, _ = visitor.post(f"{course.url}cohort/share?key={course.coach}", landing, share="1")
    assert status == 403


def test_a_closed_cohort_says_so_and_its_people_keep_working(course: Course):
    workbook_cli(course.db_url, "cohort", "close", "Leading change, spring")
    status, page = fetch(f"{course.url}cohort/join?key={course.join}")
    assert status == 403 and "This course is closed" in page
    if course.people:
        _, key = next(iter(course.people.values()))
        status, page = fetch(f"{course.url}?key={key}")
        assert status == 200 and "Leading change, spring" in page


# -- in the participant's language ------------------------------------------------------------

#: Words each language's join page says (its heading and button), to tell them apart.
JOIN_WORDS = {
    "en": "Join the course",
    "de": "Dem Kurs beitreten",
    "fr": "Rejoindre la formation",
    "es": "Unirse al curso",
}


def _new_cohort(course: Course, name: str, *options: str) -> str:
    """A second cohort on the course's server (its join key): the first one's joins and
    closing stay as the tests above leave them."""
    created = workbook_cli(
        course.db_url, "cohort", "create", name, "--exercises=selfcheck,stakeholders", *options
    )
    return created.split("cohort/join?key=")[1].split()[0]


def _get(url: str, accept_language: str = "") -> tuple[int, str, str]:
    """A GET with the browser's Accept-Language: status, page, Content-Language."""
    request = urllib.request.Request(url, headers={"Accept-Language": accept_language})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode(), response.headers["Content-Language"]
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), error.headers["Content-Language"]


def _said_in(page: str) -> str:
    found = re.search(r'<html lang="([a-z]+)">', page)
    assert found, "the page names its language"
    spoken = [code for code, words in JOIN_WORDS.items() if words in page]
    assert spoken == [found.group(1)], (spoken, found.group(1))
    return found.group(1)


def test_a_join_page_speaks_the_asked_then_the_set_then_the_browsers_language(course: Course):
    """``?lang=`` first, then the cohort's language set by the facilitator, then the
    browser's Accept-Language (by weight), else English; the page says which it speaks."""
    french = f"{course.url}cohort/join?key={_new_cohort(course, 'Atelier', '--language=fr')}"
    unset = f"{course.url}cohort/join?key={_new_cohort(course, 'Taller')}"
    spanish_first = "pt-BR, es;q=0.9, de;q=0.8, en;q=0.1"
    cases = [
        (french, "", "fr"),
        (french, spanish_first, "fr"),  # the facilitator's choice over the browser's
        (f"{french}&lang=de", spanish_first, "de"),  # the page's ask over both
        (f"{french}&lang=xx", "", "fr"),  # an unknown ask is passed over, not refused
        (unset, spanish_first, "es"),
        (unset, "de-AT;q=0.5, fr;q=0.7", "fr"),
        (unset, "pt, ja", "en"),
        (unset, "", "en"),
    ]
    for url, accepted, expected in cases:
        status, page, content_language = _get(url, accepted)
        assert status == 200, (url, accepted)
        assert _said_in(page) == expected == content_language, (url, accepted)
    # The exercises it names are named in that language, and every word of it translated.
    status, page, _ = _get(f"{unset}&lang=de")
    assert "Stehe ich selbst dahinter?" in page and "Wer muss noch mitziehen" in page
    # Its refusal too, for a key that opens nothing.
    status, page, _ = _get(f"{course.url}cohort/join?key=nothing&lang=es")
    assert status == 403 and "Este enlace no abre el cuaderno." in page
    assert REFUSED not in page


@pytest.mark.parametrize("language", ["de", "fr", "es"])
def test_the_join_page_and_the_participants_own_page_in_each_language(
    browser, course: Course, language: str
):
    """Opened in German, French or Spanish, offline: no English word left outside names,
    no serious axe finding at 390 and 1400 px; the switch, by keyboard, changes the page's
    language and keeps the alias typed; the participant's own page, once joined, speaks it."""
    name = {"de": "Führung im Wandel", "fr": "Mener le changement", "es": "Liderar el cambio"}
    join = f"{course.url}cohort/join?key={_new_cohort(course, name[language])}"
    guard = OfflineGuard()
    page, errors = offline_page(browser, guard)
    visit(page, f"{join}&lang={language}")
    assert page.evaluate("document.documentElement.lang") == language
    for width in (390, 1400):
        page.set_viewport_size({"width": width, "height": 900})
        assert english_left(page.inner_text("body"), names=(name[language],)) == []
        assert violations(page) == [], (language, width)
        if language == "de" and width == 390:
            page.screenshot(path=SCREENSHOTS / "join-page-de.png", full_page=True)

    # The alias typed so far stays in the box when the page changes language.
    page.fill("#alias", "Mira Sol")
    other = "fr" if language != "fr" else "de"
    switch = page.locator(f".bw-languages [lang={other}]")
    switch.focus()
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", other)
    expect(page.locator(".bw-join-button")).to_have_text(JOIN_WORDS[other])
    expect(page.locator("#alias")).to_have_value("Mira Sol")
    expect(page.locator(f".bw-languages [lang={other}]")).to_have_attribute("aria-current", "true")

    # Back to the page's own language, then joined: their page speaks it too.
    page.locator(f".bw-languages [lang={language}]").click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    page.locator("#alias").press("Enter")  # Enter in the box joins, whatever the switch
    page.wait_for_selector(".bw-private-link")
    assert page.evaluate("document.documentElement.lang") == language
    link = page.inner_text(".bw-private-link-href")
    assert english_left(page.inner_text("body"), names=(name[language], "Mira Sol", link)) == []
    for width in (390, 1400):
        page.set_viewport_size({"width": width, "height": 900})
        assert violations(page) == [], (language, width)
    assert guard.blocked == [] and errors == []
    page.close()


def test_a_refused_alias_is_said_in_the_pages_language(course: Course):
    """An empty or too long alias, and one already taken, are said in German, French or
    Spanish, with a free alias of that language offered in the box."""
    join = f"{course.url}cohort/join?key={_new_cohort(course, 'Sprachen')}"
    said = {
        "de": ("Ihr Alias: Das Feld ist leer.", "Jemand in diesem Kurs heißt schon „Kim“."),
        "fr": ("Votre pseudonyme : le champ est vide.", "s’appelle déjà « Kim »."),
        "es": ("Su alias: el campo está vacío.", "Alguien de este curso ya se llama «Kim»."),
    }
    # The language switch sends the form back: it shows the alias again and joins no one.
    first = Form()
    status, page = first.get(f"{join}&lang=de")
    status, switched = first.post(f"{join}&lang=fr", page, alias="<b>Kim</b>", switch="1")
    assert status == 200 and 'value="&lt;b&gt;Kim&lt;/b&gt;"' in switched
    with WorkbookStore(course.db_url) as store:
        assert store.participants(store.find_cohort("Sprachen").id) == []
    assert first.post(f"{join}&lang=de", page, alias="Kim")[0] == 200
    for language, (empty, taken) in said.items():
        visitor = Form()
        url = f"{join}&lang={language}"
        status, page = visitor.get(url)
        status, answer = visitor.post(url, page, alias="   ")
        assert status == 400 and empty in html.unescape(answer), language
        status, answer = visitor.post(url, page, alias="Kim")
        answer = html.unescape(answer)
        assert status == 400 and taken in answer, language
        offered = re.search(r'name="alias" value="([^"]+)"', answer)
        # The box holds a free alias, not the taken one, and the words name that one.
        assert offered and offered.group(1) != "Kim", language
        words = answer.split(taken)[1].split('name="alias"')[0]
        assert offered.group(1) in words, "said as offered"
        assert english_left(re.sub(r"<[^>]+>", " ", answer.split("<main>")[1])) == [], language
