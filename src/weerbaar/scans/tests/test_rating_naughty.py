"""Hostile input on the rating form and the autosave endpoint: no 500, no raw echo, nothing odd stored."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest
from django.test import Client

from weerbaar.scans.models import Rating
from weerbaar.scans.tests.support import LEVELS, reload
from weerbaar.scans.tests.test_rating_views import OWNER, _full_form, _open_scan, _own, _url
from weerbaar.testing.naughty import NAUGHTY_STRINGS, assert_no_unescaped_echo, submit_naughty
from weerbaar.testing.world import World

pytestmark = pytest.mark.django_db

#: Choice fields only ever accept a handful of values: a sample keeps the suite quick.
SAMPLE = [
    "",
    "<script>alert('weerbaar')</script>",
    "'; DROP TABLE core_user; --",
    "99999999999999999999999999",
    "-1",
    "\u0000nul",
]
RATIONALES = [f"rationale-{key}" for key in LEVELS]


def _each(
    client: Client,
    rating: Rating,
    url: str,
    name: str,
    strings: Iterable[str],
    *,
    also: Iterable[str] = (),
    **extra: str,
) -> None:
    """One hostile value at a time, with the version of the moment (so saves really happen).

    ``also`` names fields that get the same value in the same request (every rationale at once).
    """
    for value in strings:
        base: dict[str, Any] = {**_full_form(reload(rating), **extra), **dict.fromkeys(also, value)}
        headers = {"HX-Request": "true"} if "field" in extra else None
        submit_naughty(client, url, base_data=base, fields=[name], strings=[value], headers=headers)
        if also and "<" in value:
            # Whatever was stored is shown escaped on the page.
            assert_no_unescaped_echo(client.get(_url(rating)), value)  # type: ignore[arg-type]


def test_the_full_form_survives_hostile_input(world: World) -> None:
    rating = _own(_open_scan(world))[0]
    client = world.client_for(OWNER)
    # The note and all eight rationales carry the same hostile text in one request.
    _each(client, rating, _url(rating), "note", NAUGHTY_STRINGS, also=RATIONALES, opslaan="1")
    saved = reload(rating)
    assert saved.note == NAUGHTY_STRINGS[-1] and saved.rationales["belang-derden"] == NAUGHTY_STRINGS[-1]
    for field in ("score-klantcontact", "impact-money", "circumstances"):
        _each(client, rating, _url(rating), field, SAMPLE, opslaan="1")
    saved = reload(rating)
    assert all(level in range(5) for level in saved.scores.values())  # no hostile score was ever stored
    assert "\x00" not in saved.note and saved.circumstances == []


def test_the_autosave_endpoint_survives_hostile_input(world: World) -> None:
    rating = _own(_open_scan(world))[0]
    client = world.client_for(OWNER)
    url = _url(rating, "rating_autosave")
    # Each field is parsed by the same form field as on the full form above: a sample per field will do.
    for field in ("rationale-belang-derden", "note", "score-klantcontact", "circumstances", "certainty"):
        _each(client, rating, url, field, SAMPLE, field=field)
    _each(client, rating, url, "field", SAMPLE, field="note")  # the field name itself
    saved = reload(rating)
    assert all(isinstance(level, int) for level in (*saved.scores.values(), *saved.impact.values()))
    assert saved.circumstances == [] and saved.certainty in ("", "zeker", "redelijk", "onzeker")
    assert saved.rationales.get("belang-derden") == "-1"  # the last text accepted (a NUL is refused), as typed
