from __future__ import annotations

import hashlib
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weerbaar.core.models import Membership, User
from weerbaar.core.tenancy import CrossTenantManager, TenantManager, TenantModel


def hash_secret(secret: str) -> str:
    """SHA-256 is enough here: the secret is 256 random bits, not a password a person chose."""
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiToken(TenantModel):
    """A key for an external client, bound to one membership (so to one organisation and its roles).

    Only a SHA-256 hash of the secret is stored; the key is shown once when it is made.
    """

    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("naam"), max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    key_hash = models.CharField(max_length=64)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(_("verloopt op"), null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects: Any = TenantManager()
    cross_tenant_objects: Any = CrossTenantManager()

    class Meta(TenantModel.Meta):
        verbose_name = _("API-sleutel")
        verbose_name_plural = _("API-sleutels")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        """Whether the key still opens the API (the member's own state is checked at use)."""
        return not self.is_revoked and not self.is_expired
