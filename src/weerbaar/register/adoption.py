"""Reads of the "overnemen uit de catalogus" wizard: per unit, the reference processes to tick.

Kept apart from ``selectors.py`` so the wizard can grow without touching the register's list
pages; the write is ``services.processes_adopt``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count

from weerbaar.catalogue.models import ProcessCategory, ReferenceProcess
from weerbaar.catalogue.selectors import effective
from weerbaar.core.models import Organisation, Unit
from weerbaar.core.selectors import UnitNode
from weerbaar.register.models import Process

#: Words that say nothing about which unit it is ("Team Burgerzaken", "Openbare Orde en Veiligheid").
_FILLER_WORDS = frozenset({"afdeling", "team", "cluster", "sector", "en", "of", "van", "de", "het", "der", "voor"})
#: Unit names are typed by people: "Vergunningen" and "Vergunningverlening" share their first six letters.
_STEM = 6


def _words(text: str) -> list[str]:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    return [word for word in re.findall(r"[a-z0-9]+", plain) if word not in _FILLER_WORDS]


def _same_word(one: str, other: str) -> bool:
    return one == other or (len(one) >= _STEM and len(other) >= _STEM and one[:_STEM] == other[:_STEM])


def _covers(words: list[str], others: list[str]) -> bool:
    return bool(words) and all(any(_same_word(word, other) for other in others) for word in words)


def fits_unit(typical_unit: str, unit_name: str) -> bool:
    """Whether a reference process's typical unit (free text) names this unit: a hint, never a choice.

    "Burgerzaken / Handhaving" lists alternatives; one of them fits when all its words appear in
    the unit's name or the other way round, so "Team Burgerzaken" fits "Burgerzaken" and "Sport"
    fits "Vakafdelingen Sport, Cultuur en Welzijn", but "Openbare Ruimte" does not fit "Openbare
    Orde en Veiligheid".
    """
    unit_words = _words(unit_name)
    for alternative in re.split(r"[/()]", typical_unit):
        words = _words(alternative)
        if _covers(words, unit_words) or _covers(unit_words, words):
            return True
    return False


def adopted_processes() -> dict[int, Process]:
    """Active processes adopted from the catalogue, by reference process id (one query).

    A process also counts for the national entry its reference is an own version of, and the other
    way round: switching between a national entry and the own version must not offer it again.
    """
    adopted: dict[int, Process] = {}
    processes = (
        Process.objects.filter(is_active=True, reference_process__isnull=False)
        .select_related("reference_process")
        .order_by("code", "pk")
    )
    for process in processes:
        reference = process.reference_process
        adopted.setdefault(reference.pk, process)
        if reference.based_on_id is not None:
            adopted.setdefault(reference.based_on_id, process)
    return adopted


def adopted_for(reference: ReferenceProcess, adopted: dict[int, Process]) -> Process | None:
    return adopted.get(reference.pk) or (adopted.get(reference.based_on_id) if reference.based_on_id else None)


@dataclass
class AdoptRow:
    reference: ReferenceProcess
    #: The reference's typical unit names the chosen unit.
    fits: bool
    #: The active process that already adopted this reference; the row can then not be ticked.
    existing: Process | None
    #: The row's form (``adoption_forms.AdoptRowForm``), set by the view; None for an adopted reference.
    form: Any = None

    @property
    def key(self) -> str:
        return str(self.reference.uuid)

    @property
    def error_messages(self) -> list[str]:
        if self.form is None or not self.form.is_bound:
            return []
        return [str(message) for errors in self.form.errors.values() for message in errors]

    @property
    def error_target(self) -> str:
        """The id of the input the error summary links to: the owner only when only the owner is wrong."""
        if self.form is None:
            return ""
        only_owner = "owner" in self.form.errors and set(self.form.errors) == {"owner"}
        return str(self.form["owner" if only_owner else "name"].auto_id)


@dataclass
class AdoptGroup:
    category: ProcessCategory
    rows: list[AdoptRow] = field(default_factory=list)

    @property
    def fitting_count(self) -> int:
        return sum(1 for row in self.rows if row.fits)


def adoption_groups(*, organisation: Organisation, unit: Unit | None) -> list[AdoptGroup]:
    """The wizard's second step: the effective reference processes per category, in catalogue order.

    Within a category the ones whose typical unit fits ``unit`` come first. Two queries: the
    references with their categories, and the adopted processes.
    """
    references = (
        effective(ReferenceProcess, organisation=organisation)
        .select_related("category")
        .order_by("category__position", "category__key", "position", "name", "pk")
    )
    adopted = adopted_processes()
    groups: dict[int, AdoptGroup] = {}
    for reference in references:
        group = groups.setdefault(reference.category_id, AdoptGroup(reference.category))
        fits = unit is not None and fits_unit(reference.typical_unit, unit.name)
        group.rows.append(AdoptRow(reference, fits=fits, existing=adopted_for(reference, adopted)))
    for group in groups.values():
        group.rows.sort(key=lambda row: not row.fits)  # stable: catalogue order otherwise
    return list(groups.values())


@dataclass(frozen=True)
class UnitProgress:
    """A line of the wizard's first step: a unit and how many active processes it has already."""

    unit: Unit | None
    path: str
    process_count: int


def unit_progress(unit_nodes: list[UnitNode]) -> list[UnitProgress]:
    """The active units (in the given tree order) and "no unit", with their active process counts. One query."""
    counts: dict[int | None, int] = {
        row["unit"]: row["n"]
        for row in Process.objects.filter(is_active=True).order_by().values("unit").annotate(n=Count("pk"))
    }
    lines = [UnitProgress(node.unit, node.path, counts.get(node.unit.pk, 0)) for node in unit_nodes]
    lines.append(UnitProgress(None, "", counts.get(None, 0)))
    return lines


def effective_reference_ids(*, organisation: Organisation, reference_ids: Iterable[int]) -> set[int]:
    """Which of these reference processes are in the organisation's effective catalogue (one query)."""
    return set(
        effective(ReferenceProcess, organisation=organisation)
        .filter(pk__in=list(reference_ids))
        .values_list("pk", flat=True)
    )
