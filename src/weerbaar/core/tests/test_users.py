from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from weerbaar.core import services
from weerbaar.core.models import Membership
from weerbaar.core.tenancy import tenant_scope
from weerbaar.core.tests.beheer_support import body, events, middleware_queries
from weerbaar.testing.factories import MembershipFactory, UserFactory
from weerbaar.testing.naughty import submit_naughty
from weerbaar.testing.world import World

pytestmark = pytest.mark.django_db

LIST = reverse("core:user_list")


def _url(name: str, membership: Membership) -> str:
    return reverse(f"core:{name}", kwargs={"membership_uuid": membership.uuid})


def _reload(membership: Membership) -> Membership:
    return Membership.cross_tenant_objects.get(pk=membership.pk)


def _add_members(world: World, count: int, *, prefix: str = "Collega") -> None:
    for number in range(count):
        user = UserFactory(full_name=f"{prefix} {number:03d}", email=f"{prefix.lower()}{number}@aadorp.example")
        MembershipFactory(organisation=world.a.organisation, user=user, roles=["medewerker"], unit=world.a.units[1])


# --- services ---------------------------------------------------------------------------------


def test_changing_roles_and_unit_is_audited_with_old_and_new_values(world: World) -> None:
    member = world.a.members["medewerker"]
    with tenant_scope(world.a.organisation):
        services.membership_update(
            actor=world.a.user("beheerder"),
            membership=member,
            roles=["proceseigenaar", "medewerker"],
            unit=world.a.units[1],
            version=1,
        )
    [event] = events(world.a.organisation, "membership.update")
    assert event.changes == {
        "roles": [["medewerker"], ["medewerker", "proceseigenaar"]],
        "unit": [None, str(world.a.units[1].uuid)],
    }
    assert event.object_label == member.user.email
    assert _reload(member).version == 2


def test_it_refuses_removing_the_last_active_beheerder(world: World) -> None:
    beheerder = world.a.members["beheerder"]
    with tenant_scope(world.a.organisation), pytest.raises(ValidationError) as refused:
        # Changed by someone else: giving oneself a role with other rights is refused before this check.
        services.membership_update(
            actor=world.a.members["coordinator"].user, membership=beheerder, roles=["lezer"], unit=None
        )
    assert "laatste actieve functioneel beheerder" in str(refused.value.message_dict["roles"])
    assert _reload(beheerder).roles == ["beheerder"]


def _also_reader(member: Membership) -> None:
    """Give ``member`` the lezer role too, directly: the lezer reads reports, which a beheerder alone
    may not, so only a beheerder who already reads can step back to lezer without widening rights."""
    member.roles = [*member.roles, "lezer"]
    member.save(update_fields=["roles"])


def test_removing_a_beheerder_is_fine_when_another_active_one_remains(world: World) -> None:
    beheerder = world.a.members["beheerder"]
    _also_reader(beheerder)
    coordinator = world.a.members["coordinator"]
    with tenant_scope(world.a.organisation):
        services.membership_update(
            actor=beheerder.user, membership=coordinator, roles=["coordinator", "beheerder"], unit=None
        )
        services.membership_update(actor=beheerder.user, membership=beheerder, roles=["lezer"], unit=None)
    assert _reload(beheerder).roles == ["lezer"]


def test_an_inactive_beheerder_does_not_count_as_the_remaining_one(world: World) -> None:
    beheerder = world.a.members["beheerder"]
    MembershipFactory(organisation=world.a.organisation, roles=["beheerder"], is_active=False)
    with tenant_scope(world.a.organisation), pytest.raises(ValidationError):
        services.membership_deactivate(actor=beheerder.user, membership=beheerder)


def test_it_refuses_deactivating_yourself_as_the_last_beheerder(world: World) -> None:
    beheerder = world.a.members["beheerder"]
    with tenant_scope(world.a.organisation), pytest.raises(ValidationError) as refused:
        services.membership_deactivate(actor=beheerder.user, membership=beheerder)
    assert "U bent de laatste actieve functioneel beheerder" in refused.value.messages[0]
    assert _reload(beheerder).is_active


def test_deactivating_sets_the_moment_and_reactivating_clears_it_both_audited(world: World) -> None:
    member = world.a.members["medewerker"]
    actor = world.a.user("beheerder")
    with tenant_scope(world.a.organisation):
        services.membership_deactivate(actor=actor, membership=member, reason="Uit dienst")
        deactivated = _reload(member)
        assert not deactivated.is_active and deactivated.deactivated_at is not None
        services.membership_reactivate(actor=actor, membership=member, version=deactivated.version)
    reactivated = _reload(member)
    assert reactivated.is_active and reactivated.deactivated_at is None
    [deactivation] = events(world.a.organisation, "membership.deactivate")
    assert deactivation.changes["is_active"] == [True, False]
    assert deactivation.reason == "Uit dienst"
    [reactivation] = events(world.a.organisation, "membership.reactivate")
    assert reactivation.changes["is_active"] == [False, True]


def test_a_stale_version_is_refused_for_role_changes(world: World) -> None:
    member = world.a.members["medewerker"]
    actor = world.a.user("beheerder")
    with tenant_scope(world.a.organisation):
        services.membership_update(actor=actor, membership=member, roles=["lezer"], unit=None, version=1)
        with pytest.raises(services.StaleVersion):
            services.membership_update(actor=actor, membership=member, roles=["coordinator"], unit=None, version=1)
    assert _reload(member).roles == ["lezer"]


def test_a_role_of_another_kind_of_organisation_is_refused(world: World) -> None:
    member = world.a.members["medewerker"]
    with tenant_scope(world.a.organisation), pytest.raises(ValidationError):
        services.membership_update(
            actor=world.a.user("beheerder"), membership=member, roles=["regio-analist"], unit=None
        )


# --- list -------------------------------------------------------------------------------------


def test_the_list_shows_own_members_only_sorted_by_name(world: World) -> None:
    page = body(world.client_for("coordinator").get(LIST))
    assert "KANARIE" not in page
    page = page[page.index("<table") :]
    assert page.index("Aadorp beheerder") < page.index("Aadorp coordinator") < page.index("Aadorp secretaris")


def test_the_list_searches_by_name_and_email_and_filters_by_role_and_status(world: World) -> None:
    client = world.client_for("beheerder")
    page = body(client.get(LIST, {"q": "vertrouwens"}))
    assert "vertrouwenspersoon@aadorp.example" in page and "lezer@aadorp.example" not in page
    page = body(client.get(LIST, {"q": "LEZER@aadorp"}))
    assert "lezer@aadorp.example" in page and "vertrouwenspersoon@aadorp.example" not in page
    page = body(client.get(LIST, {"role": "coordinator"}))
    assert "coordinator@aadorp.example" in page and "lezer@aadorp.example" not in page
    with tenant_scope(world.a.organisation):
        services.membership_deactivate(actor=world.a.user("beheerder"), membership=world.a.members["lezer"])
    page = body(client.get(LIST, {"status": "inactief"}))
    assert "lezer@aadorp.example" in page and "medewerker@aadorp.example" not in page
    page = body(client.get(LIST, {"status": "actief"}))
    assert "lezer@aadorp.example" not in page and "medewerker@aadorp.example" in page
    page = body(client.get(LIST, {"q": "niemand-heet-zo"}))
    assert "Niemand gevonden" in page


def test_the_list_pages_by_fifty(world: World) -> None:
    _add_members(world, 50)
    client = world.client_for("beheerder")
    first, second = body(client.get(LIST)), body(client.get(LIST, {"pagina": "2"}))
    assert first.count("/gebruikers/") - second.count("/gebruikers/") > 0
    assert "Pagina 1 van 2" in first and "Pagina 2 van 2" in second
    assert "Collega 049" in second or "Collega 049" in first


def test_the_htmx_filter_returns_only_the_results(world: World) -> None:
    response = world.client_for("beheerder").get(LIST, {"q": "lezer"}, headers={"HX-Request": "true"})
    page = body(response)
    assert '<div id="user-results">' in page and "<html" not in page


@pytest.mark.parametrize("extra", [3, 30])
def test_the_user_list_needs_the_same_number_of_queries_at_any_size(
    world: World, extra: int, django_assert_max_num_queries: Any
) -> None:
    _add_members(world, extra)
    client = world.client_for("beheerder")
    # The view's own: count, page of members (user, unit and 2FA joined), open invitations.
    with django_assert_max_num_queries(middleware_queries(client) + 3):
        response = client.get(LIST)
    assert body(response).count("Collega ") == extra


def test_the_medewerker_may_not_see_the_users(world: World) -> None:
    assert world.client_for("medewerker").get(LIST).status_code == 403


# --- detail, change, deactivate ---------------------------------------------------------------


def test_the_detail_page_shows_roles_unit_last_login_and_two_factor_status(world: World) -> None:
    member = world.a.members["vertrouwenspersoon"]
    client = world.client_for("coordinator")
    page = body(client.get(_url("user_detail", member)))
    assert "Vertrouwenspersoon" in page and "nog nooit" in page and "niet ingesteld" in page
    assert "Rollen en afdeling wijzigen" not in page  # the coordinator may look, not change
    TOTPDevice.objects.create(user=member.user, name="telefoon", confirmed=True)
    page = body(client.get(_url("user_detail", member)))
    assert "ingesteld" in page and "niet ingesteld" not in page


def test_the_beheerder_changes_roles_and_unit(world: World) -> None:
    member = world.a.members["medewerker"]
    response = world.client_for("beheerder").post(
        _url("user_update", member),
        {"roles": ["medewerker", "proceseigenaar"], "unit": str(world.a.units[1].uuid), "version": "1"},
    )
    assert response.status_code == 302
    changed = _reload(member)
    assert changed.roles == ["medewerker", "proceseigenaar"] and changed.unit == world.a.units[1]


def test_the_role_form_keeps_typed_values_when_refused(world: World) -> None:
    beheerder = world.a.members["beheerder"]
    _also_reader(beheerder)
    response = world.client_for("beheerder").post(
        _url("user_update", beheerder),
        {"roles": ["lezer"], "unit": str(world.a.units[0].uuid), "version": "1"},
    )
    page = body(response)
    assert response.status_code == 200
    assert "laatste actieve functioneel beheerder" in page
    checked = set(re.findall(r'<input type="checkbox" name="roles" value="([a-z-]+)"[^>]* checked>', page))
    assert checked == {"lezer"}
    assert f'value="{world.a.units[0].uuid}" selected' in page


def test_a_stale_role_form_keeps_what_was_typed(world: World) -> None:
    member = world.a.members["medewerker"]
    with tenant_scope(world.a.organisation):
        services.membership_update(actor=world.a.user("beheerder"), membership=member, roles=["lezer"], unit=None)
    response = world.client_for("beheerder").post(
        _url("user_update", member), {"roles": ["coordinator"], "unit": "", "version": "1"}
    )
    page = body(response)
    assert "Iemand anders heeft dit intussen gewijzigd" in page
    assert 'name="version" value="2"' in page
    assert _reload(member).roles == ["lezer"]


def test_deactivating_through_the_page_and_the_self_guard(world: World) -> None:
    client = world.client_for("beheerder")
    member = world.a.members["lezer"]
    response = client.post(_url("user_deactivate", member), {"version": "1", "reason": "Andere baan"})
    assert response.status_code == 302
    assert not _reload(member).is_active
    beheerder = world.a.members["beheerder"]
    response = client.post(_url("user_deactivate", beheerder), {"version": "1", "reason": "Typwerk blijft"})
    page = body(response)
    assert response.status_code == 200
    assert "U bent de laatste actieve functioneel beheerder" in page
    assert "Typwerk blijft" in page
    assert _reload(beheerder).is_active
    client.post(_url("user_reactivate", member), {"version": "2"})
    assert _reload(member).is_active


@pytest.mark.parametrize("role", ["coordinator", "secretaris"])
def test_roles_that_may_only_look_get_403_on_changes(world: World, role: str) -> None:
    client = world.client_for(role)
    member = world.a.members["medewerker"]
    assert client.get(_url("user_detail", member)).status_code == 200
    assert client.get(_url("user_update", member)).status_code == 403
    assert client.post(_url("user_update", member), {"roles": ["beheerder"]}).status_code == 403
    assert client.post(_url("user_deactivate", member), {}).status_code == 403
    assert _reload(member).roles == ["medewerker"]


def test_another_organisations_membership_is_a_404(world: World) -> None:
    client = world.client_for("beheerder")
    foreign = world.b.members["medewerker"]
    for name in ("user_detail", "user_update"):
        assert client.get(_url(name, foreign)).status_code == 404
    assert client.post(_url("user_update", foreign), {"roles": ["lezer"], "version": "1"}).status_code == 404
    assert client.post(_url("user_deactivate", foreign), {"version": "1"}).status_code == 404
    assert _reload(foreign).is_active and _reload(foreign).roles == ["medewerker"]


def test_naughty_input_never_breaks_the_user_forms(world: World) -> None:
    client = world.client_for("beheerder")
    member = world.a.members["medewerker"]
    submit_naughty(
        client,
        LIST,
        method="get",
        base_data={"q": "", "role": "", "status": "", "sort": "naam"},
        fields=["q", "role", "status", "sort", "pagina"],
    )
    submit_naughty(
        client,
        _url("user_update", member),
        base_data={"roles": ["medewerker"], "unit": str(world.a.units[0].uuid)},
        fields=["roles", "unit", "version"],
    )
    submit_naughty(
        client,
        _url("user_deactivate", world.a.members["lezer"]),
        base_data={"version": "999"},
        fields=["reason", "version", "new_owner"],
    )
    assert _reload(world.a.members["lezer"]).is_active


def test_a_beheerder_who_gives_up_their_own_rights_lands_on_the_start_page(world: World) -> None:
    with tenant_scope(world.a.organisation):
        services.membership_update(
            actor=world.a.user("beheerder"),
            membership=world.a.members["coordinator"],
            roles=["coordinator", "beheerder"],
            unit=None,
        )
    beheerder = world.a.members["beheerder"]
    _also_reader(beheerder)
    response = world.client_for("beheerder").post(
        _url("user_update", beheerder), {"roles": ["lezer"], "unit": "", "version": "1"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("core:home")
    assert _reload(beheerder).roles == ["lezer"]


def test_nobody_gives_themselves_extra_rights(world: World) -> None:
    coordinator = world.a.members["coordinator"]
    with tenant_scope(world.a.organisation), pytest.raises(ValidationError, match="extra rechten"):
        services.membership_update(
            actor=coordinator.user,
            membership=coordinator,
            roles=["coordinator", "beheerder"],
            unit=None,
            version=coordinator.version,
        )


def test_the_roles_of_a_deactivated_membership_cannot_be_changed(world: World) -> None:
    member = world.a.members["lezer"]
    actor = world.a.user("beheerder")
    with tenant_scope(world.a.organisation):
        services.membership_deactivate(actor=actor, membership=member, version=member.version)
        member = Membership.objects.get(pk=member.pk)
        with pytest.raises(ValidationError, match="gedeactiveerd"):
            services.membership_update(
                actor=actor, membership=member, roles=["lezer"], unit=None, version=member.version
            )
