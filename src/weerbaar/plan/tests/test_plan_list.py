"""The action plan page: every line with its owner, due date and liveness; filters, pages, need-to-know,
a fixed number of queries, and the coordinator's "Maatregel toevoegen"."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from weerbaar.audit.models import AuditEvent
from weerbaar.catalogue.models import Measure, MeasureScope
from weerbaar.core.tenancy import tenant_scope
from weerbaar.core.tests.beheer_support import events, middleware_queries
from weerbaar.plan.models import MeasureStatus, PlannedMeasure
from weerbaar.plan.selectors.due import liveness_of
from weerbaar.plan.selectors.plan_list import Attention, PlanFilter, plan_lines, plan_summary
from weerbaar.plan.tests.support import ORGANISATION_MEASURE, implement, measure, plan
from weerbaar.register.models import Process
from weerbaar.register.tests.support import make_process
from weerbaar.testing.naughty import NAUGHTY_STRINGS, submit_naughty
from weerbaar.testing.world import CANARY, Tenant, World

pytestmark = pytest.mark.django_db

PLAN = "/actieplan"
ADD = "/actieplan/maatregel-toevoegen"
#: The page's own queries: the owner options, the unit tree (2), the summary, the count and the page.
LIST_BUDGET = 6
ROW = re.compile(r'<th scope="row"><a href="/actieplan/([0-9a-f-]{36})">([^<]+)</a></th>')


# --- helpers (also used by the other plan list, export and API tests) ---------------------------


def process_keys() -> list[str]:
    return list(
        Measure.national_objects.filter(scope=MeasureScope.PROCESS, is_active=True)
        .order_by("position", "key")
        .values_list("key", flat=True)
    )


def shift(tenant: Tenant, planned: PlannedMeasure, **fields: Any) -> PlannedMeasure:
    """Test set-up only: put a line where time would have taken it (a due date that has passed)."""
    with tenant_scope(tenant.organisation):
        line = PlannedMeasure.objects.get(pk=planned.pk)
        for name, value in fields.items():
            setattr(line, name, value)
        line.save()
        return line


def days(offset: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=offset)


def lines_for(
    tenant: Tenant, process: Process, count: int, *, start: int = 0, due_from: int = 10, **extra: Any
) -> list[PlannedMeasure]:
    """``count`` plan lines for one process, each another catalogue measure, due one day apart."""
    keys = process_keys()[start : start + count]
    assert len(keys) == count, "not enough process measures in the catalogue"
    return [plan(tenant, process, key, due_in_days=due_from + number, **extra) for number, key in enumerate(keys)]


def listed(response: Any) -> list[str]:
    assert response.status_code == 200
    return [html.unescape(name) for _uuid, name in ROW.findall(response.content.decode())]


def name_of(planned: PlannedMeasure) -> str:
    return planned.measure.name


@pytest.fixture
def plan_world(world: World) -> dict[str, Any]:
    """A plan with a line in every state: overdue, soon, later, fading, lapsed, alive, organisation-wide, rejected."""
    keys = process_keys()
    with tenant_scope(world.a.organisation):
        subsidies = make_process(world.a, name="Subsidieverlening", unit=world.a.units[1])
        permits = make_process(world.a, name="Vergunningverlening", unit=world.a.units[0], owner=None)
    lines = {
        "overdue": shift(world.a, plan(world.a, subsidies, keys[0]), due_date=days(-5)),
        "soon": plan(world.a, subsidies, keys[1], due_in_days=12, owner_role="secretaris"),
        "later": plan(world.a, permits, keys[2], due_in_days=90),
        "fading": implement(world.a, plan(world.a, permits, keys[3], review_cadence_months=12), on=days(-400)),
        "lapsed": implement(world.a, plan(world.a, subsidies, keys[4], review_cadence_months=12), on=days(-1200)),
        "alive": implement(world.a, plan(world.a, permits, keys[5], review_cadence_months=12), on=days(-10)),
        "wide": plan(world.a, None, ORGANISATION_MEASURE, due_in_days=60, owner_role="coordinator"),
        "rejected": plan(
            world.a, subsidies, keys[6], status=MeasureStatus.REJECTED, rejection_reason="Past niet bij ons"
        ),
    }
    with tenant_scope(world.a.organisation):
        unowned = PlannedMeasure.objects.get(pk=lines["later"].pk)
        unowned.owner = None
        unowned.save()
    return {"subsidies": subsidies, "permits": permits, **lines}


# --- the page -------------------------------------------------------------------------------------


def test_it_lists_process_and_organisation_lines_with_owner_dates_and_liveness_in_words(
    world: World, plan_world: dict[str, Any]
) -> None:
    response = world.client_for("coordinator").get(PLAN)
    names = listed(response)
    body = response.content.decode()
    # Soonest due date first; implemented lines keep their (earlier) due date; rejected lines are left out.
    assert len(names) == 7
    assert name_of(plan_world["rejected"]) not in names
    assert names[0] == name_of(plan_world["overdue"])
    assert "te laat: 5 dagen" in body
    assert "Hele organisatie" in body
    for words in ("levend", "verwatert", "niet meer levend", "nog niet geïmplementeerd", "geen eigenaar"):
        assert words in body, words
    for key in ("overdue", "wide", "lapsed"):
        url = reverse("plan:measure_detail", kwargs={"planned_measure_uuid": plan_world[key].uuid})
        assert f'href="{url}"' in body
    assert 'href="/actieplan/maatregel-toevoegen"' in body
    assert CANARY not in body


def test_the_summary_counts_what_needs_attention(world: World, plan_world: dict[str, Any]) -> None:
    response = world.client_for("secretaris").get(PLAN)
    counts = re.findall(r'<span class="plan-summary__count">(\d+)</span>', response.content.decode())
    assert counts == ["1", "1", "2"]  # te laat, binnen 30 dagen, niet meer levend (one fading, one lapsed)
    assert "1 verwatert, 1 zonder effect" in response.content.decode()
    # The secretaris sees the plan but does not add to it.
    assert 'href="/actieplan/maatregel-toevoegen"' not in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("aandacht=te_laat", {"overdue"}),
        ("aandacht=binnenkort", {"soon"}),
        ("aandacht=niet_levend", {"fading", "lapsed"}),
        ("status=geimplementeerd", {"fading", "lapsed", "alive"}),
        ("status=afgewezen", {"rejected"}),
        ("reikwijdte=organisatie", {"wide"}),
        ("reikwijdte=proces&aandacht=niet_levend", {"fading", "lapsed"}),
        ("eigenaar=geen", {"later"}),
        ("zoek=vergunning", {"later", "fading", "alive"}),
    ],
)
def test_the_filters_narrow_the_plan_in_sql(
    world: World, plan_world: dict[str, Any], query: str, expected: set[str]
) -> None:
    names = listed(world.client_for("coordinator").get(f"{PLAN}?{query}"))
    assert sorted(names) == sorted(name_of(plan_world[key]) for key in expected)


def test_owner_unit_and_code_filters(world: World, plan_world: dict[str, Any]) -> None:
    client = world.client_for("coordinator")
    secretaris = world.a.members["secretaris"]
    assert listed(client.get(f"{PLAN}?eigenaar={secretaris.uuid}")) == [name_of(plan_world["soon"])]
    code = plan_world["permits"].code
    assert len(listed(client.get(f"{PLAN}?zoek={code}"))) == 3
    # A unit: the lines of its processes, and organisation-wide lines that reach every unit or name it.
    top, child = world.a.units
    assert sorted(listed(client.get(f"{PLAN}?afdeling={child.uuid}"))) == sorted(
        name_of(plan_world[key]) for key in ("overdue", "soon", "lapsed")
    )
    with tenant_scope(world.a.organisation):
        wide = PlannedMeasure.objects.get(pk=plan_world["wide"].pk)
        wide.units.set([child])
    assert name_of(plan_world["wide"]) in listed(client.get(f"{PLAN}?afdeling={child.uuid}"))
    assert name_of(plan_world["wide"]) not in listed(client.get(f"{PLAN}?afdeling={top.uuid}"))
    shift(world.a, plan_world["wide"], reaches_all_units=True)
    assert name_of(plan_world["wide"]) in listed(client.get(f"{PLAN}?afdeling={top.uuid}"))


def test_junk_filters_show_the_whole_plan_with_a_message_never_an_error(
    world: World, plan_world: dict[str, Any]
) -> None:
    client = world.client_for("coordinator")
    with tenant_scope(world.b.organisation):
        foreign = world.b.members["proceseigenaar"]
    for query in (
        "status=kapot",
        f"eigenaar={foreign.uuid}",
        "afdeling=geen-uuid",
        "aandacht=%00",
        "zoek=%00nul",
        "pagina=9999",
        "pagina=-1",
        "zoek=" + "x" * 300,
    ):
        response = client.get(f"{PLAN}?{query}")
        assert response.status_code == 200, query
        assert CANARY not in response.content.decode()
    assert len(listed(client.get(f"{PLAN}?status=kapot"))) == 7


def test_it_pages_by_25_sorted_by_due_date(world: World) -> None:
    with tenant_scope(world.a.organisation):
        one, two = make_process(world.a, name="Proces een"), make_process(world.a, name="Proces twee")
    created = lines_for(world.a, one, 20, due_from=40) + lines_for(world.a, two, 10, due_from=10)
    client = world.client_for("coordinator")
    first, second = listed(client.get(PLAN)), listed(client.get(f"{PLAN}?pagina=2"))
    assert (len(first), len(second)) == (25, 5)
    ordered = sorted(created, key=lambda line: (line.due_date, line.pk))
    assert first + second == [name_of(line) for line in ordered]
    assert "Pagina 1 van 2" in client.get(PLAN).content.decode()


@pytest.mark.parametrize("role", ["lezer", "medewerker", "proceseigenaar", "vertrouwenspersoon", "beheerder"])
def test_who_may_not_see_the_whole_plan_gets_403(world: World, plan_world: dict[str, Any], role: str) -> None:
    client = world.client_for(role)
    for url in (PLAN, f"{PLAN}/exporteren", ADD):
        assert client.get(url).status_code == 403, (role, url)
    assert client.post(ADD, {"measure": "x"}).status_code == 403


def test_only_the_coordinator_adds(world: World) -> None:
    assert world.client_for("secretaris").get(ADD).status_code == 403
    assert world.client_for("coordinator").get(ADD).status_code == 200


# --- queries --------------------------------------------------------------------------------------


def _queries(client: Client, url: str) -> tuple[int, str]:
    middleware_queries(client)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured), response.content.decode()


@pytest.mark.parametrize("query", ["", "?aandacht=niet_levend", "?reikwijdte=proces&status=geimplementeerd"])
def test_the_plan_costs_the_same_for_3_and_28_lines(world: World, query: str) -> None:
    with tenant_scope(world.a.organisation):
        process = make_process(world.a, name="Proces")
    client = world.client_for("coordinator")
    for line in lines_for(world.a, process, 3, review_cadence_months=12):
        implement(world.a, line, on=days(-500))
    small, small_html = _queries(client, PLAN + query)
    for number, line in enumerate(lines_for(world.a, process, 25, start=3, due_from=20, review_cadence_months=12)):
        if number % 2:
            implement(world.a, line, on=days(-500 - number))
    large, large_html = _queries(client, PLAN + query)
    assert small_html.count('<th scope="row">') == 3
    assert large_html.count('<th scope="row">') > 3
    assert small == large
    assert large <= middleware_queries(client) + LIST_BUDGET


# --- adding a measure -----------------------------------------------------------------------------


def _add_data(process: Process | None, key: str = "", **fields: Any) -> dict[str, Any]:
    return {
        "measure": str(measure(key or process_keys()[0]).uuid),
        "process": str(process.uuid) if process else "",
        "owner": "",
        "due_date": days(30).isoformat(),
        "note": "",
        **fields,
    }


def test_the_coordinator_adds_a_process_measure_and_an_organisation_wide_one(world: World) -> None:
    with tenant_scope(world.a.organisation):
        process = make_process(world.a, name="Subsidieverlening")
    client = world.client_for("coordinator")
    page = client.get(f"{ADD}?proces={process.uuid}").content.decode()
    assert '<optgroup label="Per proces">' in page and '<optgroup label="Voor de hele organisatie">' in page
    assert f'<option value="{process.uuid}" selected>' in page
    owner = world.a.members["proceseigenaar"]
    response = client.post(ADD, _add_data(process, owner=str(owner.uuid), note="Eerst met het team bespreken"))
    with tenant_scope(world.a.organisation):
        line = PlannedMeasure.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("plan:measure_detail", kwargs={"planned_measure_uuid": line.uuid})
    assert (line.process_id, line.owner_id, line.note, line.status) == (
        process.pk,
        owner.pk,
        "Eerst met het team bespreken",
        MeasureStatus.PLANNED,
    )
    assert len(events(world.a.organisation, "plan.measure.create")) == 1
    response = client.post(ADD, _add_data(None, ORGANISATION_MEASURE))
    assert response.status_code == 302
    with tenant_scope(world.a.organisation):
        assert PlannedMeasure.objects.filter(process__isnull=True).count() == 1


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"due_date": "past"}, "due_date", "al voorbij"),
        ({"process": ""}, "measure", "maatregel per proces"),
        ({"measure": "organisation"}, "measure", "hele organisatie, niet voor één proces"),
        ({"due_date": "31-02-2030"}, "due_date", "geldige datum"),
        ({"owner": "foreign"}, "owner", "geldige keuze"),
        ({"owner": "lezer"}, "owner", "geldige keuze"),
        ({"measure": ""}, "measure", "Kies een maatregel"),
    ],
)
def test_bad_input_is_explained_and_what_was_typed_is_kept(
    world: World, change: dict[str, str], field: str, message: str
) -> None:
    with tenant_scope(world.a.organisation):
        process = make_process(world.a, name="Subsidieverlening")
    data = _add_data(process, note="Mijn toelichting blijft staan")
    value = next(iter(change.values()))
    key = next(iter(change))
    if value == "past":
        data[key] = days(-1).isoformat()
    elif value == "organisation":
        with tenant_scope(world.a.organisation):
            data[key] = str(measure(ORGANISATION_MEASURE).uuid)
    elif value == "foreign":
        data[key] = str(world.b.members["proceseigenaar"].uuid)
    elif value == "lezer":
        data[key] = str(world.a.members["lezer"].uuid)
    else:
        data[key] = value
    response = world.client_for("coordinator").post(ADD, data)
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body, body[body.find("field-error") - 200 : body.find("field-error") + 400]
    assert "Mijn toelichting blijft staan" in body
    assert f'id="id_{field}_error_1"' in body
    with tenant_scope(world.a.organisation):
        assert not PlannedMeasure.objects.exists()
    assert not AuditEvent.all_chains.filter(action="plan.measure.create").exists()


def test_a_measure_already_in_the_plan_is_refused_with_a_pointer(world: World) -> None:
    with tenant_scope(world.a.organisation):
        process = make_process(world.a, name="Subsidieverlening")
    plan(world.a, process, process_keys()[0])
    response = world.client_for("coordinator").post(ADD, _add_data(process))
    assert "staat al in het actieplan" in response.content.decode()


SAMPLE = ["", "<script>alert('weerbaar')</script>", "'; DROP TABLE core_user; --", "\u0000nul", "-1", "9" * 30]


def test_the_add_form_survives_hostile_input(world: World) -> None:
    with tenant_scope(world.a.organisation):
        process = make_process(world.a, name="Subsidieverlening")
    client = world.client_for("coordinator")
    base = _add_data(process, owner=str(world.a.members["proceseigenaar"].uuid))
    submit_naughty(client, ADD, base_data=base, fields=["note"])
    submit_naughty(client, ADD, base_data=base, fields=["measure", "process", "owner", "due_date"], strings=SAMPLE)
    with tenant_scope(world.a.organisation):
        assert PlannedMeasure.objects.count() == 1
    assert len(NAUGHTY_STRINGS) > len(SAMPLE)


def test_the_sql_liveness_filter_agrees_with_the_scoring_model_at_every_boundary(world: World) -> None:
    with tenant_scope(world.a.organisation):
        process = make_process(world.a, name="Proces")
    keys = iter(process_keys())
    for cadence in (1, 6, 12):
        # Around the day the review falls due, and around the day the last effect is gone.
        for offset in (-1, 0, 1):
            for months in (cadence, 3 * cadence):
                ago = round(months * 30.44) + offset
                line = plan(world.a, process, next(keys), review_cadence_months=cadence)
                implement(world.a, line, on=days(-ago))
    today = timezone.localdate()
    with tenant_scope(world.a.organisation):
        every = list(PlannedMeasure.objects.all())
        expected = {line.pk for line in every if liveness_of(line, today) < 1.0}
        lapsed = {line.pk for line in every if liveness_of(line, today) <= 0.0}
        found = {line.pk for line in plan_lines(PlanFilter(attention=Attention.NOT_ALIVE), today)}
        summary = plan_summary(today)
    assert 0 < len(lapsed) < len(expected) < len(every)
    assert found == expected
    assert (summary.fading, summary.lapsed) == (len(expected - lapsed), len(lapsed))
