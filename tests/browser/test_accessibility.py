"""What a coach's client sees, at a phone's width and a desktop's: every served page reads
well (no heading hidden, nothing cut off) and axe-core finds no serious or critical
violation, nor content outside a landmark, before and after a plan with charts exists.
Headless Chromium, the network cut off."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from buyin_workbook.store import WorkbookStore
from tests.plugin.axe import violations
from tests.plugin.coach import seed_clients
from tests.plugin.pages import CHART_SVG, offline_page, seed_charted_plan, visit
from tests.plugin.paths import SCREENSHOTS
from tests.plugin.servers import (
    OfflineGuard,
    ServerFactory,
    needs_chromium,
)

pytestmark = needs_chromium

NARROW, WIDE = 390, 1400
NOTEBOOKS = (
    "01-how-much-choice.ipynb",
    "02-am-i-bought-in.ipynb",
    "03-motivators.ipynb",
    "04-stakeholders.ipynb",
    "05-summary.ipynb",
)


@dataclass
class Site:
    url: str
    keys: dict[str, str]
    report: str


@pytest.fixture(scope="module")
def site(file_servers: ServerFactory, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A coach's server with a new client (no plan yet) and one whose plan has every chart."""
    tmp = tmp_path_factory.mktemp("look")
    db_url = f"sqlite:///{tmp / 'coach.sqlite'}"
    keys, ids = seed_clients(db_url, "New", "Full")
    full = ids["Full"]
    with WorkbookStore(db_url, client_id=full) as store:
        plan = seed_charted_plan(store, "Rollout of the new rota")
    report = f"coach/clients/{full}/plans/{plan}?key={keys['coach']}"
    url = file_servers.workbook(db_url, "--pool-size=0")
    yield Site(url, keys, report)


@pytest.fixture()
def client(browser) -> Iterator[tuple[object, list[str], OfflineGuard]]:
    """A page cut off from the network, closed after the test (a link may hold only a few
    pages open at once)."""
    guard = OfflineGuard()
    page, errors = offline_page(browser, guard)
    yield page, errors, guard
    page.close(run_before_unload=True)
    page.context.close()


def _pages() -> list[tuple[str, str]]:
    pages = [
        ("landing, no plan", "?key={New}"),
        ("landing", "?key={Full}"),
        ("coach dashboard", "coach?key={coach}"),
        ("coach's plan summary", "{report}"),
    ]
    for notebook in NOTEBOOKS:
        pages.append((f"{notebook}, no plan", f"voila/render/{notebook}?key={{New}}"))
        pages.append((notebook, f"voila/render/{notebook}?key={{Full}}"))
    return pages


#: Headings hidden under something, and anything a person would need that runs off the
#: right edge (text boxes, buttons, lists, charts), as "what: why" lines.
LAYOUT_PROBLEMS = """() => {
  const problems = [];
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > width + 1) {
    problems.push(`page: ${document.documentElement.scrollWidth} px wide in ${width} px`);
  }
  const wanted = 'h1, h2, h3, a, button, input, select, textarea, .bw-VegaChart, td, th';
  for (const element of document.querySelectorAll(wanted)) {
    const box = element.getBoundingClientRect();
    // The pages bar scrolls sideways on a phone: its links are reached by scrolling it.
    if (!box.width || !box.height || element.closest('[hidden], .bw-skip, #bw-nav')) {
      continue;
    }
    const name = `${element.tagName} "${(element.textContent || element.value || '').trim()
      .slice(0, 40)}"`;
    if (box.right > width + 1 || box.left < -1) {
      problems.push(`${name}: from ${Math.round(box.left)} to ${Math.round(box.right)} px`);
    }
  }
  // Labels, boxes and buttons drawn over one another (a label wrapped above its box in a
  // row that kept a one-line height, say).
  const controls = [...document.querySelectorAll(
    '.bw-exercise label, .bw-exercise input, .bw-exercise select, .bw-exercise textarea, ' +
    '.bw-exercise button')].filter(element => {
      const box = element.getBoundingClientRect();
      return box.width > 0 && box.height > 0 && !element.closest('[hidden]');
    });
  const boxes = controls.map(element => element.getBoundingClientRect());
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, b] = [boxes[i], boxes[j]];
      const wide = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const high = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      const nested = controls[i].contains(controls[j]) || controls[j].contains(controls[i]);
      if (wide > 2 && high > 2 && !nested) {
        problems.push(`"${(controls[i].textContent || controls[i].value || '').trim()
          .slice(0, 30)}" and "${(controls[j].textContent || controls[j].value || '').trim()
          .slice(0, 30)}" are drawn over each other`);
      }
    }
  }
  // The pages bar stays one line on a phone; boxes keep a height their text fits in; a chart's text
  // is drawn at a size a phone can read (not its picture scaled down).
  const bar = document.querySelector('#bw-nav:not([hidden])');
  if (bar && width <= 640 && bar.getBoundingClientRect().height > 48) {
    problems.push(`pages bar: ${Math.round(bar.getBoundingClientRect().height)} px high`);
  }
  const boxes_ = '.bw-exercise select, .bw-exercise input[type=text]';
  for (const box of document.querySelectorAll(boxes_)) {
    const high = box.getBoundingClientRect().height;
    if (high > 0 && high < 28 && !box.closest('[hidden]')) {
      problems.push(`box "${(box.value || '').slice(0, 30)}": ${Math.round(high)} px high`);
    }
  }
  for (const text of document.querySelectorAll('.bw-VegaChart svg text')) {
    const high = text.getBoundingClientRect().height;
    if (high > 0 && high < 10 && text.textContent.trim()) {
      problems.push(`chart text "${text.textContent.trim().slice(0, 30)}": ${high.toFixed(1)} px`);
      break;
    }
  }
  window.scrollTo(0, 0);
  const heading = document.querySelector('h1, .bw-exercise h2');
  if (heading) {
    const box = heading.getBoundingClientRect();
    const top = document.elementFromPoint(box.left + 4, box.top + box.height / 2);
    if (!top || !heading.contains(top)) {
      problems.push(`first heading "${heading.textContent.trim()}" is covered by ` +
                    (top ? `${top.tagName}#${top.id}.${top.className}` : 'nothing shown'));
    }
  }
  return problems;
}"""


@pytest.mark.parametrize(("what", "path"), _pages(), ids=[what for what, _ in _pages()])
def test_every_served_page_reads_well_narrow_and_wide_with_no_serious_axe_finding(
    client, site: Site, what: str, path: str
):
    page, errors, guard = client
    visit(page, site.url + path.format(**site.keys, report=site.report))
    if "voila/render" in path:
        expect(page.locator(".bw-plan-picker")).to_be_visible(timeout=120_000)
        if "no plan" not in what:
            expect(page.locator(CHART_SVG).first).to_be_visible(timeout=60_000)
        expect(page.locator(".bw-save-status, .bw-plan-message").first).to_be_attached()
    found = {}
    for width in (NARROW, WIDE):
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(800)  # the layout settles (charts redraw to their width)
        found[width] = page.evaluate(LAYOUT_PROBLEMS) + violations(page)
        if what in ("01-how-much-choice.ipynb", "coach dashboard"):
            name = "serve-choice" if "choice" in what else "serve-coach-dashboard"
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
    assert found == {NARROW: [], WIDE: []}
    assert errors == [] and guard.blocked == []


def test_the_skip_link_is_the_first_stop_and_moves_the_focus_past_the_bar(client, site: Site):
    page, _errors, _guard = client
    visit(page, f"{site.url}voila/render/{NOTEBOOKS[0]}?key={site.keys['Full']}")
    expect(page.locator(".bw-plan-picker")).to_be_visible(timeout=120_000)
    expect(page.locator("#bw-nav a").first).to_be_visible()
    page.keyboard.press("Tab")
    skip = page.locator(".bw-skip")
    expect(skip).to_be_focused()
    assert skip.bounding_box()["y"] >= 0  # shown while it has the focus
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.getAttribute('role')") == "main"
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('.bw-exercise') !== null")
    assert focused, "the next Tab goes into the exercise, not back to the bar"


def test_the_coachs_plan_summary_leads_back_to_the_dashboard(client, site: Site):
    page, errors, guard = client
    visit(page, site.url + site.report)
    expect(page.locator("h1")).to_have_text("Rollout of the new rota")
    page.get_by_role("link", name="Back to your clients").click()
    expect(page.locator("h1")).to_have_text("Your clients")
    assert errors == [] and guard.blocked == []


def test_enter_in_a_text_box_does_what_its_button_does(client, site: Site):
    page, errors, guard = client
    visit(page, f"{site.url}voila/render/{NOTEBOOKS[0]}?key={site.keys['New']}")
    expect(page.locator(".bw-plan-picker")).to_be_visible(timeout=120_000)
    page.locator(".bw-plan-new-name input").fill("Pressed Enter")
    page.locator(".bw-plan-new-name input").press("Enter")
    expect(page.locator(".bw-plan-message")).to_contain_text("Plan “Pressed Enter” created.")
    box = page.locator(".bw-decision-text input")
    box.fill("Which tool we use")
    box.press("Enter")
    expect(page.locator(".bw-decision-list")).to_contain_text("Which tool we use")
    expect(box).to_have_value("")
    assert errors == [] and guard.blocked == []


def test_a_clients_page_says_the_answers_are_on_the_coachs_server(client, site: Site):
    page, _errors, _guard = client
    visit(page, f"{site.url}voila/render/{NOTEBOOKS[2]}?key={site.keys['Full']}")
    expect(page.locator(".bw-exercise h2").first).to_be_visible(timeout=120_000)
    text = page.locator(".bw-exercise").first.inner_text()
    assert "on your coach's workbook server" in text
    assert "this machine" not in text and "this computer" not in text
    assert "never sent anywhere" not in text
