"""The communication plan of one year, month by month: one query whatever the number of moments."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from weerbaar.attention.models import CommunicationItem

#: The plan pages accept years this far from today (a typo like 20266 is not a plan).
YEARS_AROUND = 5


class ItemState:
    DONE = "gedaan"
    NOT_DONE = "niet_gedaan"
    PLANNED = "gepland"

    labels: dict[str, Any] = {DONE: _("gedaan"), NOT_DONE: _("niet gedaan"), PLANNED: _("gepland")}
    css: dict[str, str] = {DONE: "ok", NOT_DONE: "error", PLANNED: "neutral"}


@dataclass(frozen=True)
class ItemRow:
    item: CommunicationItem
    state: str

    @property
    def state_label(self) -> Any:
        return ItemState.labels[self.state]

    @property
    def state_css(self) -> str:
        return ItemState.css[self.state]


def item_state(item: CommunicationItem, today: dt.date) -> str:
    if item.done_on is not None:
        return ItemState.DONE
    return ItemState.NOT_DONE if item.planned_on < today else ItemState.PLANNED


@dataclass
class Month:
    number: int
    label: Any
    rows: list[ItemRow] = field(default_factory=list)


@dataclass(frozen=True)
class YearPlan:
    year: int
    months: list[Month]
    total: int
    done: int
    not_done: int


def chosen_year(raw: str | None, today: dt.date) -> tuple[int, bool]:
    """The year asked for in ``?jaar=``, or this year; the flag says whether the request was unusable."""
    if not raw:
        return today.year, False
    try:
        year = int(raw.strip())
    except ValueError:
        return today.year, True
    if abs(year - today.year) > YEARS_AROUND:
        return today.year, True
    return year, False


def year_plan(year: int, today: dt.date) -> YearPlan:
    items = (
        CommunicationItem.objects.filter(planned_on__year=year)
        .select_related("owner__user")
        .order_by("planned_on", "subject", "pk")
    )
    months = [Month(number, MONTHS[number]) for number in range(1, 13)]
    done = not_done = total = 0
    for item in items:
        state = item_state(item, today)
        months[item.planned_on.month - 1].rows.append(ItemRow(item, state))
        total += 1
        done += state == ItemState.DONE
        not_done += state == ItemState.NOT_DONE
    return YearPlan(year, months, total, done, not_done)


def communication_item(item_uuid: UUID) -> CommunicationItem | None:
    return CommunicationItem.objects.select_related("owner__user").filter(uuid=item_uuid).first()
