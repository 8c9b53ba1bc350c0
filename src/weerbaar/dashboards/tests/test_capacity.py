"""Capacity: the coordinator sets the hours per role, everyone who reads the plan sees them against
what the plan needs, in words and figures."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from weerbaar.core.tenancy import tenant_scope
from weerbaar.core.tests.beheer_support import body, events
from weerbaar.dashboards import services
from weerbaar.dashboards.models import CAPACITY_ROLES, CapacityAllocation
from weerbaar.dashboards.selectors.capacity import capacity_summary
from weerbaar.dashboards.tests.support import render_card, set_capacity, today
from weerbaar.plan.models import MeasureStatus, PlannedMeasure
from weerbaar.plan.tests.support import ORGANISATION_MEASURE, plan
from weerbaar.register.tests.support import make_process
from weerbaar.testing.naughty import submit_naughty
from weerbaar.testing.world import Tenant, World

pytestmark = pytest.mark.django_db

PAGE = reverse("dashboards:capacity")
EDIT = reverse("dashboards:capacity_edit")


def _form(**values: str) -> dict[str, str]:
    """The whole form, every role empty and new, with the given ``<role>-<field>`` values."""
    data: dict[str, str] = {}
    for role in CAPACITY_ROLES:
        data.update({f"{role}-hours_per_week": "", f"{role}-people": "", f"{role}-note": "", f"{role}-version": "0"})
    data.update(values)
    return data


def _estimate(tenant: Tenant, line: PlannedMeasure, hours: int | None) -> None:
    with tenant_scope(tenant.organisation):
        line.estimated_hours = hours
        line.save(update_fields=["estimated_hours"])


def _lines(tenant: Tenant, count: int) -> list[PlannedMeasure]:
    from weerbaar.catalogue.models import Measure, MeasureScope

    with tenant_scope(tenant.organisation):
        keys = list(
            Measure.national_objects.filter(scope=MeasureScope.PROCESS, is_active=True)
            .order_by("position", "key")
            .values_list("key", flat=True)[:count]
        )
        process = make_process(tenant, name="Vergunningverlening")
    return [plan(tenant, process, key) for key in keys]


def test_the_coordinator_sets_the_capacity_and_it_is_audited(world: World) -> None:
    client = world.client_for("coordinator")
    assert client.get(EDIT).status_code == 200
    data = _form(
        **{
            "coordinator-hours_per_week": "24",
            "coordinator-people": "1",
            "proceseigenaar-hours_per_week": "2,5",
            "proceseigenaar-people": "12",
            "proceseigenaar-note": "Twee uur per persoon",
        }
    )
    response = client.post(EDIT, data)
    assert response.status_code == 302 and response["Location"] == PAGE
    with tenant_scope(world.a.organisation):
        saved = {a.role: a for a in CapacityAllocation.objects.all()}
    assert saved.keys() == {"coordinator", "proceseigenaar"}
    assert saved["proceseigenaar"].hours_per_week == Decimal("2.5") and saved["proceseigenaar"].people == 12
    assert len(events(world.a.organisation, "dashboards.capacity.create")) == 2
    page = body(client.get(PAGE))
    assert "26,5 uur per week (0,74 fte)" in page and "1060 uur per jaar" in page
    assert "Twee uur per persoon" in page


def test_the_secretaris_reads_and_only_the_coordinator_edits(world: World) -> None:
    set_capacity(world.a, coordinator="20")
    page = body(world.client_for("secretaris").get(PAGE))
    assert "Capaciteit per rol" in page and "Capaciteit wijzigen" not in page
    assert world.client_for("secretaris").get(EDIT).status_code == 403
    assert "Capaciteit wijzigen" in body(world.client_for("coordinator").get(PAGE))
    for role in ("proceseigenaar", "medewerker", "lezer", "vertrouwenspersoon", "beheerder"):
        assert world.client_for(role).get(PAGE).status_code == 403, role
    with pytest.raises(PermissionDenied), tenant_scope(world.a.organisation):
        services.capacity_set(
            actor=None,
            member=world.a.members["secretaris"],
            rows=[services.CapacityRow(role="secretaris", hours_per_week=Decimal("2"))],
        )
    # Gemeente B sees only its own (empty) capacity.
    assert "nog niet vastgelegd" in body(world.client_for("coordinator", world.b).get(PAGE))


def test_wrong_hours_are_refused_in_dutch_and_the_input_is_kept(world: World) -> None:
    client = world.client_for("coordinator")
    response = client.post(EDIT, _form(**{"coordinator-hours_per_week": "500", "secretaris-hours_per_week": "2"}))
    page = body(response)
    assert response.status_code == 422
    assert "van 0 tot en met 400" in page and 'value="500"' in page
    response = client.post(EDIT, _form(**{"coordinator-hours_per_week": "2,55"}))
    assert response.status_code == 422 and "één cijfer achter de komma" in body(response)
    response = client.post(EDIT, _form(**{"coordinator-people": "3"}))
    assert response.status_code == 422 and "Vul het aantal uren per week in" in body(response)
    with tenant_scope(world.a.organisation):
        assert not CapacityAllocation.objects.exists()


def test_an_existing_role_cannot_be_emptied_but_may_go_to_zero(world: World) -> None:
    set_capacity(world.a, coordinator="20")
    client = world.client_for("coordinator")
    response = client.post(EDIT, _form(**{"coordinator-version": "1"}))
    assert response.status_code == 422 and "(0 mag)" in body(response)
    response = client.post(EDIT, _form(**{"coordinator-hours_per_week": "0", "coordinator-version": "1"}))
    assert response.status_code == 302
    with tenant_scope(world.a.organisation):
        allocation = CapacityAllocation.objects.get()
    assert allocation.hours_per_week == 0 and allocation.version == 2
    assert len(events(world.a.organisation, "dashboards.capacity.update")) == 1


def test_a_stale_row_shows_the_conflict_and_keeps_the_input(world: World) -> None:
    client = world.client_for("coordinator")
    opened = _form(**{"coordinator-hours_per_week": "30"})  # opened while nothing was set
    set_capacity(world.a, coordinator="20")  # meanwhile another coordinator saves
    response = client.post(EDIT, opened)
    page = body(response)
    assert response.status_code == 422
    assert "Iemand anders heeft dit intussen gewijzigd" in page and 'value="30"' in page
    assert "Zo staat het nu opgeslagen" in page and "20 uur per week" in page
    assert 'name="coordinator-version" value="1"' in page
    with tenant_scope(world.a.organisation):
        assert CapacityAllocation.objects.get().hours_per_week == Decimal("20")


def test_the_need_counts_open_lines_within_twelve_months_and_says_what_is_not_estimated(world: World) -> None:
    lines = _lines(world.a, 5)
    _estimate(world.a, lines[0], 400)
    _estimate(world.a, lines[1], 300)
    _estimate(world.a, lines[2], 9000)  # due in two years: outside the horizon
    with tenant_scope(world.a.organisation):
        far = PlannedMeasure.objects.get(pk=lines[2].pk)
        far.due_date = today().replace(year=today().year + 2)
        far.save(update_fields=["due_date"])
        done = PlannedMeasure.objects.get(pk=lines[3].pk)
        done.status, done.estimated_hours = MeasureStatus.IMPLEMENTED, 5000  # not open: not counted
        done.implemented_on = today()
        done.save(update_fields=["status", "estimated_hours", "implemented_on"])
    plan(world.a, None, ORGANISATION_MEASURE, due_in_days=10)  # organisation-wide, no estimate
    with tenant_scope(world.a.organisation):
        summary = capacity_summary(today())
    assert summary.status == "not_set" and summary.status_css == ""
    assert summary.needed_hours == 700 and summary.open_lines == 4 and summary.lines_without_estimate == 2
    assert any("Voor 2 van 4 open maatregelen" in text for text, _url in summary.attention_items)

    set_capacity(world.a, coordinator="20")  # 800 hours a year: 700 is more than 80 %
    with tenant_scope(world.a.organisation):
        tight = capacity_summary(today())
    assert (tight.status, tight.status_label, tight.status_css) == ("tight", "Krap", "status--warning")
    assert tight.share_needed == 88

    set_capacity(world.a, secretaris="10")  # 1200 hours a year
    with tenant_scope(world.a.organisation):
        enough = capacity_summary(today())
        html = render_card("_capacity_card.html", capacity=enough)
    assert enough.status == "ok" and enough.available_fte == Decimal("0.83")
    assert "Voldoende" in html and "Voor 2 van 4 open maatregelen" in html and "<h3" in html

    _estimate(world.a, lines[4], 900)
    with tenant_scope(world.a.organisation):
        short = capacity_summary(today())
    assert (short.status, short.status_css, short.shortfall_hours) == ("short", "status--danger", 400)
    assert any("tekort" in text for text, _url in short.attention_items)


def test_naughty_input_on_the_capacity_form(world: World) -> None:
    client = world.client_for("coordinator")
    base = _form(**{"coordinator-hours_per_week": "24", "proceseigenaar-people": "12"})
    base["proceseigenaar-hours_per_week"] = "2"
    fields = [f"coordinator-{name}" for name in ("hours_per_week", "people", "note", "version")]
    submit_naughty(client, EDIT, base_data=base, fields=fields)
    with tenant_scope(world.a.organisation):
        for saved in CapacityAllocation.objects.all():
            assert 0 <= saved.hours_per_week <= 400
            assert saved.people is None or saved.people >= 0
