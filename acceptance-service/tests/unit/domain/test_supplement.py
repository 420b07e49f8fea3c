"""补正: several departments' requests merged, each material asked once."""

from onematter_acceptance.domain.supplement import Demand, merge_supplement, ready_to_resume


def test_supplement_requests_of_several_departments_ask_each_material_once():
    merged = merge_supplement({}, materials=["photo"], reason="照片模糊", department="mohrss", task_id="t1")
    merged = merge_supplement(
        merged, materials=["photo", "hukou_book"], reason="需原件", department="mps", task_id="t2"
    )

    assert list(merged) == ["photo", "hukou_book"]
    assert merged["photo"] == Demand(("照片模糊", "需原件"), ("mohrss", "mps"), ("t1", "t2"))


def test_the_same_request_twice_changes_nothing():
    once = merge_supplement({}, materials=["photo", "photo"], reason="r", department="d", task_id="t")

    assert merge_supplement(once, materials=["photo"], reason="r", department="d", task_id="t") == once


def test_a_waiting_task_resumes_once_nothing_it_asked_for_is_outstanding():
    assert ready_to_resume(["hukou_book"], {"photo"})
    assert not ready_to_resume(["photo"], {"photo"})
