"""Files in and out of a page in one step (views: ``extension/src/files.ts``).

``FileChooser`` opens the browser's file chooser and hands the chosen file to the kernel once
(ipywidgets' ``FileUpload`` shows a count beside its label, "Import a plan file (0)", and
keeps the file in the widget's state). ``DownloadButton`` asks the kernel for a file when
pressed and the page saves it: one press, nothing written on the server.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from traitlets import Bool, Unicode

from .page_guard import FrontendWidget

#: What the chooser hands over: the file's name and its bytes.
FileCallback = Callable[[str, bytes], None]


class FileChooser(FrontendWidget):
    """A button labelled ``description``; ``on_file`` hears each file the person picks."""

    _model_name = Unicode("FileChooserModel").tag(sync=True)
    _view_name = Unicode("FileChooserView").tag(sync=True)

    description = Unicode("").tag(sync=True)
    #: The file types offered, as an ``<input type=file>`` takes them.
    accept = Unicode("").tag(sync=True)
    disabled = Bool(False).tag(sync=True)

    def __init__(self, description: str, *, accept: str = "", on_file: FileCallback) -> None:
        super().__init__(description=description, accept=accept)
        self._on_file = on_file
        self.on_msg(self._received)

    def _received(self, _widget: Any, content: dict[str, Any], buffers: list[Any]) -> None:
        if content.get("event") == "file" and buffers:
            self._on_file(str(content.get("name", "")), bytes(buffers[0]))

    def choose(self, name: str, data: bytes) -> None:
        """Hand over a file as if the person had picked it (for notebooks and tests)."""
        self._on_file(name, data)


#: What a download button's kernel side makes when pressed: (file name, bytes, mimetype),
#: or ``None`` when it could not (it says why on the page itself).
DownloadMaker = Callable[[], tuple[str, bytes, str] | None]


class DownloadButton(FrontendWidget):
    """A button labelled ``description`` that downloads what ``make`` returns."""

    _model_name = Unicode("DownloadButtonModel").tag(sync=True)
    _view_name = Unicode("DownloadButtonView").tag(sync=True)

    description = Unicode("").tag(sync=True)
    tooltip = Unicode("").tag(sync=True)
    disabled = Bool(False).tag(sync=True)

    def __init__(self, description: str, *, make: DownloadMaker, tooltip: str = "") -> None:
        super().__init__(description=description, tooltip=tooltip)
        self._make = make
        self.on_msg(self._received)

    def _received(self, _widget: Any, content: dict[str, Any], _buffers: list[Any]) -> None:
        if content.get("event") == "click" and not self.disabled:
            self.click()

    def click(self) -> None:
        """What a press does: make the file and hand it to the page to save."""
        made = self._make()
        if made is None:
            return
        name, data, mime = made
        self.send({"do": "save", "name": name, "mime": mime}, [data])
