"""The rating form: the whole rating at once (no JavaScript) or one field at a time (autosave).

Field names are the keys ``services.rating_save`` reports errors under (``score-<key>``,
``rationale-<key>``, ``impact-<key>``, ``circumstances``, ``certainty``, ``note``, and in a repeat
scan ``confirm-<key>``, ``confirm-impact``, ``confirm-circumstances``), so a refused save lands on
the right field.

A repeat scan's rating arrives filled in with the previous consensus. The whole form (no
JavaScript) posts every value, the untouched copies too, so a posted value alone cannot tell
"looked at it" from "skipped it": each copied item has a "confirm" checkbox, and only a ticked box
or a changed value confirms it (``RatingChange.confirm``). With autosave each choice is sent on its
own, so choosing a value (the same or another) confirms its item.

The template renders the inputs itself (scale texts next to each level); the form parses and
carries the errors.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from weerbaar.catalogue.models import Characteristic, Circumstance, CircumstanceGroup
from weerbaar.core.forms import MAX_VERSION, VersionedForm
from weerbaar.scans.models import IMPACT_DIMENSIONS, Certainty, Rating
from weerbaar.scans.services import RatingChange
from weerbaar.scans.services.ratings import MAX_RATIONALE

SCORE_LEVELS = ("0", "1", "2", "3", "4")
IMPACT_LEVELS = ("1", "2", "3", "4", "5")
IMPACT_LEVEL_NAMES: dict[str, Any] = {
    "1": _("Verwaarloosbaar"),
    "2": _("Beperkt"),
    "3": _("Aanzienlijk"),
    "4": _("Ernstig"),
    "5": _("Zeer ernstig"),
}
#: What each impact level means per dimension: short anchors so raters calibrate alike.
IMPACT_ANCHORS: dict[str, dict[str, Any]] = {
    "money": {
        "1": _("Geen of een heel klein bedrag; snel hersteld."),
        "2": _("Een bedrag dat de afdeling binnen het eigen budget opvangt."),
        "3": _("Een merkbaar verlies waarvoor de begroting moet worden bijgestuurd."),
        "4": _("Een groot verlies dat andere taken van de gemeente raakt."),
        "5": _("Een verlies dat de financiële positie van de gemeente aantast."),
    },
    "personal_data": {
        "1": _("Geen persoonsgegevens, of alleen openbare."),
        "2": _("Gewone gegevens van enkele personen."),
        "3": _("Gegevens van veel personen, of gevoelige gegevens van enkelen."),
        "4": _("Gevoelige gegevens van veel personen, of gegevens die iemand in gevaar kunnen brengen."),
        "5": _("Een groot lek van bijzondere gegevens of adressen, met gevaar voor de betrokkenen."),
    },
    "safety": {
        "1": _("Geen gevolgen voor de veiligheid van mensen."),
        "2": _("Ongemak of een gevoel van onveiligheid bij enkelen."),
        "3": _("Medewerkers of inwoners worden bedreigd of geïntimideerd."),
        "4": _("Echt gevaar voor de lichamelijke veiligheid van mensen."),
        "5": _("Ernstig letsel of levensgevaar."),
    },
    "trust": {
        "1": _("Niemand merkt het."),
        "2": _("Klachten of wat lokale aandacht; goed uit te leggen."),
        "3": _("Regionale media-aandacht en vragen uit de gemeenteraad."),
        "4": _("Landelijke aandacht; bestuurders moeten zich verantwoorden."),
        "5": _("Het vertrouwen in het bestuur is blijvend geschaad, bijvoorbeeld een aftreden of extern onderzoek."),
    },
    "continuity": {
        "1": _("De dienstverlening loopt gewoon door."),
        "2": _("Korte vertraging voor enkele inwoners of bedrijven."),
        "3": _("Een dienst valt dagen uit of loopt flinke achterstand op."),
        "4": _("Een belangrijke dienst valt langdurig uit."),
        "5": _("Kritieke dienstverlening ligt stil, zoals uitkeringen of de basisregistratie personen."),
    },
}


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def parse_version(raw: Any) -> int | None:
    """The version the page carried; ``None`` when missing or broken (the caller explains)."""
    text = str(raw or "").strip()
    if not text.isdigit() or len(text) > 12:
        return None
    value = int(text)
    return value if 1 <= value <= MAX_VERSION else None


@dataclass(frozen=True)
class CharacteristicRow:
    characteristic: Characteristic
    score: forms.BoundField
    rationale: forms.BoundField
    #: The chosen level as text ("" when none); read once, the template compares it per level.
    value: str
    #: A repeat scan: the previous consensus's level ("" when not prefilled) and its confirm checkbox.
    previous: str = ""
    confirm: forms.BoundField | None = None
    confirmed: bool = False

    @property
    def key(self) -> str:
        return self.characteristic.key

    @property
    def needs_rationale(self) -> bool:
        return self.value in ("3", "4")

    @property
    def level_text(self) -> str:
        return str(self.characteristic.scale.get(self.value, "")) if self.value else ""


@dataclass(frozen=True)
class ImpactRow:
    key: str
    label: Any
    field: forms.BoundField
    levels: list[tuple[str, Any, Any]]
    value: str
    previous: str = ""

    @property
    def chosen(self) -> tuple[str, Any, Any] | None:
        return next((level for level in self.levels if level[0] == self.value), None)


@dataclass(frozen=True)
class CircumstanceOption:
    value: str
    circumstance: Circumstance
    in_register: bool
    group: str


@dataclass(frozen=True)
class SummaryError:
    anchor: str
    label: str
    message: str


class RatingForm(VersionedForm):
    circumstances = forms.MultipleChoiceField(
        label=_("Interne omstandigheden bij dit proces"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Kies interne omstandigheden uit de lijst.")},
    )
    certainty = forms.ChoiceField(
        label=_("Hoe zeker bent u van deze beoordeling?"),
        required=False,
        choices=[("", _("Niet opgegeven")), *Certainty.choices],
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Kies zeker, redelijk zeker of onzeker.")},
    )
    note = forms.CharField(
        label=_("Algemene toelichting"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("De toelichting is hoogstens %(limit_value)d tekens (nu %(show_value)d).")},
    )

    def __init__(
        self,
        *args: Any,
        characteristics: Iterable[Characteristic],
        circumstances: Iterable[Circumstance],
        register_circumstances: AbstractSet[str] = frozenset(),
        prefilled: Mapping[str, Any] | None = None,
        confirmed: Collection[str] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.characteristics = list(characteristics)
        #: A repeat scan: the values copied from the previous consensus, and which the rater has confirmed.
        self.prefilled: Mapping[str, Any] = prefilled or {}
        self.confirmed = set(confirmed)
        self.circumstance_options = [
            CircumstanceOption(
                value=str(each.uuid),
                circumstance=each,
                in_register=str(each.uuid) in register_circumstances,
                group=str(CircumstanceGroup(each.group).label) if each.group in CircumstanceGroup.values else "",
            )
            for each in circumstances
        ]
        self.fields["circumstances"].choices = [  # type: ignore[attr-defined]
            (option.value, option.circumstance.name) for option in self.circumstance_options
        ]
        for each in self.characteristics:
            self.fields[f"score-{each.key}"] = forms.ChoiceField(
                label=f"{each.code} {each.name}",
                required=False,
                choices=[("", "–"), *((level, level) for level in SCORE_LEVELS)],
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": _("Kies een score van 0 tot en met 4.")},
            )
            self.fields[f"rationale-{each.key}"] = forms.CharField(
                label=_("Toelichting bij %(code)s") % {"code": each.code},
                required=False,
                max_length=MAX_RATIONALE,
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={
                    "max_length": _("Een toelichting is hoogstens %(limit_value)d tekens (nu %(show_value)d).")
                },
            )
            if each.key in self.prefilled.get("scores", {}):
                self.fields[f"confirm-{each.key}"] = forms.BooleanField(
                    label=f"{each.code} {each.name}", required=False
                )
        for key, label in IMPACT_DIMENSIONS:
            self.fields[f"impact-{key}"] = forms.ChoiceField(
                label=label,
                required=False,
                choices=[("", "–"), *((level, level) for level in IMPACT_LEVELS)],
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": _("Kies een impact van 1 tot en met 5.")},
            )
        if self.prefilled.get("impact"):
            self.fields["confirm-impact"] = forms.BooleanField(label=_("Impact"), required=False)
        if "circumstances" in self.prefilled:
            self.fields["confirm-circumstances"] = forms.BooleanField(label=_("Interne omstandigheden"), required=False)

    @staticmethod
    def initial_for(rating: Rating) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "version": rating.version,
            "circumstances": list(rating.circumstances),
            "certainty": rating.certainty,
            "note": rating.note,
        }
        for key, level in rating.scores.items():
            initial[f"score-{key}"] = str(level)
        for key, text in rating.rationales.items():
            initial[f"rationale-{key}"] = text
        for key, level in rating.impact.items():
            initial[f"impact-{key}"] = str(level)
        for item in rating.confirmed:
            initial[f"confirm-{item}"] = True
        return initial

    # The page's rows: bound fields with the catalogue texts next to them.
    def characteristic_rows(self) -> list[CharacteristicRow]:
        previous = self.prefilled.get("scores", {})
        return [
            CharacteristicRow(
                characteristic=each,
                score=self[f"score-{each.key}"],
                rationale=self[f"rationale-{each.key}"],
                value=_text(self[f"score-{each.key}"].value()),
                previous=_text(previous.get(each.key)),
                confirm=self[f"confirm-{each.key}"] if f"confirm-{each.key}" in self.fields else None,
                confirmed=each.key in self.confirmed,
            )
            for each in self.characteristics
        ]

    def impact_rows(self) -> list[ImpactRow]:
        return [
            ImpactRow(
                key=key,
                label=label,
                field=self[f"impact-{key}"],
                levels=[(level, IMPACT_LEVEL_NAMES[level], IMPACT_ANCHORS[key][level]) for level in IMPACT_LEVELS],
                value=_text(self[f"impact-{key}"].value()),
                previous=_text(self.prefilled.get("impact", {}).get(key)),
            )
            for key, label in IMPACT_DIMENSIONS
        ]

    def previous_circumstances(self) -> list[str]:
        """The names of the circumstances the previous consensus ticked (a repeat scan)."""
        ticked = set(self.prefilled.get("circumstances", []))
        return [option.circumstance.name for option in self.circumstance_options if option.value in ticked]

    def selected_circumstances(self) -> set[str]:
        value = self["circumstances"].value() or []
        return {str(each) for each in value}

    def editable_names(self) -> list[str]:
        return [name for name in self.fields if name != "version"]

    def clean_one(self, name: str) -> Any:
        """Parse one field only (autosave): the other fields of the page are not looked at."""
        field = self.fields[name]
        value = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
        return field.clean(value)

    @staticmethod
    def change_for(values: dict[str, Any]) -> RatingChange:
        """The service's change for the given cleaned fields (all of them, or one for autosave)."""
        scores: dict[str, int | None] = {}
        rationales: dict[str, str] = {}
        impact: dict[str, int | None] = {}
        change = RatingChange(scores=scores, rationales=rationales, impact=impact)
        ticked: set[str] | None = None
        for name, value in values.items():
            if name.startswith("score-"):
                scores[name.removeprefix("score-")] = int(value) if value not in (None, "") else None
            elif name.startswith("rationale-"):
                rationales[name.removeprefix("rationale-")] = value or ""
            elif name.startswith("impact-"):
                impact[name.removeprefix("impact-")] = int(value) if value not in (None, "") else None
            elif name == "circumstances":
                change.circumstances = [str(each) for each in value or []]
            elif name == "certainty":
                change.certainty = value or ""
            elif name == "note":
                change.note = value or ""
            elif name.startswith("confirm-"):
                ticked = ticked if ticked is not None else set()
                if value:
                    ticked.add(name.removeprefix("confirm-"))
        # Confirm boxes in the post (the whole form, or one box by autosave): only ticks and changed
        # values confirm. None: a value chosen on its own (autosave), which confirms its item.
        change.confirm = frozenset(ticked) if ticked is not None else None
        return change

    def change(self) -> RatingChange:
        return self.change_for({name: self.cleaned_data.get(name) for name in self.editable_names()})

    def anchor(self, name: str) -> str:
        """Where a link in the error summary goes: the first option of a group, else the field."""
        if name.startswith("score-"):
            return f"{name}-0"
        if name.startswith("impact-"):
            return f"{name}-1"
        if name == "circumstances":
            first = self.circumstance_options[0].value if self.circumstance_options else ""
            return f"circumstance-{first}"
        if name == "certainty":
            return f"certainty-{Certainty.values[0]}"
        return f"id_{name}"

    def summary(self) -> list[SummaryError]:
        """The error summary above the form: each message links to its field, in page order."""
        errors: list[SummaryError] = [
            SummaryError(anchor="", label="", message=str(message)) for message in self.non_field_errors()
        ]
        errors.extend(
            SummaryError(anchor=self.anchor(name), label=str(self.fields[name].label), message=str(message))
            for name in self.editable_names()
            for message in self.errors.get(name, [])
        )
        return errors


def field_error(error: ValidationError, name: str) -> list[str]:
    """A service error's messages for one field (autosave), or all of them when it names none."""
    if hasattr(error, "error_dict"):
        named = error.message_dict.get(name)
        if named:
            return list(named)
        return [message for messages in error.message_dict.values() for message in messages]
    return list(error.messages)
