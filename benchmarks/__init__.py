"""Benchmarks at Movement scale: `python -m benchmarks` (what `make bench` runs)."""
