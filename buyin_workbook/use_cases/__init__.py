"""What the workbook does, once, for every front end: the pages (widgets), ``serve``, the
hub's cohort service, the Lab API and the report call these rather than the store's rows.

- :mod:`.visitor` and :mod:`.session`: who a page works for, and the store and settings it
  is handed;
- :mod:`.plans`: where a plan stands on each exercise, and its answers as an exercise reads
  them;
- :mod:`.snapshots`: the dated copies, and the rule that finishing an exercise keeps one;
- :mod:`.cohorts`: a cohort's figures under the disclosure rules, and the facilitator's
  dashboard;
- :mod:`.hub_cohort`: a leader's workbook talking to the hub's cohort service;
- :mod:`.privacy_notice`: where a page says its answers are kept.

A use case knows no exercise by name and imports no registry: it is handed the exercise's
declaration (:class:`~buyin_workbook.kit.declaration.Exercise`), or the front end's
catalogue of them.
"""
