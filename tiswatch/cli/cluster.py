"""`tiswatch campaign …` and `tiswatch worker`: many crawl workers on one shared frontier.

    tiswatch campaign start  --plans plans.toml --redis URL --db URL [--evidence-store database] [-s N=V …]
    tiswatch worker          --redis URL --db URL [--sites shopee,lazada] [--until-idle] [--out DIR]
    tiswatch campaign status --redis URL --db URL [--campaign ID] [--json]
    tiswatch campaign finish --redis URL --db URL --out DIR [--campaign ID] [--force]

`campaign start` migrates the database once, opens one history run, seeds the shared queues from the
plans (the TOML of `tiswatch crawl --all`) and returns; its last line is the campaign id. Workers on
any number of machines take requests from the queues until the campaign is drained, then wait for the
next one (`--until-idle`: exit 0 instead). A worker given `--out DIR` finishes a campaign it sees
drained (once for the whole fleet), exporting to DIR/<campaign id>; `campaign finish` then reports the
finished campaign and exits with its status. `campaign finish` merges the workers' coverage into the
run, marks new / still flagged / gone once over the campaign's scope (gone only on platforms covered
completely), writes the export to DIR and sends the alerts. Exit status of `finish`: 0 when every
page was covered, 1 when not (like `tiswatch crawl`), 2 on bad usage, 3 while workers still hold work.
`start` exits 3 while another campaign is running.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tomllib
from pathlib import Path
from typing import Any

from tiswatch.cli import add_db_argument, out_file, out_folder, redis_url

REDIS_ENV = "TISWATCH_REDIS_URL"
EXIT_OK = 0
EXIT_INCOMPLETE = 1
EXIT_USAGE = 2
EXIT_BUSY = 3
OUT_SETTING = "TISWATCH_CAMPAIGN_OUT_DIR"


def _settings(args: argparse.Namespace) -> tuple[Any, dict[str, str]]:
    from crawler.runner import project_settings
    from tiswatch.cli.crawl import check_setting_values, parse_pairs

    overrides = parse_pairs(args.set, "-s")
    check_setting_values(overrides)
    if getattr(args, "evidence_store", None):
        # `campaign start --evidence-store`: every worker of the campaign keeps its evidence there.
        overrides["TISWATCH_EVIDENCE_STORE"] = args.evidence_store
    this_process = dict(overrides)
    # The log is this process's own: a campaign's settings (`-s`, passed on to every worker) are not.
    if getattr(args, "loglevel", None):
        this_process["LOG_LEVEL"] = args.loglevel
    if getattr(args, "logfile", None):
        this_process["LOG_FILE"] = str(args.logfile)
    return project_settings(this_process), overrides


def start_command(args: argparse.Namespace) -> int:
    from crawler.cluster.alerts import AlertConfigError
    from crawler.cluster.coordinator import CampaignError, CampaignLocked, start_campaign
    from tiswatch.cli.crawl import load_plans

    try:
        settings, overrides = _settings(args)
        plans = load_plans(args.plans, None)
    except (OSError, ValueError, tomllib.TOMLDecodeError) as error:
        print(f"tiswatch campaign start: {error}", file=sys.stderr)
        return EXIT_USAGE
    try:
        campaign = start_campaign(args.redis, args.db, plans, settings, overrides)
    except CampaignLocked as error:
        print(f"tiswatch campaign start: {error}", file=sys.stderr)
        return EXIT_BUSY
    except (CampaignError, AlertConfigError) as error:
        print(f"tiswatch campaign start: {error}", file=sys.stderr)
        return EXIT_USAGE
    print(
        f"campaign {campaign.id}: {len(campaign.plans)} plan(s) queued "
        f"({', '.join(plan.name for plan in campaign.plans)}); history run {campaign.run_id}"
    )
    print(campaign.id)
    return EXIT_OK


def status_command(args: argparse.Namespace) -> int:
    from crawler.cluster.coordinator import CampaignError, campaign_status, connect, find_campaign

    try:
        server = connect(args.redis)
        status = campaign_status(server, find_campaign(server, args.campaign))
    except CampaignError as error:
        print(f"tiswatch campaign status: {error}", file=sys.stderr)
        return EXIT_USAGE
    if args.json:
        print(json.dumps(status, ensure_ascii=False, indent=2))
        return EXIT_OK
    print(
        f"campaign {status['campaign']} ({status['status']}, run {status['run_id']}): "
        + ("drained" if status["drained"] else "work left")
    )
    print("  " + _finish_line(status))
    print("  plan: queued/in flight, pages fetched, listings, blocked, failed")
    for name, plan in status["plans"].items():
        print(
            f"    {name} ({plan['spider']}): {plan['queued']}/{plan['in_flight']}, {plan['pages_fetched']}, "
            f"{plan['listings']}, {plan['blocked']}, {plan['failed']}"
        )
        for keyword, counts in plan["keywords"].items():
            if counts["status"] != "complete":
                print(f"      {keyword}: {counts['status']}")
    for worker, counts in status["workers"].items():
        print(
            f"  worker {worker} ({'alive' if counts['alive'] else 'gone'}): "
            f"{counts.get('pages_fetched', 0)} pages, {counts.get('listings', 0)} listings, "
            f"{counts.get('blocked', 0)} blocked, {counts.get('failed', 0)} failed"
        )
    return EXIT_OK


def _finish_line(status: dict[str, Any]) -> str:
    finish = status["finish"]
    if status["status"] == "finished":
        return f"finished: {finish['result']}, by {finish['finished_by']}; export in {finish['export_dir']}"
    if finish["finishing"]:
        return f"being finished by {finish['finishing']}"
    if finish["finishers"]:
        where = ", ".join(f"{worker} → {folder}" for worker, folder in finish["finishers"].items())
        return f"finished automatically when drained, by a worker with --out ({where})"
    return "no live worker has --out: when drained, finish it with `tiswatch campaign finish --out DIR`"


def finish_command(args: argparse.Namespace) -> int:
    from crawler.cluster.alerts import AlertConfigError
    from crawler.cluster.coordinator import (
        CampaignAlreadyFinished,
        CampaignBusy,
        CampaignError,
        finish_campaign,
    )
    from tiswatch.cli.crawl import format_summary

    try:
        settings, _ = _settings(args)
        result = finish_campaign(args.redis, args.db, Path(args.out), settings, args.campaign, args.force)
    except CampaignAlreadyFinished as done:
        # Not an error: a worker with `--out` finished it when it was drained. Its outcome decides.
        print(f"tiswatch campaign finish: {done}")
        return EXIT_OK if done.campaign.complete else EXIT_INCOMPLETE
    except CampaignBusy as error:
        print(f"tiswatch campaign finish: {error}", file=sys.stderr)
        return EXIT_BUSY
    except (CampaignError, AlertConfigError, ValueError) as error:
        print(f"tiswatch campaign finish: {error}", file=sys.stderr)
        return EXIT_USAGE
    summary = result.summary
    for crawl in summary["crawls"].values():
        print(format_summary(crawl))
    history = summary["history"]
    print(
        f"campaign {result.campaign.id}: {summary['status'].upper()} — run {result.campaign.run_id}: "
        f"{history['listings']} listings, {history['flagged']} flagged ({history['new']} new, "
        f"{history['still_flagged']} still flagged, {history['gone']} gone)"
    )
    for worker, counts in summary["workers"].items():
        print(f"  worker {worker}: {counts.get('pages_fetched', 0)} pages fetched")
    if result.alerts:
        print(f"alerts sent: {', '.join(result.alerts)}")
    print("wrote " + ", ".join(str(path) for path in result.paths))
    return EXIT_OK if result.complete else EXIT_INCOMPLETE


def worker_command(args: argparse.Namespace) -> int:
    from crawler.cluster.worker import WorkerOptions, run_worker

    try:
        settings, _ = _settings(args)
    except ValueError as error:
        print(f"tiswatch worker: {error}", file=sys.stderr)
        return EXIT_USAGE
    sites = [site.strip() for site in (args.sites or "").split(",") if site.strip()]
    options = WorkerOptions(
        redis_url=args.redis,
        db_url=args.db,
        sites=sites,
        until_idle=args.until_idle,
        heartbeat_seconds=args.heartbeat,
        poll_seconds=args.poll,
        worker_id=args.worker_id or "",
        out_dir=args.out or settings.get(OUT_SETTING) or None,
    )
    import redis

    from crawler.cluster.alerts import AlertConfigError
    from crawler.cluster.monitors import MonitorSettingsError

    try:
        report = run_worker(options, settings)
    except redis.RedisError as error:
        print(f"tiswatch worker: cannot use Redis at {args.redis}: {error}", file=sys.stderr)
        return EXIT_USAGE
    except (MonitorSettingsError, AlertConfigError) as error:
        print(f"tiswatch worker: {error}", file=sys.stderr)
        return EXIT_USAGE
    logging.getLogger(__name__).info("worker %s done: campaigns %s", report.worker_id, report.campaigns)
    print(f"worker {report.worker_id}: took part in {len(report.campaigns)} campaign(s)")
    for campaign_id in report.finished:
        print(f"  finished campaign {campaign_id} (export in {Path(options.out_dir or '.') / campaign_id})")
    for problem in report.errors:
        print(f"  error: {problem}", file=sys.stderr)
    return EXIT_INCOMPLETE if report.errors else EXIT_OK


def _common(parser: argparse.ArgumentParser) -> None:
    from_env = os.environ.get(REDIS_ENV)
    parser.add_argument(
        "--redis",
        required=not from_env,
        default=from_env,
        type=redis_url,
        metavar="URL",
        help=f"Redis URL (redis://…, rediss://…, unix://…); default ${REDIS_ENV}, which keeps a password "
        "out of the process list",
    )
    add_db_argument(parser)
    parser.add_argument(
        "-s", dest="set", action="append", metavar="NAME=VALUE", help="Scrapy/tiswatch setting (repeatable)"
    )
    parser.add_argument("--loglevel", "-L", metavar="LEVEL", help="log level (default: INFO)")
    parser.add_argument("--logfile", type=out_file, metavar="FILE", help="write the log to FILE")


def register(subparsers: Any) -> None:
    from tiswatch.cli.crawl import add_evidence_store_argument

    campaign = subparsers.add_parser(
        "campaign",
        help="start, watch and finish a crawl campaign shared by many workers",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = campaign.add_subparsers(dest="action", required=True, metavar="ACTION")
    start = actions.add_parser("start", help="seed a campaign from a plans file; prints its id last")
    start.add_argument("--plans", type=Path, required=True, metavar="FILE.toml", help="the crawl plans")
    _common(start)
    add_evidence_store_argument(start)
    start.set_defaults(handler=start_command)
    status = actions.add_parser(
        "status", help="queued, in flight, done, listings, blocked per plan and worker"
    )
    _common(status)
    status.add_argument("--campaign", metavar="ID", help="default: the active (else latest) campaign")
    status.add_argument("--json", action="store_true", help="print JSON")
    status.set_defaults(handler=status_command)
    finish = actions.add_parser("finish", help="merge coverage into one run, export, alert")
    _common(finish)
    finish.add_argument(
        "--out", required=True, type=out_folder, metavar="DIR", help="where the export is written"
    )
    finish.add_argument("--campaign", metavar="ID", help="default: the active campaign")
    finish.add_argument("--force", action="store_true", help="finish even with work left (incomplete)")
    finish.set_defaults(handler=finish_command)

    worker = subparsers.add_parser(
        "worker",
        help="crawl from the shared campaign queues (run one per machine or core)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _common(worker)
    add_evidence_store_argument(worker)
    worker.add_argument("--sites", metavar="SPIDERS", help="only these plans' spiders (shopee,lazada)")
    worker.add_argument(
        "--until-idle", action="store_true", help="exit 0 once no campaign has work left (else wait for more)"
    )
    worker.add_argument(
        "--heartbeat",
        type=float,
        default=30.0,
        metavar="SECONDS",
        help="without a heartbeat for this long, the worker's requests go back to the queue (default 30)",
    )
    worker.add_argument("--poll", type=float, default=1.0, metavar="SECONDS", help="idle poll interval")
    worker.add_argument("--worker-id", metavar="ID", help="default: host-pid-random")
    worker.add_argument(
        "--out",
        metavar="DIR",
        help=f"finish a campaign this worker sees drained, exporting to DIR/<campaign id> (setting "
        f"{OUT_SETTING}); without it the campaign waits for `tiswatch campaign finish`",
    )
    worker.set_defaults(handler=worker_command)
