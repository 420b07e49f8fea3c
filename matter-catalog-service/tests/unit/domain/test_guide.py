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


def test_the_printed_guide_shows_fees_legal_bases_places_and_hours_and_no_item_codes() -> None:
    version = build_version(
        seed_matter("newborn-birth"), version=1, material_types=MATERIAL_TYPES, published_at=PUBLISHED_AT
    )

    html = render_guide_html(build_guide(version, DEPARTMENTS))

    # The legal bases as the seed cites them (the acts' articles, looked up), each item's fee basis, and
    # the demonstration place and hours.
    assert "《中华人民共和国母婴保健法》第二十三条" in html
    assert "《中华人民共和国户口登记条例》第七条" in html
    assert "《中华人民共和国疫苗管理法》第四十七条" in html
    assert "不收费。本事项未列入全国政府性基金和行政事业性收费目录清单" in html
    assert "本市政务服务中心综合受理窗口" in html and "9:00-12:00" in html
    assert "12345" in html and "常见问题" in html
    assert not [item.code for item in version.items if item.code in html]


def test_the_guide_for_answers_tells_the_situation_and_lists_only_what_applies() -> None:
    version = build_version(
        seed_matter("newborn-birth"), version=1, material_types=MATERIAL_TYPES, published_at=PUBLISHED_AT
    )
    answers = {"hukou_place": ["elsewhere"], "parents_married": ["yes"], "wants": []}

    html = render_guide_html(build_guide(version, DEPARTMENTS, answers))

    assert "您的情形" in html and "外省市（父母户籍均不在本市）" in html
    assert "出生登记和城乡居民医保参保请到户籍所在地办理" in html
    assert "出生医学证明" in html and "《中华人民共和国户口登记条例》第七条" not in html
