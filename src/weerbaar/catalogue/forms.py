"""Forms of the catalogue pages. They only parse input; every rule and write lives in services.py."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from weerbaar.catalogue.models import (
    CIRCUMSTANCE_GROUPS,
    MAX_REVIEW_MONTHS,
    MIN_REVIEW_MONTHS,
    Characteristic,
    CircumstanceGroup,
    CircumstanceKind,
    EffectStrength,
    MeasureGroup,
    MeasureScope,
    ProcessCategory,
)
from weerbaar.catalogue.selectors import ORIGIN_NATIONAL, ORIGIN_OWN
from weerbaar.core.forms import VersionedForm

MAX_DESCRIPTION = 5000
EFFECT_PREFIX = "effect_"


def _characteristic_choices(characteristics: Sequence[Characteristic]) -> list[tuple[str, str]]:
    return [(c.key, f"{c.code} {c.name}") for c in characteristics]


class ProcessFilterForm(forms.Form):
    q = forms.CharField(label=_("Zoek op naam, omschrijving of afdeling"), required=False, max_length=200)
    categorie = forms.ChoiceField(label=_("Categorie"), required=False)
    kenmerk = forms.ChoiceField(label=_("Kenmerk"), required=False)
    herkomst = forms.ChoiceField(
        label=_("Herkomst"),
        required=False,
        choices=[
            ("", _("Landelijk en eigen")),
            (ORIGIN_NATIONAL, _("Alleen landelijk")),
            (ORIGIN_OWN, _("Alleen eigen")),
        ],
    )

    def __init__(
        self,
        *args: Any,
        categories: Sequence[ProcessCategory],
        characteristics: Sequence[Characteristic],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["categorie"].choices = [  # type: ignore[attr-defined]
            ("", _("Alle categorieën")),
            *[(c.key, c.name) for c in categories],
        ]
        self.fields["kenmerk"].choices = [  # type: ignore[attr-defined]
            ("", _("Alle kenmerken")),
            *_characteristic_choices(characteristics),
        ]


class _EntryForm(forms.Form):
    """Name and description, and the characteristics picker the three kinds share."""

    name = forms.CharField(label=_("Naam"), max_length=200)
    description = forms.CharField(
        label=_("Omschrijving"),
        required=False,
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, characteristics: Sequence[Characteristic], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.characteristic_options = {c.key: c for c in characteristics}
        if "characteristics" in self.fields:
            self.fields["characteristics"].choices = _characteristic_choices(characteristics)  # type: ignore[attr-defined]

    def characteristic_objects(self) -> list[Characteristic]:
        return [self.characteristic_options[key] for key in self.cleaned_data.get("characteristics", [])]


class ReferenceProcessForm(_EntryForm):
    category = forms.ChoiceField(label=_("Categorie"))
    typical_unit = forms.CharField(
        label=_("Gebruikelijke afdeling"),
        required=False,
        max_length=200,
        help_text=_("Waar dit proces in de meeste gemeenten wordt uitgevoerd, bijvoorbeeld Burgerzaken."),
    )
    characteristics = forms.MultipleChoiceField(
        label=_("Kenmerken die meestal gelden"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Een hint voor wie het proces later beoordeelt, geen score."),
    )
    field_order = ["name", "category", "typical_unit", "description", "characteristics"]

    def __init__(self, *args: Any, categories: Sequence[ProcessCategory], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.categories = {c.key: c for c in categories}
        self.fields["category"].choices = [  # type: ignore[attr-defined]
            ("", _("Kies een categorie")),
            *[(c.key, c.name) for c in categories],
        ]

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "category": self.categories[data["category"]],
            "typical_unit": data["typical_unit"],
            "description": data["description"],
            "characteristics": self.characteristic_objects(),
        }


def circumstance_group_choices() -> list[Any]:
    labels = dict(CircumstanceGroup.choices)
    return [
        ("", _("Kies een groep")),
        *[
            (kind_label, [(group, labels[group]) for group in CIRCUMSTANCE_GROUPS[kind]])
            for kind, kind_label in CircumstanceKind.choices
        ],
    ]


class CircumstanceForm(_EntryForm):
    group = forms.ChoiceField(
        label=_("Groep"),
        choices=circumstance_group_choices,
        help_text=_(
            "Extern: kenmerken van het gebied (risicolocaties, risicosectoren). Intern: functies, personen en "
            "werkwijze binnen de organisatie."
        ),
    )
    characteristics = forms.MultipleChoiceField(
        label=_("Kenmerken die hierdoor zwaarder wegen"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    field_order = ["name", "group", "description", "characteristics"]

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "group": data["group"],
            "description": data["description"],
            "characteristics": self.characteristic_objects(),
        }


STRENGTH_CHOICES = [("", _("geen effect")), *[(str(value), label) for value, label in EffectStrength.choices]]


class MeasureForm(_EntryForm):
    group = forms.ChoiceField(label=_("Groep"), choices=[("", _("Kies een groep")), *MeasureGroup.choices])
    scope = forms.ChoiceField(
        label=_("Geldt voor"), choices=MeasureScope.choices, widget=forms.RadioSelect, initial=MeasureScope.PROCESS
    )
    review_cadence_months = forms.IntegerField(
        label=_("Herzien elke … maanden"),
        min_value=MIN_REVIEW_MONTHS,
        max_value=MAX_REVIEW_MONTHS,
        initial=12,
        help_text=_(
            "Hoe vaak iemand moet nagaan of de maatregel in de praktijk nog werkt. Een maatregel die niemand "
            "herziet, leeft niet meer."
        ),
    )
    field_order = ["name", "group", "scope", "review_cadence_months", "description"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, characteristic in self.characteristic_options.items():
            self.fields[f"{EFFECT_PREFIX}{key}"] = forms.ChoiceField(
                label=f"{characteristic.code} {characteristic.name}", required=False, choices=STRENGTH_CHOICES
            )

    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if not name.startswith(EFFECT_PREFIX) and name != "version"]

    def effect_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(EFFECT_PREFIX)]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        effects = {
            self.characteristic_options[key]: int(cleaned[f"{EFFECT_PREFIX}{key}"])
            for key in self.characteristic_options
            if cleaned.get(f"{EFFECT_PREFIX}{key}")
        }
        if not effects:
            raise ValidationError(
                _("Kies bij ten minste één kenmerk hoe sterk deze maatregel het verzwakt."), code="no_effects"
            )
        cleaned["effects"] = effects
        return cleaned

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "group": data["group"],
            "scope": data["scope"],
            "review_cadence_months": data["review_cadence_months"],
            "description": data["description"],
            "effects": data["effects"],
        }


class ReferenceProcessEditForm(ReferenceProcessForm, VersionedForm):
    pass


class CircumstanceEditForm(CircumstanceForm, VersionedForm):
    pass


class MeasureEditForm(MeasureForm, VersionedForm):
    pass
