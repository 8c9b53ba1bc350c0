"""Forms of the risk acceptance page. They only parse input; ``plan.services.acceptance`` decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from weerbaar.core.forms import VersionedForm


class AcceptForm(forms.Form):
    reason = forms.CharField(
        label=_("Waarom is dit restrisico aanvaardbaar?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Ten minste 20 letters of cijfers. Bijvoorbeeld: welke maatregelen er al zijn, waarom meer niet "
            "in verhouding staat, wanneer u het opnieuw bekijkt."
        ),
        error_messages={"required": _("Vul een reden in.")},
    )
    expires_on = forms.DateField(
        label=_("Geldig tot en met"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        help_text=_("Na vandaag en binnen drie jaar. Daarna staat de acceptatie weer als werk op de lijst."),
        error_messages={
            "required": _("Vul de datum in tot wanneer de acceptatie geldt."),
            "invalid": _("Vul een geldige datum in, bijvoorbeeld 31-12-2026."),
        },
    )
    #: The state of the acceptances the page showed (``services.acceptance.state_token``).
    seen = forms.CharField(widget=forms.HiddenInput, required=False, max_length=60)


class WithdrawForm(VersionedForm):
    withdrawn_reason = forms.CharField(
        label=_("Waarom trekt u de acceptatie in?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ten minste 10 letters of cijfers."),
        error_messages={"required": _("Vul een reden in.")},
    )
