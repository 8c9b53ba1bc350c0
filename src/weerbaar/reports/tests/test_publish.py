"""Publishing archives the report unchanged, anchored in the audit trail, so later forgery shows."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from weerbaar.audit.models import AuditChainHead, AuditEvent, chain_for
from weerbaar.audit.services import GENESIS_HASH, record
from weerbaar.core import services as core_services
from weerbaar.core.models import Organisation
from weerbaar.core.tenancy import tenant_scope
from weerbaar.reports import selectors
from weerbaar.reports.models import ImmutableReport, PublishedReport
from weerbaar.reports.services import record_report_download, report_publish
from weerbaar.reports.tests.publish_support import fake_renderer, publish, raw_sql, rewrite_trail
from weerbaar.testing.factories import MembershipFactory, OrganisationFactory
from weerbaar.testing.world import World

pytestmark = pytest.mark.django_db


def _head(organisation: Organisation) -> AuditChainHead:
    return AuditChainHead.objects.get(chain=chain_for(organisation.uuid))


def _some_events(organisation: Organisation, count: int = 3) -> None:
    for number in range(count):
        record(action="test.event", organisation=organisation, changes={"n": [None, number]})


def test_it_stores_the_head_of_the_chain_as_it_was_before_the_publish_event(world: World) -> None:
    organisation = world.a.organisation
    _some_events(organisation)
    before = _head(organisation)
    report = publish(world.a.members["coordinator"], note="Voor het college van 12 mei")
    assert (report.audit_head_sequence, report.audit_head_hash) == (before.sequence, before.hash)
    [event] = AuditEvent.all_chains.filter(chain=chain_for(organisation.uuid), action="report.publish")
    # Nothing slipped in between: the publish event links straight to the stored head.
    assert event.sequence == before.sequence + 1
    assert event.prev_hash == report.audit_head_hash
    assert event.object_uuid == str(report.uuid)
    assert event.changes["audit_head_hash"] == [None, before.hash]
    assert event.changes["data_hash"] == [None, report.data_hash]
    assert event.changes["pdf_sha256"] == [None, report.pdf_sha256]
    assert event.changes["version"] == [None, "volledig"]
    assert event.reason == "Voor het college van 12 mei"
    assert event.actor_label == world.a.user("coordinator").email


def test_it_archives_the_rendered_documents_and_their_hash(world: World) -> None:
    report = publish(world.a.members["coordinator"], version="samenvatting")
    stored = PublishedReport.cross_tenant_objects.get(pk=report.pk)
    assert bytes(stored.pdf).startswith(b"%PDF-")
    assert stored.pdf_sha256 == hashlib.sha256(bytes(stored.pdf)).hexdigest()
    assert stored.html.startswith("<!doctype html>")
    assert stored.version == "samenvatting"
    assert stored.model_version == "test-1.0"
    assert stored.page_count == 3
    assert stored.published_by == world.a.members["coordinator"]
    assert stored.title == f"Managementrapportage {world.a.organisation.name} {timezone.localdate().year}"


def test_an_empty_chain_is_anchored_at_the_genesis_and_still_checks_out() -> None:
    organisation = OrganisationFactory.create()
    with tenant_scope(organisation):
        coordinator = MembershipFactory.create(organisation=organisation, roles=["coordinator"])
    report = publish(coordinator)
    assert (report.audit_head_sequence, report.audit_head_hash) == (0, GENESIS_HASH)
    with tenant_scope(organisation):
        check = selectors.trail_check(selectors.published_report(report.uuid))  # type: ignore[arg-type]
    assert check.ok, check.message


def test_the_trail_check_is_fine_while_the_trail_only_grows(world: World) -> None:
    organisation = world.a.organisation
    _some_events(organisation)
    report = publish(world.a.members["coordinator"])
    _some_events(organisation, 5)
    with tenant_scope(organisation):
        check = selectors.trail_check(selectors.published_report(report.uuid))  # type: ignore[arg-type]
    assert check.ok
    assert "De audittrail bevat de vastgelegde stand nog ongewijzigd" in check.message


def test_an_edited_audit_event_afterwards_is_reported(world: World) -> None:
    organisation = world.a.organisation
    _some_events(organisation)
    report = publish(world.a.members["coordinator"])
    event = AuditEvent.all_chains.get(chain=chain_for(organisation.uuid), sequence=2)
    raw_sql("UPDATE audit_auditevent SET actor_label = %s WHERE id = %s", ["iemand-anders", event.pk])
    with tenant_scope(organisation):
        check = selectors.trail_check(selectors.published_report(report.uuid))  # type: ignore[arg-type]
    assert not check.ok
    assert not check.chain_ok
    assert check.message.startswith("Let op:")
    assert "regel 2" in check.message


def test_a_rewritten_trail_that_verifies_again_no_longer_matches_the_stored_head(world: World) -> None:
    organisation = world.a.organisation
    _some_events(organisation)
    report = publish(world.a.members["coordinator"])
    rewrite_trail(organisation, 2, "vervalst@example.org")
    with tenant_scope(organisation):
        check = selectors.trail_check(selectors.published_report(report.uuid))  # type: ignore[arg-type]
    # The forger recomputed every hash, so the chain alone looks fine…
    assert check.chain_ok
    # …but the head stored with the report gives it away.
    assert not check.head_matches and not check.ok
    assert f"regel {report.audit_head_sequence}" in check.message
    assert "andere hash" in check.message


def test_a_swapped_pdf_in_the_archive_is_reported(world: World) -> None:
    report = publish(world.a.members["coordinator"])
    raw_sql("UPDATE reports_publishedreport SET pdf = %s WHERE id = %s", [b"%PDF-1.7 vervalst", report.pk])
    with tenant_scope(world.a.organisation):
        check = selectors.trail_check(selectors.published_report(report.uuid))  # type: ignore[arg-type]
    assert not check.pdf_intact and not check.ok
    assert "PDF" in check.message


def test_a_published_report_can_be_neither_changed_nor_deleted(world: World) -> None:
    report = publish(world.a.members["coordinator"])
    with tenant_scope(world.a.organisation):
        stored = PublishedReport.objects.get(pk=report.pk)
        stored.title = "Achteraf mooier gemaakt"
        with pytest.raises(ImmutableReport):
            stored.save()
        with pytest.raises(ImmutableReport):
            stored.delete()
        with pytest.raises(PermissionError):
            PublishedReport.objects.filter(pk=report.pk).update(title="x")
        with pytest.raises(PermissionError):
            PublishedReport.objects.filter(pk=report.pk).delete()
        assert PublishedReport.objects.get(pk=report.pk).title == report.title


def test_only_the_coordinator_publishes(world: World) -> None:
    for role in ("lezer", "secretaris", "beheerder"):
        member = world.a.members[role]
        with tenant_scope(world.a.organisation), fake_renderer(), pytest.raises(PermissionDenied):
            report_publish(actor=member.user, member=member, version="volledig", note="", today=timezone.localdate())
    assert not PublishedReport.cross_tenant_objects.exists()


def test_it_refuses_an_unknown_version_and_a_note_that_is_too_long(world: World) -> None:
    member = world.a.members["coordinator"]
    with tenant_scope(world.a.organisation), fake_renderer():
        with pytest.raises(ValidationError) as unknown:
            report_publish(actor=member.user, member=member, version="alles", note="", today=timezone.localdate())
        assert "version" in unknown.value.message_dict
        with pytest.raises(ValidationError) as long_note:
            report_publish(
                actor=member.user, member=member, version="volledig", note="x" * 2001, today=timezone.localdate()
            )
        assert "note" in long_note.value.message_dict
    assert not PublishedReport.cross_tenant_objects.exists()


def test_each_download_is_one_audit_event_with_how_it_was_opened(world: World) -> None:
    report = publish(world.a.members["coordinator"])
    with tenant_scope(world.a.organisation):
        loaded = selectors.published_report(report.uuid)
        assert loaded is not None
        record_report_download(actor=world.a.user("lezer"), report=loaded, disposition="inline", channel="web")
    [event] = AuditEvent.all_chains.filter(action="report.download")
    assert event.changes == {
        "version": [None, "volledig"],
        "disposition": [None, "inline"],
        "via": [None, "web"],
        "pdf_sha256": [None, report.pdf_sha256],
    }
    assert event.actor_label == world.a.user("lezer").email


def test_with_the_real_renderer_the_archived_pdf_stays_the_same_after_the_data_changes(world: World) -> None:
    organisation = world.a.organisation
    member = world.a.members["coordinator"]
    with tenant_scope(organisation):
        report = report_publish(
            actor=member.user, member=member, version="volledig", note="", today=timezone.localdate()
        )
        original = selectors.report_pdf(report)
        assert original.startswith(b"%PDF-")
        assert report.page_count >= 1
        assert report.data_hash and len(report.data_hash) == 64
        # Later changes to the organisation do not reach the archived report.
        core_services.organisation_update(
            actor=world.a.user("beheerder"), organisation=organisation, name="Gemeente Aadorp-Nieuw"
        )
        again = selectors.published_report(report.uuid)
        assert again is not None
        assert selectors.report_pdf(again) == original
        assert hashlib.sha256(original).hexdigest() == again.pdf_sha256
        assert selectors.trail_check(again).ok
