"""How many connections the gateway holds open, per client address and in total.

A new connection is admitted while both counts are under their limits; otherwise it is refused — at
once, with an answer — so that the connections already admitted keep being served. (The opposite,
answering every request with 503 once too many connections are open, lets slow clients starve everyone
who is already connected: issue 18.) A trusted proxy's address is exempt from the per-address limit,
since all the clients behind it share it; the total still counts its connections.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum

__all__ = ["ConnectionBudget", "Refusal"]


class Refusal(Enum):
    """Why a new connection is refused; the value is the HTTP status of the answer it gets."""

    address_full = 429  # this address holds max_connections_per_address already
    gateway_full = 503  # the gateway holds max_connections already


class ConnectionBudget:
    def __init__(self, *, total: int, per_address: int, exempt: Callable[[str], bool]) -> None:
        self.total, self.per_address, self._exempt = total, per_address, exempt
        self.open = 0
        self._by_address: dict[str, int] = {}

    def admit(self, address: str) -> Refusal | None:
        """Count a new connection from ``address``, or say why it is refused (then nothing is counted).
        Every admitted connection must be :meth:`release`\\ d exactly once."""
        if self.open >= self.total:
            return Refusal.gateway_full
        held = self._by_address.get(address, 0)
        if held >= self.per_address and not self._exempt(address):
            return Refusal.address_full
        self._by_address[address] = held + 1
        self.open += 1
        return None

    def release(self, address: str) -> None:
        self.open -= 1
        left = self._by_address.pop(address) - 1
        if left:
            self._by_address[address] = left

    def held_by(self, address: str) -> int:
        return self._by_address.get(address, 0)
