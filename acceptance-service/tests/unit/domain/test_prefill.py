"""减填 / 免提交: known form values and which materials are already covered."""

from acceptance_testing import newborn_matter
from onematter_acceptance.domain.materials import HeldLicence
from onematter_acceptance.domain.prefill import coverage, known_values, reuse_candidates
from onematter_events.applications import MaterialReference as Ref

HUKOU = HeldLicence(id="lic-1", licence_type="hukou_book", number="H-1")


def test_the_newest_earlier_form_wins_and_only_the_matters_fields_are_known():
    matter = newborn_matter()
    forms = [{"mother_name": "李梅", "nickname": "x"}, {"mother_name": "李梅梅"}]

    values, sources = known_values(matter, forms, [])

    assert values == {"mother_name": "李梅梅"} and sources == {"mother_name": "earlier_application"}


def test_an_earlier_material_is_offered_unless_a_licence_covers_its_type():
    matter = newborn_matter()
    earlier = [
        {"id_card": Ref(material_type="id_card", material_id="m-1")},
        {
            "id_card": Ref(material_type="id_card", material_id="m-2"),
            "hukou_book": Ref(material_type="hukou_book", material_id="m-3"),
        },
    ]

    candidates = reuse_candidates(matter, earlier, {"hukou_book": HUKOU})

    assert candidates == {"id_card": "m-2"}


def test_coverage_lists_every_material_in_the_guides_order():
    matter = newborn_matter()

    entries = coverage(matter, {"hukou_book": HUKOU}, {"id_card": "m-2"})

    assert [e.material.material_type for e in entries] == [m.material_type for m in matter.materials]
    by_type = {e.material.material_type: e for e in entries}
    assert (by_type["hukou_book"].covered_by, by_type["hukou_book"].licence) == ("licence", HUKOU)
    assert (by_type["id_card"].covered_by, by_type["id_card"].material_id) == ("earlier_material", "m-2")
    assert by_type["photo"].covered_by is None
