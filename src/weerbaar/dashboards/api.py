"""/api/v1/overzicht: the figures of the start page's dashboards, read only.

The answer holds one block per dashboard the member's roles give (the same figures the start page
shows, from the same selectors); a block for a role the member does not hold is ``null``. So a
key without the secretaris role never gets the secretaris' figures.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_serializer, extend_schema_view
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from weerbaar.core.permissions import Action, Role
from weerbaar.dashboards.selectors.beheer import BeheerDashboard
from weerbaar.dashboards.selectors.common import AttentionItem, dashboard_roles
from weerbaar.dashboards.selectors.coordinator import CoordinatorDashboard
from weerbaar.dashboards.selectors.employee import EmployeeDashboard
from weerbaar.dashboards.selectors.owner import MeasureCounts, OwnerDashboard, OwnWork
from weerbaar.dashboards.selectors.reader import ReaderDashboard
from weerbaar.dashboards.selectors.secretaris import SecretarisDashboard
from weerbaar.dashboards.views.home import build

TAGS = ["overzicht"]

# --- serializers (the OpenAPI description; the values are plain dicts with these names) ------------


@extend_schema_serializer(component_name="AandachtPunt")
class AttentionSerializer(serializers.Serializer):
    """Iets wat nu aandacht vraagt, met de pagina waar het gedaan wordt."""

    tekst = serializers.CharField()
    url = serializers.CharField()
    urgentie = serializers.ChoiceField(choices=["dringend", "aandacht", "ter info"])


@extend_schema_serializer(component_name="Gespreksonderwerp")
class TopicSerializer(serializers.Serializer):
    nummer = serializers.IntegerField()
    sleutel = serializers.CharField()
    titel = serializers.CharField()
    status = serializers.ChoiceField(choices=["op_orde", "aandacht_nodig", "niet_ingericht"])
    statusTekst = serializers.CharField()
    toelichting = serializers.CharField()
    url = serializers.CharField()


class MayorFiguresSerializer(serializers.Serializer):
    status = serializers.CharField()
    statusTekst = serializers.CharField()
    laatsteOverleg = serializers.DateField(allow_null=True)
    volgendOverleg = serializers.DateField(allow_null=True)
    openAfspraken = serializers.IntegerField()
    afsprakenOverDeadline = serializers.IntegerField()


class CapacityFiguresSerializer(serializers.Serializer):
    status = serializers.CharField()
    statusTekst = serializers.CharField()
    beschikbaarUrenPerJaar = serializers.IntegerField()
    nodigUren = serializers.IntegerField()


class TopProcessSerializer(serializers.Serializer):
    rang = serializers.IntegerField()
    code = serializers.CharField()
    naam = serializers.CharField()
    score = serializers.IntegerField(help_text="Kwetsbaarheid met de maatregelen bij het afsluiten van de scan.")
    inherent = serializers.IntegerField(allow_null=True, help_text="Kwetsbaarheid zonder maatregelen.")
    risicoklasse = serializers.CharField()
    trend = serializers.ChoiceField(choices=["hoger", "lager", "gelijk", "nieuw"])


class VulnerableSerializer(serializers.Serializer):
    scan = serializers.CharField(allow_null=True, help_text="De laatste afgesloten scan.")
    processen = serializers.IntegerField()
    perRisicoklasse = serializers.DictField(child=serializers.IntegerField())
    top = TopProcessSerializer(many=True)


class TrainingSerializer(serializers.Serializer):
    activiteiten = serializers.IntegerField()
    teLaat = serializers.IntegerField()
    maanden = serializers.IntegerField()
    afdelingenBereikt = serializers.IntegerField()
    afdelingenTotaal = serializers.IntegerField()
    functiesBereikt = serializers.IntegerField()
    functiesTotaal = serializers.IntegerField()


class ScreeningSerializer(serializers.Serializer):
    kwetsbareFuncties = serializers.IntegerField()
    nodig = serializers.IntegerField(help_text="Binnen 60 dagen nodig of te laat.")
    teLaat = serializers.IntegerField()
    nooitGescreend = serializers.IntegerField()


class GroupSerializer(serializers.Serializer):
    groep = serializers.CharField()
    maatregelen = serializers.IntegerField()
    geimplementeerd = serializers.IntegerField()
    nietLevend = serializers.IntegerField()
    nietGestart = serializers.IntegerField()


@extend_schema_serializer(component_name="OverzichtSecretaris")
class SecretarisSerializer(serializers.Serializer):
    aandacht = AttentionSerializer(many=True)
    onderwerpen = TopicSerializer(many=True)
    burgemeester = MayorFiguresSerializer()
    capaciteit = CapacityFiguresSerializer()
    kwetsbareProcessen = VulnerableSerializer()
    actieplanTeLaat = serializers.IntegerField()
    actieplanNietLevend = serializers.IntegerField()
    organisatiebreed = GroupSerializer(many=True)
    training = TrainingSerializer()
    screening = ScreeningSerializer()
    coordinatoren = serializers.IntegerField()
    vertrouwenspersonen = serializers.IntegerField()


class ScanFiguresSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    naam = serializers.CharField()
    status = serializers.CharField()
    processen = serializers.IntegerField()
    vastgesteld = serializers.IntegerField()
    beoordelingen = serializers.IntegerField()
    ingeleverd = serializers.IntegerField()
    teBespreken = serializers.IntegerField(allow_null=True, help_text="Alleen voor een scan in consensus.")
    eens = serializers.IntegerField(allow_null=True)


@extend_schema_serializer(component_name="OverzichtCoordinator")
class CoordinatorSerializer(serializers.Serializer):
    aandacht = AttentionSerializer(many=True)
    scans = ScanFiguresSerializer(many=True)
    actieplanTeLaat = serializers.IntegerField()
    actieplanBinnenkort = serializers.IntegerField()
    actieplanNietLevend = serializers.IntegerField()
    werkTeLaat = serializers.IntegerField()


class MeasureCountsSerializer(serializers.Serializer):
    teLaat = serializers.IntegerField()
    binnenkort = serializers.IntegerField()
    nietLevend = serializers.IntegerField()
    lopend = serializers.IntegerField()
    geimplementeerd = serializers.IntegerField()


@extend_schema_serializer(component_name="OverzichtProceseigenaar")
class OwnerSerializer(serializers.Serializer):
    aandacht = AttentionSerializer(many=True)
    processen = serializers.IntegerField()
    beoordelingenTeDoen = serializers.IntegerField()
    maatregelen = MeasureCountsSerializer()
    activiteitenTeLaat = serializers.IntegerField()


class ReportSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    titel = serializers.CharField()
    versie = serializers.CharField()
    gepubliceerdOp = serializers.DateTimeField()
    paginas = serializers.IntegerField()


@extend_schema_serializer(component_name="OverzichtLezer")
class ReaderSerializer(serializers.Serializer):
    aandacht = AttentionSerializer(many=True)
    laatsteRapportage = ReportSerializer(allow_null=True)
    rapportages = serializers.IntegerField()


class ChainSerializer(serializers.Serializer):
    intact = serializers.BooleanField()
    gebeurtenissen = serializers.IntegerField()
    probleem = serializers.CharField()
    gecontroleerdOp = serializers.DateTimeField()


@extend_schema_serializer(component_name="OverzichtBeheer")
class BeheerSerializer(serializers.Serializer):
    aandacht = AttentionSerializer(many=True)
    actieveGebruikers = serializers.IntegerField()
    zonderTweestapsverificatie = serializers.IntegerField()
    openUitnodigingen = serializers.IntegerField()
    verlopenUitnodigingen = serializers.IntegerField()
    toegangscontrolesNodig = serializers.IntegerField()
    audittrail = ChainSerializer()


class ContactSerializer(serializers.Serializer):
    naam = serializers.CharField()
    email = serializers.EmailField()
    rol = serializers.ChoiceField(choices=[Role.COORDINATOR.value, Role.VERTROUWENSPERSOON.value])


@extend_schema_serializer(component_name="OverzichtMedewerker")
class EmployeeSerializer(serializers.Serializer):
    aandacht = AttentionSerializer(many=True)
    aanspreekpunten = ContactSerializer(many=True)
    beoordelingenTeDoen = serializers.IntegerField()
    maatregelen = MeasureCountsSerializer()


@extend_schema_serializer(component_name="Overzicht")
class OverviewSerializer(serializers.Serializer):
    """De cijfers van de startpagina, per rol van het lid; null voor een rol die het lid niet heeft."""

    rollen = serializers.ListField(child=serializers.CharField(), help_text="Rollen met een overzicht.")
    secretaris = SecretarisSerializer(allow_null=True)
    coordinator = CoordinatorSerializer(allow_null=True)
    proceseigenaar = OwnerSerializer(allow_null=True)
    lezer = ReaderSerializer(allow_null=True)
    beheerder = BeheerSerializer(allow_null=True)
    vertrouwenspersoon = EmployeeSerializer(allow_null=True)
    medewerker = EmployeeSerializer(allow_null=True)


# --- figures ------------------------------------------------------------------------------------------

_URGENCY = {0: "dringend", 1: "aandacht", 2: "ter info"}
_TOPIC_STATUS = {"ok": "op_orde", "attention": "aandacht_nodig", "not_set": "niet_ingericht"}


def _attention(items: list[AttentionItem]) -> list[dict[str, Any]]:
    return [{"tekst": item.text, "url": item.url, "urgentie": _URGENCY[item.urgency]} for item in items]


def _measures(counts: MeasureCounts) -> dict[str, int]:
    return {
        "teLaat": counts.overdue,
        "binnenkort": counts.due_soon,
        "nietLevend": counts.not_alive,
        "lopend": counts.running,
        "geimplementeerd": counts.implemented,
    }


def secretaris_figures(dashboard: SecretarisDashboard) -> dict[str, Any]:
    vulnerable, mayor, capacity = dashboard.vulnerable, dashboard.mayor, dashboard.capacity
    heat = vulnerable.heat
    return {
        "aandacht": _attention(dashboard.attention),
        "onderwerpen": [
            {
                "nummer": topic.number,
                "sleutel": topic.key,
                "titel": topic.title,
                "status": _TOPIC_STATUS[topic.status],
                "statusTekst": topic.status_label,
                "toelichting": topic.explanation,
                "url": topic.url,
            }
            for topic in dashboard.topics
        ],
        "burgemeester": {
            "status": mayor.status,
            "statusTekst": mayor.status_label,
            "laatsteOverleg": mayor.last_held_on,
            "volgendOverleg": mayor.next_on,
            "openAfspraken": mayor.open_agreements,
            "afsprakenOverDeadline": mayor.overdue_agreements,
        },
        "capaciteit": {
            "status": capacity.status,
            "statusTekst": capacity.status_label,
            "beschikbaarUrenPerJaar": capacity.available_hours_per_year,
            "nodigUren": capacity.needed_hours,
        },
        "kwetsbareProcessen": {
            "scan": vulnerable.scan.name if vulnerable.scan is not None else None,
            "processen": heat.total if heat is not None else 0,
            "perRisicoklasse": {risk.key: count for risk, count in heat.per_class} if heat is not None else {},
            "top": [
                {
                    "rang": row.rank,
                    "code": row.code,
                    "naam": row.name,
                    "score": row.vulnerability,
                    "inherent": row.inherent,
                    "risicoklasse": row.risk_key,
                    "trend": row.change_kind,
                }
                for row in vulnerable.top
            ],
        },
        "actieplanTeLaat": dashboard.plan.overdue,
        "actieplanNietLevend": dashboard.plan.not_alive,
        "organisatiebreed": [
            {
                "groep": group.key,
                "maatregelen": group.total,
                "geimplementeerd": group.implemented,
                "nietLevend": group.not_alive,
                "nietGestart": group.not_started,
            }
            for group in dashboard.plan.groups.values()
            if group.total
        ],
        "training": {
            "activiteiten": dashboard.training.activities,
            "teLaat": dashboard.training.late,
            "maanden": dashboard.training.months,
            "afdelingenBereikt": dashboard.training.units_reached,
            "afdelingenTotaal": dashboard.training.units_total,
            "functiesBereikt": dashboard.training.positions_reached,
            "functiesTotaal": dashboard.training.positions_total,
        },
        "screening": {
            "kwetsbareFuncties": dashboard.screening.positions,
            "nodig": dashboard.screening.due,
            "teLaat": dashboard.screening.overdue,
            "nooitGescreend": dashboard.screening.never,
        },
        "coordinatoren": len(dashboard.contacts.coordinators),
        "vertrouwenspersonen": len(dashboard.contacts.confidants),
    }


def coordinator_figures(dashboard: CoordinatorDashboard) -> dict[str, Any]:
    return {
        "aandacht": _attention(dashboard.attention),
        "scans": [
            {
                "uuid": figures.scan.uuid,
                "naam": figures.scan.name,
                "status": figures.scan.state,
                "processen": figures.processes,
                "vastgesteld": figures.settled,
                "beoordelingen": figures.ratings,
                "ingeleverd": figures.submitted,
                "teBespreken": figures.to_discuss,
                "eens": figures.agreed,
            }
            for figures in dashboard.scans
        ],
        "actieplanTeLaat": dashboard.plan.overdue,
        "actieplanBinnenkort": dashboard.plan.due_soon,
        "actieplanNietLevend": dashboard.plan.not_alive,
        "werkTeLaat": len(dashboard.overdue),
    }


def _own(work: OwnWork) -> dict[str, Any]:
    return {"beoordelingenTeDoen": work.ratings_open, "maatregelen": _measures(work.measures)}


def owner_figures(dashboard: OwnerDashboard) -> dict[str, Any]:
    return {
        "aandacht": _attention(dashboard.attention),
        "processen": dashboard.process_count,
        **_own(dashboard.work),
        "activiteitenTeLaat": dashboard.work.activities_late,
    }


def reader_figures(dashboard: ReaderDashboard) -> dict[str, Any]:
    latest = dashboard.latest
    return {
        "aandacht": _attention(dashboard.attention),
        "laatsteRapportage": {
            "uuid": latest.uuid,
            "titel": latest.title,
            "versie": latest.version,
            "gepubliceerdOp": latest.published_at,
            "paginas": latest.page_count,
        }
        if latest is not None
        else None,
        "rapportages": dashboard.published,
    }


def beheer_figures(dashboard: BeheerDashboard) -> dict[str, Any]:
    users = dashboard.users
    return {
        "aandacht": _attention(dashboard.attention),
        "actieveGebruikers": users.active,
        "zonderTweestapsverificatie": users.without_two_factor,
        "openUitnodigingen": users.open_invitations,
        "verlopenUitnodigingen": users.expired_invitations,
        "toegangscontrolesNodig": dashboard.reviews_due,
        "audittrail": {
            "intact": dashboard.chain.ok,
            "gebeurtenissen": dashboard.chain.length,
            "probleem": dashboard.chain.problem,
            "gecontroleerdOp": dashboard.checked_at,
        },
    }


def employee_figures(dashboard: EmployeeDashboard) -> dict[str, Any]:
    contacts = [
        {"naam": member.user.full_name or member.user.email, "email": member.user.email, "rol": role}
        for role, members in (
            (Role.VERTROUWENSPERSOON.value, dashboard.contacts.confidants),
            (Role.COORDINATOR.value, dashboard.contacts.coordinators),
        )
        for member in members
    ]
    return {"aandacht": _attention(dashboard.attention), "aanspreekpunten": contacts, **_own(dashboard.work)}


FIGURES: dict[str, Any] = {
    Role.SECRETARIS: secretaris_figures,
    Role.COORDINATOR: coordinator_figures,
    Role.PROCESEIGENAAR: owner_figures,
    Role.LEZER: reader_figures,
    Role.BEHEERDER: beheer_figures,
    Role.VERTROUWENSPERSOON: employee_figures,
    Role.MEDEWERKER: employee_figures,
}


@extend_schema_view(
    get=extend_schema(
        tags=TAGS,
        summary="De cijfers van de startpagina",
        description="Per rol van het lid de cijfers van zijn overzicht op de startpagina, met eerst wat nu "
        "aandacht vraagt. Een rol die het lid niet heeft, geeft null.",
        responses=OverviewSerializer,
    )
)
class OverviewView(APIView):
    required_permissions = {"get": Action.DASHBOARD_VIEW}

    def get(self, request: Request) -> Response:
        django_request: Any = request._request
        membership = django_request.membership
        roles = dashboard_roles(membership)
        data: dict[str, Any] = {"rollen": roles, **dict.fromkeys(FIGURES)}
        for role in roles:
            data[role] = FIGURES[role](build(role, django_request))
        return Response(OverviewSerializer(data).data)
