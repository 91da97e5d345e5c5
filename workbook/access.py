"""Who a kernel works for: the local leader, or a coach's client (or one of their team).

In JupyterLab and plain Voila there is no question: the workbook is the leader's own. Under
``jupyter workbook serve`` every kernel belongs to one page request, and the key in that
request's link decides whose plans the kernel may open. The server has already refused a bad
key; the kernel checks it again against the store, so a kernel never trusts a page's word.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Literal
from urllib.parse import parse_qs

from .config import WorkbookConfig
from .store import MemberLink, WorkbookStore

#: Set by ``jupyter workbook serve`` in its kernels' environment.
SERVED_ENV = "BUYIN_WORKBOOK_SERVED"
#: Where the served pages' links start, as ``serve`` printed them (ends with a slash).
LINK_BASE_ENV = "BUYIN_WORKBOOK_LINK_BASE"

REFUSED = ("This link does not open the workbook. It may be incomplete, or your coach may "
           "have replaced or withdrawn it. Please ask your coach for a new link.")


class AccessRefused(Exception):
    """The page's link holds no working key; the message is written for the visitor."""


@dataclass(frozen=True)
class Access:
    role: Literal["leader", "client", "member"]
    #: The client whose plans this kernel may see (``None`` for the local leader).
    client_id: int | None = None
    client_name: str = ""
    #: For a team member: the one plan and member slot their link writes to.
    member: MemberLink | None = None
    #: The page's key, to carry into links to the other exercises.
    key: str = ""


_resolved: Access | None = None


def served() -> bool:
    return os.environ.get(SERVED_ENV, "") == "1"


def current_access(config: WorkbookConfig | None = None) -> Access:
    """This kernel's access, waiting for the page request when the kernel was pre-heated."""
    global _resolved
    if _resolved is not None:
        return _resolved
    if not served():
        _resolved = Access("leader")
        return _resolved
    from voila.utils import get_query_string

    key = parse_qs(get_query_string() or "").get("key", [""])[0]
    with WorkbookStore(config=config) as store:
        client = store.client_for_key(key)
        if client is not None:
            _resolved = Access("client", client.id, client.name, key=key)
            return _resolved
        link = store.member_link_for_key(key)
        if link is not None:
            _resolved = Access("member", link.client_id, member=link, key=key)
            return _resolved
    raise AccessRefused(REFUSED)


def page_url(notebook: str, key: str) -> str:
    """The address of another served page, for links a client hands on (member links)."""
    base = os.environ.get(LINK_BASE_ENV, "")
    if not base:
        host = os.environ.get("SERVER_NAME", "127.0.0.1")
        port = os.environ.get("SERVER_PORT", "8866")
        base = f"http://{host}:{port}{os.environ.get('VOILA_BASE_URL', '/')}"
    return f"{base}voila/render/{notebook}?key={key}"
