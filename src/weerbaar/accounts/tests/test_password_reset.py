from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from weerbaar.audit.models import SYSTEM_CHAIN, chain_for
from weerbaar.testing.factories import UserFactory
from weerbaar.testing.naughty import submit_naughty

from .utils import events, is_logged_in, member, password_step

pytestmark = pytest.mark.django_db

REQUEST_URL = reverse("accounts:password_reset")
SENT_URL = reverse("accounts:password_reset_sent")
DONE_URL = reverse("accounts:password_reset_complete")
NEW_PASSWORD = "Vers-en-lang-wachtwoord-2025"
INVALID_TEXT = "ongeldig, verlopen of al gebruikt"


def _request_link(client: Client, email: str, capture: Any) -> str:
    with capture(execute=True):
        response = client.post(REQUEST_URL, {"email": email})
    assert response["Location"] == SENT_URL
    [message] = mail.outbox
    match = re.search(r"https?://\S+/wachtwoord-herstellen/\S+", str(message.body))
    assert match
    return match.group(0)


def test_the_reset_flow_works_end_to_end_and_the_link_works_once(django_capture_on_commit_callbacks: Any) -> None:
    user, organisation = member()
    client = Client()
    link = _request_link(client, user.email.upper(), django_capture_on_commit_callbacks)
    message = mail.outbox[0]
    assert message.to == [user.email] and message.subject == "Nieuw wachtwoord voor Weerbaar"
    assert f"{settings.PASSWORD_RESET_TIMEOUT // 60} minuten" in message.body
    # The token moves out of the address bar into the session.
    step = client.get(link)
    assert step.status_code == 302 and step["Location"].endswith("/nieuw-wachtwoord")
    form = client.get(step["Location"])
    assert "Kies een nieuw wachtwoord" in form.content.decode()
    done = client.post(step["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == DONE_URL
    assert "Uw wachtwoord is gewijzigd" in client.get(DONE_URL).content.decode()
    assert not is_logged_in(client)
    login = Client()
    assert password_step(login, user.email, NEW_PASSWORD).status_code == 302 and is_logged_in(login)
    # Second use of the same link: the token died with the old password.
    again = Client().get(link, follow=True)
    assert again.status_code == 200 and INVALID_TEXT in again.content.decode()
    [requested] = events("auth.password_reset_requested")
    assert requested.chain == SYSTEM_CHAIN and requested.object_uuid == str(user.uuid)
    [completed] = events("auth.password_reset_done")
    assert completed.chain == chain_for(organisation.uuid)


def test_an_unknown_or_inactive_address_gets_the_same_answer_and_no_mail(
    django_capture_on_commit_callbacks: Any,
) -> None:
    inactive = UserFactory(is_active=False)
    for email in ["niemand@nergens.example", inactive.email]:
        with django_capture_on_commit_callbacks(execute=True):
            response = Client().post(REQUEST_URL, {"email": email})
        assert response.status_code == 302 and response["Location"] == SENT_URL
    assert mail.outbox == [] and events("auth.password_reset_requested") == []
    page = Client().get(SENT_URL).content.decode()
    assert "Kijk in uw mailbox" in page and "Hoort het e-mailadres bij een account" in page


@pytest.mark.parametrize(
    "path",
    [
        "/wachtwoord-herstellen/MQ/ongeldig-token",
        "/wachtwoord-herstellen/MQ/nieuw-wachtwoord",
        "/wachtwoord-herstellen/%F0%9F%92%A9/x",
        "/wachtwoord-herstellen/OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5/abc-def",
    ],
)
def test_a_broken_link_gives_a_clear_dutch_page(path: str) -> None:
    member()
    for response in (Client().get(path), Client().post(path, {"new_password1": "x", "new_password2": "x"})):
        assert response.status_code == 200
        assert INVALID_TEXT in response.content.decode()


def test_an_expired_link_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    user, _ = member()
    past = dt.datetime.now() - dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    monkeypatch.setattr(default_token_generator, "_now", lambda: past)
    token = default_token_generator.make_token(user)
    monkeypatch.undo()
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    response = Client().get(f"/wachtwoord-herstellen/{uid}/{token}", follow=True)
    assert INVALID_TEXT in response.content.decode()


def test_a_weak_new_password_is_refused_in_dutch(django_capture_on_commit_callbacks: Any) -> None:
    user, _ = member()
    client = Client()
    step = client.get(_request_link(client, user.email, django_capture_on_commit_callbacks))
    response = client.post(step["Location"], {"new_password1": "wachtwoord", "new_password2": "wachtwoord"})
    assert response.status_code == 200 and "te kort" in response.content.decode()
    assert not events("auth.password_reset_done")


def test_the_reset_forms_survive_naughty_input(django_capture_on_commit_callbacks: Any) -> None:
    user, _ = member()
    with django_capture_on_commit_callbacks(execute=True):
        submit_naughty(Client(), REQUEST_URL, base_data={}, fields=["email"])
    client = Client()
    step = client.get(_request_link(client, user.email, django_capture_on_commit_callbacks))
    submit_naughty(
        client,
        step["Location"],
        base_data={"new_password1": NEW_PASSWORD, "new_password2": "verschillend-wachtwoord-1"},
        fields=["new_password1"],
    )
