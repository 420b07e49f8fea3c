"""Logging in from the public portal and coming back (issue 17, item 1): starting an application asks for a
login and then returns; an expired, unreadable or refused token leads back to the login and then to the page;
`next` only ever names a route of this page (no open redirect), and no visit makes the URL grow. The 告知承诺
box is never pre-ticked, and submitting without it says so.
"""

from __future__ import annotations

import base64
import json
import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

GUIDE = "/matters/newborn-birth"
RESTAURANT = "open-restaurant"
#: Private pages of the reference front-end: an anonymous visit must not call their APIs at all.
PRIVATE = ["/applications", "/inbox", "/access-log", "/clerk", "/tasks", "/dashboard", "/apply/newborn-birth"]


def _login_url(next_route: str) -> re.Pattern[str]:
    encoded = next_route.replace("/", "%2F")
    return re.compile(rf"#/login\?next={re.escape(encoded)}$")


def _token(claims: dict) -> str:  # type: ignore[type-arg]
    """An unsigned JWT with these claims (the page reads claims; only the gateway checks signatures)."""

    def part(value: dict) -> str:  # type: ignore[type-arg]
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    return f"{part({'alg': 'RS256', 'typ': 'JWT'})}.{part(claims)}.c2lnbmF0dXJl"


def _store_token(page: Page, token: str) -> None:
    page.evaluate("(token) => sessionStorage.setItem('om.token', token)", token)


def test_starting_an_application_asks_for_a_login_and_comes_back_to_it(portal, shot) -> None:  # type: ignore[no-untyped-def]
    page = portal.open(None)
    portal.goto(page, GUIDE)
    page.click("#start-application")
    expect(page).to_have_url(_login_url("/apply/newborn-birth"))
    expect(page.get_by_role("heading", level=1)).to_have_text("登录")
    shot(page, "login-01-asked-to-log-in")
    portal.login(page, "zhangsan")
    expect(page).to_have_url(re.compile(r"#/apply/newborn-birth$"))
    expect(page.locator("#f-applicant_name")).to_be_visible()
    shot(page, "login-02-back-at-the-application")

    other = portal.open(None)  # the header's 登录 comes back to the page it was clicked on
    portal.goto(other, GUIDE)
    other.click("#login")
    expect(other).to_have_url(_login_url(GUIDE))
    portal.login(other, "zhangsan")
    expect(other).to_have_url(re.compile(f"#{GUIDE}$"))
    expect(other.get_by_role("heading", level=1)).to_have_text("新生儿出生一件事")
    other.click("#logout")  # back to the public portal, which shows 登录 again
    expect(other).to_have_url(f"{portal.base_url}/#/")
    expect(other.get_by_role("heading", level=1)).to_have_text("选择要办的一件事")
    expect(other.locator("#login")).to_be_visible()
    assert portal.refused() == [] and portal.errors == []


def test_an_anonymous_visit_to_a_private_page_goes_to_the_login_without_calling_its_api(portal) -> None:  # type: ignore[no-untyped-def]
    page = portal.open(None)
    for route in PRIVATE:
        for _ in range(2):  # a second visit must not nest another next= into the URL
            portal.goto(page, route)
            expect(page).to_have_url(_login_url(route))
            expect(page.locator("#login-user")).to_be_visible()
    assert portal.refused() == []
    assert not [url for url in portal.requests if "/api/v1/" in url]  # the login page needs no API at all


def test_an_expired_token_goes_to_the_login_and_then_back_to_the_page(portal, shot) -> None:  # type: ignore[no-untyped-def]
    page = portal.open(None)
    _store_token(page, _token({"sub": "zhangsan", "roles": ["applicant"], "exp": 1_000_000_000}))  # 2001
    portal.goto(page, "/applications")
    expect(page).to_have_url(_login_url("/applications"))
    expect(page.locator("#toasts")).to_contain_text("登录已过期")
    assert page.evaluate("sessionStorage.getItem('om.token')") is None
    shot(page, "login-03-expired-token")
    portal.login(page, "zhangsan")
    expect(page).to_have_url(re.compile(r"#/applications$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("我的办件")

    unreadable = portal.open(None)  # a deep link to a guide with garbage in storage
    _store_token(unreadable, "not-a-token")
    portal.goto(unreadable, GUIDE)
    expect(unreadable).to_have_url(_login_url(GUIDE))
    portal.login(unreadable, "zhangsan")
    expect(unreadable.get_by_role("heading", level=1)).to_have_text("新生儿出生一件事")
    assert portal.refused() == [] and portal.errors == []


def test_a_token_the_gateway_refuses_goes_to_the_login_and_then_back(portal) -> None:  # type: ignore[no-untyped-def]
    page = portal.open(None)
    forged = _token({"sub": "zhangsan", "roles": ["applicant"], "kind": "individual", "exp": 4_102_444_800})
    _store_token(page, forged)  # readable and unexpired (2100), but not signed by the identity provider
    portal.goto(page, "/applications")
    expect(page).to_have_url(_login_url("/applications"))
    expect(page.locator("#logout")).to_be_hidden()
    portal.login(page, "zhangsan")
    expect(page.get_by_role("heading", level=1)).to_have_text("我的办件")
    # The only refusal is the forged token's, and the page asked nothing else with it.
    assert {status for status, _ in portal.refused()} == {401}


#: Not routes of this page: another site (scheme-relative, absolute, backslash), script, or the login itself.
HOSTILE = [
    "//evil.example/x",
    "https://evil.example/",
    "javascript:alert(1)",
    "/login?next=/inbox",
    r"/\evil.example",
]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_after_the_login_a_hostile_next_lands_on_the_portal_home(portal, hostile: str) -> None:  # type: ignore[no-untyped-def]
    page = portal.open(None)
    page.goto(f"{portal.base_url}/#/login?next={hostile.replace('/', '%2F')}")
    portal.login(page, "zhangsan")
    expect(page).to_have_url(f"{portal.base_url}/#/")
    expect(page.get_by_role("heading", level=1)).to_have_text("个人办事：按人生阶段")
    assert portal.refused() == [] and portal.errors == []


def _fill_required(page: Page, schema: dict) -> None:  # type: ignore[type-arg]
    for name, prop in schema["properties"].items():
        if prop.get("type") == "boolean" or not prop.get("examples"):
            continue
        control = page.locator(f"#f-{name}")
        if prop.get("enum"):
            control.select_option(prop["examples"][0])
        else:
            control.fill(str(prop["examples"][0]))


def test_the_commitment_box_is_never_ticked_for_the_applicant(portal, api_as, shot) -> None:  # type: ignore[no-untyped-def]
    matter = api_as().get(f"/api/v1/matters/{RESTAURANT}").json()
    page = portal.open("acme-corp")
    # As if an earlier case had signed it: the prefill offers the tick, and the page must not take it.
    earlier = {"values": {"commitment_signed": True}, "sources": {"commitment_signed": "application"}}
    page.route("**/api/v1/applications/prefill*", lambda route: route.fulfill(json=earlier))
    portal.goto(page, f"/apply/{RESTAURANT}")
    box = page.locator("#f-commitment_signed")
    expect(box).to_be_visible()
    expect(box).not_to_be_checked()
    _fill_required(page, matter["form_schema"])
    page.click("#submit-application")
    expect(page.locator("#submit-feedback")).to_contain_text("告知承诺书")
    expect(page.locator("#submit-feedback")).to_contain_text("消防安全承诺书")  # the material, by its name
    expect(page.locator("#f-commitment_signed-err")).to_contain_text("本人勾选")
    expect(page).to_have_url(re.compile(rf"#/apply/{RESTAURANT}$"))  # nothing was submitted
    shot(page, "login-04-commitment-unticked")
    box.check()
    expect(page.locator("#f-commitment_signed-err")).to_have_text("")
    assert not [url for url in portal.requests if url.endswith("/api/v1/applications")]
    assert portal.refused() == [] and portal.errors == []
