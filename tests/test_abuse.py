"""An attacker and an unlucky operator, against a served workbook and the cohort service: a
leaked join link, a locked or unreachable database, huge or deep bodies, two servers on one
database. The server keeps serving everyone else, and says why in words; a visitor never
reads where the database is. Each case was reproduced on a9b664c (issue 26) and fails there.
(Keys, kernels and endpoints are attacked in test_attacks.py; anonymity in
test_anonymity.py.)
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tornado.httpclient import HTTPClientError

from tests._servers import free_port, mount_workbook_pages
from tests.test_access import serve_page
from workbook import access
from workbook.exercises.choice import ChoiceExercise
from workbook.store import UNAVAILABLE, WorkbookStore

# -- a visitor never reads where the database is, or what its driver said ------------------

#: A PostgreSQL server that is not running: nothing listens on its port.
STOPPED = f"postgresql+psycopg://workbook:s3cret@127.0.0.1:{free_port()}/coaching"


async def _refused(jp_fetch, *parts: str, **params: str) -> tuple[int, str]:
    with pytest.raises(HTTPClientError) as caught:
        await jp_fetch(*parts, params=params)
    response = caught.value.response
    return caught.value.code, (response.body or b"").decode() if response else ""


async def test_a_stopped_database_server_is_never_named_to_a_visitor(
    jp_serverapp, jp_base_url: str, jp_fetch, caplog: pytest.LogCaptureFixture
):
    mount_workbook_pages(jp_serverapp, jp_base_url, STOPPED)
    for parts, params in (
        (("buyin", "nav"), {"key": "a-wrong-key"}),
        (("coach",), {"key": "a-wrong-key"}),
        (("cohort", "join"), {"key": "a-wrong-key"}),
    ):
        code, body = await _refused(jp_fetch, *parts, **params)
        assert code == 503, parts
        assert "cannot read or save answers just now" in body, parts
        for detail in ("127.0.0.1", "coaching", "workbook@", "s3cret", "psycopg", "refused"):
            assert detail not in body, (parts, detail)
    # Whoever runs the server reads what failed, and where (never the password).
    logged = caplog.text
    assert "cannot be reached" in logged and "127.0.0.1" in logged and "s3cret" not in logged


def test_a_served_page_on_a_damaged_database_says_so_in_plain_words(tmp_path: Path, monkeypatch):
    path = tmp_path / "coach.sqlite"
    url = f"sqlite:///{path}"
    monkeypatch.setenv("BUYIN_WORKBOOK_DB_URL", url)
    monkeypatch.setattr(access, "_resolved", None)
    with WorkbookStore(url) as coach:
        _client, key = coach.add_client("Dana")
    assert ChoiceExercise().store_error is None  # the leader's own page, before
    path.write_bytes(b"this is not a database" * 400)
    # The leader on their own machine is told where the file is and what to do.
    monkeypatch.setattr(access, "_resolved", None)
    assert str(path) in (ChoiceExercise().store_error or "")
    # A client's page, served: plain words, nothing of the server's files.
    serve_page(monkeypatch, key)
    served_error = ChoiceExercise().store_error or ""
    assert served_error == UNAVAILABLE and str(tmp_path) not in served_error
