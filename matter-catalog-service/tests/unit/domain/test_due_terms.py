"""An item's 补正 and 容缺 terms (issue 15): declared by the item, or the matter's ``supplement_days`` and
不予受理 by default, and always published with the item so acceptance never guesses them."""

from __future__ import annotations

import pytest
from onematter_catalog.domain.model import DeferralTerm, DueTerm, MaterialRequirement
from onematter_catalog.domain.views import build_version
from pydantic import ValidationError

from ..builders import MATERIAL_TYPES, PUBLISHED_AT, an_item, seed_matter


def _published(matter):
    return build_version(matter, version=1, material_types=MATERIAL_TYPES, published_at=PUBLISHED_AT)


def test_items_without_terms_publish_the_matters_days_and_not_accepted_for_supplement_and_deferral() -> None:
    matter = seed_matter("disability-services").model_copy(update={"supplement_days": 7})

    version = _published(matter)

    cdpf = next(i for i in version.items if i.department == "cdpf")
    assert cdpf.supplement_term == DueTerm(working_days=7, consequence="not_accepted", basis="")
    [photo] = [m for m in cdpf.materials if m.material_type == "photo"]
    assert photo.deferrable and photo.deferral == DeferralTerm(working_days=7)
    assert all(m.deferral is None for m in cdpf.materials if not m.deferrable)


def test_an_items_own_terms_are_published_as_declared() -> None:
    photo = MaterialRequirement(
        material_type="photo",
        key=False,
        deferrable=True,
        deferral=DeferralTerm(working_days=10, consequence="terminated", decide_before_arrival=True),
    )
    term = DueTerm(working_days=3, consequence="terminated", basis="本事项实施清单")
    item = an_item(materials=[photo], supplement_term=term)
    matter = seed_matter("newborn-birth").model_copy(update={"items": [item]})

    [published] = _published(matter).items

    assert published.supplement_term == term
    assert published.materials[0].deferral == photo.deferral


def test_a_term_for_a_material_that_cannot_be_deferred_is_refused() -> None:
    with pytest.raises(ValidationError, match="only a deferrable material has a deferral term"):
        MaterialRequirement(material_type="photo", key=False, deferral=DeferralTerm())


def test_a_term_outside_one_to_sixty_working_days_is_refused() -> None:
    with pytest.raises(ValidationError):
        DueTerm(working_days=0)
    with pytest.raises(ValidationError):
        DueTerm(working_days=61)
