"""The demo's process registers: what a large and a small (fictional) gemeente would list.

Most processes are adopted from the national catalogue (``ref``, a reference-process key) under the
name the gemeente itself uses; a few are its own (no reference, so ``category`` is given). Owners
are demo roles (the member ``<role>@<domain>``); an empty owner leaves the process without one, so
the "zonder eigenaar" warning has something to show. The large gemeente does nearly everything
itself; the small one leans on the omgevingsdienst and joint arrangements, as small gemeenten do.

This module imports the register's models, so ``weerbaar.core.demo`` imports it only while loading.
"""

from __future__ import annotations

from dataclasses import dataclass

from weerbaar.core.permissions import Role
from weerbaar.register.models import Executor

# Internal circumstances of the national catalogue (keys), short names for the tables below.
DISCRETION = "grote-discretionaire-ruimte"
MANY_HATS = "meerdere-petten"
KEY_POSITION = "sleutelpositie-zonder-vervanging"
BROAD_RIGHTS = "ruime-systeemrechten"
LONG_IN_POST = "lang-op-dezelfde-functie"
PERSONAL_TIES = "persoonlijke-banden-aanvragers"
HIRED_STAFF = "afhankelijkheid-inhuur"
SIDE_JOBS = "nevenfuncties-belangen"
SMALL_TEAM = "klein-team"
WEAK_LOGGING = "zwakke-logging"
WORKLOAD = "hoge-werkdruk"
NO_ROTATION = "geen-functieroulatie"
NO_FOUR_EYES = "geen-vier-ogen-uitzonderingen"
VAGUE_MANDATE = "onduidelijke-mandaten"
REMOTE_DATA = "thuiswerken-gevoelige-gegevens"
NO_DOUBLE_CHECK = "capaciteitstekort-dubbelcheck"
MANUAL = "handmatige-processen"
WEAK_REPORTING = "zwakke-meldcultuur"
SCREENED_ONCE = "screening-eenmalig"

# Partners that carry processes out for the gemeenten of the (fictional) region Zuidwaard.
OMGEVINGSDIENST = (Executor.ENVIRONMENT_SERVICE, "Omgevingsdienst Zuidwaard")
WERKBEDRIJF = (Executor.JOINT_ARRANGEMENT, "GR Werkbedrijf Zuidwaard")
GGD = (Executor.JOINT_ARRANGEMENT, "GGD Zuidwaard")
ISD = (Executor.JOINT_ARRANGEMENT, "Intergemeentelijke Sociale Dienst Zuidwaard")
KREDIETBANK = (Executor.JOINT_ARRANGEMENT, "Kredietbank Zuidwaard")
LEERPLICHT = (Executor.JOINT_ARRANGEMENT, "Regionaal Bureau Leerplicht Zuidwaard")
BELASTINGEN = (Executor.JOINT_ARRANGEMENT, "Belastingsamenwerking Zuidwaard")
ICT = (Executor.JOINT_ARRANGEMENT, "ICT-samenwerking Zuidwaard")
INKOOPBUREAU = (Executor.JOINT_ARRANGEMENT, "Inkoopbureau Zuidwaard")
SALARISBUREAU = (Executor.OTHER_PARTNER, "Extern salarisbureau")
BIBOB_TEAM = (Executor.OTHER_PARTNER, "Bibob-team RIEC Zuidwaard")

NO_OWNER = ""


@dataclass(frozen=True)
class DemoProcess:
    name: str
    ref: str  # reference-process key, or "" for an own process
    volume: int | None
    positions: tuple[str, ...] = ()
    circumstances: tuple[str, ...] = ()
    owner: str = Role.PROCESEIGENAAR
    by: tuple[str, str] | None = None  # (executor, partner name); None: the gemeente itself
    category: str = ""  # only for own processes
    description: str = ""
    archived: bool = False


# --- Gemeente Veenhaven (large) ------------------------------------------------------------------

BZ = "Medewerker Burgerzaken"
KCC = "Medewerker klantcontactcentrum"
VV = "Vergunningverlener omgevingsrecht"
HE = "Vergunningverlener horeca en evenementen"
BOA = "Toezichthouder / boa"
WI = "Consulent Werk en Inkomen"
SR = "Sociaal rechercheur"
SHV = "Consulent schuldhulpverlening"
WMO = "Consulent Wmo en jeugd"
LPA = "Leerplichtambtenaar"
FIN = "Medewerker financiële administratie"
CRED = "Medewerker crediteurenadministratie"
BEL = "Medewerker belastingen"
INK = "Inkoopadviseur"
CBOR = "Contractbeheerder openbare ruimte"
RO = "Projectleider ruimtelijke ontwikkeling"
GRZ = "Adviseur grondzaken en vastgoed"
SYS = "Systeembeheerder"
FB = "Functioneel beheerder"
DIV = "Medewerker informatiebeheer"
HR = "HR-adviseur"
SAL = "Salarisadministrateur"
FAC = "Medewerker facilitaire zaken"
OOV = "Adviseur openbare orde en veiligheid"
BA = "Bestuursadviseur"
JUR = "Juridisch adviseur"

P = DemoProcess
SECRETARIS, COORDINATOR, BEHEERDER, MEDEWERKER = Role.SECRETARIS, Role.COORDINATOR, Role.BEHEERDER, Role.MEDEWERKER

VEENHAVEN: dict[str, list[DemoProcess]] = {
    "Publiekszaken": [
        P("Kasbeheer balies Publiekszaken", "kasbeheer-contant", 9_000, (BZ, FIN), (MANUAL,), owner=MEDEWERKER),
    ],
    "Burgerzaken": [
        P("Paspoorten en identiteitskaarten", "uitgifte-reisdocumenten", 16_500, (BZ,), (WORKLOAD,)),
        P("Rijbewijzen", "uitgifte-rijbewijzen", 9_200, (BZ,)),
        P("Vermissing en fraude reisdocumenten", "vermissing-reisdocument", 480, (BZ,), (DISCRETION,)),
        P("Eerste inschrijving vanuit het buitenland", "brp-eerste-inschrijving", 1_450, (BZ,), (WORKLOAD, DISCRETION)),
        P("Verhuizingen en adreswijzigingen", "brp-adreswijziging", 11_800, (BZ,), (NO_DOUBLE_CHECK,)),
        P("Adresonderzoeken", "adresonderzoek", 950, (BZ, BOA), (DISCRETION, WORKLOAD)),
        P("Briefadressen", "briefadres", 340, (BZ,), (DISCRETION,)),
        P("Registratie niet-ingezetenen (RNI-loket)", "rni-registratie", 2_600, (BZ,), (WORKLOAD, NO_DOUBLE_CHECK)),
        P("Geboorte- en overlijdensaangiften", "burgerlijke-stand-akten", 2_500, (BZ,)),
        P("Huwelijken en partnerschappen", "huwelijk-partnerschap", 460, (BZ,)),
        P("Naturalisatie en optie", "naturalisatie", 260, (BZ,), (LONG_IN_POST,)),
        P("Uittreksels en verklaringen", "burgerzaken-uittreksels", 5_200, (BZ,), owner=MEDEWERKER),
        P("Aanvragen verklaring omtrent het gedrag (VOG)", "burgerzaken-uittreksels", 1_900, (BZ,)),
        P(
            "Functioneel beheer BRP en autorisaties",
            "brp-functioneel-beheer",
            None,
            (FB,),
            (BROAD_RIGHTS, KEY_POSITION, WEAK_LOGGING),
            owner=BEHEERDER,
        ),
        P("Gegevensverstrekking uit de BRP aan derden", "gegevensverstrekking-derden", 720, (BZ, FB), (WEAK_LOGGING,)),
        P("Gegevensverstrekking aan politie en justitie", "gegevensverstrekking-derden", 310, (BZ,), (NO_FOUR_EYES,)),
    ],
    "Klantcontactcentrum": [
        P("Parkeervergunningen bewoners en bedrijven", "parkeervergunning", 4_300, (KCC,), (MANUAL,)),
        P("Gehandicaptenparkeerkaart en -parkeerplaats", "parkeervergunning", 380, (KCC, WMO), (DISCRETION,)),
        P(
            "Uitgifte papieren bezoekersparkeerkaarten",
            "parkeervergunning",
            2_100,
            (KCC,),
            (MANUAL,),
            description="Vervangen door digitaal bezoekersparkeren.",
            archived=True,
        ),
        P(
            "Meldingen openbare ruimte",
            "",
            14_500,
            (KCC,),
            owner=NO_OWNER,
            category="overig",
            description="Meldingen van inwoners over afval, verlichting en schade, doorgezet naar de buitendienst.",
        ),
    ],
    "Vergunningverlening": [
        P("Omgevingsvergunning bouwen", "omgevingsvergunning", 870, (VV,), (DISCRETION, WORKLOAD)),
        P("Omgevingsvergunning milieu", "omgevingsvergunning-milieu", 55, (VV,), by=OMGEVINGSDIENST),
        P("Sloopmeldingen en asbestverwijdering", "sloopmelding", 360, (VV,), (NO_DOUBLE_CHECK,), by=OMGEVINGSDIENST),
        P("Splitsings- en omzettingsvergunningen", "splitsing-woningvorming", 45, (VV,), (DISCRETION,)),
        P("Kamerverhuur en vakantieverhuur", "kamerverhuur-vakantieverhuur", 310, (VV, HE), (MANUAL,)),
        P("Huisvestingsvergunningen", "huisvestingsvergunning", 160, (VV,)),
        P("Alcoholwetvergunningen", "alcoholwetvergunning", 95, (HE,), (PERSONAL_TIES,)),
        P("Alcoholwetvergunningen sportkantines en paracommercie", "alcoholwetvergunning", 35, (HE,), (PERSONAL_TIES,)),
        P("Exploitatievergunning horeca", "exploitatievergunning-horeca", 70, (HE, OOV), (PERSONAL_TIES, DISCRETION)),
        P("Terrasvergunningen", "terrasvergunning", 115, (HE,)),
        P("Evenementenvergunning grote evenementen", "evenementenvergunning", 30, (HE, OOV), (DISCRETION,)),
        P("Evenementenvergunning kleine evenementen", "evenementenvergunning", 260, (HE,), (WORKLOAD,)),
        P("Speelautomaten en speelautomatenhallen", "speelautomatenvergunning", 12, (HE,), (LONG_IN_POST,)),
        P("Kleine kansspelen en loterijen", "kleine-kansspelen", 25, (HE,)),
        P("Vergunningen seksbedrijven", "seksbedrijfvergunning", 6, (HE, OOV), (SMALL_TEAM, KEY_POSITION)),
        P("Taxivergunningen en standplaatsontheffingen", "taxi-apv-vergunning", 18, (HE,)),
        P("Overige APV-vergunningen en ontheffingen", "apv-vergunningen-overig", 420, (HE,), (VAGUE_MANDATE,)),
        P("Standplaatsvergunningen", "standplaatsvergunning", 22, (HE,)),
    ],
    "Toezicht en Handhaving": [
        P("Toezicht bouwen en gebruik", "toezicht-handhaving-omgeving", 720, (BOA, VV), (DISCRETION,)),
        P("Milieutoezicht bij bedrijven", "toezicht-milieu", 450, (BOA,), by=OMGEVINGSDIENST),
        P("Toezicht horeca en Alcoholwet", "toezicht-horeca-bijzondere-wetten", 520, (BOA,), (PERSONAL_TIES,)),
        P("Handhaving openbare ruimte door boa's", "handhaving-openbare-ruimte-boa", 6_300, (BOA,), (DISCRETION,)),
        P("Last onder dwangsom en bestuursdwang", "last-onder-dwangsom", 85, (BOA, JUR), (VAGUE_MANDATE,)),
        P("Bestuurlijke boetes", "bestuurlijke-boete", 950, (BOA,), (MANUAL, NO_FOUR_EYES)),
        P("Toezicht op woonfraude en illegale vakantieverhuur", "toezicht-handhaving-omgeving", 160, (BOA, VV)),
    ],
    "Werk en Inkomen": [
        P("Bijstandsuitkeringen", "bijstand-participatiewet", 2_900, (WI,), (WORKLOAD, DISCRETION, SCREENED_ONCE)),
        P("Bijstand voor zelfstandigen (Bbz)", "bijstand-participatiewet", 90, (WI,), (DISCRETION, SMALL_TEAM)),
        P("Bijzondere bijstand en minimaregelingen", "bijzondere-bijstand-minima", 4_100, (WI,), (NO_DOUBLE_CHECK,)),
        P("Fraudeonderzoek en terugvordering", "handhaving-sociale-zekerheid", 340, (SR, WI), (KEY_POSITION,)),
        P("Inburgering", "inburgering", 270, (WI,)),
        P(
            "Re-integratie en loonkostensubsidie",
            "",
            620,
            (WI,),
            (HIRED_STAFF,),
            by=WERKBEDRIJF,
            category="subsidies",
            description="Begeleiding naar werk en loonkostensubsidie aan werkgevers, uitgevoerd door het werkbedrijf.",
        ),
        P(
            "Beschut werk en sociale werkvoorziening",
            "",
            230,
            (WI,),
            by=WERKBEDRIJF,
            category="overig",
            description="Plaatsing in beschut werk en de afbouw van de sociale werkvoorziening.",
        ),
    ],
    "Schuldhulpverlening": [
        P("Schuldhulpverlening", "schuldhulpverlening", 760, (SHV,), (WORKLOAD, REMOTE_DATA)),
        P("Budgetbeheer en budgetcoaching", "schuldhulpverlening", 310, (SHV,), (NO_FOUR_EYES, LONG_IN_POST)),
    ],
    "Sociaal Domein": [
        P("Urgentieverklaringen", "urgentieverklaring", 125, (WMO,), (DISCRETION, PERSONAL_TIES)),
        P("Subsidies welzijn, sport en cultuur", "subsidies-stichtingen-verenigingen", 230, (FIN,), (PERSONAL_TIES,)),
        P("Huisvesting statushouders", "urgentieverklaring", 190, (WMO,), (WORKLOAD,)),
    ],
    "Zorg en Jeugd": [
        P("Wmo-maatwerkvoorzieningen", "wmo-maatwerkvoorzieningen", 3_300, (WMO,), (WORKLOAD, DISCRETION)),
        P("Persoonsgebonden budget Wmo", "wmo-maatwerkvoorzieningen", 420, (WMO,), (NO_DOUBLE_CHECK,)),
        P("Toegang jeugdhulp", "jeugdhulp-toegang", 1_900, (WMO,), (WORKLOAD,)),
        P("Inkoop en contractmanagement Wmo en jeugdhulp", "inkoop-zorg", 120, (INK, WMO), (HIRED_STAFF,)),
        P("Toezicht rechtmatigheid zorgaanbieders", "toezicht-zorgaanbieders", 40, (WMO,), by=GGD),
        P("Registratie en handhaving kinderopvang", "handhaving-kinderopvang", 30, (WMO,)),
        P("Leerplicht en verzuim", "leerplicht", 1_100, (LPA,), (SMALL_TEAM,)),
        P(
            "Leerlingenvervoer",
            "",
            460,
            (WMO, INK),
            (MANUAL,),
            category="subsidies",
            description="Vervoer of een vergoeding voor leerlingen die zelf niet naar school kunnen reizen.",
        ),
    ],
    "Financiën": [
        P("Debiteurenbeheer en invordering", "debiteuren-invordering", 6_200, (FIN,), (MANUAL,)),
        P("Betaal- en inkoopkaarten", "betaal-inkoopkaarten", 180, (FIN,), (WEAK_LOGGING,)),
        P("Declaraties van medewerkers en bestuurders", "declaraties", 2_400, (FIN,), (NO_FOUR_EYES,)),
        P("Subsidieverlening en -vaststelling", "subsidieverlening", 310, (FIN,), (DISCRETION,)),
    ],
    "Crediteurenadministratie": [
        P("Betalen van facturen", "crediteurenbetalingen", 38_000, (CRED,), (NO_FOUR_EYES, WORKLOAD)),
        P("Beheer crediteurenstamgegevens", "crediteurenstambeheer", 1_500, (CRED,), (BROAD_RIGHTS, WEAK_LOGGING)),
    ],
    "Belastingen": [
        P("Heffing en invordering gemeentelijke belastingen", "gemeentelijke-belastingen", 62_000, (BEL,)),
        P("WOZ-waardebepaling en bezwaar", "woz-waardebepaling", 58_000, (BEL,), (DISCRETION,)),
        P("Kwijtschelding", "kwijtschelding-belastingen", 2_300, (BEL,), (MANUAL,)),
        P("Precariobelasting en reclamebelasting", "gemeentelijke-belastingen", 450, (BEL,), (MANUAL,)),
    ],
    "Inkoop en Aanbesteding": [
        P("Europese en nationale aanbestedingen", "inkoop-aanbesteding", 45, (INK,), (SIDE_JOBS,)),
        P("Onderhandse inkoop", "onderhandse-inkoop", 620, (INK,), (VAGUE_MANDATE, NO_FOUR_EYES)),
        P("Inhuur externen", "inhuur-externen", 260, (INK, HR), (HIRED_STAFF, SCREENED_ONCE), owner=SECRETARIS),
    ],
    "Openbare Ruimte": [
        P("Contracten afvalinzameling en -verwerking", "afvalinzameling-contracten", 6, (CBOR,), (LONG_IN_POST,)),
        P("Opdrachten groenonderhoud", "groenonderhoud-contracten", 40, (CBOR,), (PERSONAL_TIES,)),
        P("Opdrachten wegen, riolering en civiele werken", "wegbeheer-opdrachten", 120, (CBOR, INK), (SIDE_JOBS,)),
        P("Marktvergunningen weekmarkt", "marktvergunning", 60, (CBOR,), (LONG_IN_POST,)),
        P("Ligplaatsen binnenhaven en jachthaven", "ligplaatsen-havenbeheer", 190, (CBOR, BOA), (MANUAL, SMALL_TEAM)),
        P("Inning havengeld en kadegeld", "ligplaatsen-havenbeheer", 950, (CBOR, FIN), (MANUAL, NO_FOUR_EYES)),
        P("Reclame en objecten in de openbare ruimte", "apv-vergunningen-overig", 140, (CBOR,)),
        P(
            "Beheer gemeentelijke parkeergarages",
            "",
            None,
            (CBOR, FIN),
            (MANUAL,),
            category="financiele-transacties",
            description="Drie parkeergarages in het centrum: abonnementen, afstorting van de kassa's en onderhoud.",
        ),
    ],
    "Ruimtelijke Ontwikkeling": [
        P("Wijziging omgevingsplan", "wijziging-omgevingsplan", 25, (RO,), (DISCRETION,)),
        P(
            "Buitenplanse omgevingsplanactiviteiten",
            "buitenplanse-omgevingsplanactiviteit",
            40,
            (RO, VV),
            (DISCRETION,),
        ),
        P(
            "Gebiedsontwikkeling met ontwikkelaars",
            "ruimtelijke-projecten-ontwikkelaars",
            12,
            (RO, GRZ),
            (SIDE_JOBS, KEY_POSITION),
        ),
        P("Duurzaamheidssubsidies en ondernemersregelingen", "stimuleringsregelingen", 820, (RO,), (MANUAL,)),
    ],
    "Vastgoed en Grondzaken": [
        P("Gronduitgifte en grondtransacties", "grondtransacties", 30, (GRZ,), (KEY_POSITION, DISCRETION)),
        P("Uitgifte bedrijfskavels", "grondtransacties", 8, (GRZ,), (PERSONAL_TIES,)),
        P("Verhuur en verpachting gemeentelijk vastgoed", "verhuur-gemeentelijk-vastgoed", 160, (GRZ,), (MANUAL,)),
        P("Erfpacht en opstal", "erfpacht-opstal", 410, (GRZ,)),
        P(
            "Anterieure overeenkomsten en kostenverhaal",
            "vastgoed-anterieure-overeenkomst",
            15,
            (GRZ, RO),
            (SIDE_JOBS,),
        ),
        P("Verhuur sportaccommodaties", "sportaccommodaties", 180, (GRZ,)),
        P("Verkoop gemeentelijk vastgoed", "grondtransacties", 6, (GRZ,), (KEY_POSITION,)),
        P(
            "Woonwagenstandplaatsen toewijzen",
            "woonwagenstandplaatsen",
            3,
            (GRZ,),
            description="Overgedragen aan de woningcorporatie.",
            archived=True,
        ),
    ],
    "Informatievoorziening en ICT": [
        P("ICT-beheer", "ict-beheer", None, (SYS,), (BROAD_RIGHTS, KEY_POSITION), owner=BEHEERDER),
        P("Autorisaties en toegang tot systemen", "toegangsbeheer-systemen", 3_100, (FB, SYS), owner=BEHEERDER),
        P("Archief- en informatiebeheer", "archief-informatiebeheer", None, (DIV,), (MANUAL,)),
        P(
            "Beheer adressen en gebouwen (BAG)",
            "",
            1_800,
            (DIV, FB),
            (WEAK_LOGGING,),
            category="persoonsgegevens-informatie",
            description="Mutaties in de Basisregistratie Adressen en Gebouwen; een nep-adres begint vaak hier.",
        ),
    ],
    "Personeel en Organisatie": [
        P("Werving en selectie", "hr-werving-selectie", 180, (HR,), (SCREENED_ONCE,), owner=SECRETARIS),
        P("Salarisadministratie", "salarisadministratie", 1_150, (SAL,), (KEY_POSITION, NO_FOUR_EYES)),
        P("Personeelsdossiers", "personeelsdossiers", 1_150, (HR,), (BROAD_RIGHTS,)),
        P("Registratie agressie en intimidatie", "agressie-incidenten", 75, (HR,), (WEAK_REPORTING,), owner=NO_OWNER),
    ],
    "Facilitaire Zaken": [
        P("Facilitaire contracten", "facilitaire-inkoop", 15, (FAC, INK), (LONG_IN_POST,)),
        P("Gebouwbeveiliging en toegangspassen", "gebouwbeveiliging-toegangspassen", 1_300, (FAC,), (WEAK_LOGGING,)),
    ],
    "Openbare Orde en Veiligheid": [
        P("Bibob-onderzoeken", "bibob-onderzoek", 60, (OOV,), (KEY_POSITION, SMALL_TEAM), owner=COORDINATOR),
        P("Sluiting drugspanden (13b Opiumwet)", "sluiting-13b-opiumwet", 15, (OOV, BOA), owner=COORDINATOR),
        P("Casusoverleg ondermijning met RIEC-partners", "casusoverleg-ondermijning", 40, (OOV,), owner=COORDINATOR),
        P("Integrale controles bedrijventerreinen", "integrale-controles", 12, (OOV, BOA), owner=COORDINATOR),
        P("Gedoogbeschikkingen coffeeshops", "coffeeshop-gedoogbeschikking", 4, (OOV,), (SMALL_TEAM,)),
        P("Cameratoezicht uitgaansgebied en binnenhaven", "cameratoezicht", None, (OOV,), (WEAK_LOGGING,)),
        P(
            "Tijdelijk huisverbod",
            "",
            110,
            (OOV,),
            owner=COORDINATOR,
            category="toezicht-handhaving",
            description="Huisverbod door de burgemeester bij (dreiging van) huiselijk geweld.",
        ),
    ],
    "Bestuursondersteuning": [
        P("Voorbereiding collegebesluiten", "college-besluitvorming", 900, (BA,), (REMOTE_DATA,), owner=SECRETARIS),
        P("Vertrouwelijke raadsstukken", "raadsinformatie-vertrouwelijk", 60, (BA,), (WEAK_LOGGING,), owner=NO_OWNER),
        P("Integriteitsmeldingen en -onderzoeken", "integriteitsmeldingen", 14, (BA, HR), owner=SECRETARIS),
    ],
    "Juridische Zaken": [
        P("Bezwaar en beroep", "bezwaar-beroep", 460, (JUR,), (WORKLOAD,)),
        P("Klachtbehandeling", "klachtbehandeling", 190, (JUR,)),
        P("Woo-verzoeken", "archief-informatiebeheer", 95, (JUR, DIV), (WORKLOAD,)),
    ],
}

# --- Gemeente Oosterzijl (small) -----------------------------------------------------------------

PV = "Medewerker Publiekszaken en Vergunningen"
SD = "Consulent Sociaal Domein"
FI = "Medewerker financiën en inkoop"
TZ = "Boa en toezichthouder"
RG = "Beleidsmedewerker ruimte en grondzaken"
PI = "Medewerker P&O en informatiebeheer"
OV = "Adviseur openbare orde en veiligheid"
BD = "Medewerker buitendienst"

OOSTERZIJL: dict[str, list[DemoProcess]] = {
    "Publiekszaken en Vergunningen": [
        P("Paspoorten en identiteitskaarten", "uitgifte-reisdocumenten", 1_700, (PV,), (SMALL_TEAM, PERSONAL_TIES)),
        P("Verhuizingen en eerste inschrijvingen", "brp-adreswijziging", 1_150, (PV,), (PERSONAL_TIES, MANY_HATS)),
        P("Omgevingsvergunning bouwen", "omgevingsvergunning", 175, (PV, RG), (MANY_HATS, PERSONAL_TIES)),
        P("Omgevingsvergunning milieu", "omgevingsvergunning-milieu", 12, (PV,), by=OMGEVINGSDIENST),
        P("Evenementenvergunningen", "evenementenvergunning", 45, (PV, OV), (PERSONAL_TIES,)),
        P("Alcoholwet- en exploitatievergunningen", "alcoholwetvergunning", 20, (PV, OV), (PERSONAL_TIES, MANY_HATS)),
        P("Bibob-onderzoeken", "bibob-onderzoek", 6, (OV,), (KEY_POSITION,), owner=COORDINATOR, by=BIBOB_TEAM),
    ],
    "Ruimte en Omgeving": [
        P("Toezicht bouwen en gebruik", "toezicht-handhaving-omgeving", 90, (TZ,), by=OMGEVINGSDIENST),
        P(
            "Toezicht op de recreatieparken",
            "toezicht-recreatieparken",
            30,
            (TZ, OV),
            (KEY_POSITION,),
            owner=COORDINATOR,
        ),
        P(
            "Herbestemming leegstaande agrarische gebouwen",
            "vab-herbestemming",
            8,
            (RG,),
            (DISCRETION,),
            owner=NO_OWNER,
        ),
        P("Handhaving openbare ruimte", "handhaving-openbare-ruimte-boa", 420, (TZ,), (SMALL_TEAM,)),
        P("Verkoop snippergroen en gemeentegrond", "grondtransacties", 25, (RG,), (PERSONAL_TIES, NO_FOUR_EYES)),
        P("Opdrachten wegen en groenonderhoud", "wegbeheer-opdrachten", 30, (BD, FI), (LONG_IN_POST, PERSONAL_TIES)),
        P(
            "Beheer gemeentelijke begraafplaatsen",
            "",
            90,
            (BD,),
            (MANUAL,),
            owner=NO_OWNER,
            category="financiele-transacties",
            description="Uitgifte en verlenging van graf- en urnenrechten en het innen van de leges.",
        ),
    ],
    "Sociaal Domein": [
        P("Bijstandsuitkeringen", "bijstand-participatiewet", 180, (SD,), by=ISD),
        P(
            "Re-integratie en beschut werk",
            "",
            45,
            (SD,),
            by=WERKBEDRIJF,
            category="subsidies",
            description="Begeleiding naar werk en beschut werk, uitgevoerd door het werkbedrijf van de regio.",
        ),
        P("Wmo-maatwerkvoorzieningen", "wmo-maatwerkvoorzieningen", 460, (SD,), (MANY_HATS, PERSONAL_TIES)),
        P("Toegang jeugdhulp", "jeugdhulp-toegang", 260, (SD,), (KEY_POSITION,)),
        P("Schuldhulpverlening", "schuldhulpverlening", 70, (SD,), by=KREDIETBANK),
        P("Leerplicht", "leerplicht", 150, (SD,), by=LEERPLICHT, owner=COORDINATOR),
        P("Subsidies verenigingen en dorpshuizen", "subsidies-stichtingen-verenigingen", 55, (FI,), (PERSONAL_TIES,)),
    ],
    "Bedrijfsvoering": [
        P("Betalen van facturen", "crediteurenbetalingen", 7_500, (FI,), (MANY_HATS, NO_FOUR_EYES)),
        P("Gemeentelijke belastingen en WOZ", "gemeentelijke-belastingen", 6_100, (FI,), by=BELASTINGEN),
        P("Inkoop en aanbesteding", "inkoop-aanbesteding", 20, (FI,), (MANY_HATS,), by=INKOOPBUREAU),
        P("Salarisadministratie", "salarisadministratie", 130, (PI,), (KEY_POSITION,), by=SALARISBUREAU),
        P("ICT-beheer", "ict-beheer", None, (PI,), (BROAD_RIGHTS,), owner=BEHEERDER, by=ICT),
        P("Voorbereiding collegebesluiten", "college-besluitvorming", 350, (PI,), (SMALL_TEAM,), owner=SECRETARIS),
    ],
}
