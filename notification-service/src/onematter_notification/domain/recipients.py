"""Inbox addresses: who a message is for, and which inboxes a caller may read.

* ``user:<subject>`` — one person (an applicant, or any user by subject);
* ``dept:<code>`` — a department's shared inbox, read by every officer of that department;
* ``role:<role>`` — a role's shared inbox (``role:supervisor`` for bad reviews, ``role:admin``).
"""

from __future__ import annotations

from onematter_kit.identity import Principal, Role

__all__ = ["department_inbox", "inboxes_of", "is_personal", "role_inbox", "subject_of", "user_inbox"]

_USER, _DEPT, _ROLE = "user:", "dept:", "role:"


def user_inbox(subject: str) -> str:
    return _USER + subject


def department_inbox(code: str) -> str:
    return _DEPT + code


def role_inbox(role: Role) -> str:
    return _ROLE + str(role.value)


def is_personal(recipient: str) -> bool:
    """Only personal messages go out by email or SMS; shared inboxes are read in the workbench."""
    return recipient.startswith(_USER)


def subject_of(recipient: str) -> str:
    return recipient.removeprefix(_USER)


def inboxes_of(principal: Principal) -> list[str]:
    """Every inbox ``principal`` may read: their own, their department's (officers), their roles'."""
    inboxes = [user_inbox(principal.subject)]
    if principal.has(Role.officer) and principal.department:
        inboxes.append(department_inbox(principal.department))
    inboxes += [role_inbox(role) for role in (Role.supervisor, Role.admin) if principal.has(role)]
    return inboxes
