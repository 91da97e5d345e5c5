"""The tests' one plugin (tests/plugin/fixtures.py): servers, the browser, the databases and
the wheel, shared by every folder of tests."""

pytest_plugins = ["tests.plugin.fixtures"]

#: Test data, never tests: a German copy of a notebook is run in German by its own test
#: (tests/exercises/choice/test_notebook_in_german.py), not by nbval in English.
collect_ignore_glob = ["data/*"]
