"""Organisations: creating one, and the beheerder's settings."""

from __future__ import annotations

import hashlib
import io
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from weerbaar.audit.services import diff, record, snapshot
from weerbaar.core.models import Organisation, OrganisationKind, OrganisationLogo, SizeClass, User
from weerbaar.core.services.common import check_version, roles_for_kind

ORGANISATION_FIELDS = (
    "name",
    "cbs_code",
    "inhabitants",
    "size_class",
    "riec",
    "benchmark_opt_in",
    "two_factor_roles",
    "is_active",
)


@transaction.atomic
def organisation_create(*, actor: User | None, kind: str, name: str, **fields: Any) -> Organisation:
    organisation = Organisation(kind=kind, name=name, **fields)
    organisation.full_clean()
    organisation.save()
    record(
        action="organisation.create",
        actor=actor,
        organisation=organisation,
        obj=organisation,
        changes=diff({}, snapshot(organisation, ("kind", *ORGANISATION_FIELDS))),
    )
    return organisation


#: The report cover shows the logo small; a larger file or image only costs space in every PDF.
MAX_LOGO_BYTES = 1024 * 1024
MAX_LOGO_SIDE = 2000
LOGO_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}


@dataclass(frozen=True)
class CheckedLogo:
    content: bytes
    content_type: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def _logo_error() -> ValidationError:
    return ValidationError(
        {"logo": _("Dit bestand is geen bruikbare PNG- of JPEG-afbeelding. Kies een logo als PNG of JPEG.")}
    )


_decoding_lock = threading.Lock()


@contextmanager
def _strict_decoding() -> Iterator[None]:
    """Pillow with truncated images refused, whatever the process set globally.

    WeasyPrint switches ``ImageFile.LOAD_TRUNCATED_IMAGES`` on for the whole process when it is
    imported; after the first report is rendered a cut-off file would otherwise pass as an image.
    """
    from PIL import ImageFile

    with _decoding_lock:
        previous = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = previous


def check_logo(content: bytes) -> CheckedLogo:
    """A PNG or JPEG, recognised by its bytes and decoded completely; anything else is refused.

    The name and the browser's content type are not trusted: an SVG (which can carry script), an
    HTML file renamed to .png or a truncated image are all refused here.
    """
    from PIL import Image

    if len(content) > MAX_LOGO_BYTES:
        raise ValidationError({"logo": _("Het logo is te groot: het mag hoogstens 1 MB zijn.")})
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        expected = "PNG"
    elif content.startswith(b"\xff\xd8\xff"):
        expected = "JPEG"
    else:
        raise ValidationError(
            {"logo": _("Alleen een PNG- of JPEG-afbeelding kan een logo zijn (bijvoorbeeld geen SVG of PDF).")}
        )
    try:
        with _strict_decoding(), warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                if image.format != expected:
                    raise _logo_error()
                width, height = image.size
                if width > MAX_LOGO_SIDE or height > MAX_LOGO_SIDE:
                    raise ValidationError(
                        {
                            "logo": _(
                                "Het logo is %(width)s × %(height)s pixels; het mag hoogstens %(max)s × %(max)s zijn."
                            )
                            % {"width": width, "height": height, "max": MAX_LOGO_SIDE}
                        }
                    )
                # Decode every pixel: a file that only starts like an image is refused too.
                image.load()
    except ValidationError:
        raise
    except Exception as error:  # Pillow raises many kinds (OSError, SyntaxError, ValueError, bombs…)
        raise _logo_error() from error
    return CheckedLogo(content=content, content_type=LOGO_TYPES[expected])


@transaction.atomic
def organisation_update(
    *,
    actor: User,
    organisation: Organisation,
    version: int | None = None,
    logo: CheckedLogo | None = None,
    remove_logo: bool = False,
    **fields: Any,
) -> Organisation:
    """Change the settings; ``logo`` replaces the cover logo, ``remove_logo`` removes it.

    The trail gets what happened to the logo and its SHA-256, never the image itself.
    """
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    check_version(locked.version, version)
    before = snapshot(locked, ORGANISATION_FIELDS)
    for field, value in fields.items():
        if field not in ORGANISATION_FIELDS:
            raise ValueError(f"{field} cannot be changed here")
        setattr(locked, field, value)
    _validate_organisation(locked)
    if logo is not None and remove_logo:
        raise ValidationError({"remove_logo": _("Kies een nieuw logo óf vink ‘Logo verwijderen’ aan, niet allebei.")})
    stored_logo = OrganisationLogo.objects.filter(organisation=locked).first()
    old_logo_sha = stored_logo.sha256 if stored_logo is not None else None
    changes: dict[str, Any] = {}
    if logo is not None:
        checked = check_logo(logo.content)
        if checked.sha256 != old_logo_sha:
            OrganisationLogo.objects.update_or_create(
                organisation=locked,
                defaults={"content": checked.content, "content_type": checked.content_type, "sha256": checked.sha256},
            )
            changes["logo"] = [_("aanwezig") if old_logo_sha else None, _("gewijzigd")]
            changes["logo_sha256"] = [old_logo_sha, checked.sha256]
    elif remove_logo and stored_logo is not None:
        stored_logo.delete()
        changes["logo"] = [_("aanwezig"), _("verwijderd")]
        changes["logo_sha256"] = [old_logo_sha, None]
    locked.full_clean()
    changes = {**diff(before, snapshot(locked, ORGANISATION_FIELDS)), **changes}
    if changes:
        locked.version += 1
        locked.save()
        record(action="organisation.update", actor=actor, organisation=locked, obj=locked, changes=changes)
    return locked


def _validate_organisation(organisation: Organisation) -> None:
    errors: dict[str, str] = {}
    if organisation.riec is not None and organisation.riec.kind != OrganisationKind.RIEC:
        errors["riec"] = _("Kies een RIEC-regio uit de lijst.")
    if organisation.kind == OrganisationKind.GEMEENTE:
        # The regional comparison groups gemeenten by RIEC; without one there is nothing to join.
        if organisation.benchmark_opt_in and organisation.riec is None:
            errors["benchmark_opt_in"] = _("Kies eerst de RIEC-regio; pas dan kunt u meedoen aan de vergelijking.")
        # Benchmarks compare like with like: the size class must match the number of inhabitants.
        if organisation.inhabitants is not None and organisation.size_class:
            expected = SizeClass.for_inhabitants(organisation.inhabitants)
            if organisation.size_class != expected:
                errors["size_class"] = _("Bij %(count)s inwoners hoort de grootteklasse “%(label)s”.") % {
                    "count": f"{organisation.inhabitants:,}".replace(",", "."),
                    "label": expected.label,
                }
    else:
        organisation.benchmark_opt_in = False
    roles = organisation.two_factor_roles
    if not isinstance(roles, list) or any(role not in roles_for_kind(organisation.kind) for role in roles):
        errors["two_factor_roles"] = _("Kies alleen rollen die in deze organisatie bestaan.")
    else:
        organisation.two_factor_roles = sorted(set(roles))
    if errors:
        raise ValidationError(errors)
