"""The exercises' ids, in the order a leader works through them: the one thing about the
exercises the store needs (a cohort names the exercises it holds), kept apart so the store
imports no exercise. ``buyin_workbook.exercises.EXERCISES`` lists the same, and a test holds
them equal."""

EXERCISE_IDS: tuple[str, ...] = ("choice", "selfcheck", "motivators", "stakeholders")

#: The summary page's id, and where it keeps its own answers (the action list).
SUMMARY = "summary"
