"""The repeat scan: start from a closed scan's consensus; the raters confirm or change each value.

A scan may name the closed scan it starts from (``Scan.previous_scan``). Every rating created for
a process that has a consensus there gets that consensus copied in: as the rating's values, and,
unchanged, in ``Rating.prefilled``. Before handing in, the rater confirms or changes each copied
item (``services.ratings``), so nobody hands in last year's answers without looking at them.

The copies for all ratings of one call are made at once: one query for the previous consensus,
whatever the number of processes (a scan may hold a thousand).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from weerbaar.core.models import Membership
from weerbaar.register.selectors import internal_circumstances
from weerbaar.scans.models import IMPACT_KEYS, Rating, Scan, ScanProcess, ScanState
from weerbaar.scans.services.ratings import characteristic_keys

#: {"scores": {key: 0..4}, "impact": {key: 1..5}, "circumstances": [uuid, ...]}
Prefill = dict[str, Any]
#: Above this many processes the previous scan is read whole rather than through a long ``IN`` list.
_IN_LIST_LIMIT = 200


def check_previous_scan(scan: Scan, previous: Scan | None) -> None:
    """The starting point must be a closed scan of the same organisation (read again: states move)."""
    if previous is None:
        return
    state = Scan.objects.filter(pk=previous.pk).values_list("state", flat=True).first()
    if previous.organisation_id != scan.organisation_id or state is None:
        raise ValidationError({"previous_scan": _("Kies als startpunt een afgesloten scan van deze organisatie.")})
    if state != ScanState.CLOSED:
        raise ValidationError(
            {"previous_scan": _("Alleen een afgesloten scan kan het startpunt zijn. Kies een andere scan of geen.")}
        )


def prefill_for(scan: Scan, process_ids: Iterable[int]) -> dict[int, Prefill]:
    """The previous scan's consensus per process id, for the processes that have one. Three queries at most.

    Only what can still be answered is copied: active characteristics, the impact dimensions and
    the internal circumstances the organisation can tick today.
    """
    wanted = set(process_ids)
    if scan.previous_scan_id is None or not wanted:
        return {}
    rows = ScanProcess.objects.filter(scan_id=scan.previous_scan_id, consensus_at__isnull=False)
    if len(wanted) <= _IN_LIST_LIMIT:
        rows = rows.filter(process_id__in=wanted)
    found = list(rows.values_list("process_id", "consensus_scores", "consensus_impact", "consensus_circumstances"))
    if not found:
        return {}
    keys = set(characteristic_keys())
    allowed = {str(each.uuid) for each in internal_circumstances(organisation=scan.organisation)}
    prefill: dict[int, Prefill] = {}
    for process_id, scores, impact, circumstances in found:
        if process_id not in wanted:
            continue
        prefill[process_id] = {
            "scores": {key: level for key, level in scores.items() if key in keys and isinstance(level, int)},
            "impact": {key: level for key, level in impact.items() if key in IMPACT_KEYS and isinstance(level, int)},
            "circumstances": sorted(str(each) for each in circumstances if str(each) in allowed),
        }
    return prefill


def _apply_prefill(rating: Rating, values: Prefill | None) -> None:
    values = values or {}
    rating.scores = dict(values.get("scores", {}))
    rating.impact = dict(values.get("impact", {}))
    rating.circumstances = list(values.get("circumstances", []))
    rating.prefilled = (
        {
            "scores": dict(values["scores"]),
            "impact": dict(values["impact"]),
            "circumstances": list(values["circumstances"]),
        }
        if values
        else {}
    )
    rating.confirmed = []


def new_rating(scan_process: ScanProcess, rater: Membership, values: Prefill | None) -> Rating:
    """An unsaved rating for ``rater``, prefilled with ``values`` when the process has them (for bulk_create)."""
    rating = Rating(organisation_id=scan_process.organisation_id, scan_process=scan_process, rater=rater)
    _apply_prefill(rating, values)
    return rating


def restart_ratings(scan: Scan) -> int:
    """A draft scan's starting point changed: every rating starts again from the new one (or empty).

    Nobody has rated yet (raters see a scan once it is open), so nothing of theirs is lost. Row by
    row, because the audited queryset refuses bulk updates; the scan's own audit event records
    the change and how many ratings were prefilled. Returns that number.
    """
    ratings = list(Rating.objects.filter(scan_process__scan=scan).select_related("scan_process").order_by("pk"))
    prefill = prefill_for(scan, {rating.scan_process.process_id for rating in ratings})
    for rating in ratings:
        _apply_prefill(rating, prefill.get(rating.scan_process.process_id))
        rating.version += 1
        rating.save(
            update_fields=["scores", "impact", "circumstances", "prefilled", "confirmed", "version", "updated_at"]
        )
    return sum(1 for rating in ratings if rating.prefilled)
