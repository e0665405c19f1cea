"""`tiswatch` command line. Each command group lives in its own module and registers itself here.

Every error reaches the user as one line on stderr naming the thing and what to do: exit 2 for usage
errors (argparse's, a bad `--db` URL, an `--out` that is a file), 1 for failures. `main` is the one
place that turns an exception into that line (a file error names the option that held the path);
`--debug` (before or after the command) shows the traceback instead. Options written before the
command (`tiswatch --db URL runs`) are moved after it (`options_after_command`).
"""

from __future__ import annotations

import argparse
import errno
import importlib
import os
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
        raise argparse.ArgumentTypeError(f"{text} is a file, not a folder; give a folder")
    return path


def out_file(text: str) -> Path:
    """argparse type of an output file (`--out FILE.csv`, `--logfile`): never an existing folder."""
    path = Path(text)
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{text} is a folder; give a file name")
    return path


def unreadable_input(path: str | Path, what: str, option: str = "") -> str | None:
    """Why `path` is not a file this process can read, in one line naming the input (`what`, "listings
    file"), its option and the path — instead of `[Errno 2] No such file or directory: …`; else None."""
    path = Path(path)
    given = f" ({option})" if option else ""
    if not path.exists():
        return f"{what} not found: {path}{given}"
    if path.is_dir():
        return f"{what} {path} is a folder, not a file{given}"
    if not os.access(path, os.R_OK):
        return f"{what} {path} cannot be read: permission denied{given}"
    return None


def input_file(path: str | Path, what: str, option: str = "") -> Path:
    """`path` when it is a file this process can read; else CommandError saying why (exit 1)."""
    problem = unreadable_input(path, what, option)
    if problem:
        raise CommandError(problem)
    return Path(path)


def _whole_number(
    text: str, minimum: int, maximum: int | None, out_of_range: str, what: str = "a whole number"
) -> int:
    """The integer an argparse option holds, within [minimum, maximum]; `out_of_range` says why not
    (`{value}` is filled in)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not {what}") from None
    if value < minimum or (maximum is not None and value > maximum):
        raise argparse.ArgumentTypeError(out_of_range.format(value=value))
    return value


def port_number(text: str) -> int:
    """argparse type of a TCP port: 0 (any free port) to 65535."""
    return _whole_number(
        text, 0, 65535, "{value} is not a port (0 to 65535; 0 = any free port)", what="a port number"
    )


def positive_int(text: str) -> int:
    """argparse type of a count that must be at least 1."""
    return _whole_number(text, 1, None, "{value} must be 1 or more")


def non_negative_int(text: str) -> int:
    """argparse type of a count where 0 means none/off."""
    return _whole_number(text, 0, None, "{value} must be 0 or more")


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


def redis_url(text: str) -> str:
    """argparse type of `--redis URL`: the schemes redis-py accepts, said before anything connects."""
    if not text.startswith(("redis://", "rediss://", "unix://")):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a Redis URL (redis://HOST:PORT/DB, rediss://… or unix:///PATH)"
        )
    return text


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


# What an OS error means for a file the user named, in words (not `[Errno 30] Read-only file system`).
_OS_ERROR_WORDS = {
    errno.ENOENT: "not found",
    errno.EISDIR: "is a folder, not a file",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EACCES: "permission denied",
    errno.EPERM: "not permitted",
    errno.EROFS: "cannot write there: read-only file system",
    errno.ENOSPC: "no space left on the device",
    errno.EEXIST: "exists already and is not a folder",
}


def describe_os_error(error: OSError, args: argparse.Namespace, options: dict[str, str]) -> str:
    """One line for a file error: the option whose path it is (the longest given path that holds the
    failing one: an export's private staging folder is inside `--out`), the path, what went wrong."""
    reason = _OS_ERROR_WORDS.get(error.errno or 0) or (error.strerror or str(error)).lower()
    if not error.filename:
        return reason
    failing = Path(os.fsdecode(error.filename))
    best: tuple[int, str, str] | None = None
    for dest, value in vars(args).items():
        if not isinstance(value, str | Path) or not str(value) or dest not in options:
            continue
        given = Path(value)
        # The path itself, a file inside it, or a temporary sibling written to replace it (`.NAME.….part`).
        sibling = failing.parent == given.parent and failing.name.startswith(f".{given.name}.")
        if failing == given or given in failing.parents or sibling:
            depth = len(given.parts)
            if best is None or depth > best[0]:
                best = (depth, options[dest], str(value))
    if best is None:
        return f"{failing}: {reason}"
    _, option, given_text = best
    return f"{option} {given_text}: {reason}"


def option_names(parser: argparse.ArgumentParser, argv: Sequence[str]) -> dict[str, str]:
    """argparse dest → how the user wrote it (`--out`, or `FILE` for a positional) for the command in
    `argv`, so an error can name the option that held a bad path."""
    leaf, _ = leaf_parser(parser, argv)
    names: dict[str, str] = {}
    for action in leaf._actions:
        if action.option_strings:
            names.setdefault(action.dest, max(action.option_strings, key=len))
        elif not isinstance(action, argparse._SubParsersAction):
            metavar = action.metavar if isinstance(action.metavar, str) else None
            names.setdefault(action.dest, metavar or action.dest.upper())
    return names


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def leaf_parser(
    parser: argparse.ArgumentParser, argv: Sequence[str]
) -> tuple[argparse.ArgumentParser, list[str]]:
    """The parser of the (sub)command `argv` names (`registry import …` → the `import` parser) and
    the command names that led there."""
    names: list[str] = []
    current = parser
    for token in argv:
        if token.startswith("-"):
            continue
        choices = _subcommands(current)
        if token not in choices:
            break
        current = choices[token]
        names.append(token)
    return current, names


def _takes_no_value(parser: argparse.ArgumentParser, option: str) -> bool:
    """Whether `option` is a flag (`--dry-run`) in any command of the tree."""
    action = parser._option_string_actions.get(option)
    if action is not None:
        return action.nargs == 0
    return any(_takes_no_value(child, option) for child in _subcommands(parser).values())


def options_after_command(parser: argparse.ArgumentParser, argv: list[str]) -> list[str]:
    """`tiswatch --db URL runs` → `tiswatch runs --db URL`: options written before the command are
    moved after it when the command takes them; otherwise a one-line usage error says what to do
    (argparse alone reads the URL as the command's name: "invalid choice: 'sqlite:///…'")."""
    commands = _subcommands(parser)
    index = 0
    while index < len(argv) and argv[index].startswith("-") and argv[index] not in commands:
        option = argv[index].split("=", 1)[0]
        if option in ("-h", "--help"):
            return argv
        index += 1 if "=" in argv[index] or _takes_no_value(parser, option) else 2
    leading = argv[:index]
    if not leading:
        return argv
    written = [token.split("=", 1)[0] for token in leading if token.startswith("-")]
    if index >= len(argv) or argv[index] not in commands:
        not_command = f"{argv[index]!r} is not a command; " if index < len(argv) else ""
        parser.exit(
            EXIT_USAGE,
            f"tiswatch: {not_command}{' '.join(written)} goes after the command: "
            f"tiswatch COMMAND {written[0]} … (see tiswatch --help)\n",
        )
    leaf, names = leaf_parser(parser, argv[index:])
    command = " ".join(["tiswatch", *names])
    foreign = [option for option in written if option not in leaf._option_string_actions]
    if foreign:
        parser.exit(
            EXIT_USAGE,
            f"{command}: {foreign[0]} is not an option of {' '.join(names)} (see {command} --help)\n",
        )
    return [*argv[index:], *leading]


def _error_line(
    error: BaseException, args: argparse.Namespace, options: dict[str, str] | None = None
) -> tuple[str, int]:
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
        return describe_os_error(error, args, options or {}), EXIT_FAILURE
    detail = " ".join(str(error).split())[:300]
    return f"unexpected {type(error).__name__}: {detail} (run with --debug for the traceback)", EXIT_FAILURE


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # `--debug` is accepted after the command too (`tiswatch export --out x --debug`).
    debug = "--debug" in argv
    parser = build_parser()
    argv = options_after_command(parser, [arg for arg in argv if arg != "--debug"])
    if debug:
        argv = ["--debug", *argv]
    args = parser.parse_args(argv)
    _, names = leaf_parser(parser, argv)
    command = " ".join(names) or str(args.command)
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
        line, status = _error_line(error, args, option_names(parser, argv))
        from standards_data.outside_text import terminal_text

        print(terminal_text(f"tiswatch {command}: {line}"), file=sys.stderr)
        return status
    return int(result or 0)


if __name__ == "__main__":
    sys.exit(main())
