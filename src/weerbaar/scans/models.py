"""Scan rounds: who rates which process, their independent ratings, the consensus and the result.

A scan moves draft → open → review → closed. Raters fill in a :class:`Rating` per assigned process
while the scan is open; in review the coordinator settles a consensus per :class:`ScanProcess`;
closing stores the scoring model's result (with the model version) on every scanned process.
A closed scan is read-only: a correction is a :class:`ConsensusAmendment`, audited, with a reason.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from weerbaar.core.tenancy import AuditedTenantManager, CrossTenantManager, TenantManager, TenantModel

#: The five impact dimensions, in the order the forms and the scoring model use.
IMPACT_DIMENSIONS: tuple[tuple[str, Any], ...] = (
    ("money", _("Geld")),
    ("personal_data", _("Persoonsgegevens")),
    ("safety", _("Veiligheid van mensen")),
    ("trust", _("Vertrouwen in het bestuur")),
    ("continuity", _("Continuïteit")),
)
IMPACT_KEYS: tuple[str, ...] = tuple(key for key, _label in IMPACT_DIMENSIONS)
#: Scores from this level up need a rationale.
RATIONALE_FROM_LEVEL = 3
#: Raters whose scores differ by this much or more are flagged in review.
DISAGREEMENT_SPREAD = 2


class ScanState(models.TextChoices):
    DRAFT = "concept", _("Concept")
    OPEN = "open", _("Open voor beoordeling")
    REVIEW = "review", _("Consensus")
    CLOSED = "afgesloten", _("Afgesloten")


class Certainty(models.TextChoices):
    SURE = "zeker", _("Zeker")
    FAIRLY = "redelijk", _("Redelijk zeker")
    UNSURE = "onzeker", _("Onzeker")


class Scan(TenantModel):
    name = models.CharField(_("naam"), max_length=200)
    period_start = models.DateField(_("periode vanaf"))
    period_end = models.DateField(_("periode tot en met"))
    deadline = models.DateField(_("uiterste datum beoordelen"))
    description = models.TextField(_("toelichting voor de beoordelaars"), max_length=4000, blank=True)
    state = models.CharField(_("status"), max_length=16, choices=ScanState.choices, default=ScanState.DRAFT)
    #: A small gemeente may run with one rater per process; results are then marked "één beoordelaar".
    allow_single_rater = models.BooleanField(_("één beoordelaar per proces toestaan"), default=False)
    #: A repeat scan starts from this closed scan's consensus: raters confirm or change each value.
    previous_scan = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vorige scan als startpunt"),
    )
    created_by = models.ForeignKey(
        "core.Membership", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    review_started_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects: Any = AuditedTenantManager()
    cross_tenant_objects: Any = CrossTenantManager()

    class Meta(TenantModel.Meta):
        verbose_name = _("scan")
        verbose_name_plural = _("scans")
        ordering = ["-period_end", "-pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_draft(self) -> bool:
        return self.state == ScanState.DRAFT

    @property
    def is_open(self) -> bool:
        return self.state == ScanState.OPEN

    @property
    def in_review(self) -> bool:
        return self.state == ScanState.REVIEW

    @property
    def is_closed(self) -> bool:
        return self.state == ScanState.CLOSED

    @property
    def needed_raters(self) -> int:
        """Raters each process needs: two, or one when the scan allows a single rater."""
        return 1 if self.allow_single_rater else 2


class ScanProcess(TenantModel):
    """One process in a scan: its consensus and, once computed, its score."""

    scan = models.ForeignKey(Scan, on_delete=models.PROTECT, related_name="scan_processes")
    process = models.ForeignKey("register.Process", on_delete=models.PROTECT, related_name="+")
    # The consensus, settled in review: {characteristic key: 0..4}, {impact key: 1..5}, circumstance uuids.
    consensus_scores = models.JSONField(default=dict, blank=True)
    consensus_impact = models.JSONField(default=dict, blank=True)
    consensus_circumstances = models.JSONField(default=list, blank=True)
    consensus_note = models.TextField(_("toelichting bij de consensus"), max_length=4000, blank=True)
    consensus_by = models.ForeignKey(
        "core.Membership", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    consensus_at = models.DateTimeField(null=True, blank=True)
    #: Rated by one person only (plus the coordinator's consensus): shown as "één beoordelaar".
    single_rater = models.BooleanField(default=False)
    # The result of the scoring model on the consensus, with the version that computed it.
    model_version = models.CharField(max_length=32, blank=True)
    vulnerability = models.FloatField(null=True, blank=True)
    inherent_vulnerability = models.FloatField(null=True, blank=True)
    likelihood = models.PositiveSmallIntegerField(null=True, blank=True)
    impact = models.PositiveSmallIntegerField(null=True, blank=True)
    #: The explanation as plain data (contributions per characteristic, interaction, circumstances, context).
    explanation = models.JSONField(default=dict, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects: Any = AuditedTenantManager()
    cross_tenant_objects: Any = CrossTenantManager()

    class Meta(TenantModel.Meta):
        verbose_name = _("proces in een scan")
        verbose_name_plural = _("processen in een scan")
        ordering = ["scan", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["scan", "process"], name="scans_scanprocess_unique"),
        ]
        indexes = [
            models.Index(fields=["scan", "vulnerability"], name="scans_scanprocess_result"),
            # Covers the heat map's counts and the priority list's ranking (no table reads on SQLite).
            models.Index(
                fields=["scan", "organisation", "likelihood", "impact", "vulnerability", "process"],
                name="scans_scanprocess_heatmap",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scan} – {self.process}"

    @property
    def is_settled(self) -> bool:
        return self.consensus_at is not None

    @property
    def has_result(self) -> bool:
        return self.vulnerability is not None


class Rating(TenantModel):
    """One rater's independent rating of one process in one scan."""

    scan_process = models.ForeignKey(ScanProcess, on_delete=models.PROTECT, related_name="ratings")
    rater = models.ForeignKey("core.Membership", on_delete=models.PROTECT, related_name="ratings")
    scores = models.JSONField(default=dict, blank=True)
    rationales = models.JSONField(default=dict, blank=True)
    impact = models.JSONField(default=dict, blank=True)
    circumstances = models.JSONField(default=list, blank=True)
    certainty = models.CharField(_("hoe zeker"), max_length=16, choices=Certainty.choices, blank=True)
    note = models.TextField(_("algemene toelichting"), max_length=4000, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # A repeat scan: the previous consensus copied in ({"scores": {}, "impact": {}, "circumstances": []},
    # empty when not prefilled), and the items (characteristic keys, "impact", "circumstances") the
    # rater has since confirmed or changed. Handing in needs every prefilled item confirmed.
    prefilled = models.JSONField(default=dict, blank=True)
    confirmed = models.JSONField(default=list, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects: Any = AuditedTenantManager()
    cross_tenant_objects: Any = CrossTenantManager()

    class Meta(TenantModel.Meta):
        verbose_name = _("beoordeling")
        verbose_name_plural = _("beoordelingen")
        ordering = ["scan_process", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["scan_process", "rater"], name="scans_rating_one_per_rater"),
        ]
        indexes = [models.Index(fields=["rater", "submitted_at"], name="scans_rating_todo")]

    def __str__(self) -> str:
        return f"{self.scan_process} – {self.rater}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def has_input(self) -> bool:
        """The rater has started: such a rater stays on the process (their input is kept).

        Values copied from the previous scan are not the rater's input; confirming or changing them is.
        """
        if self.prefilled:
            return bool(
                self.confirmed
                or self.note
                or self.rationales
                or self.certainty
                or self.is_submitted
                or self.scores != self.prefilled.get("scores", {})
                or self.impact != self.prefilled.get("impact", {})
                or sorted(self.circumstances) != sorted(self.prefilled.get("circumstances", []))
            )
        return bool(self.scores or self.impact or self.circumstances or self.note or self.is_submitted)

    @property
    def to_confirm(self) -> list[str]:
        """The prefilled items (characteristic keys, "impact", "circumstances") not yet confirmed or changed."""
        confirmed = set(self.confirmed)
        return [item for item in prefilled_items(self.prefilled) if item not in confirmed]


def prefilled_items(prefilled: dict[str, Any]) -> list[str]:
    """What a prefilled rating asks the rater to confirm: each characteristic, then impact, then circumstances."""
    items = list(prefilled.get("scores", {}))
    if prefilled.get("impact"):
        items.append("impact")
    if "circumstances" in prefilled:
        items.append("circumstances")
    return items


class ConsensusAmendment(TenantModel):
    """A correction of a closed scan's consensus: the old and new values and why."""

    scan_process = models.ForeignKey(ScanProcess, on_delete=models.PROTECT, related_name="amendments")
    amended_by = models.ForeignKey(
        "core.Membership", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("reden van de correctie"), max_length=4000)
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)

    objects: Any = AuditedTenantManager()
    cross_tenant_objects: Any = CrossTenantManager()

    class Meta(TenantModel.Meta):
        verbose_name = _("correctie op een afgesloten scan")
        verbose_name_plural = _("correcties op afgesloten scans")
        ordering = ["-created_at", "-pk"]


class ReminderKind(models.TextChoices):
    INVITATION = "uitnodiging", _("Uitnodiging")
    REMINDER = "herinnering", _("Herinnering")


class RaterNotice(TenantModel):
    """An e-mail sent to a rater about a scan; its uniqueness makes the reminder command idempotent."""

    scan = models.ForeignKey(Scan, on_delete=models.CASCADE, related_name="+")
    rater = models.ForeignKey("core.Membership", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=ReminderKind.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    # A delivery log, not a record users change: not audited row by row (the command audits its run).
    objects: Any = TenantManager()
    cross_tenant_objects: Any = CrossTenantManager()

    class Meta(TenantModel.Meta):
        constraints = [
            models.UniqueConstraint(fields=["scan", "rater", "kind"], name="scans_rater_notice_once"),
        ]
