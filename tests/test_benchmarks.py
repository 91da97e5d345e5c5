"""The benchmarks run and print their tables (their figures are read by people, not asserted)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_motivators_benchmark_quick_mode_prints_its_table():
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "motivators_analysis.py"), "--quick"],
        capture_output=True, text=True, timeout=300, check=True, cwd=ROOT)
    lines = result.stdout.splitlines()
    assert lines[0].startswith("motivators analysis, 2 runs each")
    assert any(line.startswith("figures and reading") and line.endswith("x") for line in lines)
    assert any(line.startswith("full render (2 SVG charts)") for line in lines)
    assert lines[-1].startswith("50 x 15 full render:")
