"""A 12345 request (诉求) and its closed loop: 受理 → 派单 → (退单 → 改派) → 答复 → 回访 → 办结.

Plain values in, no I/O. Every "today" is passed in by the caller (the service's clock, China date).
Source of the loop: issue 24 and 国办发〔2020〕53号 (归并 12345 热线, 接诉即办): intake, dispatch, handling,
answer, supervision (督办), closing, callback (回访) and satisfaction (评价).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, Field

__all__ = [
    "ANONYMOUS_ALLOWED",
    "Caller",
    "Channel",
    "HotlineRequest",
    "RequestRuleBroken",
    "RequestType",
    "Status",
]


class RequestRuleBroken(ValueError):
    """A step the request's state does not allow (e.g. answering a request that is not dispatched)."""


class RequestType(StrEnum):
    """咨询 consultation, 求助 help, 投诉 complaint, 举报 report, 建议 suggestion."""

    consultation = "consultation"
    help = "help"
    complaint = "complaint"
    report = "report"
    suggestion = "suggestion"


class Channel(StrEnum):
    """How the request came in: a call an operator took, the portal, or forwarded by a department."""

    call = "call"
    portal = "portal"
    department = "department"


class Status(StrEnum):
    received = "received"  # 受理, not yet dispatched
    dispatched = "dispatched"  # 派单, the office handles it
    objected = "objected"  # 退单, waiting for a dispatcher's review
    answered = "answered"  # 答复, waiting for the callback
    closed = "closed"  # 办结
    merged = "merged"  # 并单 into another request, which answers for it
    reopened = "reopened"  # a dissatisfied callback: dispatched again, to the same office by default


#: Types a caller may raise without giving a name (a complaint or a help request needs someone to answer).
ANONYMOUS_ALLOWED = frozenset({RequestType.consultation, RequestType.suggestion, RequestType.report})
#: 好差评 levels 1 (非常不满意) … 5 (非常满意); 1 and 2 are dissatisfied (国办发〔2019〕51号).
DISSATISFIED_UP_TO = 2
#: A dissatisfied callback reopens a request this many times at most (issue 24: "once").
MAX_REOPENINGS = 1


class Caller(BaseModel):
    """Who called: nothing (anonymous), and/or a name and phone, and/or the account (``subject``)."""

    name: str | None = Field(default=None, max_length=50)
    phone: str | None = Field(default=None, max_length=20)
    subject: str | None = Field(default=None, max_length=64)

    @property
    def anonymous(self) -> bool:
        return not (self.name or self.phone or self.subject)

    def masked(self) -> Caller:
        """For officers who do not need the caller's identity: 张* and 138****5678, no account."""
        name = self.name[0] + "*" * (len(self.name) - 1) if self.name else None
        phone = self.phone[:3] + "****" + self.phone[-4:] if self.phone and len(self.phone) >= 7 else None
        return Caller(name=name, phone=phone, subject=None)


class HotlineRequest(BaseModel):
    """One request and its history of the loop; ``round`` counts dispatches (1 for the first)."""

    id: str
    type: RequestType
    channel: Channel
    caller: Caller
    region: str = Field(pattern=r"^\d{6}$")
    category: str = Field(pattern=r"^[a-z][a-z0-9-]{1,31}$")
    text: str = Field(min_length=1, max_length=4000)
    acceptance_number: str | None = None
    received_on: date
    status: Status = Status.received
    office: str | None = None
    due_on: date | None = None
    round: int = 0
    escalated_round: int = 0
    reopenings: int = 0
    objection: str | None = None
    answer: str | None = None
    answered_on_first_contact: bool = False
    satisfaction: int | None = None
    merged_into: str | None = None
    merged: list[str] = Field(default_factory=list)
    #: Accounts of every caller merged into this request (并单), who all get its answer.
    merged_subjects: list[str] = Field(default_factory=list)

    def check_caller(self) -> None:
        if self.caller.anonymous and self.type not in ANONYMOUS_ALLOWED:
            raise RequestRuleBroken(f"A {self.type.value} request needs a caller who can be answered.")

    @property
    def open(self) -> bool:
        return self.status in {Status.received, Status.dispatched, Status.objected, Status.reopened}

    def recipients(self) -> list[str]:
        """Accounts that get the answer: this caller's and every merged caller's, each once, in order."""
        own = [self.caller.subject] if self.caller.subject else []
        return list(dict.fromkeys([*own, *self.merged_subjects]))

    def _require(self, *allowed: Status) -> None:
        if self.status not in allowed:
            needed = allowed[0].value
            raise RequestRuleBroken(f"The request is {self.status.value}; this step needs {needed}.")

    def answer_on_spot(self, answer: str) -> None:
        """一次办结 — only a consultation still at intake is answered and closed on the first contact."""
        self._require(Status.received)
        if self.type is not RequestType.consultation:
            raise RequestRuleBroken("Only a consultation is answered and closed on the first contact.")
        self.answer, self.answered_on_first_contact, self.status = answer, True, Status.closed

    def dispatch(self, office: str, *, due_on: date, reviewer: bool = False) -> None:
        """派单 or 改派 to ``office``, due on ``due_on`` (China date); an objection (退单) is reviewed by a
        dispatcher (``reviewer``) before the request goes out again."""
        self._require(Status.received, Status.objected, Status.reopened)
        if self.status is Status.objected and not reviewer:
            raise RequestRuleBroken("An objected request is re-dispatched by a dispatcher after review.")
        self.office, self.due_on, self.objection = office, due_on, None
        self.round += 1
        self.status = Status.dispatched

    def object(self, office: str, reason: str) -> None:
        """退单 — the office says the request is not its own; a dispatcher reviews it."""
        self._require(Status.dispatched)
        self._require_office(office)
        self.objection, self.status = reason, Status.objected

    def answer_by_office(self, office: str, answer: str) -> None:
        self._require(Status.dispatched)
        self._require_office(office)
        self.answer, self.status = answer, Status.answered

    def call_back(self, level: int) -> bool:
        """回访 — records the 好差评 level; a dissatisfied caller reopens the request once (then it
        goes back to the same office); returns True when reopened, else the request is closed."""
        self._require(Status.answered)
        if not 1 <= level <= 5:
            raise RequestRuleBroken("A satisfaction level is 1 … 5.")
        self.satisfaction = level
        if level <= DISSATISFIED_UP_TO and self.reopenings < MAX_REOPENINGS:
            self.reopenings += 1
            self.status = Status.reopened
            return True
        self.status = Status.closed
        return False

    def overdue(self, today: date) -> bool:
        """Dispatched, past its due date, and not yet escalated in this round (督办 once per round)."""
        return (
            self.status is Status.dispatched
            and self.due_on is not None
            and today > self.due_on
            and self.escalated_round < self.round
        )

    def escalate(self, today: date) -> None:
        if not self.overdue(today):
            raise RequestRuleBroken("Only a dispatched request past its due date is escalated.")
        self.escalated_round = self.round

    def merge_into(self, primary: HotlineRequest) -> None:
        """并单 — this request follows ``primary``: its caller gets ``primary``'s answer."""
        self._require(Status.received)
        if primary.id == self.id or not primary.open:
            raise RequestRuleBroken("A request merges into another open request.")
        self.status, self.merged_into = Status.merged, primary.id
        primary.merged.append(self.id)
        primary.merged_subjects.extend(s for s in self.recipients() if s not in primary.merged_subjects)

    def _require_office(self, office: str) -> None:
        if office != self.office:
            raise RequestRuleBroken("The request is dispatched to another office.")
