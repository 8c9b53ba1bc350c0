"""Every write to organisations, units, users, memberships and invitations, each one audited.

Split by subject; callers import the package: `from weerbaar.core import services`.
"""

from weerbaar.core.services.common import StaleVersion, check_version, roles_for_kind, validate_roles
from weerbaar.core.services.invitations import (
    INVITATION_FIELDS,
    InvitationUnusable,
    invitation_accept,
    invitation_create,
    invitation_resend,
    invitation_revoke,
)
from weerbaar.core.services.members import (
    MEMBERSHIP_FIELDS,
    access_review_confirm,
    access_review_revoke,
    membership_create,
    membership_deactivate,
    membership_reactivate,
    membership_update,
    user_create,
)
from weerbaar.core.services.organisations import ORGANISATION_FIELDS, organisation_create, organisation_update
from weerbaar.core.services.units import UNIT_FIELDS, unit_archive, unit_create, unit_reactivate, unit_update

__all__ = [
    "INVITATION_FIELDS",
    "MEMBERSHIP_FIELDS",
    "ORGANISATION_FIELDS",
    "UNIT_FIELDS",
    "InvitationUnusable",
    "StaleVersion",
    "access_review_confirm",
    "access_review_revoke",
    "check_version",
    "invitation_accept",
    "invitation_create",
    "invitation_resend",
    "invitation_revoke",
    "membership_create",
    "membership_deactivate",
    "membership_reactivate",
    "membership_update",
    "organisation_create",
    "organisation_update",
    "roles_for_kind",
    "unit_archive",
    "unit_create",
    "unit_reactivate",
    "unit_update",
    "user_create",
    "validate_roles",
]
