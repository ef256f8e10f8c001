"""The roadmap itself: commitments, priority action areas, expected results, indicators, progress."""
