from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from weerbaar.accounts.services import normalise_code, validate_new_password
from weerbaar.core.models import User

#: One message for an unknown address and a wrong password: no user enumeration.
INVALID_LOGIN = _("Het e-mailadres of het wachtwoord is onjuist.")

#: Long enough for any sane password, short enough that hashing it is no denial of service.
PASSWORD_MAX_LENGTH = 256


class LoginForm(forms.Form):
    username = forms.EmailField(
        label=_("E-mailadres"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Wachtwoord"),
        strip=False,
        max_length=PASSWORD_MAX_LENGTH,
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


class CodeForm(forms.Form):
    """A six-digit code from the app, or (where allowed) an eight-character recovery code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("De zes cijfers uit uw authenticator-app, of een van uw herstelcodes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false", "size": 12}
        ),
    )

    def clean_code(self) -> str:
        return normalise_code(self.cleaned_data["code"])


class EnrolForm(forms.Form):
    code = forms.CharField(
        label=_("Code uit de app"),
        max_length=32,
        help_text=_("Vul de zes cijfers in die de app nu voor Weerbaar toont."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8}),
    )

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        if not code.isascii() or not code.isdigit() or len(code) != 6:
            raise forms.ValidationError(_("Vul precies zes cijfers in."), code="format")
        return code


class NewPasswordMixin(forms.Form):
    """Two new-password fields checked against each other and Django's password validators."""

    user: User

    new_password1 = forms.CharField(
        label=_("Nieuw wachtwoord"),
        strip=False,
        max_length=PASSWORD_MAX_LENGTH,
        help_text=_("Minstens 12 tekens; geen veelgebruikt wachtwoord en niet alleen cijfers."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label=_("Nieuw wachtwoord nogmaals"),
        strip=False,
        max_length=PASSWORD_MAX_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_new_password2(self) -> str:
        first = self.cleaned_data.get("new_password1")
        second = self.cleaned_data["new_password2"]
        if first and second and first != second:
            raise forms.ValidationError(_("De twee nieuwe wachtwoorden zijn niet gelijk."), code="mismatch")
        if second:
            validate_new_password(second, self.user)
        return second


class PasswordChangeForm(NewPasswordMixin):
    current_password = forms.CharField(
        label=_("Huidig wachtwoord"),
        strip=False,
        max_length=PASSWORD_MAX_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    field_order = ["current_password", "new_password1", "new_password2"]

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_current_password(self) -> str:
        current = self.cleaned_data["current_password"]
        if not self.user.check_password(current):
            raise forms.ValidationError(_("Uw huidige wachtwoord is niet juist."), code="wrong_password")
        return current


class SetNewPasswordForm(NewPasswordMixin):
    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mailadres"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
