"""`tiswatch` command line. Each command group lives in its own module and registers itself here."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# Modules that each define `register(subparsers)`; imported lazily so `tiswatch match` does not pay
# for Scrapy and `tiswatch crawl` does not pay for pandas.
COMMAND_MODULES = (
    "tiswatch.cli.demo",
    "tiswatch.cli.demo_market",
    "tiswatch.cli.crawl",
    "tiswatch.cli.match",
    "tiswatch.cli.registry",
    "tiswatch.cli.history",
    "tiswatch.cli.rematch",
    "tiswatch.cli.serve",
    "tiswatch.cli.users",
    "tiswatch.cli.evidence",
)

DEFAULT_DB_URL = "sqlite:///data/tiswatch.sqlite"


def add_db_argument(parser: argparse.ArgumentParser) -> None:
    """Every command that uses the database takes `--db URL` (SQLite file or postgresql://…)."""
    parser.add_argument(
        "--db",
        default=DEFAULT_DB_URL,
        metavar="URL",
        help=f"database URL (default: {DEFAULT_DB_URL}; also postgresql://…)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tiswatch",
        description="Find products sold online in Thailand without TIS (มอก.) certification.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module_name in COMMAND_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name == module_name:  # command group not built yet
                continue
            raise
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    result = args.handler(args)
    return int(result or 0)


if __name__ == "__main__":
    sys.exit(main())
