"""Handing over a departing member's open agreements with the mayor (registered with
``core.services.ownership`` in the app's ``ready``); finished and dropped ones keep their owner."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from weerbaar.audit.services import diff, record, snapshot
from weerbaar.core.models import Membership, User
from weerbaar.core.services.ownership import OwnershipProvider, check_new_owner, register_ownership
from weerbaar.dashboards.models import AgreementStatus, ConsultationAgreement
from weerbaar.dashboards.services import agreement_label


def agreement_owner_transfer(*, actor: User | None, source: Membership, target: Membership) -> int:
    """Open agreements go to ``target``; finished and dropped ones keep who did them."""
    check_new_owner(source=source, target=target)
    moved = 0
    for item in (
        ConsultationAgreement.objects.select_for_update()
        .filter(owner=source, status=AgreementStatus.OPEN)
        .order_by("pk")
    ):
        before = snapshot(item, ["owner"])
        item.owner = target
        item.version += 1
        item.save(update_fields=["owner", "version", "updated_at"])
        record(
            action="dashboards.agreement.update",
            actor=actor,
            organisation=item.organisation,
            obj=item,
            object_label=agreement_label(item),
            changes=diff(before, snapshot(item, ["owner"])),
            reason=_("Vorige eigenaar gedeactiveerd"),
        )
        moved += 1
    return moved


AGREEMENTS = OwnershipProvider(
    key="dashboards.agreements",
    describe=lambda count: (
        ngettext("%(count)d afspraak met de burgemeester", "%(count)d afspraken met de burgemeester", count)
        % {"count": count}
    ),
    count=lambda membership: ConsultationAgreement.objects.filter(
        owner=membership, status=AgreementStatus.OPEN
    ).count(),
    transfer=agreement_owner_transfer,
)


def register_dashboards_ownership() -> None:
    register_ownership(AGREEMENTS)
