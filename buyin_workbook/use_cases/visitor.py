"""Who a kernel works for: the local leader, or a coach's client (or one of their team).

In JupyterLab and plain Voila there is no question: the workbook is the leader's own. Under
``jupyter workbook serve`` every kernel belongs to one page request, and the key in that
request's link decides whose plans the kernel may open. The server has already refused a bad
key; the kernel checks it again against the store, so a kernel never trusts a page's word,
and its store checks it once more before every operation, so a link withdrawn, replaced or
erased while the page is open stops it at once.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Literal
from urllib.parse import parse_qs

from .. import environment as env
from .._text import Said, TextError
from ..config import WorkbookConfig, leader_language
from ..kernel_protocol import page_query, served
from ..languages import DEFAULT, N_, choose_language
from ..store import MemberLink, StoreError, WorkbookStore

#: Said alike to a client, a participant, a team member and a facilitator: the page cannot
#: tell whose a wrong key was meant to be.
#: Said alike to whoever holds a link that opens nothing (a team member, a participant, a
#: client, a coach): the page cannot tell who they are, so it names no one's role.
REFUSED = N_(
    "This link does not open the workbook. It may be incomplete, or it may have been "
    "replaced or withdrawn. Please ask whoever sent it to you for a new one."
)


MEMBER_ONLY = N_(
    "This link opens only the page your leader asked you to fill in, not their own "
    "exercises. Please use the link exactly as they sent it."
)


class AccessRefused(Said):
    """The page's link holds no working key; the message is written for the visitor."""


@dataclass(frozen=True)
class Access:
    role: Literal["leader", "client", "participant", "member"]
    #: The client whose plans this kernel may see (``None`` for the local leader).
    client_id: int | None = None
    client_name: str = ""
    #: For a team member: the one plan and member slot their link writes to.
    member: MemberLink | None = None
    #: The page's key, to carry into links to the other exercises.
    key: str = ""
    #: A course participant's cohort (for a member: their leader's, if in a cohort).
    cohort_id: int | None = None
    #: The language the page speaks (``languages.choose_language``).
    language: str = DEFAULT

    def store(self, config: WorkbookConfig | None = None) -> WorkbookStore:
        """A store that sees what this access may see (not yet opened).

        A served page's store re-checks its key before every operation.
        """
        return WorkbookStore(config=config, client_id=self.client_id, access_key=self.key or None)


def on_hub() -> bool:
    """Whether this kernel's server runs on JupyterHub (the hub sets its API address)."""
    return bool(env.JUPYTERHUB_API_URL.get())


@functools.cache
def current_access() -> Access:
    """This kernel's access, waiting for the page request when the kernel was pre-heated.

    Worked out once: a kernel serves one page for one visitor all its life (its store
    re-checks the key before every operation)."""
    if not served():
        return Access("leader", language=leader_language())
    query = parse_qs(page_query())
    key = query.get("key", [""])[0]

    def speaking(set_for_them: str | None) -> str:
        asked = query.get("lang", [None])[0]
        return choose_language(asked, set_for_them, env.ACCEPT_LANGUAGE.get())

    with WorkbookStore(for_visitor=True) as store:
        client = store.client_for_key(key)
        if client is not None:
            cohort = store.get_cohort(client.cohort_id) if client.cohort_id else None
            return Access(
                "client" if client.cohort_id is None else "participant",
                client.id,
                client.name,
                key=key,
                cohort_id=client.cohort_id,
                language=speaking(client.language or (cohort.language if cohort else None)),
            )
        link = store.member_link_for_key(key)
        if link is not None:
            return Access(
                "member",
                link.client_id,
                member=link,
                key=key,
                cohort_id=link.cohort_id,
                language=speaking(None),
            )
    raise AccessRefused(REFUSED)


def page_language() -> str:
    """The language this kernel's page speaks: its visitor's (:class:`Access`), the
    leader's ``WorkbookConfig.language`` in JupyterLab, English for a link that opens
    nothing (its refusal is said by the server, in the visitor's language)."""
    try:
        return current_access().language
    except (AccessRefused, TextError, StoreError):
        return DEFAULT
