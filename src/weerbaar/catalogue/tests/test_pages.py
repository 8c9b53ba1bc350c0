"""The catalogue pages: what they show, to whom, and at what cost in queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from weerbaar.catalogue import services
from weerbaar.catalogue.models import (
    Characteristic,
    Circumstance,
    Measure,
    MeasureGroup,
    ProcessCategory,
    ReferenceProcess,
)
from weerbaar.catalogue.tests.conftest import MINI, Variant
from weerbaar.core.permissions import GEMEENTE_ROLES, Role
from weerbaar.core.tenancy import tenant_scope
from weerbaar.core.tests.beheer_support import body, middleware_queries
from weerbaar.testing.world import CANARY, Tenant, World

pytestmark = pytest.mark.django_db

HOME = reverse("catalogue:home")
PROCESSES = reverse("catalogue:process_list")
CIRCUMSTANCES = reverse("catalogue:circumstance_list")
MEASURES = reverse("catalogue:measure_list")
RELEASES = reverse("catalogue:releases")
LIST_PAGES = [HOME, PROCESSES, CIRCUMSTANCES, MEASURES, RELEASES]


def _characteristic(key: str = "") -> Characteristic:
    queryset = Characteristic.objects.filter(is_active=True).order_by("position")
    characteristic = queryset.filter(key=key).first() if key else queryset.first()
    assert characteristic is not None
    return characteristic


def _category() -> ProcessCategory:
    category = ProcessCategory.objects.order_by("position").first()
    assert category is not None
    return category


def own_process(tenant: Tenant, name: str, **fields: Any) -> ReferenceProcess:
    with tenant_scope(tenant.organisation):
        return services.reference_process_create(
            actor=None,
            organisation=tenant.organisation,
            name=name,
            category=fields.pop("category", None) or _category(),
            characteristics=fields.pop("characteristics", [_characteristic()]),
            **fields,
        )


def own_measure(tenant: Tenant, name: str, **fields: Any) -> Measure:
    with tenant_scope(tenant.organisation):
        return services.measure_create(
            actor=None,
            organisation=tenant.organisation,
            name=name,
            group=fields.pop("group", MeasureGroup.BARRIERS),
            scope=fields.pop("scope", "proces"),
            review_cadence_months=fields.pop("review_cadence_months", 6),
            effects=fields.pop("effects", {_characteristic(): 3}),
            **fields,
        )


def own_circumstance(tenant: Tenant, name: str, **fields: Any) -> Circumstance:
    with tenant_scope(tenant.organisation):
        return services.circumstance_create(
            actor=None,
            organisation=tenant.organisation,
            name=name,
            group=fields.pop("group", "werkwijze"),
            characteristics=fields.pop("characteristics", [_characteristic()]),
            **fields,
        )


def _canaries(world: World) -> None:
    """Gemeente B's own entries and own versions, all named with the canary."""
    own_process(world.b, f"{CANARY} eigen proces", description=f"{CANARY} omschrijving")
    own_measure(world.b, f"{CANARY} eigen maatregel")
    own_circumstance(world.b, f"{CANARY} eigen omstandigheid")
    national = ReferenceProcess.national_objects.filter(is_active=True).order_by("position").first()
    own_process(world.b, f"{CANARY} eigen versie", based_on=national, category=national.category)


# --- what the pages show ---------------------------------------------------------------------


def test_the_home_page_explains_the_eight_characteristics_with_their_scales(world: World) -> None:
    response = world.client_for("medewerker").get(HOME)
    assert response.status_code == 200
    html = body(response)
    characteristics = list(Characteristic.objects.filter(is_active=True))
    assert len(characteristics) == 8
    for characteristic in characteristics:
        assert characteristic.name in html or characteristic.name.replace("'", "&#x27;") in html
        assert f"Schaal van {characteristic.code}" in html
    assert html.count('<th scope="row">4</th>') == 8
    for category in ProcessCategory.objects.all():
        assert category.name in html


def test_the_menu_shows_the_catalogue_to_every_role(world: World) -> None:
    for role in sorted(GEMEENTE_ROLES):
        html = body(world.client_for(role).get(reverse("core:home")))
        assert f'href="{HOME}"' in html, role


def test_the_process_list_searches_and_filters(world: World) -> None:
    client = world.client_for("lezer")
    category = _category()
    own = own_process(world.a, "Marktkraam toewijzen", typical_unit="Economische Zaken", category=category)
    html = body(client.get(PROCESSES, {"q": "marktkraam"}))
    assert "Marktkraam toewijzen" in html
    assert "1 referentieproces" in html
    html = body(client.get(PROCESSES, {"herkomst": "eigen"}))
    assert "Marktkraam toewijzen" in html and "1 referentieproces" in html
    national_count = ReferenceProcess.national_objects.filter(is_active=True).count()
    html = body(client.get(PROCESSES, {"herkomst": "landelijk", "pagina": "1"}))
    assert "Marktkraam toewijzen" not in html
    assert f"{national_count} referentieprocessen" in html
    in_category = ReferenceProcess.national_objects.filter(is_active=True, category=category).count() + 1
    html = body(client.get(PROCESSES, {"categorie": category.key}))
    assert f"{in_category} referentieprocessen" in html
    characteristic = own.characteristics.get()
    with_characteristic = (
        ReferenceProcess.national_objects.filter(is_active=True, characteristics=characteristic).count() + 1
    )
    html = body(client.get(PROCESSES, {"kenmerk": characteristic.key}))
    assert f"{with_characteristic} referentieprocessen" in html
    html = body(client.get(PROCESSES, {"q": "bestaat-nergens-xyz"}))
    assert "Geen referentieprocessen gevonden" in html


def test_the_process_list_paginates_and_answers_htmx_with_the_results_only(world: World) -> None:
    client = world.client_for("lezer")
    full = body(client.get(PROCESSES))
    assert "Pagina 1 van" in full
    partial = client.get(PROCESSES, {"pagina": 2}, headers={"HX-Request": "true"})
    assert partial.status_code == 200
    html = body(partial)
    assert html.lstrip().startswith('<div id="process-results">')
    assert "<h1>" not in html


def test_an_invalid_filter_value_shows_the_whole_list(world: World) -> None:
    response = world.client_for("lezer").get(PROCESSES, {"categorie": "<script>", "kenmerk": "x"})
    assert response.status_code == 200
    assert "<script>" not in body(response)


def test_the_circumstance_list_is_grouped_extern_then_intern(world: World) -> None:
    own_circumstance(world.a, "Veel tijdelijke krachten bij Burgerzaken", group="werkwijze")
    html = body(world.client_for("proceseigenaar").get(CIRCUMSTANCES))
    assert html.index('<h2 id="kind-1">Extern</h2>') < html.index('<h2 id="kind-2">Intern</h2>')
    assert html.index("Veel tijdelijke krachten bij Burgerzaken") > html.index("Intern</h2>")
    for circumstance in Circumstance.national_objects.filter(is_active=True):
        assert circumstance.name.replace("'", "&#x27;") in html or circumstance.name in html


def test_the_measure_list_shows_groups_effects_in_words_and_review_cadence(world: World) -> None:
    geldstromen = _characteristic()
    own_measure(
        world.a,
        "Betaalrun altijd met twee personen",
        group=MeasureGroup.BARRIERS,
        effects={geldstromen: 1},
        review_cadence_months=9,
    )
    html = body(world.client_for("secretaris").get(MEASURES))
    for label in MeasureGroup.labels:
        assert f">{label}</h2>" in html
    row = html[html.index("Betaalrun altijd met twee personen") :]
    row = row[: row.index("</tr>")]
    assert f"{geldstromen.code}</span>" in row and ": beperkt" in row
    assert "elke 9 maanden" in row
    assert "eigen" in row
    assert "sterk" in html and "middel" in html


def test_the_national_detail_page_points_to_the_own_version(world: World) -> None:
    national = ReferenceProcess.national_objects.filter(is_active=True).order_by("position").first()
    assert national is not None
    own = own_process(world.a, "Onze eigen aanpak", based_on=national, category=national.category)
    client = world.client_for("coordinator")
    html = body(client.get(reverse("catalogue:process_detail", kwargs={"process_ref": national.key})))
    assert "Uw organisatie gebruikt hier een eigen versie" in html
    assert reverse("catalogue:process_detail", kwargs={"process_ref": own.uuid}) in html
    html = body(client.get(reverse("catalogue:process_detail", kwargs={"process_ref": own.uuid})))
    assert "Dit is de eigen versie van uw organisatie" in html
    assert reverse("catalogue:process_detail", kwargs={"process_ref": national.key}) in html
    # In the list, the own version replaces the national entry.
    assert "Onze eigen aanpak" in body(client.get(PROCESSES, {"q": "onze eigen"}))
    national_link = reverse("catalogue:process_detail", kwargs={"process_ref": national.key})
    assert national_link not in body(client.get(PROCESSES, {"q": national.name}))


def test_detail_pages_of_measures_and_circumstances_show_their_relations(world: World) -> None:
    client = world.client_for("lezer")
    measure = Measure.national_objects.filter(is_active=True).order_by("position").first()
    assert measure is not None
    html = body(client.get(reverse("catalogue:measure_detail", kwargs={"measure_ref": measure.key})))
    for effect in measure.effects.select_related("characteristic"):
        assert f"{effect.characteristic.code} " in html
        assert effect.get_strength_display() in html
    circumstance = Circumstance.national_objects.filter(is_active=True).order_by("position").first()
    assert circumstance is not None
    response = client.get(reverse("catalogue:circumstance_detail", kwargs={"circumstance_ref": circumstance.key}))
    assert response.status_code == 200
    assert circumstance.get_kind_display() in body(response)


def test_an_unknown_key_or_uuid_is_a_404(world: World) -> None:
    client = world.client_for("lezer")
    assert client.get(reverse("catalogue:process_detail", kwargs={"process_ref": "bestaat-niet"})).status_code == 404
    missing = "00000000-0000-4000-8000-000000000000"
    assert client.get(reverse("catalogue:measure_detail", kwargs={"measure_ref": missing})).status_code == 404


# --- tenancy ---------------------------------------------------------------------------------


def test_gemeente_bs_own_entries_never_appear_for_gemeente_a(world: World) -> None:
    _canaries(world)
    client = world.client_for("beheerder")
    pages = [
        *LIST_PAGES,
        f"{PROCESSES}?herkomst=eigen",
        f"{PROCESSES}?pagina=2",
        f"{PROCESSES}?pagina=5",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert CANARY not in body(response), url
    # A search for the canary echoes the search term, and finds nothing.
    assert "Geen referentieprocessen gevonden" in body(client.get(PROCESSES, {"q": CANARY}))


def test_gemeente_bs_own_entries_are_a_404_for_gemeente_a(world: World) -> None:
    _canaries(world)
    client = world.client_for("beheerder")
    with tenant_scope(world.b.organisation):
        process = ReferenceProcess.objects.get(
            organisation=world.b.organisation, name__startswith=CANARY, based_on=None
        )
        measure = Measure.objects.get(organisation=world.b.organisation)
    for url in (
        reverse("catalogue:process_detail", kwargs={"process_ref": process.uuid}),
        reverse("catalogue:process_update", kwargs={"process_ref": process.uuid}),
        reverse("catalogue:measure_detail", kwargs={"measure_ref": measure.uuid}),
        reverse("catalogue:measure_update", kwargs={"measure_ref": measure.uuid}),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert CANARY not in body(response)
    response = client.post(
        reverse("catalogue:measure_archive", kwargs={"measure_ref": measure.uuid}), {"version": measure.version}
    )
    assert response.status_code == 404
    measure.refresh_from_db()
    assert measure.is_active


def test_gemeente_b_sees_its_own_entries(world: World) -> None:
    _canaries(world)
    html = body(world.client_for("lezer", world.b).get(f"{PROCESSES}?herkomst=eigen"))
    assert f"{CANARY} eigen proces" in html and f"{CANARY} eigen versie" in html


# --- roles -----------------------------------------------------------------------------------


def test_the_regio_analist_reads_the_national_catalogue(world: World) -> None:
    client = world.client_for(Role.REGIO_ANALIST, world.riec)
    for url in LIST_PAGES:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", sorted(GEMEENTE_ROLES - {Role.BEHEERDER, Role.COORDINATOR}))
def test_only_beheerder_and_coordinator_manage_own_entries(world: World, role: str) -> None:
    client = world.client_for(role)
    assert client.get(reverse("catalogue:process_create")).status_code == 403
    national = ReferenceProcess.national_objects.filter(is_active=True).first()
    assert national is not None
    assert client.get(reverse("catalogue:process_own_version", kwargs={"process_key": national.key})).status_code == 403
    html = body(client.get(PROCESSES))
    assert reverse("catalogue:process_create") not in html


@pytest.mark.parametrize("role", [Role.BEHEERDER, Role.COORDINATOR])
def test_managers_see_the_buttons_to_add_and_adapt(world: World, role: str) -> None:
    client = world.client_for(role)
    assert reverse("catalogue:process_create") in body(client.get(PROCESSES))
    national = ReferenceProcess.national_objects.filter(is_active=True).first()
    assert national is not None
    html = body(client.get(reverse("catalogue:process_detail", kwargs={"process_ref": national.key})))
    assert reverse("catalogue:process_own_version", kwargs={"process_key": national.key}) in html


# --- the "what changed" page -----------------------------------------------------------------


def test_the_releases_page_marks_changes_to_entries_with_an_own_version(world: World, variant: Variant) -> None:
    from weerbaar.catalogue.loader import load_catalogue
    from weerbaar.catalogue.tests.conftest import clear_catalogue

    clear_catalogue()
    load_catalogue(MINI)
    national = ReferenceProcess.national_objects.get(key="omgevingsvergunning")
    own = own_process(world.a, "Omgevingsvergunning Aadorp", based_on=national, category=national.category)
    own_process(world.b, f"{CANARY} omgevingsvergunning", based_on=national, category=national.category)

    def next_version(data: dict[str, Any]) -> None:
        data["version"] = "2026.2"
        process = next(p for p in data["reference_processes"] if p["key"] == "omgevingsvergunning")
        process["description"] = "Scherper beschreven."
        data["measures"] = [m for m in data["measures"] if m["key"] != "dilemmasessie"]

    load_catalogue(variant(next_version))
    html = body(world.client_for("coordinator").get(RELEASES))
    assert "Versie 2026.2" in html and "Versie 2026.1" in html
    assert html.index("Versie 2026.2") < html.index("Versie 2026.1")
    assert "U gebruikt hier een eigen versie." in html
    assert "Bekijk de wijziging in de landelijke versie van “Omgevingsvergunning verlenen”" in html
    assert reverse("catalogue:process_detail", kwargs={"process_ref": "omgevingsvergunning"}) in html
    assert "Scherper beschreven." in html  # the new text, next to the old one
    assert "Dilemmasessie in het team" in html  # removed
    assert "Een proces erbij" not in html  # the fixture's changelog belongs to the other file
    assert CANARY not in html
    assert own.is_active


def test_the_releases_page_without_releases_says_what_to_do(world: World) -> None:
    from weerbaar.catalogue.tests.conftest import clear_catalogue

    clear_catalogue()
    html = body(world.client_for("lezer").get(RELEASES))
    assert "load_catalogue" in html
    html = body(world.client_for("lezer").get(HOME))
    assert "nog niet geladen" in html


# --- query counts at two sizes ---------------------------------------------------------------


@pytest.mark.parametrize("extra", [3, 30])
def test_the_list_pages_need_the_same_number_of_queries_at_any_size(
    world: World, extra: int, django_assert_max_num_queries: Any
) -> None:
    national = list(ReferenceProcess.national_objects.filter(is_active=True).order_by("position")[: extra // 3])
    for number in range(extra):
        own_process(world.a, f"Eigen proces {number}")
        own_measure(world.a, f"Eigen maatregel {number}")
        own_circumstance(world.a, f"Eigen omstandigheid {number}")
    for entry in national:
        own_process(world.a, f"Eigen versie van {entry.key}", based_on=entry, category=entry.category)
    client = world.client_for("coordinator")
    base = middleware_queries(client)
    budgets = {
        HOME: 6,  # characteristics, categories, release, three counts
        PROCESSES: 5,  # categories, characteristics (filter choices), count, page, their characteristics
        f"{PROCESSES}?herkomst=eigen&pagina=2": 5,
        CIRCUMSTANCES: 2,  # circumstances, their characteristics
        MEASURES: 2,  # measures, their effects with characteristics
        RELEASES: 4,  # releases, own versions per kind
    }
    for url, budget in budgets.items():
        with django_assert_max_num_queries(base + budget):
            response = client.get(url)
        assert response.status_code == 200, url


def test_the_changelog_is_rendered_from_its_markdown_and_escaped() -> None:
    from weerbaar.catalogue.templatetags.catalogue import changelog_html

    text = "### Toegevoegd\n\n- **8 kenmerken** met `K1`\n  - <script>x</script>\n- Tweede\n\nSlot <b>vet</b>."
    assert changelog_html(text) == (
        "<h3>Toegevoegd</h3><ul><li><strong>8 kenmerken</strong> met <code>K1</code>"
        "<ul><li>&lt;script&gt;x&lt;/script&gt;</li></ul></li><li>Tweede</li></ul>"
        "<p>Slot &lt;b&gt;vet&lt;/b&gt;.</p>"
    )


def test_the_releases_page_shows_the_changelog_of_the_real_catalogue(world: World) -> None:
    html = body(world.client_for("lezer").get(RELEASES))
    assert "<summary>Toelichting bij versie" in html
    assert "<h3>" in html and "**" not in html
