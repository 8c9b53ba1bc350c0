"""Forms of the "overnemen uit de catalogus" wizard: the unit to work on, the default owner, one form per row.

They only parse input; ``services.processes_adopt`` decides what may be adopted.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from weerbaar.core.models import Membership, Unit
from weerbaar.core.selectors import UnitNode
from weerbaar.register.forms import ObjectChoiceField, member_label

#: The unit choice for processes of the whole organisation.
NO_UNIT = "geen"


class AdoptUnitForm(forms.Form):
    """Step 1, sent with GET (and carried along as a hidden field when the rows are posted)."""

    afdeling = forms.ChoiceField(
        label=_("Afdeling of team"),
        error_messages={
            "required": _("Kies een afdeling, of “Geen afdeling”."),
            "invalid_choice": _("Deze afdeling bestaat niet (meer). Kies een afdeling uit de lijst."),
        },
    )

    def __init__(self, *args: Any, unit_options: Iterable[UnitNode], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units: dict[str, Unit] = {str(node.unit.uuid): node.unit for node in unit_options}
        choices: list[tuple[str, str]] = [("", str(_("Kies een afdeling")))]
        choices += [(key, node.path) for key, node in zip(self.units, unit_options, strict=True)]
        choices.append((NO_UNIT, str(_("Geen afdeling (voor de hele organisatie)"))))
        field = self.fields["afdeling"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def clean_afdeling(self) -> Unit | None:
        key = self.cleaned_data["afdeling"]
        return None if key == NO_UNIT else self.units[key]


def _owner_field(**kwargs: Any) -> ObjectChoiceField:
    return ObjectChoiceField(required=False, empty_label=_("Nog geen eigenaar"), **kwargs)


def owner_choices(owners: Iterable[Membership]) -> list[tuple[Membership, str]]:
    """Labelled once per page: a hundred rows share them."""
    return [(each, member_label(each)) for each in owners]


def _set_owners(field: Any, owners: list[tuple[Membership, str]]) -> None:
    assert isinstance(field, ObjectChoiceField)
    field.set_objects(owners)


class AdoptDefaultsForm(forms.Form):
    standaard_eigenaar = _owner_field(
        label=_("Standaard proceseigenaar"),
        help_text=_("Voor de aangevinkte processen waarbij u hieronder geen eigenaar kiest."),
    )

    def __init__(self, *args: Any, owners: list[tuple[Membership, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_owners(self.fields["standaard_eigenaar"], owners)


class AdoptRowForm(forms.Form):
    """One reference process; prefix ``r-<reference uuid>``. An empty name is the service's to refuse."""

    adopt = forms.BooleanField(label=_("Overnemen"), required=False)
    name = forms.CharField(label=_("Naam in uw register"), required=False, max_length=200)
    owner = _owner_field(label=_("Proceseigenaar"))

    def __init__(self, *args: Any, owners: list[tuple[Membership, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_owners(self.fields["owner"], owners)

    @property
    def ticked(self) -> bool:
        # Reading ``errors`` cleans the form; a ticked box counts even when the name is wrong.
        return self.is_bound and "adopt" not in self.errors and bool(self.cleaned_data.get("adopt"))
