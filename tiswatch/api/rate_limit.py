"""Per-key rate limit: a token bucket per API key, in the server process.

Each key refills at its `rate_per_second` and holds at most one second's worth of tokens (at least
one). A check costs one token, a batch of n costs n. A batch bigger than the bucket is let through
when the bucket is full and leaves it in debt, so a slow key can still send big batches, just not
more checks per second than its rate. Over the limit the answer is 429 with Retry-After.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    def __init__(self) -> None:
        self._buckets: dict[int, _Bucket] = {}
        self._lock = threading.Lock()  # batches are judged in worker threads; buckets are shared

    def take(self, key_id: int, rate: float, cost: int) -> float:
        """Take `cost` tokens; returns 0 when allowed, else the seconds to wait before retrying."""
        now = time.monotonic()
        capacity = max(1.0, rate)
        with self._lock:
            bucket = self._buckets.get(key_id)
            if bucket is None:
                bucket = self._buckets[key_id] = _Bucket(tokens=capacity, updated=now)
            bucket.tokens = min(capacity, bucket.tokens + (now - bucket.updated) * rate)
            bucket.updated = now
            needed = min(float(cost), capacity)
            if bucket.tokens >= needed:
                bucket.tokens -= cost
                return 0.0
            return (needed - bucket.tokens) / rate
