"""Background jobs with progress: imports, large exports and PDFs run by the task worker."""
