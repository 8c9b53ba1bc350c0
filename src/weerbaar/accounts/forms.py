from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from weerbaar.core.models import User

#: One message for an unknown address and a wrong password: no user enumeration.
INVALID_LOGIN = _("Het e-mailadres of het wachtwoord is onjuist.")


class LoginForm(forms.Form):
    username = forms.EmailField(
        label=_("E-mailadres"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Wachtwoord"),
        strip=False,
        max_length=256,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        self.request = request
        self.user: User | None = None
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        username, password = cleaned.get("username"), cleaned.get("password")
        if username and password:
            user = authenticate(self.request, username=username.lower(), password=password)
            if user is None or not user.is_active:
                raise forms.ValidationError(INVALID_LOGIN, code="invalid_login")
            self.user = user  # type: ignore[assignment]
        return cleaned
