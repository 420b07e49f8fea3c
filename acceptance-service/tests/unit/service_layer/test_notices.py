"""Loading an official holiday notice: the deadlines it moves are stored and announced once.

Hand count (see tests/unit/domain/test_deadline_changes.py): accepted Wednesday 2027-01-20, the mohrss
item takes 20 working days — due 02-23 on the provisional 2027 calendar, 02-24 under the made-up notice
(春节 02-05..12 off, Saturday 02-20 worked); mps takes 15 — 02-16, then 02-18; the three 1-day items are due
01-21 under both.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from acceptance_builders import material_client, notice_2027
from acceptance_fakes import FakeAcceptanceUnitOfWork
from acceptance_testing import newborn_matter
from onematter_acceptance.adapters.calendar_file import CalendarFile
from onematter_acceptance.domain.calendar import NonWorkingDayRule, WorkCalendar
from onematter_acceptance.service_layer.calendar_sync import CalendarSync
from onematter_acceptance.service_layer.collaborators import Collaborators
from onematter_acceptance.service_layer.notices import LoadNotice, load_notice, seed_notice
from onematter_workdays import NoticeOutdated, notice_from_dict

NOTICE = notice_from_dict(notice_2027())
RULE = NonWorkingDayRule.DEFAULT
APPLICATION_MOVED = "gov.onematter.application.deadline-changed"
TASK_MOVED = "gov.onematter.task.deadline-changed"


@pytest.fixture
async def in_2027(uow: FakeAcceptanceUnitOfWork, submit):
    """An application accepted on 2027-01-20 (provisional calendar), the events of acceptance cleared."""
    uow.clock.set(datetime(2027, 1, 20, 2, tzinfo=UTC))
    matter = newborn_matter(
        version=2, deferrable=frozenset({"photo"}), committed_days={"mohrss": 20, "mps": 15}
    )
    await uow.fake_matters.save(matter, received_at=uow.clock.now())
    application = await submit()
    assert (application.deadline, application.deadline_provisional) == (date(2027, 2, 23), True)
    uow.clock.set(datetime(2027, 1, 25, 2, tzinfo=UTC))
    return application


async def test_a_notice_moves_the_provisional_deadline_and_announces_it_to_applicant_and_departments(
    uow, in_2027
):
    loaded = await load_notice(LoadNotice(NOTICE, loaded_by="admin:admin"), uow, rule=RULE)

    stored = uow.stored(in_2027.acceptance_number)
    assert (stored.deadline, stored.deadline_provisional) == (date(2027, 2, 24), False)
    [announced] = uow.events(APPLICATION_MOVED)
    assert (announced.data["previous_deadline"], announced.data["deadline"]) == ("2027-02-23", "2027-02-24")
    assert announced.data["notice"] == {
        "year": 2027,
        "document_number": "国办发明电〔2026〕99号",
        "version": 1,
    }
    assert announced.data["explanation"]["calendar_after"][-1]["kind"] == "official_notice"
    moved = {
        e.data["department"]: (e.data["previous_deadline"], e.data["deadline"])
        for e in uow.events(TASK_MOVED)
    }
    assert moved == {"mohrss": ("2027-02-23", "2027-02-24"), "mps": ("2027-02-16", "2027-02-18")}
    assert loaded.moved == 1 and [s.notice for s in uow.fake_notices.stored] == [NOTICE]
    assert uow.fake_notices.locks == 1


async def test_the_same_notice_again_is_refused_and_announces_nothing(uow, in_2027):
    await load_notice(LoadNotice(NOTICE, loaded_by="admin:admin"), uow, rule=RULE)
    uow.emitted.clear()

    with pytest.raises(NoticeOutdated):
        await load_notice(LoadNotice(NOTICE, loaded_by="admin:other"), uow, rule=RULE)

    assert uow.emitted == [] and len(uow.fake_notices.stored) == 1


async def test_the_notices_file_seeds_a_notice_once(uow, in_2027):
    first = await seed_notice(NOTICE, uow, rule=RULE)
    events = len(uow.emitted)
    again = await seed_notice(NOTICE, uow, rule=RULE)

    assert (first, again) == (True, False)
    assert len(uow.emitted) == events == 3  # the application's event and two departments'


async def test_a_deadline_the_notices_year_cannot_reach_is_not_touched(uow, submit):
    application = await submit()  # accepted 2025-09-30, due in October 2025

    loaded = await load_notice(LoadNotice(NOTICE, loaded_by="admin:admin"), uow, rule=RULE)

    assert loaded.moved == 0 and uow.emitted == []
    assert uow.stored(application.acceptance_number).deadline == application.deadline


async def test_a_replica_rebuilds_its_calendar_when_another_one_stored_a_notice(uow, material_service):
    collaborators = Collaborators(materials=material_client(material_service), calendar=WorkCalendar())
    sync = CalendarSync(CalendarFile(None), lambda: uow, collaborators)
    await sync()
    assert collaborators.calendar.notice_for(2027) is None

    await load_notice(LoadNotice(NOTICE, loaded_by="admin:admin"), uow, rule=RULE)  # on another replica
    await sync()

    assert collaborators.calendar.notice_for(2027) == NOTICE
