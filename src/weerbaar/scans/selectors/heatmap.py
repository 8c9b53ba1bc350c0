"""The heat map of the results page: counts per (kans, impact) cell, and the cells as SVG and table.

The cells are made here rather than in the template: 25 cells twice over, each a handful of
numbers, were most of the results page's template time. Their texts are escaped; the numbers are
formatted as integers (``:d``), so nothing else can end up in the markup. The template keeps the
structure around them (title, description, axes, legend, the table's headings).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from weerbaar.scans.models import ScanProcess
from weerbaar.scans.selectors.results import LEVELS, RISK_CLASSES, ResultFilter, RiskClass, risk_class

#: Geometry of the SVG (user units): cell size, room left for the kans axis, below for the impact axis.
CELL = 84
LEFT = 72
TOP = 8
BOTTOM = 64


@dataclass(frozen=True)
class HeatCell:
    likelihood: int
    impact: int
    count: int
    risk: RiskClass
    selected: bool
    #: the risk class in words (the lazy label, translated once per cell, not at every use)
    label: str = ""

    @property
    def show_text(self) -> str:
        """The hidden end of the cell's link in the table: what choosing it does."""
        return gettext("processen met kans %(likelihood)s en impact %(impact)s tonen") % {
            "likelihood": self.likelihood,
            "impact": self.impact,
        }

    @property
    def x(self) -> int:
        return LEFT + (self.impact - 1) * CELL

    @property
    def y(self) -> int:
        return TOP + (5 - self.likelihood) * CELL

    @property
    def center_x(self) -> int:
        return self.x + CELL // 2

    @property
    def count_y(self) -> int:
        return self.y + CELL // 2 + 2

    @property
    def label_y(self) -> int:
        return self.y + CELL // 2 + 24


@dataclass(frozen=True)
class AxisTick:
    level: int
    position: int  # x for impact, y for likelihood (the middle of the column or row)


@dataclass
class HeatMap:
    #: rows from likelihood 5 (top) down to 1, each with impact 1..5
    rows: list[list[HeatCell]] = field(default_factory=list)
    total: int = 0
    per_class: list[tuple[RiskClass, int]] = field(default_factory=list)
    #: (kans, impact) -> number of results, as counted
    counts: dict[tuple[int, int], int] = field(default_factory=dict)
    #: the page's query string without kans and impact: the table's cell links keep the other filters
    cell_query: str = ""

    cell_size: int = CELL
    width: int = LEFT + 5 * CELL + 8
    height: int = TOP + 5 * CELL + BOTTOM
    grid_bottom: int = TOP + 5 * CELL

    def count(self, likelihood: int | None = None, impact: int | None = None) -> int:
        """How many of the counted results have this kans and impact (None: any)."""
        return sum(
            n
            for (each_likelihood, each_impact), n in self.counts.items()
            if likelihood in (None, each_likelihood) and impact in (None, each_impact)
        )

    @property
    def cells(self) -> list[HeatCell]:
        return [cell for row in self.rows for cell in row]

    @property
    def svg_cells(self) -> SafeString:
        """Every cell of the SVG: a square in its risk class's colour, the count, the class in words.

        Numbers and class keys need no escaping; the one text, the label, is escaped."""
        parts = []
        for cell in self.cells:
            selected = " heatmap__cell--selected" if cell.selected else ""
            parts.append(
                f'<g class="heatmap__cell heatmap__cell--{cell.risk.key}{selected}">'
                f'<rect x="{cell.x}" y="{cell.y}" width="{CELL}" height="{CELL}"></rect>'
                f'<text x="{cell.center_x}" y="{cell.count_y}" text-anchor="middle" class="heatmap__count">'
                f"{cell.count:d}</text>"
                f'<text x="{cell.center_x}" y="{cell.label_y}" text-anchor="middle" class="heatmap__label">'
                f"{escape(cell.label)}</text></g>"
            )
        return mark_safe("\n".join(parts))

    @property
    def table_rows(self) -> list[tuple[int, SafeString]]:
        """Per kans (5 down to 1): the row's cells of the table, a count that links to its cell.

        The texts (the kept query, the link's hidden text, the label) are escaped; the rest are numbers."""
        prefix = escape(f"{self.cell_query}&") if self.cell_query else ""
        chosen = f" <strong>{escape(gettext('gekozen'))}</strong>"
        rows = []
        for row in self.rows:
            cells = []
            for cell in row:
                mark = chosen if cell.selected else ""
                label = escape(cell.label)
                if cell.count:
                    cells.append(
                        f'<td class="num"><a href="?{prefix}kans={cell.likelihood:d}&amp;impact={cell.impact:d}">'
                        f'{cell.count:d}<span class="visually-hidden"> {escape(cell.show_text)}</span></a>'
                        f' <span class="muted">({label})</span>{mark}</td>'
                    )
                else:
                    cells.append(f'<td class="num">0 <span class="muted">({label})</span>{mark}</td>')
            rows.append((row[0].likelihood, mark_safe("".join(cells))))
        return rows

    @property
    def impact_ticks(self) -> list[AxisTick]:
        return [AxisTick(level, LEFT + (level - 1) * CELL + CELL // 2) for level in LEVELS]

    @property
    def likelihood_ticks(self) -> list[AxisTick]:
        return [AxisTick(level, TOP + (5 - level) * CELL + CELL // 2 + 6) for level in LEVELS]

    @property
    def impact_label_y(self) -> int:
        return self.grid_bottom + 52

    @property
    def tick_label_y(self) -> int:
        return self.grid_bottom + 24

    @property
    def axis_middle_x(self) -> int:
        return LEFT + 5 * CELL // 2

    @property
    def axis_middle_y(self) -> int:
        return TOP + 5 * CELL // 2


def heat_map(results: QuerySet[ScanProcess], *, selected: ResultFilter | None = None, cell_query: str = "") -> HeatMap:
    """Counts per (kans, impact) cell of the given results: one aggregate query."""
    counts: dict[tuple[int, int], int] = {
        (likelihood, impact): n
        for likelihood, impact, n in results.order_by()
        .values("likelihood", "impact")
        .annotate(n=Count("pk"))
        .values_list("likelihood", "impact", "n")
        if likelihood is not None and impact is not None  # results always have both; for the type
    }
    selected = selected or ResultFilter()
    heat = HeatMap(counts=counts, cell_query=cell_query)
    per_class = dict.fromkeys((each.key for each in RISK_CLASSES), 0)
    labels = {each.key: str(each.label) for each in RISK_CLASSES}
    for likelihood in reversed(LEVELS):
        row = []
        for impact in LEVELS:
            count = counts.get((likelihood, impact), 0)
            risk = risk_class(likelihood, impact)
            is_selected = (selected.likelihood in (None, likelihood) and selected.impact in (None, impact)) and (
                selected.likelihood is not None or selected.impact is not None
            )
            row.append(HeatCell(likelihood, impact, count, risk, is_selected, labels[risk.key]))
            per_class[risk.key] += count
        heat.rows.append(row)
    heat.total = sum(counts.values())
    heat.per_class = [(each, per_class[each.key]) for each in RISK_CLASSES]
    return heat
