"""Profiles: what an update changes, and where copies of a personal message go."""

from __future__ import annotations

from onematter_notification.domain.profiles import channel_copies, profile_changes


def test_null_clears_an_address_but_the_language_is_only_ever_changed() -> None:
    assert profile_changes({"email": None, "locale": None}) == {"email": None}
    assert profile_changes({"phone": "+8613800000000", "locale": "en"}) == {
        "phone": "+8613800000000",
        "locale": "en",
    }


def test_copies_go_only_through_configured_channels_to_given_addresses() -> None:
    assert channel_copies(email="li@example.cn", phone="138", channels={"email", "sms"}) == [
        ("email", "li@example.cn"),
        ("sms", "138"),
    ]
    assert channel_copies(email="li@example.cn", phone=None, channels={"sms"}) == []
    assert channel_copies(email=None, phone="138", channels={"email", "sms"}) == [("sms", "138")]
