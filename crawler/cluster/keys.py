"""Every Redis key the cluster uses, in one place (prefix `tiswatch:`).

Per campaign (`tiswatch:c:<campaign>:…`, expired some time after the campaign finishes):
- `meta` (hash): the campaign record (`crawler.cluster.campaign.Campaign`);
- `p:<plan>:queue` (list): the plan's pending requests, each `<request id><pickled request>`;
- `p:<plan>:seen` (set): request fingerprints (the dupefilter);
- `p:<plan>:processing:<worker>` (hash): request id → request, popped by that worker, not yet done;
- `p:<plan>:stats` (hash): coverage counters summed over the workers; `p:<plan>:values` (hash): the
  stats that are values, not counts (the plan's keyword list), JSON;
- `workers` (set), `w:<worker>:stats` (hash): which workers took part, and what each one did;
- `backed_off` (set): sites a worker backed off after a burst of blocks (every worker then skips them);
- `finishing` (string, with a TTL): who finishes the campaign (the lock that makes it finish once).

Fleet-wide: `tiswatch:campaigns` (sorted set by start time), `tiswatch:campaigns:active` (set),
`tiswatch:lock:campaign` (the campaign lock), `tiswatch:worker:<worker>:alive` (heartbeat, with a TTL),
`tiswatch:site:<host:port>:next` (the site's token bucket: when its next request may go),
`tiswatch:site:<host:port>:slots` (sorted set: the site's requests in flight, fleet-wide, by lease expiry),
`tiswatch:finishers` (hash: worker → the folder it exports a drained campaign to, `tiswatch worker --out`).
"""

from __future__ import annotations

PREFIX = "tiswatch:"
CAMPAIGNS = PREFIX + "campaigns"
ACTIVE = PREFIX + "campaigns:active"
CAMPAIGN_LOCK = PREFIX + "lock:campaign"
FINISHERS = PREFIX + "finishers"
# Request ids are fixed-width hex, so a queue entry is `id + pickle` and Lua can cut the id off.
REQUEST_ID_LENGTH = 32


def as_text(value: object) -> str:
    """A Redis reply (bytes: the clients here do not decode, since queues hold pickles) as text."""
    return value.decode() if isinstance(value, bytes) else str(value)


def campaign(campaign_id: str) -> str:
    return f"{PREFIX}c:{campaign_id}"


def meta(campaign_id: str) -> str:
    return f"{campaign(campaign_id)}:meta"


def plan(campaign_id: str, plan_name: str) -> str:
    return f"{campaign(campaign_id)}:p:{plan_name}"


def queue(campaign_id: str, plan_name: str) -> str:
    return f"{plan(campaign_id, plan_name)}:queue"


def seen(campaign_id: str, plan_name: str) -> str:
    return f"{plan(campaign_id, plan_name)}:seen"


def processing(campaign_id: str, plan_name: str, worker: str) -> str:
    return f"{plan(campaign_id, plan_name)}:processing:{worker}"


def plan_stats(campaign_id: str, plan_name: str) -> str:
    return f"{plan(campaign_id, plan_name)}:stats"


def plan_values(campaign_id: str, plan_name: str) -> str:
    return f"{plan(campaign_id, plan_name)}:values"


def workers(campaign_id: str) -> str:
    return f"{campaign(campaign_id)}:workers"


def worker_stats(campaign_id: str, worker: str) -> str:
    return f"{campaign(campaign_id)}:w:{worker}:stats"


def backed_off(campaign_id: str) -> str:
    return f"{campaign(campaign_id)}:backed_off"


def alive(worker: str) -> str:
    return f"{PREFIX}worker:{worker}:alive"


def site_next(site: str) -> str:
    return f"{PREFIX}site:{site}:next"


def finishing(campaign_id: str) -> str:
    return f"{campaign(campaign_id)}:finishing"


def site_slots(site: str) -> str:
    return f"{PREFIX}site:{site}:slots"
