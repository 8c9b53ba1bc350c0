"""The report's charts as server-rendered SVG: the heat map and the risk classes now against the previous scan.

Made here, not in a template, because they are mostly arithmetic. Every text is escaped and every
number formatted as an integer, so nothing but our own markup reaches the SVG. Colours and fonts
are presentation attributes (no ``style``), so the same SVG works in the app (CSP) and in the PDF;
each cell also names its risk class in words, never colour alone.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from weerbaar.reports.content.facts import ClassCount, HeatData
from weerbaar.scans.selectors.results import LEVELS, risk_class

FONT = "DejaVu Sans, sans-serif"
INK = "#1b1b1b"
MUTED = "#555555"
#: Fill per risk class: light enough for black text (contrast ≥ 4.5:1) and distinct in greyscale print.
FILL = {"laag": "#dcefd9", "middel": "#fbefb7", "hoog": "#f6c08f", "zeer-hoog": "#e38a80"}

CELL = 62
LEFT = 64
TOP = 8
BOTTOM = 56


def _text(
    x: int,
    y: int,
    text: str,
    *,
    size: int = 11,
    anchor: str = "middle",
    weight: str = "normal",
    fill: str = INK,
    extra: str = "",
) -> str:
    return (
        f'<text x="{x:d}" y="{y:d}" font-family="{FONT}" font-size="{size:d}" font-weight="{weight}" '
        f'fill="{fill}" text-anchor="{anchor}"{extra}>{escape(text)}</text>'
    )


def heat_map_svg(heat: HeatData, *, title: str) -> SafeString:
    """The 5×5 heat map: per cell the number of processes and its risk class in words."""
    width = LEFT + 5 * CELL + 8
    height = TOP + 5 * CELL + BOTTOM
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="report-chart report-chart--heatmap" '
        f'viewBox="0 0 {width:d} {height:d}" width="{width:d}" height="{height:d}" role="img" '
        f'aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for likelihood in LEVELS:
        for impact in LEVELS:
            risk = risk_class(likelihood, impact)
            count = heat.cell(likelihood, impact)
            x = LEFT + (impact - 1) * CELL
            y = TOP + (5 - likelihood) * CELL
            parts.append(
                f'<rect x="{x:d}" y="{y:d}" width="{CELL:d}" height="{CELL:d}" fill="{FILL[risk.key]}" '
                f'stroke="#ffffff" stroke-width="2"></rect>'
            )
            parts.append(_text(x + CELL // 2, y + CELL // 2 + 2, f"{count:d}", size=17, weight="bold"))
            parts.append(_text(x + CELL // 2, y + CELL // 2 + 20, str(risk.label), size=9, fill=INK))
    grid_bottom = TOP + 5 * CELL
    for level in LEVELS:
        parts.append(_text(LEFT + (level - 1) * CELL + CELL // 2, grid_bottom + 16, f"{level:d}", size=10))
        parts.append(_text(LEFT - 8, TOP + (5 - level) * CELL + CELL // 2 + 4, f"{level:d}", size=10, anchor="end"))
    middle_x = LEFT + 5 * CELL // 2
    middle_y = TOP + 5 * CELL // 2
    parts.append(_text(middle_x, grid_bottom + 40, _("Impact: 1 (klein) tot 5 (zeer groot)"), size=10, fill=MUTED))
    parts.append(
        _text(
            18,
            middle_y,
            _("Kans: 1 (klein) tot 5 (zeer groot)"),
            size=10,
            fill=MUTED,
            extra=f' transform="rotate(-90 18 {middle_y:d})"',
        )
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))


BAR_HEIGHT = 14
ROW = 44
LABEL_WIDTH = 96
BAR_SPACE = 300


def class_bars_svg(classes: list[ClassCount], *, now_label: str, before_label: str, title: str) -> SafeString:
    """Per risk class two bars, the previous round above this one, each with its count written next to it."""
    largest = max([each.now for each in classes] + [each.before or 0 for each in classes] + [1])
    width = LABEL_WIDTH + BAR_SPACE + 60
    height = 30 + ROW * len(classes)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="report-chart report-chart--bars" '
        f'viewBox="0 0 {width:d} {height:d}" width="{width:d}" height="{height:d}" role="img" '
        f'aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<rect x="{LABEL_WIDTH:d}" y="6" width="12" height="10" fill="#b9b9b9"></rect>',
        _text(LABEL_WIDTH + 18, 15, before_label, size=10, anchor="start", fill=MUTED),
        f'<rect x="{LABEL_WIDTH + 170:d}" y="6" width="12" height="10" fill="#3a5f8a"></rect>',
        _text(LABEL_WIDTH + 188, 15, now_label, size=10, anchor="start", fill=MUTED),
    ]
    for index, each in enumerate(classes):
        top = 28 + index * ROW
        parts.append(_text(LABEL_WIDTH - 8, top + BAR_HEIGHT + 4, each.label, size=11, anchor="end"))
        rows = ((each.before or 0, "#b9b9b9"), (each.now, "#3a5f8a"))
        for offset, (value, colour) in enumerate(rows):
            y = top + offset * (BAR_HEIGHT + 2)
            length = round(BAR_SPACE * value / largest)
            parts.append(
                f'<rect x="{LABEL_WIDTH:d}" y="{y:d}" width="{max(length, 1):d}" height="{BAR_HEIGHT:d}" '
                f'fill="{colour}"></rect>'
            )
            parts.append(
                _text(LABEL_WIDTH + max(length, 1) + 6, y + BAR_HEIGHT - 3, f"{value:d}", size=10, anchor="start")
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def heat_map_title(heat: HeatData, scan_name: str) -> str:
    return ngettext(
        "Heatmap van %(scan)s: %(count)d proces per kans en impact",
        "Heatmap van %(scan)s: %(count)d processen per kans en impact",
        heat.total,
    ) % {"scan": scan_name, "count": heat.total}
