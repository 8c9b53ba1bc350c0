"""Things a member owns (processes now; measures and activities later), and handing them over.

A member who owns something cannot simply be deactivated: the work would be left without anyone
responsible. Each app that gives members ownership registers a provider here (in its AppConfig),
so deactivation asks for a new owner without knowing every app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from weerbaar.core.models import Membership, User


@dataclass(frozen=True)
class OwnershipProvider:
    key: str
    #: count -> Dutch phrase, e.g. "3 processen"
    describe: Callable[[int], str]
    count: Callable[[Membership], int]
    #: Moves everything the source owns to the target (audited by the provider); returns how many.
    transfer: Callable[..., int]


_providers: dict[str, OwnershipProvider] = {}


def register_ownership(provider: OwnershipProvider) -> None:
    _providers[provider.key] = provider


def owned_by(membership: Membership) -> list[str]:
    """What the member still owns, as Dutch phrases ("3 processen"); empty when nothing."""
    phrases = []
    for provider in _providers.values():
        count = provider.count(membership)
        if count:
            phrases.append(provider.describe(count))
    return phrases


def check_new_owner(*, source: Membership, target: Any) -> Membership:
    if not isinstance(target, Membership):
        raise ValidationError({"new_owner": _("Kies een nieuwe eigenaar.")})
    if target.pk == source.pk:
        raise ValidationError({"new_owner": _("Kies iemand anders dan degene die wordt gedeactiveerd.")})
    if target.organisation_id != source.organisation_id or not target.is_active:
        raise ValidationError({"new_owner": _("Kies een actieve collega uit deze organisatie.")})
    return target


def transfer_all(*, actor: User | None, source: Membership, target: Membership) -> int:
    """Hand everything ``source`` owns to ``target``. Call inside the caller's transaction."""
    check_new_owner(source=source, target=target)
    return sum(provider.transfer(actor=actor, source=source, target=target) for provider in _providers.values())


def owner_required_error(phrases: list[str]) -> ValidationError:
    return ValidationError(
        {
            "new_owner": ngettext(
                "Deze collega is nog eigenaar van %(things)s. Kies eerst wie dat overneemt.",
                "Deze collega is nog eigenaar van %(things)s. Kies eerst wie dat overneemt.",
                len(phrases),
            )
            % {"things": _(" en ").join(phrases)}
        },
        code="owns",
    )
