from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from weerbaar.core.models import Membership, User
from weerbaar.core.tenancy import CrossTenantManager, TenantManager, TenantModel


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
