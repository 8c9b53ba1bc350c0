"""docs/scoring.md's worked examples are recomputed: the numbers in the text are the model's."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from weerbaar.scoring import DEFAULT_PARAMETERS, MODEL_VERSION, ImpactInput, ProcessInput, Result, score
from weerbaar.scoring.examples import EXAMPLES, SUPERVISION_WITH_MEASURES, TODAY

DOC = Path(__file__).resolve().parents[4] / "docs" / "scoring.md"
BLOCK = re.compile(r"```text\n(example: .*?)```", re.DOTALL)


def figures(result: Result) -> dict[str, str]:
    """What a worked example in the doc states, as text: one decimal, zero contributions left out."""
    stated = {
        "inherent vulnerability": f"{result.inherent_vulnerability:.1f}",
        "residual vulnerability": f"{result.vulnerability:.1f}",
        "inherent cell": f"{result.inherent_cell[0]} x {result.inherent_cell[1]}",
        "residual cell": f"{result.cell[0]} x {result.cell[1]}",
    }
    for c in result.explanation.contributions:
        if round(c.points, 1) != 0:
            stated[f"{c.kind} {c.key}"] = f"{c.points:.1f}"
    for level in result.explanation.levels:
        if level.score or level.inherent_level:
            stated[f"level {level.key}"] = f"{level.score} -> {level.inherent_level:.1f} -> {level.residual_level:.1f}"
    for state in result.explanation.measures:
        stated[f"liveness {state.key}"] = f"{state.liveness:.2f} ({state.status})"
    return stated


def render(name: str) -> str:
    """The block to paste into the doc when the model changes on purpose (then bump MODEL_VERSION)."""
    lines = [f"example: {name}", *(f"{key}: {value}" for key, value in figures(score(EXAMPLES[name])).items())]
    return "\n".join(lines) + "\n"


def stated_in_doc() -> dict[str, dict[str, str]]:
    blocks = {}
    for block in BLOCK.findall(DOC.read_text(encoding="utf-8")):
        header, *lines = block.strip().splitlines()
        pairs = dict(line.split(": ", 1) for line in lines)
        blocks[header.removeprefix("example: ")] = pairs
    return blocks


def test_every_example_is_worked_out_in_the_doc() -> None:
    assert set(stated_in_doc()) == set(EXAMPLES)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_the_doc_states_what_the_model_computes(name: str) -> None:
    assert stated_in_doc()[name] == figures(score(EXAMPLES[name])), "\n" + render(name)


def test_the_doc_names_the_model_version_and_every_parameter() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert f"`{MODEL_VERSION}`" in text
    for name in DEFAULT_PARAMETERS.__dataclass_fields__:
        assert f"`{name}`" in text, name


def _levels(level: int = 0, **levels: int) -> ProcessInput:
    scores = dict.fromkeys(DEFAULT_PARAMETERS.characteristic_keys, level)
    scores.update({key.replace("_", "-"): value for key, value in levels.items()})
    impact = ImpactInput(money=1, personal_data=1, safety=1, trust=1, continuity=1)
    return ProcessInput(scores=scores, impact=impact, today=TODAY)


@pytest.mark.parametrize(
    ("situation", "process", "stated"),
    [
        ("everything 0", _levels(), "| 0 | 1 |"),
        ("only solo work, at 4", _levels(solistisch_werken=4), "| 10 | 1 |"),
        ("only a large third-party interest (K1), at 4", _levels(belang_derden=4), "| 28.8 | 2 |"),
        ("K1 at 4 and solo work at 4", _levels(belang_derden=4, solistisch_werken=4), "| 57.0 | 3 |"),
        ("everything at 2", _levels(2), "| 41.2 | 3 |"),
        ("everything at 4", _levels(4), "| 100 | 5 |"),
    ],
)
def test_the_anchor_table_in_the_doc_holds(situation: str, process: ProcessInput, stated: str) -> None:
    result = score(process)
    value = (
        f"{result.vulnerability:.1f}".removesuffix(".0")
        if result.vulnerability.is_integer()
        else (f"{result.vulnerability:.1f}")
    )
    assert f"| {situation} | {value} | {result.likelihood} |" in DOC.read_text(encoding="utf-8")
    assert f"| {value} | {result.likelihood} |" == stated


def test_the_fading_figure_of_example_three_holds() -> None:
    with_all = score(SUPERVISION_WITH_MEASURES).vulnerability
    measures = [m for m in SUPERVISION_WITH_MEASURES.measures if m.key != "beslisregels"]
    without = score(replace(SUPERVISION_WITH_MEASURES, measures=measures)).vulnerability
    assert f"rises by {without - with_all:.1f} points" in DOC.read_text(encoding="utf-8")
