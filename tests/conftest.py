"""The tests' one plugin (tests/plugin/fixtures.py): servers, the browser, the databases and
the wheel, shared by every folder of tests."""

import pytest

pytest_plugins = ["tests.plugin.fixtures"]


@pytest.fixture(autouse=True)
def _a_kernel_works_out_its_visitor_anew():
    """A kernel works out whom it serves once (``current_access`` is cached); each test is a
    kernel of its own."""
    from buyin_workbook.use_cases.visitor import current_access

    current_access.cache_clear()
    yield
    current_access.cache_clear()
