"""好差评: five levels, the two lowest are a bad review that opens a rectification (整改)."""

from __future__ import annotations

__all__ = ["LEVELS", "RECTIFICATION_WORKING_DAYS", "is_bad", "level_label"]

LEVELS: dict[int, str] = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}
#: Default time a lead department has to rectify after a bad review.
RECTIFICATION_WORKING_DAYS = 15


def level_label(level: int) -> str:
    return LEVELS[level]


def is_bad(level: int) -> bool:
    return level <= 2
