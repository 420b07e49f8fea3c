"""The window-clerk console (帮办代办 + a printable receipt), the supervisor dashboard, the English switch,
and the rule that the pages call nothing but the gateway's public API."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

MATTER = "newborn-birth"
KEY_MATERIALS = ["id_card", "marriage_cert", "birth_medical_cert", "hukou_book"]


def test_a_window_clerk_submits_for_lisi_and_prints_the_acceptance_receipt(portal, api_as, pdf, shot) -> None:  # type: ignore[no-untyped-def]
    lisi = api_as("lisi")
    matter = api_as().get(f"/api/v1/matters/{MATTER}").json()

    page = portal.open("clerk01")
    expect(page.get_by_role("heading", level=1)).to_have_text("窗口受理（帮办代办）")
    page.fill("#clerk-applicant", "lisi")
    page.select_option("#clerk-matter", MATTER)
    # 帮办代办 only under lisi's delegation (issue 16): the code goes to lisi's inbox, never to this page
    expect(page.locator("#clerk-delegation")).to_be_visible()
    seen = _codes(lisi)
    page.click("#clerk-send-code")
    expect(page.locator("#clerk-code")).to_be_visible()
    page.fill("#clerk-code", _new_code(lisi, seen))
    page.click("#clerk-confirm")
    expect(page.locator("#c-applicant_name")).to_be_visible()
    page.click("#clerk-submit")  # nothing filled: the schema's messages, before any request
    expect(page.locator("#c-newborn_name-err")).to_have_text("此项为必填项")
    for name, prop in matter["form_schema"]["properties"].items():
        value = "李四" if name == "applicant_name" else prop["examples"][0]
        if prop.get("enum"):
            page.select_option(f"#c-{name}", value)
        else:
            page.fill(f"#c-{name}", str(value))
    for kind in KEY_MATERIALS:  # scanned at the counter into lisi's locker (帮办代办)
        page.set_input_files(f"#cm-{kind}", pdf(kind))
        expect(page.locator(f"#cm-{kind}-status")).to_contain_text("已上传")
    shot(page, "13-clerk-console")
    page.click("#clerk-submit")
    number = page.locator("#acceptance-number")
    expect(number).to_have_text(re.compile(r"^YJS-\d{8}-\d{6}$"))
    shot(page, "14-clerk-receipt")
    page.emulate_media(media="print")
    page.evaluate("document.body.classList.add('printing-receipt')")
    expect(page.locator("#clerk-submit")).to_be_hidden()
    shot(page, "15-clerk-receipt-print")

    mine = lisi.get(f"/api/v1/applications/{number.inner_text()}").json()
    assert (mine["applicant_id"], mine["submitted_by"], mine["channel"]) == ("lisi", "clerk01", "window")
    locker = lisi.get("/api/v1/materials", params={"limit": 100}).json()["items"]
    assert set(KEY_MATERIALS) <= {m["material_type"] for m in locker}  # the scans are lisi's, not the clerk's
    assert portal.off_api() == []
    for delegation in lisi.get("/api/v1/delegations").json():  # lisi ends what she granted
        lisi.post(f"/api/v1/delegations/{delegation['id']}/revoke")


def _codes(applicant) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The applicant's one-time-code messages: id → body."""
    items = applicant.get("/api/v1/notifications", params={"limit": 50}).json()["items"]
    return {m["id"]: m["body"] for m in items if m["kind"] == "delegation.code-issued"}


def _new_code(applicant, seen: dict[str, str], timeout: float = 60) -> str:  # type: ignore[no-untyped-def]
    """Wait (polling, bounded) for a new code message in the applicant's inbox; its six digits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        fresh = [body for key, body in _codes(applicant).items() if key not in seen]
        found = re.search(r"(?<!\d)(\d{6})(?!\d)", fresh[0]) if fresh else None
        if found:
            return found.group(1)
        time.sleep(0.3)
    raise AssertionError("no one-time code reached the applicant's inbox")


def test_the_supervisor_dashboard_lists_every_matter_and_department(portal) -> None:  # type: ignore[no-untyped-def]
    page = portal.open("supervisor")
    expect(page.get_by_role("heading", level=1)).to_have_text("效能监督")
    expect(page.locator("#rectifications")).to_be_visible()
    expect(page.locator("#stats-departments table")).to_be_visible()
    expect(page.get_by_text("统计接口暂不可用")).to_have_count(0)
    expect(page.locator("#stats-matters table")).to_contain_text("新生儿出生一件事")
    assert portal.off_api() == []


def test_every_page_calls_only_the_gateways_public_api(portal, shot) -> None:  # type: ignore[no-untyped-def]
    routes = {
        "zhangsan": ["/", f"/matters/{MATTER}", f"/apply/{MATTER}", "/applications", "/inbox", "/access-log"],
        "acme-corp": ["/"],
        "clerk01": ["/clerk"],
        "officer-nhc": ["/tasks"],
        "supervisor": ["/dashboard"],
    }
    for username, paths in routes.items():
        page = portal.open(username)
        for path in paths:
            portal.goto(page, path)
            expect(page.locator("main h1")).to_be_visible()
            expect(page.get_by_text("正在加载…")).to_have_count(0)
        page.context.close()
    english = portal.open("acme-corp")
    english.click("#lang-switch")
    expect(english.get_by_role("heading", level=1)).to_have_text("For businesses: by business stage")
    expect(english.locator("html")).to_have_attribute("lang", "en")
    expect(english.locator('[data-matter="open-restaurant"] h2')).to_have_text("Opening a restaurant")
    shot(english, "19-english-enterprise-home")

    assert portal.requests, "no request was recorded"
    assert portal.off_api() == [], "pages called something other than the gateway's public API"
    assert portal.errors == [], "script errors or CSP violations"


def test_the_api_docs_render_every_public_operation_without_leaving_the_gateway(portal, shot) -> None:  # type: ignore[no-untyped-def]
    page = portal.open(None)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{portal.base_url}/docs")
    expect(page.locator(".opblock").first).to_be_visible(timeout=20_000)
    assert page.locator(".opblock").count() > 40  # every public operation of every service
    assert page.get_by_text("/api/v1/applications", exact=True).first.is_visible()
    shot(page, "21-api-docs")
    assert all(url.startswith(portal.base_url) for url in requested), requested
