"""A cohort's figures under the disclosure rules (:mod:`.results`), drawn as HTML
(:mod:`.render`) and gathered into a facilitator's dashboard (:mod:`.dashboard`); the
measures a participant's answers give (:mod:`.figures`). See :mod:`buyin_workbook.cohorts`
for the same bound to the workbook's own exercises."""
