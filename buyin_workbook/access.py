"""Who a kernel works for: the local leader, or a coach's client (or one of their team).

In JupyterLab and plain Voila there is no question: the workbook is the leader's own. Under
``jupyter workbook serve`` every kernel belongs to one page request, and the key in that
request's link decides whose plans the kernel may open. The server has already refused a bad
key; the kernel checks it again against the store, so a kernel never trusts a page's word,
and its store checks it once more before every operation, so a link withdrawn, replaced or
erased while the page is open stops it at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from urllib.parse import parse_qs

from . import environment as env
from .config import WorkbookConfig
from .store import MemberLink, WorkbookStore

#: The server's path where a pre-heated kernel, with its secret, waits for its page request.
KERNEL_QUERY_PATH = "buyin/kernel-query"
#: Where a kernel, with its secret, says its page has closed and all it sent is saved.
KERNEL_DONE_PATH = "buyin/kernel-done"

REFUSED = (
    "This link does not open the workbook. It may be incomplete, or your coach may "
    "have replaced or withdrawn it. Please ask your coach for a new link."
)


class AccessRefused(Exception):
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

    def store(self, config: WorkbookConfig | None = None) -> WorkbookStore:
        """A store that sees what this access may see (not yet opened).

        A served page's store re-checks its key before every operation.
        """
        return WorkbookStore(config=config, client_id=self.client_id, access_key=self.key or None)


def on_hub() -> bool:
    """Whether this kernel's server runs on JupyterHub (the hub sets its API address)."""
    return bool(env.JUPYTERHUB_API_URL.get())


def where_answers_live(
    access: Access,
    store: WorkbookStore | None = None,
    hub_cohort: str | None = None,
    *,
    blind: bool = False,
) -> str:
    """Where this page keeps what is typed into it, said to the person typing (it must be
    true in each mode: the leader on their own machine or their own server on a hub, in a
    hub cohort or not, a coach's client, a course participant, a team member answering
    under their name or, ``blind``, only ever shown together with the others)."""
    if access.role == "member" and blind:
        where = (
            "the workbook server of your leader's course (its facilitator runs it)"
            if access.cohort_id is not None
            else "the workbook server of your leader's coach"
        )
        operator = "the facilitator" if access.cohort_id is not None else "the coach"
        return (
            f"What you send is kept on {where}, apart from your leader's own answers, so "
            "that you can change it and your leader can take you off the list (which "
            "erases it). Your leader sees it only together with the others' answers, "
            "without your name, and it is never in a file your leader can download. Like "
            f"anyone who runs a server, {operator} could read its database."
        )
    if access.role == "client":
        return (
            "Your answers are saved as you go, on your coach's workbook server: your coach "
            "can see them, no one else can."
        )
    if access.role == "participant":
        return (
            "Your answers are saved as you go, on the workbook server your course facilitator "
            "runs. The facilitator sees your alias and how far you are, not your answers "
            "(unless you share your summary); the others in the course see only figures "
            "without names."
        )
    if access.role == "member" and access.cohort_id is not None:
        return (
            "What you send is saved in your leader's plan, on the workbook server of their "
            "course: your leader can see it; the course's facilitator only if your leader "
            "shares their summary with them; no one else."
        )
    if access.role == "member":
        return (
            "What you send is saved in your leader's plan, on their coach's workbook server: "
            "your leader and their coach can see it, no one else can."
        )
    assert store is not None, "a leader's page names the store it saves into"
    if hub_cohort is not None:
        return (
            "Your answers are saved as you go, in the workbook's database in your own server "
            f"on this hub ({store.location}). You are in the course cohort “{hub_cohort}”: "
            "when you finish this exercise, your workbook sends the course's cohort service "
            "only its anonymous figures (listed under “Your course on the hub”), never your "
            "words."
        )
    if store.is_local and on_hub():
        return (
            "Your answers are saved as you go, in the workbook's database in your own server "
            f"on this hub ({store.location}); nothing is sent anywhere."
        )
    if store.is_local:
        return (
            "Your answers are saved as you go, in the workbook's database on this computer "
            f"({store.location}); nothing is sent anywhere."
        )
    return f"Your answers are saved as you go, in the workbook's database at {store.location}."


_resolved: Access | None = None


def served() -> bool:
    return env.SERVED.get() == "1"


def current_access(config: WorkbookConfig | None = None) -> Access:
    """This kernel's access, waiting for the page request when the kernel was pre-heated."""
    global _resolved
    if _resolved is not None:
        return _resolved
    if not served():
        _resolved = Access("leader")
        return _resolved
    key = parse_qs(_page_query()).get("key", [""])[0]
    with WorkbookStore(config=config, for_visitor=True) as store:
        client = store.client_for_key(key)
        if client is not None:
            _resolved = Access(
                "client" if client.cohort_id is None else "participant",
                client.id,
                client.name,
                key=key,
                cohort_id=client.cohort_id,
            )
            return _resolved
        link = store.member_link_for_key(key)
        if link is not None:
            _resolved = Access(
                "member", link.client_id, member=link, key=key, cohort_id=link.cohort_id
            )
            return _resolved
    raise AccessRefused(REFUSED)


def _page_query() -> str:
    """The query string of the page this kernel serves; a pre-heated kernel waits for it."""
    if env.VOILA_PREHEAT.get() == "True":
        from voila.utils import wait_for_request

        # Voila's own channel answers whoever names the kernel's id; serve's asks for the
        # kernel's secret too (see buyin_workbook.serve.kernels).
        secret = env.KERNEL_SECRET.get() or "-"
        wait_for_request(f"ws://{_voila_address()}{KERNEL_QUERY_PATH}/{secret}")
    return env.QUERY_STRING.get()


def _voila_address() -> str:
    """Host, port and base path of the Voila server that started this kernel."""
    return f"{env.VOILA_APP_IP.get()}:{env.VOILA_APP_PORT.get()}{env.VOILA_SERVER_URL.get()}"


def page_closed() -> None:
    """Tell ``serve`` that this kernel's page has closed and what it sent is saved, so the
    kernel can go now rather than at the next cull. Outside ``serve``, nothing to do."""
    secret, kernel_id = env.KERNEL_SECRET.get(), env.VOILA_KERNEL_ID.get()
    if not served() or not secret or not kernel_id:
        return
    from urllib.request import Request, urlopen

    url = f"http://{_voila_address()}{KERNEL_DONE_PATH}/{secret}/{kernel_id}"
    try:
        with urlopen(Request(url, data=b"", method="POST"), timeout=10):
            pass
    except OSError:
        pass  # the server then shuts the kernel down a little later, as it would anyway


def page_url(notebook: str, key: str) -> str:
    """The address of another served page, for links a client hands on (member links)."""
    base = env.LINK_BASE.get()
    if not base:
        host, port = env.SERVER_NAME.get(), env.SERVER_PORT.get()
        base = f"http://{host}:{port}{env.VOILA_BASE_URL.get()}"
    return f"{base}voila/render/{notebook}?key={key}"
