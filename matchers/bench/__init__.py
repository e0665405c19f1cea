"""Benchmarks of the matcher: `python -m matchers.bench pairs …` (entity matching, Abt-Buy protocol) and
`python -m matchers.bench speed` (throughput against a 100,000-licence registry)."""
