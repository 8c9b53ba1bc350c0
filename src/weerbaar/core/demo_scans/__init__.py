"""The demo's scans: Veenhaven closed two rounds and has this year's in review; Oosterzijl is rating.

Built through the scans services (audited), as the people themselves would: the coordinator sets
up and settles, each rater hands in their own rating. Nothing is random: a colleague's scores differ
from the owner's by a fixed pattern (a checksum of process and characteristic), so every load gives
the same data. The demo runs once per gemeente: one that has any scan is left alone. Dates follow
today: last year's scan lies in the previous calendar year, this year's deadline has just passed
(review) or lies three weeks ahead (Oosterzijl).

Veenhaven's rounds are repeat scans: the one of two years ago (mostly somewhat higher scores) is the
starting point of last year's, which is the starting point of this year's, so the results show a
trend and this year's ratings began from last year's consensus (confirmed where handed in).

This package imports the scans app, so ``weerbaar.core.demo`` imports it only while loading; the
scores, rationales and disputes are in ``tables``.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Sequence

from django.utils import timezone

from weerbaar.core.demo_scans.tables import (
    HALF_DONE,
    KEYS,
    NEW_LAST_YEAR,
    OOSTERZIJL,
    RATIONALES,
    VEENHAVEN,
    Dispute,
    Rated,
)
from weerbaar.core.models import Membership, Organisation
from weerbaar.core.permissions import Action, Role
from weerbaar.core.tenancy import tenant_scope
from weerbaar.register.models import Process
from weerbaar.register.selectors import internal_circumstances
from weerbaar.scans import services
from weerbaar.scans.models import IMPACT_KEYS, Certainty, RaterNotice, Rating, ReminderKind, Scan, ScanProcess

SCAN_NAME = "Kwetsbaarhedenscan {year}"

#: Who rates with the owner, chosen per process by a checksum of its name.
COLLEAGUES = (Role.MEDEWERKER, Role.VERTROUWENSPERSOON, Role.COORDINATOR)


def _checksum(*parts: str) -> int:
    return zlib.crc32("|".join(parts).encode())


def _levels(entry: Rated, *, now: bool) -> tuple[dict[str, int], dict[str, int]]:
    scores = dict(zip(KEYS, map(int, entry.scores), strict=True))
    impact = dict(zip(IMPACT_KEYS, map(int, entry.impact), strict=True))
    for key, level in entry.change if now else ():
        (scores if key in scores else impact)[key] = level
    return scores, impact


def _earlier_levels(entry: Rated) -> tuple[dict[str, int], dict[str, int]]:
    """Two years ago: most processes scored a little higher (the measures since then helped), one in
    six lower (it got worse since), one in six the same."""
    scores, impact = _levels(entry, now=False)
    turn = _checksum(entry.name, "earlier") % 6
    if turn == 1:
        highest = max(KEYS, key=lambda key: (scores[key], key))
        scores[highest] = max(0, scores[highest] - 1)
    elif turn > 1:
        for key in sorted(KEYS, key=lambda key: _checksum(entry.name, key, "earlier"))[:2]:
            scores[key] = min(4, scores[key] + 1)
    return scores, impact


def _colleague_levels(
    entry: Rated, scores: dict[str, int], impact: dict[str, int], dispute: Dispute | None
) -> tuple[dict[str, int], dict[str, int]]:
    """The owner's levels, one higher or lower here and there; never 2 apart except for ``dispute``."""
    changed = {key for key, _level in entry.change}

    def shifted(key: str, level: int, low: int, high: int) -> int:
        if dispute is not None and dispute.key == key:
            return dispute.colleague
        if key in changed:  # what changed since last year, both raters see
            return level
        step = {0: 1, 1: -1, 2: -1}.get(_checksum(entry.name, key) % 9, 0)
        return min(high, max(low, level + step))

    return (
        {key: shifted(key, level, 0, 4) for key, level in scores.items()},
        {key: shifted(key, level, 1, 5) for key, level in impact.items()},
    )


def _change(
    scores: dict[str, int],
    impact: dict[str, int],
    circumstances: list[str] | None,
    variant: int,
    note: str,
    certainty: str,
) -> services.RatingChange:
    return services.RatingChange(
        scores=scores,
        rationales={key: RATIONALES[key][variant][level - 3] for key, level in scores.items() if level >= 3},
        impact=impact,
        circumstances=circumstances,
        certainty=certainty,
        note=note,
    )


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _members(organisation: Organisation) -> dict[str, Membership]:
    members = Membership.objects.select_related("user").filter(is_active=True).order_by("pk")
    return {member.user.email.partition("@")[0]: member for member in members}


def _raters(process: Process, members: dict[str, Membership]) -> list[Membership]:
    """The owner and one colleague; a process whose owner may not rate gets two colleagues."""
    owner = process.owner if process.owner is not None and process.owner.can(Action.SCAN_RATE) else None
    start = _checksum(process.name) % len(COLLEAGUES)
    colleagues = [members[COLLEAGUES[(start + i) % len(COLLEAGUES)]] for i in range(len(COLLEAGUES))]
    others = [member for member in colleagues if owner is None or member.pk != owner.pk]
    return [owner, others[0]] if owner is not None else others[:2]


def _scan(
    organisation: Organisation,
    coordinator: Membership,
    *,
    name: str,
    year: int,
    description: str,
    raters: Sequence[tuple[Process, list[Membership]]],
    allow_single_rater: bool = False,
    previous_scan: Scan | None = None,
) -> Scan:
    """A draft scan whose processes get exactly ``raters``: created with the first group of processes
    sharing a colleague, then widened group by group (three service calls instead of one per process)."""
    groups: dict[tuple[int, ...], list[Process]] = {}
    for process, members in raters:
        extra = tuple(member.pk for member in members if member.pk != process.owner_id)
        groups.setdefault(extra, []).append(process)
    by_pk = {member.pk: member for _process, members in raters for member in members}
    actor, scope = coordinator.user, list[Process]()
    scan: Scan | None = None
    for extra, processes in groups.items():
        scope += processes
        extra_raters = [by_pk[pk] for pk in extra]
        if scan is None:
            scan = services.scan_create(
                actor=actor,
                organisation=organisation,
                created_by=coordinator,
                name=name,
                period_start=dt.date(year, 1, 1),
                period_end=dt.date(year, 12, 31),
                deadline=timezone.localdate() + dt.timedelta(days=21),
                processes=scope,
                extra_raters=extra_raters,
                description=description,
                allow_single_rater=allow_single_rater,
                previous_scan=previous_scan,
            )
        else:
            scan = services.scan_set_processes(
                actor=actor, scan=scan, version=scan.version, processes=scope, extra_raters=extra_raters
            )
    assert scan is not None
    # The demo's addresses are fictional: its invitations count as sent, so none goes to the console or SMTP.
    RaterNotice.objects.bulk_create(
        RaterNotice(organisation=organisation, scan=scan, rater=member, kind=ReminderKind.INVITATION)
        for member in by_pk.values()
    )
    return services.scan_open(actor=actor, scan=scan, version=scan.version)


def _rate_veenhaven(
    scan: Scan, table: dict[str, Rated], allowed: set[str], *, now: bool, earlier: bool = False
) -> None:
    ratings = (
        Rating.objects.filter(scan_process__scan=scan)
        .select_related("rater__user", "scan_process__process")
        .prefetch_related("scan_process__process__circumstances")
    )
    for rating in ratings.order_by("pk"):
        process = rating.scan_process.process
        entry = table[process.name]
        by_owner = rating.rater_id == process.owner_id
        scores, impact = _earlier_levels(entry) if earlier else _levels(entry, now=now)
        dispute = entry.dispute if now else None if earlier else entry.last_dispute
        circumstances = sorted(str(each.uuid) for each in process.circumstances.all())
        note, certainty = (entry.why if now else ""), Certainty.SURE
        if not by_owner:
            scores, impact = _colleague_levels(entry, scores, impact, dispute)
            circumstances = circumstances[:-1] if _checksum(process.name) % 3 == 0 else circumstances
            note, certainty = "", Certainty.FAIRLY if _checksum(process.name, "zeker") % 3 == 0 else Certainty.SURE
            if now and entry.unsure:
                note, certainty = entry.unsure, Certainty.UNSURE
            if now and entry.late:
                # Not finished: three scores chosen; the rest is as it started (empty, or last year's consensus).
                scores, impact = dict(list(scores.items())[:3]), {}
        late = now and entry.late and not by_owner
        change = _change(scores, impact, None if late else circumstances, 0 if by_owner else 1, note, certainty)
        done = not (now and entry.late and not by_owner)
        services.rating_save(
            actor=rating.rater.user,
            rater=rating.rater,
            rating=rating,
            version=rating.version,
            change=change,
            submit=done,
            allowed_circumstances=allowed,
        )


def _settle(
    scan: Scan, coordinator: Membership, table: dict[str, Rated], allowed: set[str], *, now: bool, earlier: bool = False
) -> Scan:
    """Accept what the raters agree on, and set the disputed ones that were talked through, with a note."""
    scan_processes = list(ScanProcess.objects.filter(scan=scan).select_related("process").order_by("pk"))
    agreed = [sp.pk for sp in scan_processes if table[sp.process.name].settled or not now]
    services.consensus_accept_agreed(
        actor=coordinator.user, by=coordinator, scan=scan, version=scan.version, scan_process_ids=agreed
    )
    for scan_process in ScanProcess.objects.filter(scan=scan, consensus_at__isnull=True).order_by("pk"):
        entry = table[scan_process.process.name]
        dispute = entry.dispute if now else None if earlier else entry.last_dispute
        if dispute is None or dispute.agreed is None:
            continue
        ratings = list(Rating.objects.filter(scan_process=scan_process, submitted_at__isnull=False))
        scores = {key: max(r.scores[key] for r in ratings) for key in KEYS}
        impact = {key: max(r.impact[key] for r in ratings) for key in IMPACT_KEYS}
        (scores if dispute.key in scores else impact)[dispute.key] = dispute.agreed
        services.consensus_set(
            actor=coordinator.user,
            by=coordinator,
            scan_process=scan_process,
            version=scan_process.version,
            scores=scores,
            impact=impact,
            circumstances=sorted({key for r in ratings for key in r.circumstances}),
            note=dispute.note,
            allowed_circumstances=allowed,
        )
    return Scan.objects.get(pk=scan.pk)


def _backdate(scan: Scan, *, created: dt.date, opened: dt.date, deadline: dt.date, review: dt.date) -> None:
    """DEMO ONLY: move a scan's dates into the past, where the services (rightly) refuse to put them.

    The scan was created and rated with a deadline ahead; only its dates and timestamps change here,
    row by row with ``save(update_fields=...)`` (the audited queryset refuses a bulk update), and not
    audited: the audit trail keeps the real moment the demo was loaded.
    """
    scan.created_at, scan.opened_at, scan.deadline = _at(created, 10), _at(opened), deadline
    scan.review_started_at = _at(review)
    fields = ["created_at", "opened_at", "deadline", "review_started_at"]
    if scan.closed_at is not None:
        scan.closed_at = _at(review + dt.timedelta(days=35), 16)
        fields.append("closed_at")
    scan.save(update_fields=fields)
    handed_in = Rating.objects.filter(scan_process__scan=scan, submitted_at__isnull=False).order_by("pk")
    span = max((deadline - opened).days - 4, 1)
    for i, rating in enumerate(handed_in):
        rating.submitted_at = _at(opened + dt.timedelta(days=2 + (i * 7) % span), 9 + i % 8)
        rating.save(update_fields=["submitted_at"])
    for i, scan_process in enumerate(ScanProcess.objects.filter(scan=scan, consensus_at__isnull=False).order_by("pk")):
        scan_process.consensus_at = _at(review + dt.timedelta(days=1 + i % 10), 10 + i % 6)
        scan_process.computed_at = scan.closed_at or scan_process.consensus_at
        scan_process.save(update_fields=["consensus_at", "computed_at"])


def _veenhaven(organisation: Organisation) -> None:
    members = _members(organisation)
    coordinator = members[Role.COORDINATOR]
    allowed = {str(each.uuid) for each in internal_circumstances(organisation=organisation)}
    table = {entry.name: entry for entry in VEENHAVEN}
    processes = Process.objects.filter(name__in=table).select_related("owner").prefetch_related("circumstances")
    by_name = {process.name: process for process in processes}
    today = timezone.localdate()
    descriptions = {
        "earlier": "Beoordeel elk proces zoals het in de praktijk loopt, niet zoals het op papier staat.",
        "last": "Herhaalscan: u begint met de consensus van vorig jaar. Bevestig wat nog klopt en wijzig de rest.",
        "now": "Herhaalscan: vergelijk met vorig jaar en noteer wat er veranderd is, bijvoorbeeld door een maatregel.",
    }
    previous: Scan | None = None
    for stage, year in (("earlier", today.year - 2), ("last", today.year - 1), ("now", today.year)):
        now, earlier = stage == "now", stage == "earlier"
        wanted = [
            entry
            for entry in VEENHAVEN
            if entry.years in ("both", "now" if now else "last") and not (earlier and entry.name in NEW_LAST_YEAR)
        ]
        scan = _scan(
            organisation,
            coordinator,
            name=SCAN_NAME.format(year=year),
            year=year,
            description=descriptions[stage],
            raters=[(by_name[entry.name], _raters(by_name[entry.name], members)) for entry in wanted],
            previous_scan=previous,
        )
        _rate_veenhaven(scan, table, allowed, now=now, earlier=earlier)
        scan = services.scan_start_review(actor=coordinator.user, scan=scan, version=scan.version)
        scan = _settle(scan, coordinator, table, allowed, now=now, earlier=earlier)
        if now:
            _backdate(
                scan,
                created=today - dt.timedelta(days=60),
                opened=today - dt.timedelta(days=49),
                deadline=today - dt.timedelta(days=14),
                review=today - dt.timedelta(days=12),
            )
        else:
            scan = services.scan_close(actor=coordinator.user, scan=scan, version=scan.version)
            _backdate(
                scan,
                created=dt.date(year, 2, 10),
                opened=dt.date(year, 3, 2),
                deadline=dt.date(year, 4, 12),
                review=dt.date(year, 4, 14),
            )
        previous = scan


def _oosterzijl(organisation: Organisation) -> None:
    members = _members(organisation)
    coordinator = members[Role.COORDINATOR]
    allowed = {str(each.uuid) for each in internal_circumstances(organisation=organisation)}
    processes = [
        process
        for process in Process.objects.filter(is_active=True).select_related("owner").order_by("code")
        if process.owner is not None and process.owner.can(Action.SCAN_RATE)
    ]
    year = timezone.localdate().year
    scan = _scan(
        organisation,
        coordinator,
        name=SCAN_NAME.format(year=year),
        year=year,
        description=(
            "Onze eerste kwetsbaarhedenscan, met één beoordelaar per proces: de eigenaar. "
            "Twijfelt u bij een score, kies dan 'onzeker' en licht het kort toe."
        ),
        raters=[(process, [process.owner]) for process in processes if process.owner is not None],
        allow_single_rater=True,
    )
    ratings = {
        rating.scan_process.process.name: rating
        for rating in Rating.objects.filter(scan_process__scan=scan)
        .select_related("rater__user", "scan_process__process")
        .prefetch_related("scan_process__process__circumstances")
    }
    for name, scores, impact, handed_in in OOSTERZIJL:
        rating = ratings[name]
        levels = dict(zip(KEYS, map(int, scores), strict=True))
        if not handed_in:
            levels = dict(list(levels.items())[:HALF_DONE])
        change = _change(
            levels,
            dict(zip(IMPACT_KEYS, map(int, impact), strict=True)) if handed_in else {},
            sorted(str(each.uuid) for each in rating.scan_process.process.circumstances.all()) if handed_in else [],
            0,
            "",
            Certainty.SURE if handed_in else "",
        )
        services.rating_save(
            actor=rating.rater.user,
            rater=rating.rater,
            rating=rating,
            version=rating.version,
            change=change,
            submit=handed_in,
            allowed_circumstances=allowed,
        )


def load_scans(large: Organisation, small: Organisation) -> None:
    """The demo scans of both gemeenten; a gemeente that already has a scan is left as it is."""
    for organisation, build in ((large, _veenhaven), (small, _oosterzijl)):
        with tenant_scope(organisation):
            if not Scan.objects.exists():
                build(organisation)
