from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from weerbaar.core.services import StaleVersion
from weerbaar.core.tenancy import tenant_scope
from weerbaar.core.tests.beheer_support import events
from weerbaar.register.tests.support import make_process
from weerbaar.scans import services
from weerbaar.scans.models import Scan, ScanState
from weerbaar.scans.tests.support import (
    IMPACT,
    LEVELS,
    circumstance_uuids,
    make_scan,
    rate,
    ratings_of,
    reload,
    scan_processes,
)
from weerbaar.testing.world import World

pytestmark = pytest.mark.django_db


def _open(world: World) -> Scan:
    scan = make_scan(world.a)
    return services.scan_open(actor=world.a.user("coordinator"), scan=scan, version=scan.version)


def test_a_new_scan_gives_each_process_its_owner_and_the_extra_rater(world: World) -> None:
    with tenant_scope(world.a.organisation):
        scan = make_scan(world.a)
        raters = [sorted(r.rater.roles[0] for r in ratings_of(sp)) for sp in scan_processes(scan)]
    assert scan.state == ScanState.DRAFT
    assert raters == [["coordinator", "proceseigenaar"], ["coordinator", "proceseigenaar"]]
    assert events(world.a.organisation, "scan.create")[0].changes["processes"] == [0, 2]


def test_opening_needs_two_raters_unless_one_is_allowed_and_invites_by_mail_without_scores(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with tenant_scope(world.a.organisation):
        scan = make_scan(world.a, extra_roles=())
        with pytest.raises(ValidationError, match="nog geen 2 beoordelaars"):
            services.scan_open(actor=None, scan=scan, version=scan.version)
        scan = services.scan_update(actor=None, scan=scan, version=scan.version, allow_single_rater=True)
        with pytest.raises(StaleVersion):
            services.scan_open(actor=None, scan=scan, version=scan.version - 1)
        with django_capture_on_commit_callbacks(execute=True):
            opened = services.scan_open(actor=None, scan=scan, version=scan.version)
    assert opened.state == ScanState.OPEN
    assert [message.to for message in mail.outbox] == [[world.a.user("proceseigenaar").email]]
    body = mail.outbox[0].body
    assert "/beoordelen" in body and "Evenementenvergunning" not in body and "2 processen" in body


def test_a_rating_autosaves_partially_and_hand_in_needs_everything_and_a_rationale_for_3_and_4(world: World) -> None:
    with tenant_scope(world.a.organisation):
        scan = _open(world)
        rating = ratings_of(scan_processes(scan)[0])[0]
        rater = rating.rater
        saved = services.rating_save(
            actor=rater.user,
            rater=rater,
            rating=rating,
            version=rating.version,
            change=services.RatingChange(scores={"belang-derden": 4}),
            allowed_circumstances=circumstance_uuids(),
        )
        assert saved.scores == {"belang-derden": 4} and saved.submitted_at is None
        with pytest.raises(ValidationError) as refused:
            services.rating_save(
                actor=rater.user,
                rater=rater,
                rating=saved,
                version=saved.version,
                change=services.RatingChange(scores=dict(LEVELS, **{"belang-derden": 4}), impact=IMPACT),
                submit=True,
                allowed_circumstances=circumstance_uuids(),
            )
        assert "rationale-belang-derden" in refused.value.message_dict
        assert reload(saved).scores == {"belang-derden": 4}, "a refused hand-in saves nothing"
        with pytest.raises(ValidationError) as bad:
            services.rating_save(
                actor=rater.user,
                rater=rater,
                rating=saved,
                version=saved.version,
                change=services.RatingChange(scores={"klantcontact": 5, "geldstromen": "x", "onbekend": 1}),  # type: ignore[dict-item]
                allowed_circumstances=circumstance_uuids(),
            )
        assert set(bad.value.message_dict) == {"score-klantcontact", "score-geldstromen", "score-onbekend"}
        with pytest.raises(StaleVersion):
            services.rating_save(
                actor=rater.user,
                rater=rater,
                rating=saved,
                version=saved.version - 1,
                change=services.RatingChange(scores={"klantcontact": 1}),
                allowed_circumstances=circumstance_uuids(),
            )


def test_only_the_assigned_rater_rates_and_only_while_the_scan_is_open(world: World) -> None:
    with tenant_scope(world.a.organisation):
        scan = make_scan(world.a)
        rating = ratings_of(scan_processes(scan)[0])[0]
        with pytest.raises(ValidationError, match="niet \\(meer\\) open"):
            rate(rating)
        scan = services.scan_open(actor=None, scan=scan, version=scan.version)
        with pytest.raises(ValidationError, match="geen beoordelaar"):
            services.rating_save(
                actor=None,
                rater=world.a.members["medewerker"],
                rating=rating,
                version=rating.version,
                change=services.RatingChange(scores={"klantcontact": 1}),
                allowed_circumstances=set(),
            )


def test_review_flags_disagreement_bulk_accepts_agreement_and_closing_stores_the_model_version(world: World) -> None:
    with tenant_scope(world.a.organisation):
        scan = _open(world)
        agreed, disputed = scan_processes(scan)
        for rating in ratings_of(agreed):
            rate(rating)
        first, second = ratings_of(disputed)
        rate(first)
        rate(second, scores=dict(LEVELS, **{"belang-derden": 1}))
        scan = services.scan_start_review(actor=None, scan=reload(scan), version=reload(scan).version)
        accepted = services.consensus_accept_agreed(actor=None, by=None, scan=scan, version=scan.version)
        assert accepted == 1
        settled = reload(agreed)
        assert settled.consensus_scores == LEVELS and settled.model_version and settled.vulnerability is not None
        with pytest.raises(ValidationError, match="Bij 1 proces"):
            services.scan_close(actor=None, scan=reload(scan), version=reload(scan).version)
        disputed = reload(disputed)
        with pytest.raises(ValidationError) as no_note:
            services.consensus_set(
                actor=None,
                by=None,
                scan_process=disputed,
                version=disputed.version,
                scores=LEVELS,
                impact=IMPACT,
                circumstances=[],
                note="",
                allowed_circumstances=circumstance_uuids(),
            )
        assert "note" in no_note.value.message_dict
        services.consensus_set(
            actor=None,
            by=None,
            scan_process=disputed,
            version=disputed.version,
            scores=LEVELS,
            impact=IMPACT,
            circumstances=[],
            note="Besproken: het belang van derden is groot.",
            allowed_circumstances=circumstance_uuids(),
        )
        closed = services.scan_close(actor=None, scan=reload(scan), version=reload(scan).version)
        assert closed.state == ScanState.CLOSED
        with pytest.raises(ValidationError, match="correctie"):
            services.consensus_set(
                actor=None,
                by=None,
                scan_process=reload(disputed),
                version=None,
                scores=LEVELS,
                impact=IMPACT,
                circumstances=[],
                note="x",
                allowed_circumstances=set(),
            )
        amendment = services.consensus_amend(
            actor=None,
            by=None,
            scan_process=reload(disputed),
            version=reload(disputed).version,
            reason="Tikfout bij geldstromen",
            scores=dict(LEVELS, geldstromen=4),
            impact=IMPACT,
            circumstances=[],
            note="Besproken.",
            allowed_circumstances=circumstance_uuids(),
        )
    assert amendment.before["consensus_scores"]["geldstromen"] == 2
    assert reload(disputed).vulnerability > amendment.before["vulnerability"]
    assert events(world.a.organisation, "consensus.amend")[0].reason == "Tikfout bij geldstromen"


def test_a_rater_with_input_stays_and_an_outsider_is_refused(world: World) -> None:
    with tenant_scope(world.a.organisation):
        scan = _open(world)
        scan_process = scan_processes(scan)[0]
        owner_rating = ratings_of(scan_process)[0]
        rate(owner_rating, submit=False)
        with pytest.raises(ValidationError, match="al \\(deels\\) beoordeeld"):
            services.scan_assign_raters(
                actor=None,
                scan_process=scan_process,
                raters=[world.a.members["coordinator"]],
                version=scan_process.version,
            )
    with tenant_scope(world.a.organisation), pytest.raises(ValidationError, match="actieve leden"):
        services.scan_assign_raters(
            actor=None, scan_process=scan_process, raters=[world.b.members["coordinator"]], version=scan_process.version
        )
    with tenant_scope(world.a.organisation), pytest.raises(ValidationError, match="geen rol"):
        services.scan_assign_raters(
            actor=None, scan_process=scan_process, raters=[world.a.members["lezer"]], version=scan_process.version
        )


def test_a_scan_scope_changes_only_in_draft(world: World) -> None:
    with tenant_scope(world.a.organisation):
        scan = make_scan(world.a)
        third = make_process(world.a, name="Grondtransacties")
        scan = services.scan_set_processes(
            actor=None,
            scan=scan,
            version=scan.version,
            processes=[third],
            extra_raters=[world.a.members["coordinator"]],
        )
        assert [sp.process.name for sp in scan_processes(scan)] == ["Grondtransacties"]
        scan = services.scan_open(actor=None, scan=scan, version=scan.version)
        with pytest.raises(ValidationError, match="status"):
            services.scan_set_processes(actor=None, scan=scan, version=scan.version, processes=[third])


def test_the_audit_trail_records_that_a_rater_changed_something_never_the_scores(world: World) -> None:
    with tenant_scope(world.a.organisation):
        scan = _open(world)
        rating = ratings_of(scan_processes(scan)[0])[0]
        rate(rating, scores=dict(LEVELS, **{"belang-derden": 4}))
    event = events(world.a.organisation, "rating.submit")[0]
    assert set(event.changes) >= {"scores", "rationales", "impact", "submitted_at"}
    assert event.changes["scores"] == ["[verborgen]", "[verborgen]"]
    assert "Veel belang" not in str(event.changes) and '"belang-derden": 4' not in str(event.changes)
