"""The workbook's exercises; each is content (data), scoring (pure), view (widgets), charts."""
