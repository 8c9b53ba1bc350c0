"""The secretaris' top 10 with today's residual risk next to the inherent score and the score at the close.

Loaded after the start page (htmx), because today's residual risk scores each process again with
the measures and how alive they are now: about ten queries the start page itself cannot afford.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse

from weerbaar.core.models import Membership
from weerbaar.dashboards.selectors.secretaris import top_results
from weerbaar.plan.selectors.residual import residuals
from weerbaar.scans.models import Scan
from weerbaar.scans.selectors.results import default_scan, result_scans, whole


@dataclass(frozen=True)
class ResidualRow:
    rank: int
    code: str
    name: str
    url: str
    inherent: int
    at_close: int
    now: int
    not_alive: int

    @property
    def lowered_by(self) -> int:
        return self.inherent - self.now


@dataclass(frozen=True)
class ResidualTop:
    scan: Scan | None
    rows: list[ResidualRow]

    @property
    def lowered(self) -> int:
        return sum(1 for row in self.rows if row.lowered_by > 0)

    @property
    def with_fading_measures(self) -> int:
        return sum(1 for row in self.rows if row.not_alive)


def residual_top(membership: Membership, today: dt.date) -> ResidualTop:
    scan = default_scan(result_scans(membership))
    if scan is None:
        return ResidualTop(scan=None, rows=[])
    results = list(top_results(membership, scan))
    now = residuals(membership.organisation, [result.process for result in results], today, explain=True)
    rows = []
    for rank, result in enumerate(results, start=1):
        residual = now.get(result.process_id)
        if residual is None:
            continue  # a consensus the model can no longer read: the stored result stays on the results page
        process = result.process
        rows.append(
            ResidualRow(
                rank=rank,
                code=process.code,
                name=process.name,
                url=reverse("scans:process_result", kwargs={"process_uuid": process.uuid}) + f"?scan={scan.uuid}",
                inherent=whole(residual.inherent),
                at_close=whole(residual.at_close),
                now=whole(residual.now),
                not_alive=len(residual.not_alive),
            )
        )
    return ResidualTop(scan=scan, rows=rows)
