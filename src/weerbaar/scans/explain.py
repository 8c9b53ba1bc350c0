"""A stored result's explanation (the JSON on `ScanProcess.explanation`) in plain Dutch sentences.

The scoring model returns data; this module words it. Points are shown as whole numbers rounded
with `weerbaar.scoring.whole_points`, so the parts a reader adds up give exactly the total shown.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from weerbaar import scoring
from weerbaar.catalogue.models import Characteristic
from weerbaar.scans.models import IMPACT_DIMENSIONS, ScanProcess
from weerbaar.scans.selectors.results import whole

SOLO_WORK_KEY = scoring.DEFAULT_PARAMETERS.solo_work_key


@dataclass(frozen=True)
class Part:
    """One contribution to the score, in words."""

    kind: str
    key: str
    points: int
    text: str


@dataclass(frozen=True)
class Explained:
    total: int
    inherent: int
    parts: list[Part]
    likelihood: str
    impact: list[str]

    @property
    def sum_of_parts(self) -> int:
        return sum(part.points for part in self.parts)


def _points(points: int) -> str:
    return ngettext("%(points)d punt", "%(points)d punten", abs(points)) % {"points": abs(points)}


def _characteristic_label(key: str, characteristics: Mapping[str, Characteristic]) -> str:
    found = characteristics.get(key)
    return f"{found.code} {found.name}" if found else key


def _sentence(
    kind: str,
    key: str,
    points: int,
    score: int | None,
    *,
    characteristics: Mapping[str, Characteristic],
    circumstances: Mapping[str, str],
) -> str:
    values: dict[str, Any] = {"points": _points(points), "score": score if score is not None else "–"}
    if kind == "characteristic":
        values["name"] = _characteristic_label(key, characteristics)
        if key == SOLO_WORK_KEY:
            if points == 0:
                return _("%(name)s (score %(score)s) draagt op zichzelf niets bij.") % values
            return _("%(name)s (score %(score)s) draagt op zichzelf %(points)s bij.") % values
        if points == 0:
            return _("%(name)s (score %(score)s) draagt niets bij.") % values
        return _("%(name)s (score %(score)s) draagt %(points)s bij.") % values
    if kind == "interaction":
        if points == 0:
            return _("Er wordt niet solistisch gewerkt, dus de andere kenmerken worden niet versterkt: +0 punten.")
        return (
            _(
                "Solistisch werken versterkt de andere kenmerken: +%(points)s. Wie zonder tweede paar ogen werkt, "
                "kan onder druk gezet of verleid worden zonder dat iemand het merkt. Samen met de andere kenmerken "
                "vormt dat een ‘cocktail’ van kwetsbaarheid: hoe hoger die andere kenmerken, hoe groter dit effect."
            )
            % values
        )
    values["name"] = circumstances.get(key) or _("een omstandigheid die niet meer in de catalogus staat")
    if kind == "circumstance":
        if points == 0:
            return (
                _(
                    "De interne omstandigheid ‘%(name)s’ verhoogt de score hier niet: de kenmerken waar zij op "
                    "inwerkt, staan op 0 of zijn al maximaal."
                )
                % values
            )
        return _("De interne omstandigheid ‘%(name)s’ verhoogt de score met %(points)s.") % values
    if kind == "context":
        if points == 0:
            return (
                _(
                    "De externe omstandigheid ‘%(name)s’ uit het omgevingsprofiel verhoogt de score hier niet: de "
                    "kenmerken waar zij op inwerkt, staan op 0 of zijn al maximaal."
                )
                % values
            )
        return (
            _("De externe omstandigheid ‘%(name)s’ uit het omgevingsprofiel verhoogt de score met %(points)s.") % values
        )
    values["name"] = key
    return _("De maatregel ‘%(name)s’ verlaagt de score met %(points)s.") % values


def _whole_parts(points: list[float], total: float) -> tuple[int, ...]:
    try:
        return scoring.whole_points(points, total)
    except ValueError:
        # The stored parts are rounded to 0.01; should that ever leave them a point off the stored
        # total, round against their own sum so the shown parts still add up to the shown total.
        return scoring.whole_points(points, math.fsum(points))


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _enumerate(items: list[str]) -> str:
    """A Dutch enumeration: "geld, veiligheid en continuïteit"."""
    if len(items) <= 1:
        return "".join(items)
    return _("%(first)s en %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


def _impact_sentences(result: ScanProcess) -> list[str]:
    data = result.explanation.get("impact") or {}
    highest = data.get("highest")
    impact = result.impact
    if highest is None or impact is None:
        return []
    labels = dict(IMPACT_DIMENSIONS)
    worst = [
        _lower_first(str(labels[key])) for key, _l in IMPACT_DIMENSIONS if result.consensus_impact.get(key) == highest
    ]
    params = scoring.parameters_for(result.model_version)
    sentences = []
    if worst:
        sentences.append(
            _("Het zwaarste gevolg als dit proces misbruikt wordt: %(dimensions)s, op niveau %(level)d van 5.")
            % {"dimensions": _enumerate(worst), "level": highest}
        )
    serious = int(data.get("at_escalation_level") or 0)
    if data.get("escalated"):
        sentences.append(
            _(
                "%(count)d gevolgen zijn ernstig (niveau %(level)d of hoger). Samen wegen ze zwaarder dan elk "
                "afzonderlijk, daarom is de impact één klasse hoger: %(impact)d."
            )
            % {"count": serious, "level": params.impact_escalation_level, "impact": impact}
        )
    else:
        sentences.append(
            _(
                "De impact is het zwaarste gevolg, geen gemiddelde: %(impact)d. Pas als %(count)d of meer gevolgen "
                "ernstig zijn (niveau %(level)d of hoger), gaat de impact een klasse omhoog."
            )
            % {"impact": impact, "count": params.impact_escalation_count, "level": params.impact_escalation_level}
        )
    return sentences


def explain(
    result: ScanProcess,
    *,
    characteristics: Mapping[str, Characteristic],
    circumstances: Mapping[str, str],
) -> Explained:
    """The result's explanation as sentences, largest contribution first; the parts add up to ``total``."""
    assert result.vulnerability is not None
    data = result.explanation or {}
    contributions = [each for each in data.get("contributions", []) if isinstance(each, dict)]
    scores = {level.get("key"): level.get("score") for level in data.get("levels", []) if isinstance(level, dict)}
    raw = [float(each.get("points") or 0.0) for each in contributions]
    whole_parts = _whole_parts(raw, result.vulnerability) if raw else ()
    parts = []
    for each, points in zip(contributions, whole_parts, strict=True):
        kind, key = str(each.get("kind", "")), str(each.get("key", ""))
        score = scores.get(key, result.consensus_scores.get(key))
        text = _sentence(kind, key, points, score, characteristics=characteristics, circumstances=circumstances)
        parts.append(Part(kind, key, points, text))
    order = sorted(range(len(parts)), key=lambda i: (-parts[i].points, i))
    thresholds = scoring.parameters_for(result.model_version).likelihood_thresholds
    total = sum(whole_parts) if raw else whole(result.vulnerability)
    likelihood = _(
        "Een score van %(total)d geeft kans %(likelihood)s op een schaal van 1 tot 5 "
        "(kans 2 vanaf %(t1)d punten, 3 vanaf %(t2)d, 4 vanaf %(t3)d en 5 vanaf %(t4)d)."
    ) % {
        "total": total,
        "likelihood": result.likelihood,
        "t1": thresholds[0],
        "t2": thresholds[1],
        "t3": thresholds[2],
        "t4": thresholds[3],
    }
    inherent = result.inherent_vulnerability if result.inherent_vulnerability is not None else result.vulnerability
    return Explained(
        total=total,
        inherent=whole(inherent),
        parts=[parts[i] for i in order],
        likelihood=likelihood,
        impact=_impact_sentences(result),
    )
