"""Hostile input in every scan management form: never a server error, never an unescaped echo."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from weerbaar.core.tenancy import tenant_scope
from weerbaar.register.tests.support import make_process
from weerbaar.scans.models import Scan, ScanProcess
from weerbaar.scans.tests.support import make_scan
from weerbaar.testing.naughty import NAUGHTY_STRINGS, submit_naughty
from weerbaar.testing.world import World

pytestmark = pytest.mark.django_db

#: For dates, choices and hidden fields: a sample keeps the suite quick (text fields get them all).
SAMPLE = [
    "",
    "<script>alert('weerbaar')</script>",
    "'; DROP TABLE core_user; --",
    "99999999999999999999999999",
    "\u0000nul",
    "-1",
]


def _dates() -> dict[str, str]:
    today = timezone.localdate()
    return {
        "period_start": f"{today.year}-01-01",
        "period_end": f"{today.year}-12-31",
        "deadline": (today + dt.timedelta(days=7)).isoformat(),
    }


def test_the_new_scan_form_survives_hostile_input(world: World) -> None:
    with tenant_scope(world.a.organisation):
        process = make_process(world.a)
    base: dict[str, Any] = {
        "name": "Scan",
        "description": "",
        "scope": "selectie",
        "processes": [str(process.uuid)],
        "extra_raters": [str(world.a.members["coordinator"].uuid)],
        **_dates(),
    }
    client = world.client_for("coordinator")
    submit_naughty(client, reverse("scans:scan_create"), base_data=base, fields=["name", "description"])
    submit_naughty(
        client,
        reverse("scans:scan_create"),
        base_data={**base, "name": "Nog een scan"},
        fields=[
            "period_start",
            "period_end",
            "deadline",
            "scope",
            "units",
            "processes",
            "extra_raters",
        ],
        strings=SAMPLE,
    )
    assert Scan.cross_tenant_objects.filter(name="<script>alert('weerbaar')</script>").exists()


def test_the_edit_form_survives_hostile_input(world: World) -> None:
    with tenant_scope(world.a.organisation):
        scan = make_scan(world.a)
    url = reverse("scans:scan_update", kwargs={"scan_uuid": scan.uuid})
    base = {"name": "Scan 2026", "description": "", "version": str(scan.version), **_dates()}
    client = world.client_for("coordinator")
    submit_naughty(client, url, base_data=base, fields=["name", "description"])
    fresh = Scan.cross_tenant_objects.get(pk=scan.pk)
    base["version"] = str(fresh.version)
    submit_naughty(
        client,
        url,
        base_data=base,
        fields=["period_start", "period_end", "deadline", "version"],
        strings=SAMPLE,
    )


def test_the_scope_and_raters_forms_survive_hostile_input(world: World) -> None:
    with tenant_scope(world.a.organisation):
        scan = make_scan(world.a)
        scan_process = ScanProcess.objects.filter(scan=scan).order_by("pk").first()
        assert scan_process is not None
    client = world.client_for("coordinator")
    kwargs = {"scan_uuid": scan.uuid}
    submit_naughty(
        client,
        reverse("scans:scan_scope", kwargs=kwargs),
        base_data={"scope": "selectie", "processes": [str(scan_process.process.uuid)], "version": "999"},
        fields=["scope", "processes", "version"],
        strings=SAMPLE,
    )
    raters = [str(world.a.members["proceseigenaar"].uuid), str(world.a.members["coordinator"].uuid)]
    submit_naughty(
        client,
        reverse("scans:scan_raters", kwargs=kwargs),
        base_data={"scan_process": str(scan_process.uuid), "raters": raters, "version": "999"},
        fields=["scan_process", "raters", "version"],
        strings=SAMPLE,
    )


def test_the_state_buttons_survive_hostile_versions(world: World) -> None:
    with tenant_scope(world.a.organisation):
        scan = make_scan(world.a)
    client = world.client_for("coordinator")
    for name in ("scan_open", "scan_start_review", "scan_reopen", "scan_close"):
        submit_naughty(
            client,
            reverse(f"scans:{name}", kwargs={"scan_uuid": scan.uuid}),
            base_data={},
            fields=["version"],
            strings=SAMPLE,
        )
    assert Scan.cross_tenant_objects.get(pk=scan.pk).state == "concept"


def test_every_naughty_string_is_covered() -> None:
    assert set(SAMPLE) <= set(NAUGHTY_STRINGS)
