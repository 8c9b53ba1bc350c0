"""The organisation's register: its positions (functies) with their screening, and its external context.

Positions are archived, never deleted. A context item records for one external circumstance of the
catalogue whether it applies to the organisation, how severe it is and why.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weerbaar.core.tenancy import AuditedTenantManager, CrossTenantManager, TenantManager, TenantModel


class ScreeningLevel(models.TextChoices):
    NONE = "geen", _("Geen screening")
    VOG_NP = "vog_np", _("VOG NP (justitiële gegevens)")
    VOG_P = "vog_p", _("VOG P (met politiegegevens)")
    CONFIDENTIAL = "vertrouwensfunctie", _("Vertrouwensfunctie (veiligheidsonderzoek AIVD)")


class RiskArea(models.TextChoices):
    """The eight risk areas of Justis' general screening profile (algemeen screeningsprofiel)."""

    INFORMATION = "informatie", _("Informatie")
    MONEY = "geld", _("Geld")
    GOODS = "goederen", _("Goederen")
    SERVICES = "diensten", _("Diensten")
    TRANSACTIONS = "zakelijke_transacties", _("Zakelijke transacties")
    PROCESS = "proces", _("Proces")
    MANAGEMENT = "aansturen_organisatie", _("Aansturen organisatie")
    PERSONS = "personen", _("Personen")


MAX_RENEWAL_YEARS = 10


class Position(TenantModel):
    name = models.CharField(_("naam"), max_length=200)
    unit = models.ForeignKey(
        "core.Unit",
        verbose_name=_("afdeling of team"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    fte = models.DecimalField(
        _("aantal fte"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("1.0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("999"))],
    )
    screening_level = models.CharField(
        _("vereiste screening"), max_length=32, choices=ScreeningLevel.choices, default=ScreeningLevel.NONE
    )
    #: Only for VOG NP: the risk areas of the general screening profile that apply (RiskArea values).
    risk_areas = models.JSONField(_("risicogebieden"), default=list, blank=True)
    renewal_years = models.PositiveSmallIntegerField(
        _("herhalen na (jaren)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_RENEWAL_YEARS)],
    )
    last_screening_on = models.DateField(_("laatste screeningsronde"), null=True, blank=True)
    is_active = models.BooleanField(_("actief"), default=True)
    version = models.PositiveIntegerField(default=1)

    objects: Any = AuditedTenantManager()
    cross_tenant_objects: Any = CrossTenantManager()

    class Meta(TenantModel.Meta):
        verbose_name = _("functie")
        verbose_name_plural = _("functies")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        areas = self.risk_areas if isinstance(self.risk_areas, list) else None
        if areas is None or any(area not in RiskArea.values for area in areas) or len(set(areas)) != len(areas):
            errors["risk_areas"] = _("Kies risicogebieden uit de lijst.")
        elif self.screening_level == ScreeningLevel.VOG_NP and not areas:
            errors["risk_areas"] = _("Kies bij een VOG NP ten minste één risicogebied.")
        elif self.screening_level != ScreeningLevel.VOG_NP and areas:
            errors["risk_areas"] = _("Risicogebieden horen alleen bij een VOG NP. Haal de vinkjes weg.")
        if self.screening_level == ScreeningLevel.NONE:
            if self.renewal_years is not None:
                errors["renewal_years"] = _("Zonder screening is er niets te herhalen. Laat dit veld leeg.")
        elif self.renewal_years is None:
            errors["renewal_years"] = _("Vul in na hoeveel jaar de screening opnieuw moet (1 tot en met 10).")
        if self.last_screening_on is not None and self.last_screening_on > timezone.localdate():
            errors["last_screening_on"] = _("Deze datum ligt in de toekomst. Vul de datum van de laatste ronde in.")
        if errors:
            raise ValidationError(errors)


class Severity(models.TextChoices):
    LOW = "laag", _("Laag")
    MEDIUM = "middel", _("Middel")
    HIGH = "hoog", _("Hoog")


class ContextItem(TenantModel):
    """Whether one external circumstance of the catalogue applies to the organisation, and how much."""

    circumstance = models.ForeignKey(
        "catalogue.Circumstance", verbose_name=_("omstandigheid"), on_delete=models.PROTECT, related_name="+"
    )
    applies = models.BooleanField(_("van toepassing"), default=False)
    severity = models.CharField(_("ernst"), max_length=16, choices=Severity.choices, blank=True)
    note = models.TextField(_("toelichting"), max_length=2000, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects: Any = AuditedTenantManager()
    cross_tenant_objects: Any = CrossTenantManager()

    class Meta(TenantModel.Meta):
        verbose_name = _("externe omstandigheid van de organisatie")
        verbose_name_plural = _("externe context")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "circumstance"], name="register_contextitem_unique"),
        ]

    def __str__(self) -> str:
        return str(self.circumstance)

    def clean(self) -> None:
        if self.applies and not self.severity:
            raise ValidationError({"severity": _("Kies hoe ernstig deze omstandigheid voor uw gemeente is.")})


class Executor(models.TextChoices):
    """Who carries the process out: the gemeente itself or a partner it relies on."""

    OWN = "eigen", _("Eigen organisatie")
    ENVIRONMENT_SERVICE = "omgevingsdienst", _("Omgevingsdienst")
    JOINT_ARRANGEMENT = "gemeenschappelijke_regeling", _("Gemeenschappelijke regeling")
    OTHER_PARTNER = "andere_partner", _("Andere partner")


MAX_YEARLY_VOLUME = 10_000_000


class Process(TenantModel):
    """One of the organisation's own processes, the thing a scan rates.

    ``code`` (P-001, P-002, …) is the organisation's stable, human-readable key: exports carry it,
    so a re-import updates the same process even after it was renamed. Archived, never deleted.
    """

    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("naam"), max_length=200)
    description = models.TextField(_("omschrijving"), max_length=4000, blank=True)
    category = models.ForeignKey(
        "catalogue.ProcessCategory", verbose_name=_("categorie"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "core.Unit",
        verbose_name=_("afdeling of team"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    #: A membership, not a user: the owner must be a member of this organisation.
    owner = models.ForeignKey(
        "core.Membership",
        verbose_name=_("proceseigenaar"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_processes",
    )
    positions = models.ManyToManyField(Position, verbose_name=_("betrokken functies"), blank=True, related_name="+")
    reference_process = models.ForeignKey(
        "catalogue.ReferenceProcess",
        verbose_name=_("referentieproces"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    #: Internal circumstances of the catalogue that apply to this process.
    circumstances = models.ManyToManyField(
        "catalogue.Circumstance", verbose_name=_("interne omstandigheden"), blank=True, related_name="+"
    )
    yearly_volume = models.PositiveIntegerField(
        _("aantal per jaar"), null=True, blank=True, validators=[MaxValueValidator(MAX_YEARLY_VOLUME)]
    )
    executor = models.CharField(_("uitgevoerd door"), max_length=32, choices=Executor.choices, default=Executor.OWN)
    executor_name = models.CharField(_("naam van de partner"), max_length=200, blank=True)
    is_active = models.BooleanField(_("actief"), default=True)
    version = models.PositiveIntegerField(default=1)

    objects: Any = AuditedTenantManager()
    cross_tenant_objects: Any = CrossTenantManager()

    class Meta(TenantModel.Meta):
        verbose_name = _("proces")
        verbose_name_plural = _("processen")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="register_process_unique_code"),
        ]
        indexes = [models.Index(fields=["organisation", "is_active", "name"], name="register_process_list")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.executor == Executor.OWN:
            if self.executor_name:
                raise ValidationError(
                    {"executor_name": _("Een partner hoort alleen bij een proces dat een ander uitvoert.")}
                )
        elif not self.executor_name.strip():
            raise ValidationError({"executor_name": _("Vul in welke partner dit proces uitvoert.")})


class ImportBatch(TenantModel):
    """An uploaded import file between its preview and its confirmation.

    Kept in the database (not in a session or on one server's disk) so the confirmation can land
    on any app server. The confirmation re-reads and re-checks the file; the batch is removed
    once it is confirmed, and batches older than ``IMPORT_BATCH_HOURS`` are cleared on upload.
    """

    kind = models.CharField(max_length=32)
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    #: Digest of the previewed plan: a confirmation only writes what the user saw.
    plan_digest = models.CharField(max_length=64)
    created_by = models.ForeignKey("core.User", on_delete=models.CASCADE, related_name="+")

    # Transient working data, not a register record: deleted after use, so not an audited manager.
    objects: Any = TenantManager()
    cross_tenant_objects: Any = CrossTenantManager()

    class Meta(TenantModel.Meta):
        verbose_name = _("importbestand")
        verbose_name_plural = _("importbestanden")


IMPORT_BATCH_HOURS = 2
