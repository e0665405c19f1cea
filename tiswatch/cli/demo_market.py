"""`tiswatch demo-market`: serve the bundled demo marketplace on its own, for pointing spiders at it.

    tiswatch demo-market --port 8000 [--size 400] [--seed 2432] [--block-shopee [KEYWORD ...]]
                         [--shopee-block-style hard|soft] [--block-lazada [KEYWORD ...]]
                         [--throttle-every N] [--malformed] [--truth FILE]

Serves on 127.0.0.1 until Ctrl-C. `--truth FILE` also writes each listing's intended verdict (JSON Lines,
one line per listing per platform) before serving, so a crawl + match of the market can be scored.

Exit codes: 0 stopped with Ctrl-C, 1 the port could not be bound, 2 usage errors (argparse).
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from pathlib import Path
from typing import Any

from crawler.demo_market.catalogue import DEFAULT_SEED, DEFAULT_SIZE, PLATFORMS
from tiswatch.cli import non_negative_int, out_file, port_number, positive_int

EXIT_OK = 0
EXIT_CANNOT_SERVE = 1


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "demo-market",
        help="serve the demo marketplace on 127.0.0.1 (Shopee, Lazada and schema.org shapes)",
        description="Serve the bundled demo marketplace on 127.0.0.1 until Ctrl-C.",
    )
    parser.add_argument(
        "--port", type=port_number, default=8000, help="port on 127.0.0.1 (0 = any free port; default 8000)"
    )
    parser.add_argument(
        "--size", type=positive_int, default=DEFAULT_SIZE, help=f"listings (default {DEFAULT_SIZE})"
    )
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"catalogue seed (default {DEFAULT_SEED})"
    )
    parser.add_argument(
        "--block-shopee",
        nargs="*",
        metavar="KEYWORD",
        default=None,
        help="answer Shopee searches with anti-bot error 90309999: all of them, or only these keywords",
    )
    parser.add_argument(
        "--shopee-block-style",
        choices=("hard", "soft"),
        default="hard",
        help="hard: HTTP 403 + named-key body (default); soft: HTTP 200 + numeric-key body",
    )
    parser.add_argument(
        "--block-lazada",
        nargs="*",
        metavar="KEYWORD",
        default=None,
        help="redirect Lazada catalog searches to the slider challenge: all of them, or only these keywords",
    )
    parser.add_argument(
        "--throttle-every",
        type=non_negative_int,
        default=0,
        metavar="N",
        help="answer every Nth search with HTTP 429",
    )
    parser.add_argument("--malformed", action="store_true", help="serve some broken pages (see malformed.py)")
    parser.add_argument(
        "--truth", type=out_file, metavar="FILE", help="write the intended verdicts (JSON Lines)"
    )
    parser.set_defaults(handler=run)


def _blocked_option(values: list[str] | None) -> bool | set[str]:
    if values is None:
        return False
    return set(values) if values else True


def write_truth(catalogue: Any, path: Path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with open(path, "w", encoding="utf-8") as handle:
        for platform in PLATFORMS:
            for record in catalogue.truth(platform):
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
                count += 1
    return count


def run(args: argparse.Namespace) -> int:
    from crawler.demo_market import DemoMarket

    started = time.perf_counter()
    market = DemoMarket(
        port=args.port,
        size=args.size,
        seed=args.seed,
        blocked_shopee=_blocked_option(args.block_shopee),
        shopee_block_style=args.shopee_block_style,
        blocked_lazada=_blocked_option(args.block_lazada),
        throttle_every=args.throttle_every,
        malformed=args.malformed,
    )
    built = time.perf_counter() - started
    if args.truth:
        lines = write_truth(market.catalogue, args.truth)
        print(f"wrote {lines} truth lines to {args.truth}")
    try:
        market.start()
    except OSError as error:
        print(f"tiswatch demo-market: cannot serve on 127.0.0.1:{args.port}: {error}", file=sys.stderr)
        return EXIT_CANNOT_SERVE
    counts = market.catalogue.verdict_counts()
    print(
        f"demo market: {len(market.catalogue)} listings (seed {args.seed}, built in {built:.2f} s), "
        f"{len(market.catalogue.standards())} standards; "
        + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    )
    base = market.base_url
    print(f"serving on {base}  (Ctrl-C to stop)")
    print(f"  Lazada catalog: {base}/catalog/?q=ปลั๊กพ่วง&page=1&ajax=true")
    print(
        f"  Shopee search:  {base}/api/v4/search/search_items?keyword=ปลั๊กพ่วง&newest=0&limit=60&by=relevancy"
    )
    print(f"  schema.org shop: {base}/shop/   sitemap: {base}/sitemap.xml")
    if market.blocked_shopee:
        print(f"  Shopee blocked ({args.shopee_block_style}) for: {market.blocked_shopee.describe()}")
    if market.blocked_lazada:
        print(f"  Lazada slider challenge for: {market.blocked_lazada.describe()}")
    if args.throttle_every:
        print(f"  every {args.throttle_every}th search answered 429")
    if args.malformed:
        print(
            f"  malformed mode: {len(market.malformed_urls())} broken listing pages, plus broken search pages"
        )
    sys.stdout.flush()
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        print("\nstopping")
    finally:
        market.stop()
    return EXIT_OK
