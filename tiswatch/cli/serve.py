"""`tiswatch serve`: the review desk and the check API in one server.

    tiswatch serve [--db URL] [--host 127.0.0.1] [--port 8000]

It binds to 127.0.0.1 unless told otherwise: put a TLS reverse proxy in front for a shared deployment
(README, "The review desk").
"""

from __future__ import annotations

import argparse

from tiswatch.cli import add_db_argument, port_number


def serve_command(args: argparse.Namespace) -> int:
    import uvicorn

    from tiswatch.server import ServerConfig, create_app

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
