from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from weerbaar.core import selectors, services
from weerbaar.core.models import Membership
from weerbaar.core.tenancy import tenant_scope
from weerbaar.core.tests.beheer_support import body, events, middleware_queries
from weerbaar.testing.factories import MembershipFactory, UserFactory
from weerbaar.testing.naughty import submit_naughty
from weerbaar.testing.world import World

pytestmark = pytest.mark.django_db

PAGE = reverse("core:access_review")


def _confirm_url(membership: Membership) -> str:
    return reverse("core:access_review_confirm", kwargs={"membership_uuid": membership.uuid})


def _revoke_url(membership: Membership) -> str:
    return reverse("core:access_review_revoke", kwargs={"membership_uuid": membership.uuid})


def _reload(membership: Membership) -> Membership:
    return Membership.cross_tenant_objects.get(pk=membership.pk)


def _age(membership: Membership, *, created_days: int, reviewed_days: int | None = None) -> None:
    now = timezone.now()
    aged = _reload(membership)
    aged.created_at = now - dt.timedelta(days=created_days)
    aged.last_reviewed_at = None if reviewed_days is None else now - dt.timedelta(days=reviewed_days)
    Membership.cross_tenant_objects.filter(pk=membership.pk).update(
        created_at=aged.created_at, last_reviewed_at=aged.last_reviewed_at, review_due_at=aged.compute_review_due_at()
    )


def test_beheerders_are_due_after_90_days_and_everyone_else_after_a_year(world: World) -> None:
    _age(world.a.members["beheerder"], created_days=400, reviewed_days=91)
    _age(world.a.members["coordinator"], created_days=400, reviewed_days=91)
    _age(world.a.members["lezer"], created_days=400, reviewed_days=366)
    _age(world.a.members["medewerker"], created_days=364)  # never reviewed: the clock starts when granted
    _age(world.a.members["secretaris"], created_days=366)
    with tenant_scope(world.a.organisation):
        review = selectors.access_review()
        due = {row.membership.user.email.split("@")[0] for row in review.rows if row.is_due}
        assert due == {"beheerder", "lezer", "secretaris"}
        assert review.due_count == 3 == selectors.access_reviews_due_count()


def test_the_page_puts_due_reviews_first_and_counts_the_inactive_members(world: World) -> None:
    _age(world.a.members["lezer"], created_days=500)
    with tenant_scope(world.a.organisation):
        services.membership_deactivate(actor=world.a.user("beheerder"), membership=world.a.members["medewerker"])
    page = body(world.client_for("beheerder").get(PAGE))
    assert "Bij 1 persoon is een controle nu nodig." in page
    table = page[page.index("Actieve gebruikers") :]
    assert table.index("lezer@aadorp.example") < table.index("beheerder@aadorp.example")
    assert "medewerker@aadorp.example" not in table
    assert "1 persoon heeft geen toegang meer" in page and "?status=inactief" in page
    assert "nu nodig" in page and "KANARIE" not in page


def test_confirming_records_who_and_when_and_is_audited(world: World) -> None:
    member = world.a.members["lezer"]
    _age(member, created_days=500)
    response = world.client_for("beheerder").post(_confirm_url(member), {"version": "1"})
    assert response.status_code == 302
    confirmed = _reload(member)
    assert confirmed.last_reviewed_by == world.a.user("beheerder")
    assert confirmed.last_reviewed_at is not None
    assert timezone.now() - confirmed.last_reviewed_at < dt.timedelta(minutes=1)
    [event] = events(world.a.organisation, "access_review.confirm")
    assert event.changes["last_reviewed_by"] == [None, str(world.a.user("beheerder").uuid)]
    assert event.changes["roles"] == [["lezer"], ["lezer"]]
    with tenant_scope(world.a.organisation):
        assert selectors.access_reviews_due_count() == 0


def test_confirming_roles_that_changed_since_the_page_was_opened_is_refused(world: World) -> None:
    member = world.a.members["lezer"]
    with tenant_scope(world.a.organisation):
        services.membership_update(actor=world.a.user("beheerder"), membership=member, roles=["coordinator"], unit=None)
    response = world.client_for("beheerder").post(_confirm_url(member), {"version": "1"}, follow=True)
    assert "Iemand anders heeft dit intussen gewijzigd" in body(response)
    assert _reload(member).last_reviewed_at is None


def test_revoking_needs_a_reason_deactivates_and_is_audited_with_it(world: World) -> None:
    member = world.a.members["proceseigenaar"]
    client = world.client_for("beheerder")
    response = client.post(_revoke_url(member), {"version": "1", "reason": "  "})
    assert response.status_code == 200
    assert "Geef aan waarom" in body(response)
    assert _reload(member).is_active
    response = client.post(_revoke_url(member), {"version": "1", "reason": "Andere functie sinds maart"})
    assert response.status_code == 302
    revoked = _reload(member)
    assert not revoked.is_active and revoked.deactivated_at is not None
    assert revoked.last_reviewed_by == world.a.user("beheerder")
    [event] = events(world.a.organisation, "access_review.revoke")
    assert event.reason == "Andere functie sinds maart"
    assert event.changes["is_active"] == [True, False]


def test_the_revoke_service_refuses_an_empty_reason_and_the_last_beheerder(world: World) -> None:
    beheerder = world.a.members["beheerder"]
    with tenant_scope(world.a.organisation):
        with pytest.raises(ValidationError):
            services.access_review_revoke(actor=beheerder.user, membership=world.a.members["lezer"], reason=" ")
        with pytest.raises(ValidationError):
            services.access_review_revoke(actor=beheerder.user, membership=beheerder, reason="Weg")
    assert _reload(beheerder).is_active


def test_a_stale_revoke_keeps_the_typed_reason(world: World) -> None:
    member = world.a.members["lezer"]
    with tenant_scope(world.a.organisation):
        services.membership_update(actor=world.a.user("beheerder"), membership=member, roles=["coordinator"], unit=None)
    response = world.client_for("beheerder").post(_revoke_url(member), {"version": "1", "reason": "Mijn reden"})
    page = body(response)
    assert "Iemand anders heeft dit intussen gewijzigd" in page and "Mijn reden" in page
    assert _reload(member).is_active


@pytest.mark.parametrize("role", ["coordinator", "secretaris", "lezer"])
def test_only_the_beheerder_performs_the_review(world: World, role: str) -> None:
    client = world.client_for(role)
    member = world.a.members["medewerker"]
    assert client.get(PAGE).status_code == 403
    assert client.post(_confirm_url(member), {"version": "1"}).status_code == 403
    assert client.post(_revoke_url(member), {"version": "1", "reason": "x"}).status_code == 403
    assert _reload(member).is_active and _reload(member).last_reviewed_at is None


def test_another_organisations_membership_is_a_404(world: World) -> None:
    client = world.client_for("beheerder")
    foreign = world.b.members["medewerker"]
    assert client.post(_confirm_url(foreign), {"version": "1"}).status_code == 404
    assert client.get(_revoke_url(foreign)).status_code == 404
    assert client.post(_revoke_url(foreign), {"version": "1", "reason": "x"}).status_code == 404
    assert _reload(foreign).is_active and _reload(foreign).last_reviewed_at is None


@pytest.mark.parametrize("extra", [3, 30])
def test_the_review_page_needs_the_same_number_of_queries_at_any_size(
    world: World, extra: int, django_assert_max_num_queries: Any
) -> None:
    reviewer = world.a.user("beheerder")
    for number in range(extra):
        MembershipFactory(
            organisation=world.a.organisation,
            user=UserFactory(full_name=f"Collega {number:03d}"),
            roles=["medewerker"],
            unit=world.a.units[0],
            last_reviewed_by=reviewer,
            is_active=bool(number % 3),
        )
    client = world.client_for("beheerder")
    # The view's own: the page count, one page of memberships with user, unit and reviewer joined,
    # the number due and the number inactive.
    with django_assert_max_num_queries(middleware_queries(client) + 4):
        response = client.get(PAGE)
    active = sum(1 for number in range(extra) if number % 3)
    assert body(response).count("@testdorp.example</span>") == active


def test_home_shows_the_beheerder_the_due_reviews_and_open_invitations(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    _age(world.a.members["lezer"], created_days=500)
    _age(world.a.members["coordinator"], created_days=500)
    with tenant_scope(world.a.organisation), django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(
            actor=world.a.user("beheerder"),
            organisation=world.a.organisation,
            email="nieuw@aadorp.example",
            roles=["lezer"],
            base_url="http://testserver",
        )
    page = body(world.client_for("beheerder").get(reverse("core:home")))
    assert "Toegangscontroles die nu nodig zijn" in page
    assert f'<a href="{PAGE}">2 controles</a>' in page
    assert "1 uitnodiging</a>" in page
    page = body(world.client_for("medewerker").get(reverse("core:home")))
    assert "Toegangscontroles" not in page and "uitnodiging" not in page


def test_naughty_input_never_breaks_the_review_forms(world: World) -> None:
    client = world.client_for("beheerder")
    submit_naughty(client, _confirm_url(world.a.members["lezer"]), base_data={"version": "1"}, fields=["version"])
    submit_naughty(
        client,
        _revoke_url(world.a.members["medewerker"]),
        base_data={"version": "999", "reason": "Reden"},
        fields=["reason", "version", "new_owner"],
    )
    assert _reload(world.a.members["medewerker"]).is_active


def test_a_large_organisation_reviews_page_by_page_with_the_overdue_first(world: World) -> None:
    for number in range(60):
        MembershipFactory.create(
            organisation=world.a.organisation, user=UserFactory.create(full_name=f"Aaa {number:03d}"), roles=["lezer"]
        )
    _age(world.a.members["vertrouwenspersoon"], created_days=400)
    client = world.client_for("beheerder")
    first = body(client.get(PAGE))
    assert first.count("@testdorp.example</span>") == 49  # 50 rows, the overdue colleague first
    assert first.index("vertrouwenspersoon@aadorp.example") < first.index("Aaa 000")
    assert "Pagina 1 van 2" in first
    second = body(client.get(PAGE + "?pagina=2"))
    assert second.count("@testdorp.example</span>") == 11


def test_nobody_confirms_their_own_access(world: World) -> None:
    beheerder = world.a.members["beheerder"]
    with tenant_scope(world.a.organisation), pytest.raises(ValidationError, match="eigen toegang"):
        services.access_review_confirm(actor=beheerder.user, membership=beheerder, version=beheerder.version)
