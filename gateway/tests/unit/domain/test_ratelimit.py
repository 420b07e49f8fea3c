from __future__ import annotations

from onematter_gateway.domain.ratelimit import TokenBucketLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_is_allowed_then_refused_with_the_wait_until_the_next_token() -> None:
    clock = Clock()
    limiter = TokenBucketLimiter(rate=2, burst=3, clock=clock)
    assert [limiter.acquire("zhangsan") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.acquire("zhangsan") == 0.5
    assert TokenBucketLimiter.retry_after_header(0.5) == "1"


def test_tokens_refill_at_the_rate_but_never_beyond_the_burst() -> None:
    clock = Clock()
    limiter = TokenBucketLimiter(rate=2, burst=3, clock=clock)
    for _ in range(3):
        limiter.acquire("zhangsan")
    clock.now += 100
    assert [limiter.acquire("zhangsan") for _ in range(4)][-1] > 0


def test_each_key_has_its_own_bucket() -> None:
    limiter = TokenBucketLimiter(rate=1, burst=1, clock=Clock())
    assert limiter.acquire("zhangsan") == 0.0
    assert limiter.acquire("zhangsan") > 0
    assert limiter.acquire("lisi") == 0.0


def test_the_number_of_remembered_keys_is_bounded() -> None:
    limiter = TokenBucketLimiter(rate=1, burst=1, max_keys=10, clock=Clock())
    for n in range(100):
        limiter.acquire(f"10.0.0.{n}")
    assert len(limiter._buckets) == 10
