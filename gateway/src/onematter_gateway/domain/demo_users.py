"""Demo users of the development identity provider (password ``demo``; development mode only)."""

from __future__ import annotations

import re

from onematter_kit.identity import Principal, Role

__all__ = ["DEMO_PASSWORD", "OFFICER_PREFIX", "demo_user", "fixed_demo_users"]

DEMO_PASSWORD = "demo"  # noqa: S105 — documented demo credential, refused outside development
OFFICER_PREFIX = "officer-"
_DEPARTMENT = re.compile(r"^[a-z][a-z0-9-]{1,31}$")


def fixed_demo_users() -> dict[str, Principal]:
    return {
        "zhangsan": Principal(
            subject="zhangsan",
            roles=frozenset({Role.applicant}),
            name="张三",
            applicant_kind="individual",
            email="zhangsan@example.cn",
        ),
        "lisi": Principal(
            subject="lisi",
            roles=frozenset({Role.applicant}),
            name="李四",
            applicant_kind="individual",
            email="lisi@example.cn",
        ),
        "acme-corp": Principal(
            subject="acme-corp",
            roles=frozenset({Role.applicant}),
            name="示例科技有限公司",
            applicant_kind="enterprise",
            email="office@acme.example.cn",
        ),
        # 王五 logs in as himself; the identity provider asserts that he is acme-corp's 法定代表人 (as an
        # 电子营业执照 / 法人一证通 login does), so he acts for it and grants its delegations.
        "wangwu": Principal(
            subject="wangwu",
            roles=frozenset({Role.applicant}),
            name="王五",
            applicant_kind="individual",
            legal_representative_of="acme-corp",
            email="wangwu@acme.example.cn",
        ),
        # 赵六 is bound to nothing: he acts for acme-corp only as its 经办人, under a delegation 王五 grants.
        "zhaoliu": Principal(
            subject="zhaoliu",
            roles=frozenset({Role.applicant}),
            name="赵六",
            applicant_kind="individual",
            email="zhaoliu@example.cn",
        ),
        "clerk01": Principal(
            subject="clerk01",
            roles=frozenset({Role.clerk}),
            name="窗口一号",
            email="clerk01@onematter.example.cn",
        ),
        "supervisor": Principal(
            subject="supervisor",
            roles=frozenset({Role.supervisor}),
            name="效能督查",
            email="supervisor@onematter.example.cn",
        ),
        "admin": Principal(
            subject="admin",
            roles=frozenset({Role.admin}),
            name="事项管理员",
            email="admin@onematter.example.cn",
        ),
    }


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
