"""What every benchmark prints beside its figures: progress, the machine, its load."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path


def log(message: str) -> None:
    """Progress goes to stderr; stdout holds only the report."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def machine() -> str:
    total_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            total_kb = int(line.split()[1])
    return f"{os.cpu_count()} CPUs, {total_kb / 1024**2:.0f} GB RAM"


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])
