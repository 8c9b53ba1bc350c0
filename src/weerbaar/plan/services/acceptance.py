"""Risk acceptance: the secretaris formally accepts a process's residual risk, or withdraws that.

An acceptance records the residual vulnerability *at that moment*, so a later rise (a measure that
faded, a worse scan) is visible next to it. It runs until ``expires_on``; an expired acceptance is
due work (``plan.selectors.due.expired_acceptances``). A new acceptance for the same process is a
renewal: the older one stays in the history. Every write is audited.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weerbaar.audit.services import record
from weerbaar.core.models import Membership, User
from weerbaar.core.permissions import Action
from weerbaar.core.services.common import StaleVersion, check_version
from weerbaar.plan.models import RiskAcceptance, add_months
from weerbaar.plan.selectors.residual import residual_for
from weerbaar.register.models import Process

#: A reason must say something: at least this many letters or digits.
MIN_REASON = 20
MIN_WITHDRAW_REASON = 10
MAX_REASON = 4000
#: An acceptance is revisited at least every three years; by default after one.
MAX_MONTHS = 36
DEFAULT_MONTHS = 12


def default_expiry(today: dt.date) -> dt.date:
    return add_months(today, DEFAULT_MONTHS)


def latest_expiry(today: dt.date) -> dt.date:
    return add_months(today, MAX_MONTHS)


def state_token(process: Process) -> str:
    """What the page showed of the process's acceptances: the newest one and its version.

    Accepting compares it with the stored state, so two people acting on the same page at once
    cannot both succeed without seeing each other's change.
    """
    newest = RiskAcceptance.objects.filter(process=process).order_by("-pk").only("uuid", "version").first()
    return f"{newest.uuid}:{newest.version}" if newest is not None else "geen"


def _substance(text: str) -> int:
    """Letters and digits, with a run of one repeated character counted once ("aaaa…" says nothing)."""
    count, previous = 0, ""
    for char in text.casefold():
        if char.isalnum() and char != previous:
            count += 1
        previous = char
    return count


def clean_reason(reason: str, *, field: str, minimum: int) -> str:
    text = " ".join((reason or "").split())
    if not text:
        raise ValidationError({field: _("Vul een reden in.")})
    if len(text) > MAX_REASON:
        raise ValidationError({field: _("Gebruik ten hoogste 4000 tekens.")})
    if _substance(text) < minimum:
        raise ValidationError(
            {field: _("Licht de reden toe in ten minste %(count)d letters of cijfers.") % {"count": minimum}}
        )
    return text


def check_expiry(expires_on: dt.date | None, today: dt.date) -> dt.date:
    if expires_on is None:
        raise ValidationError({"expires_on": _("Vul de datum in tot wanneer de acceptatie geldt.")})
    if expires_on <= today:
        raise ValidationError({"expires_on": _("Kies een datum na vandaag.")})
    if expires_on > latest_expiry(today):
        raise ValidationError(
            {"expires_on": _("Kies een datum binnen drie jaar: een acceptatie wordt minstens zo vaak opnieuw bekeken.")}
        )
    return expires_on


def _require_accept(member: Membership) -> None:
    if not member.can(Action.RISK_ACCEPT):
        raise PermissionDenied(_("Alleen de gemeentesecretaris accepteert het restrisico van een proces."))


def _label(process: Process) -> str:
    return _("Risicoacceptatie %(code)s") % {"code": process.code}


@transaction.atomic
def risk_acceptance_create(
    *,
    actor: User | None,
    member: Membership,
    process: Process,
    reason: str,
    expires_on: dt.date | None,
    seen: str | None = None,
    today: dt.date | None = None,
) -> RiskAcceptance:
    """Accept the residual risk of ``process`` as it is now, until ``expires_on``.

    ``seen`` is the :func:`state_token` the page showed; None skips that check (API, scripts).
    """
    _require_accept(member)
    organisation = member.organisation
    if process.organisation_id != organisation.pk:
        raise ValidationError({"process": _("Kies een proces van deze organisatie.")})
    today = today or timezone.localdate()
    # Lock the process, so concurrent accepts of one process queue up behind each other.
    locked = Process.objects.select_for_update().get(pk=process.pk)
    if seen is not None and state_token(locked) != seen:
        raise StaleVersion(
            _(
                "Iemand anders heeft de acceptatie van dit proces intussen gewijzigd. Uw invoer is niet "
                "opgeslagen maar staat nog in het formulier; bekijk de nieuwe stand en bevestig opnieuw."
            ),
            code="stale",
        )
    text = clean_reason(reason, field="reason", minimum=MIN_REASON)
    check_expiry(expires_on, today)
    assert expires_on is not None
    residual = residual_for(organisation, locked, today)
    if residual is None:
        raise ValidationError(
            _(
                "Dit proces heeft nog geen uitkomst van een afgesloten scan. "
                "Accepteren kan pas als er een restrisico is."
            ),
            code="no_result",
        )
    acceptance = RiskAcceptance(
        organisation=organisation,
        process=locked,
        reason=text,
        accepted_on=today,
        expires_on=expires_on,
        vulnerability=residual.now,
        accepted_by=member,
    )
    acceptance.full_clean(exclude=["organisation", "process", "accepted_by"])
    acceptance.save()
    record(
        action="plan.acceptance.create",
        actor=actor,
        organisation=organisation,
        obj=acceptance,
        object_label=_label(locked),
        changes={
            "process": [None, locked.code],
            "reason": [None, text],
            "accepted_on": [None, today.isoformat()],
            "expires_on": [None, expires_on.isoformat()],
            "vulnerability": [None, acceptance.vulnerability],
        },
    )
    return acceptance


@transaction.atomic
def risk_acceptance_withdraw(
    *,
    actor: User | None,
    member: Membership,
    acceptance: RiskAcceptance,
    version: int | None,
    reason: str,
) -> RiskAcceptance:
    """End an acceptance before (or after) it expires; it stays in the history with the reason."""
    _require_accept(member)
    locked = RiskAcceptance.objects.select_for_update().select_related("process").get(pk=acceptance.pk)
    check_version(locked.version, version)
    if locked.withdrawn_at is not None:
        raise ValidationError(_("Deze acceptatie is al ingetrokken."), code="state")
    text = clean_reason(reason, field="withdrawn_reason", minimum=MIN_WITHDRAW_REASON)
    if len(text) > 2000:
        raise ValidationError({"withdrawn_reason": _("Gebruik ten hoogste 2000 tekens.")})
    locked.withdrawn_at = timezone.now()
    locked.withdrawn_reason = text
    locked.version += 1
    locked.save()
    changes: dict[str, Any] = {"withdrawn_at": [None, locked.withdrawn_at], "withdrawn_reason": [None, text]}
    record(
        action="plan.acceptance.withdraw",
        actor=actor,
        organisation=locked.organisation,
        obj=locked,
        object_label=_label(locked.process),
        changes=changes,
    )
    return locked
