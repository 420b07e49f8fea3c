"""HTTP routes of the acceptance service and their ``Annotated`` dependencies."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request

from onematter_acceptance.service_layer.collaborators import Collaborators

__all__ = ["Deps", "Limit", "Offset"]


def _collaborators(request: Request) -> Collaborators:
    return request.app.state.runtime.extras["collaborators"]


Deps = Annotated[Collaborators, Depends(_collaborators)]
Limit = Annotated[int, Query(ge=1, le=100)]
#: Bounded so a huge offset is a 422, not a database integer overflow (500).
Offset = Annotated[int, Query(ge=0, le=2**31 - 1)]
