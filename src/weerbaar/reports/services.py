"""Publishing the management report, and recording every time someone opens a published one.

A published report is archived unchanged: there is deliberately no service to change or delete
one (the model refuses it too). To correct a report, the coordinator publishes a new one; the
archive keeps both, and the audit trail says who published what and when.

The audit chain's head (sequence and hash) is read under the same lock :func:`record` takes, in
the same transaction that then appends the ``report.publish`` event: nothing can slip in between,
so the publish event's ``prev_hash`` is exactly the stored head, and a later rewrite of the trail
up to that point no longer matches what the report holds (see ``selectors.trail_check``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weerbaar.audit.models import AuditChainHead, chain_for
from weerbaar.audit.services import GENESIS_HASH, record
from weerbaar.core.models import Membership, Organisation, User
from weerbaar.core.permissions import Action
from weerbaar.reports.models import PublishedReport, ReportVersion
from weerbaar.reports.rendering import RenderedReport, render_report

MAX_NOTE_LENGTH = 2000

Disposition = Literal["inline", "attachment"]
Channel = Literal["web", "api"]


def _check_input(version: str, note: str) -> str:
    if version not in ReportVersion.values:
        raise ValidationError({"version": _("Kies welke versie u publiceert.")})
    note = (note or "").replace("\x00", "").strip()
    if len(note) > MAX_NOTE_LENGTH:
        raise ValidationError(
            {"note": _("De toelichting is te lang: gebruik hoogstens %(max)s tekens.") % {"max": MAX_NOTE_LENGTH}}
        )
    return note


def report_publish(
    *, actor: User | None, member: Membership, version: str, note: str = "", today: dt.date | None = None
) -> PublishedReport:
    """Render the report as of ``today``, archive it unchanged with the audit head, and audit that."""
    if not member.can(Action.REPORTS_MANAGE):
        raise PermissionDenied(_("Alleen de coördinator publiceert de managementrapportage."))
    note = _check_input(version, note)
    organisation = member.organisation
    today = today or timezone.localdate()
    # Rendering takes a while (WeasyPrint); it reads only, so it runs before the audit head is locked
    # and does not hold up everyone else's audited writes meanwhile.
    rendered = render_report(organisation, version=version, today=today)
    pdf_sha256 = hashlib.sha256(rendered.pdf).hexdigest()
    with transaction.atomic():
        head, _created = AuditChainHead.objects.select_for_update().get_or_create(
            chain=chain_for(organisation.uuid), defaults={"sequence": 0, "hash": GENESIS_HASH}
        )
        report = PublishedReport(
            organisation=organisation,
            version=version,
            title=rendered.title[:300],
            scan=rendered.scan,
            reference_date=rendered.reference_date,
            model_version=rendered.model_version,
            data_hash=rendered.data_hash,
            audit_head_hash=head.hash,
            audit_head_sequence=head.sequence,
            pdf=rendered.pdf,
            pdf_sha256=pdf_sha256,
            page_count=rendered.page_count,
            html=rendered.html,
            published_by=member,
            published_at=timezone.now(),
            note=note,
        )
        report.full_clean(exclude=["organisation", "scan", "published_by"])
        report.save()
        record(
            action="report.publish",
            actor=actor,
            organisation=organisation,
            obj=report,
            changes={
                "version": [None, version],
                "reference_date": [None, rendered.reference_date],
                "scan": [None, rendered.scan.name if rendered.scan else None],
                "model_version": [None, rendered.model_version],
                "data_hash": [None, rendered.data_hash],
                "pdf_sha256": [None, pdf_sha256],
                "page_count": [None, rendered.page_count],
                "audit_head_sequence": [None, head.sequence],
                "audit_head_hash": [None, head.hash],
            },
            reason=note,
        )
    return report


def record_report_download(
    *, actor: User | None, report: PublishedReport, disposition: Disposition, channel: Channel
) -> None:
    """Every opening of a published report is audited: the full version is confidential."""
    record(
        action="report.download",
        actor=actor,
        organisation=report.organisation,
        obj=report,
        changes={
            "version": [None, report.version],
            "disposition": [None, disposition],
            "via": [None, channel],
            "pdf_sha256": [None, report.pdf_sha256],
        },
    )


def record_preview_download(*, actor: User | None, organisation: Organisation, rendered: RenderedReport) -> None:
    """A preview PDF is not archived, but it is the same map of weak spots leaving the application."""
    record(
        action="report.preview_download",
        actor=actor,
        organisation=organisation,
        obj=rendered.scan,
        object_type="" if rendered.scan is not None else "reports.report",
        object_label="" if rendered.scan is not None else rendered.title,
        changes={
            "versie": [None, rendered.version],
            "peildatum": [None, rendered.reference_date.isoformat()],
            "paginas": [None, rendered.page_count],
            "gegevenshash": [None, rendered.data_hash],
        },
    )
