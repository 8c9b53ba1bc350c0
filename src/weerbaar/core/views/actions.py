"""Shared view plumbing for buttons that change state (archive, reactivate, confirm)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect

from weerbaar.core.forms import VersionedForm, action_error_text


def run_button_action(
    request: HttpRequest, *, perform: Callable[[int | None], object], success: str, done: str, refused: str
) -> HttpResponseRedirect:
    """A POST button (archive, reactivate, confirm) that carries the version the user saw.

    Runs ``perform(version)``; on success shows ``success`` and goes to ``done``, otherwise explains
    in Dutch why nothing happened and goes to ``refused``. There is no typed input to keep.
    """
    form = VersionedForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(message) for message in form.non_field_errors()))
        return redirect(refused)
    try:
        perform(form.cleaned_data["version"])
    except ValidationError as error:
        messages.error(request, action_error_text(error))
        return redirect(refused)
    messages.success(request, success)
    return redirect(done)
