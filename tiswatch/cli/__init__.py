"""`tiswatch` command line. Each command group lives in its own module and registers itself here.

Every error reaches the user as one line on stderr naming the thing and what to do: exit 2 for usage
errors (argparse's, a bad `--db` URL, an `--out` that is a file), 1 for failures. `main` is the one
place that turns an exception into that line; `--debug` (before or after the command) shows the
traceback instead.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from pipelines.store import HistoryStore

EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class CommandError(Exception):
    """A failure to report as one line (the message) with an exit status."""

    def __init__(self, message: str, status: int = EXIT_FAILURE) -> None:
        super().__init__(message)
        self.status = status


# Modules that each define `register(subparsers)`; imported lazily so `tiswatch match` does not pay
# for Scrapy and `tiswatch crawl` does not pay for pandas.
COMMAND_MODULES = (
    "tiswatch.cli.demo",
    "tiswatch.cli.demo_market",
    "tiswatch.cli.crawl",
    "tiswatch.cli.cluster",
    "tiswatch.cli.match",
    "tiswatch.cli.registry",
    "tiswatch.cli.history",
    "tiswatch.cli.rematch",
    "tiswatch.cli.serve",
    "tiswatch.cli.api_keys",
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


def out_folder(text: str) -> Path:
    """argparse type of `--out DIR`: a folder, or a name free to become one (never an existing file)."""
    path = Path(text)
    if path.exists() and not path.is_dir():
        raise argparse.ArgumentTypeError(f"{text} is a file, not a folder; give a folder for --out")
    return path


def port_number(text: str) -> int:
    """argparse type of a TCP port: 0 (any free port) to 65535."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{value} is not a port (0 to 65535; 0 = any free port)")
    return value


def positive_int(text: str) -> int:
    """argparse type of a count that must be at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} must be 1 or more")
    return value


def non_negative_int(text: str) -> int:
    """argparse type of a count where 0 means none/off."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} must be 0 or more")
    return value


def _missing_database(url: str) -> CommandError:
    return CommandError(
        f"no tiswatch database at {url} (give the right --db, or create one with "
        "`tiswatch crawl`, `tiswatch demo` or `tiswatch registry import`)"
    )


def existing_engine(url: str) -> Engine:
    """The engine of a database that must already exist (read-only commands never create one),
    brought to the current schema: Alembic makes every table, so an older database is migrated."""
    from pipelines.store.schema import ensure_schema
    from standards_data.database import database_exists, make_engine

    if not database_exists(url):
        raise _missing_database(url)
    engine = make_engine(url)
    ensure_schema(engine)
    return engine


def open_existing_store(url: str) -> HistoryStore:
    """The history of a database that must already exist (brought to the current schema)."""
    from pipelines.store import HistoryStore

    engine = existing_engine(url)
    store = HistoryStore(engine)
    store.ensure_schema()
    return store


class OneLineErrorParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line naming the command and where to read more."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineErrorParser(
        prog="tiswatch",
        description="Find products sold online in Thailand without TIS (มอก.) certification.",
    )
    parser.add_argument(
        "--debug", action="store_true", help="show the traceback of an error instead of one line"
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


def _error_line(error: BaseException, args: argparse.Namespace) -> tuple[str, int]:
    """The one line (without the `tiswatch COMMAND:` prefix) and the exit status for an error."""
    from sqlalchemy.exc import SQLAlchemyError

    from standards_data.database import DatabaseUnavailable, describe_database_error

    url = getattr(args, "db", None) or DEFAULT_DB_URL
    if isinstance(error, CommandError):
        return str(error), error.status
    if isinstance(error, DatabaseUnavailable):
        return str(error), EXIT_USAGE if error.usage else EXIT_FAILURE
    if isinstance(error, SQLAlchemyError):
        return describe_database_error(url, error), EXIT_FAILURE
    if isinstance(error, OSError):
        where = f" {error.filename}" if error.filename else ""
        return f"cannot use{where}: {error.strerror or error}", EXIT_FAILURE
    detail = " ".join(str(error).split())[:300]
    return f"unexpected {type(error).__name__}: {detail} (run with --debug for the traceback)", EXIT_FAILURE


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # `--debug` is accepted after the command too (`tiswatch export --out x --debug`).
    debug = "--debug" in argv
    if debug:
        argv = ["--debug", *(arg for arg in argv if arg != "--debug")]
    parser = build_parser()
    args = parser.parse_args(argv)
    command = " ".join(
        str(part)
        for part in (
            args.command,
            getattr(args, "registry_command", None),
            getattr(args, "vocabulary_command", None),
            getattr(args, "review_command", None),
        )
        if part
    )
    try:
        result = args.handler(args)
    except KeyboardInterrupt:
        if debug:
            raise
        print(f"tiswatch {command}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as error:
        if debug:
            raise
        line, status = _error_line(error, args)
        from standards_data.outside_text import terminal_text

        print(terminal_text(f"tiswatch {command}: {line}"), file=sys.stderr)
        return status
    return int(result or 0)


if __name__ == "__main__":
    sys.exit(main())
