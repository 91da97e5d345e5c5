"""How much choice can I give? The team's say over WHAT the plan is and HOW it is done."""

from .content import ChoiceContent, levels_reference, load_content
from .scoring import reading
from .view import ChoiceExercise

__all__ = ["ChoiceContent", "ChoiceExercise", "levels_reference", "load_content", "reading"]
