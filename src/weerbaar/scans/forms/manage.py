"""Forms of the scan management pages. They only parse input; the scan services decide and explain."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from weerbaar.core.forms import VersionedForm
from weerbaar.core.models import Membership
from weerbaar.register.models import Process
from weerbaar.scans.models import Scan
from weerbaar.scans.selectors.manage import ProcessPicker

SCOPE_ALL = "alle"
SCOPE_SELECTION = "selectie"
DEFAULT_DEADLINE_DAYS = 21


def _date_field(label: Any, *, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        error_messages={"invalid": _("Vul een geldige datum in, bijvoorbeeld 31-12-2026.")},
    )


def rater_label(member: Membership) -> str:
    user = member.user
    name = user.full_name or user.email
    roles = ", ".join(member.role_labels())
    label = f"{name} ({roles})" if roles else name
    return label if member.is_active else f"{label} – {_('niet meer actief')}"


def default_scan_values(today: dt.date | None = None) -> dict[str, Any]:
    """A new scan covers this calendar year and gives the raters three weeks."""
    today = today or timezone.localdate()
    return {
        "name": gettext("Kwetsbaarhedenscan %(year)s") % {"year": today.year},
        "period_start": dt.date(today.year, 1, 1),
        "period_end": dt.date(today.year, 12, 31),
        "deadline": today + dt.timedelta(days=DEFAULT_DEADLINE_DAYS),
    }


class ScanForm(forms.Form):
    name = forms.CharField(label=_("Naam van de scan"), max_length=200)
    period_start = _date_field(_("Periode vanaf"), help_text=_("Over welke periode gaat de beoordeling?"))
    period_end = _date_field(_("Periode tot en met"))
    deadline = _date_field(
        _("Uiterste datum voor het beoordelen"),
        help_text=_("Tot deze datum kunnen de beoordelaars hun beoordeling inleveren. Zij krijgen een herinnering."),
    )
    description = forms.CharField(
        label=_("Toelichting voor de beoordelaars"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Optioneel: waarom deze scan, waar ze op moeten letten, bij wie ze terechtkunnen met vragen."),
    )
    allow_single_rater = forms.BooleanField(
        label=_("Eén beoordelaar per proces toestaan (kleine gemeente)"),
        required=False,
        help_text=_("De uitkomsten worden dan gemarkeerd met ‘één beoordelaar’."),
    )
    previous_scan = forms.ChoiceField(
        label=_("Vorige scan als startpunt"),
        required=False,
        help_text=_(
            "Een herhaalscan: de beoordelaars beginnen met de consensus van die scan en bevestigen of wijzigen "
            "elke waarde. De uitkomsten tonen dan de trend ten opzichte van die ronde."
        ),
        error_messages={"invalid_choice": _("Kies een afgesloten scan uit de lijst, of ‘Niet’.")},
    )

    def set_previous_scans(self, scans: Iterable[Scan]) -> None:
        """The closed scans to start from, newest first, and "not". No closed scan yet (a first scan), or
        a scan that is already open: no such field."""
        self.previous_options = {str(scan.uuid): scan for scan in scans}
        if not self.previous_options:
            self.fields.pop("previous_scan", None)
        if "previous_scan" in self.fields:
            self.fields["previous_scan"].choices = [  # type: ignore[attr-defined]
                ("", _("Niet: begin met lege beoordelingen")),
                *((key, scan.name) for key, scan in self.previous_options.items()),
            ]

    def clean_previous_scan(self) -> Scan | None:
        key = self.cleaned_data.get("previous_scan") or ""
        return self.previous_options.get(key) if key else None

    def scan_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.fields if name in SCAN_FORM_FIELDS}


SCAN_FORM_FIELDS = (
    "name",
    "period_start",
    "period_end",
    "deadline",
    "description",
    "allow_single_rater",
    "previous_scan",
)
#: What may still change once raters are at work.
OPEN_FIELDS = ("name", "deadline", "description")


class ScanEditForm(ScanForm, VersionedForm):
    def __init__(self, *args: Any, open_only: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if open_only:
            for name in SCAN_FORM_FIELDS:
                if name not in OPEN_FIELDS:
                    del self.fields[name]
        else:
            self.fields["previous_scan"].help_text = _(
                "Kan alleen zolang de scan een concept is. Bij een ander startpunt beginnen alle beoordelingen "
                "opnieuw vanaf de consensus van die scan (of leeg); er is nog niets beoordeeld, dus er gaat niets "
                "verloren."
            )


class ScopeFields(forms.Form):
    """Which processes a scan covers: all active ones, or units and/or single processes."""

    scope = forms.ChoiceField(
        label=_("Welke processen komen in de scan?"),
        choices=[
            (SCOPE_ALL, _("Alle actieve processen")),
            (SCOPE_SELECTION, _("Een selectie: kies hieronder afdelingen en/of losse processen")),
        ],
        widget=forms.RadioSelect,
        initial=SCOPE_ALL,
    )
    units = forms.MultipleChoiceField(label=_("Afdelingen en teams"), required=False)
    processes = forms.MultipleChoiceField(label=_("Losse processen"), required=False)
    extra_raters = forms.MultipleChoiceField(
        label=_("Beoordelaars naast de proceseigenaar"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Standaard beoordeelt de proceseigenaar samen met ten minste één collega. Wie u hier aanvinkt, "
            "beoordeelt elk proces in de scan. Per proces past u de beoordelaars daarna nog aan."
        ),
    )

    def set_options(self, *, picker: ProcessPicker, raters: Iterable[Membership]) -> None:
        self.picker = picker
        self.rater_options = {str(member.uuid): member for member in raters}
        self.fields["units"].choices = [(group.key, group.label) for group in picker.units]  # type: ignore[attr-defined]
        self.fields["processes"].choices = [  # type: ignore[attr-defined]
            (key, process.name) for key, process in picker.processes.items()
        ]
        self.fields["extra_raters"].choices = [  # type: ignore[attr-defined]
            (key, rater_label(member)) for key, member in self.rater_options.items()
        ]

    def selected(self, name: str) -> set[str]:
        """The ticked values as the page shows them: what was posted, else the initial choice."""
        value = self[name].value() or []
        return {str(each) for each in (value if isinstance(value, list | tuple) else [value])}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        scope = cleaned.get("scope")
        chosen: dict[str, Process] = {}
        if scope == SCOPE_ALL:
            chosen = {str(process.uuid): process for process in self.picker.active}
        elif scope == SCOPE_SELECTION:
            keys = list(cleaned.get("processes") or [])
            for unit_key in cleaned.get("units") or []:
                keys.extend(self.picker.unit_processes.get(unit_key, []))
            chosen = {key: self.picker.processes[key] for key in keys if key in self.picker.processes}
            if not chosen and "processes" not in self.errors and "units" not in self.errors:
                self.add_error(
                    "processes", _("Kies ten minste één afdeling of proces, of kies ‘Alle actieve processen’.")
                )
        cleaned["chosen_processes"] = sorted(chosen.values(), key=lambda process: (process.name.lower(), process.pk))
        cleaned["chosen_raters"] = [self.rater_options[key] for key in cleaned.get("extra_raters") or []]
        return cleaned


class ScanCreateForm(ScanForm, ScopeFields):
    pass


class ScanScopeForm(ScopeFields, VersionedForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["extra_raters"].help_text = _(
            "Alleen voor processen die u nu toevoegt: zij krijgen hun eigenaar en deze beoordelaars. "
            "Processen die al in de scan zitten, houden hun beoordelaars."
        )


class RaterForm(VersionedForm):
    """Who rates one process of the scan; every row of the raters page is its own small form."""

    scan_process = forms.CharField(widget=forms.HiddenInput, max_length=40)
    raters = forms.MultipleChoiceField(
        label=_("Beoordelaars"),
        error_messages={"required": _("Kies ten minste één beoordelaar.")},
    )

    def set_options(self, members: Iterable[Membership]) -> None:
        self.members = {str(member.uuid): member for member in members}
        self.fields["raters"].choices = [  # type: ignore[attr-defined]
            (key, rater_label(member)) for key, member in self.members.items()
        ]

    def selected(self) -> set[str]:
        """The ticked raters as posted, to show them again when saving failed."""
        return {str(each) for each in self.data.getlist(self.add_prefix("raters"))}  # type: ignore[attr-defined]

    def chosen(self) -> list[Membership]:
        return [self.members[key] for key in self.cleaned_data["raters"]]
