"""Forms of keeping attention alive. They only parse input; the services decide and explain."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weerbaar.attention.models import ActivityKind, CommunicationChannel
from weerbaar.attention.selectors.due import RowKind
from weerbaar.core.forms import VersionedForm
from weerbaar.core.models import Membership, Unit
from weerbaar.core.selectors import UnitNode
from weerbaar.plan.models import MeasureStatus
from weerbaar.register.forms import ObjectChoiceField, ObjectMultipleChoiceField, member_label
from weerbaar.register.models import Position

REACH_ALL = "alle"
REACH_CHOSEN = "selectie"


def date_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        error_messages={
            "invalid": _("Vul een geldige datum in, bijvoorbeeld 31-12-2026."),
            "required": _("Vul een datum in."),
        },
    )


def position_label(position: Position) -> str:
    level = position.get_screening_level_display()
    unit = f", {position.unit.name}" if position.unit is not None else ""
    return f"{position.name} ({level}{unit})"


class OwnerMixin(forms.Form):
    owner = ObjectChoiceField(
        label=_("Eigenaar"),
        required=False,
        empty_label=_("Nog geen eigenaar"),
        help_text=_("Wie zorgt dat het gebeurt. Alleen collega’s met een rol waarmee zij eigenaar kunnen zijn."),
    )

    def set_owners(self, owners: Iterable[Membership]) -> None:
        field = self.fields["owner"]
        assert isinstance(field, ObjectChoiceField)
        field.set_objects((member, member_label(member)) for member in owners)


class TargetsMixin(forms.Form):
    """Units and vulnerable positions, as checkboxes; subclasses name the two fields."""

    unit_field = "target_units"
    position_field = "target_positions"

    def set_targets(self, *, units: Iterable[UnitNode], positions: Iterable[Position]) -> None:
        unit_field = self.fields[self.unit_field]
        position_field = self.fields[self.position_field]
        assert isinstance(unit_field, ObjectMultipleChoiceField) and isinstance(
            position_field, ObjectMultipleChoiceField
        )
        unit_field.set_objects((node.unit, node.path) for node in units)
        position_field.set_objects((position, position_label(position)) for position in positions)


def _units_field(label: Any, help_text: Any) -> ObjectMultipleChoiceField:
    return ObjectMultipleChoiceField(
        label=label, required=False, widget=forms.CheckboxSelectMultiple, help_text=help_text
    )


class ActivityForm(OwnerMixin, TargetsMixin):
    kind = forms.ChoiceField(label=_("Soort activiteit"), choices=[("", _("Kies een soort")), *ActivityKind.choices])
    name = forms.CharField(label=_("Naam"), max_length=200)
    description = forms.CharField(
        label=_("Omschrijving"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optioneel: wat er gebeurt en wat het oplevert."),
    )
    cadence_months = forms.IntegerField(
        label=_("Herhalen elke (maanden)"),
        min_value=1,
        max_value=60,
        initial=12,
        help_text=_("Bijvoorbeeld 12 voor een jaarlijks normgesprek, 3 voor een actie per kwartaal."),
        error_messages={"invalid": _("Vul een aantal maanden in, van 1 tot en met 60.")},
    )
    starts_on = date_field(
        _("Voor het eerst op"), help_text=_("Wanneer de activiteit voor het eerst moet plaatsvinden. Vanaf vandaag.")
    )
    target_units = _units_field(
        _("Voor welke afdelingen en teams"),
        _("Optioneel. Het overzicht toont dan welke afdelingen de activiteit in de laatste periode nog niet bereikte."),
    )
    target_positions = _units_field(
        _("Voor welke kwetsbare functies"),
        _("Optioneel. Kwetsbare functies zijn functies uit het register waarvoor screening nodig is."),
    )


class ActivityEditForm(ActivityForm, VersionedForm):
    pass


class ActivityLogForm(TargetsMixin):
    unit_field = "units"
    position_field = "positions"

    done_on = date_field(_("Uitgevoerd op"), help_text=_("Vandaag of eerder."))
    participants = forms.IntegerField(
        label=_("Aantal deelnemers"),
        required=False,
        min_value=0,
        max_value=100_000,
        error_messages={"invalid": _("Vul een aantal in, bijvoorbeeld 25.")},
    )
    note = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optioneel: wat er besproken is, wat opviel, wat de volgende keer anders moet."),
    )
    units = _units_field(_("Bereikte afdelingen en teams"), "")
    positions = _units_field(_("Bereikte kwetsbare functies"), "")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"done_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class CommunicationItemForm(OwnerMixin):
    planned_on = date_field(_("Gepland op"))
    subject = forms.CharField(label=_("Onderwerp"), max_length=200)
    audience = forms.CharField(
        label=_("Doelgroep"), max_length=200, help_text=_("Bijvoorbeeld: alle medewerkers, leidinggevenden, de raad.")
    )
    channel = forms.ChoiceField(label=_("Kanaal"), choices=[("", _("Kies een kanaal")), *CommunicationChannel.choices])
    done_on = date_field(
        _("Gedaan op"), required=False, help_text=_("Laat leeg zolang het nog niet is gebeurd. Niet in de toekomst.")
    )
    note = forms.CharField(
        label=_("Toelichting"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class CommunicationItemEditForm(CommunicationItemForm, VersionedForm):
    pass


class StartMeasureForm(OwnerMixin):
    """Start an organisation-wide measure of the checklist, or record why the organisation does not take it."""

    status = forms.ChoiceField(
        label=_("Wat gebeurt er met deze maatregel?"),
        choices=[
            (MeasureStatus.PLANNED, _("Gepland: we gaan hem invoeren")),
            (MeasureStatus.IN_PROGRESS, _("In uitvoering: we zijn al bezig")),
            (MeasureStatus.REJECTED, _("Afgewezen: we nemen deze maatregel niet (met reden)")),
        ],
        widget=forms.RadioSelect,
        initial=MeasureStatus.PLANNED,
    )
    due_date = date_field(_("Gereed op"), required=False, help_text=_("Optioneel. Vanaf vandaag."))
    reach = forms.ChoiceField(
        label=_("Voor welke organisatieonderdelen?"),
        choices=[
            (REACH_ALL, _("Over alle organisatieonderdelen")),
            (REACH_CHOSEN, _("Voor de afdelingen en teams die ik hieronder kies")),
        ],
        widget=forms.RadioSelect,
        initial=REACH_ALL,
    )
    units = _units_field(_("Afdelingen en teams"), _("Alleen bij ‘Voor de afdelingen en teams die ik hieronder kies’."))
    note = forms.CharField(
        label=_("Toelichting"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    rejection_reason = forms.CharField(
        label=_("Reden van afwijzen"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Alleen bij ‘Afgewezen’: waarom neemt de organisatie deze maatregel niet?"),
    )

    def set_units(self, units: Iterable[UnitNode]) -> None:
        field = self.fields["units"]
        assert isinstance(field, ObjectMultipleChoiceField)
        field.set_objects((node.unit, node.path) for node in units)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        wants_units = cleaned.get("reach") == REACH_CHOSEN and cleaned.get("status") != MeasureStatus.REJECTED
        if wants_units and not cleaned.get("units") and "units" not in self.errors:
            self.add_error(
                "units", _("Kies ten minste één afdeling of team, of kies ‘Over alle organisatieonderdelen’.")
            )
        return cleaned

    def chosen_units(self) -> list[Unit]:
        return list(self.cleaned_data.get("units") or []) if self.cleaned_data.get("reach") == REACH_CHOSEN else []


class DueFilterForm(forms.Form):
    soort = forms.ChoiceField(label=_("Soort"), required=False, choices=[("", _("Alles")), *RowKind.choices])
    eigenaar = ObjectChoiceField(label=_("Eigenaar"), required=False, empty_label=_("Iedereen"))
    alleen_te_laat = forms.BooleanField(label=_("Alleen wat te laat is"), required=False)

    def set_owners(self, owners: Iterable[Membership]) -> None:
        field = self.fields["eigenaar"]
        assert isinstance(field, ObjectChoiceField)
        field.set_objects((member, member_label(member)) for member in owners)

    def described(self) -> list[str]:
        """The active filters in words (the export's preamble and the audit trail)."""
        if not self.is_valid():
            return []
        data = self.cleaned_data
        parts = []
        if data.get("soort"):
            parts.append(str(dict(RowKind.choices)[data["soort"]]))
        if data.get("eigenaar") is not None:
            parts.append(str(_("eigenaar: %(name)s")) % {"name": member_label(data["eigenaar"])})
        if data.get("alleen_te_laat"):
            parts.append(str(_("alleen te laat")))
        return parts
