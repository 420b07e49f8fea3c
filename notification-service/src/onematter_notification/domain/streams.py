"""Rules of the live stream (SSE): where a reconnecting client resumes, and how many streams may be open.

* ``Last-Event-ID`` (WHATWG HTML, server-sent events §9.2) is whatever the client sends back; a message's
  ``seq`` is at most a PostgreSQL ``bigint``, so anything but 1-19 ASCII digits is not an id we gave out.
  :func:`resume_from` says what to do with the header: start after the newest message (no header), resume
  after a known id, or replay every kept message (an id that is malformed, unknown or beyond every real
  id) — at-least-once is the stream's promise; the client drops ids it has seen.
* :class:`StreamPosition` is where a stream has got to: the last sent message's writing transaction id and
  ``seq``. Messages are read in that order and only once every transaction before them has ended, so a
  message that commits late is never passed over (issue 19; see :mod:`onematter_kit.commit_order`).
* :class:`StreamSlots` counts the open streams of one process, per user and in total (issue 18: 500 idle
  streams must not take the service down, and one user must not hold them all).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from enum import Enum

__all__ = ["START", "Resume", "ResumeFrom", "StreamPosition", "StreamSlots", "resume_from"]

#: 1-19 ASCII digits: ``str.isdigit`` would accept "²" and int() then fails; 19 digits hold any bigint.
_EVENT_ID = re.compile(r"[0-9]{1,19}")
_BIGINT_MAX = 2**63 - 1


class Resume(Enum):
    """Where a stream starts."""

    latest = "latest"  # no Last-Event-ID: what comes next
    after = "after"  # after a given id, if it is one of the caller's messages
    oldest = "oldest"  # replay every kept message of the caller's inboxes


@dataclass(frozen=True)
class ResumeFrom:
    how: Resume
    seq: int = 0


@dataclass(frozen=True, order=True)
class StreamPosition:
    """A point in the stream's order: ``(xact, seq)``, compared as a pair.

    ``xact`` is the id of the transaction that wrote the message (0 where the database has none: SQLite,
    which has one writer at a time, so ``seq`` alone orders it); ``seq`` is the message's SSE id.
    """

    xact: int = 0
    seq: int = 0


#: Before every message: a stream from here replays everything kept.
START = StreamPosition()


def resume_from(last_event_id: str | None) -> ResumeFrom:
    """The stream's starting point from the ``Last-Event-ID`` header's raw value.

    Absent or empty: :attr:`Resume.latest`. 1-19 ASCII digits within a bigint: :attr:`Resume.after`
    (whether the id is real is the caller's check, against storage). Anything else: :attr:`Resume.oldest`.
    """
    if last_event_id is None or not last_event_id.strip():
        return ResumeFrom(Resume.latest)
    value = last_event_id.strip()
    if _EVENT_ID.fullmatch(value) and int(value) <= _BIGINT_MAX:
        return ResumeFrom(Resume.after, int(value))
    return ResumeFrom(Resume.oldest)


class StreamSlots:
    """Open streams of one process: at most ``per_user`` for one subject and ``total`` in all.

    ``take`` and ``release`` pair up (the caller releases in a ``finally``); counts never go negative.
    """

    def __init__(self, *, per_user: int, total: int) -> None:
        if per_user < 1 or total < 1:
            raise ValueError("stream limits must be at least 1")
        self.per_user, self.total = per_user, total
        self._open: Counter[str] = Counter()
        self._count = 0

    @property
    def open(self) -> int:
        return self._count

    def take(self, subject: str) -> bool:
        """Count a new stream of ``subject``; False (nothing counted) when a limit is reached."""
        if self._count >= self.total or self._open[subject] >= self.per_user:
            return False
        self._open[subject] += 1
        self._count += 1
        return True

    def release(self, subject: str) -> None:
        if self._open[subject] <= 0:
            return
        self._open[subject] -= 1
        self._count -= 1
        if not self._open[subject]:
            del self._open[subject]
