from __future__ import annotations

import time
from binascii import unhexlify

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp

from weerbaar.accounts import services
from weerbaar.audit.models import chain_for
from weerbaar.testing.world import login_client

from .utils import ENROL_URL, LOGIN_URL, SECURITY_URL, VERIFY_URL, app_code, events, give_app, is_logged_in, member

pytestmark = pytest.mark.django_db

HOME = reverse("core:home")


def test_a_role_with_mandatory_two_factor_is_sent_to_set_it_up_first() -> None:
    user, _ = member(roles=["coordinator"], two_factor_roles=["coordinator", "beheerder"])
    client = login_client(user)
    response = client.get(HOME)
    assert response.status_code == 302 and response["Location"] == ENROL_URL + "?next=%2F"
    htmx = client.get(HOME, headers={"HX-Request": "true"})
    assert htmx["HX-Redirect"] == ENROL_URL
    # The pages needed to comply, and logging out, stay open.
    assert client.get(ENROL_URL).status_code == 200
    assert client.get(SECURITY_URL).status_code == 200
    assert client.post(reverse("accounts:logout"))["Location"] == LOGIN_URL
    assert not is_logged_in(client)


def test_after_enrolment_the_member_can_work_and_lands_where_they_wanted() -> None:
    user, _ = member(roles=["coordinator"], two_factor_roles=["coordinator"])
    client = login_client(user)
    client.get(ENROL_URL)
    code = f"{totp(unhexlify(client.session[services.ENROLMENT_SESSION_KEY])):06d}"
    response = client.post(ENROL_URL, {"code": code, "next": HOME}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:recovery_codes"))
    assert f'href="{HOME}"' in response.content.decode()
    assert client.get(HOME).status_code == 200


def test_roles_outside_the_policy_work_without_a_second_step() -> None:
    user, _ = member(roles=["medewerker"], two_factor_roles=["coordinator"])
    assert login_client(user).get(HOME).status_code == 200


def test_a_session_that_skipped_the_code_step_is_sent_to_it() -> None:
    # E.g. a session that began before the app was set up on another device.
    user, _ = member(roles=["beheerder"], two_factor_roles=["beheerder"])
    device = give_app(user)
    client = login_client(user)
    response = client.get(HOME)
    assert response["Location"] == VERIFY_URL and not is_logged_in(client)
    response = client.post(VERIFY_URL, {"code": app_code(device)})
    assert response["Location"] == HOME
    assert client.get(HOME).status_code == 200


def _age_session(client: Client, seconds: int) -> None:
    session = client.session
    session[services.LAST_ACTIVITY_SESSION_KEY] = int(time.time()) - seconds
    session.save()


def test_an_idle_session_is_logged_out_audited_and_explained() -> None:
    user, organisation = member()
    client = login_client(user)
    assert client.get(HOME).status_code == 200
    _age_session(client, settings.SESSION_IDLE_TIMEOUT_MINUTES * 60 + 5)
    response = client.get(reverse("accounts:security"))
    assert response.status_code == 302
    assert response["Location"] == LOGIN_URL + "?verlopen=1&next=%2Fmijn-beveiliging"
    assert not is_logged_in(client)
    [event] = events("auth.session_expired")
    assert event.chain == chain_for(organisation.uuid) and event.actor_uuid == user.uuid
    page = client.get(response["Location"]).content.decode()
    assert "automatisch uitgelogd" in page


def test_an_idle_htmx_request_gets_a_client_redirect() -> None:
    user, _ = member()
    client = login_client(user)
    client.get(HOME)
    _age_session(client, settings.SESSION_IDLE_TIMEOUT_MINUTES * 60 + 5)
    response = client.get(HOME, headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == LOGIN_URL + "?verlopen=1"
    assert not is_logged_in(client)


def test_an_idle_api_session_gets_a_problem_json_401() -> None:
    user, _ = member()
    client = login_client(user)
    client.get(HOME)
    _age_session(client, settings.SESSION_IDLE_TIMEOUT_MINUTES * 60 + 5)
    response = client.get("/api/v1/organisatie")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert "verlopen" in response.json()["detail"]
    assert not is_logged_in(client)


def test_activity_keeps_the_session_alive_and_anonymous_requests_write_nothing() -> None:
    user, _ = member()
    client = login_client(user)
    _age_session(client, settings.SESSION_IDLE_TIMEOUT_MINUTES * 60 - 30)
    assert client.get(HOME).status_code == 200
    assert abs(client.session[services.LAST_ACTIVITY_SESSION_KEY] - time.time()) < 5
    anonymous = Client()
    anonymous.get(reverse("core:accessibility"))
    assert settings.SESSION_COOKIE_NAME not in anonymous.cookies


def test_the_api_refuses_a_session_without_the_required_second_step_in_problem_json() -> None:
    user, _ = member(roles=["beheerder"], two_factor_roles=["beheerder"])
    response = login_client(user).get("/api/v1/afdelingen")
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["title"] == "Tweestapsverificatie vereist"
