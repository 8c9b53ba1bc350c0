"""The management report's content: its figures (``facts``) and its Dutch prose (``prose``), as data.

`build_report` returns a :class:`ReportData` that the templates only print. Its canonical JSON
(`canonical_json`) is what `data_hash` fingerprints: the same data always gives the same hash,
whatever the PDF renderer does with it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import asdict, dataclass
from typing import Any

from django.utils.translation import gettext as _

from weerbaar.core.models import Organisation
from weerbaar.reports.content import prose
from weerbaar.reports.content.facts import TOP_COUNT, Facts, gather
from weerbaar.reports.models import ReportVersion


@dataclass(frozen=True)
class Section:
    key: str
    number: int
    title: str
    paragraphs: list[str]

    @property
    def anchor(self) -> str:
        return f"sectie-{self.key}"


@dataclass(frozen=True)
class ReportData:
    title: str
    subtitle: str
    version: str
    is_full: bool
    #: the marking on every page: "Vertrouwelijk" (full) or "Openbare samenvatting" (summary)
    marking: str
    audience: str
    facts: Facts
    sections: list[Section]

    @property
    def section(self) -> dict[str, Section]:
        return {each.key: each for each in self.sections}

    @property
    def top(self) -> list[Any]:
        return self.facts.processes[:TOP_COUNT]


def normalise_version(value: str | None) -> str:
    """A known version, or the full report (a GET never fails on an odd value)."""
    return value if value in ReportVersion.values else ReportVersion.FULL


def build_report(organisation: Organisation, *, version: str, today: dt.date) -> ReportData:
    version = normalise_version(version)
    full = version == ReportVersion.FULL
    facts = gather(organisation, today=today, with_processes=full)
    plan: list[tuple[str, str, list[str]]] = [
        ("samenvatting", _("Samenvatting"), prose.summary(facts, full=full)),
        ("werkwijze", _("Werkwijze"), prose.method(facts)),
        ("resultaten", _("Resultaten"), prose.results(facts)),
    ]
    if full:
        plan.append(("prioriteiten", _("Hoogste prioriteiten"), prose.priorities(facts)))
    plan += [
        ("vergelijking", _("Vergelijking met de vorige scan"), prose.comparison(facts)),
        ("maatregelen", _("Maatregelen en hun stand"), prose.measures_text(facts)),
        ("aandacht", _("Aandacht levend houden"), prose.attention_text(facts)),
    ]
    if full:
        plan.append(("bijlage", _("Bijlage: de processen van de scan"), prose.appendix(facts)))
    sections = [Section(key, number, title, paragraphs) for number, (key, title, paragraphs) in enumerate(plan, 1)]
    if facts.scan is not None:
        subtitle = _("%(organisation)s · %(scan)s · peildatum %(date)s") % {
            "organisation": organisation.name,
            "scan": facts.scan.name,
            "date": prose.day(today),
        }
    else:
        subtitle = _("%(organisation)s · peildatum %(date)s") % {
            "organisation": organisation.name,
            "date": prose.day(today),
        }
    return ReportData(
        title=_("Weerbaar tegen ondermijning: managementrapportage")
        if full
        else _("Weerbaar tegen ondermijning: openbare samenvatting"),
        subtitle=subtitle,
        version=version,
        is_full=full,
        marking=_("Vertrouwelijk") if full else _("Openbare samenvatting"),
        audience=_("Voor het college van burgemeester en wethouders")
        if full
        else _("Voor de gemeenteraad; zonder gegevens over afzonderlijke processen"),
        facts=facts,
        sections=sections,
    )


def canonical_json(data: ReportData) -> str:
    """The report's data as JSON with sorted keys and no spacing: the input of `data_hash`."""
    return json.dumps(asdict(data), sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def data_hash(data: ReportData) -> str:
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()
