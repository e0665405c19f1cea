"""`python -m matchers.bench {pairs,speed}` — see matchers/bench/pairs.py and matchers/bench/speed.py."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m matchers.bench", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    pairs = commands.add_parser("pairs", help="decide entity-matching pairs (DeepMatcher/Magellan format)")
    pairs.add_argument("--left", required=True, type=Path, help="left table CSV (id,<attributes>)")
    pairs.add_argument("--right", required=True, type=Path, help="right table CSV (id,<attributes>)")
    pairs.add_argument("--pairs", required=True, type=Path, help="pairs CSV (ltable_id,rtable_id[,label])")
    pairs.add_argument("--out", required=True, type=Path, help="decisions CSV to write")
    pairs.add_argument(
        "--fit",
        type=Path,
        action="append",
        default=[],
        metavar="LABELLED_PAIRS.csv",
        help="labelled pairs to fit the feature weights and the decision threshold on (train/valid "
        "splits only, never test); default: the weights and threshold shipped with the matcher "
        "(fitted on the Abt-Buy train split)",
    )
    pairs.add_argument("--threshold", type=float, help="decision threshold 0-100 (overrides --fit)")

    speed = commands.add_parser("speed", help="throughput against a large synthetic registry")
    speed.add_argument("--licences", type=int, default=100_000)
    speed.add_argument("--listings", type=int, default=10_000)
    speed.add_argument("--seed", type=int, default=7)
    speed.add_argument(
        "--baseline-sample", type=int, default=20, help="listings timed for the naive baseline"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "speed":
        from matchers.bench.speed import print_speed, run_speed

        print_speed(run_speed(args.licences, args.listings, args.seed, args.baseline_sample))
        return 0
    from matchers.bench.pairs import run_pairs

    return run_pairs(args.left, args.right, args.pairs, args.out, args.fit, args.threshold)


if __name__ == "__main__":
    sys.exit(main())
