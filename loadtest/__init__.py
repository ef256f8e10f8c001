"""Bounded load and fault test: `python -m loadtest` (see docs/reliability.md)."""
