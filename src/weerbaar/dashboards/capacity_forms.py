"""The capacity form: every role on one form, each row with its own version."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from weerbaar.core.forms import MAX_VERSION
from weerbaar.dashboards.models import MAX_HOURS_PER_WEEK
from weerbaar.dashboards.selectors.capacity import RoleCapacity
from weerbaar.dashboards.services import CapacityRow


def _key(role: str, name: str) -> str:
    return f"{role}-{name}"


class CapacityForm(forms.Form):
    """Fields ``<role>-hours_per_week``, ``<role>-people``, ``<role>-note`` and ``<role>-version``.

    The service names its errors the same way, so ``apply_service_error`` puts them on the right field.
    """

    def __init__(self, *args: Any, rows: list[RoleCapacity], **kwargs: Any) -> None:
        if not args or args[0] is None:
            kwargs.setdefault("initial", self.initial_for(rows))
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            label = row.role_label
            self.fields[_key(row.role, "hours_per_week")] = forms.DecimalField(
                label=_("Uren per week voor %(role)s") % {"role": label},
                required=False,
                min_value=Decimal("0"),
                max_value=MAX_HOURS_PER_WEEK,
                max_digits=4,
                decimal_places=1,
                localize=True,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}),
                error_messages={
                    "invalid": _("Vul een aantal uren in, bijvoorbeeld 2,5."),
                    "min_value": _("Vul een aantal uren per week in van 0 tot en met 400."),
                    "max_value": _("Vul een aantal uren per week in van 0 tot en met 400."),
                    "max_digits": _("Vul een aantal uren per week in van 0 tot en met 400."),
                    "max_whole_digits": _("Vul een aantal uren per week in van 0 tot en met 400."),
                    "max_decimal_places": _("Gebruik hoogstens één cijfer achter de komma, bijvoorbeeld 2,5."),
                },
            )
            self.fields[_key(row.role, "people")] = forms.IntegerField(
                label=_("Aantal personen met de rol %(role)s") % {"role": label},
                required=False,
                min_value=0,
                max_value=10_000,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 5}),
                error_messages={
                    "invalid": _("Vul een aantal personen in, bijvoorbeeld 12."),
                    "min_value": _("Vul een aantal personen in van 0 tot en met 10.000."),
                    "max_value": _("Vul een aantal personen in van 0 tot en met 10.000."),
                },
            )
            self.fields[_key(row.role, "note")] = forms.CharField(
                label=_("Toelichting bij %(role)s") % {"role": label}, required=False, max_length=1000
            )
            self.fields[_key(row.role, "version")] = forms.CharField(
                widget=forms.HiddenInput, required=False, max_length=12
            )

    @staticmethod
    def initial_for(rows: list[RoleCapacity]) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for row in rows:
            allocation = row.allocation
            initial[_key(row.role, "version")] = str(allocation.version) if allocation else "0"
            if allocation is not None:
                initial[_key(row.role, "hours_per_week")] = allocation.hours_per_week
                initial[_key(row.role, "people")] = allocation.people
                initial[_key(row.role, "note")] = allocation.note
        return initial

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for row in self.rows:
            key = _key(row.role, "version")
            raw = (cleaned.get(key) or "").strip()
            try:
                value = int(raw)
            except ValueError:
                value = -1
            if not 0 <= value <= MAX_VERSION:
                self.add_error(None, _("Het formulier is beschadigd. Laad de pagina opnieuw."))
                break
            cleaned[key] = value
        return cleaned

    def bound_rows(self) -> list[tuple[RoleCapacity, list[forms.BoundField]]]:
        """Per role its three visible fields (hours, people, note), for the table."""
        return [
            (row, [self[_key(row.role, name)] for name in ("hours_per_week", "people", "note")]) for row in self.rows
        ]

    def hidden_versions(self) -> list[forms.BoundField]:
        return [self[_key(row.role, "version")] for row in self.rows]

    def capacity_rows(self) -> list[CapacityRow]:
        data = self.cleaned_data
        return [
            CapacityRow(
                role=row.role,
                hours_per_week=data.get(_key(row.role, "hours_per_week")),
                people=data.get(_key(row.role, "people")),
                note=data.get(_key(row.role, "note")) or "",
                version=data.get(_key(row.role, "version")),
            )
            for row in self.rows
        ]

    def show_conflict(self, error: ValidationError, rows: list[RoleCapacity]) -> None:
        """Keep what the user typed, explain, and take the current versions so the next save is deliberate."""
        self.add_error(None, error)
        data = self.data.copy()  # type: ignore[attr-defined]
        for row in rows:
            data[self.add_prefix(_key(row.role, "version"))] = str(row.allocation.version if row.allocation else 0)
        self.data = data
