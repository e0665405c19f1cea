"""`tiswatch users`: the review desk's accounts.

    tiswatch users add NAME --role investigator|officer|admin --password-stdin [--db URL]
    tiswatch users list [--db URL]

The password is read from standard input (first line), never from the command line, where it would
show in `ps` and the shell history. Exit codes: 0 done, 1 refused (the reason on one line), 2 usage.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from tiswatch.cli import add_db_argument, open_existing_store

if TYPE_CHECKING:
    from pipelines.store import HistoryStore

EXIT_OK = 0
EXIT_REFUSED = 1


def _store(url: str) -> HistoryStore:
    from pipelines.store import HistoryStore

    return HistoryStore.from_url(url)


def add_command(args: argparse.Namespace) -> int:
    from tiswatch.web.auth import UserError, add_user

    if not args.password_stdin:
        print(
            "tiswatch users add: give the password on standard input with --password-stdin", file=sys.stderr
        )
        return EXIT_REFUSED
    password = sys.stdin.readline().rstrip("\r\n")
    store = _store(args.db)
    try:
        with store.session() as session, session.begin():
            add_user(session, args.name, args.role, password)
    except UserError as error:
        print(f"tiswatch users add: {error}", file=sys.stderr)
        return EXIT_REFUSED
    print(f"added {args.role} {args.name}")
    return EXIT_OK


def list_command(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from tiswatch.web.models import DeskUser

    store = open_existing_store(args.db)
    with store.session() as session:
        users = list(session.execute(select(DeskUser).order_by(DeskUser.username)).scalars())
        if not users:
            print("no users (add one with: tiswatch users add NAME --role admin --password-stdin)")
        for user in users:
            state = "" if user.active else " (disabled)"
            print(f"{user.username}\t{user.role}{state}\tsince {user.created_at:%Y-%m-%d}")
    return EXIT_OK


def register(subparsers: argparse._SubParsersAction) -> None:
    from tiswatch.web.models import ROLES

    parser = subparsers.add_parser("users", help="the review desk's user accounts")
    commands = parser.add_subparsers(dest="users_command", required=True, metavar="SUBCOMMAND")
    add = commands.add_parser("add", help="add a user (password on standard input)")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    add_db_argument(add)
    add.set_defaults(handler=add_command)
    listing = commands.add_parser("list", help="list users and roles")
    add_db_argument(listing)
    listing.set_defaults(handler=list_command)
