"""一套材料 / 免证办 / 容缺受理 / 告知承诺: how each material of a matter is satisfied."""

from acceptance_testing import newborn_form, newborn_matter
from onematter_acceptance.domain.materials import HeldLicence, ownership_errors, resolve_materials

ALL = {"id_card": "m1", "marriage_cert": "m2", "birth_medical_cert": "m3", "hukou_book": "m4", "photo": "m5"}


def _resolve(matter, provided, *, owned=None, licences=None, form=None):
    owned = owned if owned is not None else {v: k for k, v in provided.items()}
    return resolve_materials(
        matter=matter, provided=provided, owned=owned, licences=licences or {}, form=form or {}
    )


def test_a_missing_key_material_is_named():
    provided = {k: v for k, v in ALL.items() if k != "marriage_cert"}

    result = _resolve(newborn_matter(), provided)

    assert result.errors == [
        {"field": "materials.marriage_cert", "message": "key material marriage_cert (结婚证) is missing"}
    ]


def test_a_material_of_someone_else_is_refused():
    result = _resolve(newborn_matter(), ALL, owned={v: k for k, v in ALL.items() if k != "photo"})

    assert [e["field"] for e in result.errors] == ["materials.photo"]


def test_a_material_the_matter_does_not_ask_for_is_refused():
    result = _resolve(newborn_matter(), {**ALL, "diploma": "m9"})

    assert result.errors == [{"field": "materials.diploma", "message": "is not a material of this matter"}]


def test_a_licence_already_held_satisfies_a_material_without_upload_and_shows_the_officer_its_number():
    provided = {k: v for k, v in ALL.items() if k != "id_card"}
    held = HeldLicence(id="lic-1", licence_type="id_card", number="N-1", verification_code="V-1")

    result = _resolve(newborn_matter(), provided, licences={"id_card": held})

    assert result.errors == []
    ref = result.refs["id_card"]
    assert (ref.licence_id, ref.licence_number, ref.licence_verification_code) == ("lic-1", "N-1", "V-1")


def test_a_deferrable_material_is_accepted_missing_under_rongque():
    provided = {k: v for k, v in ALL.items() if k != "photo"}

    result = _resolve(newborn_matter(deferrable=frozenset({"photo"})), provided)

    assert result.errors == [] and result.deferred == ["photo"]
    assert result.refs["photo"].deferred


def test_a_signed_commitment_replaces_a_material():
    matter = newborn_matter(commitment=frozenset({"photo"}))
    provided = {k: v for k, v in ALL.items() if k != "photo"}

    result = _resolve(matter, provided, form=newborn_form(commitment_photo=True))

    assert result.errors == [] and result.refs["photo"].by_commitment


def test_an_unsigned_commitment_does_not_replace_the_material():
    matter = newborn_matter(commitment=frozenset({"photo"}))
    provided = {k: v for k, v in ALL.items() if k != "photo"}

    result = _resolve(matter, provided, form=newborn_form(commitment_photo=False))

    assert [e["field"] for e in result.errors] == ["materials.photo"]


def test_the_catalogs_commitment_signed_field_signs_the_commitment():
    matter = newborn_matter(commitment=frozenset({"photo"}))
    provided = {k: v for k, v in ALL.items() if k != "photo"}

    result = _resolve(matter, provided, form={"commitment_signed": True})

    assert result.errors == [] and result.refs["photo"].by_commitment


def test_a_supplied_material_must_be_the_applicants_of_that_type():
    errors = ownership_errors({"hukou_book": "m4", "photo": "m5"}, {"m4": "hukou_book", "m5": "id_card"})

    assert errors == [
        {"field": "materials.photo", "message": "material m5 is not one of your photo materials"}
    ]
