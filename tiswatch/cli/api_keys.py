"""`tiswatch api-keys …`: the platforms' keys for the check API.

    tiswatch api-keys add NAME [--rate CHECKS_PER_SECOND] [--db URL]   # prints the key on its last line
    tiswatch api-keys list [--db URL]
    tiswatch api-keys revoke NAME [--db URL]

The key is printed once and never stored: the database keeps its SHA-256. A running server picks up
added and revoked keys within a few seconds.

Exit codes: 0 done, 1 the name exists already / no such key, 2 usage errors (argparse).
"""

from __future__ import annotations

import argparse
import sys

from tiswatch.cli import add_db_argument, existing_engine

EXIT_OK = 0
EXIT_REFUSED = 1


def _rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from error
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number of checks per second, not {text}")
    return value


def add_command(args: argparse.Namespace) -> int:
    from pipelines.store.schema import migrated_engine
    from tiswatch.api.keys import KeyError_, add_key

    try:
        record, key = add_key(migrated_engine(args.db), args.name, args.rate)
    except KeyError_ as error:
        print(f"tiswatch api-keys: {error}", file=sys.stderr)
        return EXIT_REFUSED
    print(f"added key {record.key_prefix}… for {record.name} ({record.rate_per_second:g} checks/s).")
    print("Send it in the X-API-Key header. It is shown only now; the database keeps only its hash.")
    print(key)
    return EXIT_OK


def list_command(args: argparse.Namespace) -> int:
    from tiswatch.api.keys import list_keys

    records = list_keys(existing_engine(args.db))
    if not records:
        print("no API keys (add one with: tiswatch api-keys add NAME)")
    for record in records:
        state = "revoked" if record.revoked else "active"
        print(
            f"{record.name}\t{record.key_prefix}…\t{record.rate_per_second:g} checks/s\t"
            f"created {record.created_at}\t{state}"
        )
    return EXIT_OK


def revoke_command(args: argparse.Namespace) -> int:
    from tiswatch.api.keys import KeyError_, revoke_key

    try:
        revoke_key(existing_engine(args.db), args.name)
    except KeyError_ as error:
        print(f"tiswatch api-keys: {error}", file=sys.stderr)
        return EXIT_REFUSED
    print(f"revoked the key of {args.name}")
    return EXIT_OK


def register(subparsers: argparse._SubParsersAction) -> None:
    from tiswatch.api.keys import DEFAULT_RATE_PER_SECOND

    parser = subparsers.add_parser("api-keys", help="platforms' keys for the check API (/api/v1)")
    commands = parser.add_subparsers(dest="api_keys_command", required=True, metavar="COMMAND")
    add = commands.add_parser("add", help="create a key for a platform; prints it on the last line")
    add.add_argument("name", help="the platform's name (unique)")
    add.add_argument(
        "--rate",
        type=_rate,
        default=DEFAULT_RATE_PER_SECOND,
        help=f"checks per second on average (default {DEFAULT_RATE_PER_SECOND:g}; a batch of n counts n)",
    )
    add_db_argument(add)
    add.set_defaults(handler=add_command)
    listing = commands.add_parser("list", help="the keys (names, prefixes, rates; never the keys)")
    add_db_argument(listing)
    listing.set_defaults(handler=list_command)
    revoke = commands.add_parser("revoke", help="revoke a platform's key (refused within seconds)")
    revoke.add_argument("name")
    add_db_argument(revoke)
    revoke.set_defaults(handler=revoke_command)
