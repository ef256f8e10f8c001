"""The endline survey: questionnaires, rounds, National Society responses and results."""
