from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from weerbaar.core.forms import MAX_VERSION, PlainSelect, UnitChoiceField, VersionedForm
from weerbaar.core.selectors import UnitNode
from weerbaar.register.models import MAX_RENEWAL_YEARS, MAX_YEARLY_VOLUME, Executor, RiskArea, ScreeningLevel, Severity
from weerbaar.register.selectors import (
    ARCHIVE_CHOICES,
    NO_OWNER,
    PROCESS_ARCHIVE_CHOICES,
    PROCESS_SORTS,
    SORTS,
    ScreeningStatus,
)


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


# --- processes ------------------------------------------------------------------------------------


def public_key(obj: Any) -> str:
    """How forms name an object: its UUID, or the stable key of a national catalogue row without one."""
    return str(obj.uuid) if hasattr(obj, "uuid") else str(obj.key)


class ObjectChoiceField(forms.ChoiceField):
    """A choice among given objects, keyed by their public id; cleans to the object itself."""

    widget = PlainSelect

    def __init__(self, *, empty_label: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.empty_label = empty_label
        self.objects: dict[str, Any] = {}

    def set_objects(self, objects: Iterable[tuple[Any, str]], *, extra: Iterable[tuple[str, str]] = ()) -> None:
        choices: list[tuple[str, str]] = [("", str(self.empty_label))] if self.empty_label is not None else []
        choices.extend(extra)
        for obj, label in objects:
            key = public_key(obj)
            choices.append((key, label))
            self.objects[key] = obj
        self.choices = choices

    def clean(self, value: Any) -> Any:
        key = super().clean(value)
        return self.objects.get(key, key) if key else None


class ObjectMultipleChoiceField(forms.MultipleChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.objects: dict[str, Any] = {}

    def set_objects(self, objects: Iterable[tuple[Any, str]]) -> None:
        choices = []
        for obj, label in objects:
            key = public_key(obj)
            choices.append((key, label))
            self.objects[key] = obj
        self.choices = choices

    def clean(self, value: Any) -> list[Any]:  # type: ignore[override]
        return [self.objects[key] for key in super().clean(value)]


def member_label(membership: Any) -> str:
    user = membership.user
    label = f"{user.full_name} ({user.email})" if user.full_name else user.email
    return label if membership.is_active else f"{label} – {_('niet meer actief')}"


class ProcessForm(forms.Form):
    name = forms.CharField(label=_("Naam van het proces"), max_length=200)
    description = forms.CharField(
        label=_("Omschrijving"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kort: wat gebeurt er in dit proces en voor wie?"),
    )
    category = ObjectChoiceField(label=_("Categorie"), empty_label=_("Kies een categorie"))
    unit = UnitChoiceField(label=_("Afdeling of team"), required=False, empty_label=_("Geen afdeling"))
    owner = ObjectChoiceField(
        label=_("Proceseigenaar"),
        required=False,
        empty_label=_("Nog geen eigenaar"),
        help_text=_("Wie is verantwoordelijk voor dit proces en beoordeelt het in een scan?"),
    )
    reference_process = ObjectChoiceField(
        label=_("Referentieproces uit de catalogus"),
        required=False,
        empty_label=_("Geen referentieproces"),
        help_text=_("Koppel het proces aan het landelijke voorbeeld; de catalogus geeft dan hints bij de scan."),
    )
    positions = ObjectMultipleChoiceField(
        label=_("Betrokken functies"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Welke functies werken in dit proces?"),
    )
    circumstances = ObjectMultipleChoiceField(
        label=_("Interne omstandigheden"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Wat maakt dit proces binnen uw organisatie extra kwetsbaar?"),
    )
    yearly_volume = forms.IntegerField(
        label=_("Aantal per jaar"),
        required=False,
        min_value=0,
        max_value=MAX_YEARLY_VOLUME,
        help_text=_("Ongeveer hoe vaak dit proces per jaar doorlopen wordt, bijvoorbeeld het aantal aanvragen."),
    )
    executor = forms.ChoiceField(
        label=_("Wie voert het proces uit?"), choices=Executor.choices, widget=forms.RadioSelect, initial=Executor.OWN
    )
    executor_name = forms.CharField(
        label=_("Naam van de partner"),
        required=False,
        max_length=200,
        help_text=_("Alleen als een partner het uitvoert, bijvoorbeeld “Omgevingsdienst Zuidwaard”."),
    )

    def __init__(
        self,
        *args: Any,
        categories: Iterable[Any],
        unit_options: Iterable[UnitNode],
        owners: Iterable[Any],
        reference_processes: Iterable[Any],
        positions: Iterable[Any],
        circumstances: Iterable[Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._field("category", ObjectChoiceField).set_objects((each, each.name) for each in categories)
        self._field("unit", UnitChoiceField).set_nodes(unit_options)
        self._field("owner", ObjectChoiceField).set_objects((each, member_label(each)) for each in owners)
        self._field("reference_process", ObjectChoiceField).set_objects(
            (each, f"{each.name} ({each.category.name})") for each in reference_processes
        )
        self._field("positions", ObjectMultipleChoiceField).set_objects(
            (each, f"{each.name} ({each.unit.name})" if each.unit else each.name) for each in positions
        )
        self._field("circumstances", ObjectMultipleChoiceField).set_objects(
            (each, f"{each.get_group_display()}: {each.name}") for each in circumstances
        )

    def _field(self, name: str, kind: type[Any]) -> Any:
        field = self.fields[name]
        assert isinstance(field, kind)
        return field

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        executor, partner = cleaned.get("executor"), (cleaned.get("executor_name") or "").strip()
        if executor and executor != Executor.OWN and not partner:
            self.add_error("executor_name", _("Vul in welke partner dit proces uitvoert."))
        if executor == Executor.OWN:
            cleaned["executor_name"] = ""
        return cleaned


class ProcessEditForm(ProcessForm, VersionedForm):
    pass


class ProcessFilterForm(forms.Form):
    q = forms.CharField(label=_("Zoek op naam, code of afdeling"), required=False, max_length=200)
    afdeling = UnitChoiceField(label=_("Afdeling of team"), required=False, empty_label=_("Alle afdelingen"))
    categorie = ObjectChoiceField(label=_("Categorie"), required=False, empty_label=_("Alle categorieën"))
    eigenaar = ObjectChoiceField(label=_("Eigenaar"), required=False, empty_label=_("Alle eigenaren"))
    archief = forms.ChoiceField(
        label=_("Actief of gearchiveerd"), required=False, choices=list(PROCESS_ARCHIVE_CHOICES.items())
    )
    sorteer = forms.ChoiceField(label=_("Sorteer op"), required=False, choices=list(PROCESS_SORTS.items()))

    def __init__(
        self,
        *args: Any,
        unit_options: Iterable[UnitNode],
        categories: Iterable[Any],
        owners: Iterable[Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["afdeling"]
        assert isinstance(unit_field, UnitChoiceField)
        unit_field.set_nodes(unit_options)
        category_field = self.fields["categorie"]
        assert isinstance(category_field, ObjectChoiceField)
        category_field.set_objects((each, each.name) for each in categories)
        owner_field = self.fields["eigenaar"]
        assert isinstance(owner_field, ObjectChoiceField)
        owner_field.set_objects(
            ((each, member_label(each)) for each in owners), extra=[(NO_OWNER, str(_("Zonder eigenaar")))]
        )


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Bestand (.xlsx of .csv)"),
        help_text=_("Hooguit 5 MB en 5.000 regels. Er wordt nog niets opgeslagen: u ziet eerst wat er verandert."),
        error_messages={"required": _("Kies een bestand om te importeren.")},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
