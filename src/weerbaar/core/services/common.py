"""Shared rules of the core services: optimistic concurrency and roles per organisation kind."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from weerbaar.core.models import Organisation, OrganisationKind
from weerbaar.core.permissions import GEMEENTE_ROLES, RIEC_ROLES


class StaleVersion(ValidationError):
    """Someone else saved the object after this form was opened."""


def check_version(current: int, submitted: int | None) -> None:
    if submitted is not None and submitted != current:
        raise StaleVersion(
            _(
                "Iemand anders heeft dit intussen gewijzigd. Uw invoer is niet opgeslagen maar staat nog "
                "in het formulier; bekijk de nieuwe stand en sla daarna opnieuw op."
            ),
            code="stale",
        )


def roles_for_kind(kind: str) -> frozenset[str]:
    return GEMEENTE_ROLES if kind == OrganisationKind.GEMEENTE else RIEC_ROLES


def validate_roles(*, organisation: Organisation, roles: Iterable[str]) -> list[str]:
    roles = sorted(set(roles))
    if not roles:
        raise ValidationError({"roles": _("Kies ten minste één rol.")})
    allowed = roles_for_kind(organisation.kind)
    wrong = [role for role in roles if role not in allowed]
    if wrong:
        raise ValidationError(
            {
                "roles": _("Deze rol(len) passen niet bij dit soort organisatie: %(roles)s.")
                % {"roles": ", ".join(wrong)}
            }
        )
    return roles


def lock_organisation(organisation_id: int) -> None:
    """Serialise changes within one organisation where a check and a write must not interleave.

    Role changes (two beheerders demoting each other cannot both pass the last-beheerder check),
    the unit tree (no active unit under one archived at the same moment, no duplicate siblings
    from a double click) and invitations (one open invitation per address) take this lock first.
    """
    Organisation.objects.select_for_update().filter(pk=organisation_id).first()
