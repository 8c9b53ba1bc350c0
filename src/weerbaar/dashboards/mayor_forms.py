"""Forms of the consultations with the mayor. They only parse input; the services decide and explain."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weerbaar.attention.forms import OwnerMixin, date_field
from weerbaar.core.forms import VersionedForm
from weerbaar.dashboards.models import AgreementStatus


class ConsultationForm(forms.Form):
    held_on = date_field(_("Datum van het overleg"), help_text=_("Vandaag of eerder: leg het overleg vast na afloop."))
    topics = forms.CharField(
        label=_("Besproken onderwerpen"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Bijvoorbeeld: Bibob-beleid, het ondermijningsbeeld, integriteitsmeldingen."),
        error_messages={"required": _("Vul in wat er besproken is.")},
    )
    notes = forms.CharField(
        label=_("Aantekeningen"),
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Optioneel. Geen namen van melders of andere vertrouwelijke gegevens."),
    )
    next_on = date_field(
        _("Volgend overleg"),
        required=False,
        help_text=_("Optioneel, maar aanbevolen: de datum die u voor het volgende overleg afsprak."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"held_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class ConsultationEditForm(ConsultationForm, VersionedForm):
    pass


class AgreementForm(OwnerMixin):
    description = forms.CharField(
        label=_("Afspraak"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Beschrijf de afspraak.")},
    )
    due_on = date_field(
        _("Uiterlijk op"), required=False, help_text=_("Optioneel. Niet vóór de datum van het overleg.")
    )
    note = forms.CharField(
        label=_("Toelichting"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class AgreementEditForm(AgreementForm, VersionedForm):
    status = forms.ChoiceField(label=_("Status"), choices=AgreementStatus.choices)
    done_on = date_field(
        _("Afgehandeld op"),
        required=False,
        help_text=_("Alleen bij ‘Afgerond’ of ‘Vervallen’; leeg is vandaag. Niet in de toekomst."),
    )


class AgreementStatusForm(VersionedForm):
    """The short form next to each agreement on the consultation page."""

    status = forms.ChoiceField(label=_("Nieuwe status"), choices=AgreementStatus.choices)
    done_on = date_field(_("Afgehandeld op"), required=False, help_text=_("Leeg is vandaag."))
    note = forms.CharField(label=_("Toelichting (optioneel)"), required=False, max_length=2000)
