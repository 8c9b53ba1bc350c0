"""Keeping attention alive: recurring activities with a done-log, the year's communication plan,
notification preferences and the digests that were sent.

A :class:`RecurringActivity` (a norm discussion per unit, an awareness campaign, the intranet page,
the yearly resilience event, a training) has a cadence and an owner; each time it happens, an
:class:`ActivityLog` records when, what, and which units and vulnerable positions it reached.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from weerbaar.core.tenancy import AuditedTenantManager, CrossTenantManager, TenantManager, TenantModel
from weerbaar.plan.models import add_months


class ActivityKind(models.TextChoices):
    NORM_DISCUSSION = "normgesprek", _("Normgesprek in een afdeling of team")
    CAMPAIGN = "campagne", _("Bewustwordingscampagne")
    INTRANET = "intranet", _("Intranetpagina")
    EVENT = "evenement", _("Terugkerend weerbaarheidsevent")
    TRAINING = "training", _("Training")
    OTHER = "overig", _("Overige activiteit")


class RecurringActivity(TenantModel):
    kind = models.CharField(_("soort"), max_length=16, choices=ActivityKind.choices)
    name = models.CharField(_("naam"), max_length=200)
    description = models.TextField(_("omschrijving"), max_length=4000, blank=True)
    cadence_months = models.PositiveSmallIntegerField(_("elke (maanden)"), default=12)
    owner = models.ForeignKey(
        "core.Membership", verbose_name=_("eigenaar"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    #: The first time it is due when it has never been done.
    starts_on = models.DateField(_("voor het eerst op"))
    #: Denormalised from the newest ActivityLog: every due list needs it.
    last_done_on = models.DateField(_("laatst gedaan op"), null=True, blank=True)
    target_units = models.ManyToManyField(
        "core.Unit", verbose_name=_("voor afdelingen en teams"), blank=True, related_name="+"
    )
    target_positions = models.ManyToManyField(
        "register.Position", verbose_name=_("voor functies"), blank=True, related_name="+"
    )
    is_active = models.BooleanField(_("actief"), default=True)
    version = models.PositiveIntegerField(default=1)

    objects: Any = AuditedTenantManager()
    cross_tenant_objects: Any = CrossTenantManager()

    class Meta(TenantModel.Meta):
        verbose_name = _("terugkerende activiteit")
        verbose_name_plural = _("terugkerende activiteiten")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cadence_months__gte=1, cadence_months__lte=60), name="attention_activity_cadence"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "is_active", "owner"], name="attention_activity_owner")]

    def __str__(self) -> str:
        return self.name

    def next_due_on(self) -> dt.date:
        return add_months(self.last_done_on, self.cadence_months) if self.last_done_on else self.starts_on


class ActivityLog(TenantModel):
    """One time an activity happened: the done-log."""

    activity = models.ForeignKey(RecurringActivity, on_delete=models.PROTECT, related_name="log")
    done_on = models.DateField(_("gedaan op"))
    note = models.TextField(_("toelichting"), max_length=4000, blank=True)
    participants = models.PositiveIntegerField(_("aantal deelnemers"), null=True, blank=True)
    units = models.ManyToManyField(
        "core.Unit", verbose_name=_("bereikte afdelingen en teams"), blank=True, related_name="+"
    )
    positions = models.ManyToManyField(
        "register.Position", verbose_name=_("bereikte functies"), blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey("core.Membership", on_delete=models.SET_NULL, null=True, related_name="+")

    objects: Any = AuditedTenantManager()
    cross_tenant_objects: Any = CrossTenantManager()

    class Meta(TenantModel.Meta):
        verbose_name = _("uitvoering")
        verbose_name_plural = _("uitvoeringen")
        ordering = ["-done_on", "-pk"]


class CommunicationChannel(models.TextChoices):
    INTRANET = "intranet", _("Intranet")
    NEWSLETTER = "nieuwsbrief", _("Nieuwsbrief")
    MEETING = "bijeenkomst", _("Bijeenkomst")
    EMAIL = "email", _("E-mail")
    MANAGEMENT = "managementoverleg", _("Managementoverleg")
    OTHER = "overig", _("Overig")


class CommunicationItem(TenantModel):
    """One moment of the year's communication plan: what, to whom, through which channel, when."""

    planned_on = models.DateField(_("gepland op"))
    subject = models.CharField(_("onderwerp"), max_length=200)
    audience = models.CharField(_("doelgroep"), max_length=200)
    channel = models.CharField(_("kanaal"), max_length=24, choices=CommunicationChannel.choices)
    owner = models.ForeignKey(
        "core.Membership", verbose_name=_("eigenaar"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    done_on = models.DateField(_("gedaan op"), null=True, blank=True)
    note = models.TextField(_("toelichting"), max_length=2000, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects: Any = AuditedTenantManager()
    cross_tenant_objects: Any = CrossTenantManager()

    class Meta(TenantModel.Meta):
        verbose_name = _("communicatiemoment")
        verbose_name_plural = _("communicatieplan")
        ordering = ["planned_on", "pk"]


class NotificationPreference(TenantModel):
    """What a member wants by e-mail. No row means the defaults (both digests on)."""

    membership = models.OneToOneField(
        "core.Membership", on_delete=models.CASCADE, related_name="notification_preference"
    )
    weekly_digest = models.BooleanField(_("wekelijks overzicht van mijn werk"), default=True)
    monthly_digest = models.BooleanField(_("maandelijks overzicht voor de coördinator"), default=True)
    version = models.PositiveIntegerField(default=1)

    objects: Any = AuditedTenantManager()
    cross_tenant_objects: Any = CrossTenantManager()


class DigestKind(models.TextChoices):
    WEEKLY = "wekelijks", _("Wekelijks overzicht")
    MONTHLY = "maandelijks", _("Maandelijks overzicht")


class DigestLog(TenantModel):
    """A digest sent (or being sent) for one member and one period: the command never sends it twice."""

    membership = models.ForeignKey("core.Membership", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=DigestKind.choices)
    #: "2026-W48" for a week, "2026-11" for a month.
    period = models.CharField(max_length=16)
    sent_at = models.DateTimeField(null=True, blank=True)
    item_count = models.PositiveIntegerField(default=0)

    objects: Any = TenantManager()
    cross_tenant_objects: Any = CrossTenantManager()

    class Meta(TenantModel.Meta):
        constraints = [
            models.UniqueConstraint(fields=["membership", "kind", "period"], name="attention_digest_once"),
        ]
