from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from weerbaar.catalogue.loader import LoadResult, load_catalogue
from weerbaar.catalogue.models import (
    CatalogueRelease,
    Characteristic,
    Circumstance,
    Measure,
    MeasureEffect,
    ProcessCategory,
    ReferenceProcess,
)

DATA = Path(__file__).resolve().parent / "data"
MINI = DATA / "mini.yaml"

#: Returns the path of a variant of the mini catalogue, changed by the given function.
Variant = Callable[[Callable[[dict[str, Any]], None]], Path]


def clear_catalogue() -> None:
    """Empty every catalogue table (the test database holds the real catalogue from post_migrate)."""
    MeasureEffect.objects.all().delete()
    for model in (ReferenceProcess, Circumstance, Measure):
        model.cross_tenant_objects.filter(based_on__isnull=False).delete()
        model.cross_tenant_objects.all().delete()
    ProcessCategory.objects.all().delete()
    Characteristic.objects.all().delete()
    CatalogueRelease.objects.all().delete()


@pytest.fixture
def mini_data() -> dict[str, Any]:
    return yaml.safe_load(MINI.read_text(encoding="utf-8"))


@pytest.fixture
def variant(tmp_path: Path, mini_data: dict[str, Any]) -> Variant:
    counter = iter(range(1000))

    def make(change: Callable[[dict[str, Any]], None]) -> Path:
        data = copy.deepcopy(mini_data)
        change(data)
        path = tmp_path / f"variant-{next(counter)}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return path

    return make


@pytest.fixture
def mini(db: None) -> LoadResult:
    """Only the mini catalogue in the database (8 characteristics, 2 categories, 3 of each entry kind)."""
    clear_catalogue()
    return load_catalogue(MINI)


@pytest.fixture
def make_key(world: Any) -> Callable[..., str]:
    """A fresh API key for the member with ``role`` in ``tenant`` (gemeente A by default)."""
    from weerbaar.api.tests.utils import issue

    def make(role: str = "beheerder", tenant: Any = None) -> str:
        return issue(tenant or world.a, role).key

    return make
