"""A reference card of an exercise (the seven levels, the attitudes, ...) as a table.

Displayed in a notebook or an app it is a real table; where only text shows (nbval, a
terminal, ``print``) it is the same rows as aligned columns under their headings.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

_CELL = "text-align: left; vertical-align: top; padding: 3px 10px 3px 0; white-space: normal;"


@dataclass(frozen=True)
class ReferenceTable:
    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    #: A sentence under the caption: how to read the card.
    note: str = ""

    def __str__(self) -> str:
        lines = [self.headers, *self.rows]
        widths = [max(len(line[i]) for line in lines) for i in range(len(self.headers) - 1)]
        return "\n".join(
            "  ".join([*(cell.ljust(w) for cell, w in zip(line, widths, strict=False)), line[-1]])
            for line in lines
        )

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        head = "".join(f'<th scope="col" style="{_CELL}">{escape(h)}</th>' for h in self.headers)
        body = "".join(
            "<tr>" + "".join(f'<td style="{_CELL}">{escape(cell)}</td>' for cell in row) + "</tr>"
            for row in self.rows
        )
        return (
            '<table class="bw-reference" style="border-collapse: collapse; margin: 0.4em 0;">'
            f'<caption style="text-align: left; font-weight: 600; padding-bottom: 4px;">'
            f"{escape(self.caption)}"
            + (
                f'<br><span style="font-weight: 400;">{escape(self.note)}</span>'
                if self.note
                else ""
            )
            + f"</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table>"
        )
