"""The benchmarks run and print their tables (their figures are read by people, not asserted)."""

import subprocess
import sys

import pytest

from buyin_workbook.pages import workbook_pages
from tests.plugin.paths import ROOT


def run_benchmark(name: str, *args: str, timeout: float) -> subprocess.CompletedProcess[str]:
    """`python -m benchmarks.<name> ARGS`, from the repository's root, as the docs say."""
    return subprocess.run(
        [sys.executable, "-m", f"benchmarks.{name}", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
    )


def test_motivators_benchmark_quick_mode_prints_its_table():
    result = run_benchmark("motivators_analysis", "--quick", timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.splitlines()
    assert lines[0].startswith("motivators analysis, 2 runs each")
    assert any(line.startswith("figures and reading") and line.endswith("x") for line in lines)
    assert any(line.startswith("page (2 chart specs)") for line in lines)
    assert any(line.startswith("report file (2 SVG charts)") for line in lines)
    assert lines[-1].startswith("50 x 15 full render:")


@pytest.mark.benchmark  # 30-40 s of kernels: `./scripts/test -m benchmark` runs it
def test_kernel_startup_benchmark_quick_mode_prints_every_page_and_import():
    result = run_benchmark("kernel_startup", "--quick", timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    rows = {line.split()[0]: line for line in result.stdout.splitlines() if line.strip()}
    assert rows["floor"].split()[1] != "0"  # the slider's messages were counted
    for page in workbook_pages():
        assert page.notebook in rows
    for module in ("buyin_workbook", "buyin_workbook.exercises", "choice", "summary"):
        assert rows[module].endswith("x")


def test_serving_benchmark_script_starts_and_says_how_to_run_it():
    result = run_benchmark("serve_apps", "--help", timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    for option in ("--quick", "--clients", "--pool-size", "--deadline"):
        assert option in result.stdout


def test_kernel_startup_benchmark_says_how_to_run_it():
    result = run_benchmark("kernel_startup", "--help", timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "--quick" in result.stdout


def test_cohort_joining_benchmark_says_how_to_run_it():
    result = run_benchmark("cohort_join", "--help", timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    for option in ("--participants", "--within", "--pool-size", "--baseline"):
        assert option in result.stdout


@pytest.mark.benchmark
@pytest.mark.timeout(900)  # it starts four servers and a browser: about 4-5 minutes
def test_serving_benchmark_quick_mode_prints_every_measure():
    result = run_benchmark("serve_apps", "--quick", "--clients=3", timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.splitlines()
    assert lines[0].startswith("serving the apps (quick)")
    rows = {line.split("|")[0].strip(): line for line in lines if line.count("|") >= 4}
    for notebook in (
        "01-how-much-choice",
        "02-am-i-bought-in",
        "03-motivators",
        "04-stakeholders",
        "05-summary",
    ):
        assert f"time to interactive, cold: {notebook}" in rows
        assert f"time to interactive, pool: {notebook}" in rows
        assert f"kernel PSS per client: {notebook}" in rows
    assert "3 clients at once: interactive in 120 s" in rows
    assert "3 clients at once: p95" in rows
    assert any(row.startswith("kernels alive") for row in rows)
    assert "answer -> saved, p95 minus autosave 400 ms" in rows
    assert "rating -> chart redrawn, p95" in rows
    # Ratios are read by people; the page must still have worked offline.
    assert "- requests that tried to leave the machine (blocked): 0" in lines
    assert "- script errors in the pages: 0" in lines


def test_cohort_service_benchmark_says_how_to_run_it():
    result = run_benchmark("cohort_service", "--help", timeout=120)
    assert result.returncode == 0, result.stderr
    assert "--participants" in result.stdout and "--db-url" in result.stdout


def test_leaked_link_benchmark_says_how_to_run_it():
    result = run_benchmark("leaked_link", "--help", timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    for option in ("--joins", "--pages", "--max-kernels"):
        assert option in result.stdout


@pytest.mark.timeout(600)
def test_crowd_benchmark_tiny_run_serves_every_visitor_and_prints_its_ratios():
    """A tiny crowd (two at once) on the floor and the default, forked server: each page
    opens over the protocol and saves its answer; the figures are printed, not judged."""
    result = run_benchmark(
        "crowd",
        "--quick",
        "--clients=2",
        "--after=2",
        "--repeats=1",
        "--spread=1",
        "--servers",
        "floor",
        "forked",
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.splitlines()
    assert lines[0].startswith("serving a crowd (quick)")
    rows = {line.split("|")[0].strip(): line for line in lines if line.count("|") >= 4}
    for measure in (
        "one pre-heated page, request -> first screen (forked)",
        "2 at once, p95 to usable (forked)",
        "2 at once, CPU s per page (forked)",
        "2 open, kernel PSS per page (forked)",
    ):
        assert rows[measure].split("|")[3].strip().endswith("x"), rows[measure]
    for kind in ("floor", "forked"):
        assert "2 of 2" in rows[f"2 at once, usable ({kind})"]
    for when in ("all at one instant", "each within 1 s"):
        saved = rows[f"2 open, answer -> saved p95 after the pause, {when} (forked)"]
        assert "(2 saved)" in saved  # both answers were saved, each time
    assert "Shared_Dirty" in result.stdout


def test_crowd_benchmark_says_how_to_run_it():
    result = run_benchmark("crowd", "--help", timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    for option in ("--quick", "--clients", "--arrivals", "--over", "--after"):
        assert option in result.stdout


def test_live_dashboard_and_member_page_benchmarks_say_how_to_run_them():
    for name, options in (
        ("live_dashboard", ("--participants", "--rounds")),
        ("member_page", ("--opens", "--browser-opens", "--pause")),
    ):
        result = run_benchmark(name, "--help", timeout=120)
        assert result.returncode == 0, result.stderr[-3000:]
        for option in options:
            assert option in result.stdout
