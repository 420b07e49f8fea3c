"""Demo users of the development identity provider (password ``demo``; development mode only)."""

from __future__ import annotations

import re
from typing import Literal

from onematter_kit.identity import Principal, Role

__all__ = ["DEMO_PASSWORD", "OFFICER_PREFIX", "demo_user", "fixed_demo_users"]

DEMO_PASSWORD = "demo"  # noqa: S105 — documented demo credential, refused outside development
OFFICER_PREFIX = "officer-"
_DEPARTMENT = re.compile(r"^[a-z][a-z0-9-]{1,31}$")


def fixed_demo_users() -> dict[str, Principal]:
    """The fixed demo users by username: applicants (people and an enterprise), a clerk, oversight."""
    users = [
        _applicant("zhangsan", "张三", "zhangsan@example.cn"),
        _applicant("lisi", "李四", "lisi@example.cn"),
        _applicant("acme-corp", "示例科技有限公司", "office@acme.example.cn", kind="enterprise"),
        # 王五 logs in as himself; the identity provider asserts that he is acme-corp's 法定代表人 (as an
        # 电子营业执照 / 法人一证通 login does), so he acts for it and grants its delegations.
        _applicant("wangwu", "王五", "wangwu@acme.example.cn", legal_representative_of="acme-corp"),
        # 赵六 is bound to nothing: he acts for acme-corp only as its 经办人, under a delegation 王五 grants.
        _applicant("zhaoliu", "赵六", "zhaoliu@example.cn"),
        _staff("clerk01", Role.clerk, "窗口一号"),
        # Those who watch over the service rather than use or deliver it: efficiency supervision, the catalog.
        _staff("supervisor", Role.supervisor, "效能督查"),
        _staff("admin", Role.admin, "事项管理员"),
        # The 12345 hotline's seats: an operator taking calls, a dispatcher reviewing objections (退单).
        _staff("operator01", Role.hotline_operator, "话务员一号"),
        _staff("dispatcher01", Role.hotline_dispatcher, "派单员"),
    ]
    return {user.subject: user for user in users}


def _applicant(
    subject: str,
    name: str,
    email: str,
    *,
    kind: Literal["individual", "enterprise"] = "individual",
    legal_representative_of: str | None = None,
) -> Principal:
    return Principal(
        subject=subject,
        roles=frozenset({Role.applicant}),
        name=name,
        applicant_kind=kind,
        legal_representative_of=legal_representative_of,
        email=email,
    )


def _staff(subject: str, role: Role, name: str) -> Principal:
    return Principal(
        subject=subject, roles=frozenset({role}), name=name, email=f"{subject}@onematter.example.cn"
    )


def demo_user(username: str) -> Principal | None:
    """A fixed demo user, or ``officer-<department>`` (the caller checks that the department exists)."""
    fixed = fixed_demo_users().get(username)
    if fixed is not None:
        return fixed
    if username.startswith(OFFICER_PREFIX):
        department = username.removeprefix(OFFICER_PREFIX)
        if _DEPARTMENT.match(department):
            return Principal(
                subject=username,
                roles=frozenset({Role.officer}),
                department=department,
                name=f"{department} officer",
                email=f"{username}@onematter.example.cn",
            )
    return None
