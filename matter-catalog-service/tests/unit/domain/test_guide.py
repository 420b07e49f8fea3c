"""The one-time guide (一次告知) as JSON and as a printable page."""

from __future__ import annotations

from onematter_catalog.domain.guide import build_guide, render_guide_html
from onematter_catalog.domain.views import build_version

from ..builders import DEPARTMENTS, MATERIAL_TYPES, PUBLISHED_AT, seed_matter


def test_the_guide_shows_the_longest_item_as_the_committed_total_and_escapes_html() -> None:
    spec = seed_matter("newborn-birth").model_copy(update={"name_zh": "<script>新生儿</script>"})
    version = build_version(spec, version=1, material_types=MATERIAL_TYPES, published_at=PUBLISHED_AT)

    guide = build_guide(version, DEPARTMENTS)
    html = render_guide_html(guide)

    assert (guide["committed_days"], guide["sequential_days"]) == (10, 14)
    assert guide["fees"]["free"] and guide["lead_department"]["name_zh"] == "卫生健康委"
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "居民户口簿" in html


def test_the_guide_tells_each_items_supplement_term_and_its_consequence_before_anyone_applies() -> None:
    version = build_version(
        seed_matter("disability-services"),
        version=1,
        material_types=MATERIAL_TYPES,
        published_at=PUBLISHED_AT,
    )

    guide = build_guide(version, DEPARTMENTS)
    html = render_guide_html(guide)

    cdpf = next(i for i in guide["items"] if i["department"] == "cdpf")
    assert cdpf["supplement_term"] == {"working_days": 5, "consequence": "not_accepted", "basis": ""}
    assert cdpf["deferral_terms"]["photo"]["decide_before_arrival"] is False
    assert "5个工作日，逾期不予受理（按事项规定）" in html
