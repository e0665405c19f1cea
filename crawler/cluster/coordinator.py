"""The coordinator's side of a campaign: start (migrate once, open one run, seed the queues), status,
and finish (merge the workers' coverage into the run, judge new/still/gone once, export, alert).

A campaign holds the campaign lock (`tiswatch:lock:campaign`) from start to finish: a second
`campaign start` while one is running is refused, like a second `crawl --all` (exit 3). The finish
itself runs once: whoever finishes (`campaign finish`, or a worker with `--out` that sees the campaign
drained) first takes the campaign's `finishing` key; everyone after that finds the campaign finished.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import redis
from scrapy.crawler import AsyncCrawlerProcess, Crawler
from scrapy.settings import Settings
from scrapy.spiderloader import get_spider_loader
from scrapy.utils.defer import deferred_from_coro

from crawler.cluster import campaign as campaigns
from crawler.cluster import keys
from crawler.cluster.alerts import AlertSettings, campaign_alerts, send_alerts
from crawler.cluster.crawl_settings import plan_crawl_settings
from crawler.cluster.stats import load_plan_stats
from crawler.coverage import BACKED_OFF_KEY, COUNTS, PREFIX, build_summary
from crawler.runner import SUMMARY_FILE, CrawlOutcome, CrawlPlan, combine_summaries, write_summary
from pipelines.evidence import evidence_store_kind
from pipelines.exports import write_exports
from pipelines.registry_source import load_registry
from pipelines.store.history import HistoryStore, ScopeCoverage
from pipelines.store.models import COMPLETE, FAILED, INCOMPLETE, INTERRUPTED

logger = logging.getLogger(__name__)

CAMPAIGN_SPIDER = "campaign"
"""`runs.spider` of a campaign's run: each campaign is compared with the previous one."""
STOPPED_WITH_WORK_LEFT = "stopped_with_work_left"
"""Finish reason and run status of a campaign finished with `--force` while requests were left."""
_PLAN_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")


class CampaignError(RuntimeError):
    """A campaign cannot start or finish (named reason)."""


class CampaignLocked(CampaignError):
    pass


class CampaignBusy(CampaignError):
    pass


class CampaignFinishing(CampaignBusy):
    """Someone else is finishing the campaign right now."""


class CampaignAlreadyFinished(CampaignError):
    """The campaign was finished before (by a worker when drained, or by `campaign finish`)."""

    def __init__(self, campaign: campaigns.Campaign) -> None:
        self.campaign = campaign
        super().__init__(
            f"campaign {campaign.id} was already finished ({campaign.result or campaign.status}"
            + (f", by {campaign.finished_by}" if campaign.finished_by else "")
            + (f"; export in {campaign.export_dir}" if campaign.export_dir else "")
            + ")"
        )


DEFAULT_FINISH_LOCK_SECONDS = 1800
"""How long a finisher may take before another may try again (it died mid-finish)."""


def connect(redis_url: str) -> redis.Redis:
    server = redis.Redis.from_url(redis_url)
    try:
        server.ping()
    except redis.RedisError as error:
        raise CampaignError(f"cannot reach Redis at {redis_url}: {error}") from None
    return server


def check_plans(plans: Sequence[CrawlPlan]) -> list[campaigns.CampaignPlan]:
    result = []
    for plan in plans:
        if not _PLAN_NAME.match(plan.name):
            raise CampaignError(
                f"plan name {plan.name!r}: use letters, digits, '.', '_' or '-' (it names Redis keys)"
            )
        result.append(campaigns.CampaignPlan(plan.name, plan.spider, dict(plan.arguments)))
    return result


# --- start ------------------------------------------------------------------------------------------


def start_campaign(
    redis_url: str,
    db_url: str,
    plans: Sequence[CrawlPlan],
    base: Settings,
    overrides: Mapping[str, Any] | None = None,
) -> campaigns.Campaign:
    """Create, seed and activate a campaign; returns it (its id is what `campaign start` prints)."""
    AlertSettings.from_settings(base)  # a half-configured alert fails here, not at the finish
    try:
        evidence_store_kind(base)  # every worker would fail on a misspelt store: say so once, here
    except ValueError as error:
        raise CampaignError(str(error)) from None
    campaign_plans = check_plans(plans)
    server = connect(redis_url)
    campaign_id = campaigns.new_campaign_id()
    if not server.set(keys.CAMPAIGN_LOCK, campaign_id, nx=True):
        holder = server.get(keys.CAMPAIGN_LOCK)
        holder_id = keys.as_text(holder) if holder else "?"
        raise CampaignLocked(
            f"campaign {holder_id} is still running; finish it first (`tiswatch campaign finish`)"
        )
    try:
        store = HistoryStore.from_url(db_url)  # migrates once, under the migration lock
        registry = load_registry(store.engine, base.get("TISWATCH_REGISTRY_CSV") or None)
        run_id = store.start_run(
            CAMPAIGN_SPIDER,
            {"campaign": campaign_id, "plans": [plan.name for plan in campaign_plans]},
            registry.ref,
        )
        settings = dict(overrides or {})
        # Every worker must pace the sites alike: delay and concurrency are the campaign's, not each worker's.
        settings.setdefault(
            "TISWATCH_FLEET_DELAY", base.getfloat("TISWATCH_FLEET_DELAY", base.getfloat("DOWNLOAD_DELAY"))
        )
        settings.setdefault(
            "TISWATCH_FLEET_CONCURRENCY",
            base.getint("TISWATCH_FLEET_CONCURRENCY", base.getint("CONCURRENT_REQUESTS_PER_DOMAIN")),
        )
        campaign = campaigns.Campaign(
            campaign_id, run_id, campaign_plans, settings, status="seeding", started_at=time.time()
        )
        campaigns.save(server, campaign)
        errors = seed(campaign, redis_url, db_url, base)
        if errors:
            store.set_run_status(run_id, FAILED)
            raise CampaignError("; ".join(errors))
        campaign.status = campaigns.ACTIVE
        campaigns.save(server, campaign)
    except BaseException:
        if server.get(keys.CAMPAIGN_LOCK) == campaign_id.encode():
            server.delete(keys.CAMPAIGN_LOCK)
        raise
    return campaign


def seed(campaign: campaigns.Campaign, redis_url: str, db_url: str, base: Settings) -> list[str]:
    """Run each plan's spider with a scheduler that only queues: its start requests become the
    campaign's first requests (serialised by scrapy-redis exactly as workers will read them)."""
    process = AsyncCrawlerProcess(base)
    loader = get_spider_loader(base)
    errors: list[str] = []

    async def run_all() -> None:
        try:
            for plan in campaign.plans:
                try:
                    spidercls = loader.load(plan.spider)
                except KeyError:
                    errors.append(f"plan {plan.name}: unknown spider {plan.spider!r}")
                    continue
                settings = plan_crawl_settings(base, campaign, plan, redis_url, db_url, "", seeding=True)
                try:
                    await process.crawl(Crawler(spidercls, settings), **plan.arguments)
                except Exception as error:
                    errors.append(f"plan {plan.name}: {type(error).__name__}: {error}")
        finally:
            from twisted.internet import reactor

            if reactor.running:
                cast(Any, reactor).callLater(0, cast(Any, reactor).stop)

    from twisted.internet import reactor

    reactor.callWhenRunning(lambda: deferred_from_coro(run_all()))
    process.start(stop_after_crawl=False)
    return errors


# --- status -----------------------------------------------------------------------------------------


def find_campaign(server: redis.Redis, campaign_id: str | None) -> campaigns.Campaign:
    if campaign_id:
        found = campaigns.load(server, campaign_id)
        if found is None:
            raise CampaignError(f"no campaign {campaign_id} in Redis (finished campaigns expire)")
        return found
    active = campaigns.active_campaigns(server)
    if active:
        return active[0]
    latest = campaigns.latest_campaign(server)
    if latest is None:
        raise CampaignError("no campaign in Redis: start one with `tiswatch campaign start`")
    return latest


def campaign_status(server: redis.Redis, campaign: campaigns.Campaign) -> dict[str, Any]:
    """Per plan (site) and keyword: queued, in flight, pages, listings, blocked, failed; per worker."""
    plans: dict[str, Any] = {}
    for plan in campaign.plans:
        queued, in_flight = campaigns.plan_backlog(server, campaign.id, plan.name)
        summary = build_summary(load_plan_stats(server, campaign.id, plan.name), plan.spider, plan.arguments)
        plans[plan.name] = {
            "spider": plan.spider,
            "queued": queued,
            "in_flight": in_flight,
            **{
                name: summary[name]
                for name in ("pages_fetched", "listings", "blocked", "failed", "parse_errors")
            },
            "keywords": {
                keyword: {
                    name: counts.get(name, 0) for name in ("pages_fetched", "listings", "blocked", "failed")
                }
                | {"status": counts.get("status")}
                for keyword, counts in summary["keywords"].items()
            },
        }
    workers: dict[str, Any] = {}
    for worker in sorted(keys.as_text(raw) for raw in server.smembers(keys.workers(campaign.id))):
        counts = server.hgetall(keys.worker_stats(campaign.id, worker))
        workers[worker] = {
            "alive": bool(server.exists(keys.alive(worker))),
            **{keys.as_text(key)[len(PREFIX) :]: int(value) for key, value in counts.items()},
        }
    return {
        "campaign": campaign.id,
        "run_id": campaign.run_id,
        "status": campaign.status,
        "drained": not any(plan["queued"] or plan["in_flight"] for plan in plans.values()),
        "plans": plans,
        "workers": workers,
        "finish": finish_status(server, campaign),
    }


def live_finishers(server: redis.Redis) -> dict[str, str]:
    """Live workers started with `--out`: worker id → the folder they export a drained campaign to."""
    found = {}
    for worker, folder in server.hgetall(keys.FINISHERS).items():
        name = keys.as_text(worker)
        if server.exists(keys.alive(name)):
            found[name] = keys.as_text(folder)
        else:
            server.hdel(keys.FINISHERS, name)  # a worker that died never said goodbye
    return found


def finish_status(server: redis.Redis, campaign: campaigns.Campaign) -> dict[str, Any]:
    """Who finishes the campaign: done already (by whom, where), a worker with `--out` when it is
    drained, or nobody yet (`campaign finish`)."""
    if campaign.status == campaigns.FINISHED:
        return {
            "result": campaign.result,
            "finished_by": campaign.finished_by,
            "export_dir": campaign.export_dir,
        }
    finishing = server.get(keys.finishing(campaign.id))
    return {
        "finishing": keys.as_text(finishing) if finishing else "",
        "finishers": live_finishers(server),
    }


# --- finish -----------------------------------------------------------------------------------------


@dataclass
class FinishResult:
    campaign: campaigns.Campaign
    summary: dict[str, Any]
    paths: list[Path] = field(default_factory=list)
    alerts: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.summary.get("status") == "complete"


def plan_platforms(plan: campaigns.CampaignPlan) -> set[str]:
    """The `platform` values a plan's listings carry (schema.org shops are named by their host)."""
    if plan.spider == "schema_org":
        from crawler.parsers.schema_org import shop_platform

        return {
            shop_platform(url)
            for url in (plan.arguments.get("base_url"), plan.arguments.get("start_urls"))
            if url
        }
    return {plan.spider}


def finish_campaign(
    redis_url: str,
    db_url: str,
    out_dir: Path,
    base: Settings,
    campaign_id: str | None = None,
    force: bool = False,
    finished_by: str = "campaign finish",
) -> FinishResult:
    """Finish the campaign once: raises `CampaignAlreadyFinished` when it was, `CampaignFinishing`
    while another process is finishing it, `CampaignBusy` while workers still hold work."""
    server = connect(redis_url)
    alert_settings = AlertSettings.from_settings(base)
    campaign = find_campaign(server, campaign_id)
    lock_seconds = base.getint("TISWATCH_CAMPAIGN_FINISH_LOCK_SECONDS", DEFAULT_FINISH_LOCK_SECONDS)
    token = f"{finished_by} #{uuid.uuid4().hex[:8]}"  # two `campaign finish` commands are two holders
    if not server.set(keys.finishing(campaign.id), token, nx=True, ex=lock_seconds):
        campaign = campaigns.load(server, campaign.id) or campaign
        if campaign.status == campaigns.FINISHED:
            raise CampaignAlreadyFinished(campaign)
        holder = keys.as_text(server.get(keys.finishing(campaign.id)) or b"?")
        raise CampaignFinishing(f"campaign {campaign.id} is being finished by {holder}")
    finished = False
    try:
        # Read again under the lock: whoever held it before may have finished the campaign.
        campaign = campaigns.load(server, campaign.id) or campaign
        if campaign.status == campaigns.FINISHED:
            finished = True  # keep the key: the campaign is finished for good
            raise CampaignAlreadyFinished(campaign)
        if campaign.status != campaigns.ACTIVE:
            raise CampaignError(f"campaign {campaign.id} is {campaign.status}, not active")
        result = _finish_locked(server, campaign, db_url, out_dir, base, alert_settings, force, finished_by)
        finished = True
        return result
    finally:
        if not finished and server.get(keys.finishing(campaign.id)) == token.encode():
            server.delete(keys.finishing(campaign.id))


def _finish_locked(
    server: redis.Redis,
    campaign: campaigns.Campaign,
    db_url: str,
    out_dir: Path,
    base: Settings,
    alert_settings: AlertSettings,
    force: bool,
    finished_by: str,
) -> FinishResult:
    from crawler.cluster.queue import reclaim_dead

    for plan in campaign.plans:
        reclaim_dead(server, campaign.id, plan.name)
    busy = {plan.name: campaigns.plan_backlog(server, campaign.id, plan.name) for plan in campaign.plans}
    busy = {name: backlog for name, backlog in busy.items() if any(backlog)}
    if busy and not force:
        described = ", ".join(f"{name}: {q} queued, {f} in flight" for name, (q, f) in busy.items())
        raise CampaignBusy(f"campaign {campaign.id} still has work ({described}); let the workers drain it")

    backed_off = sorted(keys.as_text(m) for m in server.smembers(keys.backed_off(campaign.id)))
    outcomes = []
    merged: dict[str, Any] = {}
    for plan in campaign.plans:
        stats = load_plan_stats(server, campaign.id, plan.name)
        if backed_off:
            stats[BACKED_OFF_KEY] = backed_off
        reason = "finished" if plan.name not in busy else STOPPED_WITH_WORK_LEFT
        summary = build_summary(stats, plan.spider, plan.arguments, finish_reason=reason)
        summary["name"] = plan.name
        outcomes.append(CrawlOutcome(CrawlPlan(plan.spider, plan.arguments, plan.name), summary, stats))
        for key, value in stats.items():
            if isinstance(value, int):
                merged[key] = merged.get(key, 0) + value
    combined = combine_summaries(outcomes)

    # Coverage per scope (keyword or shop), merged over the plans: a scope two plans share is complete
    # only when both covered it completely, so "gone" is judged once, where the whole fleet saw it all.
    scopes: dict[str, ScopeCoverage] = {}
    for outcome in outcomes:
        for scope, counts in outcome.summary.get("keywords", {}).items():
            coverage = ScopeCoverage(counts["status"], {k: v for k, v in counts.items() if k != "status"})
            earlier = scopes.get(scope)
            if earlier is None or earlier.status == COMPLETE:
                scopes[scope] = coverage
    merged["finish_reason"] = "finished" if not busy else STOPPED_WITH_WORK_LEFT
    # A campaign ended with work left saw part of the market: like an interrupted crawl, it is no
    # baseline for the next campaign's new / gone marks.
    complete = all(outcome.ok for outcome in outcomes)
    status = INTERRUPTED if busy else (COMPLETE if complete else INCOMPLETE)

    store = HistoryStore.from_url(db_url)
    previous = previous_campaign_listings(store, campaign.run_id)
    history = store.finish_run(
        campaign.run_id, merged, status=status, finish_reason=merged["finish_reason"], scopes=scopes or None
    )
    exports = write_exports(store, out_dir, run_ids=[campaign.run_id])
    summary = {
        **combined,
        "campaign": campaign.id,
        "run_id": campaign.run_id,
        "workers": campaign_status(server, campaign)["workers"],
        "history": {
            name: history.get(name)
            for name in ("listings", "flagged", "new", "still_flagged", "gone", "gone_assessed")
        },
        "counts": {name: int(merged.get(PREFIX + name, 0)) for name in (*COUNTS, "monitors_failed")},
    }
    summary_path = write_summary(out_dir / SUMMARY_FILE, summary)
    alerts = campaign_alerts(summary, previous, alert_settings)
    sent = send_alerts(alerts, summary, alert_settings)

    campaign.status = campaigns.FINISHED
    campaign.finished_at = time.time()
    campaign.result = str(summary.get("status", ""))
    campaign.finished_by = finished_by
    campaign.export_dir = str(out_dir.resolve())
    campaigns.save(server, campaign)
    if busy:
        for plan in campaign.plans:
            server.delete(keys.queue(campaign.id, plan.name))
    campaigns.expire(
        server, campaign.id, base.getint("TISWATCH_CAMPAIGN_KEEP_SECONDS", campaigns.DEFAULT_KEEP_SECONDS)
    )
    if server.get(keys.CAMPAIGN_LOCK) == campaign.id.encode():
        server.delete(keys.CAMPAIGN_LOCK)
    return FinishResult(campaign, summary, [summary_path, *exports.paths], sent)


def previous_campaign_listings(store: HistoryStore, run_id: int) -> int | None:
    """Listings of the last finished campaign before this one (None when there was none)."""
    earlier = [
        run
        for run in store.runs()
        if run.spider == CAMPAIGN_SPIDER and run.id < run_id and run.status == COMPLETE
    ]
    if not earlier:
        return None
    return int((earlier[-1].summary or {}).get("listings", 0) or 0)
