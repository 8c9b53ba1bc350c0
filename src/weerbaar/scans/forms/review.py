"""Forms of the consensus pages: the overview filter, the bulk acceptance, consensus and correction."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import BoundField
from django.utils.translation import gettext_lazy as _

from weerbaar.core.forms import VersionedForm
from weerbaar.scans.selectors.consensus import ConsensusReview, ItemReview
from weerbaar.scans.selectors.review import AGREED, SETTLED

SCORE_CHOICES = [(str(level), str(level)) for level in range(5)]
IMPACT_CHOICES = [(str(level), str(level)) for level in range(1, 6)]
MAX_TEXT = 4000


class ReviewFilterForm(forms.Form):
    toon = forms.ChoiceField(label=_("Toon"), required=False, initial="alle", widget=forms.RadioSelect)

    def __init__(self, *args: Any, counts: dict[str, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = {
            "alle": _("Alle processen"),
            "aandacht": _("Vraagt aandacht"),
            AGREED: _("Beoordelaars zijn het eens"),
            SETTLED: _("Consensus vastgesteld"),
        }
        self.fields["toon"].choices = [  # type: ignore[attr-defined]
            (key, f"{label} ({counts.get(key, 0)})") for key, label in labels.items()
        ]

    def choice(self) -> str:
        if self.is_bound and self.is_valid():
            return self.cleaned_data["toon"] or "alle"
        return "alle"


class ReviewAcceptForm(VersionedForm):
    """The bulk acceptance: every agreed process, or only the ticked ones."""

    bereik = forms.ChoiceField(choices=[("alle", "alle"), ("selectie", "selectie")])
    processen = forms.MultipleChoiceField(required=False)

    def __init__(self, *args: Any, choices: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["processen"].choices = [(key, key) for key in choices]  # type: ignore[attr-defined]
        self.fields["processen"].error_messages["invalid_choice"] = _(
            "Een van de aangevinkte processen hoort niet (meer) bij deze scan. Laad de pagina opnieuw."
        )
        self.fields["bereik"].error_messages["invalid_choice"] = _(
            "Het formulier is beschadigd. Laad de pagina opnieuw."
        )
        self.fields["bereik"].error_messages["required"] = _("Het formulier is beschadigd. Laad de pagina opnieuw.")


class ConsensusForm(VersionedForm):
    """One radio group per characteristic (0–4) and impact dimension (1–5), the circumstances and a note.

    Field names match the keys of the service's errors (``score-<key>``, ``impact-<key>``,
    ``circumstances``, ``note``), so ``apply_service_error`` puts each message at its field.
    """

    note = forms.CharField(
        label=_("Toelichting bij de consensus"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, data: Any = None, *, review: ConsensusReview, **kwargs: Any) -> None:
        kwargs.setdefault("initial", review.initial())
        super().__init__(data, **kwargs)
        self.review = review
        score_message = _("Kies een score van 0 tot en met 4.")
        for item in review.characteristics:
            self.fields[item.field_name] = forms.ChoiceField(
                label=_("Consensus voor %(code)s %(name)s") % {"code": item.code, "name": item.name},
                choices=SCORE_CHOICES,
                widget=forms.RadioSelect,
                error_messages={"required": score_message, "invalid_choice": score_message},
            )
        impact_message = _("Kies een impact van 1 tot en met 5.")
        for item in review.impact:
            self.fields[item.field_name] = forms.ChoiceField(
                label=_("Consensus voor de impact op %(name)s") % {"name": item.name.lower()},
                choices=IMPACT_CHOICES,
                widget=forms.RadioSelect,
                error_messages={"required": impact_message, "invalid_choice": impact_message},
            )
        self.fields["circumstances"] = forms.MultipleChoiceField(
            label=_("Interne omstandigheden"),
            required=False,
            choices=[(each.uuid, each.circumstance.name) for each in review.circumstances],
            widget=forms.CheckboxSelectMultiple,
            error_messages={"invalid_choice": _("Kies interne omstandigheden uit de lijst.")},
        )
        self.order_fields(["version", *(item.field_name for item in (*review.characteristics, *review.impact))])
        if review.flags:
            self.fields["note"].help_text = _(
                "Verplicht: bij dit proces verschillen de beoordelaars op een of meer onderdelen 2 punten of "
                "meer. Leg kort vast waarom u tot deze consensus komt."
            )
        elif not review.submitted:
            self.fields["note"].help_text = _(
                "Verplicht: niemand heeft dit proces ingeleverd. Leg vast waarop deze consensus berust."
            )
        else:
            self.fields["note"].help_text = _("Optioneel: wat is besproken, of waarom u afwijkt van het voorstel.")

    def _pairs(self, items: list[ItemReview]) -> list[tuple[ItemReview, BoundField]]:
        return [(item, self[item.field_name]) for item in items]

    def characteristic_fields(self) -> list[tuple[ItemReview, BoundField]]:
        return self._pairs(self.review.characteristics)

    def impact_fields(self) -> list[tuple[ItemReview, BoundField]]:
        return self._pairs(self.review.impact)

    def values(self) -> dict[str, Any]:
        """The keyword arguments of ``consensus_set`` / ``consensus_amend`` from the cleaned data."""
        data = self.cleaned_data
        return {
            "scores": {item.key: data[item.field_name] for item in self.review.characteristics},
            "impact": {item.key: data[item.field_name] for item in self.review.impact},
            "circumstances": data["circumstances"],
            "note": data["note"],
            "allowed_circumstances": {each.uuid for each in self.review.circumstances},
        }


class ConsensusAmendForm(ConsensusForm):
    reason = forms.CharField(
        label=_("Reden van de correctie"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Waarom verandert de consensus van een afgesloten scan? De reden komt in de audittrail."),
        error_messages={"required": _("Geef de reden van de correctie.")},
    )
