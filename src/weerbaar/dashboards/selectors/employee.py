"""The medewerker's dashboard (also the vertrouwenspersoon's): what to do when pressured or
approached, who the contact people are, and the member's own open work if any.

Four queries: the contact people (1) and the own work (3: ratings, measures, activities).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from weerbaar.core.models import Membership
from weerbaar.dashboards.selectors.common import AttentionItem, prioritised
from weerbaar.dashboards.selectors.figures import ContactPeople, contact_people
from weerbaar.dashboards.selectors.owner import OwnWork, own_work, own_work_attention


@dataclass(frozen=True)
class EmployeeDashboard:
    contacts: ContactPeople
    work: OwnWork
    attention: list[AttentionItem]


def employee_dashboard(member: Membership, today: dt.date) -> EmployeeDashboard:
    work = own_work(member, today)
    return EmployeeDashboard(contacts=contact_people(), work=work, attention=prioritised(own_work_attention(work)))
