"""A page's widgets are opened once; in a served kernel, before any page has asked for the
widgets' states, they are opened without a message (the ask brings them all)."""

from __future__ import annotations

import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jupyter_client.manager import KernelManager

from buyin_workbook import environment

BUILD = """
from buyin_workbook.store import WorkbookStore
from buyin_workbook.exercises.selfcheck.view import SelfCheckExercise
page = SelfCheckExercise(WorkbookStore())
display(page)
"""


class _Kernel:
    def __init__(self, manager: KernelManager) -> None:
        self.client = manager.client()
        self.client.start_channels()
        self.client.wait_for_ready(timeout=60)
        self.control = uuid.uuid4().hex

    def run(self, code: str) -> list[dict[str, Any]]:
        """Run ``code``; the iopub messages it caused, until the kernel is idle again."""
        msg_id = self.client.execute(code)
        messages = []
        while True:
            message = self.client.get_iopub_msg(timeout=60)
            if message["parent_header"].get("msg_id") != msg_id:
                continue
            messages.append(message)
            if message["msg_type"] == "error":
                pytest.fail("\n".join(message["content"]["traceback"]))
            if message["msg_type"] == "status" and message["content"]["execution_state"] == "idle":
                return messages

    def send(self, msg_type: str, content: dict[str, Any], version: str) -> str:
        message = self.client.session.msg(msg_type, content, metadata={"version": version})
        self.client.shell_channel.send(message)
        return str(message["header"]["msg_id"])

    def request_states(self) -> dict[str, Any]:
        """What a page's script does when it loads: every widget's state, in one reply."""
        self.send(
            "comm_open",
            {"comm_id": self.control, "target_name": "jupyter.widget.control", "data": {}},
            "1.0.0",
        )
        asked = self.send(
            "comm_msg", {"comm_id": self.control, "data": {"method": "request_states"}}, "2.1.0"
        )
        while True:
            message = self.client.get_iopub_msg(timeout=60)
            data = message["content"].get("data") or {}
            if message["parent_header"].get("msg_id") == asked and "states" in data:
                return dict(data["states"])


@pytest.fixture
def served_kernel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[_Kernel]:
    monkeypatch.setenv("BUYIN_WORKBOOK_HOME", str(tmp_path))
    monkeypatch.setenv(environment.SERVED.name, "1")
    manager = KernelManager(kernel_name="python3")
    manager.kernel_cmd = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    manager.start_kernel()
    kernel = _Kernel(manager)
    try:
        yield kernel
    finally:
        kernel.client.stop_channels()
        manager.shutdown_kernel(now=True)


def _widget_opens(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        m
        for m in messages
        if m["msg_type"] == "comm_open" and m["content"]["target_name"] == "jupyter.widget"
    ]


def _with_class(states: dict[str, Any], css_class: str) -> list[str]:
    return [i for i, s in states.items() if css_class in s["state"].get("_dom_classes", ())]


def test_a_served_page_is_built_without_a_message_a_widget_and_sent_whole_when_asked(
    served_kernel: _Kernel,
) -> None:
    built = served_kernel.run(BUILD)
    assert _widget_opens(built) == []  # the server's executor reads none of them
    shown = [m for m in built if m["msg_type"] == "display_data"]
    page_id = shown[0]["content"]["data"]["application/vnd.jupyter.widget-view+json"]["model_id"]

    states = served_kernel.request_states()
    assert page_id in states
    assert len(states) > 100  # the whole page, its layouts and styles
    (sentence,) = _with_class(states, "bw-sentence")
    assert _with_class(states, "bw-plan-picker")

    # The page's side of a quiet comm talks to the widget as any other.
    served_kernel.send(
        "comm_msg",
        {"comm_id": sentence, "data": {"method": "update", "state": {"value": "By May, X."}}},
        "2.1.0",
    )
    said = served_kernel.run(
        f"from ipywidgets.widgets.widget import _instances\nprint(_instances[{sentence!r}].value)"
    )
    assert any(m["content"].get("text") == "By May, X.\n" for m in said)

    # Once a page has asked, a page built later opens as usual: its page is listening.
    assert len(_widget_opens(served_kernel.run(BUILD))) > 100
