from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weerbaar.core.permissions import DEFAULT_TWO_FACTOR_ROLES, Role, actions_for_roles, review_interval, roles_allow
from weerbaar.core.tenancy import AuditedTenantManager, CrossTenantManager, TenantModel


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username or "")


class User(AbstractBaseUser):
    """A person. What they may do depends on their membership of the active organisation."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("e-mailadres"), unique=True)
    full_name = models.CharField(_("naam"), max_length=200)
    is_active = models.BooleanField(_("actief"), default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    preferred_language = models.CharField(max_length=8, blank=True, default="")

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")

    def __str__(self) -> str:
        return self.full_name or self.email


class OrganisationKind(models.TextChoices):
    GEMEENTE = "gemeente", _("Gemeente")
    RIEC = "riec", _("RIEC")


class SizeClass(models.TextChoices):
    SMALL = "klein", _("Klein (tot 30.000 inwoners)")
    MEDIUM = "middel", _("Middelgroot (30.000 tot 100.000 inwoners)")
    LARGE = "groot", _("Groot (100.000 inwoners of meer)")

    @classmethod
    def for_inhabitants(cls, inhabitants: int) -> SizeClass:
        """The class a number of inhabitants falls in (the bounds are in the labels above)."""
        if inhabitants < 30_000:
            return cls.SMALL
        if inhabitants < 100_000:
            return cls.MEDIUM
        return cls.LARGE


def default_two_factor_roles() -> list[str]:
    return list(DEFAULT_TWO_FACTOR_ROLES)


class Organisation(models.Model):
    """The tenant: a gemeente, or a RIEC whose regio-analisten see only anonymised aggregates."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("soort"), max_length=16, choices=OrganisationKind.choices)
    name = models.CharField(_("naam"), max_length=200)
    cbs_code = models.CharField(
        _("CBS-gemeentecode"), max_length=6, blank=True, default="", help_text=_("Bijvoorbeeld GM0999.")
    )
    inhabitants = models.PositiveIntegerField(_("aantal inwoners"), null=True, blank=True)
    size_class = models.CharField(_("grootteklasse"), max_length=16, choices=SizeClass.choices, blank=True)
    riec = models.ForeignKey(
        "self",
        verbose_name=_("RIEC-regio"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="gemeenten",
        limit_choices_to={"kind": OrganisationKind.RIEC},
    )
    benchmark_opt_in = models.BooleanField(
        _("doet mee aan de regionale vergelijking"),
        default=False,
        help_text=_("Alleen geanonimiseerde, samengevoegde cijfers; nooit gegevens van één gemeente."),
    )
    two_factor_roles = models.JSONField(
        _("rollen met verplichte tweestapsverificatie"), default=default_two_factor_roles, blank=True
    )
    is_active = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["name"]
        constraints = [
            # The regional view groups gemeenten by their RIEC; a RIEC has no RIEC above it.
            models.CheckConstraint(
                condition=Q(kind=OrganisationKind.GEMEENTE) | Q(riec__isnull=True),
                name="core_organisation_riec_has_no_riec",
            ),
            # Benchmarks compare by size class and CBS code; every gemeente needs them.
            models.CheckConstraint(
                condition=Q(kind=OrganisationKind.RIEC) | (~Q(cbs_code="") & ~Q(size_class="")),
                name="core_organisation_gemeente_has_code_and_size",
            ),
            models.UniqueConstraint(
                fields=["cbs_code"], condition=~Q(cbs_code=""), name="core_organisation_unique_cbs_code"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_gemeente(self) -> bool:
        return self.kind == OrganisationKind.GEMEENTE

    def two_factor_role_labels(self) -> list[str]:
        labels = dict(Role.choices)
        return [str(labels.get(role, role)) for role in self.two_factor_roles]

    def _logo_image(self) -> OrganisationLogo | None:
        try:
            return self.logo_image  # type: ignore[no-any-return]
        except OrganisationLogo.DoesNotExist:
            return None

    @property
    def logo(self) -> bytes:
        """The logo's bytes, or nothing (one query, then kept on this instance)."""
        image = self._logo_image()
        return bytes(image.content) if image is not None else b""

    @property
    def logo_content_type(self) -> str:
        image = self._logo_image()
        return image.content_type if image is not None else ""


class OrganisationLogo(models.Model):
    """The logo on the report's cover: PNG or JPEG bytes, checked by content on upload.

    Its own table, so the up to 1 MB of an image never travels with the organisation, which nearly
    every query joins. In the database so every app server has it and the PDF renderer never
    fetches anything from outside. Written only by ``organisation_update``, which audits it.
    """

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="logo_image")
    content = models.BinaryField(_("logo"))
    content_type = models.CharField(max_length=32)
    sha256 = models.CharField(max_length=64)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("logo van de organisatie")

    def __str__(self) -> str:
        return f"{self.organisation} ({self.content_type})"


class Unit(TenantModel):
    """An afdeling or team; units form a tree within one organisation."""

    name = models.CharField(_("naam"), max_length=200)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("valt onder"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    description = models.TextField(_("omschrijving"), blank=True)
    is_active = models.BooleanField(_("actief"), default=True)
    version = models.PositiveIntegerField(default=1)

    objects: Any = AuditedTenantManager()
    cross_tenant_objects: Any = CrossTenantManager()

    class Meta(TenantModel.Meta):
        verbose_name = _("afdeling of team")
        verbose_name_plural = _("afdelingen en teams")
        ordering = ["name"]
        constraints = [
            # Two siblings with one name make the tree ambiguous in imports and exports.
            models.UniqueConstraint(fields=["organisation", "parent", "name"], name="core_unit_unique_name_per_parent"),
            models.UniqueConstraint(
                fields=["organisation", "name"],
                condition=Q(parent__isnull=True),
                name="core_unit_unique_top_level_name",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(TenantModel):
    """A user's place in one organisation, with one or more roles."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    roles = models.JSONField(_("rollen"), default=list)
    unit = models.ForeignKey(
        Unit, verbose_name=_("afdeling of team"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_active = models.BooleanField(_("actief"), default=True)
    deactivated_at = models.DateTimeField(null=True, blank=True)
    last_reviewed_at = models.DateTimeField(_("laatst gecontroleerd"), null=True, blank=True)
    last_reviewed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # Stored (not computed per page) so the access review can sort, count and paginate in SQL.
    review_due_at = models.DateTimeField(_("volgende toegangscontrole"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects: Any = AuditedTenantManager()
    cross_tenant_objects: Any = CrossTenantManager()

    class Meta(TenantModel.Meta):
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")
        constraints = [
            # The organisation switcher and role checks assume one membership per user and organisation.
            models.UniqueConstraint(fields=["user", "organisation"], name="core_membership_one_per_user"),
        ]
        indexes = [models.Index(fields=["organisation", "is_active", "review_due_at"], name="core_membership_review")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation_id}"

    def compute_review_due_at(self) -> dt.datetime:
        """A new membership was approved by whoever granted it, so the clock starts at its creation."""
        start = self.last_reviewed_at or self.created_at or timezone.now()
        return start + review_interval(self.roles)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.review_due_at = self.compute_review_due_at()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "review_due_at"}
        super().save(*args, **kwargs)

    @property
    def actions(self) -> frozenset[str]:
        return actions_for_roles(self.roles) if self.is_active else frozenset()

    def can(self, action: str) -> bool:
        return self.is_active and roles_allow(self.roles, action)

    def role_labels(self) -> list[str]:
        labels = dict(Role.choices)
        return [str(labels.get(role, role)) for role in self.roles]


class Invitation(TenantModel):
    """A one-time link that lets a person join the organisation with the roles chosen by a beheerder.

    Only the SHA-256 of the link's token is stored: a copy of the database cannot be used to join.
    """

    email = models.EmailField(_("e-mailadres"))
    full_name = models.CharField(_("naam"), max_length=200, blank=True)
    roles = models.JSONField(_("rollen"), default=list)
    unit = models.ForeignKey(
        Unit, verbose_name=_("afdeling of team"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    token_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField(_("geldig tot"))
    accepted_at = models.DateTimeField(_("aangenomen op"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)

    objects: Any = AuditedTenantManager()
    cross_tenant_objects: Any = CrossTenantManager()

    class Meta(TenantModel.Meta):
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")
        ordering = ["-created_at"]
        constraints = [
            # The acceptance page finds the invitation by the hash of the link's token.
            models.UniqueConstraint(fields=["token_hash"], name="core_invitation_unique_token_hash"),
            # One pending invitation per address: "opnieuw versturen" replaces the token instead.
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="core_invitation_one_pending_per_email",
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True),
                name="core_invitation_not_accepted_and_revoked",
            ),
        ]

    def __str__(self) -> str:
        return self.email

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return self.is_pending and not self.is_expired

    def role_labels(self) -> list[str]:
        labels = dict(Role.choices)
        return [str(labels.get(role, role)) for role in self.roles]
