from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.auth import get_user
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from weerbaar.audit.models import AuditEvent
from weerbaar.core import services
from weerbaar.core.middleware import ACTIVE_ORGANISATION_SESSION_KEY
from weerbaar.core.models import Invitation, Membership, Organisation, User
from weerbaar.core.tenancy import tenant_scope
from weerbaar.core.tests.beheer_support import body, events
from weerbaar.testing.naughty import submit_naughty
from weerbaar.testing.world import World, login_client

pytestmark = pytest.mark.django_db

INVITE = reverse("core:invitation_create")
USERS = reverse("core:user_list")
PASSWORD = "Een-heel-goed-wachtwoord-2026"


def _invite(world: World, capture: Any, **overrides: Any) -> Any:
    data = {"email": "nieuw@aadorp.example", "full_name": "Nieuwe Collega", "roles": ["proceseigenaar"]}
    data.update(overrides)
    with capture(execute=True):
        return world.client_for("beheerder").post(INVITE, data)


OPEN = "/uitnodiging/open"


def test_the_open_address_without_a_remembered_link_is_a_404() -> None:
    response = Client().get(OPEN)
    assert response.status_code == 404 and "niet (meer) geldig" in body(response)


def _link(message: mail.EmailMessage) -> str:
    match = re.search(r"http://testserver(/uitnodiging/[A-Za-z0-9_-]+)", str(message.body))
    assert match, message.body
    return match.group(1)


def _invitation(world: World, email: str = "nieuw@aadorp.example") -> Invitation:
    return Invitation.cross_tenant_objects.get(organisation=world.a.organisation, email=email)


def test_a_new_person_joins_through_the_link_exactly_once(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    response = _invite(world, django_capture_on_commit_callbacks, unit=str(world.a.units[1].uuid))
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["nieuw@aadorp.example"]
    assert "Gemeente Aadorp" in message.subject and "Proceseigenaar" in message.body
    link = _link(message)

    visitor = Client()
    opened = visitor.get(link)
    # The token leaves the address bar at once: it lives in the session from here on.
    assert opened.status_code == 302 and opened["Location"] == OPEN
    page = body(visitor.get(OPEN))
    assert "Gemeente Aadorp" in page and "Proceseigenaar" in page and 'value="Nieuwe Collega"' in page
    assert link.rsplit("/", 1)[1] not in page
    response = visitor.post(OPEN, {"full_name": "Nieuwe Collega", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("core:home")
    user = User.objects.get(email="nieuw@aadorp.example")
    assert get_user(visitor).pk == user.pk
    assert visitor.session[ACTIVE_ORGANISATION_SESSION_KEY] == str(world.a.organisation.uuid)
    membership = Membership.cross_tenant_objects.get(user=user)
    assert membership.roles == ["proceseigenaar"] and membership.unit == world.a.units[1]
    assert _invitation(world).accepted_at is not None
    for action in ("invitation.create", "user.create", "membership.create", "invitation.accept"):
        assert len(events(world.a.organisation, action)) == 1, action

    again = Client().post(link, {"full_name": "Iemand Anders", "password1": PASSWORD, "password2": PASSWORD})
    assert again.status_code == 410
    assert "niet (meer) geldig" in body(again)
    assert User.objects.filter(full_name="Iemand Anders").count() == 0


def test_only_the_hash_of_the_token_is_stored_and_the_token_never_reaches_the_trail(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    _invite(world, django_capture_on_commit_callbacks)
    token = _link(mail.outbox[0]).rsplit("/", 1)[1]
    invitation = _invitation(world)
    assert invitation.token_hash == Invitation.hash_token(token) != token
    assert len(token) >= 43
    assert not any(token in str(event.changes) for event in AuditEvent.all_chains.all())


def test_an_existing_account_holder_logs_in_first_and_then_accepts(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    outsider = world.b.user("lezer")
    _invite(world, django_capture_on_commit_callbacks, email=outsider.email.upper(), roles=["lezer"])
    link = _link(mail.outbox[0])

    page = body(Client().get(link, follow=True))
    assert "Log eerst in" in page
    assert reverse("accounts:login") + "?next=%2Fuitnodiging%2Fopen" in page
    assert 'name="password1"' not in page

    client = login_client(outsider, world.b.organisation)
    assert "Uitnodiging aannemen" in body(client.get(link, follow=True))
    response = client.post(link)
    assert response.status_code == 302
    membership = Membership.cross_tenant_objects.get(user=outsider, organisation=world.a.organisation)
    assert membership.roles == ["lezer"]
    assert client.session[ACTIVE_ORGANISATION_SESSION_KEY] == str(world.a.organisation.uuid)
    assert Client().get(link).status_code == 410


def test_someone_else_logged_in_gets_a_404_for_a_foreign_organisations_invitation(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    _invite(world, django_capture_on_commit_callbacks)
    link = _link(mail.outbox[0])
    response = world.client_for("beheerder", world.b).post(link, {"full_name": "x"})
    assert response.status_code == 404
    assert "Gemeente Aadorp" not in body(response)
    colleague = world.client_for("medewerker").get(link, follow=True)
    assert colleague.status_code == 200 and "voor iemand anders bestemd" in body(colleague)


def test_an_expired_link_fails(world: World, django_capture_on_commit_callbacks: Any) -> None:
    _invite(world, django_capture_on_commit_callbacks)
    Invitation.cross_tenant_objects.filter(pk=_invitation(world).pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    link = _link(mail.outbox[0])
    assert Client().get(link).status_code == 410
    response = Client().post(link, {"full_name": "Te Laat", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 410
    assert not User.objects.filter(email="nieuw@aadorp.example").exists()


def test_a_revoked_link_fails_and_an_unknown_one_is_a_404(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    _invite(world, django_capture_on_commit_callbacks)
    link = _link(mail.outbox[0])
    world.client_for("beheerder").post(
        reverse("core:invitation_revoke", kwargs={"invitation_uuid": _invitation(world).uuid})
    )
    assert _invitation(world).revoked_at is not None
    assert len(events(world.a.organisation, "invitation.revoke")) == 1
    assert Client().get(link).status_code == 410
    unknown = Client().get(reverse("core:invitation_accept", kwargs={"token": "bestaat-niet"}))
    assert unknown.status_code == 404 and "niet (meer) geldig" in body(unknown)
    assert Client().get("/uitnodiging/" + "x" * 5000).status_code == 404


def test_sending_again_gives_a_new_link_and_the_old_one_stops_working(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    _invite(world, django_capture_on_commit_callbacks)
    old_link = _link(mail.outbox[0])
    with django_capture_on_commit_callbacks(execute=True):
        world.client_for("beheerder").post(
            reverse("core:invitation_resend", kwargs={"invitation_uuid": _invitation(world).uuid})
        )
    new_link = _link(mail.outbox[1])
    assert new_link != old_link
    assert Client().get(old_link).status_code == 404
    assert Client().get(new_link, follow=True).status_code == 200
    assert len(events(world.a.organisation, "invitation.resend")) == 1


def test_the_users_page_lists_open_invitations_with_their_actions(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    _invite(world, django_capture_on_commit_callbacks)
    page = body(world.client_for("beheerder").get(USERS))
    assert "nieuw@aadorp.example" in page and "Opnieuw versturen" in page and "Intrekken" in page
    page = body(world.client_for("coordinator").get(USERS))
    assert "nieuw@aadorp.example" in page and "Opnieuw versturen" not in page


def test_inviting_an_active_member_is_a_field_error(world: World, django_capture_on_commit_callbacks: Any) -> None:
    response = _invite(world, django_capture_on_commit_callbacks, email="Lezer@Aadorp.example")
    page = body(response)
    assert response.status_code == 200
    assert "al lid van deze organisatie" in page
    assert 'value="Lezer@Aadorp.example"' in page  # what was typed stays
    assert not mail.outbox


def test_a_second_invitation_for_an_open_address_is_refused(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    _invite(world, django_capture_on_commit_callbacks)
    response = _invite(world, django_capture_on_commit_callbacks, email="NIEUW@aadorp.example")
    assert "Er staat al een uitnodiging open" in body(response)
    assert len(mail.outbox) == 1


def test_the_new_persons_password_must_pass_the_validators_and_the_name_stays(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    _invite(world, django_capture_on_commit_callbacks)
    link = _link(mail.outbox[0])
    response = Client().post(link, {"full_name": "Mijn Naam", "password1": "12345", "password2": "12345"})
    page = body(response)
    assert response.status_code == 200
    assert 'value="Mijn Naam"' in page and "field-error" in page
    response = Client().post(link, {"full_name": "Mijn Naam", "password1": PASSWORD, "password2": PASSWORD + "x"})
    assert "niet gelijk" in body(response)
    assert _invitation(world).accepted_at is None


def test_a_line_break_in_the_organisation_name_never_becomes_a_mail_header(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    Organisation.objects.filter(pk=world.a.organisation.pk).update(name="Aadorp\r\nBcc: iedereen@example.org")
    _invite(world, django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert "\n" not in message.subject and "\r" not in message.subject
    assert message.bcc == []


def test_the_service_refuses_roles_of_another_kind_of_organisation(world: World) -> None:
    with tenant_scope(world.a.organisation), pytest.raises(ValidationError):
        services.invitation_create(
            actor=world.a.user("beheerder"),
            organisation=world.a.organisation,
            email="analist@example.org",
            roles=["regio-analist"],
            base_url="https://weerbaar.example",
        )


@pytest.mark.parametrize("role", ["coordinator", "secretaris", "medewerker"])
def test_only_the_beheerder_may_invite_revoke_or_resend(
    world: World, role: str, django_capture_on_commit_callbacks: Any
) -> None:
    _invite(world, django_capture_on_commit_callbacks)
    client = world.client_for(role)
    assert client.get(INVITE).status_code == 403
    assert client.post(INVITE, {"email": "x@example.org", "roles": ["beheerder"]}).status_code == 403
    uuid = _invitation(world).uuid
    assert client.post(reverse("core:invitation_revoke", kwargs={"invitation_uuid": uuid})).status_code == 403
    assert client.post(reverse("core:invitation_resend", kwargs={"invitation_uuid": uuid})).status_code == 403
    assert _invitation(world).is_pending


def test_another_organisations_invitation_is_a_404(world: World) -> None:
    with tenant_scope(world.b.organisation):
        foreign = services.invitation_create(
            actor=world.b.user("beheerder"),
            organisation=world.b.organisation,
            email="kanarie@example.org",
            roles=["lezer"],
            base_url="https://weerbaar.example",
        )
    client = world.client_for("beheerder")
    for name in ("invitation_revoke", "invitation_resend"):
        assert client.post(reverse(f"core:{name}", kwargs={"invitation_uuid": foreign.uuid})).status_code == 404
    assert Invitation.cross_tenant_objects.get(pk=foreign.pk).is_pending


def test_naughty_input_never_breaks_the_invitation_forms(world: World, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        submit_naughty(
            world.client_for("beheerder"),
            INVITE,
            base_data={"email": "stout@aadorp.example", "full_name": "Stout", "roles": ["lezer"], "unit": ""},
            fields=["email", "full_name", "roles", "unit"],
        )
    _invite(world, django_capture_on_commit_callbacks)
    link = _link(mail.outbox[-1])
    submit_naughty(
        Client(),
        link,
        base_data={"full_name": "Stout", "password1": "kort", "password2": "kort"},
        fields=["full_name", "password1", "password2"],
    )
    assert _invitation(world).accepted_at is None
