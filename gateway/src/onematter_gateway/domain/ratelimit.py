"""Token-bucket rate limits (per verified identity, per client IP), in the memory of one gateway process.

Each key has a bucket of ``burst`` tokens that refills at ``rate`` per second; a request takes one. The
buckets are per process: with N gateway replicas a client gets up to N times the rate, which is the usual
trade for not paying a network round trip per request (a shared store can come with horizontal scaling).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

__all__ = ["LoginThrottle", "TokenBucketLimiter"]


class TokenBucketLimiter:
    def __init__(
        self, *, rate: float, burst: int, max_keys: int = 100_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate, self.burst, self._max_keys, self._clock = rate, burst, max_keys, clock
        #: key → (tokens left, when they were counted); least recently used first (a plain dict keeps
        #: insertion order, and a key is re-inserted on every use: cheaper than an OrderedDict).
        self._buckets: dict[str, tuple[float, float]] = {}

    def acquire(self, key: str) -> float:
        """Take a token for ``key``: 0.0 when allowed, else the seconds until one is free (Retry-After)."""
        now = self._clock()
        buckets = self._buckets
        left, since = buckets.pop(key, (self.burst, now))
        tokens = left + (now - since) * self.rate
        if tokens > self.burst:
            tokens = self.burst
        wait = 0.0 if tokens >= 1.0 else (1.0 - tokens) / self.rate
        buckets[key] = (tokens - 1.0 if wait == 0.0 else tokens, now)
        if len(buckets) > self._max_keys:
            # The least recently seen key is the one most likely to have refilled completely anyway.
            del buckets[next(iter(buckets))]
        return wait

    @staticmethod
    def retry_after_header(seconds: float) -> str:
        return str(max(1, math.ceil(seconds)))


class LoginThrottle:
    """Login attempts, per user name and per client address (OWASP ASVS 2.2.1: anti-automation).

    Every attempt counts, good or bad: the development login has one known password, so counting only
    failures would not slow down anyone who knows it, and a real issuer's login is not ours. Per address
    the limit is higher, since a whole office may share one address.
    """

    def __init__(self, *, per_user: TokenBucketLimiter, per_address: TokenBucketLimiter) -> None:
        self.per_user, self.per_address = per_user, per_address

    def wait(self, *, username: str, address: str) -> float:
        """0.0 when the attempt may go on, else the seconds until it may (Retry-After).

        The address is asked first, so one address trying many names is stopped without using up the
        buckets of the names it tries (which would lock their owners out)."""
        if (wait := self.per_address.acquire(address)) > 0:
            return wait
        return self.per_user.acquire(username.casefold())
