"""Organisation settings (beheerder): name, size, RIEC, regional comparison, the 2FA policy and the
logo on the report's cover."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from weerbaar.core import services
from weerbaar.core.forms import OrganisationSettingsForm, apply_service_error
from weerbaar.core.http import AppRequest
from weerbaar.core.models import Organisation, OrganisationLogo
from weerbaar.core.permissions import Action
from weerbaar.core.policies import requires

LOGO_FIELDS = ("logo", "remove_logo")


@require_http_methods(["GET", "POST"])
@requires(Action.ORGANISATION_MANAGE)
def organisation_settings(request: AppRequest) -> HttpResponse:
    assert request.organisation is not None
    organisation = Organisation.objects.select_related("riec").get(pk=request.organisation.pk)
    form = OrganisationSettingsForm(request.POST or None, request.FILES or None, organisation=organisation)
    current = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {key: data[key] for key in data if key != "version" and key not in LOGO_FIELDS}
        try:
            services.organisation_update(
                actor=request.user,
                organisation=organisation,
                version=data["version"],
                logo=data.get("logo"),
                remove_logo=bool(data.get("remove_logo")),
                **fields,
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
            "has_logo": OrganisationLogo.objects.filter(organisation=organisation).exists(),
            "current": current,
            "default_two_factor": OrganisationSettingsForm.default_two_factor_labels(),
        },
    )


@require_GET
@requires(Action.ORGANISATION_MANAGE)
def organisation_logo(request: AppRequest) -> HttpResponse:
    """The stored logo, for the settings page; 204 when there is none."""
    assert request.organisation is not None
    stored = (
        OrganisationLogo.objects.filter(organisation=request.organisation)
        .values_list("content", "content_type")
        .first()
    )
    if stored is None or not stored[0] or stored[1] not in ("image/png", "image/jpeg"):
        return HttpResponse(status=204)
    response = HttpResponse(bytes(stored[0]), content_type=stored[1])
    response["X-Content-Type-Options"] = "nosniff"
    # Opened on its own, the image gets no script, plug-ins or same-origin rights whatever it holds.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["Cache-Control"] = "private, no-cache"
    return response
