"""The `jupyter workbook` command: one application per subcommand."""

from .workbookapp import WorkbookApp

main = WorkbookApp.launch_instance

__all__ = ["WorkbookApp", "main"]
