"""The browser the UI tests drive is cut off from the network: what a page asks of anywhere
but this machine is refused by the browser itself, and the guard records it."""

from __future__ import annotations

from tests.plugin.pages import offline_page, unexpected_requests
from tests.plugin.servers import OfflineGuard, needs_chromium

pytestmark = needs_chromium

OUTSIDE = ("http://example.com/chart.js", "https://93.184.216.34/font.woff2")


def test_a_request_that_leaves_the_machine_is_refused_and_recorded(browser) -> None:
    guard = OfflineGuard()
    page, errors = offline_page(browser, guard)
    page.goto("data:text/html,<title>offline</title>")
    said = page.evaluate(
        """async (outside) => {
          const fetched = await Promise.all(outside.map((url) =>
            fetch(url, {mode: "no-cors"}).then(() => "loaded", () => "refused")));
          const socket = await new Promise((done) => {
            const ws = new WebSocket("ws://93.184.216.34/live");
            ws.onopen = () => done("open");
            ws.onerror = () => done("refused");
          });
          return [...fetched, socket];
        }""",
        list(OUTSIDE),
    )
    assert said == ["refused", "refused", "refused"]
    page.close()
    assert sorted(unexpected_requests(guard)) == sorted([*OUTSIDE, "ws://93.184.216.34/live"])
    assert errors == []
