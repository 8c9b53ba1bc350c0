"""“Mijn meldingen”: which e-mails a member gets, and switching the digests on or off."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from weerbaar.attention.forms_preferences import PreferenceForm
from weerbaar.attention.models import DigestKind, DigestLog
from weerbaar.attention.services.preferences import (
    notification_preference_update,
    offers_monthly,
    offers_weekly,
    preference_for,
)
from weerbaar.core.forms import apply_service_error
from weerbaar.core.http import AppRequest
from weerbaar.core.models import Membership
from weerbaar.core.permissions import Action
from weerbaar.core.policies import requires
from weerbaar.core.services import StaleVersion


def _last_sent(member: Membership) -> dict[str, Any]:
    """When each digest last went out to this member (periods without news send nothing)."""
    rows = (
        DigestLog.objects.filter(membership=member, sent_at__isnull=False, item_count__gt=0)
        .values("kind")
        .annotate(last=Max("sent_at"))
        .order_by()
    )
    return {row["kind"]: row["last"] for row in rows}


@require_http_methods(["GET", "POST"])
@requires(Action.DASHBOARD_VIEW)
def preferences(request: AppRequest) -> HttpResponse:
    member = request.membership
    assert member is not None
    preference = preference_for(member)
    weekly, monthly = offers_weekly(member), offers_monthly(member)
    form = PreferenceForm(
        request.POST if request.method == "POST" else None,
        initial={
            "weekly_digest": preference.weekly_digest,
            "monthly_digest": preference.monthly_digest,
            "version": preference.version,
        },
        weekly=weekly,
        monthly=monthly,
    )
    if request.method == "POST" and form.is_valid():
        try:
            notification_preference_update(
                actor=request.user,
                member=member,
                version=form.cleaned_data["version"],
                weekly_digest=form.cleaned_data.get("weekly_digest"),
                monthly_digest=form.cleaned_data.get("monthly_digest"),
            )
        except StaleVersion as error:
            form.show_conflict(error, preference_for(member).version)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Uw keuzes voor e-mailmeldingen zijn opgeslagen."))
            return redirect("attention:preferences")
    last = _last_sent(member)
    context = {
        "form": form,
        "preference": preference,
        "offers_weekly": weekly,
        "offers_monthly": monthly,
        "rates_scans": member.can(Action.SCAN_RATE),
        "last_weekly": last.get(DigestKind.WEEKLY),
        "last_monthly": last.get(DigestKind.MONTHLY),
    }
    return TemplateResponse(request, "attention/preferences.html", context)


urlpatterns = [
    path("mijn-meldingen", preferences, name="preferences"),
]
