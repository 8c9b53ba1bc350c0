"""The national catalogue (versioned data from ``data/catalogue.yaml``) and the organisations' own entries.

National rows have no organisation and are written only by the loader (``loader.py``), upserted by
their stable ``key``. Reference processes, circumstances and measures can also belong to one
organisation: an entry of its own, or its own version of a national entry (``based_on``), which
that organisation then sees instead of the national one. Characteristics and categories are
national only. Nothing is ever deleted: later scans and registers keep pointing at these rows.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weerbaar.core.tenancy import (
    CrossTenantManager,
    NationalManager,
    SharedOrTenantManager,
    TenantScopeViolation,
    current_organisation,
)

SCALE_LEVELS: tuple[str, ...] = ("0", "1", "2", "3", "4")


class Characteristic(models.Model):
    """One of the eight vulnerability characteristics (K1..K8) with its anchored 0-4 scale."""

    key = models.SlugField(_("sleutel"), max_length=80, unique=True)
    code = models.CharField(_("code"), max_length=4)
    name = models.CharField(_("naam"), max_length=200)
    why = models.TextField(_("waarom kwetsbaar"))
    examples = models.JSONField(_("voorbeelden"), default=list)
    questions = models.JSONField(_("hulpvragen"), default=list)
    #: {"0": "...", ..., "4": "..."}: what each score means for this characteristic.
    scale = models.JSONField(_("schaal"), default=dict)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("kenmerk")
        verbose_name_plural = _("kenmerken")
        ordering = ["position", "key"]
        constraints = [
            # Raters and reports name a characteristic by its code; two active K3s would be ambiguous.
            models.UniqueConstraint(fields=["code"], condition=Q(is_active=True), name="catalogue_characteristic_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def scale_items(self) -> list[tuple[str, str]]:
        return [(level, str(self.scale.get(level, ""))) for level in SCALE_LEVELS]


class ProcessCategory(models.Model):
    """The eight process categories of the Verwey-Jonker study, plus "overig"."""

    key = models.SlugField(_("sleutel"), max_length=80, unique=True)
    name = models.CharField(_("naam"), max_length=200)
    description = models.TextField(_("omschrijving"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("procescategorie")
        verbose_name_plural = _("procescategorieën")
        ordering = ["position", "key"]

    def __str__(self) -> str:
        return self.name


class CatalogueEntry(models.Model):
    """What reference processes, circumstances and measures share: national or an organisation's own.

    ``objects`` returns the national rows plus the bound organisation's own rows (and raises when
    no organisation is bound); ``national_objects`` only the national rows; ``cross_tenant_objects``
    everything, for the loader and system commands only.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    #: Stable slug of a national entry; own entries have none and are addressed by uuid.
    key = models.SlugField(_("sleutel"), max_length=80, blank=True)
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("gebaseerd op"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="own_versions",
    )
    name = models.CharField(_("naam"), max_length=200)
    description = models.TextField(_("omschrijving"), blank=True)
    position = models.PositiveIntegerField(default=0)
    #: National: False once a release removed it. Own: False once archived.
    is_active = models.BooleanField(_("actief"), default=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: Any = SharedOrTenantManager()
    national_objects: Any = NationalManager()
    cross_tenant_objects: Any = CrossTenantManager()

    class Meta:
        abstract = True
        base_manager_name = "cross_tenant_objects"
        ordering = ["position", "name"]
        constraints = [
            # The loader upserts national rows by key; own rows are found by uuid and must not
            # collide with a key a later release might introduce.
            models.CheckConstraint(
                condition=(Q(organisation__isnull=True) & ~Q(key="")) | (Q(organisation__isnull=False) & Q(key="")),
                name="%(app_label)s_%(class)s_key_only_national",
            ),
            models.UniqueConstraint(
                fields=["key"], condition=Q(organisation__isnull=True), name="%(app_label)s_%(class)s_national_key"
            ),
            # Only an organisation makes its own version; the national catalogue is flat.
            models.CheckConstraint(
                condition=Q(based_on__isnull=True) | Q(organisation__isnull=False),
                name="%(app_label)s_%(class)s_based_on_only_own",
            ),
            # The effective catalogue replaces a national entry by at most one own version.
            models.UniqueConstraint(
                fields=["organisation", "based_on"],
                condition=Q(based_on__isnull=False, is_active=True),
                name="%(app_label)s_%(class)s_one_own_version",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        bound = current_organisation()
        if bound is not None and self.organisation_id is not None and self.organisation_id != bound.pk:
            raise TenantScopeViolation(
                f"Refusing to save {type(self).__name__} of organisation {self.organisation_id} "
                f"while organisation {bound.pk} is bound."
            )
        super().save(*args, **kwargs)

    @property
    def is_national(self) -> bool:
        return self.organisation_id is None

    @property
    def ref(self) -> str:
        """How URLs and the API address this entry: the national key, or the own entry's uuid."""
        return self.key if self.organisation_id is None else str(self.uuid)


class ReferenceProcess(CatalogueEntry):
    """A typical process of a Dutch gemeente; the register adopts its processes from these."""

    category = models.ForeignKey(
        ProcessCategory, verbose_name=_("categorie"), on_delete=models.PROTECT, related_name="processes"
    )
    typical_unit = models.CharField(_("gebruikelijke afdeling"), max_length=200, blank=True)
    #: A hint for raters, not a score: the characteristics that typically apply.
    characteristics = models.ManyToManyField(
        Characteristic, verbose_name=_("kenmerken"), blank=True, related_name="reference_processes"
    )

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("referentieproces")
        verbose_name_plural = _("referentieprocessen")


class CircumstanceKind(models.TextChoices):
    EXTERNAL = "extern", _("Extern")
    INTERNAL = "intern", _("Intern")


class CircumstanceGroup(models.TextChoices):
    RISK_LOCATION = "risicolocatie", _("Risicolocatie")
    RISK_SECTOR = "risicosector", _("Risicosector")
    OTHER_EXTERNAL = "overig-extern", _("Overige externe omstandigheid")
    FUNCTION = "functie", _("Functie")
    PERSON = "persoon", _("Persoon")
    WORKING_METHOD = "werkwijze", _("Werkwijze")


#: The study's split: external (the area) versus internal (functions, persons and working method).
CIRCUMSTANCE_GROUPS: dict[str, tuple[str, ...]] = {
    CircumstanceKind.EXTERNAL: (
        CircumstanceGroup.RISK_LOCATION,
        CircumstanceGroup.RISK_SECTOR,
        CircumstanceGroup.OTHER_EXTERNAL,
    ),
    CircumstanceKind.INTERNAL: (
        CircumstanceGroup.FUNCTION,
        CircumstanceGroup.PERSON,
        CircumstanceGroup.WORKING_METHOD,
    ),
}


class Circumstance(CatalogueEntry):
    """An external or internal circumstance that makes processes more vulnerable."""

    kind = models.CharField(_("soort"), max_length=16, choices=CircumstanceKind.choices)
    group = models.CharField(_("groep"), max_length=32, choices=CircumstanceGroup.choices)
    characteristics = models.ManyToManyField(
        Characteristic, verbose_name=_("kenmerken"), blank=True, related_name="circumstances"
    )

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("omstandigheid")
        verbose_name_plural = _("omstandigheden")
        constraints = [
            *CatalogueEntry.Meta.constraints,
            # The context profile shows external groups per gemeente and internal ones per process.
            models.CheckConstraint(
                condition=Q(
                    kind=CircumstanceKind.EXTERNAL,
                    group__in=CIRCUMSTANCE_GROUPS[CircumstanceKind.EXTERNAL],
                )
                | Q(
                    kind=CircumstanceKind.INTERNAL,
                    group__in=CIRCUMSTANCE_GROUPS[CircumstanceKind.INTERNAL],
                ),
                name="catalogue_circumstance_group_matches_kind",
            ),
        ]


class MeasureGroup(models.TextChoices):
    SCREENING = "screening", _("Screening van medewerkers")
    BARRIERS = "barrieres", _("Barrières in processen")
    TRAINING = "training", _("Training, voorlichting en bewustwording")
    SAFETY = "veiligheid", _("Veiligheid van medewerkers")
    INTEGRITY = "integriteit", _("Integriteit van de gemeente")
    COOPERATION = "samenwerking", _("Organisatie als gezamenlijke opgave")


class MeasureScope(models.TextChoices):
    PROCESS = "proces", _("Per proces")
    ORGANISATION = "organisatie", _("Voor de hele organisatie")


class EffectStrength(models.IntegerChoices):
    LIMITED = 1, _("beperkt")
    MEDIUM = 2, _("middel")
    STRONG = 3, _("sterk")


MIN_REVIEW_MONTHS = 1
MAX_REVIEW_MONTHS = 60


class Measure(CatalogueEntry):
    """A measure that weakens one or more characteristics, and how often it must be reviewed."""

    group = models.CharField(_("groep"), max_length=32, choices=MeasureGroup.choices)
    scope = models.CharField(_("reikwijdte"), max_length=16, choices=MeasureScope.choices)
    review_cadence_months = models.PositiveSmallIntegerField(_("herzien elke (maanden)"), default=12)
    characteristics = models.ManyToManyField(
        Characteristic, through="MeasureEffect", verbose_name=_("kenmerken"), related_name="measures"
    )

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("maatregel")
        verbose_name_plural = _("maatregelen")
        constraints = [
            *CatalogueEntry.Meta.constraints,
            # The "alive in practice" check divides by it; a measure reviewed never or each day is a typo.
            models.CheckConstraint(
                condition=Q(review_cadence_months__gte=MIN_REVIEW_MONTHS, review_cadence_months__lte=MAX_REVIEW_MONTHS),
                name="catalogue_measure_review_cadence_range",
            ),
        ]


class MeasureEffect(models.Model):
    """How strongly a measure weakens one characteristic (the proposal of measures ranks by it)."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="effects")
    characteristic = models.ForeignKey(Characteristic, on_delete=models.PROTECT, related_name="measure_effects")
    strength = models.PositiveSmallIntegerField(_("sterkte"), choices=EffectStrength.choices)

    class Meta:
        verbose_name = _("effect van een maatregel")
        verbose_name_plural = _("effecten van maatregelen")
        ordering = ["characteristic__position"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "characteristic"], name="catalogue_measureeffect_unique"),
            models.CheckConstraint(
                condition=Q(strength__gte=EffectStrength.LIMITED, strength__lte=EffectStrength.STRONG),
                name="catalogue_measureeffect_strength_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure_id} → {self.characteristic_id} ({self.strength})"


class CatalogueRelease(models.Model):
    """One applied version of the national catalogue, with what it added, changed and removed.

    ``changes`` is ``{kind: {"added": [...], "changed": [...], "removed": [...]}}`` where kind is
    one of :data:`RELEASE_KINDS` and each item is ``{"key", "name"}`` (changed items also carry
    ``"fields": {field: [old, new]}``), so the "what changed" page needs no other table.
    """

    version = models.CharField(_("versie"), max_length=32, unique=True)
    released = models.DateField(_("uitgebracht op"))
    #: When this version was (last) applied to this database.
    loaded_at = models.DateTimeField(_("geladen op"), default=timezone.now)
    #: SHA-256 of the data file as loaded: an unchanged file is recognised without parsing it.
    checksum = models.CharField(max_length=64, blank=True)
    changes = models.JSONField(default=dict)
    changelog = models.TextField(_("toelichting"), blank=True)

    class Meta:
        verbose_name = _("catalogusversie")
        verbose_name_plural = _("catalogusversies")
        ordering = ["-released", "-loaded_at", "-pk"]

    def __str__(self) -> str:
        return self.version


#: The kinds a release reports on, in the order the pages show them.
RELEASE_KINDS: tuple[str, ...] = ("characteristics", "categories", "reference_processes", "circumstances", "measures")
