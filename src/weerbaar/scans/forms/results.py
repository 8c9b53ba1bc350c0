"""The filters of the results page and its export (a GET form: nothing is written)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from weerbaar.core.forms import PlainSelect, UnitChoiceField
from weerbaar.core.selectors import UnitNode
from weerbaar.register.forms import ObjectChoiceField, member_label
from weerbaar.register.selectors import NO_OWNER
from weerbaar.scans.models import Scan

LEVEL_CHOICES = [(str(level), str(level)) for level in range(1, 6)]


def scan_label(scan: Scan) -> str:
    return str(scan.name) if scan.is_closed else f"{scan.name} – {_('voorlopig (consensusfase)')}"


class ResultFilterForm(forms.Form):
    scan = forms.ChoiceField(label=_("Scan"), required=False, widget=PlainSelect)
    afdeling = UnitChoiceField(
        label=_("Afdeling of team"), required=False, empty_label=_("Alle afdelingen"), widget=PlainSelect
    )
    categorie = ObjectChoiceField(label=_("Categorie"), required=False, empty_label=_("Alle categorieën"))
    eigenaar = ObjectChoiceField(label=_("Eigenaar"), required=False, empty_label=_("Alle eigenaren"))
    kans = forms.ChoiceField(
        label=_("Kans (1-5)"), required=False, choices=[("", _("Alle")), *LEVEL_CHOICES], widget=PlainSelect
    )
    impact = forms.ChoiceField(
        label=_("Impact (1-5)"), required=False, choices=[("", _("Alle")), *LEVEL_CHOICES], widget=PlainSelect
    )

    def __init__(
        self,
        *args: Any,
        scans: Sequence[Scan],
        unit_options: Iterable[UnitNode],
        categories: Iterable[Any],
        owners: Iterable[Any] | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.scans = {str(scan.uuid): scan for scan in scans}
        scan_field = self.fields["scan"]
        assert isinstance(scan_field, forms.ChoiceField)
        scan_field.choices = [
            ("", str(_("Laatste afgesloten scan"))),
            *((key, scan_label(scan)) for key, scan in self.scans.items()),
        ]
        unit_field = self.fields["afdeling"]
        assert isinstance(unit_field, UnitChoiceField)
        unit_field.set_nodes(unit_options)
        category_field = self.fields["categorie"]
        assert isinstance(category_field, ObjectChoiceField)
        category_field.set_objects((each, each.name) for each in categories)
        owner_field = self.fields["eigenaar"]
        assert isinstance(owner_field, ObjectChoiceField)
        if owners is None:
            # A proceseigenaar sees only their own processes: an owner filter would only confuse.
            del self.fields["eigenaar"]
        else:
            owner_field.set_objects(
                ((each, member_label(each)) for each in owners), extra=[(NO_OWNER, str(_("Zonder eigenaar")))]
            )

    def clean_scan(self) -> Scan | None:
        key = self.cleaned_data.get("scan") or ""
        return self.scans.get(key)

    def clean_kans(self) -> int | None:
        value = self.cleaned_data.get("kans")
        return int(value) if value else None

    def clean_impact(self) -> int | None:
        value = self.cleaned_data.get("impact")
        return int(value) if value else None

    def described(self) -> list[str]:
        """The active filters in words (the export's header and its audit record)."""
        if not self.is_valid():
            return []
        labels = []
        for name in ("afdeling", "categorie", "eigenaar", "kans", "impact"):
            if name not in self.fields:
                continue
            value = self.cleaned_data.get(name)
            if value in (None, ""):
                continue
            field = self.fields[name]
            shown = dict(field.choices).get(self.data.get(name), value)  # type: ignore[attr-defined]
            labels.append(f"{field.label}: {shown}")
        return labels
