"""Who else must buy in, and who will sell with me? Stakeholders on Mendelow's grid, where
each stands, who could champion the plan, and the obstacle and strategy checks."""

from .content import StakeholdersContent, grid_reference, levels_reference, load_content
from .model import StakeholdersAnswers
from .scoring import Analysis, Champion, Conversation, analyse, progress, quadrant_for
from .view import StakeholdersExercise

__all__ = ["Analysis", "Champion", "Conversation", "StakeholdersAnswers",
           "StakeholdersContent", "StakeholdersExercise", "analyse", "grid_reference",
           "levels_reference", "load_content", "progress", "quadrant_for"]
