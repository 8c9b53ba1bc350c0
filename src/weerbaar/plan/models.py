"""The action plan: measures planned per process or for the whole organisation, kept alive by reviews.

A :class:`PlannedMeasure` takes a catalogue measure into the plan, for one process or (``process``
empty) for the organisation. Its status runs voorgesteld → gepland → in uitvoering →
geïmplementeerd, or afgewezen with a reason (a declined proposal is a rejected planned measure,
so "why not" is kept next to "what"). Each effectiveness review is a :class:`MeasureReview`; the
latest one is copied onto the planned measure, because the scoring model needs it for every process.
Evidence is a note or a file; file bytes live in the database (:class:`EvidenceFile`), outside
any web root and the same on every app server. A :class:`RiskAcceptance` is the secretaris'
formal acceptance of a process's residual risk, until it expires or is withdrawn.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from weerbaar.core.tenancy import AuditedTenantManager, CrossTenantManager, TenantModel


class MeasureStatus(models.TextChoices):
    PROPOSED = "voorgesteld", _("Voorgesteld")
    PLANNED = "gepland", _("Gepland")
    IN_PROGRESS = "in_uitvoering", _("In uitvoering")
    IMPLEMENTED = "geimplementeerd", _("Geïmplementeerd")
    REJECTED = "afgewezen", _("Afgewezen")


#: Statuses in which the measure is still work to do (due dates matter).
OPEN_STATUSES: tuple[str, ...] = (MeasureStatus.PROPOSED, MeasureStatus.PLANNED, MeasureStatus.IN_PROGRESS)


#: The largest estimate a plan line may carry (hours of work); more is a programme, not a measure.
MAX_ESTIMATED_HOURS = 10_000


class Effectiveness(models.TextChoices):
    EFFECTIVE = "effectief", _("Effectief")
    PARTLY = "deels", _("Deels effectief")
    NOT = "niet", _("Niet effectief")


class PlannedMeasure(TenantModel):
    measure = models.ForeignKey(
        "catalogue.Measure", verbose_name=_("maatregel"), on_delete=models.PROTECT, related_name="+"
    )
    #: Empty for a measure for the whole organisation.
    process = models.ForeignKey(
        "register.Process",
        verbose_name=_("proces"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="planned_measures",
    )
    owner = models.ForeignKey(
        "core.Membership",
        verbose_name=_("eigenaar"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="planned_measures",
    )
    status = models.CharField(_("status"), max_length=16, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED)
    due_date = models.DateField(_("gereed op"), null=True, blank=True)
    rejection_reason = models.TextField(_("reden van afwijzen"), max_length=2000, blank=True)
    note = models.TextField(_("toelichting"), max_length=4000, blank=True)
    implemented_on = models.DateField(_("geïmplementeerd op"), null=True, blank=True)
    review_cadence_months = models.PositiveSmallIntegerField(_("herzien elke (maanden)"), default=12)
    #: The latest effectiveness review (copied from the newest MeasureReview).
    effectiveness = models.CharField(_("effectiviteit"), max_length=16, choices=Effectiveness.choices, blank=True)
    last_reviewed_on = models.DateField(_("laatst herzien op"), null=True, blank=True)
    #: Organisation-wide measures: which units it reaches; ``reaches_all_units`` says "over alle organisatieonderdelen".
    reaches_all_units = models.BooleanField(_("geldt voor alle organisatieonderdelen"), default=False)
    units = models.ManyToManyField(
        "core.Unit", verbose_name=_("bereikte afdelingen en teams"), blank=True, related_name="+"
    )
    #: The scan result a proposal came from, with the what-if at that moment ("van 72 naar 55").
    source_scan_process = models.ForeignKey(
        "scans.ScanProcess", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    expected_from = models.FloatField(null=True, blank=True)
    expected_to = models.FloatField(null=True, blank=True)
    #: Optional estimate of the work, in hours; the capacity page sets the open lines against capacity.
    estimated_hours = models.PositiveIntegerField(
        _("geschatte uren"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_ESTIMATED_HOURS)],
    )
    created_by = models.ForeignKey(
        "core.Membership", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    objects: Any = AuditedTenantManager()
    cross_tenant_objects: Any = CrossTenantManager()

    class Meta(TenantModel.Meta):
        verbose_name = _("geplande maatregel")
        verbose_name_plural = _("actieplan")
        ordering = ["due_date", "pk"]
        constraints = [
            # One live plan line per measure and process (or per measure for the organisation);
            # a rejected line may be followed by a new one later.
            models.UniqueConstraint(
                fields=["organisation", "process", "measure"],
                condition=~Q(status="afgewezen") & Q(process__isnull=False),
                name="plan_one_live_measure_per_process",
            ),
            models.UniqueConstraint(
                fields=["organisation", "measure"],
                condition=~Q(status="afgewezen") & Q(process__isnull=True),
                name="plan_one_live_measure_for_organisation",
            ),
            models.CheckConstraint(
                condition=Q(review_cadence_months__gte=1, review_cadence_months__lte=60),
                name="plan_review_cadence_range",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "due_date"], name="plan_status_due"),
            models.Index(fields=["organisation", "owner", "status"], name="plan_owner"),
        ]

    def __str__(self) -> str:
        return str(self.measure)

    @property
    def is_organisation_wide(self) -> bool:
        return self.process_id is None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_implemented(self) -> bool:
        return self.status == MeasureStatus.IMPLEMENTED

    @property
    def last_check(self) -> dt.date | None:
        """The day the measure was last seen working: its latest review, or else the day it was
        implemented (implementation counts as the first check). None while not implemented."""
        if not self.is_implemented:
            return None
        return self.last_reviewed_on or self.implemented_on

    def review_due_on(self) -> dt.date | None:
        """When the next effectiveness review is due: a cadence after the last check."""
        start = self.last_check
        return add_months(start, self.review_cadence_months) if start is not None else None


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole months, clamped to the month's last day (31 January + 1 = 28/29 February)."""
    import calendar

    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class MeasureReview(TenantModel):
    """One effectiveness review: was the measure effective in practice, and is it still alive?"""

    planned_measure = models.ForeignKey(PlannedMeasure, on_delete=models.PROTECT, related_name="reviews")
    reviewed_on = models.DateField(_("herzien op"))
    effectiveness = models.CharField(_("effectiviteit"), max_length=16, choices=Effectiveness.choices)
    note = models.TextField(_("toelichting"), max_length=4000, blank=True)
    reviewed_by = models.ForeignKey("core.Membership", on_delete=models.SET_NULL, null=True, related_name="+")

    objects: Any = AuditedTenantManager()
    cross_tenant_objects: Any = CrossTenantManager()

    class Meta(TenantModel.Meta):
        verbose_name = _("herziening")
        verbose_name_plural = _("herzieningen")
        ordering = ["-reviewed_on", "-pk"]


class Evidence(TenantModel):
    """Proof that a measure lives: a note, a file, or both. Files are never executed or inlined."""

    planned_measure = models.ForeignKey(PlannedMeasure, on_delete=models.PROTECT, related_name="evidence")
    note = models.TextField(_("toelichting"), max_length=4000, blank=True)
    filename = models.CharField(_("bestandsnaam"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    added_by = models.ForeignKey("core.Membership", on_delete=models.SET_NULL, null=True, related_name="+")
    #: Withdrawn evidence stays (the audit trail points at it) but is no longer listed or served.
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects: Any = AuditedTenantManager()
    cross_tenant_objects: Any = CrossTenantManager()

    class Meta(TenantModel.Meta):
        verbose_name = _("bewijsstuk")
        verbose_name_plural = _("bewijsstukken")
        ordering = ["-created_at", "-pk"]

    @property
    def has_file(self) -> bool:
        return bool(self.filename)


class EvidenceFile(TenantModel):
    """The bytes of an evidence file, apart so that lists never load them."""

    evidence = models.OneToOneField(Evidence, on_delete=models.PROTECT, related_name="file")
    content = models.BinaryField()

    objects: Any = AuditedTenantManager()
    cross_tenant_objects: Any = CrossTenantManager()


class RiskAcceptance(TenantModel):
    """The secretaris accepts a process's residual risk, with a reason, until ``expires_on``."""

    process = models.ForeignKey("register.Process", on_delete=models.PROTECT, related_name="risk_acceptances")
    reason = models.TextField(_("reden"), max_length=4000)
    accepted_on = models.DateField(_("geaccepteerd op"))
    expires_on = models.DateField(_("geldig tot en met"))
    #: The residual vulnerability (0..100) that was accepted, so a later rise is visible.
    vulnerability = models.FloatField(null=True, blank=True)
    accepted_by = models.ForeignKey("core.Membership", on_delete=models.SET_NULL, null=True, related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(max_length=2000, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects: Any = AuditedTenantManager()
    cross_tenant_objects: Any = CrossTenantManager()

    class Meta(TenantModel.Meta):
        verbose_name = _("risicoacceptatie")
        verbose_name_plural = _("risicoacceptaties")
        ordering = ["-accepted_on", "-pk"]
        indexes = [models.Index(fields=["organisation", "withdrawn_at", "expires_on"], name="plan_acceptance_due")]

    def is_current(self, today: dt.date) -> bool:
        return self.withdrawn_at is None and self.expires_on >= today

    def is_expired(self, today: dt.date) -> bool:
        return self.withdrawn_at is None and self.expires_on < today
