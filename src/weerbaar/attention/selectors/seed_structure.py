"""The seeds' structure of the organisation-wide measures ("Stap 2: actie"): groups, themes, why.

Each theme names the catalogue keys it holds, in the order of the seed slides; the checklist
(``selectors/checklist.py``) places every organisation-scope measure of the effective catalogue by
this structure. A test checks that every key named here exists in the national catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy

from weerbaar.catalogue.models import MeasureGroup


@dataclass(frozen=True)
class ThemeSpec:
    title: Any
    why: Any
    keys: tuple[str, ...]


@dataclass(frozen=True)
class GroupSpec:
    group: str
    why: Any
    themes: tuple[ThemeSpec, ...]


#: The seeds' structure ("Stap 2: actie"): group, why, and the themes with their catalogue keys.
STRUCTURE: tuple[GroupSpec, ...] = (
    GroupSpec(
        MeasureGroup.INTEGRITY,
        gettext_lazy(
            "Integriteit van ambtenaren, raad en college is één van de basisvoorwaarden voor lokale weerbaarheid."
        ),
        (
            ThemeSpec(
                gettext_lazy("Cliëntelisme tegengaan"),
                gettext_lazy(
                    "Zoek medestanders, intern of extern, als de ons-kent-ons-cultuur niet als een probleem wordt "
                    "gezien. Voer een risicoanalyse uit en maak cliëntelisme bespreekbaar."
                ),
                ("clientelisme-bespreekbaar", "risicoanalyse-clientelisme"),
            ),
            ThemeSpec(
                gettext_lazy("Bestuurlijk instrumentarium: de Wet Bibob"),
                gettext_lazy(
                    "Zo verstrekt de gemeente subsidies en vergunningen alleen aan integere partijen, en gaat zij "
                    "geen overeenkomst aan met niet-integere private partijen."
                ),
                ("bibob-vergunningen", "bibob-subsidies", "bibob-opdrachten", "bibob-vastgoed"),
            ),
            ThemeSpec(
                gettext_lazy("Integere kandidaten voor raad en college"),
                gettext_lazy(
                    "Stimuleer partijen om kandidaat-raadsleden te toetsen of te screenen op integriteit, en laat "
                    "kandidaat-wethouders een risicoanalyse doorlopen."
                ),
                ("screening-kandidaat-raadsleden", "risicoanalyse-kandidaat-wethouders"),
            ),
            ThemeSpec(
                gettext_lazy("Integriteit in de eigen organisatie"),
                gettext_lazy("De basis waarop medewerkers en bestuurders elkaar kunnen aanspreken."),
                (
                    "gedragscode-eed",
                    "nevenwerkzaamheden-belangen",
                    "geschenkenregister",
                    "meldregeling-vertrouwenspersoon",
                ),
            ),
        ),
    ),
    GroupSpec(
        MeasureGroup.SAFETY,
        gettext_lazy(
            "Medewerkers die onder druk worden gezet, moeten weten dat de organisatie achter hen staat: vóór, "
            "tijdens en na een incident."
        ),
        (
            ThemeSpec(
                gettext_lazy("Preventieve maatregelen"),
                gettext_lazy("Een veilige werkplek plant u per proces; hier staat wat voor iedereen geldt."),
                ("bescherming-privegegevens-medewerkers",),
            ),
            ThemeSpec(
                gettext_lazy("Een geïnternaliseerde organisatienorm"),
                gettext_lazy("Wat de organisatie niet accepteert, en wat daarop volgt, is binnen en buiten bekend."),
                ("organisatienorm-agressie",),
            ),
            ThemeSpec(
                gettext_lazy("Training"),
                gettext_lazy("Medewerkers herkennen druk en weten hoe ze grenzen stellen."),
                ("training-agressie",),
            ),
            ThemeSpec(
                gettext_lazy("Melden, registreren en aangifte"),
                gettext_lazy("Wat niet gemeld en geregistreerd wordt, kan de organisatie niet aanpakken."),
                ("melden-registreren-incidenten", "aangifte-door-werkgever"),
            ),
            ThemeSpec(
                gettext_lazy("Een reactie naar de dader"),
                gettext_lazy("De dader ziet dat de organisatie grenzen stelt."),
                ("reactie-naar-dader",),
            ),
            ThemeSpec(
                gettext_lazy("Nazorg"),
                gettext_lazy("Een medewerker blijft na een incident niet alleen."),
                ("nazorg-na-incident",),
            ),
        ),
    ),
    GroupSpec(
        MeasureGroup.COOPERATION,
        gettext_lazy(
            "Veel domeinen zijn betrokken, maar stemmen niet af. Casussen raken meerdere domeinen tegelijk en vragen "
            "om een gekoppeld aanbod."
        ),
        (
            ThemeSpec(
                gettext_lazy("Aanspreekpunten aanwijzen"),
                gettext_lazy("Iedere afdeling met kwetsbare processen weet bij wie signalen terechtkunnen."),
                ("aanspreekpunten-ondermijning",),
            ),
            ThemeSpec(
                gettext_lazy("Afstemming op casuïstiek"),
                gettext_lazy(
                    "Eén overleg en één regisseur voor casussen waarin zorg, veiligheid en vergunningen samenkomen."
                ),
                ("casusafstemming-multiproblematiek", "gekoppelde-ondersteuning"),
            ),
            ThemeSpec(
                gettext_lazy("Beleid afstemmen"),
                gettext_lazy("Wie op het ene terrein wordt geweigerd, komt niet via een ander terrein binnen."),
                ("afgestemd-beleid", "verbinding-veiligheid-hr"),
            ),
            ThemeSpec(
                gettext_lazy("Gezamenlijk aandacht creëren"),
                gettext_lazy("Weerbaarheid is een vast onderwerp, in de eigen organisatie en in de regio."),
                ("samen-aandacht-creeren", "regie-gemeentesecretaris", "samenwerking-riec"),
            ),
        ),
    ),
    GroupSpec(
        MeasureGroup.SCREENING,
        gettext_lazy("Het screeningsniveau past bij de functie, en blijft actueel als mensen van functie wisselen."),
        (
            ThemeSpec(
                "",
                "",
                (
                    "register-kwetsbare-functies",
                    "vog-bij-indiensttreding",
                    "screening-bij-functiewijziging",
                    "referentiecheck-werving",
                ),
            ),
        ),
    ),
    GroupSpec(
        MeasureGroup.TRAINING,
        gettext_lazy("Kennis en bewustzijn verdwijnen als niemand ze onderhoudt: houd de aandacht vast."),
        (
            ThemeSpec(
                gettext_lazy("Kennis en vaardigheden"),
                gettext_lazy("Medewerkers en leidinggevenden herkennen signalen en weten wat ze kunnen doen."),
                (
                    "introductie-nieuwe-medewerkers",
                    "e-learning-ondermijning",
                    "dilemmasessies",
                    "leidinggevenden-toerusten",
                    "bewustwording-informatiebeveiliging",
                ),
            ),
            ThemeSpec(
                gettext_lazy("Aandacht vasthouden"),
                gettext_lazy(
                    "Een intranetpagina, periodiek de norm bespreken, doorlopende bewustwordingsacties en een "
                    "terugkerend weerbaarheidsfestival."
                ),
                ("intranetpagina-weerbaarheid", "normgesprek-teams", "bewustwordingsacties", "weerbaarheidsfestival"),
            ),
        ),
    ),
    GroupSpec(
        MeasureGroup.BARRIERS,
        gettext_lazy("De meeste barrières plant u per proces; deze geldt voor de hele organisatie."),
        (ThemeSpec("", "", ("mandaatregeling",)),),
    ),
)
