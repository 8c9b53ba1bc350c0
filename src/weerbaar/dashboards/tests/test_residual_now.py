"""Today's residual risk of the secretaris' top 10: loaded into the start page, or opened as a page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from weerbaar.core.tests.beheer_support import body, middleware_queries
from weerbaar.dashboards.tests.test_dashboard_queries import grow, seed_base
from weerbaar.testing.world import World

pytestmark = pytest.mark.django_db

URL = reverse("dashboards:residual_now")
HTMX = {"HX-Request": "true"}
#: The latest closed scan, its top ten, the earlier round, the scoring context (4), the latest
#: consensus, and the implemented measures with their effects and units: the same at any size.
RESIDUAL_BUDGET = 15


def _queries(client: Client) -> tuple[int, str]:
    middleware_queries(client)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL, headers=HTMX)
    assert response.status_code == 200
    return len(captured), body(response)


def test_the_start_page_loads_it_and_without_javascript_it_is_a_link(world: World) -> None:
    seed_base(world.a)
    page = body(world.client_for("secretaris").get(reverse("core:home")))
    assert f'hx-get="{URL}"' in page and f'href="{URL}"' in page


def test_the_fragment_shows_inherent_at_close_and_today_for_the_top_ten(world: World) -> None:
    seeded = seed_base(world.a)
    grow(world.a, seeded, 1, 14)
    client = world.client_for("secretaris")
    fragment = body(client.get(URL, headers=HTMX))
    assert "<h1" not in fragment and "Restrisico van vandaag" in fragment
    assert fragment.count('<th scope="row">') == 10
    assert "Inherent" in fragment and "Bij afsluiten" in fragment and "Vandaag" in fragment
    page = body(client.get(URL))
    assert page.count("<h1") == 1 and "Restrisico van vandaag" in page


def test_without_a_closed_scan_it_says_so(world: World) -> None:
    fragment = body(world.client_for("secretaris").get(URL, headers=HTMX))
    assert "nog geen afgesloten scan" in fragment


def test_it_costs_the_same_for_a_small_and_a_big_organisation(world: World) -> None:
    seeded = seed_base(world.a)
    grow(world.a, seeded, 1, 12)
    client = world.client_for("secretaris")
    small, _html = _queries(client)
    grow(world.a, seeded, 12, 120)
    large, _html = _queries(client)
    assert small == large
    assert large <= RESIDUAL_BUDGET, large


def test_a_reader_gets_no_scores(world: World) -> None:
    assert world.client_for("lezer").get(URL, headers=HTMX).status_code == 403
