from __future__ import annotations

import pytest
from django.conf import LazySettings
from django.test import Client, RequestFactory

from weerbaar.core.http import client_ip
from weerbaar.testing.world import World


def test_without_trusted_proxies_a_forwarded_header_is_ignored(settings: LazySettings) -> None:
    settings.TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="203.0.113.9", REMOTE_ADDR="10.0.0.2")
    assert client_ip(request) == "10.0.0.2"


def test_behind_one_proxy_the_address_it_saw_is_used(settings: LazySettings) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    # A client can put anything in front; only the entry the proxy appended counts.
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9", REMOTE_ADDR="10.0.0.2")
    assert client_ip(request) == "203.0.113.9"


@pytest.mark.django_db
def test_the_lockout_is_per_client_behind_the_proxy_not_for_everyone(world: World, settings: LazySettings) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    email = world.a.user("lezer").email
    attacker = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.66")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attacker.post("/inloggen", {"username": email, "password": "fout-wachtwoord"})
    assert attacker.post("/inloggen", {"username": email, "password": "fout-wachtwoord"}).status_code == 429
    colleague = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7")
    response = colleague.post("/inloggen", {"username": email, "password": "Een-lang-testwachtwoord-42"})
    assert response.status_code == 302
