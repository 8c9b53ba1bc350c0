"""The worked examples of ``docs/scoring.md``; a test recomputes them and compares with the text.

The keys are the catalogue's (``catalogue/data/catalogue.yaml``); the numbers are made up.
"""

from __future__ import annotations

from datetime import date

from weerbaar.scoring.inputs import CircumstanceInput, ContextInput, ImpactInput, MeasureInput, ProcessInput

TODAY = date(2026, 11, 23)


def _scores(**levels: int) -> dict[str, int]:
    keys = (
        "belang-derden",
        "samenwerking-partners",
        "opdrachten-aannemers",
        "klantcontact",
        "geldstromen",
        "gevoelige-gegevens",
        "kritieke-dienstverlening",
        "solistisch-werken",
    )
    return {key: levels.get(key.replace("-", "_"), 0) for key in keys}


# 1. Solo work on its own: the archivist works alone, but nobody outside has a stake in the archive.
ARCHIVE = ProcessInput(
    scores=_scores(gevoelige_gegevens=1, solistisch_werken=4),
    impact=ImpactInput(money=1, personal_data=2, safety=1, trust=2, continuity=2),
    today=TODAY,
)

_SUPERVISION_SCORES = _scores(
    belang_derden=4,
    klantcontact=3,
    gevoelige_gegevens=1,
    solistisch_werken=3,
)
_SUPERVISION_IMPACT = ImpactInput(money=3, personal_data=2, safety=4, trust=4, continuity=2)
_SUPERVISION_CIRCUMSTANCES = (CircumstanceInput("grote-discretionaire-ruimte", ("belang-derden", "solistisch-werken")),)
_SUPERVISION_CONTEXT = (
    ContextInput("buitengebied", "hoog", ("klantcontact", "solistisch-werken")),
    ContextInput("sector-horeca", "middel", ("belang-derden", "klantcontact")),
)

# 2. The cocktail: an enforcement officer in the rural area decides alone about businesses with a lot at stake.
SUPERVISION = ProcessInput(
    scores=_SUPERVISION_SCORES,
    impact=_SUPERVISION_IMPACT,
    circumstances=_SUPERVISION_CIRCUMSTANCES,
    context=_SUPERVISION_CONTEXT,
    today=TODAY,
)

# 3. The same process with its measures: one alive, one fading, one lapsed.
SUPERVISION_WITH_MEASURES = ProcessInput(
    scores=_SUPERVISION_SCORES,
    impact=_SUPERVISION_IMPACT,
    circumstances=_SUPERVISION_CIRCUMSTANCES,
    context=_SUPERVISION_CONTEXT,
    measures=(
        MeasureInput(
            key="controles-in-tweetallen",
            effects={"klantcontact": 3, "solistisch-werken": 3},
            effectiveness="effectief",
            implemented=True,
            last_reviewed=date(2026, 5, 1),
            cadence_months=12,
        ),
        MeasureInput(
            key="beslisregels",
            effects={"belang-derden": 3, "klantcontact": 1},
            effectiveness="deels",
            implemented=True,
            last_reviewed=date(2025, 5, 1),
            cadence_months=12,
        ),
        MeasureInput(
            key="normgesprek-teams",
            effects={"belang-derden": 1, "klantcontact": 1, "solistisch-werken": 1},
            effectiveness="effectief",
            implemented=True,
            last_reviewed=date(2023, 11, 1),
            cadence_months=12,
        ),
    ),
    today=TODAY,
)

EXAMPLES: dict[str, ProcessInput] = {
    "archive": ARCHIVE,
    "supervision": SUPERVISION,
    "supervision-with-measures": SUPERVISION_WITH_MEASURES,
}
