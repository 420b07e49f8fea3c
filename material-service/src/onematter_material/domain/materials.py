"""The owner's locker: what a material is, whose locker an upload goes to, when it may be deleted, and
which reads the owner's access log records.

A material is a typed, named reference to stored bytes (a blob, addressed by its sha256): many materials
may share one blob, and the blob goes when no material references it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from onematter_kit.errors import ConflictError, ForbiddenError, ValidationProblem
from onematter_kit.identity import Principal, Role

__all__ = [
    "AccessAction",
    "AccessEntry",
    "MaterialFacts",
    "NewMaterial",
    "access_entry",
    "check_deletable",
    "check_material_type",
    "locker_owner",
]

_MATERIAL_TYPE = re.compile(r"^[a-z][a-z0-9_]{1,63}$")
_MAX_SUBJECT = 128


class AccessAction(StrEnum):
    """What the access log records: a read of the metadata or of the content, or a clerk's upload."""

    metadata = "metadata"
    content = "content"
    #: 帮办代办 — a window clerk put the material into the owner's locker.
    uploaded = "uploaded"
    #: 帮办代办 under a delegation: the delegate's prefill read it, or submitted an application with it.
    delegated_read = "delegated_read"
    submitted = "submitted"
    #: … handed it in as a supplement (补正), or withdrew the application that used it.
    answered = "answered"
    withdrawn = "withdrawn"


class MaterialFacts(Protocol):
    """What the rules need to know of a stored material."""

    @property
    def id(self) -> str: ...
    @property
    def owner_id(self) -> str: ...
    @property
    def material_type(self) -> str: ...


@dataclass(frozen=True, kw_only=True)
class NewMaterial:
    """A material about to enter ``owner_id``'s locker; ``size`` in bytes, ``created_at`` aware."""

    owner_id: str
    material_type: str
    sha256: str
    size: int
    media_type: str
    #: The client's file name, already sanitised: shown in Content-Disposition, never used as a path.
    file_name: str
    created_at: datetime


@dataclass(frozen=True, kw_only=True)
class AccessEntry:
    """One line of the owner's access log: who (and for which department and task) did what, when."""

    owner_id: str
    material_id: str
    material_type: str
    reader_id: str
    reader_name: str | None
    department: str | None
    task_id: str | None
    action: AccessAction
    read_at: datetime
    #: The delegation (委托) the reader acted under, if any.
    delegation_id: str | None = None


def check_material_type(material_type: str) -> None:
    """422 unless ``material_type`` is a catalog material type code (``birth_medical_cert``)."""
    if not _MATERIAL_TYPE.match(material_type):
        raise ValidationProblem(
            "material_type must be a material type code such as birth_medical_cert.",
            errors=[{"field": "material_type", "message": "lowercase code, 2-64 characters"}],
        )


def locker_owner(caller: Principal, on_behalf_of: str | None) -> Principal:
    """Whose locker an upload goes to: a clerk's named applicant (帮办代办), else the applicant itself.

    422 when a clerk names nobody (or an over-long subject); 403 when an applicant names someone else.
    """
    if caller.has(Role.clerk):
        if not on_behalf_of or len(on_behalf_of) > _MAX_SUBJECT:
            raise ValidationProblem(
                "A clerk uploads for an applicant.",
                errors=[{"field": "on_behalf_of", "message": "is required for a clerk"}],
            )
        return Principal(subject=on_behalf_of, roles=frozenset({Role.applicant}))
    if on_behalf_of and on_behalf_of != caller.subject:
        raise ForbiddenError("An applicant uploads only into its own locker.")
    return caller


def check_deletable(open_task_id: str | None) -> None:
    """409 while a task that may read the material is open (need-to-know outlives the owner's wish)."""
    if open_task_id is not None:
        raise ConflictError(
            "The material is used by an open task and cannot be deleted until it ends.",
            extensions={"task_id": open_task_id},
        )


def access_entry(
    *,
    material: MaterialFacts,
    reader: Principal,
    task_id: str | None,
    action: AccessAction,
    at: datetime,
    delegation_id: str | None = None,
) -> AccessEntry | None:
    """The log line for ``reader``'s ``action`` on ``material``; ``None`` for the owner's own reads, which
    are never logged (the log answers "who else looked at my papers?")."""
    if reader.subject == material.owner_id:
        return None
    return AccessEntry(
        owner_id=material.owner_id,
        material_id=material.id,
        material_type=material.material_type,
        reader_id=reader.subject,
        reader_name=reader.name,
        department=reader.department,
        task_id=task_id,
        action=action,
        read_at=at,
        delegation_id=delegation_id,
    )
