"""Every write of the dashboards' own screens, each audited: consultations with the mayor, the
agreements made in them, and the capacity per role.

Rules for consultations and agreements (only ``MAYOR_MANAGE``, the secretaris, records them):

- a consultation is recorded after it was held: its date is today or earlier (at most five years
  back); the next consultation lies after it, within two years;
- an agreement's deadline does not lie before the consultation it was made in; a past deadline is
  allowed (an agreement recorded late is simply overdue at once);
- an agreement that is finished or dropped carries the day it was (today or earlier, not before
  the consultation); reopening it clears that day.

Capacity (only ``CAPACITY_MANAGE``, the coordinator) is set for all roles on one form; every row
carries its own version, so two coordinators changing different roles do not collide.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weerbaar.audit.services import diff, record, save_if_changed, snapshot
from weerbaar.core.models import Membership, Organisation, User
from weerbaar.core.permissions import Action, Role
from weerbaar.core.services.common import check_version
from weerbaar.dashboards.models import (
    CAPACITY_ROLES,
    MAX_HOURS_PER_WEEK,
    AgreementStatus,
    CapacityAllocation,
    ConsultationAgreement,
    MayorConsultation,
)

#: Dates further from today than this are typing errors, not plans or history.
MAX_YEARS_BACK = 5
MAX_NEXT_DAYS = 2 * 366
MAX_PEOPLE = 10_000

CONSULTATION_FIELDS = ("held_on", "topics", "notes", "next_on")
AGREEMENT_FIELDS = ("description", "owner", "due_on", "status", "done_on", "note")
CAPACITY_FIELDS = ("hours_per_week", "people", "note")


def _require(member: Membership, action: str, message: str) -> None:
    if not member.can(action):
        raise PermissionDenied(message)


def _require_mayor(member: Membership) -> None:
    _require(member, Action.MAYOR_MANAGE, _("Alleen de gemeentesecretaris legt overleggen met de burgemeester vast."))


def _long(day: dt.date) -> str:
    return day.strftime("%d-%m-%Y")


# --- consultations -----------------------------------------------------------------------------------


def _check_consultation(held_on: dt.date, next_on: dt.date | None, topics: str) -> None:
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if not topics:
        errors["topics"] = _("Vul in wat er besproken is.")
    if held_on > today:
        errors["held_on"] = _(
            "Deze datum ligt in de toekomst. Leg een overleg vast nadat het is gehouden; een gepland overleg "
            "vult u in bij ‘volgend overleg’."
        )
    elif today.year - held_on.year > MAX_YEARS_BACK:
        errors["held_on"] = _("Kies een datum in de afgelopen vijf jaar.")
    if next_on is not None and "held_on" not in errors:
        if next_on <= held_on:
            errors["next_on"] = _("Het volgende overleg ligt na dit overleg. Kies een latere datum.")
        elif (next_on - held_on).days > MAX_NEXT_DAYS:
            errors["next_on"] = _("Kies een datum binnen twee jaar na dit overleg.")
    if errors:
        raise ValidationError(errors)


def _consultation_label(item: MayorConsultation) -> str:
    return _("Overleg met de burgemeester van %(date)s") % {"date": _long(item.held_on)}


@transaction.atomic
def consultation_create(
    *,
    actor: User | None,
    member: Membership,
    held_on: dt.date,
    topics: str,
    notes: str = "",
    next_on: dt.date | None = None,
) -> MayorConsultation:
    _require_mayor(member)
    topics, notes = (topics or "").strip(), (notes or "").strip()
    _check_consultation(held_on, next_on, topics)
    item = MayorConsultation(
        organisation=member.organisation,
        held_on=held_on,
        topics=topics,
        notes=notes,
        next_on=next_on,
        recorded_by=member,
    )
    item.full_clean(exclude=["organisation", "recorded_by"])
    item.save()
    record(
        action="dashboards.consultation.create",
        actor=actor,
        organisation=item.organisation,
        obj=item,
        object_label=_consultation_label(item),
        changes=diff({}, snapshot(item, CONSULTATION_FIELDS)),
    )
    return item


@transaction.atomic
def consultation_update(
    *,
    actor: User | None,
    member: Membership,
    consultation: MayorConsultation,
    version: int | None,
    held_on: dt.date,
    topics: str,
    notes: str = "",
    next_on: dt.date | None = None,
) -> MayorConsultation:
    _require_mayor(member)
    locked = MayorConsultation.objects.select_for_update().get(pk=consultation.pk)
    check_version(locked.version, version)
    before = snapshot(locked, CONSULTATION_FIELDS)
    topics, notes = (topics or "").strip(), (notes or "").strip()
    _check_consultation(held_on, next_on, topics)
    earliest_due = (
        ConsultationAgreement.objects.filter(consultation=locked, due_on__isnull=False)
        .order_by("due_on")
        .values_list("due_on", flat=True)
        .first()
    )
    if earliest_due is not None and earliest_due < held_on:
        raise ValidationError(
            {
                "held_on": _(
                    "Een afspraak uit dit overleg heeft als deadline %(date)s. Het overleg kan niet later liggen."
                )
                % {"date": _long(earliest_due)}
            }
        )
    locked.held_on, locked.topics, locked.notes, locked.next_on = held_on, topics, notes, next_on
    locked.full_clean(exclude=["organisation", "recorded_by"])
    changes = diff(before, snapshot(locked, CONSULTATION_FIELDS))
    label = _consultation_label(locked)
    save_if_changed(locked, changes, action="dashboards.consultation.update", actor=actor, object_label=label)
    return locked


# --- agreements --------------------------------------------------------------------------------------


def check_agreement_owner(owner: Membership | None, organisation: Organisation) -> None:
    if owner is None:
        return
    if owner.organisation_id != organisation.pk or not owner.is_active:
        raise ValidationError({"owner": _("Kies als eigenaar een actief lid van deze organisatie.")})
    if not owner.can(Action.WORK_OWN):
        raise ValidationError(
            {
                "owner": _("%(name)s heeft geen rol waarmee iemand eigenaar van een afspraak kan zijn.")
                % {"name": str(owner.user)}
            }
        )


def _check_agreement(
    consultation: MayorConsultation,
    *,
    description: str,
    due_on: dt.date | None,
    status: str,
    done_on: dt.date | None,
) -> dt.date | None:
    """Validate and return the ``done_on`` to store (today when a closed status has no day)."""
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if not description:
        errors["description"] = _("Beschrijf de afspraak.")
    if status not in AgreementStatus.values:
        errors["status"] = _("Kies een status uit de lijst.")
    if due_on is not None:
        if due_on < consultation.held_on:
            errors["due_on"] = _(
                "Deze deadline ligt vóór het overleg van %(date)s waarin de afspraak is gemaakt. Kies een latere datum."
            ) % {"date": _long(consultation.held_on)}
        elif (due_on - today).days > MAX_NEXT_DAYS:
            errors["due_on"] = _("Kies een deadline binnen twee jaar.")
    if status == AgreementStatus.OPEN:
        done_on = None
    elif status in AgreementStatus.values:
        done_on = done_on or today
        if done_on > today:
            errors["done_on"] = _("Deze datum ligt in de toekomst. Vul de dag in waarop het is afgehandeld.")
        elif done_on < consultation.held_on:
            errors["done_on"] = _("Deze datum ligt vóór het overleg van %(date)s. Kies een latere datum.") % {
                "date": _long(consultation.held_on)
            }
    if errors:
        raise ValidationError(errors)
    return done_on


def agreement_label(item: ConsultationAgreement) -> str:
    return item.description[:120]


@transaction.atomic
def agreement_add(
    *,
    actor: User | None,
    member: Membership,
    consultation: MayorConsultation,
    description: str,
    owner: Membership | None = None,
    due_on: dt.date | None = None,
    note: str = "",
) -> ConsultationAgreement:
    _require_mayor(member)
    description, note = (description or "").strip(), (note or "").strip()
    _check_agreement(consultation, description=description, due_on=due_on, status=AgreementStatus.OPEN, done_on=None)
    check_agreement_owner(owner, consultation.organisation)
    item = ConsultationAgreement(
        organisation=consultation.organisation,
        consultation=consultation,
        description=description,
        owner=owner,
        due_on=due_on,
        note=note,
    )
    item.full_clean(exclude=["organisation", "owner", "consultation"])
    item.save()
    record(
        action="dashboards.agreement.create",
        actor=actor,
        organisation=item.organisation,
        obj=item,
        object_label=agreement_label(item),
        changes=diff({}, snapshot(item, AGREEMENT_FIELDS)),
    )
    return item


def _save_agreement(
    locked: ConsultationAgreement, before: dict[str, Any], *, actor: User | None, action: str
) -> ConsultationAgreement:
    changes = diff(before, snapshot(locked, AGREEMENT_FIELDS))
    save_if_changed(locked, changes, action=action, actor=actor, object_label=agreement_label(locked))
    return locked


@transaction.atomic
def agreement_update(
    *,
    actor: User | None,
    member: Membership,
    agreement: ConsultationAgreement,
    version: int | None,
    description: str,
    owner: Membership | None,
    due_on: dt.date | None,
    status: str,
    done_on: dt.date | None = None,
    note: str = "",
) -> ConsultationAgreement:
    _require_mayor(member)
    locked = ConsultationAgreement.objects.select_for_update().select_related("consultation").get(pk=agreement.pk)
    check_version(locked.version, version)
    before = snapshot(locked, AGREEMENT_FIELDS)
    description, note = (description or "").strip(), (note or "").strip()
    done_on = _check_agreement(
        locked.consultation, description=description, due_on=due_on, status=status, done_on=done_on
    )
    if owner is not None and owner.pk != locked.owner_id:
        check_agreement_owner(owner, locked.organisation)
    locked.description, locked.owner, locked.due_on = description, owner, due_on
    locked.status, locked.done_on, locked.note = status, done_on, note
    locked.full_clean(exclude=["organisation", "owner", "consultation"])
    return _save_agreement(locked, before, actor=actor, action="dashboards.agreement.update")


@transaction.atomic
def agreement_set_status(
    *,
    actor: User | None,
    member: Membership,
    agreement: ConsultationAgreement,
    version: int | None,
    status: str,
    done_on: dt.date | None = None,
    note: str | None = None,
) -> ConsultationAgreement:
    """The short status form on the consultation page: afgerond / vervallen / weer open."""
    _require_mayor(member)
    locked = ConsultationAgreement.objects.select_for_update().select_related("consultation").get(pk=agreement.pk)
    check_version(locked.version, version)
    before = snapshot(locked, AGREEMENT_FIELDS)
    locked.done_on = _check_agreement(
        locked.consultation, description=locked.description, due_on=locked.due_on, status=status, done_on=done_on
    )
    locked.status = status
    if note is not None and note.strip():
        locked.note = note.strip()
    locked.full_clean(exclude=["organisation", "owner", "consultation"])
    return _save_agreement(locked, before, actor=actor, action="dashboards.agreement.status")


# --- capacity ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CapacityRow:
    """One role's line of the capacity form; ``version`` is None for a role not set before."""

    role: str
    hours_per_week: Decimal | None
    people: int | None = None
    note: str = ""
    version: int | None = None


def _role_label(role: str) -> str:
    return str(Role(role).label)


def _check_capacity_row(row: CapacityRow, *, exists: bool) -> None:
    prefix = f"{row.role}-"
    errors: dict[str, str] = {}
    if row.hours_per_week is None:
        if exists or row.people is not None or row.note.strip():
            errors[prefix + "hours_per_week"] = _("Vul het aantal uren per week in (0 mag) voor %(role)s.") % {
                "role": _role_label(row.role)
            }
    elif not Decimal("0") <= row.hours_per_week <= MAX_HOURS_PER_WEEK:
        errors[prefix + "hours_per_week"] = _("Vul een aantal uren per week in van 0 tot en met 400.")
    elif row.hours_per_week != row.hours_per_week.quantize(Decimal("0.1")):
        errors[prefix + "hours_per_week"] = _("Gebruik hoogstens één cijfer achter de komma, bijvoorbeeld 2,5.")
    if row.people is not None and not 0 <= row.people <= MAX_PEOPLE:
        errors[prefix + "people"] = _("Vul een aantal personen in van 0 tot en met 10.000.")
    if len(row.note) > 1000:
        errors[prefix + "note"] = _("De toelichting is te lang: hoogstens 1000 tekens.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def capacity_set(*, actor: User | None, member: Membership, rows: Sequence[CapacityRow]) -> list[CapacityAllocation]:
    """Save the capacity of every role on the form; a role left empty that was never set stays unset.

    Raises ``StaleVersion`` when any row changed since the form was opened (nothing is saved then).
    """
    _require(member, Action.CAPACITY_MANAGE, _("Alleen de coördinator legt de capaciteit per rol vast."))
    organisation = member.organisation
    roles = [row.role for row in rows]
    unknown = [role for role in roles if role not in CAPACITY_ROLES]
    if unknown or len(set(roles)) != len(roles):
        raise ValidationError(_("Het formulier is beschadigd. Laad de pagina opnieuw."))
    existing = {a.role: a for a in CapacityAllocation.objects.select_for_update().filter(role__in=roles)}
    errors: dict[str, list[str]] = {}
    for row in rows:
        current = existing.get(row.role)
        # A role another coordinator set after this form was opened is a conflict, like a changed row.
        check_version(current.version if current is not None else 0, row.version or 0)
        try:
            _check_capacity_row(row, exists=current is not None)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    saved: list[CapacityAllocation] = []
    for row in rows:
        current = existing.get(row.role)
        if row.hours_per_week is None:
            continue
        note = row.note.strip()
        if current is None:
            allocation = CapacityAllocation(
                organisation=organisation,
                role=row.role,
                hours_per_week=row.hours_per_week,
                people=row.people,
                note=note,
            )
            allocation.full_clean(exclude=["organisation"])
            allocation.save()
            record(
                action="dashboards.capacity.create",
                actor=actor,
                organisation=organisation,
                obj=allocation,
                object_label=_("Capaciteit %(role)s") % {"role": _role_label(row.role)},
                changes=diff({}, snapshot(allocation, CAPACITY_FIELDS)),
            )
            saved.append(allocation)
            continue
        before = snapshot(current, CAPACITY_FIELDS)
        current.hours_per_week, current.people, current.note = row.hours_per_week, row.people, note
        changes = diff(before, snapshot(current, CAPACITY_FIELDS))
        if changes:
            current.full_clean(exclude=["organisation"])
            current.version += 1
            current.save()
            record(
                action="dashboards.capacity.update",
                actor=actor,
                organisation=organisation,
                obj=current,
                object_label=_("Capaciteit %(role)s") % {"role": _role_label(row.role)},
                changes=changes,
            )
        saved.append(current)
    return saved
