"""Forms of the proposals page and the plan-line page. They only parse input; the plan services decide."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weerbaar.core.forms import PlainSelect, VersionedForm
from weerbaar.core.models import Membership, Unit
from weerbaar.plan.models import MAX_ESTIMATED_HOURS, Effectiveness, MeasureStatus, PlannedMeasure, add_months
from weerbaar.plan.uploads import ALLOWED_LABEL, ALLOWED_TYPES

MAX_NOTE = 4000
MAX_REASON = 2000
#: A proposal taken into the plan is due in three months unless the coordinator says otherwise.
DEFAULT_DUE_MONTHS = 3
NO_OWNER = ""


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


def owner_label(member: Membership) -> str:
    user = member.user
    name = user.full_name or user.email
    roles = ", ".join(member.role_labels())
    return f"{name} ({roles})" if roles else name


def default_due_date(today: dt.date | None = None) -> dt.date:
    return add_months(today or timezone.localdate(), DEFAULT_DUE_MONTHS)


class OwnerField(forms.ChoiceField):
    """Members who may own a measure, by public UUID; the value cleans to the Membership (or None)."""

    widget = PlainSelect

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.members: dict[str, Membership] = {}
        self.error_messages["invalid_choice"] = _(
            "Deze persoon kan geen eigenaar zijn van een maatregel in deze organisatie. Kies iemand uit de lijst."
        )

    def set_members(self, members: Iterable[Membership], *, empty_label: Any = None) -> None:
        self.members = {str(member.uuid): member for member in members}
        choices: list[tuple[str, Any]] = [(NO_OWNER, empty_label)] if empty_label is not None else []
        choices.extend((key, owner_label(member)) for key, member in self.members.items())
        self.choices = choices

    def clean(self, value: Any) -> Membership | None:  # type: ignore[override]
        key = super().clean(value)
        return self.members.get(key) if key else None


class AdoptForm(forms.Form):
    """Take a proposal into the plan: who owns it, when it must be done, and why."""

    owner = OwnerField(
        label=_("Eigenaar"),
        help_text=_("Wie zorgt dat de maatregel er komt en blijft werken. Standaard de proceseigenaar."),
        error_messages={"required": _("Kies een eigenaar.")},
    )
    due_date = date_field(_("Gereed op"), help_text=_("Standaard over drie maanden."))
    note = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optioneel: wat er precies moet gebeuren, of afspraken met de eigenaar."),
    )

    def __init__(self, *args: Any, owners: Sequence[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["owner"]
        assert isinstance(field, OwnerField)
        field.set_members(owners, empty_label=_("Kies een eigenaar"))


class DeclineForm(forms.Form):
    """Record why a proposal is not taken: the reason stays next to the measure."""

    reason = forms.CharField(
        label=_("Waarom neemt u deze maatregel niet?"),
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bijvoorbeeld: te duur voor het effect, of het risico is al op een andere manier afgedekt."),
        error_messages={"required": _("Schrijf op waarom deze maatregel niet wordt genomen.")},
    )


class StatusForm(VersionedForm):
    status = forms.ChoiceField(
        label=_("Nieuwe status"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies een nieuwe status."),
            "invalid_choice": _("Deze stap kunt u niet zetten. Kies een status uit de lijst."),
        },
    )
    implemented_on = date_field(
        _("Geïmplementeerd op"),
        required=False,
        help_text=_("Alleen bij ‘geïmplementeerd’: de dag waarop de maatregel ging werken. Leeg is vandaag."),
    )
    reason = forms.CharField(
        label=_("Reden"),
        required=False,
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Verplicht bij ‘afgewezen’: waarom de maatregel niet (meer) wordt genomen."),
    )

    def __init__(self, *args: Any, statuses: Iterable[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(MeasureStatus.choices)
        self.fields["status"].choices = [(value, labels[value]) for value in statuses]  # type: ignore[attr-defined]
        if MeasureStatus.REJECTED not in statuses:
            del self.fields["reason"]
        if MeasureStatus.IMPLEMENTED not in statuses:
            del self.fields["implemented_on"]


class ReviewForm(VersionedForm):
    reviewed_on = date_field(_("Herzien op"))
    effectiveness = forms.ChoiceField(
        label=_("Werkt de maatregel in de praktijk?"),
        choices=Effectiveness.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies of de maatregel effectief, deels of niet effectief is."),
            "invalid_choice": _("Kies of de maatregel effectief, deels of niet effectief is."),
        },
    )
    note = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wat heeft u bekeken, en wat viel op?"),
    )


class EvidenceForm(forms.Form):
    note = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Bijvoorbeeld: waar het besluit staat, wie de training volgden. Een toelichting of een bestand is nodig."
        ),
    )
    file = forms.FileField(
        label=_("Bestand (optioneel)"),
        required=False,
        help_text=_("Hooguit 10 MB. Toegestaan: %(types)s.") % {"types": ALLOWED_LABEL},
        widget=forms.FileInput(attrs={"accept": ",".join(f".{ext}" for ext in ALLOWED_TYPES)}),
        error_messages={
            "invalid": _("Het bestand kon niet worden gelezen. Probeer het opnieuw."),
            "empty": _("Het bestand is leeg."),
            "max_length": _("De bestandsnaam is te lang."),
        },
    )


class PlanEditForm(VersionedForm):
    """The coordinator's edit: owner, due date, note, cadence and (organisation-wide) reach."""

    owner = OwnerField(label=_("Eigenaar"), required=False)
    due_date = date_field(_("Gereed op"), required=False)
    estimated_hours = forms.IntegerField(
        label=_("Geschatte uren"),
        required=False,
        min_value=1,
        max_value=MAX_ESTIMATED_HOURS,
        help_text=_(
            "Optioneel: hoeveel uur werk het invoeren nog kost, alle betrokkenen samen. De pagina Capaciteit "
            "zet de schattingen af tegen de tijd die de organisatie beschikbaar stelt."
        ),
        error_messages={
            "invalid": _("Vul een heel aantal uren in, bijvoorbeeld 40."),
            "min_value": _("Vul een schatting in van 1 tot en met 10.000 uur, of laat het veld leeg."),
            "max_value": _("Vul een schatting in van 1 tot en met 10.000 uur, of laat het veld leeg."),
        },
    )
    note = forms.CharField(
        label=_("Toelichting"), required=False, max_length=MAX_NOTE, widget=forms.Textarea(attrs={"rows": 3})
    )
    review_cadence_months = forms.IntegerField(
        label=_("Herzien elke (maanden)"),
        min_value=1,
        max_value=60,
        help_text=_("Hoe vaak de eigenaar kijkt of de maatregel nog werkt. Daarna verwatert het effect."),
        error_messages={
            "required": _("Vul een termijn in maanden in."),
            "invalid": _("Vul een heel aantal maanden in."),
            "min_value": _("Kies een herzieningstermijn van 1 tot en met 60 maanden."),
            "max_value": _("Kies een herzieningstermijn van 1 tot en met 60 maanden."),
        },
    )
    reaches_all_units = forms.BooleanField(label=_("Geldt voor alle organisatieonderdelen"), required=False)
    units = forms.MultipleChoiceField(
        label=_("Of alleen voor deze afdelingen en teams"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Kies afdelingen en teams van deze organisatie.")},
    )

    def __init__(
        self,
        *args: Any,
        owners: Sequence[Membership],
        units: Sequence[tuple[Unit, str]] = (),
        organisation_wide: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        owner_field = self.fields["owner"]
        assert isinstance(owner_field, OwnerField)
        owner_field.set_members(owners, empty_label=_("Nog niemand"))
        self.unit_options = {str(unit.uuid): unit for unit, _label in units}
        if organisation_wide:
            self.fields["units"].choices = [(str(unit.uuid), label) for unit, label in units]  # type: ignore[attr-defined]
        else:
            del self.fields["reaches_all_units"]
            del self.fields["units"]

    def chosen_units(self) -> list[Unit]:
        return [self.unit_options[key] for key in self.cleaned_data.get("units", []) if key in self.unit_options]

    @staticmethod
    def initial_for(planned: PlannedMeasure, unit_keys: Iterable[str]) -> dict[str, Any]:
        return {
            "owner": str(planned.owner.uuid) if planned.owner_id and planned.owner else NO_OWNER,
            "due_date": planned.due_date,
            "estimated_hours": planned.estimated_hours,
            "note": planned.note,
            "review_cadence_months": planned.review_cadence_months,
            "reaches_all_units": planned.reaches_all_units,
            "units": list(unit_keys),
            "version": planned.version,
        }
