"""The tests' one plugin (tests/plugin/fixtures.py): servers, the browser, the databases and
the wheel, shared by every folder of tests."""

pytest_plugins = ["tests.plugin.fixtures"]
