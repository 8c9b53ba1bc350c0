"""The organisation-wide checklist: the seeds' order, statuses in words, reach, and starting an item."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from weerbaar.attention.selectors.checklist import checklist
from weerbaar.attention.selectors.seed_structure import STRUCTURE
from weerbaar.attention.tests.support import days
from weerbaar.catalogue.models import Measure, MeasureScope
from weerbaar.core.tenancy import tenant_scope
from weerbaar.core.tests.beheer_support import body, events
from weerbaar.plan.models import MeasureStatus, PlannedMeasure
from weerbaar.plan.tests.support import implement, plan
from weerbaar.testing.naughty import submit_naughty
from weerbaar.testing.world import World

pytestmark = pytest.mark.django_db

LIST = reverse("attention:checklist")


def start(key: str) -> str:
    return reverse("attention:checklist_start", kwargs={"org_measure_ref": key})


def test_every_organisation_measure_appears_once_in_the_seed_order(world: World) -> None:
    with tenant_scope(world.a.organisation):
        result = checklist(world.a.organisation, timezone.localdate())
        national = set(
            Measure.national_objects.filter(scope=MeasureScope.ORGANISATION, is_active=True).values_list(
                "key", flat=True
            )
        )
    keys = [item.measure.key for group in result.groups for item in group.items]
    assert sorted(keys) == sorted(national) and len(keys) == len(set(keys))
    assert [group.key for group in result.groups][:3] == ["integriteit", "veiligheid", "samenwerking"]
    integrity = result.groups[0]
    assert [theme.title for theme in integrity.themes][:3] == [
        "Cliëntelisme tegengaan",
        "Bestuurlijk instrumentarium: de Wet Bibob",
        "Integere kandidaten voor raad en college",
    ]
    assert [item.measure.key for item in integrity.themes[1].items] == [
        "bibob-vergunningen",
        "bibob-subsidies",
        "bibob-opdrachten",
        "bibob-vastgoed",
    ]
    # Every key the structure names exists in the catalogue: a renamed key would silently drop a theme item.
    assert {key for spec in STRUCTURE for theme in spec.themes for key in theme.keys} <= national
    assert result.summary.total == len(national) and result.summary.not_started == len(national)


def test_items_show_status_owner_evidence_and_reach_in_words(world: World) -> None:
    all_units = plan(world.a, None, "bibob-subsidies", reaches_all_units=True)
    implement(world.a, all_units, on=timezone.localdate() - dt.timedelta(days=800))  # 24-month review overdue
    plan(world.a, None, "bibob-vastgoed", units=[world.a.units[1]], status=MeasureStatus.IN_PROGRESS)
    plan(world.a, None, "bibob-opdrachten", status=MeasureStatus.REJECTED, rejection_reason="Wij besteden niets aan.")
    page = body(world.client_for("secretaris").get(LIST))
    assert "1 van " in page and "geïmplementeerd, 1 niet meer levend" in page
    assert "over alle organisatieonderdelen" in page
    assert "1 van 2 afdelingen en teams" in page
    assert "in uitvoering" in page and "afgewezen" in page and "Wij besteden niets aan." in page
    assert "verliest effect" in page or "niet meer levend: geen effect meer" in page
    assert "0 bewijsstukken" in page
    assert "Oppakken" not in page  # the secretaris reads only
    detail = reverse("plan:measure_detail", kwargs={"planned_measure_uuid": all_units.uuid})
    assert detail in page


def test_the_coordinator_starts_an_item_for_chosen_units(world: World) -> None:
    client = world.client_for("coordinator")
    assert "Oppakken" in body(client.get(LIST))
    data = {
        "status": "gepland",
        "owner": str(world.a.members["secretaris"].uuid),
        "due_date": days(60).isoformat(),
        "reach": "selectie",
        "units": [str(world.a.units[1].uuid)],
        "note": "Met HR",
    }
    response = client.post(start("aanspreekpunten-ondermijning"), data)
    assert response.status_code == 302
    assert response["Location"].endswith("#maatregel-aanspreekpunten-ondermijning")
    with tenant_scope(world.a.organisation):
        planned = PlannedMeasure.objects.get(measure__key="aanspreekpunten-ondermijning")
        assert planned.process is None and not planned.reaches_all_units
        assert list(planned.units.all()) == [world.a.units[1]]
    assert planned.owner == world.a.members["secretaris"]
    assert len(events(world.a.organisation, "plan.measure.create")) == 1
    # Opened again: the page explains it is in the plan and offers no second form.
    page = body(client.get(start("aanspreekpunten-ondermijning")))
    assert "staat al in het actieplan" in page and "Opslaan in het actieplan" not in page


def test_starting_refuses_a_past_due_date_a_foreign_owner_and_chosen_reach_without_units(world: World) -> None:
    client = world.client_for("coordinator")
    base = {"status": "gepland", "reach": "alle", "owner": "", "due_date": "", "note": "Mijn toelichting"}
    response = client.post(start("nazorg-na-incident"), {**base, "due_date": days(-1).isoformat()})
    assert response.status_code == 422
    assert "Deze datum is al voorbij" in body(response) and "Mijn toelichting" in body(response)
    response = client.post(start("nazorg-na-incident"), {**base, "owner": str(world.b.members["secretaris"].uuid)})
    assert response.status_code == 422
    response = client.post(start("nazorg-na-incident"), {**base, "reach": "selectie"})
    assert "Kies ten minste één afdeling of team" in body(response)
    response = client.post(start("nazorg-na-incident"), {**base, "status": "afgewezen"})
    assert "Schrijf op waarom" in body(response)
    with tenant_scope(world.a.organisation):
        assert not PlannedMeasure.objects.exists()


def test_recording_that_the_organisation_does_not_take_a_measure_keeps_the_reason(world: World) -> None:
    client = world.client_for("coordinator")
    data = {"status": "afgewezen", "reach": "alle", "rejection_reason": "Geregeld door de regio."}
    assert client.post(start("samenwerking-riec"), data).status_code == 302
    assert len(events(world.a.organisation, "plan.measure.reject")) == 1
    page = body(client.get(LIST))
    assert "Geregeld door de regio." in page and "Toch oppakken" in page
    assert "Geregeld door de regio." in body(client.get(start("samenwerking-riec")))


def test_a_process_measure_or_unknown_key_has_no_start_page(world: World) -> None:
    client = world.client_for("coordinator")
    assert client.get(start("vier-ogen-beslissingen")).status_code == 404
    assert client.get(start("bestaat-niet")).status_code == 404


def test_naughty_input_on_the_start_form(world: World) -> None:
    client = world.client_for("coordinator")
    base = {"status": "gepland", "reach": "alle", "owner": "", "due_date": days(30).isoformat(), "note": ""}
    submit_naughty(
        client,
        start("training-agressie"),
        base_data=base,
        fields=["status", "reach", "owner", "due_date", "units", "note", "rejection_reason"],
    )
    with tenant_scope(world.a.organisation):
        lines = list(PlannedMeasure.objects.all())
    assert len(lines) <= 1  # at most one live line: the first acceptable submission


def _own_measure(world: World, which: str, name: str, **extra: object) -> Measure:
    from weerbaar.catalogue import services as catalogue_services
    from weerbaar.catalogue.models import Characteristic

    owner = getattr(world, which)
    with tenant_scope(owner.organisation):
        characteristic = Characteristic.objects.order_by("position").first()
        assert characteristic is not None
        return catalogue_services.measure_create(
            actor=None,
            organisation=owner.organisation,
            name=name,
            group="veiligheid",
            scope="organisatie",
            review_cadence_months=12,
            effects={characteristic: 2},
            **extra,  # type: ignore[arg-type]
        )


def test_own_measures_and_own_versions_take_their_place_and_another_organisations_are_not_found(world: World) -> None:
    own = _own_measure(world, "a", "Weerbaarheidsapp voor medewerkers")
    with tenant_scope(world.a.organisation):
        national = Measure.national_objects.get(key="nazorg-na-incident")
    version = _own_measure(world, "a", "Nazorg via het eigen team", based_on=national)
    foreign = _own_measure(world, "b", "Maatregel van KANARIEstad")
    client = world.client_for("coordinator")
    page = body(client.get(LIST))
    assert "Weerbaarheidsapp voor medewerkers" in page and "Overige maatregelen" in page
    # The own version replaces the national one in the "Nazorg" theme of the seeds.
    nazorg = page.split(">Nazorg</h3>")[1].split("</ul>")[0]
    assert "Nazorg via het eigen team" in nazorg and "Opvang en nazorg na een incident" not in page
    assert client.get(start(str(own.uuid))).status_code == 200
    assert client.get(start(str(version.uuid))).status_code == 200
    assert client.get(start("nazorg-na-incident")).status_code == 404  # replaced by the own version
    assert client.get(start(str(foreign.uuid))).status_code == 404
    assert "KANARIE" not in page
