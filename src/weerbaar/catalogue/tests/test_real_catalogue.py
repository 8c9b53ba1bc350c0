"""The national catalogue in data/catalogue.yaml: valid, complete, and what the issue asks for."""

from __future__ import annotations

import pytest

from weerbaar.catalogue.loader import DEFAULT_PATH, load_catalogue, parse
from weerbaar.catalogue.models import (
    SCALE_LEVELS,
    CatalogueRelease,
    Characteristic,
    Circumstance,
    CircumstanceKind,
    Measure,
    MeasureGroup,
    ProcessCategory,
    ReferenceProcess,
)
from weerbaar.catalogue.tests.conftest import clear_catalogue

pytestmark = pytest.mark.django_db


def test_the_real_catalogue_is_valid_and_complete() -> None:
    catalogue = parse(DEFAULT_PATH.read_bytes())
    entries = catalogue.entries
    assert len(entries["characteristics"]) == 8
    assert [c["code"] for c in entries["characteristics"]] == [f"K{n}" for n in range(1, 9)]
    assert len(entries["categories"]) == 9
    assert "overig" in {c["key"] for c in entries["categories"]}
    assert len(entries["reference_processes"]) >= 60
    assert len(entries["measures"]) >= 40
    assert {c["kind"] for c in entries["circumstances"]} == set(CircumstanceKind.values)
    assert {m["group"] for m in entries["measures"]} == set(MeasureGroup.values)


def test_the_real_catalogue_loads_with_its_counts() -> None:
    clear_catalogue()
    result = load_catalogue()
    assert result.release_created
    assert Characteristic.objects.filter(is_active=True).count() == 8
    for characteristic in Characteristic.objects.all():
        assert sorted(characteristic.scale) == list(SCALE_LEVELS), characteristic.key
        assert all(text.strip() for text in characteristic.scale.values()), characteristic.key
    assert ProcessCategory.objects.count() == 9
    assert ReferenceProcess.national_objects.count() >= 60
    assert Circumstance.national_objects.count() >= 1
    measures = Measure.national_objects.prefetch_related("effects")
    assert measures.count() >= 40
    assert all(measure.effects.all() for measure in measures), "every measure weakens at least one characteristic"
    assert CatalogueRelease.objects.get().version == result.version


def test_the_test_database_already_holds_the_real_catalogue_from_post_migrate() -> None:
    release = CatalogueRelease.objects.order_by("-loaded_at").first()
    assert release is not None
    assert release.version == parse(DEFAULT_PATH.read_bytes()).version
    assert ReferenceProcess.national_objects.count() >= 60
