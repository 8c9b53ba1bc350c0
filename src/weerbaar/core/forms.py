"""Forms of the beheerder screens. Every write goes through a service; forms only parse input."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from weerbaar.core.models import Membership, Organisation, OrganisationKind, SizeClass, Unit, User
from weerbaar.core.permissions import DEFAULT_TWO_FACTOR_ROLES, Role
from weerbaar.core.selectors import UnitNode
from weerbaar.core.services import StaleVersion, roles_for_kind
from weerbaar.core.services.organisations import MAX_LOGO_BYTES, CheckedLogo, check_logo

MAX_VERSION = 2**31 - 1


def role_choices(kind: str) -> list[tuple[str, Any]]:
    allowed = roles_for_kind(kind)
    return [(value, label) for value, label in Role.choices if value in allowed]


def apply_service_error(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the field it names, else above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def action_error_text(error: ValidationError) -> str:
    """The message for a refused button action (archive, deactivate, confirm): there is no input to keep."""
    if isinstance(error, StaleVersion):
        return str(
            _(
                "Iemand anders heeft dit intussen gewijzigd. Er is niets opgeslagen; bekijk de nieuwe stand "
                "en probeer het opnieuw."
            )
        )
    return " ".join(error.messages)


class VersionedForm(forms.Form):
    """Carries the version the user saw, for optimistic concurrency (``services.check_version``)."""

    version = forms.CharField(widget=forms.HiddenInput, required=False, max_length=12)

    def clean_version(self) -> int:
        # The page always renders the version; a missing or odd one means a broken or forged form.
        raw = (self.cleaned_data.get("version") or "").strip()
        try:
            value = int(raw)
        except ValueError:
            value = 0
        if not 1 <= value <= MAX_VERSION:
            raise ValidationError(_("Het formulier is beschadigd. Laad de pagina opnieuw."), code="version")
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # A broken hidden field has no visible place; show its message above the form.
        if "version" in self.errors:
            for message in self.errors.pop("version"):
                self.add_error(None, message)
        return cleaned

    def show_conflict(self, error: StaleVersion, current_version: int) -> None:
        """Keep what the user typed, explain the conflict, and let the next save be deliberate."""
        self.add_error(None, error)
        data = self.data.copy()  # type: ignore[attr-defined]
        data[self.add_prefix("version")] = str(current_version)
        self.data = data


class PlainSelect(forms.Select):
    """A <select> rendered in Python: long option lists (a hundred reference processes) stay fast.

    Django renders every option through a template; for long lists that dominates the page.
    Same markup and attributes as ``forms.Select``, values and labels escaped by ``format_html``.
    """

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        selected = {str(each) for each in (value if isinstance(value, list | tuple) else [value]) if each is not None}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((key, mark_safe(" selected") if str(key) in selected else "", label) for key, label in self.choices),
        )
        return format_html("<select{}>{}</select>", flatatt(final), options)


class UnitChoiceField(forms.ChoiceField):
    """Units in tree order, shown with their path; the value is the public UUID."""

    def __init__(self, *, empty_label: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.empty_label = empty_label
        self.units: dict[str, Unit] = {}

    def set_nodes(self, nodes: Iterable[UnitNode]) -> None:
        choices: list[tuple[str, str]] = [("", str(self.empty_label))]
        for node in nodes:
            label = node.path if node.unit.is_active else f"{node.path} ({_('gearchiveerd')})"
            choices.append((str(node.unit.uuid), label))
            self.units[str(node.unit.uuid)] = node.unit
        self.choices = choices

    def clean(self, value: Any) -> Unit | None:  # type: ignore[override]
        key = super().clean(value)
        return self.units.get(key) if key else None


class OrganisationSettingsForm(VersionedForm):
    name = forms.CharField(label=_("Naam"), max_length=200)
    inhabitants = forms.IntegerField(
        label=_("Aantal inwoners"),
        required=False,
        min_value=1,
        max_value=20_000_000,
        help_text=_("Volgens de laatste CBS-cijfers."),
    )
    size_class = forms.ChoiceField(
        label=_("Grootteklasse"),
        choices=[("", _("Kies een grootteklasse")), *SizeClass.choices],
        help_text=_("De regionale vergelijking zet alleen gemeenten van dezelfde grootteklasse naast elkaar."),
    )
    riec = forms.ModelChoiceField(
        label=_("RIEC-regio"),
        queryset=Organisation.objects.none(),
        to_field_name="uuid",
        required=False,
        empty_label=_("Nog niet gekozen"),
        help_text=_("Het Regionaal Informatie- en Expertisecentrum waar uw gemeente onder valt."),
    )
    benchmark_opt_in = forms.BooleanField(
        label=_("Meedoen aan de regionale vergelijking"),
        required=False,
        help_text=_(
            "De regio-analist van uw RIEC ziet dan alleen geanonimiseerde, samengevoegde cijfers, en alleen "
            "als minstens vijf gemeenten meedoen (k ≥ 5). Gegevens van één gemeente, namen van processen, "
            "medewerkers of meldingen worden nooit gedeeld. U kunt dit altijd weer uitzetten."
        ),
    )
    two_factor_roles = forms.MultipleChoiceField(
        label=_("Tweestapsverificatie verplicht voor"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Wie een van deze rollen heeft, moet bij het inloggen ook een code van een authenticator-app "
            "invullen. Standaard geldt dit voor de functioneel beheerder, de coördinator ondermijning en de "
            "vertrouwenspersoon: zij zien gevoelige gegevens of kunnen rechten uitdelen."
        ),
    )

    logo = forms.FileField(
        label=_("Nieuw logo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg"}),
        help_text=_(
            "Voor het voorblad van de managementrapportage. Een PNG- of JPEG-afbeelding van hoogstens 1 MB en "
            "2000 × 2000 pixels. Laat leeg om het huidige logo te houden."
        ),
    )
    remove_logo = forms.BooleanField(label=_("Logo verwijderen"), required=False)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        unbound = (not args or args[0] is None) and kwargs.get("data") is None
        if unbound:
            kwargs.setdefault(
                "initial",
                {
                    "name": organisation.name,
                    "inhabitants": organisation.inhabitants,
                    "size_class": organisation.size_class,
                    "riec": organisation.riec.uuid if organisation.riec else None,
                    "benchmark_opt_in": organisation.benchmark_opt_in,
                    "two_factor_roles": organisation.two_factor_roles,
                    "version": organisation.version,
                },
            )
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["two_factor_roles"].choices = role_choices(organisation.kind)  # type: ignore[attr-defined]
        if organisation.kind == OrganisationKind.GEMEENTE:
            # Organisation is the tenant itself, not tenant-scoped: every RIEC may be chosen.
            self.fields["riec"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
                kind=OrganisationKind.RIEC, is_active=True
            ).order_by("name")
        else:
            # A RIEC publishes no management report, so it has no cover logo either.
            for name in ("inhabitants", "size_class", "riec", "benchmark_opt_in", "logo", "remove_logo"):
                del self.fields[name]

    def clean_logo(self) -> CheckedLogo | None:
        upload = self.cleaned_data.get("logo")
        if not upload:
            return None
        # Read one byte more than allowed: enough to know it is too big, without reading it all.
        content = upload.read(MAX_LOGO_BYTES + 1)
        try:
            return check_logo(content)
        except ValidationError as error:
            raise ValidationError(error.message_dict["logo"]) from error

    @staticmethod
    def default_two_factor_labels() -> list[str]:
        labels = dict(Role.choices)
        return [str(labels[role]) for role in DEFAULT_TWO_FACTOR_ROLES]


class UnitForm(forms.Form):
    name = forms.CharField(label=_("Naam"), max_length=200)
    parent = UnitChoiceField(
        label=_("Valt onder"),
        required=False,
        empty_label=_("Niets: dit is een afdeling op het hoogste niveau"),
    )
    description = forms.CharField(
        label=_("Omschrijving"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Optioneel: wat doet deze afdeling of dit team?"),
    )

    def __init__(self, *args: Any, parent_options: Iterable[UnitNode], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parent_field = self.fields["parent"]
        assert isinstance(parent_field, UnitChoiceField)
        parent_field.set_nodes(parent_options)


class UnitEditForm(UnitForm, VersionedForm):
    pass


class MembershipForm(VersionedForm):
    roles = forms.MultipleChoiceField(
        label=_("Rollen"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies ten minste één rol.")},
    )
    unit = UnitChoiceField(label=_("Afdeling of team"), required=False, empty_label=_("Geen afdeling"))

    def __init__(self, *args: Any, kind: str, unit_options: Iterable[UnitNode], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = role_choices(kind)  # type: ignore[attr-defined]
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, UnitChoiceField)
        unit_field.set_nodes(unit_options)


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mailadres"),
        max_length=254,
        help_text=_("Hierheen sturen we de persoonlijke link. Die werkt één keer."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    full_name = forms.CharField(
        label=_("Naam"),
        max_length=200,
        required=False,
        help_text=_("Optioneel; de uitgenodigde kan de naam zelf nog aanpassen."),
    )
    roles = forms.MultipleChoiceField(
        label=_("Rollen"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies ten minste één rol.")},
    )
    unit = UnitChoiceField(label=_("Afdeling of team"), required=False, empty_label=_("Geen afdeling"))

    def __init__(self, *args: Any, kind: str, unit_options: Iterable[UnitNode], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = role_choices(kind)  # type: ignore[attr-defined]
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, UnitChoiceField)
        unit_field.set_nodes(unit_options)


class NewOwnerMixin(forms.Form):
    """Who takes over what a member owns when they lose access (shown only when they own something)."""

    new_owner = forms.ChoiceField(label=_("Nieuwe eigenaar"), required=False)

    def set_new_owner_options(self, *, candidates: Iterable[Membership], owned: list[str]) -> None:
        self.owned = owned
        self.candidates = {str(each.uuid): each for each in candidates}
        field = self.fields["new_owner"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Kies wie het overneemt"))] + [
            (key, f"{each.user.full_name} ({each.user.email})" if each.user.full_name else each.user.email)
            for key, each in self.candidates.items()
        ]
        if owned:
            field.help_text = _("Deze collega is nu eigenaar van %(things)s. Wie neemt dat over?") % {
                "things": _(" en ").join(owned)
            }
        else:
            field.widget = forms.HiddenInput()

    def clean_new_owner(self) -> Membership | None:
        key = self.cleaned_data.get("new_owner") or ""
        return getattr(self, "candidates", {}).get(key)


class DeactivateMembershipForm(NewOwnerMixin, VersionedForm):
    reason = forms.CharField(
        label=_("Reden (optioneel)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bijvoorbeeld: uit dienst, andere functie. De reden komt in de audittrail."),
    )


class RevokeAccessForm(NewOwnerMixin, VersionedForm):
    reason = forms.CharField(
        label=_("Reden"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Waarom is deze toegang niet meer nodig? De reden komt in de audittrail."),
        error_messages={"required": _("Geef aan waarom de toegang wordt ingetrokken.")},
    )


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("Zoek op naam of e-mailadres"), required=False, max_length=200)
    role = forms.ChoiceField(label=_("Rol"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Actief en gedeactiveerd")),
            ("actief", _("Alleen actief")),
            ("inactief", _("Alleen gedeactiveerd")),
        ],
    )
    sort = forms.ChoiceField(
        label=_("Sorteren op"),
        required=False,
        choices=[("naam", _("Naam (A–Z)")), ("-naam", _("Naam (Z–A)")), ("laatst-ingelogd", _("Laatst ingelogd"))],
    )

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", _("Alle rollen")), *role_choices(kind)]  # type: ignore[attr-defined]


class AcceptInvitationForm(forms.Form):
    """A new person chooses their name and password; Django's password validators apply."""

    full_name = forms.CharField(
        label=_("Uw naam"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    password1 = forms.CharField(
        label=_("Kies een wachtwoord"),
        strip=False,
        max_length=256,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Minstens 12 tekens; geen veelgebruikt wachtwoord en niet alleen cijfers."),
    )
    password2 = forms.CharField(
        label=_("Herhaal het wachtwoord"),
        strip=False,
        max_length=256,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("De twee wachtwoorden zijn niet gelijk."))
        elif password1:
            candidate = User(email=self.email, full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(password1, user=candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned
