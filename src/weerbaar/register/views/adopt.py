"""Overnemen uit de catalogus: per unit, tick the reference processes that apply, name them, give owners.

Step 1 (GET without ``afdeling``) chooses the unit; step 2 (GET with it) lists the effective
reference processes per category; the POST adopts the ticked ones in one go, or keeps everything
the user ticked and typed and explains per row what is wrong.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from weerbaar.core import selectors as core_selectors
from weerbaar.core.http import AppRequest
from weerbaar.core.models import Unit
from weerbaar.core.permissions import Action
from weerbaar.core.policies import requires
from weerbaar.register import adoption, selectors, services
from weerbaar.register.adoption_forms import NO_UNIT, AdoptDefaultsForm, AdoptRowForm, AdoptUnitForm, owner_choices

TEMPLATE = "register/adopt.html"


def _next_unit(units: list[Unit], unit: Unit | None) -> Unit | None:
    """The unit after ``unit`` in tree order, for "Opslaan en verder met …"."""
    if unit is None or unit not in units:
        return None
    index = units.index(unit)
    return units[index + 1] if index + 1 < len(units) else None


def _done(request: AppRequest, unit: Unit | None, next_unit: Unit | None) -> HttpResponseRedirect:
    if next_unit is not None and "verder" in request.POST:
        return HttpResponseRedirect(f"{reverse('register:adopt')}?{urlencode({'afdeling': next_unit.uuid})}")
    target = reverse("register:process_list")
    return HttpResponseRedirect(f"{target}?{urlencode({'afdeling': unit.uuid})}" if unit else target)


@require_http_methods(["GET", "POST"])
@requires(Action.REGISTER_EDIT)
def adopt(request: AppRequest) -> HttpResponse:
    assert request.organisation is not None
    organisation = request.organisation
    nodes = core_selectors.unit_options()
    source = request.POST if request.method == "POST" else request.GET
    unit_form = AdoptUnitForm(source if "afdeling" in source else None, unit_options=nodes)
    if not unit_form.is_valid():
        return TemplateResponse(
            request, TEMPLATE, {"unit_form": unit_form, "progress": adoption.unit_progress(nodes), "step": 1}
        )
    unit: Unit | None = unit_form.cleaned_data["afdeling"]
    next_unit = _next_unit([node.unit for node in nodes], unit)
    owners = owner_choices(selectors.owner_options())
    data = request.POST if request.method == "POST" else None
    defaults = AdoptDefaultsForm(data, owners=owners)
    groups = adoption.adoption_groups(organisation=organisation, unit=unit)
    rows = [row for group in groups for row in group.rows if row.existing is None]
    for row in rows:
        prefix = f"r-{row.key}"
        # A reference added to the catalogue after the page was opened was not on it: it stays unticked.
        row_data = data if data is not None and f"{prefix}-name" in data else None
        row.form = AdoptRowForm(row_data, prefix=prefix, initial={"name": row.reference.name}, owners=owners)
    general: list[str] = []
    valid = defaults.is_valid() and all(row.form.is_valid() for row in rows if row.form.is_bound)
    if request.method == "POST" and valid:
        default_owner = defaults.cleaned_data["standaard_eigenaar"]
        selections = [
            services.AdoptSelection(
                reference_process=row.reference,
                name=row.form.cleaned_data["name"],
                owner=row.form.cleaned_data["owner"] or default_owner,
            )
            for row in rows
            if row.form.ticked
        ]
        try:
            created = services.processes_adopt(
                actor=request.user, organisation=organisation, unit=unit, selections=selections
            )
        except services.AdoptionRefused as error:
            general = error.general
            for row in rows:
                for field, found in error.rows.get(row.key, {}).items():
                    # Anything but the owner is about this row as a whole: shown next to its name.
                    row.form.add_error("owner" if field == "owner" else "name", found)
        else:
            count = len(created)
            messages.success(
                request,
                ngettext(
                    "%(count)d proces toegevoegd aan het register.",
                    "%(count)d processen toegevoegd aan het register.",
                    count,
                )
                % {"count": count},
            )
            return _done(request, unit, next_unit)
    return TemplateResponse(
        request,
        TEMPLATE,
        {
            "step": 2,
            "unit_form": unit_form,
            "unit": unit,
            "unit_value": str(unit.uuid) if unit else NO_UNIT,
            "next_unit": next_unit,
            "defaults": defaults,
            "groups": groups,
            "fitting_count": sum(group.fitting_count for group in groups),
            "general_errors": general,
            "problem_rows": [row for row in rows if row.error_messages],
            "has_errors": bool(general or defaults.errors or any(row.error_messages for row in rows)),
        },
    )
