"""The kernels of ``jupyter workbook serve``, each known by the link that opened it.

Voila lets anyone who knows a kernel's id talk to it. Under ``serve`` a kernel belongs to the
key of the page that got it: its websocket, its REST endpoint and its tab-close shutdown
answer only a browser holding that page's access cookie, and only while the key still works.
Each key may hold a limited number of kernels, and a closed tab hands its kernel back once
the kernel has saved what it was sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import os
import secrets
from collections import Counter
from typing import Any

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets import Float, Integer

from .. import environment

#: Voila gives a refilled pool kernel the address (key included) of the request that
#: emptied the pool; that kernel goes to someone else, so the address is dropped.
_ANOTHER_VISITORS_ADDRESS = "VOILA_REQUEST_URL"


def access_cookie_name(key_hash: str) -> str:
    """The name of the cookie that lets a browser talk to the kernels of one key."""
    return f"bw-access-{key_hash[:16]}"


def access_cookie_value(cookie_secret: bytes, key_hash: str) -> str:
    """Only the server can make it, and only hands it to a page request holding the key."""
    return hmac.new(cookie_secret, key_hash.encode("ascii"), hashlib.sha256).hexdigest()


class WorkbookKernelManager(AsyncMappingKernelManager):
    """Voila's kernel manager, knowing whose link each kernel serves."""

    max_page_kernels = Integer(
        40,
        min=1,
        config=True,
        help="Kernels the pages of all links may hold at once (`serve --max-kernels`).",
    )
    connect_timeout = Float(
        60.0,
        min=1.0,
        config=True,
        help="Seconds a sent page's kernel waits for its browser (`serve --page-connect-timeout`).",
    )
    release_timeout = Float(
        15.0,
        min=0.0,
        config=True,
        help="Seconds a closed page's kernel is given to say it has saved what the page "
        "sent before it is shut down anyway (the kernel's own exit still saves what "
        "waits for the autosave pause).",
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._secrets: dict[str, str] = {}
        self._owners: dict[str, str] = {}
        self._opening: Counter[str] = Counter()
        self._releasing: set[str] = set()
        self._saved: dict[str, asyncio.Event] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        #: Page kernels whose browser has connected to them (the others are given back).
        self._connected: set[str] = set()
        #: Participants who have had a page, by cohort (since serve started).
        self._arrived: dict[int, set[int]] = {}
        #: Warm pages kept beyond the pool (announced crowds, awaited members), by notebook.
        self._extra_pages: dict[str, int] = {}

    # -- starting --------------------------------------------------------------------------

    # jupyter_server's manager declares these async over jupyter_client's sync signatures.
    async def start_kernel(  # type: ignore[override]
        self, *, kernel_id: str | None = None, **kwargs: Any
    ) -> str:
        kernel_id = kernel_id or self.new_kernel_id()
        secret = secrets.token_urlsafe(32)
        env = dict(kwargs.get("env") or os.environ)
        env.pop(_ANOTHER_VISITORS_ADDRESS, None)
        env[environment.KERNEL_SECRET.name] = secret
        kwargs["env"] = env
        self._secrets[kernel_id] = secret
        try:
            started = await super().start_kernel(kernel_id=kernel_id, **kwargs)
        except BaseException:
            self._secrets.pop(kernel_id, None)
            raise
        return str(started)

    def secret_matches(self, kernel_id: str, secret: str) -> bool:
        expected = self._secrets.get(kernel_id)
        return expected is not None and secrets.compare_digest(expected, secret)

    # -- owners ----------------------------------------------------------------------------

    def bind(self, kernel_id: str, key_hash: str) -> None:
        """The kernel now serves the page of this key (and no other)."""
        self._owners.setdefault(kernel_id, key_hash)

    def page_sent(self, kernel_id: str) -> None:
        """The kernel's page has been sent: it is given back unless a browser connects to
        it within ``connect_timeout`` seconds."""
        asyncio.get_running_loop().call_later(
            self.connect_timeout, self._give_back_unless_connected, kernel_id
        )

    def connected(self, kernel_id: str) -> None:
        """The page's browser has opened the kernel's websocket."""
        self._connected.add(kernel_id)

    def _give_back_unless_connected(self, kernel_id: str) -> None:
        if kernel_id in self._owners and kernel_id not in self._connected:
            self.log.info(
                "Kernel %s: no browser connected to its page; shutting it down", kernel_id
            )
            self.release_soon(kernel_id, saved=True)  # it was sent nothing to save

    def pages_full(self) -> bool:
        """Whether the pages of all links already hold as many kernels as allowed."""
        held = sum(1 for kernel_id in self._owners if kernel_id in self)
        return held + sum(self._opening.values()) >= self.max_page_kernels

    def owner(self, kernel_id: str) -> str | None:
        """The key hash whose page holds this kernel; None for a pool kernel or an unknown id."""
        return self._owners.get(kernel_id) if kernel_id in self else None

    def pages_open(self, key_hash: str) -> int:
        """Kernels held by one key, with its pages still being opened."""
        held = sum(1 for kid, owner in self._owners.items() if owner == key_hash and kid in self)
        return held + self._opening[key_hash]

    def opening(self, key_hash: str, change: int) -> None:
        self._opening[key_hash] += change
        if self._opening[key_hash] <= 0:
            del self._opening[key_hash]

    # -- warm pages beyond the pool -------------------------------------------------------

    def arrived(self, cohort_id: int, client_id: int, notebook: str) -> None:
        """A participant of this cohort is being given a page of ``notebook``: if a warm
        page was kept for them, it is not replaced (the pool shrinks before Voila refills)."""
        came = self._arrived.setdefault(cohort_id, set())
        if client_id in came:
            return
        came.add(client_id)
        if self._extra_pages.get(notebook, 0) > 0:
            # Their page takes a warm one next: the pool is only made smaller, not emptied.
            self._warm(notebook, self._extra_pages[notebook] - 1, give_back=False)

    def still_to_come(self, cohort_id: int, expected: int) -> int:
        return max(0, expected - len(self._arrived.get(cohort_id, ())))

    def keep_warm(self, extra_pages: dict[str, int]) -> None:
        """Keep ``extra_pages[notebook]`` warm pages beyond each notebook's pool, within
        ``max_page_kernels`` all together; pages no longer wanted are given back."""
        room = self.max_page_kernels - sum(1 for k in self._owners if k in self)
        wanted: dict[str, int] = {}
        for notebook, count in sorted(extra_pages.items()):
            wanted[notebook] = max(0, min(count, room))
            room -= wanted[notebook]
        for notebook in sorted(set(wanted) | set(self._extra_pages)):
            count = wanted.get(notebook, 0)
            if count != self._extra_pages.get(notebook, 0):
                self.log.info("Warm pages of %s for those expected: %d", notebook, count)
                self._warm(notebook, count)

    def _warm(self, notebook: str, count: int, *, give_back: bool = True) -> None:
        """``count`` warm pages of ``notebook`` beyond its pool: started, or (``give_back``)
        those beyond it shut down."""
        pools: dict[str, Any] = dict(getattr(self, "kernel_pools_config", {}))
        # A page kept out of the pool (a member's) has no warm page of its own to add to.
        pooled = self._notebook_filter(notebook)  # type: ignore[attr-defined]
        size = (int(pools.get("default", {}).get("pool_size", 1)) if pooled else 0) + count
        pools[notebook] = {"pool_size": size}
        self.kernel_pools_config = pools
        if count:
            self._extra_pages[notebook] = count
        else:
            self._extra_pages.pop(notebook, None)
        pool = self._pools.get(notebook, [])  # type: ignore[attr-defined]
        if len(pool) < size:
            self.fill_if_needed(delay=0, notebook_name=notebook)  # type: ignore[attr-defined]
        while give_back and len(pool) > size:
            task = asyncio.ensure_future(self._give_back_warm(pool.pop()))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _give_back_warm(self, warm: Any) -> None:
        """Shut down a warm page no one expected needs any more."""
        try:
            content = await warm
        except Exception:  # it never started: nothing to give back
            return
        content["task"].cancel()
        if content["kernel_id"] in self:
            await self.shutdown_kernel(content["kernel_id"])

    # -- ending ----------------------------------------------------------------------------

    def release_soon(self, kernel_id: str, *, saved: bool = False) -> None:
        """Shut down a closed page's kernel in the background (see :meth:`release`).

        ``saved``: the kernel itself says its page has closed and what it sent is saved.
        """
        if saved:
            self._saved.setdefault(kernel_id, asyncio.Event()).set()
        if kernel_id in self._releasing or kernel_id not in self:
            return
        self._releasing.add(kernel_id)
        task = asyncio.ensure_future(self.release(kernel_id))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def release(self, kernel_id: str) -> None:
        """Shut a closed page's kernel down once it has saved what the page sent.

        The page says it is leaving on its own connection, after its last changes; the
        kernel saves them and says so (``saved``). A page that could not say goodbye gets
        ``release_timeout`` seconds, and the kernel's own exit saves what is still queued.
        """
        saved = self._saved.setdefault(kernel_id, asyncio.Event())
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(saved.wait(), self.release_timeout)
        try:
            if kernel_id in self:
                self.log.info("Kernel %s: its page was closed; shutting it down", kernel_id)
                await self.shutdown_kernel(kernel_id)
        finally:
            self._releasing.discard(kernel_id)
            self._saved.pop(kernel_id, None)

    async def shutdown_kernel(  # type: ignore[override]
        self, kernel_id: str, *args: Any, **kwargs: Any
    ) -> None:
        try:
            await super().shutdown_kernel(kernel_id, *args, **kwargs)
        finally:
            self._owners.pop(kernel_id, None)
            self._secrets.pop(kernel_id, None)
            self._connected.discard(kernel_id)
