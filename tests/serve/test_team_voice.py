"""The team's own voice, served for real: three team members answer a leader's questions
through their own links in headless Chromium (network cut off), see nothing of the leader's
answers or each other's by any address, and the leader reveals their answers together."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from buyin_workbook.kit.team_voice import MEMBERS_KEY
from buyin_workbook.store import WorkbookStore
from tests.plugin.axe import violations
from tests.plugin.coach import seed_clients
from tests.plugin.languages import english_left
from tests.plugin.pages import offline_page, open_app, visit, wait_for_chart
from tests.plugin.paths import SCREENSHOTS
from tests.plugin.servers import (
    OfflineGuard,
    Served,
    ServerFactory,
    fetch,
    needs_chromium,
)

pytestmark = needs_chromium

CHOICE = "voila/render/01-how-much-choice.ipynb"


@pytest.fixture(scope="module")
def served(
    file_servers: ServerFactory, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    tmp = tmp_path_factory.mktemp("serve")
    db_url = f"sqlite:///{tmp / 'coach.sqlite'}"
    keys, ids = seed_clients(db_url, "Dana")
    url = file_servers.workbook(db_url, "--pool-size=1")
    yield Served(url, db_url, keys, ids, url.log)


TEAM_PLAN = "Dana's team plan"
LEADER_SECRET = "ZEBRA-REFLECTION-11"


def test_three_members_say_through_their_links_and_the_leader_reveals_it(browser, served: Served):
    """A leader asks three team members for their say on a plan's decisions; each answers
    through their own link and sees nothing of the leader's ratings or the others' answers,
    by any link or address; the leader reveals the answers together."""
    with WorkbookStore(served.db_url, client_id=served.ids["Dana"]) as dana:
        plan = dana.create_plan(TEAM_PLAN)
        decisions = [("d1", "The deadline"), ("d2", "Which tools we use <b>now</b>")]
        dana.save_answer(
            plan.id, "choice", "decisions", [{"id": i, "label": n} for i, n in decisions]
        )
        for key, level in {"d1/what/today": 5, "d1/what/possible": 6, "d2/how/today": 3}.items():
            dana.save_answer(plan.id, "choice", f"rating/{key}", level)
        dana.save_answer(plan.id, "choice", "reflection/hardest", LEADER_SECRET)
    guard = OfflineGuard()
    leader, errors = open_app(browser, f"{served.url}{CHOICE}?key={served.keys['Dana']}", guard)
    leader.locator(".bw-plan-select select").select_option(label=TEAM_PLAN)
    leader.wait_for_selector(".bw-voice-name input")
    for name in ("Ana", "Ben", "Cy <i>x</i>"):
        leader.locator(".bw-voice-name input").fill(name)
        leader.keyboard.press("Enter")  # Enter adds, and the focus stays in the box
        expect(leader.locator(".bw-voice-member").last).to_contain_text(name)
        assert leader.evaluate("document.activeElement.tagName") == "INPUT"
    links = []
    for n in range(3):
        leader.locator(".bw-voice-link").nth(n).click()
        url = leader.locator(".bw-voice-member").nth(n).locator(".bw-voice-url")
        links.append(url.inner_text(timeout=30_000))
    assert all(link.startswith(served.url + "voila/render/my-say.ipynb?key=") for link in links)
    expect(leader.locator(".bw-voice-count")).to_contain_text("0 of the 3 needed")
    expect(leader.locator(".bw-voice-reveal")).to_be_disabled()

    votes = [(2, 6), (3, 7), (2, 6)]  # (WHAT today, WHAT want) on the deadline, per member
    member_errors: list[str] = []
    for n, (link, (today, want)) in enumerate(zip(links, votes, strict=True)):
        member, found = offline_page(browser, guard)
        visit(member, link)
        member.wait_for_selector(".bw-member-send", timeout=120_000)
        text = member.locator(".bw-member-page").inner_text()
        assert "Which tools we use <b>now</b>" in text  # the leader's words, shown as text
        assert LEADER_SECRET not in member.content() and TEAM_PLAN not in member.content()
        # Nothing chosen: neither the leader's levels nor an earlier member's answers.
        chosen = member.eval_on_selector_all(".bw-member-page select", "s => s.map(e => e.value)")
        assert set(chosen) == {"Choose a level"} and len(chosen) == 8
        if n == 0:
            member.locator(".bw-member-send").click()
            expect(member.locator(".bw-member-message")).to_contain_text(
                "for every decision before sending: 8 still to choose"
            )
        # Every question is asked: 4 · Agree on all but the deadline's WHAT.
        for select in member.locator(".bw-member-page select").all():
            select.select_option(index=4)
        member.locator(".bw-say-what-today select").first.select_option(index=today)
        member.locator(".bw-say-what-want select").first.select_option(index=want)
        member.locator(".bw-member-send").focus()
        member.keyboard.press("Enter")
        expect(member.locator(".bw-member-message")).to_contain_text("Sent.", timeout=30_000)
        if n == 0:
            member.set_viewport_size({"width": 390, "height": 844})
            assert violations(member) == []
            member.screenshot(path=str(SCREENSHOTS / "serve-member-say.png"), full_page=True)
        member.close()
        member_errors += found

    # By any address, a member's key opens their one page and nothing else.
    key = links[0].split("key=")[1]
    for path in (
        CHOICE,
        "voila/render/about-me.ipynb",
        "voila/render/goal-in-my-words.ipynb",
        "voila/render/05-summary.ipynb",
        "voila/render/02-am-i-bought-in.ipynb",
        "coach",
        f"coach/clients/{served.ids['Dana']}/plans/{plan.id}",
    ):
        status, body = fetch(f"{served.url}{path}?key={key}")
        assert status == 403, path
        assert LEADER_SECRET not in body and "The deadline" not in body
    status, body = fetch(f"{served.url}buyin/nav?key={key}")
    assert '"links": []' in body

    # The leader's open page counts them in; Reveal, by keyboard, shows them together.
    expect(leader.locator(".bw-voice-count")).to_contain_text("3 of the 3 needed", timeout=30_000)
    leader.locator(".bw-voice-reveal").focus()
    leader.keyboard.press("Enter")
    findings = leader.locator(".bw-team-say-findings")
    expect(findings).to_contain_text("the team feels less say than you believe you give")
    # Hand-computed: WHAT on the deadline, their middle answer today 2 against Dana's 5.
    expect(findings).to_contain_text("You said 5 · ")
    expect(findings).to_contain_text("their middle answer is 2 · ")
    wait_for_chart(leader, ".bw-team-say-chart")
    for name in ("Ana", "Ben", "Cy"):
        assert name not in findings.inner_text()
    assert leader.evaluate("document.activeElement.textContent").strip() == "Hide their answers"
    for width in (390, 1400):
        leader.set_viewport_size({"width": width, "height": 900})
        assert violations(leader, ".bw-voice") == []
    # The heading, the panel, the chart and the reading: a tall window holds them all (the
    # page scrolls inside its own container, which a full-page screenshot does not follow).
    leader.set_viewport_size({"width": 1400, "height": 2400})
    top, bottom = leader.evaluate(
        "() => { document.querySelector('.bw-voice').scrollIntoView({block: 'center'});"
        " const panel = document.querySelector('.bw-voice').getBoundingClientRect();"
        " const text = document.querySelector('.bw-team-say').getBoundingClientRect();"
        " return [panel.top, text.bottom]; }"
    )
    leader.screenshot(
        path=str(SCREENSHOTS / "serve-team-say.png"),
        clip={"x": 0, "y": max(top - 60, 0), "width": 1400, "height": bottom - top + 80},
    )
    assert errors == [] and member_errors == [] and guard.blocked == []


def test_three_members_write_the_goal_and_the_leader_sees_it_without_names(browser, served: Served):
    """The goal in their words: three members write the plan's goal through their links
    (Enter sends), the leader reveals them and sees them unattributed beside their own."""
    leader_sentence = "By March, customers get an answer to every ticket within one day."
    with WorkbookStore(served.db_url, client_id=served.ids["Dana"]) as dana:
        plan = dana.create_plan("Dana's support plan")
        dana.save_answer(plan.id, "selfcheck", "sentence", leader_sentence)
    guard = OfflineGuard()
    leader, errors = open_app(
        browser,
        f"{served.url}voila/render/02-am-i-bought-in.ipynb?key={served.keys['Dana']}",
        guard,
    )
    leader.locator(".bw-plan-select select").select_option(label="Dana's support plan")
    for name in ("Ana", "Ben", "Cy"):
        leader.locator(".bw-voice-name input").fill(name)
        leader.keyboard.press("Enter")
        expect(leader.locator(".bw-voice-member").last).to_contain_text(name)
    links = []
    for n in range(3):
        leader.locator(".bw-voice-link").nth(n).click()
        url = leader.locator(".bw-voice-member").nth(n).locator(".bw-voice-url")
        links.append(url.inner_text(timeout=30_000))
    sentences = [
        "Customers get an answer within a day by March.",
        "We move to the new ticket tool <img src=x onerror=alert(1)>",
        "Every customer ticket answered in one day.",
    ]
    member_errors: list[str] = []
    for link, sentence in zip(links, sentences, strict=True):
        assert link.startswith(served.url + "voila/render/goal-in-my-words.ipynb?key=")
        member, found = offline_page(browser, guard)
        visit(member, link)
        member.wait_for_selector(".bw-member-goal input", timeout=120_000)
        assert "customers get an answer to every ticket" not in member.content()
        assert "support plan" not in member.content()
        member.locator(".bw-member-goal input").fill(sentence)
        member.keyboard.press("Enter")
        expect(member.locator(".bw-member-message")).to_contain_text("Sent.", timeout=30_000)
        member.close()
        member_errors += found
    expect(leader.locator(".bw-voice-count")).to_contain_text("3 of the 3 needed", timeout=30_000)
    leader.locator(".bw-voice-reveal").focus()
    leader.keyboard.press("Enter")
    goals = leader.locator(".bw-their-goal-list")
    expect(goals.locator(":scope > li")).to_have_count(3)
    expect(goals).to_contain_text("<img src=x onerror=alert(1)>")  # shown as text
    assert leader.locator(".bw-their-goals img").count() == 0
    expect(leader.locator(".bw-their-goals")).to_contain_text(
        "2 of 3 named the same outcome as you."
    )
    text = leader.locator(".bw-their-goals").inner_text()
    assert not any(name in text for name in ("Ana", "Ben", "Cy"))
    leader.locator(".bw-cite").focus()
    leader.keyboard.press("Enter")
    expect(leader.locator(".bw-evidence-clear input")).to_have_value(
        "From my team: 2 of 3 named the same outcome as you."
    )
    assert violations(leader, ".bw-their-goals") == []

    # A check-in, by keyboard: the team is asked again; their pages say so, with their own
    # earlier sentence, and nothing of the new round shows until enough have answered it.
    leader.locator(".bw-voice-check-in").focus()
    leader.keyboard.press("Enter")
    expect(leader.locator(".bw-voice-message")).to_contain_text("Check-in started")
    expect(leader.locator(".bw-voice-count")).to_contain_text("0 of the 3 needed")
    expect(goals.locator(":scope > li")).to_have_count(0)
    expect(leader.locator(".bw-voice-checkins")).to_contain_text("Check-ins so far: 1")
    assert violations(leader, ".bw-voice") == []
    member, found = offline_page(browser, guard)
    visit(member, links[0])
    member.wait_for_selector(".bw-member-goal input", timeout=120_000)
    expect(member.locator(".bw-exercise")).to_contain_text("Your leader is checking in")
    expect(member.locator(".bw-member-goal input")).to_have_value(sentences[0])
    member.close()
    member_errors += found
    assert errors == [] and member_errors == [] and guard.blocked == []


def test_a_members_page_has_the_language_switch_and_keeps_what_was_typed(browser, served: Served):
    """A team member whose browser reads German finds their page in German, with the
    language switch as its only bar (no page of the leader's to go to); switching to French
    by keyboard brings the page back in French with their sentence still in the box."""
    with WorkbookStore(served.db_url, client_id=served.ids["Dana"]) as dana:
        plan = dana.create_plan("Dana's language plan")
        dana.save_answer(plan.id, "selfcheck", MEMBERS_KEY, [{"id": "m-lang", "name": "Eva"}])
        key = dana.add_member_link(plan.id, "m-lang", "Eva", exercise="selfcheck")
    guard = OfflineGuard()
    member = browser.new_page(
        extra_http_headers={"Accept-Language": "de-DE,de;q=0.9"},
        viewport={"width": 1200, "height": 900},
    )
    guard.watch(member)
    errors: list[str] = []
    member.on("pageerror", lambda error: errors.append(str(error)))
    visit(member, f"{served.url}voila/render/goal-in-my-words.ipynb?key={key}")
    goal = member.locator(".bw-member-goal input")
    expect(goal).to_be_visible(timeout=120_000)
    expect(member.locator("html")).to_have_attribute("lang", "de")
    switch = member.get_by_role("group", name="Sprache")
    expect(switch).to_be_visible(timeout=30_000)
    # Only the languages: a member's key opens no other page.
    assert member.locator("#bw-nav a:not([hreflang])").count() == 0
    for width in (390, 1400):
        member.set_viewport_size({"width": width, "height": 900})
        shown = member.locator("body").inner_text()
        assert english_left(shown, names=("Eva",)) == [], (width, shown)
        assert violations(member) == [], width
    goal.fill("Bis März antworten wir jedem Kunden binnen eines Tages.")
    switch.get_by_role("link", name="Français").focus()
    member.keyboard.press("Enter")
    expect(member.locator("html")).to_have_attribute("lang", "fr", timeout=120_000)
    expect(member.locator(".bw-member-goal input")).to_have_value(
        "Bis März antworten wir jedem Kunden binnen eines Tages.", timeout=60_000
    )
    expect(member.get_by_role("group", name="Langue")).to_be_visible()
    assert english_left(member.locator("body").inner_text(), names=("Eva",)) == []
    member.close()
    assert errors == [] and guard.blocked == []
