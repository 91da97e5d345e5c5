"""Small widget helpers shared by every exercise view. User text is always escaped here."""

from __future__ import annotations

import asyncio
import html
from collections.abc import Sequence
from typing import Any, Literal

import ipywidgets as widgets

from ..languages import N_, Translator, translator
from ..use_cases.visitor import page_language

MessageKind = Literal["info", "error", "ok", "notice"]

#: Styles of the workbook's widgets, in one place; no external font or script.
STYLE = """
<style>
.bw-exercise { max-width: 980px; font-size: 14px; line-height: 1.45; }
.bw-exercise h2 { font-size: 1.5em; margin: 0.2em 0 0.3em; }
.bw-exercise h3 { font-size: 1.15em; margin: 1.1em 0 0.3em; border-bottom: 1px solid #d0d7de; }
.bw-exercise .bw-help { color: #3d4751; margin: 0 0 0.4em; }
.bw-message-error { color: #a3161a; font-weight: 600; }
.bw-message-notice { color: #7a4b00; font-weight: 600; }
.bw-message-ok { color: #216e39; }
.bw-message-info { color: #555; }
.bw-save-status { color: #57606a; font-size: 0.9em; }
.bw-card { border: 1px solid #d0d7de; border-radius: 6px; padding: 6px 10px; margin: 4px 0; }
.bw-legend td { padding: 2px 10px 2px 0; vertical-align: top; }
.bw-reading p { margin: 0.4em 0; }
.bw-row { gap: 6px; align-items: center; }
.bw-exercise .widget-inline-hbox, .bw-exercise .widget-inline-vbox { box-sizing: border-box; }
.bw-stacked.widget-inline-hbox { flex-direction: column; align-items: stretch; }
.bw-stacked.widget-inline-hbox > textarea { flex: 0 0 auto; width: 100%; }
.bw-stacked.widget-inline-hbox > .widget-label { width: auto !important; max-width: none;
  text-align: left; white-space: normal; margin-bottom: 2px; }
.bw-exercise .bw-row { flex-wrap: wrap; }
.bw-exercise .widget-html-content { white-space: normal; }
/* Long choices wrap onto more lines; ipywidgets gives each one line's height. */
.bw-exercise .widget-radio-box label { height: auto; white-space: normal; line-height: 1.35;
  align-items: flex-start; margin-bottom: 4px; }
.bw-exercise .widget-radio-box input { margin-top: 2px; }
.bw-exercise select, .bw-exercise input, .bw-exercise textarea { min-width: 0; max-width: 100%; }
.bw-exercise :focus-visible { outline: 3px solid #1f5f8b; outline-offset: 1px; }
.bw-exercise table { border-collapse: collapse; }
.bw-copy-link { display: flex; flex-wrap: wrap; gap: 4px 8px; align-items: center; }
.bw-copy-link code { overflow-wrap: anywhere; min-width: 0; }
.bw-copy-link-status { color: #216e39; }
.bw-exercise th, .bw-exercise td { overflow-wrap: normal; word-break: normal; hyphens: manual; }
@media (max-width: 640px) {
  /* A label above its box needs the room of two lines, not the one-line height ipywidgets sets. */
  .bw-exercise .widget-inline-hbox { flex-wrap: wrap; max-width: 100%; height: auto; }
  .bw-exercise .widget-inline-hbox > .widget-label { width: 100% !important; max-width: none;
    text-align: left; white-space: normal; margin-bottom: 2px; }
  .bw-exercise .widget-inline-hbox > select, .bw-exercise .widget-inline-hbox > input,
  .bw-exercise .widget-dropdown { width: 100% !important; flex: 1 1 100%; }
  /* A box's own height, not the row's: a row of height auto leaves a dropdown 16 px. */
  .bw-exercise .widget-dropdown > select, .bw-exercise .widget-text input {
    min-height: 32px; height: auto; line-height: 1.3; }
}
</style>
"""


def escape(text: object) -> str:
    """User text made safe for an HTML widget: markup shows as text and never runs."""
    return html.escape(str(text), quote=True)


def _heading_html(text: str, level: int) -> str:
    return f"<h{level}>{escape(text)}</h{level}>"


def _paragraph_html(text: str, css_class: str = "bw-help") -> str:
    return f'<p class="{css_class}">{escape(text)}</p>'


def heading(text: str, level: int = 3) -> widgets.HTML:
    return widgets.HTML(_heading_html(text, level))


def paragraph(text: str, css_class: str = "bw-help") -> widgets.HTML:
    return widgets.HTML(_paragraph_html(text, css_class))


def paragraphs(*texts: str, css_class: str = "bw-help") -> widgets.HTML:
    """Several paragraphs as one widget."""
    return widgets.HTML("".join(_paragraph_html(text, css_class) for text in texts))


def titled(title: str, *texts: str, level: int = 3) -> widgets.HTML:
    """A heading and its paragraphs of help as one widget (one message to the page, not
    several)."""
    return widgets.HTML(_heading_html(title, level) + "".join(_paragraph_html(t) for t in texts))


def set_message(target: widgets.HTML, text: str = "", kind: MessageKind = "info") -> None:
    """Show a message next to a control (empty text hides it)."""
    target.value = (
        f'<span class="bw-message-{kind}" role="status">{escape(text)}</span>' if text else ""
    )


def message_area(css_class: str) -> widgets.HTML:
    area = widgets.HTML("")
    area.add_class(css_class)
    return area


def button(
    description: str, *, css_class: str, style: str = "", icon: str = "", tooltip: str = ""
) -> widgets.Button:
    """A button sized to its text, never squeezed by its neighbours."""
    control = widgets.Button(
        description=description,
        button_style=style,
        icon=icon,
        tooltip=tooltip or description,
        layout=widgets.Layout(width="auto", flex="0 0 auto"),
    )
    control.add_class(css_class)
    return control


def page_words(words: Translator | None = None) -> Translator:
    """The words of the page a widget is on: those it is handed, else the language of the
    kernel's visitor (a kernel serves one page all its life)."""
    return words or translator(page_language())


_PRIVACY = N_("Privacy.")


def privacy_note(text: str, words: Translator | None = None) -> widgets.HTML:
    """An exercise's note on who sees its answers, headed in the page's language."""
    heading = page_words(words).gettext(_PRIVACY)
    return widgets.HTML(f'<p class="bw-help"><b>{escape(heading)}</b> {escape(text)}</p>')


_LEGEND = N_("What low, medium and high mean")


def legend_html(
    sections: list[tuple[str, str, list[tuple[str, str]]]], *, words: Translator | None = None
) -> widgets.HTML:
    """What low, medium and high mean, per figure: ``(title, note, [(label, meaning)])``."""
    parts = []
    for title, note, rows in sections:
        body = "".join(
            f"<tr><td><b>{escape(label)}</b></td><td>{escape(meaning)}</td></tr>"
            for label, meaning in rows
        )
        note_html = f": {escape(note)}" if note else ""
        parts.append(f"<p><b>{escape(title)}</b>{note_html}</p><table>{body}</table>")
    legend = widgets.HTML(
        f'<details class="bw-legend" open><summary>{escape(page_words(words).gettext(_LEGEND))}'
        f"</summary>{''.join(parts)}</details>"
    )
    legend.add_class("bw-legend-box")
    return legend


def show_chart(output: widgets.Output, bundle: dict[str, Any]) -> None:
    """Replace what an Output shows with one display bundle (kept in the widget's state,
    so tests and nbval see it; ``with output: display()`` would not be)."""
    output.outputs = ({"output_type": "display_data", "data": bundle, "metadata": {}},)


def submit_on_enter(*boxes: widgets.Text, action: widgets.Button) -> None:
    """Enter in any of ``boxes`` does what ``action`` does, as in a form.

    The page sends a text box's ``submit`` event on Enter (``Text.on_submit`` is deprecated
    in ipywidgets 8 in favour of watching the value, which also changes on leaving the box).
    The boxes send their value as it is typed, and the page guard's view sends any typing
    ipywidgets still holds back before the Enter (extension/src/pageGuard.ts), so the value
    is current when the event arrives.
    """

    def submitted(_box: widgets.Widget, content: dict[str, Any], _buffers: list) -> None:
        if content.get("event") == "submit" and not action.disabled:
            action.click()

    for box in boxes:
        box.on_msg(submitted)


#: The class the labextension's focus watcher looks for (extension/src/focus.ts).
FOCUS_NEW = "bw-focus-new"


def focus_when_shown(control: widgets.DOMWidget) -> None:
    """Give the keyboard focus to a control the page has not drawn yet (a new row's box).

    ``control.focus()`` reaches only a control already on the page; a new one is marked
    instead, and the page focuses it as it appears. The mark is taken off again shortly
    after, so that drawing the page afresh later does not move the focus.
    """
    control.add_class(FOCUS_NEW)
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return
    loop.call_later(3, control.remove_class, FOCUS_NEW)


def focus_next(
    candidates: Sequence[widgets.DOMWidget], index: int, fallback: widgets.DOMWidget
) -> None:
    """After the control at ``index`` went away: focus the one now in its place, else the one
    before it, else ``fallback`` (so the focus never drops to the page)."""
    if candidates:
        candidates[min(index, len(candidates) - 1)].focus()
    else:
        fallback.focus()


def row(children: list[widgets.Widget], *, wrap: bool = False) -> widgets.HBox:
    """Controls side by side with a little room between them."""
    box = widgets.HBox(children, layout=widgets.Layout(flex_flow="row wrap" if wrap else "row"))
    box.add_class("bw-row")
    return box


def full_width(control: widgets.Widget) -> widgets.Widget:
    # "auto" stretches to the box without overflowing its right edge as 100% + margin would.
    control.layout.width = "auto"
    control.layout.flex = "1 1 auto"
    control.style.description_width = "initial"
    return control
