"""The relation with the mayor: the summary card of the secretaris dashboard and the overview pages.

**Status of the relation** (the card and the "Nu aandacht nodig" block):

- *nog niets vastgelegd* (``not_set``): no consultation recorded yet;
- *achterstand* (``behind``): the next consultation date agreed in the newest consultation has
  passed without a newer one being recorded, or the newest consultation is more than
  ``STALE_AFTER_DAYS`` ago and no next date is set;
- *aandacht nodig* (``attention``): an open agreement is past its deadline, or no next
  consultation is planned;
- *op koers* (``ok``): otherwise.

Only the newest consultation's ``next_on`` counts: an older one's "next date" was met by the
consultations after it. An agreement is overdue while it is open and its deadline lies before today.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.db.models import Count, F, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from weerbaar.core.selectors import work_owner_options
from weerbaar.dashboards.models import AgreementStatus, ConsultationAgreement, MayorConsultation

#: Half a year without talking to the mayor about resilience is a gap, whatever was agreed.
STALE_AFTER_DAYS = 183
#: How many open agreements the card lists by name.
CARD_AGREEMENTS = 3

OK, ATTENTION, BEHIND, NOT_SET = "ok", "attention", "behind", "not_set"
STATUS_CSS = {OK: "status--ok", ATTENTION: "status--warning", BEHIND: "status--danger", NOT_SET: ""}


def status_label(status: str) -> str:
    return {
        OK: _("Op koers"),
        ATTENTION: _("Aandacht nodig"),
        BEHIND: _("Achterstand"),
        NOT_SET: _("Nog niets vastgelegd"),
    }[status]


def long_date(day: dt.date) -> str:
    return formats.date_format(day, "j F Y")


@dataclass(frozen=True)
class MayorSummary:
    status: str
    status_label: str
    status_css: str
    attention_items: list[tuple[str, str]]
    last_consultation: MayorConsultation | None
    last_held_on: dt.date | None
    next_on: dt.date | None
    next_is_overdue: bool
    open_agreements: int
    overdue_agreements: int
    consultations_last_year: int
    #: Up to ``CARD_AGREEMENTS`` open agreements, overdue first, then by deadline (owner and user loaded).
    first_agreements: list[ConsultationAgreement] = field(default_factory=list)
    today: dt.date | None = None
    overview_url: str = ""
    create_url: str = ""

    @property
    def days_since_last(self) -> int | None:
        if self.last_held_on is None or self.today is None:
            return None
        return (self.today - self.last_held_on).days


def open_agreements_in_order() -> QuerySet[ConsultationAgreement]:
    """Open agreements by deadline, so the overdue ones come first; those without a deadline last.

    The overview table and the card need the owner's name and the consultation's date.
    """
    return (
        ConsultationAgreement.objects.filter(status=AgreementStatus.OPEN)
        .select_related("owner__user", "consultation")
        .order_by(F("due_on").asc(nulls_last=True), "consultation__held_on", "pk")
    )


def _count(queryset: QuerySet[Any]) -> Subquery:
    """The number of rows of ``queryset`` as a subquery (the tenant scope applies inside it too)."""
    return Subquery(queryset.order_by().values("organisation").annotate(n=Count("pk")).values("n")[:1])


def mayor_summary(today: dt.date) -> MayorSummary:
    """Two queries whatever the number of consultations and agreements."""
    overview_url = reverse("dashboards:mayor_overview")
    create_url = reverse("dashboards:consultation_create")
    year_ago = today - dt.timedelta(days=365)
    # One query for the newest consultation with the counts the card needs: without a consultation
    # there are no agreements either (an agreement belongs to one).
    last = (
        MayorConsultation.objects.annotate(
            recent=Coalesce(_count(MayorConsultation.objects.filter(held_on__gt=year_ago, held_on__lte=today)), 0),
            open_count=Coalesce(_count(ConsultationAgreement.objects.filter(status=AgreementStatus.OPEN)), 0),
            overdue_count=Coalesce(
                _count(ConsultationAgreement.objects.filter(status=AgreementStatus.OPEN, due_on__lt=today)), 0
            ),
        )
        .order_by("-held_on", "-pk")
        .first()
    )
    counts = {
        "open": last.open_count if last is not None else 0,
        "overdue": last.overdue_count if last is not None else 0,
    }
    first = list(open_agreements_in_order()[:CARD_AGREEMENTS])
    if last is None:
        return MayorSummary(
            status=NOT_SET,
            status_label=status_label(NOT_SET),
            status_css=STATUS_CSS[NOT_SET],
            attention_items=[(_("Er is nog geen overleg met de burgemeester vastgelegd."), overview_url)],
            last_consultation=None,
            last_held_on=None,
            next_on=None,
            next_is_overdue=False,
            open_agreements=counts["open"],
            overdue_agreements=counts["overdue"],
            consultations_last_year=0,
            first_agreements=first,
            today=today,
            overview_url=overview_url,
            create_url=create_url,
        )
    consultations_last_year = last.recent
    next_on = last.next_on
    next_overdue = next_on is not None and next_on < today
    stale = next_on is None and (today - last.held_on).days > STALE_AFTER_DAYS
    items: list[tuple[str, str]] = []
    if next_overdue:
        assert next_on is not None
        items.append(
            (
                _("Het volgende overleg met de burgemeester stond op %(date)s en is nog niet vastgelegd.")
                % {"date": long_date(next_on)},
                overview_url,
            )
        )
    elif stale:
        items.append(
            (
                _("Het laatste overleg met de burgemeester was op %(date)s; er is geen volgend overleg gepland.")
                % {"date": long_date(last.held_on)},
                overview_url,
            )
        )
    elif next_on is None:
        items.append((_("Er is geen volgend overleg met de burgemeester gepland."), overview_url))
    if counts["overdue"]:
        items.append(
            (
                ngettext(
                    "%(count)d afspraak met de burgemeester is over de deadline.",
                    "%(count)d afspraken met de burgemeester zijn over de deadline.",
                    counts["overdue"],
                )
                % {"count": counts["overdue"]},
                overview_url + "#afspraken",
            )
        )
    if next_overdue or stale:
        status = BEHIND
    elif counts["overdue"] or next_on is None:
        status = ATTENTION
    else:
        status = OK
    return MayorSummary(
        status=status,
        status_label=status_label(status),
        status_css=STATUS_CSS[status],
        attention_items=items,
        last_consultation=last,
        last_held_on=last.held_on,
        next_on=next_on,
        next_is_overdue=next_overdue,
        open_agreements=counts["open"],
        overdue_agreements=counts["overdue"],
        consultations_last_year=consultations_last_year,
        first_agreements=first,
        today=today,
        overview_url=overview_url,
        create_url=create_url,
    )


# --- pages -----------------------------------------------------------------------------------------


def consultation(consultation_uuid: UUID) -> MayorConsultation | None:
    return MayorConsultation.objects.select_related("recorded_by__user").filter(uuid=consultation_uuid).first()


def agreement(agreement_uuid: UUID) -> ConsultationAgreement | None:
    return (
        ConsultationAgreement.objects.select_related("owner__user", "consultation").filter(uuid=agreement_uuid).first()
    )


def is_newest(item: MayorConsultation) -> bool:
    """Whether no later consultation exists: only then does its "next consultation" date still count."""
    # The same order as the summary's "newest": by date, then by the order they were recorded.
    later = Q(held_on__gt=item.held_on) | Q(held_on=item.held_on, pk__gt=item.pk)
    return not MayorConsultation.objects.filter(later).exists()


def consultation_history() -> QuerySet[MayorConsultation]:
    """Past consultations, newest first, with their agreement counts (the overview's paginated table)."""
    return MayorConsultation.objects.annotate(
        agreement_count=Count("agreements"),
        open_count=Count("agreements", filter=Q(agreements__status=AgreementStatus.OPEN)),
    ).order_by("-held_on", "-pk")


def consultation_agreements(item: MayorConsultation) -> list[ConsultationAgreement]:
    """The agreements of one consultation: open ones first by deadline, then the finished ones."""
    agreements = list(ConsultationAgreement.objects.filter(consultation=item).select_related("owner__user"))
    return sorted(agreements, key=lambda a: (not a.is_open, a.due_on is None, a.due_on or dt.date.max, a.pk))


def open_agreements() -> list[ConsultationAgreement]:
    return list(open_agreements_in_order())


owner_options = work_owner_options
