from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from weerbaar.core.forms import MAX_VERSION, UnitChoiceField, VersionedForm
from weerbaar.core.selectors import UnitNode
from weerbaar.register.models import MAX_RENEWAL_YEARS, RiskArea, ScreeningLevel, Severity
from weerbaar.register.selectors import ARCHIVE_CHOICES, SORTS, ScreeningStatus


class PositionForm(forms.Form):
    name = forms.CharField(label=_("Naam van de functie"), max_length=200)
    unit = UnitChoiceField(label=_("Afdeling of team"), required=False, empty_label=_("Geen afdeling"))
    fte = forms.DecimalField(
        label=_("Aantal fte"),
        min_value=Decimal("0"),
        max_value=Decimal("999"),
        max_digits=4,
        decimal_places=1,
        initial=Decimal("1.0"),
        help_text=_("Hoeveel formatie deze functie in totaal heeft, met hooguit één decimaal, bijvoorbeeld 2,5."),
        localize=True,
    )
    screening_level = forms.ChoiceField(
        label=_("Vereiste screening"),
        choices=ScreeningLevel.choices,
        widget=forms.RadioSelect,
        initial=ScreeningLevel.NONE,
    )
    risk_areas = forms.MultipleChoiceField(
        label=_("Risicogebieden (alleen bij VOG NP)"),
        choices=RiskArea.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("De risicogebieden uit het algemene screeningsprofiel van Justis die bij deze functie horen."),
    )
    renewal_years = forms.IntegerField(
        label=_("Screening herhalen na (jaren)"),
        required=False,
        min_value=1,
        max_value=MAX_RENEWAL_YEARS,
        help_text=_("Uw eigen beleid, 1 tot en met 10 jaar. Laat leeg als er geen screening nodig is."),
    )
    last_screening_on = forms.DateField(
        label=_("Datum van de laatste screeningsronde"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        help_text=_("Laat leeg als er nog nooit gescreend is: dan is de screening nu nodig."),
    )

    def __init__(self, *args: Any, unit_options: Iterable[UnitNode], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, UnitChoiceField)
        unit_field.set_nodes(unit_options)


class PositionEditForm(PositionForm, VersionedForm):
    pass


class PositionFilterForm(forms.Form):
    q = forms.CharField(label=_("Zoek op functie of afdeling"), required=False, max_length=200)
    afdeling = UnitChoiceField(label=_("Afdeling of team"), required=False, empty_label=_("Alle afdelingen"))
    screening = forms.ChoiceField(
        label=_("Vereiste screening"),
        required=False,
        choices=[("", _("Alle niveaus")), *ScreeningLevel.choices],
    )
    status = forms.ChoiceField(
        label=_("Stand van de screening"),
        required=False,
        choices=[("", _("Alle")), *ScreeningStatus.choices],
    )
    archief = forms.ChoiceField(
        label=_("Actief of gearchiveerd"), required=False, choices=list(ARCHIVE_CHOICES.items())
    )
    sorteer = forms.ChoiceField(label=_("Sorteer op"), required=False, choices=list(SORTS.items()))

    def __init__(self, *args: Any, unit_options: Iterable[UnitNode], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["afdeling"]
        assert isinstance(unit_field, UnitChoiceField)
        unit_field.set_nodes(unit_options)


class ContextItemForm(forms.Form):
    """One external circumstance on the context page; each has its own form and save button."""

    version = forms.CharField(widget=forms.HiddenInput, required=False, max_length=12)
    applies = forms.BooleanField(label=_("Van toepassing op onze gemeente"), required=False)
    severity = forms.ChoiceField(
        label=_("Ernst"),
        required=False,
        choices=[("", _("Kies de ernst")), *Severity.choices],
        help_text=_("Verplicht als de omstandigheid van toepassing is."),
    )
    note = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Optioneel: waar precies, en wat u ervan merkt."),
    )

    def clean_version(self) -> int:
        # 0: there was no item yet when the page was opened.
        raw = (self.cleaned_data.get("version") or "").strip()
        try:
            value = int(raw)
        except ValueError:
            value = -1
        if not 0 <= value <= MAX_VERSION:
            raise ValidationError(_("Het formulier is beschadigd. Laad de pagina opnieuw."), code="version")
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "version" in self.errors:
            for message in self.errors.pop("version"):
                self.add_error(None, message)
        if cleaned.get("applies") and not cleaned.get("severity"):
            self.add_error("severity", _("Kies hoe ernstig deze omstandigheid voor uw gemeente is."))
        return cleaned

    def show_conflict(self, error: ValidationError, current_version: int) -> None:
        self.add_error(None, error)
        data = self.data.copy()  # type: ignore[attr-defined]
        data[self.add_prefix("version")] = str(current_version)
        self.data = data
