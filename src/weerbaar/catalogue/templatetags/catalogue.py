"""Labels and links for the "what changed" page, which reads a release's stored ``changes``."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from weerbaar.catalogue.models import CircumstanceGroup, CircumstanceKind, EffectStrength, MeasureGroup, MeasureScope

register = template.Library()

KIND_LABELS = {
    "characteristics": _("Kenmerken"),
    "categories": _("Procescategorieën"),
    "reference_processes": _("Referentieprocessen"),
    "circumstances": _("Omstandigheden"),
    "measures": _("Maatregelen"),
}
FIELD_LABELS = {
    "code": _("code"),
    "name": _("naam"),
    "why": _("waarom kwetsbaar"),
    "examples": _("voorbeelden"),
    "questions": _("hulpvragen"),
    "scale": _("schaal"),
    "description": _("omschrijving"),
    "category": _("categorie"),
    "typical_unit": _("gebruikelijke afdeling"),
    "characteristics": _("kenmerken"),
    "kind": _("soort"),
    "group": _("groep"),
    "scope": _("geldt voor"),
    "review_cadence_months": _("herzien elke … maanden"),
    "effects": _("effecten"),
}
CHOICE_LABELS: dict[str, dict[Any, Any]] = {
    "kind": dict(CircumstanceKind.choices),
    "group": {**dict(CircumstanceGroup.choices), **dict(MeasureGroup.choices)},
    "scope": dict(MeasureScope.choices),
}
DETAIL_URLS = {
    "reference_processes": ("catalogue:process_detail", "process_ref"),
    "circumstances": ("catalogue:circumstance_detail", "circumstance_ref"),
    "measures": ("catalogue:measure_detail", "measure_ref"),
}


@register.filter
def release_kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


@register.filter
def changed_field_labels(fields: dict[str, Any]) -> str:
    return ", ".join(str(FIELD_LABELS.get(name, name)) for name in fields)


@register.filter
def field_label(name: str) -> str:
    return str(FIELD_LABELS.get(name, name))


@register.simple_tag
def change_value(field: str, value: Any) -> str:
    """A stored old or new value as plain text (lists, the scale and effects included)."""
    if value is None or value == "" or value == [] or value == {}:
        return "–"
    if field in CHOICE_LABELS:
        return str(CHOICE_LABELS[field].get(value, value))
    if field == "effects" and isinstance(value, dict):
        strengths = dict(EffectStrength.choices)
        return "; ".join(f"{key}: {strengths.get(strength, strength)}" for key, strength in value.items())
    if field == "scale" and isinstance(value, dict):
        return "; ".join(f"{level}: {text}" for level, text in sorted(value.items()))
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    return str(value)


@register.simple_tag
def release_item_url(kind: str, key: str) -> str:
    if kind in DETAIL_URLS:
        name, kwarg = DETAIL_URLS[kind]
        return reverse(name, kwargs={kwarg: key})
    if kind == "characteristics":
        return reverse("catalogue:home") + f"#characteristic-{key}"
    return reverse("catalogue:process_list") + f"?categorie={key}"


@register.simple_tag
def release_item_link(kind: str, item: Any) -> SafeString:
    return format_html('<a href="{}">{}</a>', release_item_url(kind, item.key), item.name)


HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
ITEM = re.compile(r"^(\s*)[-*]\s+(.*)$")


def _inline(text: str) -> str:
    html: str = str(escape(text))
    html = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", html)
    return re.sub(r"`(.+?)`", r"<code>\1</code>", html)


@register.filter
def changelog_html(text: str) -> SafeString:
    """The Markdown subset CHANGELOG.md uses (headings, nested lists, paragraphs, bold, code), escaped.

    Headings start at h3: the page has the h1 and each release its h2.
    """
    out: list[str] = []
    indents: list[int] = []
    buffer: list[str] = []

    def flush() -> None:
        if buffer:
            content = _inline(" ".join(part.strip() for part in buffer))
            out.append(content if indents else f"<p>{content}</p>")
            buffer.clear()

    def close(deeper_than: int) -> None:
        while indents and indents[-1] > deeper_than:
            out.append("</li></ul>")
            indents.pop()

    for line in (text or "").splitlines():
        if not line.strip():
            flush()
            continue
        heading = HEADING.match(line)
        item = ITEM.match(line)
        if heading:
            flush()
            close(-1)
            level = min(max(len(heading[1]), 3), 6)
            out.append(f"<h{level}>{_inline(heading[2])}</h{level}>")
        elif item:
            flush()
            indent = len(item[1])
            close(indent)
            if indents and indents[-1] == indent:
                out.append("</li><li>")
            else:
                out.append("<ul><li>")
                indents.append(indent)
            buffer.append(item[2])
        else:
            if indents and not line.startswith(" "):
                flush()
                close(-1)
            buffer.append(line)
    flush()
    close(-1)
    # Safe: every piece of text above went through escape().
    return mark_safe("".join(out))
