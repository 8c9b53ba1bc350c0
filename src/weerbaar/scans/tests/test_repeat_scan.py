"""The repeat scan's rules: start from a closed scan, prefill the ratings in bulk, confirm before handing in."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from weerbaar.audit.services import HIDDEN
from weerbaar.core.tenancy import tenant_scope
from weerbaar.core.tests.beheer_support import events
from weerbaar.register.tests.support import make_process
from weerbaar.scans import services
from weerbaar.scans.models import Rating, Scan
from weerbaar.scans.tests.repeat_support import (
    PREVIOUS,
    PREVIOUS_IMPACT,
    closed_scan,
    confirm_all,
    first_circumstance,
    save,
)
from weerbaar.scans.tests.support import make_scan, ratings_of, reload, scan_processes
from weerbaar.testing.world import World

pytestmark = pytest.mark.django_db

ALL_ITEMS = {*PREVIOUS, "impact", "circumstances"}


def _repeat(world: World, *, new_process: bool = True, open_it: bool = True) -> tuple[Scan, Scan]:
    """Last year's closed scan of one process, and this year's starting from it (plus a new process)."""
    with tenant_scope(world.a.organisation):
        kept = make_process(world.a, name="Evenementenvergunning")
        previous = closed_scan(world.a, [kept])
        processes = [kept, make_process(world.a, name="Nieuw proces")] if new_process else [kept]
        scan = make_scan(world.a, processes=processes, name="Scan 2026", previous_scan=previous)
        if open_it:
            scan = services.scan_open(actor=None, scan=scan, version=scan.version)
    return previous, scan


def _ratings(scan: Scan, process_name: str = "Evenementenvergunning") -> list[Rating]:
    return [rating for sp in scan_processes(scan) if sp.process.name == process_name for rating in ratings_of(sp)]


# --- starting point and prefill ---------------------------------------------------------------------


def test_a_repeat_scan_prefills_each_rating_from_the_previous_consensus(world: World) -> None:
    previous, scan = _repeat(world)
    assert scan.previous_scan_id == previous.pk
    prefilled = _ratings(scan)
    assert len(prefilled) == 2
    for rating in prefilled:
        assert rating.scores == PREVIOUS and rating.impact == PREVIOUS_IMPACT
        assert rating.circumstances == [first_circumstance()]
        assert rating.prefilled == {
            "scores": PREVIOUS,
            "impact": PREVIOUS_IMPACT,
            "circumstances": [first_circumstance()],
        }
        assert rating.confirmed == [] and set(rating.to_confirm) == ALL_ITEMS
        assert not rating.has_input  # copies are not the rater's input
    # A process that was not in the previous scan starts empty, as before.
    assert all(r.prefilled == {} and r.scores == {} for r in _ratings(scan, "Nieuw proces"))
    created = events(world.a.organisation, "scan.create")[-1].changes
    assert created["previous_scan"] == [None, str(previous.uuid)] and created["prefilled"] == [0, 2]


def test_raters_and_processes_added_later_are_prefilled_too(world: World) -> None:
    _previous, scan = _repeat(world, new_process=False, open_it=False)
    with tenant_scope(world.a.organisation):
        extra = make_process(world.a, name="Subsidies")
        services.scan_set_processes(
            actor=None,
            scan=scan,
            version=reload(scan).version,
            processes=[*[sp.process for sp in scan_processes(scan)], extra],
        )
        scan_process = scan_processes(scan)[0]
        members = [r.rater for r in ratings_of(scan_process)]
        services.scan_assign_raters(
            actor=None,
            scan_process=scan_process,
            raters=[*members, world.a.members["secretaris"]],
            version=reload(scan_process).version,
        )
    added = next(r for r in _ratings(reload(scan)) if "secretaris" in r.rater.roles)
    assert added.prefilled["scores"] == PREVIOUS and added.scores == PREVIOUS
    assert all(r.prefilled == {} for r in _ratings(reload(scan), "Subsidies"))  # not in the previous scan


def test_the_starting_point_must_be_a_closed_scan_of_the_same_organisation(world: World) -> None:
    with tenant_scope(world.a.organisation):
        process = make_process(world.a)
        still_open = make_scan(world.a, processes=[process], name="Nog open")
        with pytest.raises(ValidationError) as refused:
            make_scan(world.a, processes=[process], name="Scan 2026", previous_scan=still_open)
    assert "Alleen een afgesloten scan kan het startpunt zijn" in refused.value.message_dict["previous_scan"][0]
    with tenant_scope(world.b.organisation):
        foreign = closed_scan(world.b, [make_process(world.b)], name="Andere gemeente")
    with tenant_scope(world.a.organisation):
        with pytest.raises(ValidationError) as refused:
            make_scan(world.a, processes=[process], name="Scan 2026", previous_scan=foreign)
        assert not Scan.objects.filter(name="Scan 2026").exists()
    assert "afgesloten scan van deze organisatie" in refused.value.message_dict["previous_scan"][0]


def test_the_starting_point_changes_only_in_draft_and_then_restarts_the_ratings(world: World) -> None:
    previous, scan = _repeat(world, new_process=False, open_it=False)
    with tenant_scope(world.a.organisation):
        scan = services.scan_update(actor=None, scan=scan, version=reload(scan).version, previous_scan=None)
        assert all(r.prefilled == {} and r.scores == {} for r in _ratings(scan))
        scan = services.scan_update(actor=None, scan=scan, version=scan.version, previous_scan=previous)
        assert all(r.prefilled["scores"] == PREVIOUS for r in _ratings(scan))
        assert events(world.a.organisation, "scan.update")[-1].changes["prefilled"] == [None, 2]
        scan = services.scan_open(actor=None, scan=scan, version=scan.version)
        with pytest.raises(ValidationError, match="ligt vast zodra de scan open is"):
            services.scan_update(actor=None, scan=scan, version=scan.version, previous_scan=None)
        # Saving the open scan with the same starting point (as its form does) is fine.
        services.scan_update(actor=None, scan=scan, version=scan.version, previous_scan=previous, name="Herhaalscan")


# --- confirming ------------------------------------------------------------------------------------


def test_choosing_a_value_the_same_or_another_confirms_it(world: World) -> None:
    _previous, scan = _repeat(world)
    rating = _ratings(scan)[0]
    with tenant_scope(world.a.organisation):
        saved = save(rating, scores={"belang-derden": 4})  # the same value
        saved = save(saved, scores={"geldstromen": 2})  # another value
        saved = save(saved, impact={"money": 4})
        assert saved.confirmed == ["belang-derden", "geldstromen", "impact"]
        assert saved.scores["geldstromen"] == 2 and saved.prefilled["scores"]["geldstromen"] == 3
        saved = save(saved, circumstances=[])
        assert "circumstances" in saved.confirmed and saved.has_input
        # A rationale alone confirms nothing.
        saved = save(saved, rationales={"klantcontact": "Veel baliecontact"})
        assert "klantcontact" not in saved.confirmed


def test_the_whole_form_confirms_only_ticked_or_changed_items(world: World) -> None:
    _previous, scan = _repeat(world)
    rating = _ratings(scan)[0]
    whole_form: dict[str, Any] = {
        "scores": PREVIOUS,
        "impact": PREVIOUS_IMPACT,
        "circumstances": [first_circumstance()],
    }
    with tenant_scope(world.a.organisation):
        saved = save(rating, confirm=frozenset(), **whole_form)
        assert saved.confirmed == []  # every copy posted back untouched: nothing looked at
        saved = save(
            saved,
            confirm=frozenset({"klantcontact", "onbekend"}),
            **{**whole_form, "scores": {**PREVIOUS, "solistisch-werken": 3}},
        )
        assert saved.confirmed == ["klantcontact", "solistisch-werken"]


def test_handing_in_needs_every_copied_item_confirmed(world: World) -> None:
    _previous, scan = _repeat(world)
    rating = _ratings(scan)[0]
    rationales = {key: "Groot belang" for key, level in PREVIOUS.items() if level >= 3}
    with tenant_scope(world.a.organisation):
        save(rating, scores={"belang-derden": 4, "geldstromen": 3}, rationales=rationales)
        with pytest.raises(ValidationError) as refused:
            save(rating, submit=True, note="Klaar")
        errors = refused.value.message_dict
        assert errors["__all__"] == [
            "Bevestig of wijzig de waarden uit de vorige scan bij: K2, K3, K4, K6, K7, K8, impact, "
            "interne omstandigheden."
        ]
        assert errors["confirm-klantcontact"] == ["Bevestig de score uit de vorige scan, of kies een andere."]
        assert "confirm-belang-derden" not in errors and "confirm-impact" in errors
        assert reload(rating).note == "" and not reload(rating).is_submitted  # nothing saved
        handed_in = confirm_all(rating)
    assert handed_in.is_submitted and handed_in.to_confirm == []
    assert handed_in.has_input


def test_the_audit_trail_hides_what_was_confirmed_and_the_values(world: World) -> None:
    _previous, scan = _repeat(world)
    with tenant_scope(world.a.organisation):
        save(_ratings(scan)[0], scores={"belang-derden": 4})
    (event,) = events(world.a.organisation, "rating.update")
    assert event.changes == {"confirmed": [HIDDEN, HIDDEN]}


def test_a_rater_who_only_has_copies_can_be_taken_off_but_not_after_confirming(world: World) -> None:
    _previous, scan = _repeat(world, new_process=False)
    with tenant_scope(world.a.organisation):
        scan_process = scan_processes(scan)[0]
        owner, colleague = sorted(ratings_of(scan_process), key=lambda r: "coordinator" in r.rater.roles)
        save(owner, scores={"belang-derden": 4})
        with pytest.raises(ValidationError, match="al \\(deels\\) beoordeeld"):
            services.scan_assign_raters(
                actor=None, scan_process=scan_process, raters=[colleague.rater], version=scan_process.version
            )
        services.scan_assign_raters(
            actor=None,
            scan_process=reload(scan_process),
            raters=[owner.rater, world.a.members["secretaris"]],
            version=reload(scan_process).version,
        )
    assert {r.rater_id for r in ratings_of(scan_process)} == {owner.rater_id, world.a.members["secretaris"].pk}


def test_a_rating_without_copies_is_handed_in_as_before(world: World) -> None:
    _previous, scan = _repeat(world)
    (rating, *_rest) = _ratings(scan, "Nieuw proces")
    with tenant_scope(world.a.organisation):
        saved = save(
            rating,
            submit=True,
            scores=PREVIOUS,
            rationales={key: "Groot belang" for key, level in PREVIOUS.items() if level >= 3},
            impact=PREVIOUS_IMPACT,
        )
    assert saved.is_submitted and saved.confirmed == [] and saved.prefilled == {}


# --- cost -----------------------------------------------------------------------------------------


def test_prefilling_costs_the_same_for_3_and_30_processes(world: World) -> None:
    def create(count: int, name: str) -> int:
        with tenant_scope(world.a.organisation):
            processes = [make_process(world.a, name=f"{name} {number:02d}") for number in range(count)]
            previous = closed_scan(world.a, processes, name=f"{name} vorig jaar")
            with CaptureQueriesContext(connection) as captured:
                scan = make_scan(world.a, processes=processes, name=name, previous_scan=previous)
            assert sum(bool(r.prefilled) for sp in scan_processes(scan) for r in ratings_of(sp)) == 2 * count
        return len(captured)

    assert create(3, "Klein") == create(30, "Groot")
