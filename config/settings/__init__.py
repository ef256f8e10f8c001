"""Settings package: base (shared, read from the environment), test and production."""
