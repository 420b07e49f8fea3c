"""Publishing needs every required implementation-list element; the check names each missing one."""

from __future__ import annotations

from onematter_catalog.domain.elements import missing_elements
from onematter_catalog.domain.model import MaterialRequirement

from ..builders import a_matter, an_item


def test_a_bare_item_misses_every_required_element_each_named_by_its_path() -> None:
    bare = an_item(
        complete=False, materials=[MaterialRequirement(material_type="premises_proof", form="copy")]
    )

    fields = {p["field"] for p in missing_elements(a_matter(an_item(), bare))}

    # The required elements of the 实施清单 / 办事指南, for the second item only (the first is complete).
    assert fields == {
        "items[1].legal_bases",
        "items[1].implementing_body",
        "items[1].service_objects",
        "items[1].conditions",
        "items[1].process",
        "items[1].place",
        "items[1].hours",
        "items[1].consultation",
        "items[1].complaint",
        "items[1].fee.basis",
        "items[1].materials[0].source",
        "items[1].materials[0].copies",
    }


def test_a_complete_item_with_an_electronic_material_from_data_sharing_misses_nothing() -> None:
    shared = MaterialRequirement(material_type="hukou_book", source="data_sharing")

    assert missing_elements(a_matter(an_item(materials=[shared]))) == []


def test_a_charged_item_needs_its_standard_and_steps_may_not_outrun_the_statutory_limit() -> None:
    charged = an_item(
        fee={"free": False, "basis": "《城市道路管理条例》第三十七条"},
        process=[{"name_zh": "审查", "working_days": 15}, {"name_zh": "决定", "working_days": 10}],
    )  # statutory 20 working days (the builder's), steps 25

    fields = [p["field"] for p in missing_elements(a_matter(charged))]

    assert fields == ["items[0].fee.standard", "items[0].process"]


def test_legal_bases_give_the_one_line_citation_when_the_draft_has_none() -> None:
    item = an_item(
        legal_bases=[
            {"law": "《中华人民共和国户口登记条例》", "article": "第七条"},
            {"law": "《居住证暂行条例》", "article": ""},
        ]
    )

    assert item.legal_basis == "《中华人民共和国户口登记条例》第七条；《居住证暂行条例》"
