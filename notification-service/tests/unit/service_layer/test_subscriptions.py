"""Subscription handlers on fakes: creation with the SSRF check, who sees what, the delivery log."""

from __future__ import annotations

import pytest
from onematter_kit.errors import ForbiddenError, NotFoundError, ValidationProblem
from onematter_kit.identity import Role
from onematter_notification.adapters.tables import Delivery, DeliveryAttempt
from onematter_notification.domain.loopback import parse_loopback_receivers
from onematter_notification.service_layer.subscriptions import (
    CreateSubscription,
    cancel_subscription,
    create_subscription,
    get_subscription,
    list_deliveries,
    list_subscriptions,
)
from onematter_testkit import make_principal

from ..fakes import DEFAULT_NOW, FakeNotificationUnitOfWork

OFFICER = make_principal("o1", Role.officer, department="nhc")
OTHER = make_principal("o2", Role.officer, department="mps")
ADMIN = make_principal("admin", Role.admin)


def _create(operator=OFFICER, url: str = "http://127.0.0.1:9/hook", department: str | None = None):  # type: ignore[no-untyped-def]
    return CreateSubscription(
        operator=operator,
        callback_url=url,
        event_types=["gov.onematter.task.assigned"],
        department=department,
    )


async def test_an_officer_subscribes_its_department_and_sees_the_secret_once() -> None:
    uow = FakeNotificationUnitOfWork()

    subscription = await create_subscription(_create(), uow, allow_private=True)

    assert (subscription.department, subscription.created_by, subscription.active) == ("nhc", "o1", True)
    assert (
        subscription.secret.startswith("whsec_") and subscription.created_at == DEFAULT_NOW and uow.committed
    )


async def test_a_callback_into_our_own_network_is_refused_and_nothing_is_stored() -> None:
    uow = FakeNotificationUnitOfWork()
    with pytest.raises(ValidationProblem):
        await create_subscription(_create(url="http://169.254.169.254/latest"), uow, allow_private=False)
    with pytest.raises(ForbiddenError):
        await create_subscription(_create(department="mps"), uow, allow_private=True)
    assert uow.subscriptions.rows == [] and not uow.committed


async def test_officers_see_only_their_departments_subscriptions_and_admins_all() -> None:
    uow = FakeNotificationUnitOfWork()
    mine = await create_subscription(_create(), uow, allow_private=True)
    theirs = await create_subscription(_create(operator=OTHER), uow, allow_private=True)

    assert [s.id for s in (await list_subscriptions(OFFICER, uow, limit=20, offset=0))[0]] == [mine.id]
    assert (await list_subscriptions(ADMIN, uow, limit=20, offset=0))[1] == 2
    assert await list_subscriptions(make_principal("o3", Role.officer), uow, limit=20, offset=0) == ([], 0)
    assert (await get_subscription(OFFICER, mine.id, uow)) is mine
    with pytest.raises(NotFoundError):
        await get_subscription(OFFICER, theirs.id, uow)


async def test_cancelling_deactivates_and_keeps_the_delivery_log_with_its_attempts() -> None:
    uow = FakeNotificationUnitOfWork()
    subscription = await create_subscription(_create(), uow, allow_private=True)
    delivery = Delivery(
        channel="webhook",
        target_key=subscription.id,
        cause_id="e1",
        subscription_id=subscription.id,
        address=subscription.callback_url,
        payload="{}",
        next_attempt_at=DEFAULT_NOW,
        created_at=DEFAULT_NOW,
    )
    uow.deliveries.add(delivery)
    for number, ok in ((2, True), (1, False)):
        uow.deliveries.add_attempt(
            DeliveryAttempt(delivery_id=delivery.id, number=number, attempted_at=DEFAULT_NOW, ok=ok)
        )

    await cancel_subscription(OFFICER, subscription.id, uow)
    rows, total = await list_deliveries(OFFICER, subscription.id, uow, limit=20, offset=0)

    assert not subscription.active and total == 1
    [(row, attempts)] = rows
    assert row is delivery and [a.number for a in attempts] == [1, 2]
    with pytest.raises(NotFoundError):
        await list_deliveries(OTHER, subscription.id, uow, limit=20, offset=0)


async def test_a_named_loopback_receiver_is_allowed_and_any_other_loopback_port_still_refused() -> None:
    uow = FakeNotificationUnitOfWork()
    named = parse_loopback_receivers("127.0.0.1:9000")

    allowed = await create_subscription(
        _create(url="http://127.0.0.1:9000/hook"), uow, allow_private=False, loopback=named
    )
    with pytest.raises(ValidationProblem):
        await create_subscription(
            _create(url="http://127.0.0.1:9001/hook"), uow, allow_private=False, loopback=named
        )

    assert [row.callback_url for row in uow.subscriptions.rows] == [allowed.callback_url]
