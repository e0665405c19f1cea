"""Benchmark commands that need the whole application (not installed with the package)."""
