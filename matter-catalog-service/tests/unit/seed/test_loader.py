"""The seed of the first-batch key matters derives sensible standard elements."""

from __future__ import annotations

from ..builders import SEED


def test_the_seed_has_thirteen_matters_five_of_them_for_individuals() -> None:
    assert len(SEED.matters) == 13
    assert sum(m.subject == "individual" for m in SEED.matters) == 5


def test_statutory_limits_are_never_shorter_than_the_committed_ones() -> None:
    items = [item for matter in SEED.matters for item in matter.items]

    assert all(item.statutory_days >= item.committed_days for item in items)
    assert all(item.fee.free and "online" in item.channels for item in items)


def test_the_photo_may_be_deferred_and_commitments_may_replace_their_material() -> None:
    requirements = {
        m.material_type: m for matter in SEED.matters for item in matter.items for m in item.materials
    }

    assert requirements["photo"].deferrable and not requirements["photo"].key
    assert requirements["fire_commitment"].commitment_allowed
    assert requirements["credit_commitment"].commitment_allowed
    assert not requirements["hukou_book"].deferrable and requirements["hukou_book"].form == "electronic"


def test_items_get_form_fields_by_subject_material_and_item() -> None:
    restaurant = next(m for m in SEED.matters if m.code == "open-restaurant")
    fields = {item.code: [f.name for f in item.form_fields] for item in restaurant.items}

    assert "credit_code" in fields["samr-food-licence"]  # enterprise subject
    assert "premises_address" in fields["samr-food-licence"]  # needs premises_proof
    assert "commitment_signed" in fields["fire-preopening-check"]  # a commitment may replace a material
    assert "id_number" not in fields["samr-food-licence"]
