"""Published management reports: archived unchanged, with what is needed to prove that later.

A :class:`PublishedReport` keeps the rendered PDF and HTML exactly as published, the scoring
model version, a SHA-256 of the report's data and the organisation's audit-chain head hash at the
moment of publishing: if the trail is rewritten later, that head no longer occurs in it.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from weerbaar.core.tenancy import AuditedTenantManager, CrossTenantManager, TenantModel


class ImmutableReport(PermissionError):
    """A published report is archived unchanged: it is never updated or deleted."""


class ReportVersion(models.TextChoices):
    FULL = "volledig", _("Vertrouwelijk, volledig (voor het college)")
    SUMMARY = "samenvatting", _("Samenvatting zonder procesdetails (voor de raad)")


class PublishedReport(TenantModel):
    version = models.CharField(_("versie"), max_length=16, choices=ReportVersion.choices)
    title = models.CharField(_("titel"), max_length=300)
    scan = models.ForeignKey("scans.Scan", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    #: The date the figures are "as of" (residual risk, liveness, due work).
    reference_date = models.DateField(_("peildatum"))
    model_version = models.CharField(_("versie van het scoringsmodel"), max_length=32)
    data_hash = models.CharField(_("hash van de gegevens"), max_length=64)
    audit_head_hash = models.CharField(_("hash van de audittrail bij publicatie"), max_length=64)
    audit_head_sequence = models.PositiveBigIntegerField(_("volgnummer van de audittrail bij publicatie"))
    pdf = models.BinaryField(_("PDF"))
    pdf_sha256 = models.CharField(max_length=64)
    page_count = models.PositiveIntegerField(_("aantal pagina's"))
    html = models.TextField(_("HTML"))
    published_by = models.ForeignKey(
        "core.Membership", on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("gepubliceerd door")
    )
    published_at = models.DateTimeField(_("gepubliceerd op"))
    note = models.TextField(_("toelichting bij publicatie"), max_length=2000, blank=True)

    # Bulk update/delete are refused (AuditedQuerySet); save() and delete() below refuse the rest.
    objects: Any = AuditedTenantManager()
    cross_tenant_objects: Any = CrossTenantManager()

    class Meta(TenantModel.Meta):
        verbose_name = _("gepubliceerde rapportage")
        verbose_name_plural = _("gepubliceerde rapportages")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["organisation", "version", "-published_at"], name="report_latest")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The archive is the evidence of what the college and the council were told: once written,
        # a row never changes (the PDF hash and the audit head would no longer mean anything).
        if not self._state.adding:
            raise ImmutableReport("A published report is archived unchanged; publish a new one instead.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ImmutableReport("A published report is archived unchanged and is never deleted.")
