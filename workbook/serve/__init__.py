"""What ``jupyter workbook serve`` adds to Voila: client links, a landing page, the coach's
dashboard, a key check in front of every exercise page, and kernels that answer only the
page that got them."""

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
    "kernel_routes",
    "workbook_handlers",
]
