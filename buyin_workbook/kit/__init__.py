"""The exercise kit: what every exercise builds on, and what pages and front ends may use of
it without knowing any one exercise.

- ``declaration``: :class:`Exercise`, what an exercise declares (its progress, figures, report
  part and cohort values from its stored answers), and the report's parts;
- ``content``: the base of every exercise's words (``content.toml``);
- ``charts``: chart bundles (a Vega-Lite spec with its text alternative);
- ``cohort``: the measures an exercise gives a course cohort's figures;
- ``team_voice``: the team members a leader asks, their answers and the reveal;
- ``reference``: the small reference tables the exercises show.

Importing it first marks one slow, unused grammar absent (``_lean_imports``), before anything
imports altair.
"""

from . import _lean_imports  # noqa: F401  (first: see there)
