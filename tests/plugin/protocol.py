"""A served page opened the way its script does it, with no browser.

What Voila's page does in a browser, over HTTP and the kernel's websocket: GET the page with
its key (keeping the cookies it sets) and the scripts and styles it names, open the kernel's
websocket with the cookies, open the
widgets' control comm and ask for every widget's state, then follow the kernel's messages
until the page's first control exists. Then one answer, sent as the text box would send it,
and the wait for the page's "All answers saved"; then the tab's goodbye. So a crowd of
visitors costs the server what their pages cost it, and nothing for their browsers (each
visitor's browser runs on their own machine). Shared by the crowd test and
``python -m benchmarks.crowd``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import struct
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlsplit

from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import WebSocketClientConnection, websocket_connect

#: Widget states, by model id, as the page's widget manager holds them.
States = dict[str, dict[str, Any]]
Ready = Callable[[States], bool]

_KERNEL_ID = re.compile(r'"kernelId": "([0-9a-f-]{36})"')
#: The scripts and styles a page names (a browser fetches them; the chunks they load and
#: its cache are left out).
_ASSET = re.compile(r'(?:src|href)="(/[^"#]+\.(?:js|css)(?:\?[^"]*)?)"')
_SAVED = "All answers saved"


def has_class(css_class: str) -> Ready:
    """Ready once a widget with this CSS class exists (a workbook page's plan picker)."""
    return lambda states: any(css_class in s.get("_dom_classes", ()) for s in states.values())


def has_model(model_name: str) -> Ready:
    """Ready once a widget of this model exists (the floor's slider)."""
    return lambda states: any(s.get("_model_name") == model_name for s in states.values())


class PageFailed(Exception):
    """The page did not open or answer as a browser's would; the message says where."""


@dataclass
class Visit:
    """One visitor's page: its kernel, its websocket and the widgets' states."""

    url: str
    kernel_id: str = ""
    cookies: dict[str, str] = field(default_factory=dict)
    states: States = field(default_factory=dict)
    #: Seconds from the request to the page's HTML, and to its first control.
    page_seconds: float = 0.0
    usable_seconds: float | None = None
    _socket: WebSocketClientConnection | None = None
    _session: str = field(default_factory=lambda: uuid.uuid4().hex)
    _control: str = field(default_factory=lambda: uuid.uuid4().hex)
    _changed: asyncio.Event = field(default_factory=asyncio.Event)
    _reader: asyncio.Task[None] | None = None

    # -- the conversation ----------------------------------------------------------------

    def _message(
        self, msg_type: str, content: dict[str, Any], version: str, channel: str = "shell"
    ) -> str:
        return json.dumps(
            {
                "header": {
                    "msg_id": uuid.uuid4().hex,
                    "msg_type": msg_type,
                    "session": self._session,
                    "username": "",
                    "date": datetime.now(UTC).isoformat(),
                    "version": "5.3",
                },
                "parent_header": {},
                # The widgets' protocol version (the control comm's has its own).
                "metadata": {"version": version},
                "content": content,
                "channel": channel,
                "buffers": [],
            }
        )

    async def _send(self, msg_type: str, content: dict[str, Any], version: str = "2.1.0") -> None:
        assert self._socket is not None
        await self._socket.write_message(self._message(msg_type, content, version))

    async def _read(self) -> None:
        assert self._socket is not None
        while (frame := await self._socket.read_message()) is not None:
            self._take(_decode(frame))

    def _take(self, message: dict[str, Any]) -> None:
        content = message.get("content", {})
        msg_type = message.get("msg_type") or message.get("header", {}).get("msg_type")
        data = content.get("data") or {}
        if msg_type == "comm_open" and content.get("target_name") == "jupyter.widget":
            self.states[content["comm_id"]] = dict(data.get("state", {}))
        elif msg_type == "comm_msg" and content.get("comm_id") == self._control:
            if data.get("method") == "update_states":
                for model_id, model in data.get("states", {}).items():
                    self.states.setdefault(model_id, {}).update(model.get("state", {}))
        elif msg_type == "comm_msg" and data.get("method") in ("update", "echo_update"):
            self.states.setdefault(content.get("comm_id", ""), {}).update(data.get("state", {}))
        elif msg_type == "comm_close":
            self.states.pop(content.get("comm_id", ""), None)
        self._changed.set()

    async def until(self, condition: Callable[[], bool], timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while not condition():
            left = deadline - time.monotonic()
            if left <= 0 or self._reader is None or self._reader.done():
                return condition()
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), left)
        return True

    # -- what a visitor does -------------------------------------------------------------

    async def open(self, http: AsyncHTTPClient, ready: Ready, timeout: float) -> None:
        """Request the page and follow it until ``ready``; raises PageFailed."""
        started = time.monotonic()
        reply = await http.fetch(self.url, request_timeout=timeout, raise_error=False)
        self.page_seconds = time.monotonic() - started
        if reply.code != 200:
            raise PageFailed(f"the page answered {reply.code}")
        for header in reply.headers.get_list("Set-Cookie"):
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        found = _KERNEL_ID.search(reply.body.decode(errors="replace"))
        if found is None:
            raise PageFailed("the page names no kernel")
        self.kernel_id = found.group(1)
        parts = urlsplit(self.url)
        assets = _ASSET.findall(reply.body.decode(errors="replace"))
        await asyncio.gather(
            *(
                http.fetch(
                    f"http://{parts.netloc}{path}", request_timeout=timeout, raise_error=False
                )
                for path in assets
            )
        )
        base = self.url.split("/voila/", 1)[0]
        socket_url = (
            f"ws://{parts.netloc}{urlsplit(base).path}/api/kernels/{self.kernel_id}"
            f"/channels?session_id={self._session}"
        )
        cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        left = max(1.0, timeout - (time.monotonic() - started))
        self._socket = await websocket_connect(
            HTTPRequest(socket_url, headers={"Cookie": cookie}, request_timeout=left),
            max_message_size=64 * 2**20,
        )
        self._reader = asyncio.ensure_future(self._read())
        await self._send(
            "comm_open",
            {"comm_id": self._control, "target_name": "jupyter.widget.control", "data": {}},
            version="1.0.0",
        )
        await self._send(
            "comm_msg", {"comm_id": self._control, "data": {"method": "request_states"}}
        )
        left = max(0.0, timeout - (time.monotonic() - started))
        if not await self.until(lambda: ready(self.states), left):
            raise PageFailed(f"no first control within {timeout:.0f} s")
        self.usable_seconds = time.monotonic() - started

    def model(self, css_class: str, model_name: str | None = None) -> str:
        """The id of the widget with this CSS class (of this model, if named)."""
        for model_id, state in self.states.items():
            if css_class in state.get("_dom_classes", ()) and (
                model_name is None or state.get("_model_name") == model_name
            ):
                return model_id
        raise PageFailed(f"the page has no widget .{css_class}")

    async def send_answer(self, box_class: str, text: str) -> None:
        """Send ``text`` as the text box with this class sends it."""
        box = self.model(box_class, "TextareaModel")
        await self._send(
            "comm_msg",
            {"comm_id": box, "data": {"method": "update", "state": {"value": text}}},
        )

    async def shut_down_kernel(self) -> None:
        """Ask the kernel to shut down, on its control channel, as a frontend may."""
        assert self._socket is not None
        message = self._message("shutdown_request", {"restart": False}, "5.3", "control")
        await self._socket.write_message(message)

    async def type_answer(self, box_class: str, text: str, timeout: float = 60) -> float:
        """Send ``text`` as the text box with this class sends it; seconds until the page
        says it is saved (the autosave pause included)."""
        status = self.model("bw-save-status")
        self.states[status]["value"] = ""
        started = time.monotonic()
        await self.send_answer(box_class, text)
        saved = await self.until(
            lambda: str(self.states[status].get("value", "")).find(_SAVED) >= 0, timeout
        )
        if not saved:
            raise PageFailed(f"not saved within {timeout:.0f} s: {self.states[status]}")
        return time.monotonic() - started

    async def leave(self, http: AsyncHTTPClient) -> None:
        """What the tab does as it closes: the workbook's page guard says goodbye on the
        websocket, Voila's page asks for its kernel's shutdown, the socket closes."""
        with contextlib.suppress(PageFailed):
            guard = self.model("bw-page-guard")
            await self._send(
                "comm_msg",
                {"comm_id": guard, "data": {"method": "custom", "content": {"event": "leaving"}}},
            )
        if self.kernel_id:
            base = self.url.split("/voila/", 1)[0]
            cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
            with contextlib.suppress(OSError):
                await http.fetch(
                    f"{base}/voila/api/shutdown/{self.kernel_id}",
                    method="POST",
                    body=b"",
                    headers={"Cookie": cookie, "X-XSRFToken": self.cookies.get("_xsrf", "")},
                    raise_error=False,
                )
        if self._socket is not None:
            self._socket.close()
        if self._reader is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._reader, 5)


def _decode(frame: str | bytes) -> dict[str, Any]:
    """A websocket frame of jupyter_server's default protocol: JSON text, or, with binary
    buffers, their count and offsets then the JSON and the buffers."""
    if isinstance(frame, str):
        message: dict[str, Any] = json.loads(frame)
        return message
    (count,) = struct.unpack("!I", frame[:4])
    offsets = struct.unpack(f"!{count}I", frame[4 : 4 + 4 * count])
    end = offsets[1] if count > 1 else len(frame)
    message = json.loads(frame[offsets[0] : end])
    return message


def http_client() -> AsyncHTTPClient:
    """One client for a whole crowd: every visitor's request goes out at once."""
    return AsyncHTTPClient(force_instance=True, max_clients=1000)
