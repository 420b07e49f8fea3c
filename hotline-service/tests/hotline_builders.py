"""Keyword-only builders of hotline test data with random identifiers."""

from __future__ import annotations

import uuid
from datetime import date

from onematter_hotline.domain.model import Caller, Channel, HotlineRequest, RequestType


def a_request(
    *,
    type: RequestType = RequestType.complaint,
    caller: Caller | None = None,
    region: str = "110105",
    category: str = "traffic",
    text: str = "路口 红绿灯 坏了",
    received_on: date = date(2026, 12, 1),
) -> HotlineRequest:
    return HotlineRequest(
        id=str(uuid.uuid4()),
        type=type,
        channel=Channel.call,
        caller=caller if caller is not None else Caller(subject=f"user-{uuid.uuid4().hex[:6]}"),
        region=region,
        category=category,
        text=text,
        received_on=received_on,
    )
