"""The report's Dutch sentences, made from the figures in ``facts``.

Calm and factual: what was measured, what came out, what changed, what is being done. Numbers
go through ``ngettext`` so "1 proces" and "3 processen" both read well. No sentence in the
summary version names a process.
"""

from __future__ import annotations

import datetime as dt

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from weerbaar.reports.content.facts import TOP_COUNT, Facts, HeatData, MeasureFacts, ScanFacts, TrendFacts
from weerbaar.scans.models import IMPACT_DIMENSIONS
from weerbaar.scans.selectors.results import RISK_CLASSES


def day(value: dt.date | None) -> str:
    return date_format(value, "j F Y") if value is not None else "–"


def processes(count: int) -> str:
    return ngettext("%(count)d proces", "%(count)d processen", count) % {"count": count}


def measures(count: int) -> str:
    return ngettext("%(count)d maatregel", "%(count)d maatregelen", count) % {"count": count}


def _more_or_less(now: int, before: int, year: int) -> str:
    difference = now - before
    if difference > 0:
        return ngettext(
            "Dat is %(count)d meer dan in %(year)s.", "Dat zijn er %(count)d meer dan in %(year)s.", difference
        ) % {"count": difference, "year": year}
    if difference < 0:
        return ngettext(
            "Dat is %(count)d minder dan in %(year)s.", "Dat zijn er %(count)d minder dan in %(year)s.", -difference
        ) % {"count": -difference, "year": year}
    return _("Dat zijn er evenveel als in %(year)s.") % {"year": year}


def _class_count(heat: HeatData, key: str) -> tuple[int, int | None]:
    found = next(each for each in heat.classes if each.key == key)
    return found.now, found.before


def _scan_sentence(scan: ScanFacts) -> str:
    text = ngettext(
        "In de scan ‘%(scan)s’ is %(count)d proces beoordeeld",
        "In de scan ‘%(scan)s’ zijn %(count)d processen beoordeeld",
        scan.processes,
    ) % {"scan": scan.name, "count": scan.processes}
    text += " " + ngettext("door %(count)d beoordelaar.", "door %(count)d beoordelaars.", scan.raters) % {
        "count": scan.raters
    }
    if scan.closed_on is not None:
        text += " " + _("De scan is afgesloten op %(date)s.") % {"date": day(scan.closed_on)}
    return text


def _highest_sentences(heat: HeatData, trend: TrendFacts | None) -> list[str]:
    very_high, very_high_before = _class_count(heat, "zeer-hoog")
    high, high_before = _class_count(heat, "hoog")
    first = ngettext(
        "%(count)d proces valt in de hoogste risicoklasse (zeer hoog).",
        "%(count)d processen vallen in de hoogste risicoklasse (zeer hoog).",
        very_high,
    ) % {"count": very_high}
    if trend is not None and very_high_before is not None:
        first += " " + _more_or_less(very_high, very_high_before, trend.previous_year)
    second = ngettext(
        "In de klasse hoog valt %(count)d proces.", "In de klasse hoog vallen %(count)d processen.", high
    ) % {"count": high}
    if trend is not None and high_before is not None:
        second += " " + _more_or_less(high, high_before, trend.previous_year)
    return [first + " " + second]


def _measure_sentence(facts: MeasureFacts) -> str:
    text = ngettext(
        "Het actieplan telt %(measures)s; daarvan is er %(implemented)d geïmplementeerd.",
        "Het actieplan telt %(measures)s; daarvan zijn er %(implemented)d geïmplementeerd.",
        facts.implemented,
    ) % {"measures": measures(facts.total), "implemented": facts.implemented}
    if facts.implemented:
        text += " " + ngettext(
            "%(count)d daarvan is in de praktijk nog levend.",
            "%(count)d daarvan zijn in de praktijk nog levend.",
            facts.alive,
        ) % {"count": facts.alive}
    if facts.overdue:
        text += " " + ngettext(
            "%(count)d maatregel is over de afgesproken datum.",
            "%(count)d maatregelen zijn over de afgesproken datum.",
            facts.overdue,
        ) % {"count": facts.overdue}
    return text


def _attention_sentence(facts: Facts) -> str:
    """Each signal with its state in words: "activiteiten op tijd: achterstand; …"."""
    states = "; ".join(
        _("%(signal)s: %(state)s") % {"signal": figure.title.lower(), "state": figure.status_label}
        for figure in facts.attention
    )
    return _("De stand van de aandachtssignalen is als volgt: %(states)s.") % {"states": states}


def summary(facts: Facts, *, full: bool) -> list[str]:
    paragraphs: list[str] = []
    if facts.scan is None or facts.heat is None:
        paragraphs.append(
            _(
                "Er is nog geen afgesloten scan. Daarom bevat deze rapportage nog geen heatmap, geen prioriteiten "
                "en geen vergelijking met een eerdere ronde; die volgen zodra de eerste scan is afgesloten. "
                "Wel is te zien hoe het actieplan ervoor staat en of de aandacht voor weerbaarheid levend blijft."
            )
        )
    else:
        paragraphs.append(_scan_sentence(facts.scan))
        paragraphs.extend(_highest_sentences(facts.heat, facts.trend))
        if facts.scan.average is not None:
            text = _("De gemiddelde kwetsbaarheidsscore is %(average)d op een schaal van 0 tot 100.") % {
                "average": facts.scan.average
            }
            if facts.trend is not None and facts.trend.average_before is not None:
                text += " " + _("In %(year)s was dat %(before)d.") % {
                    "year": facts.trend.previous_year,
                    "before": facts.trend.average_before,
                }
            paragraphs.append(text)
        if full and facts.processes:
            top = facts.processes[0]
            paragraphs.append(
                _("Het hoogste risico heeft het proces ‘%(name)s’ (kans %(likelihood)d, impact %(impact)d).")
                % {"name": top.name, "likelihood": top.likelihood, "impact": top.impact}
                + " "
                + ngettext(
                    "Paragraaf 4 noemt het proces met het hoogste risico en waarom.",
                    "Paragraaf 4 noemt de %(count)d processen met het hoogste risico en waarom.",
                    min(len(facts.processes), TOP_COUNT),
                )
                % {"count": min(len(facts.processes), TOP_COUNT)}
            )
    if facts.measures is not None:
        paragraphs.append(_measure_sentence(facts.measures))
    if facts.attention:
        paragraphs.append(_attention_sentence(facts))
    return paragraphs


def method(facts: Facts) -> list[str]:
    impact = ", ".join(str(label).lower() for _key, label in IMPACT_DIMENSIONS[:-1])
    bands = ", ".join(
        _("%(label)s (%(low)d tot en met %(high)d)")
        % {"label": each.label, "low": each.from_product, "high": each.to_product}
        for each in RISK_CLASSES
    )
    paragraphs = [
        _(
            "Welke processen kwetsbaar zijn voor ondermijning, is vastgesteld met een scan. Per proces geven "
            "beoordelaars uit de organisatie onafhankelijk van elkaar een score van 0 tot 4 op acht "
            "kwetsbaarheidskenmerken, met een korte toelichting bij de hogere scores. Waar hun scores uiteenlopen, "
            "stelt de coördinator na overleg een consensus vast."
        ),
        _(
            "Het scoringsmodel zet de consensus om in een kwetsbaarheidsscore van 0 tot 100. Solistisch werken "
            "versterkt de andere kenmerken, en interne en externe omstandigheden kunnen de score verhogen. De score "
            "bepaalt de kans (1 tot 5). De impact (1 tot 5) is het zwaarste van vijf mogelijke gevolgen: "
            "%(impact)s en %(last)s. Kans maal impact geeft de risicoklasse: %(bands)s."
        )
        % {"impact": impact, "last": str(IMPACT_DIMENSIONS[-1][1]).lower(), "bands": bands},
    ]
    scan = facts.scan
    if scan is None:
        paragraphs.append(
            _("Er is nog geen scan afgesloten, dus er zijn nog geen beoordelingen om hier te beschrijven.")
        )
    else:
        text = _("De scan ‘%(scan)s’ besloeg de periode van %(start)s tot en met %(end)s.") % {
            "scan": scan.name,
            "start": day(scan.period_start),
            "end": day(scan.period_end),
        }
        text += " " + ngettext("Er is %(ratings)s ingeleverd", "Er zijn %(ratings)s ingeleverd", scan.ratings) % {
            "ratings": ngettext("%(count)d beoordeling", "%(count)d beoordelingen", scan.ratings)
            % {"count": scan.ratings}
        }
        text += " " + ngettext("door %(count)d beoordelaar.", "door %(count)d beoordelaars.", scan.raters) % {
            "count": scan.raters
        }
        if scan.processes:
            if scan.fewest_raters == scan.most_raters:
                text += " " + ngettext(
                    "Elk proces had %(count)d beoordelaar.", "Elk proces had %(count)d beoordelaars.", scan.most_raters
                ) % {"count": scan.most_raters}
            else:
                text += " " + _("Per proces waren er %(low)d tot %(high)d beoordelaars.") % {
                    "low": scan.fewest_raters,
                    "high": scan.most_raters,
                }
        paragraphs.append(text)
        if scan.single_rater:
            paragraphs.append(
                ngettext(
                    "%(count)d proces is door één beoordelaar beoordeeld (naast de consensus van de coördinator); "
                    "die uitkomst is minder zeker.",
                    "%(count)d processen zijn door één beoordelaar beoordeeld (naast de consensus van de "
                    "coördinator); die uitkomsten zijn minder zeker.",
                    scan.single_rater,
                )
                % {"count": scan.single_rater}
            )
        versions = ", ".join(scan.model_versions) or facts.model_version
        paragraphs.append(
            _(
                "De uitkomsten van de scan zijn berekend met versie %(scan_version)s van het scoringsmodel; "
                "het restrisico van vandaag met versie %(version)s."
            )
            % {"scan_version": versions, "version": facts.model_version}
        )
    paragraphs.append(
        _("Cijfers over maatregelen en aandacht zijn van de peildatum %(date)s.") % {"date": day(facts.reference_date)}
    )
    return paragraphs


def results(facts: Facts) -> list[str]:
    if facts.scan is None or facts.heat is None:
        return [_("Zonder afgesloten scan zijn er nog geen resultaten.")]
    heat = facts.heat
    counts = ", ".join(
        _("%(label)s %(count)s") % {"label": each.label, "count": processes(each.now)} for each in heat.classes
    )
    paragraphs = [
        _(
            "De heatmap telt de processen per combinatie van kans (van onder naar boven) en impact (van links naar "
            "rechts). Hoe verder naar rechtsboven, hoe hoger het risico."
        ),
        _("Per risicoklasse: %(counts)s.") % {"counts": counts},
    ]
    ranked = sorted(
        (row for row in facts.categories if row.high), key=lambda row: (-row.high / row.processes, -row.high, row.name)
    )
    if ranked:
        best = ranked[0]
        paragraphs.append(
            _(
                "Naar procescategorie vallen relatief de meeste processen met een hoog of zeer hoog risico onder "
                "‘%(category)s’: %(high)d van de %(total)s."
            )
            % {"category": best.name, "high": best.high, "total": processes(best.processes)}
        )
    else:
        paragraphs.append(_("Geen enkele procescategorie heeft processen met een hoog of zeer hoog risico."))
    return paragraphs


def priorities(facts: Facts) -> list[str]:
    if not facts.processes:
        return [_("Zonder afgesloten scan is er nog geen prioriteitenlijst.")]
    shown = min(len(facts.processes), TOP_COUNT)
    return [
        ngettext(
            "Hieronder staat het proces met het hoogste risico, met de belangrijkste redenen in woorden.",
            "Hieronder staan de %(count)d processen met het hoogste risico, met de belangrijkste redenen in woorden.",
            shown,
        )
        % {"count": shown}
        + " "
        + _(
            "Het risico is kans maal impact; bij gelijk risico gaat de hoogste kwetsbaarheidsscore voor. "
            "De bijlage beschrijft elk proces van de scan."
        ),
        _(
            "Solistisch werken weegt extra zwaar. Wie zonder tweede paar ogen werkt, kan onder druk gezet of "
            "verleid worden zonder dat iemand het merkt; samen met de andere kenmerken maakt dat een proces "
            "extra kwetsbaar. Hoe hoger die andere kenmerken, hoe groter dit effect."
        ),
    ]


def comparison(facts: Facts) -> list[str]:
    trend = facts.trend
    if facts.scan is None:
        return [_("Zonder afgesloten scan is er niets te vergelijken.")]
    if trend is None:
        return [_("Dit is de eerste afgesloten scan: er is nog geen eerdere ronde om mee te vergelijken.")]
    both = trend.higher + trend.lower + trend.equal
    paragraphs = [
        _(
            "Deze scan is vergeleken met ‘%(previous)s’. %(both)s kwamen in beide scans voor; de score van "
            "%(higher)d daarvan is gestegen, van %(lower)d gedaald en van %(equal)d gelijk gebleven."
        )
        % {
            "previous": trend.previous_name,
            "both": processes(both),
            "higher": trend.higher,
            "lower": trend.lower,
            "equal": trend.equal,
        }
    ]
    if trend.new:
        paragraphs.append(
            ngettext(
                "%(count)d proces is voor het eerst beoordeeld.",
                "%(count)d processen zijn voor het eerst beoordeeld.",
                trend.new,
            )
            % {"count": trend.new}
        )
    if trend.dropped:
        paragraphs.append(
            ngettext(
                "%(count)d proces uit de vorige ronde is dit keer niet beoordeeld.",
                "%(count)d processen uit de vorige ronde zijn dit keer niet beoordeeld.",
                trend.dropped,
            )
            % {"count": trend.dropped}
        )
    if facts.scan.average is not None and trend.average_before is not None:
        paragraphs.append(
            _("De gemiddelde kwetsbaarheidsscore ging van %(before)d naar %(now)d.")
            % {"before": trend.average_before, "now": facts.scan.average}
        )
    return paragraphs


def measures_text(facts: Facts) -> list[str]:
    plan = facts.measures
    if plan is None:
        return []
    paragraphs = [
        _(
            "Het actieplan telt %(total)s (afgewezen voorstellen niet meegeteld): %(process)d voor een bepaald "
            "proces en %(organisation)d voor de hele organisatie."
        )
        % {"total": measures(plan.total), "process": plan.process_lines, "organisation": plan.organisation_lines}
    ]
    overdue = ngettext(
        "Van de maatregelen die nog lopen, is er %(count)d over de afgesproken datum",
        "Van de maatregelen die nog lopen, zijn er %(count)d over de afgesproken datum",
        plan.overdue,
    ) % {"count": plan.overdue}
    soon = ngettext(
        "%(count)d moet binnen 30 dagen klaar zijn.", "%(count)d moeten binnen 30 dagen klaar zijn.", plan.due_soon
    ) % {"count": plan.due_soon}
    paragraphs.append(f"{overdue}; {soon}")
    if plan.implemented:
        paragraphs.append(
            ngettext(
                "Van de %(implemented)s met de status geïmplementeerd is er %(alive)d levend: de laatste "
                "herziening valt binnen de afgesproken termijn.",
                "Van de %(implemented)s met de status geïmplementeerd zijn er %(alive)d levend: hun laatste "
                "herziening valt binnen de afgesproken termijn.",
                plan.alive,
            )
            % {"implemented": measures(plan.implemented), "alive": plan.alive}
            + " "
            + ngettext(
                "%(count)d verliest effect omdat de herziening te laat is;",
                "%(count)d verliezen effect omdat de herziening te laat is;",
                plan.fading,
            )
            % {"count": plan.fading}
            + " "
            + ngettext("%(count)d heeft geen effect meer.", "%(count)d hebben geen effect meer.", plan.lapsed)
            % {"count": plan.lapsed}
        )
    else:
        paragraphs.append(
            _("Er is nog geen maatregel geïmplementeerd, dus nog geen enkel proces wordt erdoor beschermd.")
        )
    if facts.scan is not None and facts.scan.processes:
        paragraphs.append(
            _(
                "Met de maatregelen die vandaag werken, is de kwetsbaarheid van %(lowered)s lager dan bij het "
                "afsluiten van de scan. In de klassen hoog en zeer hoog vallen nu %(now)s, tegen %(before)s bij het "
                "afsluiten."
            )
            % {
                "lowered": processes(plan.lowered),
                "now": processes(plan.high_now),
                "before": processes(plan.high_at_close),
            }
        )
    if plan.checklist_total:
        paragraphs.append(
            _(
                "Naast de maatregelen per proces zijn er organisatiebrede maatregelen: integriteit, veiligheid van "
                "medewerkers, de organisatie als gezamenlijke opgave, screening en training. Van de %(total)s op de "
                "checklist zijn er %(done)d geïmplementeerd."
            )
            % {"total": measures(plan.checklist_total), "done": plan.checklist_implemented}
        )
    return paragraphs


def attention_text(facts: Facts) -> list[str]:
    if not facts.attention:
        return []
    return [
        _(
            "Maatregelen helpen alleen zolang ze in de praktijk levend zijn. Drie signalen laten zien of de "
            "organisatie de aandacht vasthoudt: terugkerende activiteiten op tijd, maatregelen die nog levend "
            "zijn, en hoe lang de laatste scan geleden is."
        ),
        _attention_sentence(facts),
    ]


def appendix(facts: Facts) -> list[str]:
    if not facts.processes:
        return [_("Zonder afgesloten scan zijn er nog geen processen te beschrijven.")]
    return [
        _(
            "Per proces van de scan, in volgorde van risico: de uitkomst, de belangrijkste redenen, de stand van "
            "de maatregelen en het restrisico van vandaag."
        )
    ]
