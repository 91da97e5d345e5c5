"""The facilitator's live pages (the dashboard, the presenter view) asked again with what
they were drawn at: 204 until something they show changes, whatever else changes in the
store; and the presenter view, on a projector, never shows its key in the address bar."""

from __future__ import annotations

import re
from http.cookies import SimpleCookie
from urllib.parse import parse_qs, urlsplit

from buyin_workbook.serve.cohort_handlers import SINCE_HEADER
from buyin_workbook.store import WorkbookStore
from tests.plugin.cohort import finish_selfcheck
from tests.plugin.servers import mount_workbook_pages


def _since(html: str) -> str:
    found = re.search(r'<meta name="bw-activity" content="([^"]+)">', html)
    assert found is not None, "the page carries no fingerprint"
    return found.group(1)


def _finish(db_url: str, person, key: str, sentence: str = "Cut the queue by June.") -> None:
    finish_selfcheck(
        db_url,
        person.id,
        key,
        attitude="commitment",
        stance="aligned",
        scores=(3, 4, 3, 4, 3),
        sentence=sentence,
    )


async def test_the_dashboard_is_drawn_again_only_when_what_it_shows_changes(
    jp_serverapp, jp_base_url: str, jp_fetch, tmp_path
):
    db_url = f"sqlite:///{tmp_path / 'room.sqlite'}"
    mount_workbook_pages(jp_serverapp, jp_base_url, db_url)
    with WorkbookStore(db_url) as coach:
        cohort, facilitator, _join = coach.create_cohort("Room", ["selfcheck"], 3)
        people = [coach.join_cohort(cohort.id, f"P{n}") for n in range(4)]
    for person, key in people[:3]:
        _finish(db_url, person, key)

    async def ask(since: str = ""):
        params = {"key": facilitator, **({"since": since} if since else {})}
        return await jp_fetch("cohort", params=params)

    since = _since((await ask()).body.decode())
    assert (await ask(since)).code == 204
    # One who finished edits their sentence: the store changed, nothing the page shows did.
    first, first_key = people[0]
    _finish(db_url, first, first_key, sentence="Cut the queue to two days by June.")
    quiet = await ask(since)
    assert quiet.code == 204 and quiet.body == b""
    renewed = quiet.headers[SINCE_HEADER]
    assert renewed != since and renewed.split(".")[1] == since.split(".")[1]
    again = await ask(renewed)
    assert again.code == 204 and SINCE_HEADER not in again.headers
    # The fourth finishes: the page is drawn again, with them done.
    fourth, fourth_key = people[3]
    _finish(db_url, fourth, fourth_key)
    drawn = await ask(renewed)
    assert drawn.code == 200 and _since(drawn.body.decode()) != renewed
    assert drawn.body.decode().count('class="status status-done"') == 4


async def test_the_presenter_view_keeps_its_key_out_of_the_address_bar(
    jp_serverapp, jp_base_url: str, jp_fetch, tmp_path
):
    db_url = f"sqlite:///{tmp_path / 'room.sqlite'}"
    mount_workbook_pages(jp_serverapp, jp_base_url, db_url)
    with WorkbookStore(db_url) as coach:
        cohort, facilitator, _join = coach.create_cohort("Room", ["selfcheck", "choice"], 3)
        other, other_facilitator, _ = coach.create_cohort("Other room", ["selfcheck"], 3)

    opened = await jp_fetch(
        "cohort",
        "present",
        params={"key": facilitator},
        follow_redirects=False,
        raise_error=False,
    )
    assert opened.code == 302
    location = opened.headers["Location"]
    assert facilitator not in location
    assert parse_qs(urlsplit(location).query) == {"c": [str(cohort.id)]}
    (set_cookie,) = [
        c for c in opened.headers.get_list("Set-Cookie") if c.startswith("bw-present-")
    ]
    assert "HttpOnly" in set_cookie and "SameSite=Strict" in set_cookie
    assert "Path=" + jp_base_url + "cohort/present" in set_cookie
    cookie = "; ".join(f"{k}={m.value}" for k, m in SimpleCookie(set_cookie).items())

    async def present(cohort_id: int, with_cookie: bool):
        headers = {"Cookie": cookie} if with_cookie else {}
        return await jp_fetch(
            "cohort",
            "present",
            params={"c": str(cohort_id)},
            headers=headers,
            raise_error=False,
        )

    shown = await present(cohort.id, with_cookie=True)
    assert shown.code == 200 and "Room" in shown.body.decode()
    body = shown.body.decode()
    # Its links (the other exercise; no way to the dashboard, whose address holds the key)
    # name the cohort, and the key is in no address a pointer could show.
    links = re.findall(r'href="([^"]*)"', body)
    here = f"{jp_base_url}cohort/present?c={cohort.id}"
    assert links == [
        f"{here}&amp;exercise=selfcheck",
        *(f"{here}&amp;lang={code}" for code in ("en", "de", "fr", "es")),
    ]
    # Without the cookie, or for another cohort, the view is refused.
    assert (await present(cohort.id, with_cookie=False)).code == 403
    assert (await present(other.id, with_cookie=True)).code == 403
    assert other_facilitator not in body
