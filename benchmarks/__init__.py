"""Benchmarks: commands that print measured figures (not installed with the package; run from a checkout).

    python -m benchmarks.speed                  # matcher throughput, 100,000 synthetic licences
    python -m benchmarks.registry_import        # registry import, 500,000 generated licences
    python -m benchmarks.history --listings N   # history store and export
    python -m benchmarks.crawl                  # crawl + full pipeline beside `scrapy bench`
    python -m benchmarks.bench_cluster          # campaign throughput with 1, 2, 3 workers (Redis)
    python -m benchmarks.bench_api              # check API: checks/s and latency, start-up
    python -m benchmarks.bench_pairs --dataset D # product-pair matcher on a public benchmark
    python -m benchmarks.bench_desk             # review desk: queue and listing page times at 100,000 flags

Figures are written into README.md with the command that printed them; tests never assert figures.
"""
