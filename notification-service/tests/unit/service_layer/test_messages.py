"""Storing messages on fakes: the recipient's language, copies to the addresses they gave."""

from __future__ import annotations

import httpx
from onematter_kit.identity import InternalTokenSigner
from onematter_kit.settings import DEVELOPMENT_INTERNAL_SECRET
from onematter_notification.adapters.catalog_names import CatalogNameSource
from onematter_notification.adapters.tables import Profile
from onematter_notification.domain.planner import Draft
from onematter_notification.domain.templates import Ref
from onematter_notification.service_layer.messages import store_drafts

from ..fakes import DEFAULT_NOW, FakeNotificationUnitOfWork

PARAMS = {"acceptance_number": "YJS-1", "matter_code": "newborn", "deadline": "2026-04-07"}


async def test_a_personal_message_is_written_in_the_recipients_language_and_copied_by_email() -> None:
    uow = FakeNotificationUnitOfWork()
    uow.profiles.rows["u1"] = Profile(
        subject="u1", email="li@example.cn", phone="138", locale="en", updated_at=DEFAULT_NOW
    )

    [message] = await store_drafts(
        uow, [Draft("user:u1", "application.accepted", PARAMS)], cause_id="e1", channels={"email"}
    )

    assert message.locale == "en" and message.subject == "Application accepted: YJS-1"
    [copy] = uow.deliveries.rows
    assert (copy.channel, copy.address, copy.cause_id, copy.message_id) == (
        "email",
        "li@example.cn",
        message.id,
        message.id,
    )
    assert copy.next_attempt_at == DEFAULT_NOW


async def test_shared_inboxes_get_no_copies_and_a_replayed_cause_adds_nothing() -> None:
    uow = FakeNotificationUnitOfWork()
    drafts = [Draft("dept:nhc", "application.accepted", PARAMS)]

    await store_drafts(uow, drafts, cause_id="e1", channels={"email", "sms"})
    assert await store_drafts(uow, drafts, cause_id="e1", channels={"email", "sms"}) == []

    assert len(uow.messages.rows) == 1 and uow.deliveries.rows == []
    assert uow.messages.rows[0].locale == "zh-CN"


def _catalog(seen: list[str]) -> CatalogNameSource:
    """The catalog's public reads as it answers them (a published matter, one item)."""
    matter = {
        "matter_code": "newborn-birth",
        "name_zh": "新生儿出生一件事",
        "name_en": "Birth of a newborn",
        "items": [{"code": "mps-birth-registration", "name_zh": "出生登记", "name_en": "Birth registration"}],
        "materials": [],
    }

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        if request.url.path == "/api/v1/matters/newborn-birth":
            return httpx.Response(200, json=matter | {"status": "published"})
        return httpx.Response(404, json={"title": "Not Found"})

    signer = InternalTokenSigner(DEVELOPMENT_INTERNAL_SECRET, issuer="onematter-notification")
    return CatalogNameSource(base_url="http://catalog", signer=signer, transport=httpx.MockTransport(handle))


async def test_a_name_not_received_yet_is_asked_of_the_catalog_and_remembered() -> None:
    uow = FakeNotificationUnitOfWork()
    seen: list[str] = []
    params = {**PARAMS, "matter_code": Ref("matter", "newborn-birth")}

    [message] = await store_drafts(
        uow,
        [Draft("user:u1", "application.accepted", params)],
        cause_id="e1",
        channels=(),
        catalog=_catalog(seen),
    )

    assert "「新生儿出生一件事」" in message.body and "newborn-birth" not in message.body
    assert seen == ["/api/v1/matters/newborn-birth"]
    assert ("item", "mps-birth-registration") in uow.names.rows  # the matter brought its items' names


async def test_a_name_the_catalog_does_not_know_still_renders_as_its_code() -> None:
    uow = FakeNotificationUnitOfWork()
    params = {**PARAMS, "matter_code": Ref("matter", "no-such-matter")}

    [message] = await store_drafts(
        uow,
        [Draft("user:u1", "application.accepted", params)],
        cause_id="e1",
        channels=(),
        catalog=_catalog([]),
    )

    assert "「no-such-matter」" in message.body and uow.names.rows == {}
