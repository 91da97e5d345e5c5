"""Am I bought in myself? Alignment or buy-in, and the foundations of the goal."""

from .content import SelfCheckContent, attitudes_reference, load_content
from .scoring import reading, sentence_findings
from .view import SelfCheckExercise

__all__ = ["SelfCheckContent", "SelfCheckExercise", "attitudes_reference", "load_content",
           "reading", "sentence_findings"]
