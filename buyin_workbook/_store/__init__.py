"""The store's private parts, behind :class:`buyin_workbook.store.WorkbookStore`: its tables and
migrations, link keys, SQLite's setup and errors, schema upgrades and plan files."""
