from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weerbaar.api.services import key_within_rights
from weerbaar.core.models import Membership

#: A new key is valid this long unless the beheerder chooses otherwise.
DEFAULT_VALIDITY_DAYS = 90
MAX_VALIDITY_DAYS = 365


class MembershipChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.user.full_name} ({obj.user.email}) – {', '.join(obj.role_labels())}"


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Naam van de sleutel"),
        max_length=100,
        help_text=_("Waarvoor de sleutel dient, bijvoorbeeld “Koppeling zaaksysteem”."),
    )
    membership = MembershipChoiceField(
        label=_("Namens wie"),
        queryset=None,
        to_field_name="uuid",
        empty_label=_("Kies een lid van uw organisatie"),
        help_text=_(
            "De koppeling mag precies wat de rollen van dit lid toestaan. Maak bij voorkeur een apart lid "
            "aan voor de koppeling, met alleen de rol die nodig is."
        ),
    )
    expires_on = forms.DateField(
        label=_("Verloopt op"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Uiterlijk een jaar na vandaag. Vanaf deze dag werkt de sleutel niet meer."),
    )

    #: Service field -> form field, to show a service's errors next to the right input.
    SERVICE_FIELDS = {"name": "name", "membership": "membership", "expires_at": "expires_on"}

    def __init__(self, *args: Any, maker: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        members = (
            Membership.objects.filter(is_active=True, user__is_active=True)
            .select_related("user")
            .order_by("user__full_name", "user__email")
        )
        # Only members whose rights the maker holds too (the service checks the same rule).
        allowed = [member.pk for member in members if key_within_rights(maker=maker, member=member)]
        self.fields["membership"].queryset = members.filter(pk__in=allowed)  # type: ignore[attr-defined]
        expires = self.fields["expires_on"]
        expires.initial = today + dt.timedelta(days=DEFAULT_VALIDITY_DAYS)
        expires.widget.attrs.update(
            {
                "min": (today + dt.timedelta(days=1)).isoformat(),
                "max": (today + dt.timedelta(days=MAX_VALIDITY_DAYS)).isoformat(),
            }
        )

    def expires_at(self) -> dt.datetime:
        """The key stops working at the start of the chosen day, Dutch time."""
        day: dt.date = self.cleaned_data["expires_on"]
        return timezone.make_aware(dt.datetime.combine(day, dt.time.min))

    def add_service_errors(self, exc: ValidationError) -> None:
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc)
            return
        for field, errors in exc.message_dict.items():
            self.add_error(self.SERVICE_FIELDS.get(field), errors)
