"""Organisation settings (beheerder): name, size, RIEC, regional comparison and the 2FA policy."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from weerbaar.core import services
from weerbaar.core.forms import OrganisationSettingsForm, apply_service_error
from weerbaar.core.http import AppRequest
from weerbaar.core.models import Organisation
from weerbaar.core.permissions import Action
from weerbaar.core.policies import requires


@require_http_methods(["GET", "POST"])
@requires(Action.ORGANISATION_MANAGE)
def organisation_settings(request: AppRequest) -> HttpResponse:
    assert request.organisation is not None
    organisation = Organisation.objects.select_related("riec").get(pk=request.organisation.pk)
    form = OrganisationSettingsForm(request.POST or None, organisation=organisation)
    current = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {key: data[key] for key in data if key != "version"}
        try:
            services.organisation_update(
                actor=request.user, organisation=organisation, version=data["version"], **fields
            )
        except services.StaleVersion as error:
            current = Organisation.objects.select_related("riec").get(pk=organisation.pk)
            form.show_conflict(error, current.version)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("De instellingen zijn opgeslagen."))
            return redirect("core:organisation_settings")
    return TemplateResponse(
        request,
        "core/organisation_settings.html",
        {
            "form": form,
            "organisation": organisation,
            "current": current,
            "default_two_factor": OrganisationSettingsForm.default_two_factor_labels(),
        },
    )
