"""The plan-line page: who may see it, the status/review/edit forms, and stale versions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from weerbaar import scoring
from weerbaar.core.tenancy import tenant_scope
from weerbaar.core.tests.beheer_support import body
from weerbaar.plan import services
from weerbaar.plan.models import MeasureStatus
from weerbaar.plan.tests.page_support import events, line_url, process_measure_keys, queries, reload, text
from weerbaar.plan.tests.support import ORGANISATION_MEASURE, implement, measure, pdf, plan, scored_process
from weerbaar.testing.naughty import submit_naughty
from weerbaar.testing.world import World

pytestmark = pytest.mark.django_db


def test_the_owner_the_coordinator_and_the_secretaris_see_the_line_and_other_owners_do_not(world: World) -> None:
    planned = plan(world.a, scored_process(world.a))  # owned by the proceseigenaar
    url = line_url(planned)
    owner_page = body(world.client_for("proceseigenaar").get(url))
    assert "Status wijzigen" in owner_page and "Bewijsstuk toevoegen" in owner_page
    assert "Eigenaar, datum en termijn wijzigen" not in owner_page
    coordinator_page = body(world.client_for("coordinator").get(url))
    assert "Eigenaar, datum en termijn wijzigen" in coordinator_page
    secretaris_page = body(world.client_for("secretaris").get(url))
    assert planned.measure.name in secretaris_page and "Status wijzigen" not in secretaris_page
    for role in ("medewerker", "vertrouwenspersoon"):
        assert world.client_for(role).get(url).status_code == 404, role
        assert world.client_for(role).post(line_url(planned, "measure_status"), {}).status_code == 404, role
    assert world.client_for("lezer").get(url).status_code == 403
    assert world.client_for("coordinator", world.b).get(url).status_code == 404
    data = {"status-status": MeasureStatus.IN_PROGRESS, "status-version": str(planned.version)}
    assert world.client_for("secretaris").post(line_url(planned, "measure_status"), data).status_code == 403


def test_the_what_if_at_adoption_is_shown_only_to_who_may_see_the_process_scores(world: World) -> None:
    process = scored_process(world.a)
    planned = plan(world.a, process, owner_role="medewerker", expected=(72.4, 55.2))
    assert "van 72 naar 55" in text(body(world.client_for("coordinator").get(line_url(planned))))
    own = text(body(world.client_for("medewerker").get(line_url(planned))))
    assert planned.measure.name in own and "van 72 naar 55" not in own


def test_the_owner_moves_the_status_on_and_may_not_reject(world: World) -> None:
    planned = plan(world.a, scored_process(world.a))
    client = world.client_for("proceseigenaar")
    url = line_url(planned, "measure_status")
    response = client.post(url, {"status-status": MeasureStatus.IN_PROGRESS, "status-version": str(planned.version)})
    assert response.status_code == 302
    planned = reload(world.a, planned)
    assert planned.status == MeasureStatus.IN_PROGRESS and events(world, "plan.measure.status") == 1
    page = body(
        client.post(
            url,
            {
                "status-status": MeasureStatus.REJECTED,
                "status-reason": "Te duur",
                "status-version": str(planned.version),
            },
        )
    )
    assert "Deze stap kunt u niet zetten" in page
    assert reload(world.a, planned).status == MeasureStatus.IN_PROGRESS


def test_rejecting_needs_a_reason_and_implementing_a_date_that_is_not_in_the_future(world: World) -> None:
    planned = plan(world.a, scored_process(world.a))
    client = world.client_for("coordinator")
    url = line_url(planned, "measure_status")
    page = body(
        client.post(
            url, {"status-status": MeasureStatus.REJECTED, "status-reason": "", "status-version": str(planned.version)}
        )
    )
    assert "Schrijf op waarom deze maatregel niet (meer) wordt genomen." in page
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    page = body(
        client.post(
            url,
            {
                "status-status": MeasureStatus.IMPLEMENTED,
                "status-implemented_on": tomorrow,
                "status-version": str(planned.version),
            },
        )
    )
    assert "Deze datum ligt in de toekomst" in page and tomorrow in page
    assert reload(world.a, planned).status == MeasureStatus.PLANNED
    response = client.post(
        url,
        {
            "status-status": MeasureStatus.REJECTED,
            "status-reason": "Past niet meer",
            "status-version": str(planned.version),
        },
    )
    assert response.status_code == 302 and reload(world.a, planned).rejection_reason == "Past niet meer"


def test_a_stale_version_shows_the_conflict_and_keeps_the_input(world: World) -> None:
    planned = implement(world.a, plan(world.a, scored_process(world.a)))
    stale = planned.version
    with tenant_scope(world.a.organisation):
        services.planned_measure_update(
            actor=None,
            member=world.a.members["coordinator"],
            planned=planned,
            version=stale,
            owner=planned.owner,
            due_date=planned.due_date,
            note="Tussendoor gewijzigd",
            review_cadence_months=6,
        )
    client = world.client_for("proceseigenaar")
    today = timezone.localdate().isoformat()
    response = client.post(
        line_url(planned, "measure_review"),
        {
            "herziening-reviewed_on": today,
            "herziening-effectiveness": "deels",
            "herziening-note": "Mijn bevindingen",
            "herziening-version": str(stale),
        },
    )
    page = body(response)
    assert response.status_code == 200
    assert "Iemand anders heeft deze maatregel intussen gewijzigd" in page
    assert "Mijn bevindingen" in page and "Tussendoor gewijzigd" in page
    assert f'name="herziening-version" value="{stale + 1}"' in page
    assert events(world, "plan.measure.review") == 0
    edit = body(
        world.client_for("coordinator").post(
            line_url(planned, "measure_edit"),
            {
                "wijzigen-owner": "",
                "wijzigen-note": "Mijn versie",
                "wijzigen-review_cadence_months": "12",
                "wijzigen-version": str(stale),
            },
        )
    )
    assert "Iemand anders heeft deze maatregel intussen gewijzigd" in edit and "Mijn versie" in edit


def test_a_review_keeps_the_measure_alive_and_the_page_says_how_alive_it_is(world: World) -> None:
    today = timezone.localdate()
    process = scored_process(world.a)
    keys = process_measure_keys()
    first = plan(world.a, process, keys[0])
    # Half a cadence past the review date: a quarter of the effect is gone.
    half_late = round(scoring.DEFAULT_PARAMETERS.days_per_month * first.review_cadence_months * 1.5)
    fading = implement(world.a, first, on=today - dt.timedelta(days=half_late))
    short = next(key for key in keys[1:] if measure(key).review_cadence_months <= 12)
    lapsed = implement(world.a, plan(world.a, process, short), on=today - dt.timedelta(days=1200))
    client = world.client_for("coordinator")
    assert "verwatert: nog 75% effect" in text(body(client.get(line_url(fading))))
    words = text(body(client.get(line_url(lapsed))))
    assert "niet meer levend sinds" in words and "Niet meer levend:" in words
    owner = world.a.members["proceseigenaar"]
    response = world.client_for("proceseigenaar").post(
        line_url(fading, "measure_review"),
        {
            "herziening-reviewed_on": today.isoformat(),
            "herziening-effectiveness": "effectief",
            "herziening-note": "Steekproef van tien dossiers",
            "herziening-version": str(fading.version),
        },
    )
    assert response.status_code == 302 and events(world, "plan.measure.review") == 1
    words = text(body(client.get(line_url(fading))))
    assert "Leeft de maatregel? levend" in words and "verwatert: nog" not in words
    assert "Steekproef van tien dossiers" in words
    assert owner.user.full_name in words


def test_the_coordinator_edits_owner_date_and_reach_and_bad_values_are_refused(world: World) -> None:
    planned = plan(world.a, None, ORGANISATION_MEASURE)
    client = world.client_for("coordinator")
    url = line_url(planned, "measure_edit")
    base = {
        "wijzigen-owner": str(world.a.members["secretaris"].uuid),
        "wijzigen-note": "Jaarlijks",
        "wijzigen-review_cadence_months": "6",
        "wijzigen-version": str(planned.version),
    }
    past = (timezone.localdate() - dt.timedelta(days=3)).isoformat()
    page = body(client.post(url, {**base, "wijzigen-due_date": past}))
    assert "Deze datum is al voorbij" in page and "Jaarlijks" in page
    page = body(client.post(url, {**base, "wijzigen-owner": str(world.b.members["secretaris"].uuid)}))
    assert "kan geen eigenaar zijn van een maatregel in deze organisatie" in page
    page = body(client.post(url, {**base, "wijzigen-units": str(world.b.units[0].uuid)}))
    assert "Kies afdelingen en teams van deze organisatie" in page
    response = client.post(url, {**base, "wijzigen-units": str(world.a.units[1].uuid)})
    assert response.status_code == 302
    planned = reload(world.a, planned)
    with tenant_scope(world.a.organisation):
        assert [unit.pk for unit in planned.units.all()] == [world.a.units[1].pk]
    assert planned.owner_id == world.a.members["secretaris"].pk and planned.review_cadence_months == 6
    assert events(world, "plan.measure.update") == 1
    words = text(body(client.get(line_url(planned))))
    assert "Hele organisatie: " + world.a.units[1].name in words
    client.post(url, {**base, "wijzigen-version": str(planned.version), "wijzigen-reaches_all_units": "on"})
    assert "over alle organisatieonderdelen" in text(body(client.get(line_url(planned))))
    assert world.client_for("proceseigenaar").post(url, base).status_code == 403


def test_every_form_on_the_line_survives_hostile_input(world: World) -> None:
    planned = implement(world.a, plan(world.a, scored_process(world.a)))
    owner = world.client_for("proceseigenaar")
    coordinator = world.client_for("coordinator")
    today = timezone.localdate().isoformat()
    statuses = [*MeasureStatus.values, "onbekend", ""]
    submit_naughty(
        coordinator,
        line_url(planned, "measure_status"),
        base_data={"status-status": MeasureStatus.REJECTED, "status-reason": "x", "status-version": "999"},
        fields=["status-reason", "status-implemented_on", "status-version"],
    )
    submit_naughty(
        coordinator,
        line_url(planned, "measure_status"),
        base_data={"status-status": "", "status-reason": "x", "status-version": "999"},
        fields=["status-status"],
        strings=statuses,
    )
    review = {
        "herziening-reviewed_on": today,
        "herziening-effectiveness": "effectief",
        "herziening-note": "",
        "herziening-version": "999",
    }
    submit_naughty(
        owner,
        line_url(planned, "measure_review"),
        base_data=review,
        fields=["herziening-reviewed_on", "herziening-note", "herziening-version"],
    )
    submit_naughty(
        owner,
        line_url(planned, "measure_review"),
        base_data=review,
        fields=["herziening-effectiveness"],
        strings=["effectief", "deels", "niet", "altijd", ""],
    )
    submit_naughty(
        owner, line_url(planned, "evidence_add"), base_data={"bewijs-note": "Notulen"}, fields=["bewijs-note"]
    )
    edit = {
        "wijzigen-owner": "",
        "wijzigen-due_date": "",
        "wijzigen-note": "",
        "wijzigen-review_cadence_months": "12",
        "wijzigen-version": "999",
    }
    submit_naughty(
        coordinator,
        line_url(planned, "measure_edit"),
        base_data=edit,
        fields=[
            "wijzigen-owner",
            "wijzigen-due_date",
            "wijzigen-note",
            "wijzigen-review_cadence_months",
            "wijzigen-version",
        ],
    )
    wide = plan(world.a, None, ORGANISATION_MEASURE)
    submit_naughty(
        coordinator,
        line_url(wide, "measure_edit"),
        base_data={**edit, "wijzigen-version": str(wide.version)},
        fields=["wijzigen-units", "wijzigen-reaches_all_units"],
    )


def test_the_line_page_costs_the_same_for_2_and_20_reviews_and_evidence(world: World) -> None:
    planned = implement(
        world.a, plan(world.a, scored_process(world.a)), on=timezone.localdate() - dt.timedelta(days=40)
    )
    member = world.a.members["proceseigenaar"]

    def add(count: int, start: int) -> None:
        with tenant_scope(world.a.organisation):
            for number in range(start, start + count):
                line = reload(world.a, planned)
                services.measure_review_add(
                    actor=None,
                    member=member,
                    planned=line,
                    version=line.version,
                    reviewed_on=timezone.localdate() - dt.timedelta(days=30 - number),
                    effectiveness="deels",
                    note=f"Herziening {number}",
                )
                services.evidence_add(
                    actor=None, member=member, planned=line, note=f"Bewijs {number}", upload=pdf(f"bewijs-{number}.pdf")
                )

    add(2, 0)
    clients = {role: world.client_for(role) for role in ("coordinator", "proceseigenaar")}
    small = {role: queries(client, line_url(planned)) for role, client in clients.items()}
    add(18, 2)
    large = {role: queries(client, line_url(planned)) for role, client in clients.items()}
    for role in clients:
        assert "2 herzieningen" in small[role][1] and "2 bewijsstukken" in small[role][1]
        assert "20 herzieningen" in large[role][1] and "20 bewijsstukken" in large[role][1]
        assert small[role][0] == large[role][0], role


def test_a_rejected_line_that_was_adopted_again_points_to_the_live_one_and_cannot_be_revived(world: World) -> None:
    process = scored_process(world.a)
    rejected = plan(world.a, process, status=MeasureStatus.REJECTED, rejection_reason="Eerst niet")
    live = plan(world.a, process)
    client = world.client_for("coordinator")
    page = body(client.get(line_url(rejected)))
    assert "later opnieuw in het actieplan gezet" in page and line_url(live) in page
    assert "Status opslaan" not in page
    response = client.post(
        line_url(rejected, "measure_status"),
        {"status-status": MeasureStatus.PLANNED, "status-version": str(rejected.version)},
    )
    assert response.status_code == 200 and "staat al in het actieplan" in body(response)
    assert reload(world.a, rejected).status == MeasureStatus.REJECTED
