"""The form of "mijn meldingen". It only parses input; ``attention.services.preferences`` decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from weerbaar.core.forms import VersionedForm


class PreferenceForm(VersionedForm):
    weekly_digest = forms.BooleanField(
        label=_("Stuur mij elke maandag een overzicht van mijn werk"),
        required=False,
        help_text=_(
            "Alleen als er iets te doen is: wat te laat is, wat binnen twee weken moet, "
            "en maatregelen die niet meer werken."
        ),
    )
    monthly_digest = forms.BooleanField(
        label=_("Stuur mij op de eerste van de maand het overzicht voor de coördinator"),
        required=False,
        help_text=_(
            "De stand van het actieplan en de activiteiten van de hele organisatie, met de tien dringendste punten."
        ),
    )

    def __init__(self, *args: Any, weekly: bool, monthly: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A digest the member's roles do not offer is not a choice: it is never sent to them.
        if not weekly:
            del self.fields["weekly_digest"]
        if not monthly:
            del self.fields["monthly_digest"]
