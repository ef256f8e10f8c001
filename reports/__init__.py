"""Council-of-Delegates-style progress reports (PDF and HTML) and spreadsheet exports."""
