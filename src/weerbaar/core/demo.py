"""Fictional demo organisations: two gemeenten and their RIEC, with a user for every role.

Every name here is invented on purpose: a demo must never suggest that a real gemeente is
vulnerable. Loading is idempotent (everything is matched by name, nothing is random) and goes
through the services, so the demo's audit trail is complete; the process registers live in
``demo_processes``. Later issues extend it with scans and measures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from weerbaar.core import services
from weerbaar.core.models import Membership, Organisation, OrganisationKind, SizeClass, Unit, User
from weerbaar.core.permissions import Role
from weerbaar.core.tenancy import tenant_scope

DEMO_PASSWORD = "Weerbaar-demo-2026"  # noqa: S105 - published in the README on purpose


@dataclass(frozen=True)
class DemoGemeente:
    name: str
    cbs_code: str
    inhabitants: int
    size_class: str
    domain: str
    units: dict[str, list[str]]


RIEC = ("RIEC Zuidwaard", "zuidwaard-riec.example")

LARGE = DemoGemeente(
    name="Gemeente Veenhaven",
    cbs_code="GM9901",
    inhabitants=121_400,
    size_class=SizeClass.LARGE,
    domain="veenhaven.example",
    units={
        "Publiekszaken": ["Burgerzaken", "Klantcontactcentrum"],
        "Vergunningen, Toezicht en Handhaving": ["Vergunningverlening", "Toezicht en Handhaving"],
        "Sociaal Domein": ["Werk en Inkomen", "Schuldhulpverlening", "Zorg en Jeugd"],
        "Financiën": ["Crediteurenadministratie", "Belastingen"],
        "Inkoop en Aanbesteding": [],
        "Openbare Ruimte": [],
        "Ruimtelijke Ontwikkeling": [],
        "Vastgoed en Grondzaken": [],
        "Informatievoorziening en ICT": [],
        "Personeel en Organisatie": [],
        "Facilitaire Zaken": [],
        "Openbare Orde en Veiligheid": [],
        "Bestuursondersteuning": ["Juridische Zaken"],
    },
)

SMALL = DemoGemeente(
    name="Gemeente Oosterzijl",
    cbs_code="GM9902",
    inhabitants=12_300,
    size_class=SizeClass.SMALL,
    domain="oosterzijl.example",
    units={
        "Publiekszaken en Vergunningen": [],
        "Sociaal Domein": [],
        "Bedrijfsvoering": [],
        "Ruimte en Omgeving": [],
    },
)

#: Demo people per role (first names are invented; the role is in the address).
GEMEENTE_PEOPLE: list[tuple[str, str]] = [
    (Role.SECRETARIS, "Secretaris"),
    (Role.COORDINATOR, "Coördinator"),
    (Role.PROCESEIGENAAR, "Proceseigenaar"),
    (Role.VERTROUWENSPERSOON, "Vertrouwenspersoon"),
    (Role.MEDEWERKER, "Medewerker"),
    (Role.LEZER, "Lezer"),
    (Role.BEHEERDER, "Beheerder"),
]

#: One adviser works for both gemeenten (a shared service), to try the organisation switcher.
SHARED_ADVISER = ("adviseur@zuidwaard-riec.example", "Sam de Wit (adviseur)")


def _user(email: str, full_name: str) -> User:
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        return existing
    return services.user_create(actor=None, organisation=None, email=email, full_name=full_name, password=DEMO_PASSWORD)


def _member(organisation: Organisation, user: User, roles: list[str], unit: Unit | None = None) -> None:
    with tenant_scope(organisation):
        if not Membership.objects.filter(user=user).exists():
            services.membership_create(actor=None, organisation=organisation, user=user, roles=roles, unit=unit)


def _organisation(kind: str, name: str, **fields: object) -> Organisation:
    existing = Organisation.objects.filter(name=name).first()
    if existing is not None:
        return existing
    return services.organisation_create(actor=None, kind=kind, name=name, **fields)


def _gemeente(spec: DemoGemeente, riec: Organisation) -> Organisation:
    organisation = _organisation(
        OrganisationKind.GEMEENTE,
        spec.name,
        cbs_code=spec.cbs_code,
        inhabitants=spec.inhabitants,
        size_class=spec.size_class,
        riec=riec,
        benchmark_opt_in=True,
        # The demo switches mandatory two-factor authentication off so anyone can try every role.
        two_factor_roles=[],
    )
    with tenant_scope(organisation):
        for top_name, children in spec.units.items():
            top = Unit.objects.filter(name=top_name, parent=None).first() or services.unit_create(
                actor=None, organisation=organisation, name=top_name
            )
            for child_name in children:
                if not Unit.objects.filter(name=child_name, parent=top).exists():
                    services.unit_create(actor=None, organisation=organisation, name=child_name, parent=top)
        first_unit = Unit.objects.filter(parent=None).order_by("name").first()
    for role, label in GEMEENTE_PEOPLE:
        user = _user(f"{role}@{spec.domain}", f"{label} {spec.name.removeprefix('Gemeente ')}")
        _member(organisation, user, [role], first_unit if role == Role.PROCESEIGENAAR else None)
    return organisation


#: Demo positions per gemeente: (name, unit, fte, screening level, risk areas, renewal years, years since screening).
POSITIONS: dict[str, list[tuple[str, str, str, str, list[str], int | None, int | None]]] = {
    LARGE.cbs_code: [
        ("Medewerker Burgerzaken", "Burgerzaken", "14.0", "vog_np", ["informatie", "diensten"], 5, 2),
        ("Vergunningverlener horeca en evenementen", "Vergunningverlening", "4.0", "vog_p", [], 3, 4),
        ("Toezichthouder / boa", "Toezicht en Handhaving", "9.0", "vog_p", [], 3, 1),
        ("Consulent Werk en Inkomen", "Werk en Inkomen", "22.0", "vog_np", ["geld", "informatie"], 5, 6),
        ("Medewerker crediteurenadministratie", "Crediteurenadministratie", "3.0", "vog_np", ["geld"], 5, None),
        ("Inkoopadviseur", "Inkoop en Aanbesteding", "2.5", "vog_np", ["zakelijke_transacties", "geld"], 5, 3),
        ("Adviseur openbare orde en veiligheid", "Openbare Orde en Veiligheid", "3.0", "vog_p", [], 3, 2),
        ("Systeembeheerder", "Informatievoorziening en ICT", "5.0", "vertrouwensfunctie", [], 5, 1),
        ("Medewerker klantcontactcentrum", "Klantcontactcentrum", "18.0", "geen", [], None, None),
        ("Vergunningverlener omgevingsrecht", "Vergunningverlening", "7.0", "vog_np", ["diensten", "informatie"], 5, 3),
        ("Sociaal rechercheur", "Werk en Inkomen", "3.0", "vog_p", [], 3, 2),
        ("Consulent schuldhulpverlening", "Schuldhulpverlening", "6.0", "vog_np", ["geld", "personen"], 5, 2),
        ("Consulent Wmo en jeugd", "Zorg en Jeugd", "16.0", "vog_np", ["informatie", "personen"], 5, 4),
        ("Leerplichtambtenaar", "Zorg en Jeugd", "2.0", "vog_np", ["informatie", "personen"], 5, 1),
        ("Medewerker financiële administratie", "Financiën", "4.0", "vog_np", ["geld"], 5, 3),
        ("Medewerker belastingen", "Belastingen", "8.0", "vog_np", ["informatie", "geld"], 5, 2),
        (
            "Contractbeheerder openbare ruimte",
            "Openbare Ruimte",
            "4.0",
            "vog_np",
            ["geld", "zakelijke_transacties"],
            5,
            3,
        ),
        (
            "Projectleider ruimtelijke ontwikkeling",
            "Ruimtelijke Ontwikkeling",
            "5.0",
            "vog_np",
            ["informatie", "zakelijke_transacties"],
            5,
            None,
        ),
        (
            "Adviseur grondzaken en vastgoed",
            "Vastgoed en Grondzaken",
            "4.0",
            "vog_np",
            ["informatie", "geld", "zakelijke_transacties"],
            5,
            6,
        ),
        ("Functioneel beheerder", "Informatievoorziening en ICT", "6.0", "vog_np", ["informatie", "proces"], 5, 2),
        ("Medewerker informatiebeheer", "Informatievoorziening en ICT", "4.0", "vog_np", ["informatie"], 5, 4),
        ("HR-adviseur", "Personeel en Organisatie", "5.0", "vog_np", ["informatie", "personen"], 5, 2),
        ("Salarisadministrateur", "Personeel en Organisatie", "2.0", "vog_np", ["informatie", "geld"], 5, 1),
        ("Medewerker facilitaire zaken", "Facilitaire Zaken", "6.0", "vog_np", ["goederen"], 5, None),
        ("Bestuursadviseur", "Bestuursondersteuning", "4.0", "vog_np", ["informatie", "aansturen_organisatie"], 5, 3),
        ("Juridisch adviseur", "Juridische Zaken", "5.0", "vog_np", ["informatie"], 5, 2),
    ],
    SMALL.cbs_code: [
        (
            "Medewerker Publiekszaken en Vergunningen",
            "Publiekszaken en Vergunningen",
            "3.0",
            "vog_np",
            ["informatie", "diensten"],
            5,
            4,
        ),
        ("Consulent Sociaal Domein", "Sociaal Domein", "4.0", "vog_np", ["geld", "personen"], 5, None),
        ("Medewerker financiën en inkoop", "Bedrijfsvoering", "1.5", "vog_np", ["geld", "zakelijke_transacties"], 5, 2),
        ("Boa en toezichthouder", "Ruimte en Omgeving", "1.0", "vog_p", [], 3, 3),
        (
            "Beleidsmedewerker ruimte en grondzaken",
            "Ruimte en Omgeving",
            "2.0",
            "vog_np",
            ["informatie", "zakelijke_transacties"],
            5,
            1,
        ),
        ("Medewerker buitendienst", "Ruimte en Omgeving", "6.0", "geen", [], None, None),
        ("Medewerker P&O en informatiebeheer", "Bedrijfsvoering", "1.0", "vog_np", ["informatie", "personen"], 5, None),
        ("Adviseur openbare orde en veiligheid", "Publiekszaken en Vergunningen", "0.8", "vog_p", [], 3, 2),
    ],
}

#: Demo context profile per gemeente: (circumstance key, severity, note).
CONTEXT: dict[str, list[tuple[str, str, str]]] = {
    LARGE.cbs_code: [
        ("bedrijventerrein", "hoog", "Drie verouderde bedrijventerreinen langs de ring; weinig zicht op huurders."),
        ("haven-jachthaven", "middel", "Binnenhaven met overslag en een jachthaven aan de rivier."),
        ("sector-horeca", "middel", "Uitgaansgebied in het centrum met wisselende exploitanten."),
        ("sector-autohandel", "middel", ""),
        ("criminele-netwerken", "hoog", "Het RIEC meldt actieve netwerken in de regio."),
    ],
    SMALL.cbs_code: [
        ("vakantiepark", "hoog", "Twee recreatieparken waar permanente bewoning voorkomt."),
        ("vab-leegstand", "middel", "Leegstaande stallen in het buitengebied."),
        ("hechte-gemeenschap", "middel", "Iedereen kent iedereen; aanvragers zijn vaak bekenden."),
    ],
}


def _register(organisation: Organisation) -> None:
    from decimal import Decimal

    from weerbaar.catalogue.models import Circumstance
    from weerbaar.register import services as register_services
    from weerbaar.register.models import ContextItem, Position

    today = dt.date.today()
    with tenant_scope(organisation):
        for name, unit_name, fte, level, areas, renewal, years_ago in POSITIONS[organisation.cbs_code]:
            if Position.objects.filter(name=name).exists():
                continue
            register_services.position_create(
                actor=None,
                organisation=organisation,
                name=name,
                unit=Unit.objects.filter(name=unit_name).first(),
                fte=Decimal(fte),
                screening_level=level,
                risk_areas=areas,
                renewal_years=renewal,
                last_screening_on=None if years_ago is None else today.replace(year=today.year - years_ago, day=1),
            )
        for key, severity, note in CONTEXT[organisation.cbs_code]:
            circumstance = Circumstance.national_objects.filter(key=key).first()
            if circumstance is None or ContextItem.objects.filter(circumstance=circumstance).exists():
                continue
            register_services.context_update(
                actor=None,
                organisation=organisation,
                circumstance=circumstance,
                applies=True,
                severity=severity,
                note=note,
                version=0,
            )


def _processes(organisation: Organisation, spec: DemoGemeente) -> None:
    """The gemeente's process register, through the services (audited), matched by name."""
    from weerbaar.catalogue.models import Circumstance, CircumstanceKind, ProcessCategory, ReferenceProcess
    from weerbaar.catalogue.selectors import effective
    from weerbaar.core.demo_processes import OOSTERZIJL, VEENHAVEN
    from weerbaar.register import services as register_services
    from weerbaar.register.models import Executor, Position, Process

    tables = {LARGE.cbs_code: VEENHAVEN, SMALL.cbs_code: OOSTERZIJL}
    with tenant_scope(organisation):
        present = {name.casefold() for name in Process.objects.values_list("name", flat=True)}
        todo = [
            (unit_name, process)
            for unit_name, processes in tables[spec.cbs_code].items()
            for process in processes
            if process.name.casefold() not in present
        ]
        if not todo:
            return  # a second load costs one query per gemeente
        # Everything the table names is looked up once; a missing key is a bug in the table, so it raises.
        references = {entry.key: entry for entry in ReferenceProcess.national_objects.select_related("category")}
        own_versions = effective(ReferenceProcess, organisation=organisation).filter(based_on__isnull=False)
        references.update(
            {own.based_on.key: own for own in own_versions.select_related("based_on", "category") if own.based_on}
        )
        categories = {category.key: category for category in ProcessCategory.objects.all()}
        circumstances = {
            entry.key: entry for entry in Circumstance.national_objects.filter(kind=CircumstanceKind.INTERNAL)
        }
        units = {unit.name: unit for unit in Unit.objects.all()}
        positions = {position.name: position for position in Position.objects.all()}
        owners = {
            membership.user.email.partition("@")[0]: membership
            for membership in Membership.objects.select_related("user").filter(user__email__endswith=f"@{spec.domain}")
        }
        for unit_name, process in todo:
            reference = references[process.ref] if process.ref else None
            executor, partner = process.by or (Executor.OWN, "")
            created = register_services.process_create(
                actor=None,
                organisation=organisation,
                name=process.name,
                # Adopting copies the reference's description, as "overnemen uit de catalogus" does.
                description=process.description or (reference.description if reference is not None else ""),
                category=reference.category if reference is not None else categories[process.category],
                unit=units[unit_name],
                owner=owners[process.owner] if process.owner else None,
                positions=[positions[name] for name in process.positions],
                reference_process=reference,
                circumstances=[circumstances[key] for key in process.circumstances],
                yearly_volume=process.volume,
                executor=executor,
                executor_name=partner,
            )
            if process.archived:
                register_services.process_archive(actor=None, process=created, version=created.version)


@transaction.atomic
def load_demo(*, with_scans: bool = True) -> list[Organisation]:
    """The demo gemeenten, their people and registers, and (unless ``with_scans`` is off, for
    browser tests that never look at a scan) their scans."""
    riec = _organisation(OrganisationKind.RIEC, RIEC[0], two_factor_roles=[])
    _member(riec, _user(f"regio-analist@{RIEC[1]}", "Regio-analist Zuidwaard"), [Role.REGIO_ANALIST])
    large = _gemeente(LARGE, riec)
    small = _gemeente(SMALL, riec)
    adviser = _user(*SHARED_ADVISER)
    _member(small, adviser, [Role.COORDINATOR])
    _member(large, adviser, [Role.LEZER])
    _register(large)
    _register(small)
    _processes(large, LARGE)
    _processes(small, SMALL)
    if with_scans:
        from weerbaar.core.demo_scans import load_scans

        load_scans(large, small)
        from weerbaar.core.demo_plan import load_attention, load_overview, load_plans

        load_plans(large, small)
        load_attention(large, small)
        load_overview(large, small)
    return [large, small, riec]
