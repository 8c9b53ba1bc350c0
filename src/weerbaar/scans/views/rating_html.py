"""The rating form's repeated parts, rendered in Python (the rating page, ``views.rating``).

Eight characteristics with five levels each, five impact dimensions and the circumstances: through
the template engine they took most of the page's time. The markup is what the template gave; every
value is escaped with ``escape`` (the standard library's, which Django's wraps), the fixed texts are
translated once per page and, as in a template, not escaped.

In a repeat scan each copied item shows the previous consensus and a "confirm" checkbox with its
state ("bevestigd" / "nog bevestigen"); an autosave swaps those states in again (``confirm_states``).
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from itertools import groupby

from django.forms import BoundField
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from weerbaar.scans.forms.rating import CharacteristicRow, ImpactRow, RatingForm
from weerbaar.scans.models import Rating, prefilled_items


def _errors(field: BoundField | None) -> str:
    if field is None:
        return ""
    return "".join(f'<p class="field-error">{escape(str(error))}</p>' for error in field.errors)


def _autosave(url: str, name: str) -> str:
    """The htmx attributes that save one field as soon as it changes."""
    return f'hx-post="{url}" hx-trigger="change delay:300ms" hx-vals=\'{{"field": "{escape(name)}"}}\''


@dataclass(frozen=True)
class RatingFormHtml:
    characteristics: SafeString
    circumstances: SafeString
    impact: SafeString
    #: A repeat scan: the previous consensus's circumstances and their confirm checkbox ("" otherwise).
    circumstances_previous: SafeString
    circumstances_confirm: SafeString


def _confirm_texts() -> dict[str, str]:
    return {
        "confirmed": _("bevestigd"),
        "to_confirm": _("nog bevestigen"),
        "previous": _("Vorige scan (consensus):"),
        "choose": _("bevestig of kies een andere waarde"),
        "none": _("geen"),
    }


def confirm_state(item: str, confirmed: bool, texts: dict[str, str], *, oob: bool = False) -> str:
    """The visible state of one copied item; ``oob`` for an autosave's out-of-band swap."""
    ident = escape(item)
    swap = ' hx-swap-oob="true"' if oob else ""
    return (
        f'<span id="confirm-state-{ident}" class="status {"status--ok" if confirmed else "status--warning"} '
        f'rating-confirm__state" data-confirm-state data-for="id_confirm-{ident}" '
        f'data-confirmed="{1 if confirmed else 0}"{swap}>'
        f"{texts['confirmed'] if confirmed else texts['to_confirm']}</span>"
    )


def confirm_states(rating: Rating) -> SafeString:
    """Every copied item's state, swapped in after an autosave; a confirmed item also loses its error."""
    texts = _confirm_texts()
    confirmed = set(rating.confirmed)
    parts = []
    for item in prefilled_items(rating.prefilled):
        parts.append(confirm_state(item, item in confirmed, texts, oob=True))
        if item in confirmed:
            parts.append(f'<div id="error-confirm-{escape(item)}" class="rating-errors" hx-swap-oob="true"></div>')
    return mark_safe("".join(parts))  # every value is escaped


def _confirm_box(item: str, field: BoundField, url: str, label: str, confirmed: bool, texts: dict[str, str]) -> str:
    ident = escape(item)
    ticked = " checked" if field.value() else ""
    return (
        f'<div class="rating-confirm">\n'
        f'<input type="checkbox" name="confirm-{ident}" id="id_confirm-{ident}" value="1"{ticked} '
        f'aria-describedby="confirm-state-{ident} error-confirm-{ident}" {_autosave(url, f"confirm-{item}")}>\n'
        f'<label for="id_confirm-{ident}">{label}</label>\n'
        f"{confirm_state(item, confirmed, texts)}\n"
        f'<div id="error-confirm-{ident}" class="rating-errors">{_errors(field)}</div>\n</div>'
    )


def _previous(ident: str, value: str, texts: dict[str, str]) -> str:
    return (
        f'<p class="rating-previous" id="previous-{ident}">{texts["previous"]} <strong>{escape(value)}</strong>'
        f" – {texts['choose']}</p>\n"
    )


def _characteristic(
    row: CharacteristicRow, url: str, autofocus: str | None, texts: dict[str, str], confirm_texts: dict[str, str]
) -> str:
    key = escape(row.key)
    each = row.characteristic
    questions = (
        "<ul>" + "".join(f"<li>{escape(str(question))}</li>" for question in each.questions) + "</ul>"
        if each.questions
        else ""
    )
    # The keyboard starts on the chosen level (a value copied from the previous scan), else the first.
    first = next(iter(each.scale_items()), ("", ""))[0]
    levels = "\n".join(
        f'<li><input type="radio" name="score-{key}" id="score-{key}-{escape(level)}" value="{escape(level)}" '
        f'data-key="{escape(level)}"{" checked" if row.value == level else ""}'
        f"{' autofocus' if autofocus == row.key and level == (row.value or first) else ''}>\n"
        f'<label for="score-{key}-{escape(level)}"><span class="rating-scale__level">{escape(level)}</span> '
        f"{escape(text)}</label></li>"
        for level, text in each.scale_items()
    )
    rationale_errors = row.rationale.errors
    invalid = ' aria-invalid="true"' if rationale_errors else ""
    rationale = row.rationale.value()
    code = escape(each.code)
    prefilled = row.confirm is not None
    confirm = (
        _confirm_box(row.key, row.confirm, url, texts["confirm"] % {"code": code}, row.confirmed, confirm_texts)
        if row.confirm is not None
        else ""
    )
    return (
        f'<div class="rating-item" id="kenmerk-{key}">\n'
        f'<fieldset class="rating-group" data-rating-group{" data-prefilled" if prefilled else ""} '
        f'aria-describedby="{f"previous-{key} " if prefilled else ""}error-score-{key}"\n'
        f"{_autosave(url, f'score-{row.key}')}>\n"
        f'<legend class="rating-group__legend">{code} {escape(each.name)}</legend>\n'
        f"{_previous(key, row.previous, confirm_texts) if prefilled else ''}"
        f'<details class="rating-why">\n<summary>{texts["why"]}</summary>\n'
        f"<p>{escape(each.why)}</p>\n{questions}\n</details>\n"
        f'<div id="error-score-{key}" class="rating-errors">{_errors(row.score)}</div>\n'
        f'<ul class="rating-scale">\n{levels}\n</ul>\n</fieldset>\n'
        f"{confirm}\n"
        f'<div class="form-field rating-rationale{" form-field--invalid" if rationale_errors else ""}">\n'
        f'<label for="id_rationale-{key}">{texts["rationale"] % {"code": code}} <span class="rating-needed" '
        f'data-needed="{key}"{"" if row.needs_rationale else " hidden"}>({texts["needed"]})</span></label>\n'
        f'<span class="help" id="help-rationale-{key}">{texts["rationale_help"]}</span>\n'
        f'<div id="error-rationale-{key}" class="rating-errors">{_errors(row.rationale)}</div>\n'
        f'<textarea name="rationale-{key}" id="id_rationale-{key}" rows="3" '
        f'aria-describedby="help-rationale-{key} error-rationale-{key}"'
        f"{invalid}\n"
        f"{_autosave(url, f'rationale-{row.key}')}>\n"
        f"{'' if rationale is None else escape(str(rationale))}</textarea>\n</div>\n</div>"
    )


def _impact(row: ImpactRow, url: str, confirm_texts: dict[str, str]) -> str:
    key = escape(row.key)
    levels = "\n".join(
        f'<li><input type="radio" name="impact-{key}" id="impact-{key}-{escape(level)}" value="{escape(level)}" '
        f'data-key="{escape(level)}"{" checked" if row.value == level else ""}>\n'
        f'<label for="impact-{key}-{escape(level)}"><span class="rating-scale__level">{escape(level)}</span> '
        f"<strong>{escape(str(name))}</strong>: {escape(str(anchor))}</label></li>"
        for level, name, anchor in row.levels
    )
    prefilled = bool(row.previous)
    return (
        f'<fieldset class="rating-item rating-group" data-rating-group{" data-prefilled" if prefilled else ""} '
        f'aria-describedby="{f"previous-impact-{key} " if prefilled else ""}error-impact-{key}"\n'
        f"{_autosave(url, f'impact-{row.key}')}>\n"
        f'<legend class="rating-group__legend">{escape(str(row.label))}</legend>\n'
        f"{_previous(f'impact-{key}', row.previous, confirm_texts) if prefilled else ''}"
        f'<div id="error-impact-{key}" class="rating-errors">{_errors(row.field)}</div>\n'
        f'<ul class="rating-scale">\n{levels}\n</ul>\n</fieldset>'
    )


def _circumstance_groups(form: RatingForm, selected: set[str]) -> str:
    """The circumstances' checkboxes in their groups (as ``{% regroup %}``: consecutive options of a group)."""
    hint = f' <span class="rating-hint">({_("staat in het register bij dit proces")})</span>'
    groups = []
    for group, options in groupby(form.circumstance_options, key=lambda option: option.group):
        boxes = "\n".join(
            f'<li><input type="checkbox" name="circumstances" value="{escape(option.value)}" '
            f'id="circumstance-{escape(option.value)}"{" checked" if option.value in selected else ""}>\n'
            f'<label for="circumstance-{escape(option.value)}">{escape(option.circumstance.name)}'
            f"{hint if option.in_register else ''}</label></li>"
            for option in options
        )
        groups.append(
            f'<p class="rating-circumstances__group">{escape(group)}</p>\n<ul class="checkbox-list">\n{boxes}\n</ul>'
        )
    return "\n".join(groups) or f"<p>{_('De catalogus bevat geen interne omstandigheden.')}</p>"


def rating_form_html(
    form: RatingForm,
    *,
    rating: Rating,
    rows: list[CharacteristicRow],
    impact_rows: list[ImpactRow],
    autofocus: str | None,
    selected: set[str],
) -> RatingFormHtml:
    """The editable page's characteristics, circumstances and impact dimensions."""
    url = escape(reverse("scans:rating_autosave", kwargs={"rating_uuid": rating.uuid}))
    texts = {
        "why": _("Waarom maakt dit kwetsbaar? En hulpvragen"),
        "rationale": _("Toelichting bij %(code)s"),
        "needed": _("toelichting nodig"),
        "rationale_help": _("Nodig bij een score van 3 of 4, anders optioneel. Waarop baseert u de score?"),
        "confirm": _("Bevestigen: de score bij %(code)s klopt nu"),
    }
    confirm_texts = _confirm_texts()
    impact = "\n".join(_impact(row, url, confirm_texts) for row in impact_rows)
    if "confirm-impact" in form.fields:
        impact += "\n" + _confirm_box(
            "impact",
            form["confirm-impact"],
            url,
            _("Bevestigen: de impact hierboven klopt nu"),
            "impact" in form.confirmed,
            confirm_texts,
        )
    circumstances_previous = circumstances_confirm = ""
    if "confirm-circumstances" in form.fields:
        names = ", ".join(escape(name) for name in form.previous_circumstances()) or confirm_texts["none"]
        circumstances_previous = (
            f'<p class="rating-previous" id="previous-circumstances">{confirm_texts["previous"]} '
            f"<strong>{names}</strong> – {_('vink aan of uit wat nu geldt, of bevestig')}</p>"
        )
        circumstances_confirm = _confirm_box(
            "circumstances",
            form["confirm-circumstances"],
            url,
            _("Bevestigen: de interne omstandigheden hierboven kloppen nu"),
            "circumstances" in form.confirmed,
            confirm_texts,
        )
    # Every value is escaped.
    return RatingFormHtml(
        characteristics=mark_safe(
            "\n".join(_characteristic(row, url, autofocus, texts, confirm_texts) for row in rows)
        ),
        circumstances=mark_safe(_circumstance_groups(form, selected)),
        impact=mark_safe(impact),
        circumstances_previous=mark_safe(circumstances_previous),
        circumstances_confirm=mark_safe(circumstances_confirm),
    )
