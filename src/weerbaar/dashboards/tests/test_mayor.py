"""Consultations with the mayor: recording them, the agreements and their status, who may do what,
the summary on the secretaris dashboard, conflicts and handing over a departing owner's agreements."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from weerbaar.core.services.ownership import owned_by, transfer_all
from weerbaar.core.tenancy import tenant_scope
from weerbaar.core.tests.beheer_support import body, events
from weerbaar.dashboards import services
from weerbaar.dashboards.models import AgreementStatus, ConsultationAgreement, MayorConsultation
from weerbaar.dashboards.selectors.mayor import mayor_summary
from weerbaar.dashboards.tests.support import days, make_agreement, make_consultation, render_card, today
from weerbaar.testing.naughty import submit_naughty
from weerbaar.testing.world import World

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("dashboards:mayor_overview")
CREATE = reverse("dashboards:consultation_create")


def detail(item: MayorConsultation) -> str:
    return reverse("dashboards:consultation_detail", args=[item.uuid])


def edit(item: MayorConsultation) -> str:
    return reverse("dashboards:consultation_update", args=[item.uuid])


def add_agreement(item: MayorConsultation) -> str:
    return reverse("dashboards:agreement_create", args=[item.uuid])


def agreement_status(item: ConsultationAgreement) -> str:
    return reverse("dashboards:agreement_status", args=[item.uuid])


def agreement_edit(item: ConsultationAgreement) -> str:
    return reverse("dashboards:agreement_update", args=[item.uuid])


def _reload(world: World, model: type, pk: int) -> object:
    with tenant_scope(world.a.organisation):
        return model.objects.get(pk=pk)  # type: ignore[attr-defined]


def _consultation_data(**extra: str) -> dict[str, str]:
    data = {
        "held_on": days(-2).isoformat(),
        "topics": "Bibob-beleid en het ondermijningsbeeld",
        "notes": "",
        "next_on": days(40).isoformat(),
    }
    data.update(extra)
    return data


def _status_data(agreement: ConsultationAgreement, **extra: str) -> dict[str, str]:
    prefix = f"afspraak-{agreement.uuid}-"
    data = {"status": AgreementStatus.DONE, "done_on": "", "note": "", "version": str(agreement.version)}
    data.update(extra)
    return {prefix + key: value for key, value in data.items()}


# --- recording a consultation -----------------------------------------------------------------------


def test_the_secretaris_records_a_consultation_and_it_is_audited(world: World) -> None:
    client = world.client_for("secretaris")
    response = client.post(CREATE, _consultation_data())
    with tenant_scope(world.a.organisation):
        item = MayorConsultation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail(item) + "#afspraak-toevoegen"
    assert item.recorded_by == world.a.members["secretaris"]
    assert item.next_on == days(40)
    assert len(events(world.a.organisation, "dashboards.consultation.create")) == 1
    page = body(client.get(OVERVIEW))
    assert "Bibob-beleid en het ondermijningsbeeld" in page and "Op koers" in page


def test_a_consultation_in_the_future_is_refused_in_dutch_and_the_input_is_kept(world: World) -> None:
    response = world.client_for("secretaris").post(
        CREATE, _consultation_data(held_on=days(3).isoformat(), topics="Mijn onderwerpen")
    )
    page = body(response)
    assert response.status_code == 422
    assert "Deze datum ligt in de toekomst." in page
    assert "Mijn onderwerpen" in page
    with tenant_scope(world.a.organisation):
        assert not MayorConsultation.objects.exists()


def test_the_next_consultation_must_lie_after_this_one(world: World) -> None:
    response = world.client_for("secretaris").post(CREATE, _consultation_data(next_on=days(-5).isoformat()))
    assert response.status_code == 422
    assert "Het volgende overleg ligt na dit overleg." in body(response)
    response = world.client_for("secretaris").post(CREATE, _consultation_data(topics="   "))
    assert response.status_code == 422
    assert "Vul in wat er besproken is." in body(response)


def test_the_coordinator_reads_but_does_not_record(world: World) -> None:
    item = make_consultation(world.a, days(-3))
    client = world.client_for("coordinator")
    assert client.get(OVERVIEW).status_code == 200
    page = body(client.get(detail(item)))
    assert "Bibob-beleid" in page and "Afspraak toevoegen" not in page and "Status wijzigen" not in page
    assert client.get(CREATE).status_code == 403
    assert client.post(add_agreement(item), {"description": "x"}).status_code == 403
    for role in ("proceseigenaar", "medewerker", "lezer", "vertrouwenspersoon"):
        assert world.client_for(role).get(OVERVIEW).status_code == 403, role
    assert world.client_for("secretaris", world.b).get(detail(item)).status_code == 404
    with pytest.raises(PermissionDenied), tenant_scope(world.a.organisation):
        services.consultation_create(
            actor=None, member=world.a.members["coordinator"], held_on=today(), topics="Niet toegestaan"
        )


def test_editing_a_consultation_with_a_stale_version_keeps_the_input(world: World) -> None:
    item = make_consultation(world.a, days(-3))
    with tenant_scope(world.a.organisation):
        services.consultation_update(
            actor=None,
            member=world.a.members["secretaris"],
            consultation=item,
            version=item.version,
            held_on=item.held_on,
            topics="Tussendoor gewijzigd",
        )
    client = world.client_for("secretaris")
    response = client.post(edit(item), _consultation_data(topics="Mijn versie", version=str(item.version)))
    page = body(response)
    assert response.status_code == 422
    assert "Iemand anders heeft dit intussen gewijzigd" in page
    assert "Mijn versie" in page and "Tussendoor gewijzigd" in page
    # The form now carries the current version: saving again is a deliberate overwrite.
    response = client.post(edit(item), _consultation_data(topics="Mijn versie", version=str(item.version + 1)))
    assert response.status_code == 302
    assert _reload(world, MayorConsultation, item.pk).topics == "Mijn versie"  # type: ignore[attr-defined]
    assert len(events(world.a.organisation, "dashboards.consultation.update")) == 2


# --- agreements ------------------------------------------------------------------------------------


def test_the_secretaris_adds_an_agreement_with_an_owner_and_a_deadline(world: World) -> None:
    item = make_consultation(world.a, days(-3))
    client = world.client_for("secretaris")
    data = {
        "description": "Beleidslijn Bibob actualiseren",
        "owner": str(world.a.members["coordinator"].uuid),
        "due_on": days(30).isoformat(),
        "note": "",
    }
    response = client.post(add_agreement(item), data)
    assert response.status_code == 302
    with tenant_scope(world.a.organisation):
        agreement = ConsultationAgreement.objects.get()
    assert agreement.owner == world.a.members["coordinator"] and agreement.status == AgreementStatus.OPEN
    assert len(events(world.a.organisation, "dashboards.agreement.create")) == 1
    page = body(client.get(OVERVIEW))
    assert "Beleidslijn Bibob actualiseren" in page and "Aadorp coordinator" in page


def test_a_deadline_before_the_consultation_and_a_foreign_owner_are_refused(world: World) -> None:
    item = make_consultation(world.a, days(-3))
    client = world.client_for("secretaris")
    data = {"description": "Mijn afspraak", "owner": "", "due_on": days(-10).isoformat(), "note": ""}
    response = client.post(add_agreement(item), data)
    assert response.status_code == 422
    page = body(response)
    assert "vóór het overleg" in page and "Mijn afspraak" in page
    response = client.post(
        add_agreement(item), {**data, "due_on": "", "owner": str(world.b.members["coordinator"].uuid)}
    )
    assert response.status_code == 422
    with tenant_scope(world.a.organisation):
        assert not ConsultationAgreement.objects.exists()
    with pytest.raises(ValidationError, match="geen rol waarmee"), tenant_scope(world.a.organisation):
        services.agreement_add(
            actor=None,
            member=world.a.members["secretaris"],
            consultation=item,
            description="Lezer als eigenaar",
            owner=world.a.members["lezer"],
        )


def test_closing_and_reopening_an_agreement_sets_and_clears_the_done_date(world: World) -> None:
    item = make_consultation(world.a, days(-10))
    agreement = make_agreement(world.a, item, due_on=days(5))
    client = world.client_for("secretaris")
    response = client.post(agreement_status(agreement), _status_data(agreement))
    assert response.status_code == 302
    done = _reload(world, ConsultationAgreement, agreement.pk)
    assert done.status == AgreementStatus.DONE and done.done_on == today()  # type: ignore[attr-defined]
    response = client.post(
        agreement_status(agreement),
        _status_data(done, status=AgreementStatus.OPEN),  # type: ignore[arg-type]
    )
    assert response.status_code == 302
    reopened = _reload(world, ConsultationAgreement, agreement.pk)
    assert reopened.status == AgreementStatus.OPEN and reopened.done_on is None  # type: ignore[attr-defined]
    assert len(events(world.a.organisation, "dashboards.agreement.status")) == 2


def test_a_done_date_in_the_future_or_before_the_consultation_is_refused(world: World) -> None:
    item = make_consultation(world.a, days(-10))
    agreement = make_agreement(world.a, item)
    client = world.client_for("secretaris")
    response = client.post(agreement_status(agreement), _status_data(agreement, done_on=days(2).isoformat()))
    assert response.status_code == 422
    assert "Deze datum ligt in de toekomst." in body(response)
    response = client.post(agreement_status(agreement), _status_data(agreement, done_on=days(-20).isoformat()))
    assert response.status_code == 422
    assert _reload(world, ConsultationAgreement, agreement.pk).status == AgreementStatus.OPEN  # type: ignore[attr-defined]


def test_a_stale_status_change_shows_the_conflict_and_keeps_the_input(world: World) -> None:
    item = make_consultation(world.a, days(-10))
    agreement = make_agreement(world.a, item)
    with tenant_scope(world.a.organisation):
        services.agreement_set_status(
            actor=None,
            member=world.a.members["secretaris"],
            agreement=agreement,
            version=agreement.version,
            status=AgreementStatus.LAPSED,
        )
    response = world.client_for("secretaris").post(
        agreement_status(agreement), _status_data(agreement, note="Mijn toelichting")
    )
    page = body(response)
    assert response.status_code == 422
    assert "Iemand anders heeft dit intussen gewijzigd" in page and "Mijn toelichting" in page
    assert _reload(world, ConsultationAgreement, agreement.pk).status == AgreementStatus.LAPSED  # type: ignore[attr-defined]


def test_the_full_agreement_edit_changes_owner_and_status_and_keeps_input_when_stale(world: World) -> None:
    item = make_consultation(world.a, days(-10))
    agreement = make_agreement(world.a, item)
    client = world.client_for("secretaris")
    assert client.get(agreement_edit(agreement)).status_code == 200
    data = {
        "description": "Bijgewerkte afspraak",
        "owner": str(world.a.members["proceseigenaar"].uuid),
        "due_on": days(20).isoformat(),
        "status": AgreementStatus.LAPSED,
        "done_on": days(-1).isoformat(),
        "note": "Niet meer nodig",
        "version": str(agreement.version),
    }
    assert client.post(agreement_edit(agreement), data).status_code == 302
    saved = _reload(world, ConsultationAgreement, agreement.pk)
    assert saved.owner == world.a.members["proceseigenaar"] and saved.done_on == days(-1)  # type: ignore[attr-defined]
    response = client.post(agreement_edit(agreement), {**data, "description": "Te laat"})
    assert response.status_code == 422 and "Te laat" in body(response)
    assert "Iemand anders heeft dit intussen gewijzigd" in body(response)


# --- summary and card --------------------------------------------------------------------------------


def test_the_summary_says_what_needs_attention(world: World) -> None:
    with tenant_scope(world.a.organisation):
        empty = mayor_summary(today())
    assert empty.status == "not_set" and empty.status_css == "" and empty.attention_items
    item = make_consultation(world.a, days(-30), next_on=days(10))
    with tenant_scope(world.a.organisation):
        fine = mayor_summary(today())
    assert (fine.status, fine.status_css, fine.attention_items) == ("ok", "status--ok", [])
    make_agreement(world.a, item, due_on=days(-1))
    make_agreement(world.a, item, due_on=days(3))
    with tenant_scope(world.a.organisation):
        late = mayor_summary(today())
    assert late.status == "attention" and late.overdue_agreements == 1 and late.open_agreements == 2
    assert late.first_agreements[0].due_on == days(-1)
    assert any("over de deadline" in text for text, _url in late.attention_items)
    make_consultation(world.a, days(-200), next_on=days(-170))  # an older one: its next date does not count
    with tenant_scope(world.a.organisation):
        assert mayor_summary(today()).next_on == days(10)
    newest = make_consultation(world.a, days(-5), next_on=days(-1))
    with tenant_scope(world.a.organisation):
        behind = mayor_summary(today())
        html = render_card("_mayor_card.html", mayor=behind)
    assert behind.status == "behind" and behind.status_css == "status--danger" and behind.next_is_overdue
    assert behind.last_consultation == newest and behind.consultations_last_year == 3
    assert "Achterstand" in html and "datum verstreken" in html and "<h3" in html


def test_the_summary_costs_a_fixed_number_of_queries(world: World, django_assert_max_num_queries: object) -> None:
    item = make_consultation(world.a, days(-30), next_on=days(10))
    for index in range(6):
        make_agreement(world.a, item, description=f"Afspraak {index}", due_on=days(index - 3))
    with tenant_scope(world.a.organisation), django_assert_max_num_queries(4):  # type: ignore[operator]
        summary = mayor_summary(today())
        assert [a.owner.user.email for a in summary.first_agreements]  # type: ignore[union-attr]


# --- ownership ------------------------------------------------------------------------------------


def test_a_departing_owner_hands_over_open_agreements_only(world: World) -> None:
    item = make_consultation(world.a, days(-10))
    source, target = world.a.members["proceseigenaar"], world.a.members["coordinator"]
    open_one = make_agreement(world.a, item, owner=source)
    closed = make_agreement(world.a, item, owner=source, description="Al klaar")
    with tenant_scope(world.a.organisation):
        services.agreement_set_status(
            actor=None,
            member=world.a.members["secretaris"],
            agreement=closed,
            version=closed.version,
            status=AgreementStatus.DONE,
        )
        assert "1 afspraak met de burgemeester" in owned_by(source)
        transfer_all(actor=None, source=source, target=target)
        assert ConsultationAgreement.objects.get(pk=open_one.pk).owner == target
        assert ConsultationAgreement.objects.get(pk=closed.pk).owner == source
        assert not [phrase for phrase in owned_by(source) if "burgemeester" in phrase]


# --- hostile input ------------------------------------------------------------------------------------


def test_naughty_input_on_the_mayor_forms(world: World) -> None:
    client = world.client_for("secretaris")
    fields = ["held_on", "topics", "notes", "next_on"]
    submit_naughty(client, CREATE, base_data=_consultation_data(), fields=fields)
    item = make_consultation(world.a, days(-10))
    submit_naughty(client, edit(item), base_data=_consultation_data(version="1"), fields=[*fields, "version"])
    agreement_data = {"description": "Afspraak", "owner": "", "due_on": "", "note": ""}
    submit_naughty(client, add_agreement(item), base_data=agreement_data, fields=list(agreement_data))
    agreement = make_agreement(world.a, item)
    status_data = _status_data(agreement)
    submit_naughty(client, agreement_status(agreement), base_data=status_data, fields=list(status_data))
    edit_data = {**agreement_data, "status": "open", "done_on": "", "version": "1"}
    submit_naughty(client, agreement_edit(agreement), base_data=edit_data, fields=list(edit_data))
    with tenant_scope(world.a.organisation):
        for saved in MayorConsultation.objects.all():
            assert saved.topics.strip() and saved.held_on <= today()
            assert saved.next_on is None or saved.next_on > saved.held_on
        for each in ConsultationAgreement.objects.all():
            assert each.description.strip()
            assert (each.status == AgreementStatus.OPEN) == (each.done_on is None)
