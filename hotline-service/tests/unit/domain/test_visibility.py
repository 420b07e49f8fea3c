from datetime import date

from hotline_builders import a_request
from onematter_hotline.domain.model import Caller
from onematter_hotline.domain.visibility import view_for


def _dispatched():
    request = a_request(caller=Caller(name="李四", phone="13812345678", subject="lisi"))
    request.dispatch("mot", due_on=date(2026, 12, 15))
    return request


def test_staff_see_the_caller():
    assert (
        view_for(_dispatched(), staff=True, office=None, subject="operator01").caller.phone == "13812345678"
    )


def test_the_office_sees_the_caller_masked_and_others_nothing():
    request = _dispatched()
    assert view_for(request, staff=False, office="mot", subject="officer-mot").caller.name == "李*"
    assert view_for(request, staff=False, office="samr", subject="officer-samr") is None


def test_the_caller_sees_their_own_request_only():
    request = _dispatched()
    assert view_for(request, staff=False, office=None, subject="lisi") is request
    assert view_for(request, staff=False, office=None, subject="zhangsan") is None
