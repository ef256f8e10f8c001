"""Template tags of working groups."""
