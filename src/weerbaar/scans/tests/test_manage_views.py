"""The coordinator runs a scan round: list, create, edit, scope, raters and the state buttons.

The secretaris follows along read-only; every write is the coordinator's.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from weerbaar.core.tenancy import tenant_scope
from weerbaar.core.tests.beheer_support import body, events
from weerbaar.register.models import Process
from weerbaar.register.services import process_archive
from weerbaar.register.tests.support import make_process
from weerbaar.scans import services
from weerbaar.scans.models import Scan, ScanProcess, ScanState
from weerbaar.scans.tests.support import make_scan, rate, ratings_of, reload
from weerbaar.testing.world import CANARY, World

pytestmark = pytest.mark.django_db

LIST = reverse("scans:scan_list")
CREATE = reverse("scans:scan_create")


def _url(name: str, scan: Scan) -> str:
    return reverse(f"scans:{name}", kwargs={"scan_uuid": scan.uuid})


def _scan_processes(scan: Scan) -> list[ScanProcess]:
    return list(ScanProcess.cross_tenant_objects.filter(scan=scan).select_related("process").order_by("pk"))


def _raters(scan_process: ScanProcess) -> list[str]:
    return sorted(rating.rater.roles[0] for rating in ratings_of(scan_process))


def _create_data(**overrides: Any) -> dict[str, Any]:
    today = timezone.localdate()
    data: dict[str, Any] = {
        "name": "Kwetsbaarhedenscan voorjaar",
        "period_start": f"{today.year}-01-01",
        "period_end": f"{today.year}-12-31",
        "deadline": (today + dt.timedelta(days=10)).isoformat(),
        "description": "Beoordeel eerlijk; bij twijfel: bel de coördinator.",
        "scope": "alle",
    }
    data.update(overrides)
    return data


def _open(world: World, **fields: Any) -> Scan:
    with tenant_scope(world.a.organisation):
        scan = make_scan(world.a, **fields)
        return services.scan_open(actor=None, scan=scan, version=scan.version)


def _to_review(scan: Scan) -> Scan:
    scan = reload(scan)
    return services.scan_start_review(actor=None, scan=scan, version=scan.version)


# --- list -----------------------------------------------------------------------------------------


def test_the_list_shows_each_scan_with_state_in_words_and_progress_newest_first(world: World) -> None:
    with tenant_scope(world.a.organisation):
        year = timezone.localdate().year - 1
        old = make_scan(
            world.a, name="Scan vorig jaar", period_start=dt.date(year, 1, 1), period_end=dt.date(year, 12, 31)
        )
        old = services.scan_open(actor=None, scan=old, version=old.version)
        rate(ratings_of(_scan_processes(old)[0])[0])
        make_scan(world.a, name="Scan dit jaar", processes=[Process.objects.order_by("pk").first()])
    with tenant_scope(world.b.organisation):
        make_scan(world.b, name=f"Scan {CANARY}")
    page = body(world.client_for("coordinator").get(LIST))
    assert page.index("Scan dit jaar") < page.index("Scan vorig jaar")
    assert "Concept" in page and "Open voor beoordeling" in page
    assert "1 van 4 beoordelingen" in page  # two processes, two raters each, one handed in
    assert "Nieuwe scan" in page
    assert CANARY not in page


def test_the_secretaris_reads_the_list_without_the_new_scan_button(world: World) -> None:
    with tenant_scope(world.a.organisation):
        make_scan(world.a)
    page = body(world.client_for("secretaris").get(LIST))
    assert "Scan 2026" in page and "Nieuwe scan" not in page
    assert "Er is nog geen scan" not in page


def test_an_empty_list_explains_what_to_do(world: World) -> None:
    assert "Nieuwe scan" in body(world.client_for("coordinator").get(LIST))
    assert "De coördinator ondermijning zet de scan klaar" in body(world.client_for("secretaris").get(LIST))


# --- create ---------------------------------------------------------------------------------------


def test_the_new_scan_form_proposes_this_year_three_weeks_and_the_coordinator_as_rater(world: World) -> None:
    with tenant_scope(world.a.organisation):
        make_process(world.a, name="Bijstand", unit=world.a.units[0])
    page = body(world.client_for("coordinator").get(CREATE))
    today = timezone.localdate()
    assert f"Kwetsbaarhedenscan {today.year}" in page
    assert f'value="{today.year}-01-01"' in page and f'value="{today.year}-12-31"' in page
    assert f'value="{(today + dt.timedelta(days=21)).isoformat()}"' in page
    assert "Standaard beoordeelt de proceseigenaar samen met ten minste één collega." in page
    assert "Bijstand" in page and "Aadorp Publiekszaken" in page
    coordinator = world.a.members["coordinator"]
    assert f'value="{coordinator.uuid}" id="id_extra_raters_' in page.replace(" checked", "")
    raters = page.split("Beoordelaars naast de proceseigenaar")[1].split("</fieldset>")[0]
    assert "Aadorp medewerker" in raters and "Aadorp lezer" not in raters  # only roles that may rate


def test_creating_a_scan_of_all_active_processes_gives_each_its_owner_and_the_extra_raters(world: World) -> None:
    with tenant_scope(world.a.organisation):
        make_process(world.a, name="Bijstand")
        make_process(world.a, name="Subsidies", owner=None)
        archived = make_process(world.a, name="Oud proces")
        process_archive(actor=None, process=archived, version=archived.version)
    data = _create_data(extra_raters=[str(world.a.members["coordinator"].uuid)], allow_single_rater="on")
    response = world.client_for("coordinator").post(CREATE, data)
    assert response.status_code == 302
    scan = Scan.cross_tenant_objects.get()
    assert response["Location"] == _url("scan_detail", scan)
    assert scan.state == ScanState.DRAFT and scan.allow_single_rater
    assert scan.created_by == world.a.members["coordinator"]
    rows = {sp.process.name: _raters(sp) for sp in _scan_processes(scan)}
    assert rows == {"Bijstand": ["coordinator", "proceseigenaar"], "Subsidies": ["coordinator"]}
    assert events(world.a.organisation, "scan.create")


def test_a_selection_by_unit_takes_its_sub_units_and_adds_single_processes(world: World) -> None:
    top, child = world.a.units
    with tenant_scope(world.a.organisation):
        make_process(world.a, name="Paspoorten", unit=child)
        make_process(world.a, name="Bijstand", unit=top)
        loose = make_process(world.a, name="Inkoop", unit=None)
        make_process(world.a, name="Subsidies", unit=None)
    data = _create_data(scope="selectie", units=[str(top.uuid)], processes=[str(loose.uuid)])
    assert world.client_for("coordinator").post(CREATE, data).status_code == 302
    names = sorted(sp.process.name for sp in _scan_processes(Scan.cross_tenant_objects.get()))
    assert names == ["Bijstand", "Inkoop", "Paspoorten"]


def test_an_empty_selection_or_a_taken_name_is_explained_in_dutch_and_the_input_is_kept(world: World) -> None:
    with tenant_scope(world.a.organisation):
        process = make_process(world.a, name="Bijstand")
        make_scan(world.a, name="Bestaande scan", processes=[process])
    client = world.client_for("coordinator")
    response = client.post(CREATE, _create_data(scope="selectie", description="Mijn eigen toelichting"))
    page = body(response)
    assert response.status_code == 200
    assert "Kies ten minste één afdeling of proces" in page and "Mijn eigen toelichting" in page
    page = body(client.post(CREATE, _create_data(name="bestaande scan", period_end="2000-01-01")))
    assert "Het einde van de periode ligt vóór het begin." in page
    page = body(client.post(CREATE, _create_data(name="bestaande scan")))
    assert "Er is al een scan met deze naam." in page and 'value="bestaande scan"' in page
    page = body(
        client.post(CREATE, _create_data(scope="selectie", processes=[str(process.uuid)], deadline="2001-02-03"))
    )
    assert "Deze datum is al voorbij" in page and 'value="2001-02-03"' in page
    assert f'value="{process.uuid}" id="process-{process.uuid}" checked' in page
    assert Scan.cross_tenant_objects.count() == 1


def test_without_processes_in_the_register_the_form_points_to_the_register(world: World) -> None:
    page = body(world.client_for("coordinator").get(CREATE))
    assert "Er staan nog geen actieve processen" in page
    assert "Kies ten minste één proces." in body(world.client_for("coordinator").post(CREATE, _create_data()))


# --- the scan page --------------------------------------------------------------------------------


def test_a_draft_shows_what_happens_next_and_the_open_button_with_its_version(world: World) -> None:
    with tenant_scope(world.a.organisation):
        scan = make_scan(world.a, extra_roles=())
    page = body(world.client_for("coordinator").get(_url("scan_detail", scan)))
    assert 'aria-current="step"' in page and "Beoordelaars zien nog niets" in page
    assert "Openen en beoordelaars uitnodigen" in page
    assert f'action="{_url("scan_open", scan)}"' in page and f'name="version" value="{scan.version}"' in page
    assert "2 processen hebben minder dan 2 beoordelaar(s)" in page
    assert "Consensusfase starten" not in page and "nog niet uitgenodigd" in page


def test_an_open_scan_shows_who_is_not_finished_without_any_scores(world: World) -> None:
    scan = _open(world)
    with tenant_scope(world.a.organisation):
        for scan_process in _scan_processes(scan):
            for rating in ratings_of(scan_process):
                if rating.rater == world.a.members["proceseigenaar"]:
                    rate(rating, note="GEHEIME-NOTITIE")
    for role in ("coordinator", "secretaris"):
        page = body(world.client_for(role).get(_url("scan_detail", scan)))
        waiting = page.split("Wie is nog niet klaar?")[1].split("</ul>")[0]
        assert "Aadorp coordinator" in waiting and "Aadorp proceseigenaar" not in waiting
        assert "GEHEIME-NOTITIE" not in page and "Veel belang van derden" not in page
        assert "2 van 4" in page
    coordinator_page = body(world.client_for("coordinator").get(_url("scan_detail", scan)))
    assert "2 beoordelingen zijn nog niet ingeleverd" in coordinator_page
    assert "Consensusfase starten" in coordinator_page and "Openen en beoordelaars" not in coordinator_page
    secretaris_page = body(world.client_for("secretaris").get(_url("scan_detail", scan)))
    assert "Consensusfase starten" not in secretaris_page and f'action="{_url("scan_start_review", scan)}"' not in (
        secretaris_page
    )


def test_in_review_the_page_offers_reopen_until_consensus_and_counts_what_is_unsettled(world: World) -> None:
    scan = _open(world)
    with tenant_scope(world.a.organisation):
        for scan_process in _scan_processes(scan):
            for rating in ratings_of(scan_process):
                rate(rating)
        scan = _to_review(scan)
    client = world.client_for("coordinator")
    page = body(client.get(_url("scan_detail", scan)))
    assert "Terug naar beoordelen" in page and "Scan afsluiten" in page
    assert f'href="{reverse("scans:review", kwargs={"scan_uuid": scan.uuid})}"' in page
    assert "Bij 2 processen is nog geen consensus vastgesteld" in page
    with tenant_scope(world.a.organisation):
        services.consensus_accept_agreed(actor=None, by=None, scan=scan, version=scan.version)
    page = body(client.get(_url("scan_detail", scan)))
    assert "Terug naar beoordelen" not in page and "Elk proces heeft consensus" in page


# --- the state buttons ----------------------------------------------------------------------------


def test_opening_invites_the_raters_and_a_stale_version_changes_nothing(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with tenant_scope(world.a.organisation):
        scan = make_scan(world.a)
    client = world.client_for("coordinator")
    response = client.post(_url("scan_open", scan), {"version": scan.version - 1 or 99})
    assert response.status_code == 302 and response["Location"] == _url("scan_detail", scan)
    assert reload(scan).state == ScanState.DRAFT
    assert "Iemand anders heeft dit intussen gewijzigd" in body(client.get(response["Location"]))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("scan_open", scan), {"version": scan.version})
    assert reload(scan).state == ScanState.OPEN
    assert len(mail.outbox) == 2
    assert "is geopend" in body(client.get(response["Location"]))


def test_opening_with_too_few_raters_is_refused_with_the_reason(world: World) -> None:
    with tenant_scope(world.a.organisation):
        scan = make_scan(world.a, extra_roles=())
    client = world.client_for("coordinator")
    response = client.post(_url("scan_open", scan), {"version": scan.version})
    assert reload(scan).state == ScanState.DRAFT
    assert "nog geen 2 beoordelaars" in body(client.get(response["Location"]))


def test_review_reopen_and_close_go_through_the_buttons(world: World) -> None:
    scan = _open(world)
    client = world.client_for("coordinator")
    with tenant_scope(world.a.organisation):
        for scan_process in _scan_processes(scan):
            for rating in ratings_of(scan_process):
                rate(rating)
    client.post(_url("scan_start_review", scan), {"version": reload(scan).version})
    assert reload(scan).state == ScanState.REVIEW
    client.post(_url("scan_reopen", scan), {"version": reload(scan).version})
    assert reload(scan).state == ScanState.OPEN
    client.post(_url("scan_start_review", scan), {"version": reload(scan).version})
    response = client.post(_url("scan_close", scan), {"version": reload(scan).version})
    assert reload(scan).state == ScanState.REVIEW
    assert "Bij 2 processen is nog geen consensus" in body(client.get(response["Location"]))
    with tenant_scope(world.a.organisation):
        services.consensus_accept_agreed(actor=None, by=None, scan=reload(scan), version=reload(scan).version)
    client.post(_url("scan_close", scan), {"version": reload(scan).version})
    assert reload(scan).state == ScanState.CLOSED
    page = body(client.get(_url("scan_detail", scan)))
    assert "De scan is afgesloten" in page and "Scan afsluiten" not in page
    assert f'href="{reverse("scans:results")}?scan={scan.uuid}"' in page


def test_a_button_with_a_broken_or_stale_version_is_refused(world: World) -> None:
    scan = _open(world)
    client = world.client_for("coordinator")
    for version in ("", "abc", str(scan.version + 5)):
        response = client.post(_url("scan_start_review", scan), {"version": version})
        assert response.status_code == 302
    assert reload(scan).state == ScanState.OPEN


# --- edit -----------------------------------------------------------------------------------------


def test_a_draft_can_change_everything_and_an_open_scan_only_name_deadline_and_description(world: World) -> None:
    with tenant_scope(world.a.organisation):
        scan = make_scan(world.a)
    client = world.client_for("coordinator")
    today = timezone.localdate()
    data = _create_data(name="Nieuwe naam", allow_single_rater="on", version=scan.version)
    assert client.post(_url("scan_update", scan), data).status_code == 302
    scan = reload(scan)
    assert scan.name == "Nieuwe naam" and scan.allow_single_rater
    with tenant_scope(world.a.organisation):
        scan = services.scan_open(actor=None, scan=scan, version=scan.version)
    page = body(client.get(_url("scan_update", scan)))
    assert 'name="period_start"' not in page and 'name="deadline"' in page and "alleen de naam" in page
    data = _create_data(name="Open scan", period_start="2001-01-01", version=scan.version)
    assert client.post(_url("scan_update", scan), data).status_code == 302
    scan = reload(scan)
    assert scan.name == "Open scan" and scan.period_start == dt.date(today.year, 1, 1)


def test_editing_with_a_stale_version_shows_the_conflict_and_keeps_the_input(world: World) -> None:
    with tenant_scope(world.a.organisation):
        scan = make_scan(world.a)
        services.scan_update(actor=None, scan=scan, version=scan.version, name="Door een ander")
    client = world.client_for("coordinator")
    response = client.post(_url("scan_update", scan), _create_data(name="Mijn naam", version=scan.version))
    page = body(response)
    assert response.status_code == 200
    assert "Iemand anders heeft dit intussen gewijzigd" in page and 'value="Mijn naam"' in page
    assert "Zo staat het nu opgeslagen" in page and "Door een ander" in page
    assert f'name="version" value="{scan.version + 1}"' in page
    assert reload(scan).name == "Door een ander"


def test_a_scan_in_review_explains_that_it_is_read_only(world: World) -> None:
    scan = _open(world)
    with tenant_scope(world.a.organisation):
        scan = _to_review(scan)
    client = world.client_for("coordinator")
    for name in ("scan_update", "scan_scope", "scan_raters"):
        response = client.get(_url(name, scan))
        assert response.status_code == 200 and "Alleen lezen:" in body(response), name
        assert '<form method="post" novalidate' not in body(response)
    response = client.post(_url("scan_update", scan), _create_data(name="Stiekem", version=scan.version))
    assert response.status_code == 200 and reload(scan).name == "Scan 2026"


# --- scope ----------------------------------------------------------------------------------------


def test_the_scope_of_a_draft_changes_with_the_same_picker(world: World) -> None:
    with tenant_scope(world.a.organisation):
        first = make_process(world.a, name="Paspoorten")
        second = make_process(world.a, name="Bijstand")
        third = make_process(world.a, name="Inkoop", owner=None)
        scan = make_scan(world.a, processes=[first, second])
    client = world.client_for("coordinator")
    page = body(client.get(_url("scan_scope", scan)))
    assert f'value="{first.uuid}" id="process-{first.uuid}" checked' in page
    assert f'value="{third.uuid}" id="process-{third.uuid}">' in page
    coordinator = world.a.members["coordinator"]
    data = {
        "scope": "selectie",
        "processes": [str(second.uuid), str(third.uuid)],
        "extra_raters": [str(coordinator.uuid)],
        "version": scan.version,
    }
    assert client.post(_url("scan_scope", scan), data).status_code == 302
    rows = {sp.process.name: _raters(sp) for sp in _scan_processes(scan)}
    assert rows == {"Bijstand": ["coordinator", "proceseigenaar"], "Inkoop": ["coordinator"]}
    response = client.post(_url("scan_scope", scan), data)  # the old version
    assert "Iemand anders heeft dit intussen gewijzigd" in body(response)


def test_the_scope_form_ticks_the_raters_every_process_shares(world: World) -> None:
    with tenant_scope(world.a.organisation):
        scan = make_scan(world.a)
    page = body(world.client_for("coordinator").get(_url("scan_scope", scan)))
    coordinator = world.a.members["coordinator"]
    owner = world.a.members["proceseigenaar"]
    assert f'value="{coordinator.uuid}" id="id_extra_raters_' in page
    assert page.count("checked") >= 3  # two processes and the shared extra rater
    fieldset = page.split("Beoordelaars naast de proceseigenaar")[1]
    owner_input = fieldset.split(f'value="{owner.uuid}"')[1].split(">")[0]
    assert "checked" not in owner_input


# --- raters ---------------------------------------------------------------------------------------


def test_processes_short_of_raters_come_first_and_are_flagged_in_words(world: World) -> None:
    with tenant_scope(world.a.organisation):
        full = make_process(world.a, name="Aanbesteden")
        short = make_process(world.a, name="Zwembadvergunning", owner=None)
        scan = make_scan(world.a, processes=[full, short])
    page = body(world.client_for("coordinator").get(_url("scan_raters", scan)))
    assert "1 proces heeft te weinig beoordelaars" in page
    assert page.index("Zwembadvergunning") < page.index("Aanbesteden")
    assert "te weinig beoordelaars" in page.split("Zwembadvergunning")[1].split("</th>")[0]


def test_the_coordinator_changes_the_raters_of_one_process(world: World) -> None:
    with tenant_scope(world.a.organisation):
        scan = make_scan(world.a)
        target = _scan_processes(scan)[0]
    client = world.client_for("coordinator")
    members = world.a.members
    data = {
        "scan_process": str(target.uuid),
        "version": target.version,
        "raters": [str(members["proceseigenaar"].uuid), str(members["secretaris"].uuid)],
    }
    response = client.post(_url("scan_raters", scan), data)
    assert response.status_code == 302 and response["Location"].endswith(f"#proces-{target.uuid}")
    assert _raters(target) == ["proceseigenaar", "secretaris"]
    assert _raters(_scan_processes(scan)[1]) == ["coordinator", "proceseigenaar"]
    stale = client.post(_url("scan_raters", scan), {**data, "raters": [str(members["coordinator"].uuid)]})
    page = body(stale)
    assert stale.status_code == 200 and "Iemand anders heeft dit intussen gewijzigd" in page
    row = page.split(f'id="proces-{target.uuid}"')[1].split("</tr>")[0]
    assert f'value="{members["coordinator"].uuid}" id="r-{target.uuid}-' in row
    assert f'name="version" value="{target.version + 1}"' in row
    assert _raters(target) == ["proceseigenaar", "secretaris"]


def test_a_rater_who_started_stays_and_nobody_is_a_refusal_in_dutch(world: World) -> None:
    scan = _open(world)
    members = world.a.members
    with tenant_scope(world.a.organisation):
        target = _scan_processes(scan)[0]
        started = next(r for r in ratings_of(target) if r.rater == members["coordinator"])
        rate(started, submit=False)
    client = world.client_for("coordinator")
    page = body(client.get(_url("scan_raters", scan)))
    assert "al begonnen" in page and "De scan is open" in page
    base = {"scan_process": str(target.uuid), "version": reload(target).version}
    page = body(client.post(_url("scan_raters", scan), {**base, "raters": [str(members["proceseigenaar"].uuid)]}))
    assert "heeft dit proces al (deels) beoordeeld en blijft beoordelaar" in page
    page = body(client.post(_url("scan_raters", scan), base))
    assert "Kies ten minste één beoordelaar." in page
    response = client.post(_url("scan_raters", scan), {**base, "scan_process": "geen-proces"})
    assert response.status_code == 302
    assert len(ratings_of(target)) == 2


# --- who may do what ------------------------------------------------------------------------------


def test_the_secretaris_may_read_but_not_change_anything(world: World) -> None:
    with tenant_scope(world.a.organisation):
        scan = make_scan(world.a)
    client = world.client_for("secretaris")
    assert client.get(_url("scan_detail", scan)).status_code == 200
    page = body(client.get(_url("scan_detail", scan)))
    assert "Gegevens wijzigen" not in page and "Openen en beoordelaars" not in page
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, _create_data()).status_code == 403
    for name in ("scan_update", "scan_scope", "scan_raters"):
        assert client.get(_url(name, scan)).status_code == 403
        assert client.post(_url(name, scan), {"version": scan.version}).status_code == 403
    for name in ("scan_open", "scan_start_review", "scan_reopen", "scan_close"):
        assert client.post(_url(name, scan), {"version": scan.version}).status_code == 403
    assert reload(scan).state == ScanState.DRAFT and Scan.cross_tenant_objects.count() == 1


def test_another_gemeentes_scan_is_not_found(world: World) -> None:
    with tenant_scope(world.b.organisation):
        scan = make_scan(world.b, name=f"Scan {CANARY}")
    client = world.client_for("coordinator")
    for name in ("scan_detail", "scan_update", "scan_scope", "scan_raters"):
        assert client.get(_url(name, scan)).status_code == 404
    assert client.post(_url("scan_open", scan), {"version": scan.version}).status_code == 404
    assert reload(scan).state == ScanState.DRAFT
