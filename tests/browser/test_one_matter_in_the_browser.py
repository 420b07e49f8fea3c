"""新生儿出生一件事 in real browsers: zhangsan applies in the portal, five officers approve in the
workbench (each in their own browser), zhangsan's open page turns "completed" over SSE without a reload,
and zhangsan rates the service. Screenshots of every page go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

MATTER = "newborn-birth"
DEPARTMENTS = ["nhc", "ndcpa", "mps", "nhsa", "mohrss"]


def _wait_until_acceptance_knows(client, matter: str) -> None:  # type: ignore[no-untyped-def]
    """The catalog publishes the seed over Kafka; acceptance takes applications once its copy arrived."""
    deadline = time.monotonic() + 60
    while client.get("/api/v1/applications/prefill", params={"matter_code": matter}).status_code != 200:
        assert time.monotonic() < deadline, "acceptance never received the matter"
        time.sleep(0.5)


def _fill_form(page: Page, schema: dict) -> None:  # type: ignore[type-arg]
    for name, prop in schema["properties"].items():
        if not prop.get("examples"):
            continue
        control = page.locator(f"#f-{name}")
        if prop.get("enum"):
            control.select_option(prop["examples"][0])
        else:
            control.fill(str(prop["examples"][0]))


def _apply(portal, page: Page, matter: dict, pdf, shot) -> str:  # type: ignore[no-untyped-def,type-arg]
    """Guide → form (schema validation shown) → materials uploaded → submitted; the acceptance number."""
    page.get_by_role("link", name="新生儿出生一件事").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("新生儿出生一件事")
    shot(page, "02-matter-guide")
    page.locator("main").get_by_role("link", name="在线申请").click()
    expect(page.locator("#f-applicant_name")).to_be_visible()

    page.click("#submit-application")  # empty: the schema's `required` speaks first, in the browser
    expect(page.locator("#f-applicant_name-err")).to_have_text("此项为必填项")
    page.fill("#f-contact_phone", "12345")
    page.locator("#f-contact_phone").blur()
    expect(page.locator("#f-contact_phone-err")).to_have_text("格式不正确")
    expect(page.locator("#f-contact_phone")).to_have_attribute("aria-invalid", "true")
    shot(page, "03-form-validation")

    _fill_form(page, matter["form_schema"])
    for material in matter["materials"]:
        kind = material["material_type"]
        page.set_input_files(f"#mat-{kind}", files=[pdf(kind)])
        expect(page.locator(f"#mat-{kind}-status")).to_contain_text("已上传")
    shot(page, "04-form-and-materials")
    page.click("#submit-application")
    expect(page).to_have_url(re.compile(r"#/applications/YJS-\d{8}-\d{6}$"))
    return page.url.rsplit("/", 1)[1]


def _approve_in_workbench(portal, department: str, number: str, shot, first: bool) -> None:  # type: ignore[no-untyped-def]
    officer = portal.open(f"officer-{department}")
    expect(officer.get_by_role("heading", name="部门待办任务")).to_be_visible()
    link = officer.locator(f'a[data-number="{number}"]')
    expect(link).to_be_visible()
    if first:
        # the queue counts what is left in working days on the legal clock, not calendar days
        expect(officer.locator("main table")).to_contain_text("个工作日")
        shot(officer, "07-workbench-queue")
    link.click()
    expect(officer.locator("#approve")).to_be_visible()
    if first:
        with officer.expect_download():  # reading a material is logged for zhangsan to see
            officer.locator("main").get_by_role("button", name="查看").first.click()
        shot(officer, "08-workbench-task")
    officer.click("#approve")
    expect(officer.locator("#task-status")).to_have_text("已通过")
    officer.context.close()


def test_zhangsan_gets_a_newborn_registered_and_sees_it_completed_live_in_the_browser(
    portal,
    api_as,
    pdf,
    shot,  # type: ignore[no-untyped-def]
) -> None:
    zhangsan_api = api_as("zhangsan")
    matter = api_as().get(f"/api/v1/matters/{MATTER}").json()
    _wait_until_acceptance_knows(zhangsan_api, MATTER)

    page = portal.open("zhangsan")
    expect(page.get_by_role("heading", level=1)).to_have_text("个人办事：按人生阶段")
    expect(page.locator(f'[data-matter="{MATTER}"]')).to_be_visible()
    shot(page, "01-portal-home")
    number = _apply(portal, page, matter, pdf, shot)

    expect(page.locator("#application")).to_have_attribute("data-status", "in_progress")
    expect(page.locator("#application tbody tr")).to_have_count(5)
    expect(page.locator("body")).to_have_attribute("data-stream", "open")
    page.evaluate("window.__notReloaded = true")  # gone if the page reloads or navigates
    shot(page, "05-application-progress")

    for index, department in enumerate(DEPARTMENTS):
        _approve_in_workbench(portal, department, number, shot, first=index == 0)

    # SSE, not a reload: the same document shows 已办结 once application.completed reaches the inbox.
    expect(page.locator("#application")).to_have_attribute("data-status", "completed", timeout=45_000)
    expect(page.locator("#application-status")).to_have_text("已办结")
    assert page.evaluate("window.__notReloaded") is True
    shot(page, "09-application-completed")

    page.get_by_label("非常满意").check()
    page.fill("#review-comment", "一次办好，不用跑腿")
    page.click("#send-review")
    expect(page.locator("#review")).to_contain_text("感谢评价：非常满意")
    shot(page, "10-review")

    portal.goto(page, "/inbox")
    expect(page.locator("#inbox article").first).to_be_visible()
    shot(page, "11-inbox")
    portal.goto(page, "/access-log")
    expect(page.locator("main tbody tr").first).to_contain_text("nhc")
    shot(page, "12-access-log")
    portal.goto(page, "/")
    expect(page.get_by_role("heading", name="我的电子证照")).to_be_visible()
    expect(page.locator("main")).to_contain_text("出生医学证明")  # 免证办: the approval issued it

    phone = portal.open("zhangsan", viewport={"width": 375, "height": 812})
    expect(phone.locator(f'[data-matter="{MATTER}"]')).to_be_visible()
    shot(phone, "17-phone-home", full_page=False)
    portal.goto(phone, f"/applications/{number}")
    expect(phone.locator("#application")).to_have_attribute("data-status", "completed")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the application page scrolls sideways on a phone ({width}px)"
    shot(phone, "18-phone-application")

    supervisor = portal.open("supervisor")
    expect(supervisor.get_by_role("heading", level=1)).to_have_text("效能监督")
    # zhangsan's application is completed, so the charts have something to draw.
    expect(supervisor.locator("svg.chart").first).to_be_visible()
    expect(supervisor.locator("#stats-matters table")).to_contain_text("新生儿出生一件事")
    shot(supervisor, "16-supervisor-dashboard")

    review = zhangsan_api.get(f"/api/v1/applications/{number}").json()
    assert review["status"] == "completed" and review["channel"] == "online"
    assert portal.off_api() == []
    assert portal.errors == []
