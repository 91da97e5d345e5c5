"""What ``jupyter workbook serve`` adds to Voila: client links, a landing page, the coach's
dashboard, course cohorts (joining, the facilitator's dashboard), a key check in front of
every exercise page, and kernels that answer only the page that got them."""

from .cohort_handlers import cohort_handlers
from .handlers import (
    NotFoundHandler,
    ServedPage,
    ServeState,
    TemplateFilesHandler,
    kernel_routes,
    workbook_handlers,
)

__all__ = [
    "NotFoundHandler",
    "ServeState",
    "ServedPage",
    "TemplateFilesHandler",
    "cohort_handlers",
    "kernel_routes",
    "workbook_handlers",
]
