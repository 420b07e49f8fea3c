from onematter_hotline.domain.knowledge import guide_text

MATTER = {
    "name_zh": "新生儿出生一件事",
    "name_en": "Birth of a newborn",
    "committed_days": 5,
    "items": [
        {
            "name_zh": "出生医学证明",
            "department": "nhc",
            "department_name_zh": "卫生健康委",
            "committed_days": 1,
            "conditions": ["在本市医院出生"],
        },
    ],
    "materials": [{"name_zh": "居民身份证"}, {"name_zh": "结婚证"}],
}


def test_a_guide_becomes_a_title_and_a_body_with_items_conditions_and_materials():
    title, body = guide_text(MATTER)
    assert title == "新生儿出生一件事"
    assert body.splitlines() == [
        "新生儿出生一件事（Birth of a newborn）：承诺5个工作日办结。",
        "出生医学证明（卫生健康委，承诺1个工作日）：条件 在本市医院出生。",
        "所需材料：居民身份证、结婚证。",
    ]
