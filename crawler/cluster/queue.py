"""A reliable request queue for scrapy-redis: no request is lost when its worker dies.

scrapy-redis pops a request and forgets it: a worker killed with `kill -9` loses every page it held.
Here a pop moves the entry, atomically (a Lua script), from the plan's queue into the worker's
processing hash; the entry leaves that hash only when the request's callback or errback has run to
the end (`ack`, called by `crawler.cluster.extension`), or when the request goes back to the queue
(a retry or a redirect is pushed again under the same request id). A worker that stops cleanly hands
its held requests back; a dead worker's are moved back by any live worker or the coordinator once its
heartbeat key has expired (`reclaim_dead`). Delivery is at least once: a request a worker was in the
middle of is fetched again by another; the store's upserts make that harmless.

Entries are `<32 hex request id><pickled request>` (scrapy-redis's serializer), FIFO.
"""

from __future__ import annotations

import uuid
from typing import Any

import redis
from scrapy.http import Request
from scrapy_redis.queue import Base

from crawler.cluster import keys

REQUEST_ID_META = "tiswatch_request_id"

# Pop the oldest entry into the worker's processing hash, keyed by its request id.
_POP = """
local entry = redis.call('RPOP', KEYS[1])
if entry then redis.call('HSET', KEYS[2], string.sub(entry, 1, tonumber(ARGV[1])), entry) end
return entry
"""
# Mark a fingerprint seen and, if it is new, queue the entry (atomically: see `push_unseen`).
_PUSH_UNSEEN = """
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('LPUSH', KEYS[2], ARGV[2])
redis.call('HDEL', KEYS[3], ARGV[3])
return 1
"""
# Move every entry of a processing hash back to the front of its queue (popped next).
_REQUEUE = """
local entries = redis.call('HVALS', KEYS[1])
for _, entry in ipairs(entries) do redis.call('RPUSH', KEYS[2], entry) end
redis.call('DEL', KEYS[1])
return #entries
"""


class ReliableQueue(Base):
    """FIFO queue of one campaign plan; pops are held per worker until acknowledged."""

    def __init__(self, server: redis.Redis, spider: Any, key: str, serializer: Any = None) -> None:
        super().__init__(server, spider, key, serializer)
        settings = spider.settings
        self.worker = settings.get("TISWATCH_WORKER_ID") or "coordinator"
        self.processing_key = keys.processing(
            settings.get("TISWATCH_CAMPAIGN_ID"), settings.get("TISWATCH_PLAN"), self.worker
        )
        self._pop = server.register_script(_POP)
        self._requeue = server.register_script(_REQUEUE)
        self._push_unseen = server.register_script(_PUSH_UNSEEN)

    def __len__(self) -> int:
        return int(self.server.llen(self.key))

    def _entry(self, request: Request) -> tuple[str, bytes]:
        request_id = request.meta.get(REQUEST_ID_META)
        if not request_id:
            request_id = uuid.uuid4().hex
            request.meta[REQUEST_ID_META] = request_id
        return request_id, request_id.encode("ascii") + self._encode_request(request)

    def push(self, request: Request) -> None:
        request_id, entry = self._entry(request)
        pipe = self.server.pipeline()  # MULTI/EXEC: both or neither
        pipe.lpush(self.key, entry)
        # A retried or redirected request goes back to the queue: this worker no longer holds it.
        pipe.hdel(self.processing_key, request_id)
        pipe.execute()

    def push_unseen(self, request: Request, seen_key: str, fingerprint: str) -> bool:
        """Mark the request seen and queue it, in one step; False (and nothing queued) when it was seen.

        In two steps, a worker killed between them would leave a request marked seen and never
        queued: the page that asked for it, fetched again by another worker, would find it "seen"."""
        request_id, entry = self._entry(request)
        queued = self._push_unseen(
            keys=[seen_key, self.key, self.processing_key], args=[fingerprint, entry, request_id]
        )
        return bool(queued)

    def pop(self, timeout: int = 0) -> Request | None:
        entry = self._pop(keys=[self.key, self.processing_key], args=[keys.REQUEST_ID_LENGTH])
        if not entry:
            return None
        request: Request = self._decode_request(entry[keys.REQUEST_ID_LENGTH :])
        return request

    def ack(self, request: Request) -> None:
        """The request is done (its callback or errback ran): forget it."""
        request_id = request.meta.get(REQUEST_ID_META)
        if request_id:
            self.server.hdel(self.processing_key, request_id)

    def held(self) -> int:
        return int(self.server.hlen(self.processing_key))

    def hand_back(self) -> int:
        """Put every request this worker holds back in the queue (a clean stop mid-campaign)."""
        return int(self._requeue(keys=[self.processing_key, self.key]))

    def clear(self) -> None:
        # A campaign's queue is shared: one worker closing must never empty it (scrapy-redis's
        # `Scheduler.flush` would). Campaign keys expire after `campaign finish` instead.
        return None


def reclaim_dead(server: redis.Redis, campaign_id: str, plan_name: str) -> int:
    """Move the requests held by dead workers (heartbeat expired) back to the plan's queue."""
    script = server.register_script(_REQUEUE)
    prefix = keys.processing(campaign_id, plan_name, "")
    moved = 0
    for raw in server.scan_iter(match=prefix + "*", count=200):
        key = keys.as_text(raw)
        worker = key[len(prefix) :]
        if server.exists(keys.alive(worker)):
            continue
        moved += int(script(keys=[key, keys.queue(campaign_id, plan_name)]))
    return moved
