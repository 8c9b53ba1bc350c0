"""Forms of the action plan page: its filters (a GET form, shared with the export) and "Maatregel toevoegen"."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from weerbaar.catalogue.models import Measure, MeasureScope
from weerbaar.core.forms import PlainSelect, UnitChoiceField
from weerbaar.core.models import Membership
from weerbaar.core.selectors import UnitNode
from weerbaar.plan.models import MeasureStatus
from weerbaar.plan.selectors.plan_list import NO_OWNER, Attention, PlanFilter, Scope
from weerbaar.register.forms import ObjectChoiceField, member_label
from weerbaar.register.models import Process

DATE_ERROR = _("Vul een geldige datum in, bijvoorbeeld 31-12-2026.")


class PlanFilterForm(forms.Form):
    zoek = forms.CharField(
        label=_("Zoek op proces of maatregel"),
        required=False,
        max_length=200,
        help_text=_("Een deel van de naam van een proces of maatregel, of de code van een proces (P-012)."),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Alle behalve afgewezen")), *MeasureStatus.choices],
        widget=PlainSelect,
    )
    eigenaar = ObjectChoiceField(label=_("Eigenaar"), required=False, empty_label=_("Alle eigenaren"))
    afdeling = UnitChoiceField(
        label=_("Afdeling of team"),
        required=False,
        empty_label=_("Alle afdelingen"),
        widget=PlainSelect,
        help_text=_(
            "Maatregelen voor de processen van deze afdeling, en organisatiebrede maatregelen die haar bereiken."
        ),
    )
    reikwijdte = forms.ChoiceField(
        label=_("Voor"),
        required=False,
        choices=[
            (Scope.ALL, _("Processen en de hele organisatie")),
            (Scope.PROCESS, _("Alleen maatregelen per proces")),
            (Scope.ORGANISATION, _("Alleen maatregelen voor de hele organisatie")),
        ],
        widget=PlainSelect,
    )
    aandacht = forms.ChoiceField(
        label=_("Aandacht nodig"),
        required=False,
        choices=[
            (Attention.ALL, _("Alles tonen")),
            (Attention.OVERDUE, _("Alleen te laat")),
            (Attention.DUE_SOON, _("Alleen binnen 30 dagen gereed")),
            (Attention.NOT_ALIVE, _("Alleen niet meer levend (herziening te laat)")),
        ],
        widget=PlainSelect,
    )

    def __init__(
        self, *args: Any, owners: Iterable[Membership], unit_options: Iterable[UnitNode], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        owner_field = self.fields["eigenaar"]
        assert isinstance(owner_field, ObjectChoiceField)
        owner_field.set_objects(
            ((each, member_label(each)) for each in owners), extra=[(NO_OWNER, str(_("Zonder eigenaar")))]
        )
        unit_field = self.fields["afdeling"]
        assert isinstance(unit_field, UnitChoiceField)
        unit_field.set_nodes(unit_options)

    def plan_filter(self) -> PlanFilter:
        """The filter to apply; a form with junk in it filters nothing (and says so per field)."""
        if not self.is_valid():
            return PlanFilter()
        values = self.cleaned_data
        return PlanFilter(
            status=values["status"],
            owner=values["eigenaar"],
            unit=values["afdeling"],
            query=values["zoek"].strip(),
            scope=values["reikwijdte"],
            attention=values["aandacht"],
        )

    def described(self) -> list[str]:
        """The active filters in words (the export's header and its audit record)."""
        if not self.is_valid():
            return []
        labels = []
        for name, field in self.fields.items():
            value = self.cleaned_data.get(name)
            if value in (None, ""):
                continue
            if isinstance(field, forms.ChoiceField):
                shown = dict(field.choices).get(self.data.get(name), value)  # type: ignore[arg-type]
            else:
                shown = value
            labels.append(f"{field.label}: {shown}")
        return labels


class MeasureChoiceField(forms.ChoiceField):
    """A catalogue measure, grouped by scope: a process measure needs a process, an organisation-wide one none."""

    def set_measures(self, measures: Sequence[Measure]) -> None:
        self.measures = {str(measure.uuid): measure for measure in measures}
        groups: list[tuple[Any, list[tuple[str, str]]]] = []
        for scope, label in MeasureScope.choices:
            options = [(str(each.uuid), each.name) for each in measures if each.scope == scope]
            if options:
                groups.append((label, options))
        self.choices = [("", str(_("Kies een maatregel"))), *groups]

    def clean(self, value: Any) -> Measure | None:  # type: ignore[override]
        key = super().clean(value)
        return self.measures.get(key) if key else None


class PlannedMeasureAddForm(forms.Form):
    """Field names follow the service's, so its errors land on the right field."""

    measure = MeasureChoiceField(
        label=_("Maatregel"),
        help_text=_("Uit de catalogus van uw organisatie. Een maatregel per proces vraagt om een proces."),
        error_messages={"required": _("Kies een maatregel.")},
    )
    process = ObjectChoiceField(
        label=_("Proces"),
        required=False,
        empty_label=_("Geen: de maatregel geldt voor de hele organisatie"),
    )
    owner = ObjectChoiceField(
        label=_("Eigenaar"),
        required=False,
        empty_label=_("Nog niemand"),
        help_text=_("Wie de maatregel uitvoert en bijhoudt. Hij of zij ziet hem onder ‘Mijn maatregelen’."),
    )
    due_date = forms.DateField(
        label=_("Gereed op"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        error_messages={"invalid": DATE_ERROR},
        help_text=_("Vanaf vandaag, binnen vijf jaar."),
    )
    note = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Optioneel: wat moet er gebeuren, en waarom nu?"),
    )

    def __init__(
        self,
        *args: Any,
        measures: Sequence[Measure],
        processes: Iterable[Process],
        owners: Iterable[Membership],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        measure_field = self.fields["measure"]
        assert isinstance(measure_field, MeasureChoiceField)
        measure_field.set_measures(measures)
        process_field = self.fields["process"]
        assert isinstance(process_field, ObjectChoiceField)
        process_field.set_objects((each, f"{each.name} ({each.code})") for each in processes)
        owner_field = self.fields["owner"]
        assert isinstance(owner_field, ObjectChoiceField)
        owner_field.set_objects((each, member_label(each)) for each in owners)
