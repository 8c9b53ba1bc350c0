"""The one writer of the audit trail, and the verifier that walks its chains.

Services call :func:`record`; views never do. Each row's hash covers its content and the hash of
the previous row in the same chain, so an edited, deleted or re-ordered row breaks the chain.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from weerbaar.audit.models import SYSTEM_CHAIN, AuditChainCheck, AuditChainHead, AuditEvent, Result, chain_for

GENESIS_HASH = "0" * 64
HIDDEN = "[verborgen]"

#: Field names whose values never enter the trail (BIO2 8.15.02: no secrets in logs).
SENSITIVE_MARKERS = ("password", "wachtwoord", "token", "secret", "key", "otp", "recovery", "signal_text")

_origin: ContextVar[str] = ContextVar("weerbaar_audit_origin", default="")


@contextmanager
def origin_scope(origin: str) -> Iterator[None]:
    """Bind the request's client address; the middleware wraps every request in this."""
    token = _origin.set(origin[:64])
    try:
        yield
    finally:
        _origin.reset(token)


def current_origin() -> str:
    return _origin.get()


def plain(value: Any) -> Any:
    """A JSON value that reads the same after a round trip through SQLite and PostgreSQL."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float | decimal.Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return str(getattr(value, "uuid", None) or value.pk)
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [plain(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    return str(value)


def is_sensitive(field: str) -> bool:
    name = field.lower()
    return any(marker in name for marker in SENSITIVE_MARKERS)


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Changed fields as ``{field: [old, new]}``; sensitive values are replaced by a marker."""
    changes: dict[str, list[Any]] = {}
    for field in sorted(set(before) | set(after)):
        old, new = plain(before.get(field)), plain(after.get(field))
        if old != new:
            changes[field] = [HIDDEN, HIDDEN] if is_sensitive(field) else [old, new]
    return changes


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    return {field: plain(getattr(instance, field)) for field in fields}


def _canonical(event: AuditEvent) -> bytes:
    payload = {
        "chain": event.chain,
        "sequence": event.sequence,
        "occurred_at": plain(event.occurred_at),
        "organisation_uuid": plain(event.organisation_uuid),
        "organisation_name": event.organisation_name,
        "actor_uuid": plain(event.actor_uuid),
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_uuid": event.object_uuid,
        "object_label": event.object_label,
        "origin": event.origin,
        "result": event.result,
        "changes": plain(event.changes),
        "reason": event.reason,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def compute_hash(event: AuditEvent) -> str:
    return hashlib.sha256(_canonical(event)).hexdigest()


def record(
    *,
    action: str,
    actor: Any = None,
    organisation: Any = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_label: str = "",
    changes: Mapping[str, Any] | None = None,
    result: str = Result.SUCCESS,
    reason: str = "",
    origin: str | None = None,
    actor_label: str = "",
) -> AuditEvent:
    """Append one event to the organisation's chain (or the system chain when there is none)."""
    safe_changes = {
        field: ([HIDDEN, HIDDEN] if is_sensitive(field) else plain(value)) for field, value in (changes or {}).items()
    }
    org_uuid = getattr(organisation, "uuid", None)
    chain = chain_for(org_uuid)
    actor_is_user = actor is not None and getattr(actor, "is_authenticated", False)
    with transaction.atomic():
        # Serialise appends per chain: the head row is locked until this transaction ends, so two
        # writers never compute the same next sequence (the unique constraint is the backstop).
        head, _created = AuditChainHead.objects.select_for_update().get_or_create(
            chain=chain, defaults={"sequence": 0, "hash": GENESIS_HASH}
        )
        event = AuditEvent(
            chain=chain,
            sequence=head.sequence + 1,
            occurred_at=timezone.now(),
            organisation_uuid=org_uuid,
            organisation_name=getattr(organisation, "name", "")[:200],
            actor_uuid=getattr(actor, "uuid", None) if actor_is_user else None,
            actor_label=(actor_label or (getattr(actor, "email", "") if actor_is_user else ""))[:254],
            action=action,
            object_type=(object_type or (obj._meta.label_lower if obj is not None else ""))[:100],
            object_uuid=str(getattr(obj, "uuid", None) or getattr(obj, "pk", "") or "")[:64],
            object_label=(object_label or (str(obj) if obj is not None else ""))[:300],
            origin=(origin if origin is not None else current_origin())[:64],
            result=result,
            changes=safe_changes,
            reason=reason,
            prev_hash=head.hash,
        )
        event.hash = compute_hash(event)
        event.save()
        head.sequence = event.sequence
        head.hash = event.hash
        head.save(update_fields=["sequence", "hash"])
    return event


def save_if_changed(
    obj: Any, changes: Mapping[str, Any], *, action: str, actor: Any = None, object_label: str = ""
) -> bool:
    """The common end of an edit service: when ``changes`` is not empty, bump ``obj.version``, save
    it and append ``action`` with the changes to the trail. Nothing changed: nothing written."""
    if not changes:
        return False
    obj.version += 1
    obj.save()
    record(
        action=action,
        actor=actor,
        organisation=obj.organisation,
        obj=obj,
        object_label=object_label,
        changes=changes,
    )
    return True


@dataclass(frozen=True)
class ChainReport:
    chain: str
    length: int
    ok: bool
    broken_event_id: int | None = None
    broken_sequence: int | None = None
    problem: str = ""
    #: When the walk started from the last full check: its time and the events checked since.
    full_check_at: dt.datetime | None = None
    checked_since: int | None = None


def verify_chain(chain: str, *, start: AuditChainCheck | None = None) -> ChainReport:
    """Walk ``chain`` from its first event, or from ``start`` (a passed full check) onwards.

    From a start point the walk first confirms that the event there still has the hash it had:
    rewriting anything before it, recomputing every later hash, changes that hash too. An edit
    before the start point that leaves the later hashes alone is only found by the full walk.
    """
    head = AuditChainHead.objects.filter(chain=chain).first()
    expected_prev = GENESIS_HASH
    expected_sequence = 1
    count = 0
    events = AuditEvent.all_chains.filter(chain=chain)
    if start is not None:
        anchor = events.filter(sequence=start.sequence).values_list("pk", "hash").first()
        if anchor is None or anchor[1] != start.hash:
            return ChainReport(
                chain,
                start.sequence,
                False,
                anchor[0] if anchor else None,
                start.sequence,
                "de regel van de laatste volledige controle is gewijzigd of verdwenen",
                full_check_at=start.checked_at,
            )
        expected_prev, expected_sequence, count = start.hash, start.sequence + 1, start.sequence
        events = events.filter(sequence__gt=start.sequence)
    report = _walk(chain, head, events, expected_prev, expected_sequence, count)
    if start is None:
        return report
    return replace(report, full_check_at=start.checked_at, checked_since=report.length - start.sequence)


def _walk(
    chain: str,
    head: AuditChainHead | None,
    events: models.QuerySet[AuditEvent],
    expected_prev: str,
    expected_sequence: int,
    count: int,
) -> ChainReport:
    for event in events.order_by("sequence", "id").iterator(chunk_size=2000):
        count += 1
        if event.sequence != expected_sequence:
            problem = (
                f"volgnummer {expected_sequence} ontbreekt (regel verwijderd?)"
                if event.sequence > expected_sequence
                else f"volgnummer {event.sequence} komt dubbel voor"
            )
            return ChainReport(chain, count, False, event.pk, event.sequence, problem)
        if event.prev_hash != expected_prev:
            return ChainReport(
                chain,
                count,
                False,
                event.pk,
                event.sequence,
                "verwijst niet naar de vorige regel (volgorde gewijzigd?)",
            )
        if compute_hash(event) != event.hash:
            return ChainReport(
                chain, count, False, event.pk, event.sequence, "inhoud komt niet overeen met de hash (gewijzigd?)"
            )
        expected_prev = event.hash
        expected_sequence += 1
    if head is not None and (head.sequence != expected_sequence - 1 or head.hash != expected_prev):
        return ChainReport(
            chain,
            count,
            False,
            None,
            head.sequence,
            f"laatste regel(s) na volgnummer {expected_sequence - 1} ontbreken",
        )
    if head is None and count:
        return ChainReport(chain, count, False, None, None, "kop van de keten ontbreekt")
    return ChainReport(chain, count, True)


def record_full_check(report: ChainReport) -> AuditChainCheck:
    """Keep the result of a full walk: the next quick checks start where this one found the chain intact."""
    last = (
        AuditEvent.all_chains.filter(chain=report.chain, sequence__lte=report.length)
        .order_by("-sequence")
        .values_list("sequence", "hash")
        .first()
    )
    sequence, hash_ = last if report.ok and last is not None else (0, GENESIS_HASH)
    check, _created = AuditChainCheck.objects.update_or_create(
        chain=report.chain,
        defaults={
            "sequence": sequence,
            "hash": hash_,
            "ok": report.ok,
            "problem": report.problem[:300],
            "checked_at": timezone.now(),
        },
    )
    return check


def known_chains() -> list[str]:
    chains = set(AuditChainHead.objects.values_list("chain", flat=True))
    chains |= set(AuditEvent.all_chains.values_list("chain", flat=True).order_by().distinct())
    return sorted(chains, key=lambda c: (c != SYSTEM_CHAIN, c))


def verify_all() -> list[ChainReport]:
    return [verify_chain(chain) for chain in known_chains()]


def chain_status(organisation: Any) -> ChainReport:
    """The organisation's chain: from the last passed full check onwards, or the whole chain."""
    chain = chain_for(organisation.uuid)
    check = AuditChainCheck.objects.filter(chain=chain, ok=True, sequence__gt=0).first()
    return verify_chain(chain, start=check)
