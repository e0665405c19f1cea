"""The campaign record in Redis, and the questions every part asks of it (is there work left?)."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

import redis

from crawler.cluster import keys

ACTIVE = "active"
FINISHED = "finished"
# A finished campaign's keys are kept this long (seconds) for `campaign status`, then expire.
DEFAULT_KEEP_SECONDS = 7 * 24 * 3600


@dataclass(frozen=True)
class CampaignPlan:
    """One plan of the campaign: a spider and its arguments; its name keys its queue and stats."""

    name: str
    spider: str
    arguments: dict[str, str]


@dataclass
class Campaign:
    id: str
    run_id: int
    plans: list[CampaignPlan]
    settings: dict[str, Any] = field(default_factory=dict)
    """Scrapy settings every worker applies to this campaign's crawlers (`campaign start -s`)."""
    status: str = ACTIVE
    started_at: float = 0.0
    finished_at: float | None = None
    result: str = ""
    """The finished campaign's coverage status (`complete`, `incomplete`, `blocked`, …)."""
    finished_by: str = ""
    """Who finished it: a worker's id (finished when drained) or `campaign finish`."""
    export_dir: str = ""
    """Where the finish wrote the export."""

    @property
    def complete(self) -> bool:
        return self.result == "complete"

    def to_redis(self) -> dict[str, str]:
        return {
            "id": self.id,
            "run_id": str(self.run_id),
            "plans": json.dumps([asdict(plan) for plan in self.plans], ensure_ascii=False),
            "settings": json.dumps(self.settings, ensure_ascii=False),
            "status": self.status,
            "started_at": repr(self.started_at),
            "finished_at": "" if self.finished_at is None else repr(self.finished_at),
            "result": self.result,
            "finished_by": self.finished_by,
            "export_dir": self.export_dir,
        }

    @classmethod
    def from_redis(cls, raw: dict[Any, Any]) -> Campaign:
        data = {keys.as_text(key): keys.as_text(value) for key, value in raw.items()}
        return cls(
            id=data["id"],
            run_id=int(data["run_id"]),
            plans=[CampaignPlan(**plan) for plan in json.loads(data["plans"])],
            settings=json.loads(data.get("settings") or "{}"),
            status=data.get("status", ACTIVE),
            started_at=float(data.get("started_at") or 0.0),
            finished_at=float(data["finished_at"]) if data.get("finished_at") else None,
            result=data.get("result", ""),
            finished_by=data.get("finished_by", ""),
            export_dir=data.get("export_dir", ""),
        )

    def plans_for(self, spiders: Iterable[str] | None) -> list[CampaignPlan]:
        """The plans a worker limited to some spiders (`--sites shopee,lazada`) takes part in."""
        wanted = set(spiders) if spiders else None
        return [plan for plan in self.plans if wanted is None or plan.spider in wanted]


def new_campaign_id() -> str:
    """Sortable by start time, unique across coordinators: `20261203T130501-1a2b3c`."""
    return time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + "-" + uuid.uuid4().hex[:6]


def save(server: redis.Redis, campaign: Campaign) -> None:
    pipe = server.pipeline()
    mapping: dict[Any, Any] = dict(campaign.to_redis())
    pipe.hset(keys.meta(campaign.id), mapping=mapping)
    pipe.zadd(keys.CAMPAIGNS, {campaign.id: campaign.started_at})
    if campaign.status == ACTIVE:
        pipe.sadd(keys.ACTIVE, campaign.id)
    else:
        pipe.srem(keys.ACTIVE, campaign.id)
    pipe.execute()


def load(server: redis.Redis, campaign_id: str) -> Campaign | None:
    raw = server.hgetall(keys.meta(campaign_id))
    return Campaign.from_redis(raw) if raw else None


def active_campaigns(server: redis.Redis) -> list[Campaign]:
    """Active campaigns, oldest first."""
    found = []
    for member in server.smembers(keys.ACTIVE):
        campaign = load(server, keys.as_text(member))
        if campaign is not None and campaign.status == ACTIVE:
            found.append(campaign)
    return sorted(found, key=lambda c: (c.started_at, c.id))


def latest_campaign(server: redis.Redis) -> Campaign | None:
    """The most recently started campaign (active or not)."""
    newest = server.zrevrange(keys.CAMPAIGNS, 0, 0)
    return load(server, keys.as_text(newest[0])) if newest else None


def processing_keys(server: redis.Redis, campaign_id: str, plan_name: str) -> list[str]:
    """The processing hashes of a plan, one per worker that popped from it."""
    pattern = keys.processing(campaign_id, plan_name, "*")
    return [keys.as_text(key) for key in server.scan_iter(match=pattern, count=200)]


def plan_backlog(server: redis.Redis, campaign_id: str, plan_name: str) -> tuple[int, int]:
    """(queued, in flight) requests of a plan; in flight counts every worker's, dead or alive."""
    queued = int(server.llen(keys.queue(campaign_id, plan_name)))
    in_flight = sum(int(server.hlen(key)) for key in processing_keys(server, campaign_id, plan_name))
    return queued, in_flight


def has_work(server: redis.Redis, campaign: Campaign, plans: Iterable[CampaignPlan] | None = None) -> bool:
    """True while any of the plans has a request queued or held by a worker (which may add more)."""
    for plan in campaign.plans if plans is None else plans:
        queued, in_flight = plan_backlog(server, campaign.id, plan.name)
        if queued or in_flight:
            return True
    return False


def expire(server: redis.Redis, campaign_id: str, seconds: int) -> int:
    """Give every key of a campaign a time to live; returns how many keys were found."""
    found = 0
    pipe = server.pipeline()
    for key in server.scan_iter(match=keys.campaign(campaign_id) + ":*", count=500):
        pipe.expire(key, seconds)
        found += 1
    pipe.execute()
    return found
