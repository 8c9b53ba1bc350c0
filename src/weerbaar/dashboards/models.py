"""What the gemeentesecretaris keeps next to the dashboards: the consultations with the mayor and the
capacity the organisation gives this work.

A :class:`MayorConsultation` is one regular consultation of the secretaris with the burgemeester
(topics, notes, the next date); the agreements made in it are :class:`ConsultationAgreement` rows,
each with an owner, a deadline and a status. :class:`CapacityAllocation` is the coordinator's
statement of how many hours a week each role gives to resilience work — every respondent of the
Verwey-Jonker study names capacity as the bottleneck, so the app sets it against what the plan needs.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from weerbaar.core.permissions import Role
from weerbaar.core.tenancy import AuditedTenantManager, CrossTenantManager, TenantModel


class MayorConsultation(TenantModel):
    held_on = models.DateField(_("datum overleg"))
    topics = models.TextField(_("besproken onderwerpen"), max_length=4000)
    notes = models.TextField(_("aantekeningen"), max_length=8000, blank=True)
    #: The next consultation as agreed in this one; only the newest consultation's date counts.
    next_on = models.DateField(_("volgend overleg"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        "core.Membership", verbose_name=_("vastgelegd door"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    objects: Any = AuditedTenantManager()
    cross_tenant_objects: Any = CrossTenantManager()

    class Meta(TenantModel.Meta):
        verbose_name = _("overleg met de burgemeester")
        verbose_name_plural = _("overleggen met de burgemeester")
        ordering = ["-held_on", "-pk"]
        constraints = [
            # The overview reads "volgend overleg" as later than the one it was agreed in.
            models.CheckConstraint(
                condition=Q(next_on__isnull=True) | Q(next_on__gte=models.F("held_on")),
                name="dashboards_consultation_next_after_held",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "held_on"], name="dashboards_consultation_held")]

    def __str__(self) -> str:
        return str(_("Overleg van %(date)s")) % {"date": self.held_on.strftime("%d-%m-%Y")}


class AgreementStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "afgerond", _("Afgerond")
    LAPSED = "vervallen", _("Vervallen")


class ConsultationAgreement(TenantModel):
    consultation = models.ForeignKey(MayorConsultation, on_delete=models.PROTECT, related_name="agreements")
    description = models.TextField(_("afspraak"), max_length=2000)
    owner = models.ForeignKey(
        "core.Membership", verbose_name=_("eigenaar"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField(_("uiterlijk op"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=AgreementStatus.choices, default=AgreementStatus.OPEN)
    #: The day it was finished or dropped; empty while open.
    done_on = models.DateField(_("afgehandeld op"), null=True, blank=True)
    note = models.TextField(_("toelichting"), max_length=2000, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects: Any = AuditedTenantManager()
    cross_tenant_objects: Any = CrossTenantManager()

    class Meta(TenantModel.Meta):
        verbose_name = _("afspraak met de burgemeester")
        verbose_name_plural = _("afspraken met de burgemeester")
        ordering = ["due_on", "pk"]
        constraints = [
            # "Afgehandeld op" belongs to a finished or dropped agreement, and only to one.
            models.CheckConstraint(
                condition=(Q(status="open") & Q(done_on__isnull=True)) | (~Q(status="open") & Q(done_on__isnull=False)),
                name="dashboards_agreement_done_on_matches_status",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "status", "due_on"], name="dashboards_agreement_due")]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def is_open(self) -> bool:
        return self.status == AgreementStatus.OPEN

    def is_overdue(self, today: dt.date) -> bool:
        return self.is_open and self.due_on is not None and self.due_on < today


#: The roles of a gemeente that do resilience work (the lezer reads, the beheerder maintains the app).
CAPACITY_ROLES: tuple[str, ...] = (
    Role.SECRETARIS,
    Role.COORDINATOR,
    Role.PROCESEIGENAAR,
    Role.VERTROUWENSPERSOON,
    Role.MEDEWERKER,
)

MAX_HOURS_PER_WEEK = Decimal("400")


class CapacityAllocation(TenantModel):
    """Hours a week one role gives to this work in total (all people with that role together)."""

    role = models.CharField(_("rol"), max_length=24, choices=[(r, Role(r).label) for r in CAPACITY_ROLES])
    hours_per_week = models.DecimalField(
        _("uren per week"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_HOURS_PER_WEEK)],
    )
    people = models.PositiveIntegerField(_("aantal personen"), null=True, blank=True)
    note = models.TextField(_("toelichting"), max_length=1000, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects: Any = AuditedTenantManager()
    cross_tenant_objects: Any = CrossTenantManager()

    class Meta(TenantModel.Meta):
        verbose_name = _("capaciteit per rol")
        verbose_name_plural = _("capaciteit per rol")
        ordering = ["role"]
        constraints = [
            # The capacity page shows one row per role and sums them; two rows would count twice.
            models.UniqueConstraint(fields=["organisation", "role"], name="dashboards_capacity_one_per_role"),
            models.CheckConstraint(
                condition=Q(hours_per_week__gte=0, hours_per_week__lte=400), name="dashboards_capacity_hours_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{Role(self.role).label}: {self.hours_per_week}"
