"""The kit's clock: :mod:`onematter_clock`, re-exported so services import it from one place."""

from onematter_clock import (
    CHINA_TZ,
    AsOfClock,
    ChinaTime,
    Clock,
    FixedClock,
    SystemClock,
    china_date,
    in_china,
)

__all__ = [
    "CHINA_TZ",
    "AsOfClock",
    "ChinaTime",
    "Clock",
    "FixedClock",
    "SystemClock",
    "china_date",
    "in_china",
]
