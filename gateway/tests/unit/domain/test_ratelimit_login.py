from __future__ import annotations

from onematter_gateway.domain.ratelimit import LoginThrottle, TokenBucketLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def throttle(clock: Clock) -> LoginThrottle:
    return LoginThrottle(
        per_user=TokenBucketLimiter(rate=10 / 60, burst=3, clock=clock),
        per_address=TokenBucketLimiter(rate=60 / 60, burst=5, clock=clock),
    )


def test_a_user_name_gets_its_burst_then_waits_whatever_address_it_comes_from() -> None:
    login = throttle(Clock())
    waits = [login.wait(username="zhangsan", address=f"192.0.2.{n}") for n in range(4)]
    assert waits[:3] == [0.0, 0.0, 0.0]
    assert waits[3] == 6.0  # one attempt per 6 s (10 a minute)
    assert login.wait(username="lisi", address="192.0.2.9") == 0.0


def test_user_names_are_counted_without_regard_to_case() -> None:
    login = throttle(Clock())
    for name in ("zhangsan", "ZhangSan", "ZHANGSAN"):
        login.wait(username=name, address="192.0.2.1")
    assert login.wait(username="zhangsan", address="192.0.2.2") > 0


def test_one_address_trying_many_names_is_stopped_without_using_up_their_buckets() -> None:
    clock = Clock()
    login = throttle(clock)
    assert [login.wait(username=f"user{n}", address="192.0.2.1") for n in range(5)] == [0.0] * 5
    assert login.wait(username="zhangsan", address="192.0.2.1") == 1.0
    # zhangsan's own bucket was not touched by the refused attempt
    assert [login.wait(username="zhangsan", address="198.51.100.1") for _ in range(3)] == [0.0] * 3


def test_attempts_come_back_as_time_passes() -> None:
    clock = Clock()
    login = throttle(clock)
    for _ in range(3):
        login.wait(username="zhangsan", address="192.0.2.1")
    clock.now += 6
    assert login.wait(username="zhangsan", address="192.0.2.1") == 0.0
