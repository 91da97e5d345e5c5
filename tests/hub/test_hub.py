"""Cohorts on a real JupyterHub: JupyterHub's proxy, each participant's own JupyterLab,
the workbook's cohort service run by the hub on a real PostgreSQL. Participants finish the
self-check in JupyterLab (their answers stay in their own server; only the anonymous
measures reach the service); the facilitator's dashboard shows figures from the fifth; a
reveal reaches a participant's open notebook; and no participant or outsider can read what
is not theirs, through the browser or with their own token."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from buyin_workbook.exercises import EXERCISES
from buyin_workbook.languages import translator
from buyin_workbook.use_cases.hub_cohort import CohortService, CohortServiceError
from tests.plugin.axe import violations
from tests.plugin.cohort import fill_selfcheck_page
from tests.plugin.databases import PostgresServer, postgres_missing_reason
from tests.plugin.hub import (
    PASSWORD,
    SERVER_TOKEN_SCOPES,
    Hub,
    call,
    hub_missing_reason,
    running_hub,
)
from tests.plugin.languages import english_left
from tests.plugin.pages import offline_page
from tests.plugin.paths import ROOT, SCREENSHOTS
from tests.plugin.servers import OfflineGuard, chromium_missing_reason

_missing = hub_missing_reason() or postgres_missing_reason() or chromium_missing_reason()
needs_hub = pytest.mark.skipif(_missing is not None, reason=_missing or "")
DOCS = ROOT / "docs" / "jupyterhub"

COHORT = "cohort-leading-change"
SENTENCE = "Cut the on-call queue to two days by June <b>really</b>"
GROUPS = {
    COHORT: ["p1", "p2", "p3", "p4", "p5", "p6"],
    "cohort-other": ["outsider"],
    "facilitators": ["facilitator"],
    "strangers": ["stranger"],
}
FOUNDATIONS = ("clear", "compelling", "realistic", "consistent", "understood")


@dataclass
class Course:
    hub: Hub
    service_db: str
    postgres: PostgresServer


#: How long this hub's service trusts the hub's answer about a user (60 s by default): short
#: here, so the test can wait for access taken away to stop working.
AUTH_CACHE_SECONDS = 4


@pytest.fixture(scope="module")
def course(postgres: PostgresServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Course]:
    service_db = postgres.new_database()
    with running_hub(
        tmp_path_factory.mktemp("hub"),
        service_db,
        GROUPS,
        service_args=(f"--auth-cache-seconds={AUTH_CACHE_SECONDS}",),
    ) as hub:
        yield Course(hub, service_db, postgres)


def _selfcheck_measures(attitude: str, scores: tuple[int, ...]) -> dict:
    """What a participant's workbook sends for a finished self-check (its own scoring)."""
    answers = {"attitude": attitude, "stance": "bought_in", "sentence": SENTENCE}
    answers |= {f"foundation/{f}/score": s for f, s in zip(FOUNDATIONS, scores, strict=True)}
    assert EXERCISES["selfcheck"].progress(answers) == "done"
    return EXERCISES["selfcheck"].cohort_values(answers)


def _facilitator_token(hub: Hub) -> str:
    """A token of the facilitator's, with the cohort's facilitator scope."""
    scopes = ["access:services!service=workbook", f"custom:workbook:facilitate!group={COHORT}"]
    return hub.api("POST", "/users/facilitator/tokens", {"scopes": scopes})["token"]  # type: ignore[no-any-return]


def _log_in(page, hub: Hub, user: str) -> None:
    page.goto(f"{hub.url}hub/login", wait_until="domcontentloaded")
    page.locator("input[name=username]").fill(user)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_load_state("domcontentloaded")


def _selfcheck_in_jupyterlab(page, hub: Hub, user: str, attitude: str, scores) -> None:
    """Log in, open the self-check from the launcher, finish it, see it sent."""
    _log_in(page, hub, user)
    page.goto(f"{hub.url}user/{user}/lab", wait_until="domcontentloaded")
    section = page.locator(".jp-Launcher-section").filter(has_text="Buy-in Workbook")
    section.locator(".jp-LauncherCard").filter(has_text="Am I bought in").click(timeout=90_000)
    expect(page.locator("#jp-main-statusbar")).to_contain_text("Idle", timeout=90_000)
    page.get_by_role("menuitem", name="Run").click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    page.wait_for_selector(".bw-plan-picker", timeout=120_000)
    fill_selfcheck_page(page, attitude=attitude, scores=scores, sentence=SENTENCE)
    panel = page.locator(".bw-hub-cohort-panel")
    expect(panel.locator(".bw-hub-sent")).to_contain_text("Sent", timeout=60_000)


@needs_hub
def test_a_cohort_on_jupyterhub(browser, course: Course) -> None:
    hub = course.hub
    guard = OfflineGuard()
    service = hub.service()
    hub.start_servers("p1")
    facilitator = _facilitator_token(hub)
    # Before any participant's workbook has reached the service, there is no cohort yet
    # (a facilitator's visit makes none).
    status, body = call(f"{service}api/cohorts/{COHORT}/figures", facilitator)
    assert status == 404 and "No participant of that cohort" in body["error"]
    # A workbook page says the service's refusal in its own reader's language.
    with pytest.raises(CohortServiceError) as refused:
        CohortService(service, facilitator).results(COHORT, "selfcheck")
    assert translator("de").said(refused.value).startswith("Sie nehmen an diesem Kurs nicht teil")
    assert str(refused.value).startswith("You are not a participant of that cohort")

    # The first participant, in their own JupyterLab.
    p1, p1_errors = offline_page(browser, guard)
    _selfcheck_in_jupyterlab(p1, hub, "p1", "Enrollment", (4, 3, 4, 2, 5))
    panel = p1.locator(".bw-hub-cohort-panel")
    expect(panel).to_contain_text(COHORT)
    expect(panel.locator(".bw-hub-shared li")).to_have_count(
        len(EXERCISES["selfcheck"].content().cohort)
    )
    expect(panel.locator(".bw-cohort-not-yet")).to_be_visible()
    expect(p1.locator(".bw-exercise").first).to_contain_text("in your own server on this hub")
    own_store = hub.folder / "homes" / "p1" / ".local" / "share" / "jupyter" / "buyin_workbook"
    assert (
        SENTENCE.encode()
        in (own_store / "workbook.sqlite-wal").read_bytes()
        + (own_store / "workbook.sqlite").read_bytes()
    )

    # Three more send through the workbook's client (the calls a participant's notebook
    # makes), each with their own hub token.
    for user, attitude, scores in [
        ("p2", "genuine_compliance", (3, 3, 3, 3, 3)),
        ("p3", "enrollment", (5, 4, 4, 4, 4)),
        ("p4", "formal_compliance", (2, 2, 3, 1, 2)),
    ]:
        CohortService(service, hub.token(user)).send(
            COHORT, "selfcheck", _selfcheck_measures(attitude, scores)
        )

    # The facilitator: four have finished, so no figures yet.
    desk, desk_errors = offline_page(browser, guard)
    _log_in(desk, hub, "facilitator")
    index = desk.goto(service, wait_until="domcontentloaded")
    # No page (a notebook's output on this hub, say) may frame the service's pages.
    assert index is not None and index.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in index.headers["content-security-policy"]
    desk.get_by_role("link", name=COHORT).click()
    selfcheck = desk.locator("#exercise-selfcheck")
    expect(selfcheck).to_contain_text("No figures yet: 4 of 5 needed")
    expect(desk.locator(".bw-participant")).to_have_count(4)

    # The fifth sends: the figures appear, drawn from five.
    CohortService(service, hub.token("p5")).send(
        COHORT, "selfcheck", _selfcheck_measures("enrollment", (5, 5, 4, 4, 4))
    )
    desk.reload(wait_until="domcontentloaded")
    expect(selfcheck.locator(".bw-cohort-drawn")).to_contain_text("the 5 people")
    expect(selfcheck.locator("[data-measure=ladder]")).to_contain_text("Enrollment")
    assert "Cut the on-call queue" not in desk.content()
    for width in (390, 1400):
        desk.set_viewport_size({"width": width, "height": 900})
        assert violations(desk) == [], width
    desk.set_viewport_size({"width": 1400, "height": 900})
    desk.screenshot(path=str(SCREENSHOTS / "hub-facilitator.png"), full_page=True)
    # In German, by the language switch and by keyboard: no English word left (but the
    # hub's names), and its links (the way back to the cohorts, the reveal) stay German.
    desk.get_by_role("link", name="Deutsch").focus()
    desk.keyboard.press("Enter")
    expect(desk.locator("html")).to_have_attribute("lang", "de")
    expect(selfcheck).to_contain_text("Engagement")
    names = (COHORT, "JupyterLab", *(f"p{n}" for n in range(1, 6)))
    for width in (390, 1400):
        desk.set_viewport_size({"width": width, "height": 900})
        shown = desk.locator("main").inner_text()
        assert english_left(shown, names=names) == [], shown
        assert violations(desk) == [], width
    desk.get_by_role("link", name="Kurse").click()
    expect(desk.locator("h1")).to_have_text("Ihre Kurse")
    desk.get_by_role("link", name=COHORT).click()
    expect(desk.locator("html")).to_have_attribute("lang", "de")
    desk.get_by_role("link", name="English").click()
    expect(desk.locator("html")).to_have_attribute("lang", "en")

    # Reveal, by keyboard: p1's open notebook shows the figures, their own marked.
    reveal = selfcheck.get_by_role("button", name="Reveal to participants")
    reveal.focus()
    desk.keyboard.press("Enter")
    expect(selfcheck.locator(".bw-reveal-state")).to_contain_text("Revealed")
    revealed = p1.locator(".bw-hub-cohort-panel")
    expect(revealed.locator(".bw-cohort-revealed")).to_be_visible(timeout=60_000)
    expect(revealed.locator("[data-measure=ladder]")).to_contain_text("◆")
    revealed.locator(".bw-cohort-revealed").scroll_into_view_if_needed()
    p1.screenshot(path=str(SCREENSHOTS / "hub-participant-lab.png"))

    # Whether one's own figures are in those shown is said to oneself alone: p1's are; p6,
    # who sends after the release, is told theirs are not (and their page marks nothing).
    p1_token = hub.token("p1")
    assert call(f"{service}api/cohorts/{COHORT}/results/selfcheck", p1_token)[1]["counted"]
    late = CohortService(service, hub.token("p6"))
    late.send(COHORT, "selfcheck", _selfcheck_measures("apathy", (1, 2, 1, 2, 1)))
    late_view = late.results(COHORT, "selfcheck")
    assert late_view["counted"] is False and "contributors" not in late_view
    late.withdraw(COHORT)  # the rest of the course goes on with the five

    # Only numbers and listed choices reached the service's database.
    files = course.postgres.relation_files(course.service_db)
    assert not any(b"on-call queue" in f.read_bytes() for f in files if f.exists())

    # A participant's own token: no facilitator API, no other cohort, no made-up measures.
    assert call(f"{service}api/cohorts/{COHORT}/figures", p1_token)[0] == 403
    assert call(f"{service}api/cohorts/cohort-other/results/selfcheck", p1_token)[0] == 403
    assert call(f"{service}api/cohorts/cohort-other/measures", p1_token, "DELETE")[0] == 403
    status, body = call(
        f"{service}api/cohorts/{COHORT}/measures/selfcheck",
        p1_token,
        "PUT",
        {"measures": {"ladder": "<script>alert(1)</script>"}},
    )
    assert status == 400 and "must be one of the exercise's listed choices" in body["error"]
    # In words and blanks, as every refusal: a page says it in its reader's language.
    assert body["values"]["measure"] == "ladder"
    german = translator("de").gettext(body["words"], **body["values"])
    assert "ladder" in german and english_left(german, names=("ladder",)) == [], german
    # Nor a number no page gives, nor nothing at all (which would count as sent).
    for measures, words in (
        ({"foundations": {"clear": 999}}, "must be numbers from 1 to 5"),
        ({"foundations": {"clear": -1000}}, "must be numbers from 1 to 5"),
        ({}, "Nothing to send"),
    ):
        status, body = call(
            f"{service}api/cohorts/{COHORT}/measures/selfcheck",
            p1_token,
            "PUT",
            {"measures": measures},
        )
        assert status == 400 and words in body["error"], measures
    # Nor a body bigger than any exercise's measures (refused before it is read), nor one
    # nested deeper than they are.
    measures_url = f"{service}api/cohorts/{COHORT}/measures/selfcheck"
    status, body = call(measures_url, p1_token, "PUT", {"measures": {"x": "y" * 100_000}})
    assert status == 413 and "over 64 KB" in body["error"]
    # (Over a megabyte the service closes the connection unread: the proxy says 503.)
    status, _ = call(measures_url, p1_token, "PUT", {"measures": {"x": "y" * 2_000_000}})
    assert status in (400, 413, 502, 503)
    deep = ('{"measures": ' * 4_000 + "{}" + "}" * 4_000).encode()  # 56 KB, 4,000 deep
    request = urllib.request.Request(measures_url, data=deep, method="PUT")
    request.add_header("Authorization", f"token {p1_token}")
    try:
        urllib.request.urlopen(request, timeout=60)
        status, text = 200, ""
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read().decode()
    assert status == 400 and "nested no deeper" in text
    assert call(f"{service}api/me", p1_token)[0] == 200  # and the service goes on
    # Their browser, logged in: the dashboard is refused with a message.
    tab, tab_errors = offline_page(browser, guard)
    _log_in(tab, hub, "p1")
    response = tab.goto(f"{service}cohorts/{COHORT}", wait_until="domcontentloaded")
    assert response is not None and response.status == 403
    expect(tab.locator(".bw-refused")).to_contain_text("for the course's facilitators")
    tab.goto(f"{service}cohorts/{COHORT}?lang=fr", wait_until="domcontentloaded")
    expect(tab.locator(".bw-refused")).to_contain_text("réservée à l'animation")
    response = tab.goto(f"{service}api/cohorts/{COHORT}/figures", wait_until="domcontentloaded")
    assert response is not None and response.status == 403
    # Someone outside the cohort, and someone the hub gives no access at all.
    outsider = hub.token("outsider")
    assert call(f"{service}api/cohorts/{COHORT}/results/selfcheck", outsider)[0] == 403
    assert call(f"{service}api/cohorts/{COHORT}/figures", outsider)[0] == 403
    stranger = hub.api("POST", "/users/stranger/tokens", {})["token"]
    assert call(f"{service}api/me", stranger)[0] == 403
    # The facilitator's scope names one cohort: not the other.
    status, figures = call(f"{service}api/cohorts/{COHORT}/figures", facilitator)
    assert status == 200 and figures["exercises"]["selfcheck"]["finished"] == 5
    assert "contributors" not in str(figures) and "answers" not in str(figures)
    # For an export: the answers behind each figure as counts, and never whose.
    status, figures = call(f"{service}api/cohorts/{COHORT}/figures?answers=1", facilitator)
    ladder = figures["exercises"]["selfcheck"]["figures"]["ladder"]
    assert sum(answer["people"] for answer in ladder["answers"]) == 5
    assert "contributors" not in str(figures) and "user" not in str(figures)
    assert call(f"{service}api/cohorts/cohort-other/figures", facilitator)[0] == 403
    # A page number past any course's end is an empty page, not a database problem.
    status, _ = call(f"{service}cohorts/{COHORT}?page=99999999999999999999", facilitator)
    assert status == 200

    # A participant takes back what their workbook sent.
    p2 = CohortService(service, hub.token("p2"))
    p2.withdraw(COHORT)
    desk.reload(wait_until="domcontentloaded")
    expect(desk.locator(".bw-participant")).to_have_count(4)
    # So does one in their notebook, by keyboard; their open page sends nothing after it.
    stop = p1.get_by_role("button", name="Stop sending and take mine back")
    stop.focus()
    p1.keyboard.press("Enter")
    expect(p1.locator(".bw-hub-sent")).to_contain_text("Not sent: you stopped", timeout=30_000)
    expect(p1.get_by_role("button", name="Send my figures again")).to_be_visible()
    p1.wait_for_timeout(5_000)  # two of the page's looks at its plan
    desk.reload(wait_until="domcontentloaded")
    expect(desk.locator(".bw-participant")).to_have_count(3)
    assert "p1" not in desk.locator(".bw-participants").inner_text()
    assert p1_errors == desk_errors == tab_errors == []
    assert guard.blocked == []


def _seconds_until(refused: Callable[[], bool], limit: float) -> float:
    """How long until ``refused()`` holds (asked every quarter second), at most ``limit``."""
    started = time.monotonic()
    while not refused():
        assert time.monotonic() - started < limit, f"still allowed after {limit} s"
        time.sleep(0.25)
    return time.monotonic() - started


@needs_hub
def test_access_taken_away_on_the_hub_stops_within_the_trusted_time(course: Course) -> None:
    """A participant taken out of the cohort's group, a facilitator whose role is taken
    away, a revoked token: each stops working once the service's trust in the hub's last
    answer runs out (``--auth-cache-seconds``), never later."""
    hub, service = course.hub, course.hub.service()
    limit = AUTH_CACHE_SECONDS + 3  # the trusted time, and the hub's own answer
    p6 = hub.token("p6")
    status, me = call(f"{service}api/me", p6)
    assert status == 200 and [c["group"] for c in me["cohorts"]] == [COHORT]
    hub.api("DELETE", f"/groups/{COHORT}/users", {"users": ["p6"]})
    # (The hub's own role for cohort members goes with the group: the service then refuses
    # them altogether, or, with access of another kind, lists no cohort.)
    _seconds_until(
        lambda: (reply := call(f"{service}api/me", p6))[0] == 403 or reply[1]["cohorts"] == [],
        limit,
    )
    assert call(f"{service}api/cohorts/{COHORT}/results/selfcheck", p6)[0] == 403

    facilitator = _facilitator_token(hub)
    assert call(f"{service}api/cohorts/{COHORT}/figures", facilitator)[0] in (200, 404)
    hub.api("DELETE", "/groups/facilitators/users", {"users": ["facilitator"]})
    _seconds_until(
        lambda: call(f"{service}api/cohorts/{COHORT}/figures", facilitator)[0] == 403, limit
    )

    scopes = ["access:services!service=workbook", "read:services!service=workbook"]
    made = hub.api("POST", "/users/p5/tokens", {"scopes": scopes})
    p5 = made["token"]
    assert call(f"{service}api/me", p5)[0] == 200
    hub.api("DELETE", f"/users/p5/tokens/{made['id']}")
    _seconds_until(lambda: call(f"{service}api/me", p5)[0] == 403, limit)


def test_the_service_asks_the_hub_through_one_client_with_its_own_trusted_time():
    """Every handler (and the login's callback) uses the service's HubOAuth, whose cache
    is the service's setting, a minute by default; not the process's singleton (five)."""
    from buyin_workbook.apps.cohortserviceapp import CohortServiceApp
    from buyin_workbook.hub.service import ServiceSettings, make_app
    from buyin_workbook.store import WorkbookStore

    assert CohortServiceApp.auth_cache_seconds.default_value == 60
    settings = ServiceSettings(WorkbookStore("sqlite://"), ("selfcheck",), 5, "s", "cohort-")
    app = make_app(settings, cookie_secret=b"x" * 32)
    rules = app.wildcard_router.rules
    assert len(rules) == 9
    for rule in rules:
        assert rule.target_kwargs["hub_auth"].cache_max_age == 60, rule.matcher
    assert len({id(rule.target_kwargs["hub_auth"]) for rule in rules}) == 1


def test_the_documented_hub_settings_grant_what_the_tested_hub_does():
    """The README's jupyterhub_config.py and Helm values give the service, the users and
    their servers the scopes the tests above run with."""
    import yaml
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("jupyterhub_config.py", path=str(DOCS)).load_config()
    values = yaml.safe_load((DOCS / "z2jh-values.yaml").read_text("utf-8"))
    assert config.Spawner.server_token_scopes == SERVER_TOKEN_SCOPES
    assert values["hub"]["config"]["KubeSpawner"]["server_token_scopes"] == SERVER_TOKEN_SCOPES
    roles = {role["name"]: role for role in config.JupyterHub.load_roles}
    helm_roles = values["hub"]["loadRoles"]
    for name in ("workbook-facilitator", "workbook-user"):
        assert roles[name]["scopes"] == helm_roles[name]["scopes"]
    assert roles["workbook-user"]["scopes"] == [
        "access:services!service=workbook",
        "read:services!service=workbook",
    ]
    (service,) = config.JupyterHub.services
    helm_service = values["hub"]["services"]["workbook"]
    for settings in (service, helm_service):
        assert settings["command"][:3] == ["jupyter", "workbook", "cohort-service"]
        assert settings["oauth_client_allowed_scopes"] == ["custom:workbook:facilitate"]
    assert "custom:workbook:facilitate" in config.JupyterHub.custom_scopes
