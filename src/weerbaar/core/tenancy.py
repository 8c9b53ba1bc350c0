"""Tenancy in one place.

Every tenant-owned model derives from :class:`TenantModel`. Its default manager (``objects``)
only ever returns rows of the organisation bound to the current request (or to an explicit
``tenant_scope`` in commands and tests) and raises :class:`TenantScopeMissing` when none is bound,
so a forgotten filter fails loudly instead of leaking another gemeente's data.

The few legitimate cross-tenant paths (system commands, the regional aggregate later) use the
``cross_tenant_objects`` manager. That name is deliberately long and greppable; ruff's banned-api
and a test keep it out of views.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.db import models

if TYPE_CHECKING:
    from weerbaar.core.models import Organisation


class TenantScopeMissing(RuntimeError):
    """A tenant-owned model was queried without an organisation bound."""


class TenantScopeViolation(RuntimeError):
    """A tenant-owned row of another organisation was about to be written."""


_current_organisation: ContextVar[Organisation | None] = ContextVar("weerbaar_organisation", default=None)


def current_organisation() -> Organisation | None:
    return _current_organisation.get()


def require_organisation() -> Organisation:
    organisation = _current_organisation.get()
    if organisation is None:
        raise TenantScopeMissing("No organisation is bound: use the request's organisation or `tenant_scope(org)`.")
    return organisation


@contextmanager
def tenant_scope(organisation: Organisation | None) -> Iterator[None]:
    """Bind ``organisation`` for the duration of the block (requests, commands, tests)."""
    token = _current_organisation.set(organisation)
    try:
        yield
    finally:
        _current_organisation.reset(token)


def bind_organisation(organisation: Organisation | None) -> None:
    """Bind for the rest of the current context; the request middleware resets it afterwards."""
    _current_organisation.set(organisation)


_M = TypeVar("_M", bound=models.Model)


class TenantQuerySet(models.QuerySet[_M], Generic[_M]):
    def for_organisation(self, organisation: Organisation) -> TenantQuerySet[_M]:
        return self.filter(organisation=organisation)


class AuditedQuerySet(TenantQuerySet[_M], Generic[_M]):
    """For audited models: bulk writes would bypass the audit trail, so they are refused.

    Change rows one by one through the app's services, which record each change.
    """

    def update(self, **kwargs: Any) -> int:
        raise PermissionError(f"Bulk update of {self.model.__name__} bypasses the audit trail; use its service.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError(f"Bulk delete of {self.model.__name__} bypasses the audit trail; use its service.")

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise PermissionError(f"Bulk update of {self.model.__name__} bypasses the audit trail; use its service.")


class TenantManager(models.Manager[_M], Generic[_M]):
    """Default manager: scoped to the bound organisation, raising when there is none."""

    _queryset_class = TenantQuerySet

    def get_queryset(self) -> TenantQuerySet[_M]:
        organisation = require_organisation()
        return self._queryset_class(self.model, using=self._db).filter(organisation=organisation)


class AuditedTenantManager(TenantManager[_M], Generic[_M]):
    _queryset_class = AuditedQuerySet


class CrossTenantManager(models.Manager[_M], Generic[_M]):
    """Unscoped access. Only for system commands and anonymised aggregates; never in a view."""

    def get_queryset(self) -> TenantQuerySet[_M]:
        return TenantQuerySet(self.model, using=self._db)


class SharedOrTenantManager(models.Manager[_M], Generic[_M]):
    """For models whose organisation is optional (the catalogue): national rows have none.

    Returns the national rows plus the bound organisation's own rows, never another
    organisation's, and raises like :class:`TenantManager` when no organisation is bound.
    """

    def get_queryset(self) -> TenantQuerySet[_M]:
        organisation = require_organisation()
        return TenantQuerySet(self.model, using=self._db).filter(
            models.Q(organisation__isnull=True) | models.Q(organisation=organisation)
        )


class NationalManager(models.Manager[_M], Generic[_M]):
    """Only the national rows (organisation NULL); safe everywhere, no scope needed."""

    def get_queryset(self) -> TenantQuerySet[_M]:
        return TenantQuerySet(self.model, using=self._db).filter(organisation__isnull=True)


class TenantModel(models.Model):
    """Base for every row that belongs to one organisation."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: Any = TenantManager()
    cross_tenant_objects: Any = CrossTenantManager()

    class Meta:
        abstract = True
        # Django follows foreign keys through the base manager; it must not depend on a bound scope.
        base_manager_name = "cross_tenant_objects"

    def save(self, *args: Any, **kwargs: Any) -> None:
        bound = current_organisation()
        if self.organisation_id is None and bound is not None:
            self.organisation = bound
        if bound is not None and self.organisation_id != bound.pk:
            raise TenantScopeViolation(
                f"Refusing to save {type(self).__name__} of organisation {self.organisation_id} "
                f"while organisation {bound.pk} is bound."
            )
        super().save(*args, **kwargs)
