"""The loader: strict validation with Dutch messages, idempotent upsert, releases with their changes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from weerbaar.catalogue import loader, services
from weerbaar.catalogue.loader import CatalogueError, LoadResult, changelog_section, load_catalogue, parse
from weerbaar.catalogue.models import (
    CatalogueRelease,
    Characteristic,
    Circumstance,
    Measure,
    MeasureEffect,
    ProcessCategory,
    ReferenceProcess,
)
from weerbaar.catalogue.tests.conftest import MINI, Variant, clear_catalogue
from weerbaar.core.tenancy import tenant_scope
from weerbaar.testing.world import World

pytestmark = pytest.mark.django_db


def _errors(path: Path) -> list[str]:
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(path, force=True)
    return caught.value.errors


def _process(data: dict[str, Any], key: str) -> dict[str, Any]:
    return next(item for item in data["reference_processes"] if item["key"] == key)


def _measure(data: dict[str, Any], key: str) -> dict[str, Any]:
    return next(item for item in data["measures"] if item["key"] == key)


# --- validation: every rule, in Dutch, naming the entry and the field --------------------------


def test_the_mini_catalogue_is_valid() -> None:
    catalogue = parse(MINI.read_bytes())
    assert catalogue.version == "2026.1"
    assert catalogue.released == dt.date(2026, 11, 23)
    assert [len(catalogue.entries[kind]) for kind in loader.RELEASE_KINDS] == [8, 2, 3, 3, 3]


def test_it_refuses_an_unknown_field_naming_the_entry(variant: Variant) -> None:
    path = variant(lambda data: _process(data, "horecavergunning").update({"naam": "Horeca"}))
    assert _errors(path) == ["referentieproces “horecavergunning”: onbekend veld “naam”."]


def test_it_refuses_an_unknown_top_level_field(variant: Variant) -> None:
    path = variant(lambda data: data.update({"processes": []}))
    assert "onbekend veld “processes” bovenaan het bestand." in _errors(path)


def test_it_refuses_a_missing_field(variant: Variant) -> None:
    path = variant(lambda data: _measure(data, "vier-ogen").pop("scope"))
    assert _errors(path) == ["maatregel “vier-ogen”: het veld “scope” ontbreekt."]


def test_it_refuses_a_scale_with_a_missing_level(variant: Variant) -> None:
    path = variant(lambda data: data["characteristics"][2]["scale"].pop(3))
    assert _errors(path) == ["kenmerk “veel-opdrachtnemers”, veld “scale”: niveau 3 ontbreekt."]


def test_it_refuses_a_scale_with_an_extra_level(variant: Variant) -> None:
    path = variant(lambda data: data["characteristics"][0]["scale"].update({5: "Nog erger"}))
    assert _errors(path) == ["kenmerk “belang-derden”, veld “scale”: onbekend niveau 5 (alleen 0 tot en met 4)."]


def test_it_refuses_an_empty_scale_text(variant: Variant) -> None:
    path = variant(lambda data: data["characteristics"][0]["scale"].update({0: "  "}))
    assert _errors(path) == ["kenmerk “belang-derden”, veld “scale”: niveau 0 moet tekst zijn en mag niet leeg zijn."]


def test_it_refuses_an_unknown_characteristic_key(variant: Variant) -> None:
    path = variant(lambda data: _process(data, "omgevingsvergunning")["characteristics"].append("belang-derde"))
    assert _errors(path) == [
        "referentieproces “omgevingsvergunning”, veld “characteristics”: onbekend kenmerk “belang-derde”."
    ]


def test_it_refuses_an_unknown_characteristic_in_an_effect(variant: Variant) -> None:
    path = variant(lambda data: _measure(data, "dilemmasessie")["effects"][0].update({"characteristic": "k9"}))
    assert _errors(path) == ["maatregel “dilemmasessie”, veld “effects”: onbekend kenmerk “k9”."]


def test_it_refuses_an_unknown_category_key(variant: Variant) -> None:
    path = variant(lambda data: _process(data, "crediteurenbetalingen").update({"category": "financien"}))
    assert _errors(path) == [
        "referentieproces “crediteurenbetalingen”, veld “category”: onbekende categorie “financien”."
    ]


def test_it_refuses_a_duplicate_key(variant: Variant) -> None:
    def duplicate(data: dict[str, Any]) -> None:
        data["circumstances"][2]["key"] = "horeca"

    assert _errors(variant(duplicate)) == ["omstandigheid “horeca”: deze sleutel komt twee keer voor."]


@pytest.mark.parametrize("key", ["Omgevingsvergunning", "omgevings_vergunning", "-vergunning", "vergunning-", "a b"])
def test_it_refuses_a_key_that_is_not_a_slug(variant: Variant, key: str) -> None:
    path = variant(lambda data: _process(data, "horecavergunning").update({"key": key}))
    [message] = _errors(path)
    assert message.startswith(f"referentieproces “{key}”: sleutel “{key}” is geen geldige slug")


@pytest.mark.parametrize("key", ["nieuw", "1b4e28ba-2fa1-11d2-883f-0016d3cca427"])
def test_it_refuses_a_key_the_urls_reserve(variant: Variant, key: str) -> None:
    path = variant(lambda data: _measure(data, "vier-ogen").update({"key": key}))
    assert _errors(path) == [f"maatregel “{key}”: sleutel “{key}” is gereserveerd; kies een andere."]


def test_it_refuses_anything_but_eight_characteristics(variant: Variant) -> None:
    path = variant(lambda data: data["characteristics"].pop())
    assert "er moeten precies 8 kenmerken zijn, niet 7." in _errors(path)


def test_it_refuses_characteristics_out_of_seed_order(variant: Variant) -> None:
    def swap(data: dict[str, Any]) -> None:
        data["characteristics"][0]["code"], data["characteristics"][1]["code"] = "K2", "K1"

    errors = _errors(variant(swap))
    assert "kenmerk “belang-derden”, veld “code”: verwacht K1 (de kenmerken staan in de volgorde K1..K8)." in errors


def test_it_refuses_a_strength_outside_one_to_three(variant: Variant) -> None:
    path = variant(lambda data: _measure(data, "vier-ogen")["effects"][0].update({"strength": 4}))
    assert _errors(path) == [
        "maatregel “vier-ogen”, veld “effects”: sterkte bij “solistisch-werk” moet 1, 2 of 3 zijn, niet 4."
    ]


def test_it_refuses_a_measure_without_effects(variant: Variant) -> None:
    path = variant(lambda data: _measure(data, "vier-ogen").update({"effects": []}))
    assert _errors(path) == [
        "maatregel “vier-ogen”, veld “effects”: noem ten minste één kenmerk dat deze maatregel verzwakt."
    ]


def test_it_refuses_a_review_cadence_outside_one_to_sixty_months(variant: Variant) -> None:
    path = variant(lambda data: _measure(data, "vier-ogen").update({"review_cadence_months": 0}))
    [message] = _errors(path)
    assert message.startswith("maatregel “vier-ogen”, veld “review_cadence_months”: moet een heel getal van 1")


def test_it_refuses_a_group_that_does_not_match_the_kind(variant: Variant) -> None:
    path = variant(lambda data: data["circumstances"][0].update({"group": "persoon"}))
    [message] = _errors(path)
    assert message.startswith("omstandigheid “bedrijventerrein”, veld “group”: “persoon” is geen geldige waarde")


def test_it_refuses_an_unquoted_version(variant: Variant) -> None:
    path = variant(lambda data: data.update({"version": 2026.1}))
    assert _errors(path) == ['version moet tekst zijn zoals "2026.1" (tussen aanhalingstekens), niet 2026.1.']


def test_it_refuses_a_field_written_twice(tmp_path: Path) -> None:
    text = MINI.read_text(encoding="utf-8").replace(
        '    name: "Vier-ogenprincipe"\n', '    name: "Vier-ogenprincipe"\n    name: "Vier ogen"\n'
    )
    path = tmp_path / "twice.yaml"
    path.write_text(text, encoding="utf-8")
    [message] = _errors(path)
    assert message.endswith("“name” staat twee keer in hetzelfde blok.")


def test_it_reports_every_problem_at_once_and_writes_nothing(variant: Variant, mini: LoadResult) -> None:
    def break_two(data: dict[str, Any]) -> None:
        data["version"] = "2026.2"
        _process(data, "horecavergunning")["name"] = "Nieuwe naam"
        _process(data, "omgevingsvergunning")["category"] = "bestaat-niet"
        _measure(data, "vier-ogen")["scope"] = "overal"

    assert len(_errors(variant(break_two))) == 2
    assert ReferenceProcess.national_objects.get(key="horecavergunning").name == "Drank- en horecavergunning verlenen"
    assert not CatalogueRelease.objects.filter(version="2026.2").exists()


def test_the_command_reports_a_broken_file_in_dutch(variant: Variant) -> None:
    path = variant(lambda data: data["characteristics"][0].pop("why"))
    with pytest.raises(CommandError, match=r"kenmerk “belang-derden”: het veld “why” ontbreekt\."):
        call_command("load_catalogue", str(path))


# --- loading ---------------------------------------------------------------------------------


def test_a_first_load_creates_every_row_and_one_release(mini: LoadResult) -> None:
    assert mini.release_created
    assert Characteristic.objects.count() == 8
    assert all(len(c.scale) == 5 for c in Characteristic.objects.all())
    assert ProcessCategory.objects.count() == 2
    assert ReferenceProcess.national_objects.count() == 3
    assert Circumstance.national_objects.count() == 3
    assert Measure.national_objects.count() == 3
    process = ReferenceProcess.national_objects.get(key="crediteurenbetalingen")
    assert process.category.key == "financiele-transacties"
    assert sorted(c.key for c in process.characteristics.all()) == ["geldstromen", "solistisch-werk"]
    assert {(e.characteristic.key, e.strength) for e in MeasureEffect.objects.filter(measure__key="vier-ogen")} == {
        ("solistisch-werk", 3),
        ("belang-derden", 2),
    }
    release = CatalogueRelease.objects.get()
    assert release.version == "2026.1"
    assert release.changelog == "De eerste versie: acht kenmerken en een kleine set processen om mee te testen."
    added = release.changes["reference_processes"]["added"]
    assert {"key": "omgevingsvergunning", "name": "Omgevingsvergunning verlenen"} in added


def test_a_second_run_changes_nothing_and_records_no_release(mini: LoadResult) -> None:
    before = list(ReferenceProcess.national_objects.values_list("pk", "updated_at"))
    with CaptureQueriesContext(connection) as queries:
        again = load_catalogue(MINI)
    assert not again.applied
    assert len(queries) <= 2  # the checksum matches: no parsing, no writes
    forced = load_catalogue(MINI, force=True)
    assert not forced.applied and not forced.changed
    assert CatalogueRelease.objects.count() == 1
    assert list(ReferenceProcess.national_objects.values_list("pk", "updated_at")) == before


def test_a_new_version_records_what_it_added_changed_and_removed(variant: Variant, mini: LoadResult) -> None:
    def next_version(data: dict[str, Any]) -> None:
        data["version"] = "2026.2"
        data["released"] = dt.date(2027, 3, 1)
        data["reference_processes"] = [p for p in data["reference_processes"] if p["key"] != "horecavergunning"]
        _process(data, "omgevingsvergunning")["description"] = "Een nieuwe, scherpere omschrijving."
        _process(data, "omgevingsvergunning")["characteristics"] = ["belang-derden"]
        _measure(data, "vier-ogen")["effects"][0]["strength"] = 2
        data["reference_processes"].append(
            {
                "key": "evenementenvergunning",
                "name": "Evenementenvergunning verlenen",
                "category": "vergunningen-ontheffingen",
                "typical_unit": "Vergunningen",
                "description": "Toestemming voor een evenement.",
                "characteristics": ["belang-derden", "klantcontact"],
            }
        )

    result = load_catalogue(variant(next_version))
    assert result.release_created
    processes = result.changes["reference_processes"]
    assert processes["added"] == [{"key": "evenementenvergunning", "name": "Evenementenvergunning verlenen"}]
    assert processes["removed"] == [{"key": "horecavergunning", "name": "Drank- en horecavergunning verlenen"}]
    [changed] = processes["changed"]
    assert changed["key"] == "omgevingsvergunning"
    assert changed["fields"] == {
        "description": [
            "Een aanvraag voor bouwen of ander gebruik van de ruimte beoordelen en erover beslissen.",
            "Een nieuwe, scherpere omschrijving.",
        ],
        "characteristics": [["belang-derden", "klantcontact"], ["belang-derden"]],
    }
    [measure] = result.changes["measures"]["changed"]
    assert measure["fields"] == {
        "effects": [{"solistisch-werk": 3, "belang-derden": 2}, {"solistisch-werk": 2, "belang-derden": 2}]
    }
    assert list(CatalogueRelease.objects.values_list("version", flat=True)) == ["2026.2", "2026.1"]
    # Removed entries are deactivated, never deleted: later scans refer to them.
    removed = ReferenceProcess.national_objects.get(key="horecavergunning")
    assert removed.is_active is False
    assert ReferenceProcess.national_objects.get(key="omgevingsvergunning").characteristics.count() == 1
    assert MeasureEffect.objects.get(measure__key="vier-ogen", characteristic__key="solistisch-werk").strength == 2


def test_an_entry_that_comes_back_is_reactivated_and_reported_as_added(variant: Variant, mini: LoadResult) -> None:
    def without(data: dict[str, Any]) -> None:
        data["version"] = "2026.2"
        data["measures"] = [m for m in data["measures"] if m["key"] != "dilemmasessie"]

    load_catalogue(variant(without))
    assert not Measure.national_objects.get(key="dilemmasessie").is_active
    result = load_catalogue(variant(lambda data: data.update({"version": "2026.3"})))
    assert result.changes["measures"]["added"] == [{"key": "dilemmasessie", "name": "Dilemmasessie in het team"}]
    assert Measure.national_objects.get(key="dilemmasessie").is_active


def test_a_new_version_never_touches_own_entries_or_own_versions(
    world: World, variant: Variant, mini: LoadResult
) -> None:
    organisation = world.a.organisation
    national = ReferenceProcess.national_objects.get(key="omgevingsvergunning")
    category = ProcessCategory.objects.get(key="vergunningen-ontheffingen")
    with tenant_scope(organisation):
        own_version = services.reference_process_create(
            actor=None,
            organisation=organisation,
            name="Omgevingsvergunning (Aadorp)",
            category=category,
            description="Onze eigen werkwijze.",
            based_on=national,
        )
        own = services.measure_create(
            actor=None,
            organisation=organisation,
            name="Integriteitsspreekuur",
            group="integriteit",
            scope="organisatie",
            review_cadence_months=3,
            effects={Characteristic.objects.get(key="geldstromen"): 3},
        )

    def next_version(data: dict[str, Any]) -> None:
        data["version"] = "2026.2"
        _process(data, "omgevingsvergunning")["name"] = "Omgevingsvergunning beoordelen"
        data["reference_processes"] = [p for p in data["reference_processes"] if p["key"] != "crediteurenbetalingen"]

    load_catalogue(variant(next_version))
    own_version.refresh_from_db()
    assert own_version.name == "Omgevingsvergunning (Aadorp)"
    assert own_version.description == "Onze eigen werkwijze."
    assert own_version.version == 1 and own_version.is_active
    assert own_version.based_on == national
    assert ReferenceProcess.national_objects.get(key="omgevingsvergunning").name == "Omgevingsvergunning beoordelen"
    own.refresh_from_db()
    assert (own.name, own.version, own.is_active, own.key) == ("Integriteitsspreekuur", 1, True, "")
    assert list(own.effects.values_list("characteristic__key", "strength")) == [("geldstromen", 3)]
    assert Measure.cross_tenant_objects.filter(organisation=organisation).count() == 1


def test_the_same_version_with_corrected_content_updates_its_release(variant: Variant, mini: LoadResult) -> None:
    path = variant(lambda data: _process(data, "horecavergunning").update({"typical_unit": "Publiekszaken"}))
    result = load_catalogue(path)
    assert result.applied and not result.release_created
    release = CatalogueRelease.objects.get()
    assert [item["key"] for item in release.changes["reference_processes"]["changed"]] == []
    # It was added in this very version, so it stays reported as added, once.
    assert [item["key"] for item in release.changes["reference_processes"]["added"]].count("horecavergunning") == 1
    assert not load_catalogue(path).applied


def test_changelog_sections_are_found_by_version() -> None:
    text = "# Wijzigingen\n\n## 2026.2 (maart)\n\nNieuw.\n\n### Details\nMeer.\n\n## 2026.1\n\nEerste.\n"
    assert changelog_section(text, "2026.2") == "Nieuw.\n\n### Details\nMeer."
    assert changelog_section(text, "2026.1") == "Eerste."
    assert changelog_section(text, "2026.12") == ""


def test_the_command_is_idempotent(capsys: pytest.CaptureFixture[str]) -> None:
    clear_catalogue()
    call_command("load_catalogue", str(MINI))
    assert "Catalogus 2026.1 geladen" in capsys.readouterr().out
    call_command("load_catalogue", str(MINI))
    assert "was al geladen; niets gewijzigd" in capsys.readouterr().out


# --- after migrate ---------------------------------------------------------------------------


def test_post_migrate_skips_a_database_migrated_to_an_older_catalogue_schema() -> None:
    from django.db.migrations.state import ProjectState

    empty = ProjectState().apps
    assert loader._schema_is_current(empty) is False
    from django.apps import apps

    assert loader._schema_is_current(apps) is True


@pytest.mark.django_db(transaction=True)
def test_a_flushed_database_gets_the_real_catalogue_back() -> None:
    # pytest-django flushes after every transactional test; flush sends post_migrate, which loads.
    call_command("flush", interactive=False, verbosity=0)
    assert Characteristic.objects.count() == 8
    assert ReferenceProcess.national_objects.count() >= 60
    assert CatalogueRelease.objects.count() == 1
