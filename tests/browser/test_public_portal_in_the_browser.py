"""The public portal for anonymous visitors (issue 17, item 1): browse key matters by life stage (个人) and
business stage (法人), search them, read a matter's one-time guide (一次告知) and print it, deep links, and a
phone-width screen — all from public API routes, so no page gets a 401.

Expected names come from the State Council's first batch of key matters (国发〔2024〕3号, 附件: 第一批重点事项
清单) and its departments, as written here by hand, not from the catalog under test.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

NEWBORN = ("newborn-birth", "新生儿出生一件事")
RESTAURANT = ("open-restaurant", "开办餐饮店一件事")
#: The lead department of 新生儿出生一件事 (the health commission issues the medical birth certificate).
NEWBORN_LEAD = "卫生健康委"


def _anonymous(portal, route: str = "/", **options) -> Page:  # type: ignore[no-untyped-def]
    page = portal.open(None, **options)
    portal.goto(page, route)
    return page


def _header_is_anonymous(page: Page) -> None:
    expect(page.locator("#login")).to_be_visible()
    expect(page.locator("#login")).to_have_text("登录")
    expect(page.locator("#logout")).to_be_hidden()
    expect(page.locator(".site-header").get_by_role("button", name="退出")).to_have_count(0)


def test_an_anonymous_visitor_browses_matters_by_life_and_business_stage(portal, shot) -> None:  # type: ignore[no-untyped-def]
    page = _anonymous(portal)
    expect(page.get_by_role("heading", level=1)).to_have_text("选择要办的一件事")
    _header_is_anonymous(page)
    expect(page.locator(f'[data-matter="{NEWBORN[0]}"]')).to_contain_text(NEWBORN[1])
    # 个人 first: no enterprise matters
    expect(page.locator(f'[data-matter="{RESTAURANT[0]}"]')).to_have_count(0)
    shot(page, "portal-01-anonymous-home")

    page.locator('[data-subject="enterprise"]').click()
    expect(page.locator(f'[data-matter="{RESTAURANT[0]}"]')).to_contain_text(RESTAURANT[1])
    expect(page.locator(f'[data-matter="{NEWBORN[0]}"]')).to_have_count(0)
    page.locator('[data-stage="establishment"]').click()  # the business stage of opening a business
    expect(page.locator('[data-stage="establishment"]')).to_have_attribute("aria-pressed", "true")
    expect(page.locator(f'[data-matter="{RESTAURANT[0]}"]')).to_be_visible()
    expect(page.locator('[data-matter="enterprise-info-change"]')).to_have_count(0)  # 经营, not 开办
    shot(page, "portal-02-business-stage")

    # The shown stage names and card labels are words, never the codes the API uses.
    shown = page.locator("main").inner_text()
    assert not re.search(r"\b(establishment|individual|enterprise|stage\.)\b", shown)
    assert portal.refused() == [] and portal.off_api() == [] and portal.errors == []


def test_an_anonymous_visitor_finds_a_matter_by_searching(portal, shot) -> None:  # type: ignore[no-untyped-def]
    page = _anonymous(portal)
    page.locator('[data-subject="enterprise"]').click()  # a search looks beyond the chosen kind
    page.fill("#matter-search", "出生")
    expect(page.locator(f'[data-matter="{NEWBORN[0]}"]')).to_be_visible()
    expect(page.locator("#matter-count")).to_have_text(re.compile(r"共 \d+ 件"))
    expect(page.locator(f'[data-matter="{RESTAURANT[0]}"]')).to_have_count(0)
    shot(page, "portal-03-search")
    page.fill("#matter-search", "餐饮")
    expect(page.locator(f'[data-matter="{RESTAURANT[0]}"]')).to_be_visible()
    expect(page.locator(f'[data-matter="{NEWBORN[0]}"]')).to_have_count(0)
    assert portal.refused() == [] and portal.errors == []


def test_an_anonymous_visitor_reads_the_one_time_guide_and_prints_it(portal, shot) -> None:  # type: ignore[no-untyped-def]
    page = _anonymous(portal)
    page.locator(f'[data-matter="{NEWBORN[0]}"]').get_by_role("link", name="办事指南").click()
    expect(page).to_have_url(re.compile(rf"#/matters/{NEWBORN[0]}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(NEWBORN[1])
    _header_is_anonymous(page)
    where = page.locator("#where-and-how")
    expect(where).to_contain_text("网上办")
    expect(where).to_contain_text(NEWBORN_LEAD)
    expect(page.locator("main")).to_contain_text("出生医学证明")  # a material, by its name
    expect(page.locator("#start-application")).to_have_text("登录后在线申请")
    shot(page, "portal-04-guide")

    page.emulate_media(media="print")  # print.css: the guide alone, no header, buttons or links to click
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator("#print-guide")).to_be_hidden()
    expect(page.locator("#start-application")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    shot(page, "portal-05-guide-printed")
    assert portal.refused() == [] and portal.off_api() == [] and portal.errors == []


def test_a_deep_link_to_a_guide_works_anonymously_and_logged_in(portal, shot) -> None:  # type: ignore[no-untyped-def]
    route = f"/matters/{RESTAURANT[0]}"
    anonymous = _anonymous(portal, route)
    expect(anonymous.get_by_role("heading", level=1)).to_have_text(RESTAURANT[1])
    expect(anonymous).to_have_url(re.compile(f"#{route}$"))  # no detour through the login
    shot(anonymous, "portal-06-deep-link-anonymous")

    applicant = portal.open("acme-corp")
    portal.goto(applicant, route)
    expect(applicant.get_by_role("heading", level=1)).to_have_text(RESTAURANT[1])
    expect(applicant.locator("#start-application")).to_have_text("在线申请")
    expect(applicant.locator("#login")).to_be_hidden()
    shot(applicant, "portal-07-deep-link-logged-in")
    assert portal.refused() == [] and portal.errors == []


def test_the_portal_pages_fit_a_phone_screen(portal, shot) -> None:  # type: ignore[no-untyped-def]
    page = _anonymous(portal, viewport={"width": 375, "height": 812})
    for route, heading, name in [
        ("/", "选择要办的一件事", "portal-08-phone-home"),
        (f"/matters/{NEWBORN[0]}", NEWBORN[1], "portal-09-phone-guide"),
        ("/login", "登录", "portal-10-phone-login"),
    ]:
        portal.goto(page, route)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(page.locator("#login")).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{route} scrolls sideways on a phone ({width}px)"
        shot(page, name, full_page=False)
    assert portal.refused() == [] and portal.errors == []
