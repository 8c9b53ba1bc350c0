"""The append-only, hash-chained audit trail (BIO2 8.15.01: actor, action, object, result, origin, time).

Rows hold plain values, never foreign keys, so deleting a user or unit cannot cascade into the
trail. Each organisation has its own chain; events without an organisation (a failed login for an
unknown address) go into the system chain.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from weerbaar.core.tenancy import require_organisation

SYSTEM_CHAIN = "system"


def chain_for(organisation_uuid: Any) -> str:
    return f"org:{organisation_uuid}" if organisation_uuid else SYSTEM_CHAIN


class Result(models.TextChoices):
    SUCCESS = "success", _("gelukt")
    FAILURE = "failure", _("mislukt")
    DENIED = "denied", _("geweigerd")


class AppendOnlyQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("The audit trail is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit trail is append-only.")

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise PermissionError("The audit trail is append-only.")


class OrganisationAuditManager(models.Manager["AuditEvent"]):
    """Default access: only the chain of the organisation bound to the request."""

    def get_queryset(self) -> AppendOnlyQuerySet:
        organisation = require_organisation()
        return AppendOnlyQuerySet(self.model, using=self._db).filter(chain=chain_for(organisation.uuid))


class AllChainsManager(models.Manager["AuditEvent"]):
    """Every chain: only for verification and system commands."""

    def get_queryset(self) -> AppendOnlyQuerySet:
        return AppendOnlyQuerySet(self.model, using=self._db)


class AuditEvent(models.Model):
    chain = models.CharField(max_length=64)
    sequence = models.PositiveBigIntegerField()
    occurred_at = models.DateTimeField(_("tijdstip"))
    organisation_uuid = models.UUIDField(null=True, blank=True)
    organisation_name = models.CharField(max_length=200, blank=True)
    actor_uuid = models.UUIDField(null=True, blank=True)
    actor_label = models.CharField(_("wie"), max_length=254, blank=True)
    action = models.CharField(_("actie"), max_length=100)
    object_type = models.CharField(_("soort object"), max_length=100, blank=True)
    object_uuid = models.CharField(max_length=64, blank=True)
    object_label = models.CharField(_("object"), max_length=300, blank=True)
    origin = models.CharField(_("herkomst"), max_length=64, blank=True)
    result = models.CharField(_("resultaat"), max_length=16, choices=Result.choices, default=Result.SUCCESS)
    changes = models.JSONField(_("wijzigingen"), default=dict, blank=True)
    reason = models.TextField(_("toelichting"), blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects: ClassVar[OrganisationAuditManager] = OrganisationAuditManager()
    all_chains: ClassVar[AllChainsManager] = AllChainsManager()

    class Meta:
        base_manager_name = "all_chains"
        ordering = ["-id"]
        verbose_name = _("auditregel")
        verbose_name_plural = _("audittrail")
        constraints = [
            # Two writers that computed the same next sequence must not fork a chain.
            models.UniqueConstraint(fields=["chain", "sequence"], name="audit_auditevent_no_fork"),
        ]
        indexes = [
            models.Index(fields=["chain", "-id"], name="audit_event_chain_recent"),
            models.Index(fields=["chain", "action"], name="audit_event_chain_action"),
        ]

    def __str__(self) -> str:
        return f"{self.chain}#{self.sequence} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("The audit trail is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("The audit trail is append-only.")


class AuditChainHead(models.Model):
    """The last sequence and hash of each chain: the row appends lock, and the anchor that
    makes a deleted tail detectable."""

    chain = models.CharField(max_length=64, primary_key=True)
    sequence = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"{self.chain}@{self.sequence}"


class AuditChainCheck(models.Model):
    """The last full verification of a chain (``manage.py verify_audit``): up to which event the
    chain was found intact, with that event's hash.

    Pages that show the chain's state (the beheerder's start page, a published report) check only
    the events after this point, and that the event at this point still has this hash; the nightly
    full walk moves the point on. So the page stays fast however long the trail grows.
    """

    chain = models.CharField(max_length=64, primary_key=True)
    sequence = models.PositiveBigIntegerField()
    hash = models.CharField(max_length=64)
    ok = models.BooleanField()
    problem = models.CharField(max_length=300, blank=True)
    checked_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.chain}@{self.sequence} ({'intact' if self.ok else 'gebroken'})"
