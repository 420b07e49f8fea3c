"""The live stream's rules: where a Last-Event-ID resumes, and the open-stream limits."""

from __future__ import annotations

import pytest
from onematter_notification.domain.streams import Resume, ResumeFrom, StreamSlots, resume_from


@pytest.mark.parametrize("header", [None, "", "   "])
def test_no_last_event_id_starts_after_the_newest_message(header: str | None) -> None:
    assert resume_from(header) == ResumeFrom(Resume.latest)


@pytest.mark.parametrize(
    ("header", "seq"), [("0", 0), ("42", 42), (" 7 ", 7), ("9223372036854775807", 2**63 - 1)]
)
def test_ascii_digits_within_a_bigint_resume_after_that_id(header: str, seq: int) -> None:
    assert resume_from(header) == ResumeFrom(Resume.after, seq)


@pytest.mark.parametrize(
    "header",
    [
        "²",  # str.isdigit() says yes; int() raises (issue 18 saw a 500)
        "٣",  # an Arabic-Indic digit: int() would accept it
        "-1",
        "1e3",
        "abc",
        "12 34",
        "9223372036854775808",  # one past the largest bigint
        "1" * 20,
        "9" * 10_000,
        "\x00",
    ],
)
def test_anything_else_replays_every_kept_message(header: str) -> None:
    assert resume_from(header) == ResumeFrom(Resume.oldest)


def test_a_user_gets_no_more_streams_than_the_per_user_limit_and_others_still_do() -> None:
    slots = StreamSlots(per_user=2, total=10)

    assert [slots.take("a"), slots.take("a"), slots.take("a"), slots.take("b")] == [True, True, False, True]
    assert slots.open == 3


def test_the_total_limit_holds_across_users_and_a_released_slot_can_be_taken_again() -> None:
    slots = StreamSlots(per_user=5, total=2)
    assert slots.take("a") and slots.take("b")
    assert not slots.take("c")

    slots.release("a")

    assert slots.take("c") and slots.open == 2


def test_releasing_more_than_was_taken_never_frees_slots_that_do_not_exist() -> None:
    slots = StreamSlots(per_user=1, total=1)
    slots.release("nobody")
    assert slots.take("a")
    slots.release("a")
    slots.release("a")

    assert slots.open == 0 and slots.take("a") and not slots.take("b")


def test_limits_below_one_are_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        StreamSlots(per_user=0, total=10)
