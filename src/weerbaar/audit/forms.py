from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from weerbaar.audit.models import Result


class AuditFilterForm(forms.Form):
    who = forms.CharField(label=_("Wie (e-mailadres)"), required=False, max_length=254)
    action = forms.CharField(label=_("Actie"), required=False, max_length=100)
    object = forms.CharField(label=_("Object"), required=False, max_length=300)
    result = forms.ChoiceField(label=_("Resultaat"), required=False, choices=[("", _("Alle")), *Result.choices])
    date_from = forms.DateField(label=_("Vanaf"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Tot en met"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("De einddatum ligt vóór de begindatum."))
        return cleaned
