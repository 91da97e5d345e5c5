"""Where do my team's motivators overlap with mine and with the plan?"""

from .content import MotivatorsContent, catalogue_reference, load_content
from .scoring import analyse, plan_overlap, profile_overlap, spearman
from .view import AboutMe, MotivatorsExercise

__all__ = ["AboutMe", "MotivatorsContent", "MotivatorsExercise", "analyse",
           "catalogue_reference", "load_content", "plan_overlap", "profile_overlap", "spearman"]
