"""Date and number formats the Django locale files leave out (FORMAT_MODULE_PATH)."""
