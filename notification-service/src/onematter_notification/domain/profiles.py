"""A person's notification profile: where copies of personal messages go (email, SMS) and in which
language they are written."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

__all__ = ["channel_copies", "profile_changes"]


def profile_changes(given: Mapping[str, Any]) -> dict[str, Any]:
    """The fields an update sets: what the caller sent, where ``null`` clears email or phone but the
    language cannot be unset, only changed."""
    return {field: value for field, value in given.items() if not (field == "locale" and value is None)}


def channel_copies(
    *, email: str | None, phone: str | None, channels: Collection[str]
) -> list[tuple[str, str]]:
    """``(channel, address)`` for each copy of a personal message: only channels the operator configured,
    and only where the person gave an address."""
    wanted = (("email", email), ("sms", phone))
    return [(channel, address) for channel, address in wanted if channel in channels and address]
