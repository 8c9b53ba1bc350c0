from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Lower
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from weerbaar.core.models import Invitation, Membership, Unit, User
from weerbaar.core.permissions import PRIVILEGED_ROLES, Action


def active_memberships_of_user(user: User | Any) -> list[Membership]:
    """A user's own memberships across organisations (for binding and the switcher).

    Cross-tenant by nature: it is filtered on the user, never on an organisation.
    """
    return list(
        Membership.cross_tenant_objects.filter(user=user, is_active=True, organisation__is_active=True)
        .select_related("organisation")
        .order_by("organisation__name")
    )


# --- units ------------------------------------------------------------------------------------


@dataclass
class UnitNode:
    unit: Unit
    depth: int
    path: str
    member_count: int = 0
    children: list[UnitNode] = field(default_factory=list)


def unit_tree() -> list[UnitNode]:
    """The bound organisation's units as a tree (unit list page, unit choices in forms).

    Two queries whatever the size: the units, and the active members per unit.
    """
    units = list(Unit.objects.order_by(Lower("name"), "pk"))
    counts = dict(
        Membership.objects.filter(is_active=True, unit__isnull=False)
        .order_by()
        .values("unit")
        .annotate(n=Count("pk"))
        .values_list("unit", "n")
    )
    by_parent: dict[int | None, list[Unit]] = {}
    for unit in units:
        by_parent.setdefault(unit.parent_id, []).append(unit)

    def build(parent_id: int | None, depth: int, prefix: str) -> list[UnitNode]:
        nodes = []
        for unit in by_parent.get(parent_id, []):
            path = f"{prefix} › {unit.name}" if prefix else unit.name
            node = UnitNode(unit=unit, depth=depth, path=path, member_count=counts.get(unit.pk, 0))
            node.children = build(unit.pk, depth + 1, path)
            nodes.append(node)
        return nodes

    return build(None, 0, "")


def flatten(nodes: list[UnitNode]) -> list[UnitNode]:
    flat: list[UnitNode] = []
    for node in nodes:
        flat.append(node)
        flat.extend(flatten(node.children))
    return flat


def unit_options(*, exclude_subtree_of: Unit | None = None, keep: Unit | None = None) -> list[UnitNode]:
    """Active units in tree order for a choice field; a unit's own subtree is left out (no cycles).

    ``keep`` stays in the list even when archived, so editing a record never silently drops its unit.
    """
    nodes = flatten(unit_tree())
    excluded: set[int] = set()
    if exclude_subtree_of is not None:
        for node in nodes:
            if node.unit.pk == exclude_subtree_of.pk:
                excluded = {each.unit.pk for each in [node, *flatten(node.children)]}
    return [
        node
        for node in nodes
        if node.unit.pk not in excluded and (node.unit.is_active or (keep is not None and node.unit.pk == keep.pk))
    ]


# --- users and memberships ----------------------------------------------------------------------

USER_SORTS = {
    "naam": (Lower("user__full_name"), "user__email"),
    "-naam": (Lower("user__full_name").desc(), "-user__email"),
    "laatst-ingelogd": (F("user__last_login").desc(nulls_last=True), Lower("user__full_name")),
}


@dataclass(frozen=True)
class UserFilter:
    query: str = ""
    role: str = ""
    status: str = ""
    sort: str = "naam"


def membership_list(*, filters: UserFilter) -> QuerySet[Membership]:
    """Members of the bound organisation for the users page; user and unit joined, 2FA as a subquery."""
    memberships = Membership.objects.select_related("user", "unit").annotate(
        has_two_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("user"), confirmed=True))
    )
    if filters.query:
        memberships = memberships.filter(
            Q(user__full_name__icontains=filters.query) | Q(user__email__icontains=filters.query)
        )
    if filters.role:
        # Matching the quoted value inside the JSON list works the same on SQLite and PostgreSQL.
        memberships = memberships.filter(roles__icontains=f'"{filters.role}"')
    if filters.status == "actief":
        memberships = memberships.filter(is_active=True)
    elif filters.status == "inactief":
        memberships = memberships.filter(is_active=False)
    return memberships.order_by(*USER_SORTS.get(filters.sort, USER_SORTS["naam"]))


def has_confirmed_two_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def user_exists(email: str) -> bool:
    return User.objects.filter(email__iexact=email.strip()).exists()


def open_invitations() -> QuerySet[Invitation]:
    """Invitations not yet accepted or revoked (expired ones included: they can be sent again)."""
    return (
        Invitation.objects.filter(accepted_at__isnull=True, revoked_at__isnull=True)
        .select_related("invited_by", "unit")
        .order_by("-created_at")
    )


def invitation_by_token(token: str) -> Invitation | None:
    """Cross-tenant by nature: the link is opened before the person belongs to any organisation.

    The 256-bit token is the key; only its hash is stored and compared.
    """
    if not token or len(token) > 128:
        return None
    return (
        Invitation.cross_tenant_objects.select_related("organisation", "unit", "invited_by")
        .filter(token_hash=Invitation.hash_token(token))
        .first()
    )


# --- access review ------------------------------------------------------------------------------

REVIEW_PAGE_SIZE = 50


def review_due_at(membership: Membership) -> dt.datetime:
    return membership.review_due_at or membership.compute_review_due_at()


@dataclass(frozen=True)
class ReviewRow:
    membership: Membership
    due_at: dt.datetime
    is_due: bool
    privileged: bool


@dataclass(frozen=True)
class AccessReview:
    page: Page[Membership]
    rows: list[ReviewRow]
    due_count: int
    inactive_count: int


def access_review(*, page_number: Any = 1, now: dt.datetime | None = None) -> AccessReview:
    """The active memberships for the review page: most overdue first, then by name; paginated in SQL."""
    now = now or timezone.now()
    due = Q(review_due_at__lte=now)
    memberships = (
        Membership.objects.filter(is_active=True)
        .select_related("user", "unit", "last_reviewed_by")
        .annotate(
            overdue_first=Case(When(due, then=Value(0)), default=Value(1)),
            most_overdue_first=Case(When(due, then=F("review_due_at")), default=Value(None)),
        )
        .order_by(
            "overdue_first", F("most_overdue_first").asc(nulls_last=True), Lower("user__full_name"), "user__email"
        )
    )
    page = Paginator(memberships, REVIEW_PAGE_SIZE).get_page(page_number)
    rows = [
        ReviewRow(
            membership=membership,
            due_at=review_due_at(membership),
            is_due=review_due_at(membership) <= now,
            privileged=bool(PRIVILEGED_ROLES.intersection(membership.roles)),
        )
        for membership in page.object_list
    ]
    return AccessReview(
        page=page,
        rows=rows,
        due_count=access_reviews_due_count(now=now),
        inactive_count=Membership.objects.filter(is_active=False).count(),
    )


def access_reviews_due_count(*, now: dt.datetime | None = None) -> int:
    return Membership.objects.filter(is_active=True, review_due_at__lte=now or timezone.now()).count()


def new_owner_candidates(*, exclude: Membership) -> list[Membership]:
    """Active colleagues who can take over what a departing member owns, by name. One query."""
    return list(
        Membership.objects.filter(is_active=True)
        .exclude(pk=exclude.pk)
        .select_related("user")
        .order_by(Lower("user__full_name"), "user__email", "pk")
    )


def work_owner_options(keep: Membership | None = None) -> list[Membership]:
    """Active members who may own measures, activities and agreements (they hold ``WORK_OWN``), by
    name; ``keep`` (the current owner) stays in the list, so editing something else never drops an
    owner who has left. One query: roles are a JSON list, so the right is checked in Python."""
    members = (
        Membership.objects.filter(is_active=True)
        .select_related("user")
        .order_by(Lower("user__full_name"), "user__email", "pk")
    )
    options = [member for member in members if member.can(Action.WORK_OWN)]
    if keep is not None and all(member.pk != keep.pk for member in options):
        options.append(keep)
    return options
