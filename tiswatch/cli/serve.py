"""`tiswatch serve`: the review desk and the check API in one server.

    tiswatch serve [--db URL] [--host 127.0.0.1] [--port 8000]

It binds to 127.0.0.1 unless told otherwise: put a TLS reverse proxy in front for a shared deployment
(README, "The review desk").
Exit 1, in one line, when --db names no tiswatch database (a mistyped URL would otherwise serve a new,
empty one) or the address cannot be listened on (a port in use).
"""

from __future__ import annotations

import argparse
import errno
import socket

from tiswatch.cli import CommandError, add_db_argument, existing_engine, port_number


def check_can_listen(host: str, port: int) -> None:
    """Bind the address once before uvicorn does, so a port in use or an address this machine does
    not have is one line, not uvicorn's log of a start-up and a shutdown around `[Errno 98]`."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        family, kind, protocol, _, address = infos[0]
        with socket.socket(family, kind, protocol) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
            probe.bind(address)
    except OSError as error:
        reason = (error.strerror or str(error)).lower()
        hint = " (another server is using it? give another --port)" if error.errno == errno.EADDRINUSE else ""
        raise CommandError(f"cannot listen on {host}:{port}: {reason}{hint}") from None


def serve_command(args: argparse.Namespace) -> int:
    import uvicorn

    from tiswatch.server import ServerConfig, create_app

    # A mistyped --db would otherwise serve a new, empty database.
    existing_engine(args.db).dispose()
    check_can_listen(args.host, args.port)

    options: dict[str, object] = {}
    if args.index_cache is not None:
        options["index_cache"] = args.index_cache
    app = create_app(ServerConfig(db_url=args.db, options=options))
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("serve", help="serve the review desk and the check API")
    add_db_argument(parser)
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    parser.add_argument("--port", type=port_number, default=8000, help="port (default: 8000)")
    parser.add_argument(
        "--index-cache",
        metavar="DIR",
        help="folder of stored registry indexes, so a start loads instead of building "
        "(default: beside a SQLite file, else ~/.cache/tiswatch/registry-index; '' for none)",
    )
    parser.add_argument(
        "--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"]
    )
    parser.set_defaults(handler=serve_command)
