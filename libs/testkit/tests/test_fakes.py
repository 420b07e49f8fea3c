from datetime import UTC, datetime

from onematter_clock import FixedClock
from onematter_events import new_event
from onematter_events.matters import MATTER_RETIRED, MatterRetired
from onematter_testkit import FakeUnitOfWork

RETIRED_AT = datetime(2026, 11, 30, 20, 4, 52, tzinfo=UTC)


def _retired():
    return new_event(MATTER_RETIRED, MatterRetired(matter_code="m", version=1, retired_at=RETIRED_AT))


async def test_only_committed_events_count_and_they_carry_the_clock_time():
    uow = FakeUnitOfWork(clock=FixedClock(RETIRED_AT))
    async with uow:
        uow.emit(_retired())
    async with uow:  # left without commit: rolled back
        assert not uow.committed and uow.emitted == []
        uow.emit(_retired())
        await uow.commit()

    assert uow.committed and [e.time for e in uow.emitted] == [RETIRED_AT]
    assert uow.clock.today().isoformat() == "2026-12-01"  # 04:04 in Beijing
