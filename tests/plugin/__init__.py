"""The tests' own pytest plugin, and the helpers tests and benchmarks share.

``tests.plugin.fixtures`` holds every shared fixture (servers, the browser, databases, the
wheel) and is registered once, by tests/conftest.py. The other modules are helpers to
import: ``servers`` (Voila, JupyterLab and `jupyter workbook serve` on loopback, the offline
guard), ``pages`` (what browser tests do to a page), ``databases`` (SQLite and a real
PostgreSQL), ``hub`` (a real JupyterHub), ``protocol`` (a page over Jupyter's own protocol,
no browser), ``axe``, ``charts``, ``cohort``, ``load``, ``soak``, ``samples`` (answers the
tests and benchmarks seed), ``fresh`` and ``paths``.
"""
