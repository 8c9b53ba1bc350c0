"""Helpers for the repeat scan tests (not collected: no test_ prefix)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from weerbaar.register.models import Process
from weerbaar.scans import services
from weerbaar.scans.models import Rating, Scan
from weerbaar.scans.tests.support import circumstance_uuids, make_scan, ratings_of, reload, scan_processes
from weerbaar.testing.world import Tenant

#: The previous round's consensus in these tests: K1 (belang-derden) 4 and geldstromen 3, the rest lower.
PREVIOUS = {
    "belang-derden": 4,
    "samenwerking-partners": 1,
    "opdrachten-aannemers": 0,
    "klantcontact": 2,
    "geldstromen": 3,
    "gevoelige-gegevens": 1,
    "kritieke-dienstverlening": 1,
    "solistisch-werken": 2,
}
PREVIOUS_IMPACT = {"money": 4, "personal_data": 2, "safety": 2, "trust": 3, "continuity": 1}


def first_circumstance() -> str:
    return sorted(circumstance_uuids())[0]


def save(rating: Rating, *, submit: bool = False, **change: Any) -> Rating:
    """Save ``change`` as the rater (autosave-like unless ``confirm=`` is given, as the whole form does)."""
    rating = reload(rating)
    return services.rating_save(
        actor=rating.rater.user,
        rater=rating.rater,
        rating=rating,
        version=rating.version,
        change=services.RatingChange(**change),
        submit=submit,
        allowed_circumstances=circumstance_uuids(),
    )


def closed_scan(tenant: Tenant, processes: Sequence[Process], *, name: str = "Scan 2025") -> Scan:
    """A closed scan whose consensus is PREVIOUS, PREVIOUS_IMPACT and the first circumstance, for every process."""
    scan = make_scan(tenant, processes=list(processes), name=name)
    scan = services.scan_open(actor=None, scan=scan, version=scan.version)
    for scan_process in scan_processes(scan):
        for rating in ratings_of(scan_process):
            save(
                rating,
                submit=True,
                scores=PREVIOUS,
                rationales={key: "Groot belang" for key, level in PREVIOUS.items() if level >= 3},
                impact=PREVIOUS_IMPACT,
                circumstances=[first_circumstance()],
            )
    scan = services.scan_start_review(actor=None, scan=reload(scan), version=reload(scan).version)
    services.consensus_accept_agreed(actor=None, by=None, scan=scan, version=scan.version)
    return reload(services.scan_close(actor=None, scan=reload(scan), version=reload(scan).version))


def confirm_all(rating: Rating, *, submit: bool = True) -> Rating:
    """Confirm every prefilled item by choosing the same values (as the autosave does) and hand in."""
    rating = reload(rating)
    return save(
        rating,
        submit=submit,
        scores=dict(rating.scores),
        rationales={key: "Nog steeds zo" for key, level in rating.scores.items() if level >= 3},
        impact=dict(rating.impact),
        circumstances=list(rating.circumstances),
    )
