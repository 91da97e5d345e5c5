"""How ``jupyter workbook serve`` and the kernels it starts speak to each other.

A served kernel learns its page's query (and so its key) from serve, over Voila's own
request channel with the kernel's secret added; when its page closes, it tells serve that
everything it sent is saved, so the kernel can go at once. Both sides import this module:
serve its paths, the kernel the calls.
"""

from __future__ import annotations

from . import environment as env

#: The server's path where a pre-heated kernel, with its secret, waits for its page request.
KERNEL_QUERY_PATH = "buyin/kernel-query"
#: Where a kernel, with its secret, says its page has closed and all it sent is saved.
KERNEL_DONE_PATH = "buyin/kernel-done"


def served() -> bool:
    """Whether this kernel was started by ``serve`` for one visitor's page."""
    return env.SERVED.get() == "1"


def page_query() -> str:
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
