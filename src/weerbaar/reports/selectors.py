"""Reading the archive of published reports, and checking a report's audit anchor against the trail.

Lists and detail pages never load the stored PDF and HTML (megabytes per row): they are deferred,
and only the PDF views fetch the bytes, one report at a time.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from uuid import UUID

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from weerbaar.audit.models import AuditEvent
from weerbaar.audit.services import GENESIS_HASH, chain_status
from weerbaar.reports.models import PublishedReport, ReportVersion

#: The stored documents; everything else about a report is small.
HEAVY_FIELDS = ("pdf", "html")


def published_reports() -> QuerySet[PublishedReport]:
    """The archive, newest first (list page and API): publisher and scan joined, documents deferred."""
    return (
        PublishedReport.objects.select_related("published_by__user", "scan", "organisation")
        .defer(*HEAVY_FIELDS)
        .order_by("-published_at", "-id")
    )


def published_report(report_uuid: UUID | str) -> PublishedReport | None:
    """One report of the bound organisation (another organisation's is None: a 404)."""
    return published_reports().filter(uuid=report_uuid).first()


def latest_published(version: str) -> PublishedReport | None:
    return published_reports().filter(version=version).first()


def latest_per_version() -> dict[str, PublishedReport]:
    """The newest report of each version (the publish page shows what readers see now)."""
    latest: dict[str, PublishedReport] = {}
    for version in ReportVersion.values:
        report = latest_published(version)
        if report is not None:
            latest[version] = report
    return latest


def report_pdf(report: PublishedReport) -> bytes:
    """The archived PDF bytes, exactly as published."""
    content = PublishedReport.objects.filter(pk=report.pk).values_list("pdf", flat=True).first()
    return bytes(content) if content is not None else b""


@dataclass(frozen=True)
class TrailCheck:
    #: The event at the stored sequence still has the stored hash (or the chain was empty then).
    head_matches: bool
    #: The whole chain still verifies (every row's hash, order and link to the previous row).
    chain_ok: bool
    #: The archived PDF still hashes to the SHA-256 stored at publication.
    pdf_intact: bool
    message: str

    @property
    def ok(self) -> bool:
        return self.head_matches and self.chain_ok and self.pdf_intact


def _head_matches(report: PublishedReport) -> tuple[bool, str]:
    # The default manager reads only the bound organisation's chain: the report's own.
    events = AuditEvent.objects.all()
    sequence = report.audit_head_sequence
    if sequence == 0:
        # The chain was empty: the row after it (the publish event itself) must link to the genesis.
        first = events.filter(sequence=1).values_list("prev_hash", flat=True).first()
        if report.audit_head_hash == GENESIS_HASH and first == GENESIS_HASH:
            return True, ""
        return False, _("het begin van de audittrail is na de publicatie gewijzigd")
    stored = events.filter(sequence=sequence).values_list("hash", flat=True).first()
    if stored is None:
        return False, _("regel %(sequence)s van de audittrail bestaat niet meer") % {"sequence": sequence}
    if stored != report.audit_head_hash:
        return False, _("regel %(sequence)s van de audittrail heeft een andere hash dan bij publicatie") % {
            "sequence": sequence
        }
    return True, ""


def trail_check(report: PublishedReport) -> TrailCheck:
    """Is the trail as it was when ``report`` was published, and is the archived PDF unchanged?

    A rewrite of the trail that recomputes every later hash still verifies on its own; it is the
    head stored with the report that no longer matches. An edit without recomputing breaks the chain.
    """
    head_matches, head_problem = _head_matches(report)
    chain = chain_status(report.organisation)
    pdf_intact = hashlib.sha256(report_pdf(report)).hexdigest() == report.pdf_sha256
    problems = []
    if not head_matches:
        problems.append(head_problem)
    if not chain.ok:
        where = chain.broken_sequence if chain.broken_sequence is not None else "?"
        problems.append(
            _("de audittrail klopt niet meer bij regel %(sequence)s: %(problem)s")
            % {"sequence": where, "problem": chain.problem}
        )
    if not pdf_intact:
        problems.append(_("de bewaarde PDF is niet meer dezelfde als bij publicatie"))
    if problems:
        message = _(
            "Let op: de audittrail of het archief is na de publicatie gewijzigd (%(problems)s). Meld dit bij de "
            "functioneel beheerder en de informatiebeveiliging."
        ) % {"problems": "; ".join(problems)}
    else:
        message = _(
            "De audittrail bevat de vastgelegde stand nog ongewijzigd, en de bewaarde PDF is dezelfde als bij "
            "publicatie."
        )
    return TrailCheck(head_matches=head_matches, chain_ok=chain.ok, pdf_intact=pdf_intact, message=message)
