"""The demo scans' data: what Veenhaven's and Oosterzijl's raters scored, wrote and disagreed on.

Scores are strings of digits, K1..K8 for the characteristics and money, personal data, safety,
trust, continuity for the impact, so a row reads like the rating form. Plain data, no Django.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

#: The catalogue's characteristics K1..K8, in the order of the score strings below.
KEYS = (
    "belang-derden",
    "samenwerking-partners",
    "opdrachten-aannemers",
    "klantcontact",
    "geldstromen",
    "gevoelige-gegevens",
    "kritieke-dienstverlening",
    "solistisch-werken",
)

# What raters write for a 3 or a 4: (level 3, level 4) per characteristic, one pair for the owner and one
# for the colleague, so two ratings of one process never read the same.
RATIONALES: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "belang-derden": (
        (
            "Voor de aanvrager staat veel op het spel en de behandelaar heeft echte beoordelingsruimte.",
            "Van dit besluit kan het voortbestaan van een bedrijf of een grote waarde afhangen.",
        ),
        (
            "Aanvragers weten wie hun zaak behandelt en dringen geregeld aan.",
            "Grote belangen, en we hebben het afgelopen jaar druk van buiten gemerkt.",
        ),
    ),
    "samenwerking-partners": (
        (
            "We werken nauw samen met een vaste partner die in onze dossiers kan kijken.",
            "De uitvoering ligt grotendeels bij partners en ingehuurde krachten.",
        ),
        (
            "Afspraken over welke informatie de partner krijgt, zijn niet scherp vastgelegd.",
            "De zakelijke afstand tot de partners is klein; prestaties worden weinig getoetst.",
        ),
    ),
    "opdrachten-aannemers": (
        (
            "Er gaan elk jaar veel opdrachten naar verschillende (onder)aannemers.",
            "Grote opdrachten met ketens van onderaannemers; wie er echt werkt, zien we niet.",
        ),
        (
            "Onderaanneming komt veel voor en wordt niet altijd gemeld.",
            "Veel opdrachten, vaak aan dezelfde partijen, en weinig controle op de uitvoering.",
        ),
    ),
    "klantcontact": (
        (
            "Dagelijks direct contact met aanvragers, aan de balie, de telefoon of op straat.",
            "Intensief persoonlijk contact, ook op locatie; intimidatie komt voor.",
        ),
        (
            "Medewerkers zijn persoonlijk benaderbaar en worden soms onder druk gezet.",
            "Klanten zoeken de medewerker ook buiten het werk op.",
        ),
    ),
    "geldstromen": (
        (
            "Er gaan aanzienlijke bedragen om en één persoon kan een betaling in gang zetten.",
            "Het gaat om miljoenen per jaar; een fout of greep valt niet direct op.",
        ),
        (
            "Grote bedragen, en de controle achteraf is steekproefsgewijs.",
            "Veel geld en weinig zicht op waar het uiteindelijk terechtkomt.",
        ),
    ),
    "gevoelige-gegevens": (
        (
            "Toegang tot persoonsgegevens die voor criminelen waardevol zijn, zoals adressen.",
            "Brede toegang tot zeer gevoelige gegevens; raadplegingen worden nauwelijks gecontroleerd.",
        ),
        (
            "Ruime inzage in dossiers; of raadplegingen nodig waren, controleert niemand.",
            "Wie hier werkt, kan vrijwel alles inzien en ook doorgeven.",
        ),
    ),
    "kritieke-dienstverlening": (
        (
            "Als dit proces uitvalt, merken inwoners dat binnen een dag.",
            "Een verstoring legt de dienstverlening stil en raakt de veiligheid van mensen.",
        ),
        (
            "Uitval raakt direct veel inwoners of andere processen.",
            "Zonder dit proces staat een groot deel van de organisatie stil.",
        ),
    ),
    "solistisch-werken": (
        (
            "Vaak behandelt één medewerker een zaak van begin tot eind.",
            "Eén medewerker doet dit alleen, zonder vervanger en zonder controle achteraf.",
        ),
        (
            "Het vier-ogenprincipe wordt bij drukte overgeslagen.",
            "Er is maar één persoon die dit kan, en niemand kijkt mee.",
        ),
    ),
}


class Dispute(NamedTuple):
    """The colleague's level for one key (a characteristic or impact dimension), 2+ from the owner's."""

    key: str
    colleague: int
    agreed: int | None = None  # set with ``note``: the consensus already settled it
    note: str = ""


@dataclass(frozen=True)
class Rated:
    """One Veenhaven process: the owner's scores last year (K1..K8) and impact (money .. continuity)."""

    name: str
    scores: str
    impact: str
    years: str = "both"  # "last": only in last year's scan; "now": new in this year's
    change: tuple[tuple[str, int], ...] = ()  # this year the owner rates these keys differently
    why: str = ""  # ... and says why in the rating's note
    last_dispute: Dispute | None = None
    dispute: Dispute | None = None  # this year
    unsure: str = ""  # this year the colleague is unsure, and notes why
    settled: bool = False  # this year's consensus is already set
    late: bool = False  # this year the colleague has not handed in


R, D = Rated, Dispute
VEENHAVEN: list[Rated] = [
    R("Paspoorten en identiteitskaarten", "20020211", "12232", settled=True),
    R("Vermissing en fraude reisdocumenten", "30020313", "13342"),
    R("Eerste inschrijving vanuit het buitenland", "31021312", "23342"),
    R("Verhuizingen en adreswijzigingen", "20020211", "12232", settled=True),
    R(
        "Adresonderzoeken",
        "22021213",
        "22332",
        last_dispute=D(
            "solistisch-werken",
            1,
            3,
            "Huisbezoeken gaan met z'n tweeën, maar het dossieronderzoek doet één medewerker alleen. We houden 3 aan.",
        ),
        dispute=D("solistisch-werken", 1),
    ),
    R("Registratie niet-ingezetenen (RNI-loket)", "21021313", "23332"),
    R("Functioneel beheer BRP en autorisaties", "01000434", "14244"),
    R("Gegevensverstrekking uit de BRP aan derden", "12000312", "14232"),
    R("Parkeervergunningen bewoners en bedrijven", "10021100", "21121"),
    R("Omgevingsvergunning bouwen", "41121212", "31342", settled=True),
    R(
        "Kamerverhuur en vakantieverhuur",
        "31022111",
        "21232",
        change=(("geldstromen", 3),),
        why="Meer aanvragen van dezelfde verhuurders, en de huur wordt vaak contant betaald.",
        dispute=D("belang-derden", 1),
    ),
    R(
        "Exploitatievergunning horeca",
        "41031212",
        "31443",
        change=(("solistisch-werken", 3),),
        why="Sinds het vertrek van een collega behandelt één medewerker vrijwel alle aanvragen alleen.",
        settled=True,
    ),
    R("Evenementenvergunning grote evenementen", "22231121", "21532", dispute=D("safety", 3)),
    R(
        "Speelautomaten en speelautomatenhallen",
        "31012102",
        "31231",
        change=(("solistisch-werken", 4),),
        why="De enige collega die dit dossier kent, werkt nu ook voor de buurgemeente.",
        settled=True,
    ),
    R("Vergunningen seksbedrijven", "42032304", "23441"),
    R("Overige APV-vergunningen en ontheffingen", "10011101", "11221", years="last"),
    R("Toezicht bouwen en gebruik", "31031113", "21432"),
    R("Toezicht horeca en Alcoholwet", "31031212", "21432", dispute=D("gevoelige-gegevens", 4)),
    R("Last onder dwangsom en bestuursdwang", "41011111", "21332"),
    R("Bestuurlijke boetes", "10021102", "21121", years="last"),
    R(
        "Bijstandsuitkeringen",
        "21022211",
        "33233",
        change=(("klantcontact", 3),),
        why="Meer huisbezoeken, en vaker klanten die aan de balie dreigen.",
        settled=True,
    ),
    R("Fraudeonderzoek en terugvordering", "21021313", "24232"),
    R("Schuldhulpverlening", "22023312", "24333", late=True),
    R("Budgetbeheer en budgetcoaching", "11023204", "33232"),
    R("Urgentieverklaringen", "31021212", "13332"),
    R("Subsidies welzijn, sport en cultuur", "22113011", "31231", dispute=D("geldstromen", 1)),
    R(
        "Wmo-maatwerkvoorzieningen",
        "22222112",
        "23333",
        change=(("solistisch-werken", 3),),
        why="Door het personeelstekort doet één consulent nu vaak de hele aanvraag.",
    ),
    R(
        "Persoonsgebonden budget Wmo",
        "21013212",
        "43232",
        unsure="Ik ken dit proces vooral van de zijlijn; geldstromen en solistisch werken heb ik ingeschat.",
    ),
    R("Inkoop en contractmanagement Wmo en jeugdhulp", "23313111", "42243"),
    R(
        "Betaal- en inkoopkaarten",
        "00003004",
        "21121",
        change=(("solistisch-werken", 2),),
        why="Sinds maart keurt de budgethouder elke kaartbetaling boven € 250 vooraf goed.",
        settled=True,
    ),
    R("Declaraties van medewerkers en bestuurders", "00002002", "21131", settled=True),
    R(
        "Subsidieverlening en -vaststelling",
        "42014112",
        "41332",
        last_dispute=D(
            "belang-derden",
            2,
            3,
            "Grote subsidies gaan langs het college, kleine beslist de behandelaar zelf. Samen op 3 uitgekomen.",
        ),
    ),
    R(
        "Betalen van facturen",
        "00104023",
        "51123",
        change=(("solistisch-werken", 2),),
        why="Het vier-ogenprincipe geldt nu ook voor spoedbetalingen.",
        settled=True,
    ),
    R(
        "Beheer crediteurenstamgegevens",
        "00104124",
        "41122",
        unsure="Ik ben nieuw op deze afdeling en weet niet precies wie stamgegevens mag wijzigen.",
    ),
    R(
        "WOZ-waardebepaling en bezwaar",
        "21013112",
        "22231",
        change=(("solistisch-werken", 1),),
        why="Een tweede taxateur beoordeelt nu elk bezwaar.",
        settled=True,
    ),
    R("Kwijtschelding", "10011202", "13121", settled=True),
    R("Europese en nationale aanbestedingen", "31314111", "51243", settled=True),
    R(
        "Onderhandse inkoop",
        "21313113",
        "31232",
        dispute=D(
            "geldstromen",
            1,
            3,
            "De bedragen per opdracht zijn klein, maar per leverancier opgeteld fors. We houden 3 aan.",
        ),
    ),
    R("Inhuur externen", "03202312", "23232"),
    R("Opdrachten wegen, riolering en civiele werken", "21413021", "41243"),
    R(
        "Ligplaatsen binnenhaven en jachthaven",
        "21022112",
        "21332",
        last_dispute=D(
            "geldstromen", 4, 3, "Het liggeld wordt deels contant betaald; dat weegt mee. Samen op 3 uitgekomen."
        ),
    ),
    R("Inning havengeld en kadegeld", "00013004", "21121"),
    R("Wijziging omgevingsplan", "42113112", "41242"),
    R("Gebiedsontwikkeling met ontwikkelaars", "43314113", "51343", dispute=D("opdrachten-aannemers", 1)),
    R(
        "Gronduitgifte en grondtransacties",
        "42014114",
        "51241",
        change=(("samenwerking-partners", 3),),
        why="Sinds dit jaar werkt een extern adviesbureau mee aan elke transactie.",
        dispute=D("solistisch-werken", 1),
    ),
    R("Bibob-onderzoeken", "32011322", "24443", years="now", dispute=D("kritieke-dienstverlening", 4)),
    R("Integrale controles bedrijventerreinen", "23031211", "22431", years="now"),
    R("Salarisadministratie", "00003313", "33122", years="now"),
    R(
        "Cameratoezicht uitgaansgebied en binnenhaven",
        "02000322",
        "14331",
        years="now",
        unsure="Het is mij niet duidelijk of de politie de beelden ook rechtstreeks bekijkt.",
    ),
    R("Woo-verzoeken", "10010211", "13231", years="now", late=True),
]

#: Processes Veenhaven rated for the first time last year: "nieuw" in the trend against two years ago.
NEW_LAST_YEAR = frozenset(
    {"Registratie niet-ingezetenen (RNI-loket)", "Budgetbeheer en budgetcoaching", "Inhuur externen"}
)

#: Oosterzijl's ratings so far: (process, scores, impact, handed in). The other processes are untouched.
OOSTERZIJL: list[tuple[str, str, str, bool]] = [
    ("Paspoorten en identiteitskaarten", "20030323", "13243", True),
    ("Omgevingsvergunning bouwen", "41132214", "31342", True),
    ("Verkoop snippergroen en gemeentegrond", "41022114", "31131", True),
    ("Wmo-maatwerkvoorzieningen", "33133323", "33333", True),
    ("Betalen van facturen", "11204134", "51133", True),
    ("Toezicht op de recreatieparken", "33041323", "23542", True),
    ("Verhuizingen en eerste inschrijvingen", "31031423", "24433", False),
    ("Alcoholwet- en exploitatievergunningen", "41032214", "31442", False),
    ("Subsidies verenigingen en dorpshuizen", "32123113", "31231", False),
    ("Toegang jeugdhulp", "23032424", "24433", False),
]
#: A rater who has not finished saved this many characteristics (and no impact yet).
HALF_DONE = 4
