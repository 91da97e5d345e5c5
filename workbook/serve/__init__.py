"""What ``jupyter workbook serve`` adds to Voila: client links, a landing page, the coach's
dashboard, and a key check in front of every exercise page."""

from .handlers import ServeState, workbook_handlers

__all__ = ["ServeState", "workbook_handlers"]
