"""The printed table: medians, ratios against the floor, and the machine."""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass


def median(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def p95(values: list[float]) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=20, method="inclusive")[18]


@dataclass
class Row:
    measure: str
    floor: str
    workbook: str
    ratio: str = ""
    target: str = ""
    met: bool | None = None


def fmt(value: float | None, unit: str = "", digits: int = 2) -> str:
    return "none" if value is None else f"{value:.{digits}f}{unit}"


def ratio_of(workbook: float | None, floor: float | None) -> float | None:
    if workbook is None or floor is None or floor <= 0:
        return None
    return workbook / floor


def ratio_text(workbook: float | None, floor: float | None) -> str:
    ratio = ratio_of(workbook, floor)
    return "-" if ratio is None else f"{ratio:.2f}x"


def ratio_row(
    measure: str, floor: float | None, workbook: float | None, unit: str, digits: int, limit: float
) -> Row:
    ratio = ratio_of(workbook, floor)
    return Row(
        measure,
        fmt(floor, unit, digits),
        fmt(workbook, unit, digits),
        ratio_text(workbook, floor),
        f"<= {limit:.1f}x",
        ratio is not None and ratio <= limit,
    )


def print_table(rows: list[Row]) -> None:
    headers = ("measure", "floor", "workbook", "ratio", "target", "met?")
    cells = [
        (
            r.measure,
            r.floor,
            r.workbook,
            r.ratio,
            r.target,
            "" if r.met is None else ("yes" if r.met else "NO"),
        )
        for r in rows
    ]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(headers)]
    print(" | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip())
    print("-+-".join("-" * w for w in widths))
    for cell in cells:
        print(
            " | ".join(
                [cell[0].ljust(widths[0])]
                + [c.rjust(w) for c, w in zip(cell[1:5], widths[1:5], strict=True)]
                + [cell[5]]
            ).rstrip()
        )


def short(notebook: str) -> str:
    return notebook.removesuffix(".ipynb")
