"""Benchmark of the registry import: generate an N-licence registry file and import it.

    python -m benchmarks.registry_import                 # 500,000 licences into a fresh SQLite file
    python -m benchmarks.registry_import --rows 100000 --db postgresql://…

Prints, for the first import (`--replace` into an empty registry) and for a re-import of the same
file with 1% of licences changed (status, models) and 1% dropped (ended by `--replace`): wall time,
rows per second (wall clock; the process's own CPU time is shown too, since a busy machine
stretches wall time), and the process's peak resident memory (ru_maxrss, which includes Python itself and
the file generation). Target (issue 4): under 60 s and under 1 GB for 500,000 licences.
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from pipelines.store.schema import migrated_engine
from standards_data.catalogue import mandatory_standards
from standards_data.registry import CANONICAL_COLUMNS
from standards_data.registry_import import import_registry
from standards_data.registry_store import current_version_id

BRANDS = (
    ("Toshiba (โตชิบา)", "โตชิบา"),
    ("Panasonic", "พานาโซนิค"),
    ("Hatari (ฮาตาริ)", "ฮาตาริ"),
    ("Sharp", "ชาร์ป"),
    ("Philips", "ฟิลิปส์"),
    ("Anitech", "แอนิเทค"),
    ("Toshino", "โตชิโน"),
    ("Haco", "ฮาโก้"),
    ("Xiaomi", "เสียวหมี่"),
    ("Electrolux", "อีเลคโทรลักซ์"),
)
LETTERS = (("ท", "make"), ("น", "import"), ("ส", "display"), ("นค", "one_off_import"))
STATUSES = ("active",) * 18 + ("suspended", "revoked")


def licence_rows(count: int, seed: int, changed_share: float = 0.0) -> Iterator[list[str]]:
    """`count` canonical rows of mandatory standards; `changed_share` of them altered deterministically."""
    rng = random.Random(seed)
    standards = sorted(mandatory_standards())
    for index in range(count):
        tis_number = standards[index % len(standards)]
        base = tis_number.split("-", 1)[0].split(" ", 1)[0]
        letter, licence_type = LETTERS[index % 7 % 4]
        renewal = f"({index % 5})" if index % 3 == 0 else ""
        brand, brand_th = BRANDS[index % len(BRANDS)]
        prefix = "".join(chr(65 + (index // 26**k) % 26) for k in range(2))
        models = [f"{prefix}-{1000 + (index * 7 + k) % 9000}" for k in range(1 + index % 3)]
        status = STATUSES[index % len(STATUSES)]
        if changed_share and rng.random() < changed_share:
            status = "revoked" if status == "active" else "active"
            models.append(f"{prefix}-NEW")
        yield [
            f"{renewal}{letter}{index + 1}-{index % 67}/{base}",
            licence_type,
            tis_number,
            f"บริษัท {brand_th} (ประเทศไทย) จำกัด สาขา {index % 997}",
            brand,
            ";".join(models),
            f"{2005 + index % 20}-{1 + index % 12:02d}-{1 + index % 28:02d}",
            status,
        ]


def write_file(path: Path, rows: Iterator[list[str]], drop_every: int = 0) -> int:
    written = 0
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CANONICAL_COLUMNS)
        for number, row in enumerate(rows):
            if drop_every and number % drop_every == 0:
                continue
            writer.writerow(row)
            written += 1
    return written


def peak_rss_mb() -> float:
    # ru_maxrss is KiB on Linux, bytes on macOS.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def run_import(engine_url: str, path: Path, rows: int, label: str) -> None:
    engine = migrated_engine(engine_url)
    started, cpu_started = time.perf_counter(), time.process_time()
    outcome = import_registry(engine, path, mode="replace", imported_by="bench")
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    if not outcome.ok:
        for line in outcome.validated.problems.lines()[:20]:
            print(line)
        raise SystemExit(f"{label}: the generated file was rejected")
    print(
        f"{label}: {rows} rows in {elapsed:.1f} s wall ({cpu:.1f} s CPU of this process) "
        f"= {rows / elapsed:,.0f} rows/s; "
        f"version {outcome.version_id}: {outcome.added} added, {outcome.changed} changed, "
        f"{outcome.ended} ended, {outcome.unchanged} unchanged; peak RSS so far {peak_rss_mb():.0f} MB"
    )
    engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=500_000)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument(
        "--db", default=None, help="database URL (default: a fresh SQLite file in a temp dir)"
    )
    parser.add_argument("--first-only", action="store_true", help="skip the re-import with changes")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="tiswatch-bench-") as folder:
        folder_path = Path(folder)
        db_url = args.db or f"sqlite:///{folder_path / 'bench.sqlite'}"
        if current_version_id(migrated_engine(db_url)) is not None:
            print(f"note: {db_url} already holds a registry; the first import is then a replace of it")
        first = folder_path / "registry.csv"
        started = time.perf_counter()
        rows = write_file(first, licence_rows(args.rows, args.seed))
        size_mb = first.stat().st_size / 1e6
        print(f"generated {rows} licences ({size_mb:.0f} MB CSV) in {time.perf_counter() - started:.1f} s")
        run_import(db_url, first, rows, "first import (--replace, empty registry)")
        if not args.first_only:
            second = folder_path / "registry-changed.csv"
            rows = write_file(second, licence_rows(args.rows, args.seed, changed_share=0.01), drop_every=100)
            run_import(db_url, second, rows, "re-import (--replace, 1% changed, 1% dropped)")
        print(f"peak RSS of the whole benchmark process: {peak_rss_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
