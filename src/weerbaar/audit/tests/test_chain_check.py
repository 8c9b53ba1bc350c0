"""The quick chain check: from the last full verification onwards, so a page stays fast as the trail grows."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from weerbaar.audit.models import AuditChainCheck, AuditEvent, chain_for
from weerbaar.audit.services import chain_status
from weerbaar.audit.tests.test_chain import _events, _raw
from weerbaar.testing.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_without_a_full_check_the_whole_chain_is_walked() -> None:
    organisation = OrganisationFactory.create()
    _events(organisation, 3)
    report = chain_status(organisation)
    assert report.ok and report.length == 3
    assert report.full_check_at is None and report.checked_since is None


def test_after_the_nightly_check_only_the_new_events_are_walked() -> None:
    organisation = OrganisationFactory.create()
    _events(organisation, 4)
    call_command("verify_audit", stdout=None)
    check = AuditChainCheck.objects.get(chain=chain_for(organisation.uuid))
    assert check.ok and check.sequence == 4
    _events(organisation, 2)
    with CaptureQueriesContext(connection) as captured:
        report = chain_status(organisation)
    assert report.ok and report.length == 6 and report.checked_since == 2
    assert report.full_check_at == check.checked_at
    # The check itself, the head, the anchor event and the new events: never the ones before.
    assert len(captured) == 4


def test_an_edit_after_the_full_check_is_found() -> None:
    organisation = OrganisationFactory.create()
    _events(organisation, 3)
    call_command("verify_audit", stdout=None)
    *_rest, last = _events(organisation, 2)
    _raw("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["weggepoetst", last.pk])
    report = chain_status(organisation)
    assert not report.ok and report.broken_sequence == last.sequence


def test_a_rewrite_before_the_full_check_that_recomputes_the_hashes_is_found() -> None:
    organisation = OrganisationFactory.create()
    events = _events(organisation, 3)
    call_command("verify_audit", stdout=None)
    # The attacker rewrites the anchor event itself (its hash changes): the quick check notices.
    _raw("UPDATE audit_auditevent SET hash = %s WHERE id = %s", ["0" * 64, events[-1].pk])
    report = chain_status(organisation)
    assert not report.ok and "laatste volledige controle" in report.problem


def test_a_broken_full_check_is_not_used_as_a_starting_point() -> None:
    organisation = OrganisationFactory.create()
    first, *_rest = _events(organisation, 3)
    _raw("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["x", first.pk])
    with pytest.raises(Exception, match="gebroken"):
        call_command("verify_audit", stdout=None)
    assert not AuditChainCheck.objects.get(chain=chain_for(organisation.uuid)).ok
    report = chain_status(organisation)
    assert not report.ok and report.broken_sequence == 1
    assert AuditEvent.all_chains.filter(chain=chain_for(organisation.uuid)).count() == 3
