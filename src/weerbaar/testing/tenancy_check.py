"""The generated tenancy/role check, run for every URL pattern by ``core/tests/test_url_policies.py``.

For each route and each role of gemeente A it asserts: anonymous → login (401 for the API); a role
without the permission → 403; another organisation's object → 404; never a 500; never a canary
string of gemeente B in the body. Routes whose URL needs an object id get it from ``URL_OBJECTS``:
a new kwarg name must be registered there, or the test fails.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from weerbaar.core.permissions import GEMEENTE_ROLES, ROLE_ACTIONS, Role
from weerbaar.core.policies import ACTION, AUTHENTICATED, PUBLIC
from weerbaar.core.tenancy import tenant_scope
from weerbaar.testing.urlwalk import Route
from weerbaar.testing.world import CANARY, Tenant, World

#: URL kwarg name -> a function giving the public id of such an object in the given tenant.
URL_OBJECTS: dict[str, Callable[[World, Tenant], str]] = {}
#: URL kwargs naming shared objects (the national catalogue): the same for every organisation,
#: so there is no other organisation's object to expect a 404 for.
SHARED_URL_KWARGS: set[str] = set()
#: URL kwargs naming a personal object (a rater's own rating): the function gets the role and
#: returns that role's own object, since someone else's is a 404 even within the organisation.
PERSONAL_URL_KWARGS: set[str] = set()
_ROLE: dict[str, str] = {}


def url_object(
    name: str, *, shared: bool = False, personal: bool = False
) -> Callable[[Callable[[World, Tenant], str]], Callable[[World, Tenant], str]]:
    def register(func: Callable[[World, Tenant], str]) -> Callable[[World, Tenant], str]:
        URL_OBJECTS[name] = func
        if shared:
            SHARED_URL_KWARGS.add(name)
        if personal:
            PERSONAL_URL_KWARGS.add(name)
        return func

    return register


def current_role() -> str:
    """The role a personal URL object is made for (see ``PERSONAL_URL_KWARGS``)."""
    return _ROLE.get("role", Role.COORDINATOR)


@url_object("unit_uuid")
def _unit(world: World, tenant: Tenant) -> str:
    return str(tenant.units[1].uuid)


@url_object("position_uuid")
def _position(world: World, tenant: Tenant) -> str:
    # Named after the organisation, so gemeente B's position carries the canary.
    from weerbaar.register.models import Position
    from weerbaar.register.services import position_create

    position = Position.objects.order_by("id").first() or position_create(
        actor=None,
        organisation=tenant.organisation,
        name=f"Functie van {tenant.organisation.name}",
        unit=tenant.units[1],
        screening_level="vog_np",
        risk_areas=["geld"],
        renewal_years=5,
    )
    return str(position.uuid)


@url_object("process_uuid")
def _process(world: World, tenant: Tenant) -> str:
    # Named after the organisation, so gemeente B's process carries the canary.
    from weerbaar.catalogue.models import ProcessCategory
    from weerbaar.register.models import Process
    from weerbaar.register.services import process_create

    process = Process.objects.order_by("id").first() or process_create(
        actor=None,
        organisation=tenant.organisation,
        name=f"Proces van {tenant.organisation.name}",
        category=ProcessCategory.objects.order_by("position")[0],
        unit=tenant.units[1],
        owner=tenant.members["proceseigenaar"],
    )
    return str(process.uuid)


@url_object("membership_uuid")
def _membership(world: World, tenant: Tenant) -> str:
    return str(tenant.members["medewerker"].uuid)


def _pending_invitation(tenant: Tenant) -> tuple[Any, str]:
    import datetime as dt
    import secrets

    from django.utils import timezone

    from weerbaar.core.models import Invitation

    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organisation=tenant.organisation,
        email=f"uitgenodigd-{secrets.token_hex(4)}@example.org",
        roles=["medewerker"],
        token_hash=Invitation.hash_token(token),
        expires_at=timezone.now() + dt.timedelta(days=7),
    )
    return invitation, token


@url_object("invitation_uuid")
def _invitation(world: World, tenant: Tenant) -> str:
    return str(_pending_invitation(tenant)[0].uuid)


@url_object("token")
def _invitation_token(world: World, tenant: Tenant) -> str:
    # A real, open link: its own organisation's members get a page, outsiders a 404.
    return _pending_invitation(tenant)[1]


@url_object("uuid")
def _generic_uuid(world: World, tenant: Tenant) -> str:
    # API detail routes use {uuid}; the route's own test registers richer objects when needed.
    return str(tenant.units[1].uuid)


@url_object("id")
def _audit_event_id(world: World, tenant: Tenant) -> str:
    # /api/v1/auditgebeurtenissen/<int:id>: an event in the tenant's own chain.
    from weerbaar.audit.models import AuditEvent
    from weerbaar.audit.services import record

    event = AuditEvent.objects.order_by("id").first() or record(
        action="test.url_walk", organisation=tenant.organisation, obj=tenant.units[1]
    )
    return str(event.id)


@url_object("api_token_uuid")
def _api_token(world: World, tenant: Tenant) -> str:
    from weerbaar.api.models import ApiToken
    from weerbaar.api.services import api_token_create

    token = ApiToken.objects.order_by("id").first()
    if token is None:
        member = tenant.members.get("beheerder") or next(iter(tenant.members.values()))
        token = api_token_create(
            actor=member.user,
            organisation=tenant.organisation,
            membership=member,
            name="Koppeling",
            expires_at=timezone.now() + timedelta(days=30),
        ).token
    return str(token.uuid)


@url_object("uidb64")
def _password_reset_uid(world: World, tenant: Tenant) -> str:
    # Password-reset links are public and hold no tenant object: any value must give a clear page.
    return "MQ"


@url_object("reset_token")
def _password_reset_token(world: World, tenant: Tenant) -> str:
    return "ongeldig-token"


def _national_key(model_name: str) -> str:
    from weerbaar.catalogue import models as catalogue

    model = getattr(catalogue, model_name)
    manager = getattr(model, "national_objects", model.objects)
    entry = manager.filter(is_active=True).order_by("position", "key").first()
    if entry is None:
        raise AssertionError("The national catalogue is not loaded (post_migrate runs `load_catalogue`).")
    return str(entry.key)


def _own_catalogue_entry(tenant: Tenant, model_name: str) -> str:
    """An own entry of the tenant (named after it, so gemeente B's carries the canary)."""
    from weerbaar.catalogue import models as catalogue
    from weerbaar.catalogue import services

    model = getattr(catalogue, model_name)
    existing = model.objects.filter(organisation=tenant.organisation, based_on=None, is_active=True).first()
    if existing is not None:
        return str(existing.uuid)
    name = f"Eigen {model._meta.verbose_name} van {tenant.organisation.name}"
    characteristic = catalogue.Characteristic.objects.filter(is_active=True).order_by("position").first()
    category = catalogue.ProcessCategory.objects.filter(is_active=True).order_by("position").first()
    assert characteristic is not None and category is not None, "The national catalogue is not loaded."
    org = tenant.organisation
    entry: Any
    if model is catalogue.ReferenceProcess:
        entry = services.reference_process_create(
            actor=None, organisation=org, name=name, category=category, characteristics=[characteristic]
        )
    elif model is catalogue.Circumstance:
        entry = services.circumstance_create(
            actor=None, organisation=org, name=name, group="werkwijze", characteristics=[characteristic]
        )
    else:
        entry = services.measure_create(
            actor=None,
            organisation=org,
            name=name,
            group="barrieres",
            scope="proces",
            review_cadence_months=12,
            effects={characteristic: 2},
        )
    return str(entry.uuid)


@url_object("process_ref")
@url_object("referentieproces")
def _own_process(world: World, tenant: Tenant) -> str:
    return _own_catalogue_entry(tenant, "ReferenceProcess")


@url_object("circumstance_ref")
@url_object("omstandigheid")
def _own_circumstance(world: World, tenant: Tenant) -> str:
    return _own_catalogue_entry(tenant, "Circumstance")


@url_object("measure_ref")
@url_object("maatregel")
def _own_measure(world: World, tenant: Tenant) -> str:
    return _own_catalogue_entry(tenant, "Measure")


@url_object("process_key", shared=True)
def _national_process(world: World, tenant: Tenant) -> str:
    return _national_key("ReferenceProcess")


@url_object("circumstance_key", shared=True)
def _national_circumstance(world: World, tenant: Tenant) -> str:
    return _national_key("Circumstance")


@url_object("measure_key", shared=True)
def _national_measure(world: World, tenant: Tenant) -> str:
    return _national_key("Measure")


@url_object("kenmerk", shared=True)
def _characteristic(world: World, tenant: Tenant) -> str:
    return _national_key("Characteristic")


@url_object("procescategorie", shared=True)
def _category(world: World, tenant: Tenant) -> str:
    return _national_key("ProcessCategory")


def _open_scan(world: World, tenant: Tenant) -> Any:
    """An open scan of the tenant's process, rated by its owner and the coordinator."""
    from weerbaar.register.models import Process
    from weerbaar.scans import services as scan_services
    from weerbaar.scans.models import Scan

    scan = Scan.objects.order_by("id").first()
    if scan is None:
        _process(world, tenant)
        today = timezone.localdate()
        scan = scan_services.scan_create(
            actor=None,
            organisation=tenant.organisation,
            created_by=tenant.members["coordinator"],
            name=f"Scan van {tenant.organisation.name}",
            period_start=today.replace(month=1, day=1),
            period_end=today.replace(month=12, day=31),
            deadline=today + timedelta(days=14),
            processes=list(Process.objects.order_by("id")[:1]),
            extra_raters=[tenant.members["coordinator"]],
        )
        scan = scan_services.scan_open(actor=None, scan=scan, version=scan.version)
    return scan


@url_object("scan_uuid")
def _scan(world: World, tenant: Tenant) -> str:
    return str(_open_scan(world, tenant).uuid)


@url_object("scan_process_uuid")
def _scan_process(world: World, tenant: Tenant) -> str:
    from weerbaar.scans.models import ScanProcess

    return str(ScanProcess.objects.filter(scan=_open_scan(world, tenant)).order_by("id")[0].uuid)


@url_object("rating_uuid", personal=True)
def _rating(world: World, tenant: Tenant) -> str:
    """The current role's own rating in the open scan (a rater never opens someone else's)."""
    from weerbaar.core.permissions import Action
    from weerbaar.scans.models import Rating, ScanProcess

    scan_process = ScanProcess.objects.filter(scan=_open_scan(world, tenant)).order_by("id")[0]
    member = tenant.members[current_role()]
    if not member.can(Action.SCAN_RATE):
        member = tenant.members["coordinator"]
    rating = Rating.objects.filter(scan_process=scan_process, rater=member).first()
    if rating is None:
        rating = Rating.objects.create(organisation=tenant.organisation, scan_process=scan_process, rater=member)
    return str(rating.uuid)


@url_object("plan_line_uuid", personal=True)
def _plan_line(world: World, tenant: Tenant) -> str:
    """A plan line owned by the current role (without plan.view one sees only one's own lines)."""
    from weerbaar.catalogue.models import Measure, MeasureScope
    from weerbaar.core.permissions import Action
    from weerbaar.plan.models import PlannedMeasure
    from weerbaar.plan.services import planned_measure_create
    from weerbaar.register.models import Process

    member = tenant.members[current_role()]
    if not member.can(Action.WORK_OWN):
        member = tenant.members["coordinator"]
    line = PlannedMeasure.objects.filter(owner=member).first()
    if line is None:
        _process(world, tenant)
        process = Process.objects.order_by("id")[0]
        taken = PlannedMeasure.objects.filter(process=process).values("measure_id")
        measure = (
            Measure.national_objects.filter(scope=MeasureScope.PROCESS, is_active=True)
            .exclude(pk__in=taken)
            .order_by("position", "key")
            .first()
        )
        line = planned_measure_create(
            actor=None,
            member=tenant.members["coordinator"],
            measure=measure,
            process=process,
            owner=member,
            due_date=timezone.localdate() + timedelta(days=30),
        )
    return str(line.uuid)


@url_object("recurring_activity_uuid")
def _recurring_activity(world: World, tenant: Tenant) -> str:
    # Named after the organisation, so gemeente B's activity carries the canary.
    from weerbaar.attention.models import RecurringActivity
    from weerbaar.attention.services import activity_create

    activity = RecurringActivity.objects.order_by("id").first() or activity_create(
        actor=None,
        member=tenant.members["coordinator"],
        kind="normgesprek",
        name=f"Normgesprek van {tenant.organisation.name}",
        starts_on=timezone.localdate(),
        owner=tenant.members["coordinator"],
    )
    return str(activity.uuid)


@url_object("acceptance_uuid")
def _risk_acceptance(world: World, tenant: Tenant) -> str:
    """A risk acceptance of the tenant's process (its reason names the organisation: B's carries the canary)."""
    from weerbaar.plan.models import RiskAcceptance
    from weerbaar.register.models import Process

    acceptance = RiskAcceptance.objects.order_by("id").first()
    if acceptance is None:
        _process(world, tenant)
        today = timezone.localdate()
        acceptance = RiskAcceptance.objects.create(
            organisation=tenant.organisation,
            process=Process.objects.order_by("id")[0],
            reason=f"Aanvaardbaar restrisico voor {tenant.organisation.name}",
            accepted_on=today,
            expires_on=today + timedelta(days=365),
            accepted_by=tenant.members["secretaris"],
        )
    return str(acceptance.uuid)


def _own_planned_measure(world: World, tenant: Tenant) -> Any:
    """A plan line of the tenant's process owned by the current role (the coordinator's when it may own none)."""
    from weerbaar.catalogue import selectors as catalogue_selectors
    from weerbaar.catalogue.models import Measure, MeasureScope
    from weerbaar.core.permissions import Action
    from weerbaar.plan.models import PlannedMeasure
    from weerbaar.plan.services import planned_measure_create
    from weerbaar.register.models import Process

    member = tenant.members[current_role()]
    if not member.can(Action.WORK_OWN):
        member = tenant.members["coordinator"]
    planned = PlannedMeasure.objects.filter(owner=member).order_by("id").first()
    if planned is None:
        _process(world, tenant)
        process = Process.objects.order_by("id")[0]
        taken = PlannedMeasure.objects.filter(process=process).values("measure_id")
        measure = (
            catalogue_selectors.effective(Measure, organisation=tenant.organisation)
            .filter(scope=MeasureScope.PROCESS)
            .exclude(pk__in=taken)
            .order_by("position", "pk")
            .first()
        )
        assert measure is not None, "The national catalogue is not loaded."
        planned = planned_measure_create(
            actor=None,
            member=tenant.members["coordinator"],
            measure=measure,
            process=process,
            owner=member,
            due_date=timezone.localdate() + timedelta(days=30),
            note=f"Maatregel van {tenant.organisation.name}",
        )
    return planned


@url_object("planned_measure_uuid", personal=True)
def _planned_measure(world: World, tenant: Tenant) -> str:
    return str(_own_planned_measure(world, tenant).uuid)


@url_object("evidence_uuid", personal=True)
def _evidence(world: World, tenant: Tenant) -> str:
    """A file on the current role's own plan line (named after the organisation: B's carries the canary)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from weerbaar.plan.models import Evidence
    from weerbaar.plan.services import evidence_add

    planned = _own_planned_measure(world, tenant)
    evidence = Evidence.objects.filter(planned_measure=planned, withdrawn_at__isnull=True).order_by("id").first()
    if evidence is None:
        evidence = evidence_add(
            actor=None,
            member=planned.owner,
            planned=planned,
            note=f"Bewijs van {tenant.organisation.name}",
            upload=SimpleUploadedFile("bewijs.txt", f"Verslag van {tenant.organisation.name}".encode()),
        )
    return str(evidence.uuid)


@url_object("activity_uuid", personal=True)
def _own_activity(world: World, tenant: Tenant) -> str:
    """An activity owned by the current role (an owner without attention.view sees only their own).

    Named after the organisation, so gemeente B's activity carries the canary.
    """
    from weerbaar.attention.models import RecurringActivity
    from weerbaar.attention.services import activity_create
    from weerbaar.core.permissions import Action

    member = tenant.members[current_role()]
    if not member.can(Action.WORK_OWN):
        member = tenant.members["coordinator"]
    activity = RecurringActivity.objects.filter(owner=member).order_by("id").first() or activity_create(
        actor=None,
        member=tenant.members["coordinator"],
        kind="campagne",
        name=f"Campagne van {tenant.organisation.name} voor {member.user.email}",
        starts_on=timezone.localdate(),
        owner=member,
        target_units=[tenant.units[1]],
    )
    return str(activity.uuid)


@url_object("communication_item_uuid")
def _communication_item(world: World, tenant: Tenant) -> str:
    from weerbaar.attention.models import CommunicationItem
    from weerbaar.attention.services import communication_item_create

    item = CommunicationItem.objects.order_by("id").first() or communication_item_create(
        actor=None,
        member=tenant.members["coordinator"],
        planned_on=timezone.localdate(),
        subject=f"Nieuwsbericht van {tenant.organisation.name}",
        audience="Alle medewerkers",
        channel="intranet",
    )
    return str(item.uuid)


@url_object("org_measure_ref", shared=True)
def _organisation_measure(world: World, tenant: Tenant) -> str:
    """An organisation-wide measure of the national catalogue (the checklist's start page)."""
    from weerbaar.catalogue.models import Measure, MeasureScope

    measures = Measure.national_objects.filter(scope=MeasureScope.ORGANISATION, is_active=True)
    measure = measures.order_by("position", "key").first()
    assert measure is not None, "The national catalogue is not loaded."
    return str(measure.key)


@url_object("report_uuid")
def _published_report(world: World, tenant: Tenant) -> str:
    """A published report of the tenant (titled after it: gemeente B's carries the canary).

    Made directly with small stand-in bytes: the route checks need a row, not a rendered report.
    """
    import hashlib

    from weerbaar.reports.models import PublishedReport

    report = PublishedReport.objects.order_by("id").first()
    if report is None:
        pdf = b"%PDF-1.7\n% rapportage\n%%EOF\n"
        report = PublishedReport.objects.create(
            organisation=tenant.organisation,
            version="volledig",
            title=f"Managementrapportage {tenant.organisation.name}",
            reference_date=timezone.localdate(),
            model_version="test",
            data_hash="0" * 64,
            audit_head_hash="0" * 64,
            audit_head_sequence=0,
            pdf=pdf,
            pdf_sha256=hashlib.sha256(pdf).hexdigest(),
            page_count=1,
            html="<html></html>",
            published_by=tenant.members["coordinator"],
            published_at=timezone.now(),
        )
    return str(report.uuid)


def _mayor_consultation(tenant: Tenant) -> Any:
    """A consultation with the mayor whose topics name the organisation (gemeente B's carries the canary)."""
    from weerbaar.dashboards.models import MayorConsultation
    from weerbaar.dashboards.services import consultation_create

    return MayorConsultation.objects.order_by("id").first() or consultation_create(
        actor=None,
        member=tenant.members["secretaris"],
        held_on=timezone.localdate(),
        topics=f"Ondermijningsbeeld van {tenant.organisation.name}",
    )


@url_object("consultation_uuid")
def _consultation(world: World, tenant: Tenant) -> str:
    return str(_mayor_consultation(tenant).uuid)


@url_object("agreement_uuid")
def _consultation_agreement(world: World, tenant: Tenant) -> str:
    from weerbaar.dashboards.models import ConsultationAgreement
    from weerbaar.dashboards.services import agreement_add

    agreement = ConsultationAgreement.objects.order_by("id").first() or agreement_add(
        actor=None,
        member=tenant.members["secretaris"],
        consultation=_mayor_consultation(tenant),
        description=f"Bibob-beleid van {tenant.organisation.name} actualiseren",
        owner=tenant.members["coordinator"],
    )
    return str(agreement.uuid)


@dataclass(frozen=True)
class Verdict:
    route: str
    problems: list[str]


def _kwargs(route: Route, world: World, tenant: Tenant) -> dict[str, str]:
    missing = [name for name in route.converters if name not in URL_OBJECTS]
    if missing:
        raise AssertionError(
            f"{route.pattern}: register the URL kwarg(s) {missing} in weerbaar.testing.tenancy_check.URL_OBJECTS"
        )
    with tenant_scope(tenant.organisation):
        return {name: URL_OBJECTS[name](world, tenant) for name in route.converters}


def _methods(route: Route) -> list[str]:
    if route.is_api:
        actions: dict[str, str] = getattr(route.callback, "actions", {}) or {}
        if actions:
            return [method.upper() for method in actions]
        cls = route.callback.cls  # type: ignore[attr-defined]
        return [m.upper() for m in ("get", "post", "put", "patch", "delete") if hasattr(cls, m)]
    return ["GET", "POST"]


def _api_action(route: Route, method: str) -> str | None:
    cls = route.callback.cls  # type: ignore[attr-defined]
    required: dict[str, str] = getattr(cls, "required_permissions", {}) or {}
    actions: dict[str, str] = getattr(route.callback, "actions", {}) or {}
    key = actions.get(method.lower(), method.lower())
    return required.get(key)


def _send(client: Client, method: str, url: str) -> Any:
    if method == "GET":
        return client.get(url)
    return client.generic(method, url, data=b"{}", content_type="application/json")


def _url_for(route: Route, world: World, tenant: Tenant, role: str) -> str:
    _ROLE["role"] = role
    try:
        return route.url(_kwargs(route, world, tenant))
    finally:
        _ROLE.pop("role", None)


def check_route(route: Route, world: World) -> Verdict:
    problems: list[str] = []
    personal = bool(PERSONAL_URL_KWARGS.intersection(route.converters))
    own_url = route.url(_kwargs(route, world, world.a))
    tenant_bound = bool(route.converters) and not set(route.converters) <= SHARED_URL_KWARGS
    foreign_url = route.url(_kwargs(route, world, world.b)) if tenant_bound else None
    for method in _methods(route):
        if route.is_api:
            needed = _api_action(route, method)
            kind = PUBLIC if needed == "public" else ACTION
        else:
            policy = route.policy
            assert policy is not None
            kind, needed = policy.kind, policy.action
        anonymous = _send(Client(), method, own_url)
        if anonymous.status_code >= 500:
            problems.append(f"{method} anonymous gave {anonymous.status_code}")
        if kind != PUBLIC and anonymous.status_code != 405:
            expected_anonymous = {401, 403} if route.is_api else {302}
            if anonymous.status_code not in expected_anonymous:
                problems.append(f"{method} anonymous gave {anonymous.status_code}, expected {expected_anonymous}")
            elif not route.is_api and "/inloggen" not in anonymous.get("Location", ""):
                problems.append(f"{method} anonymous redirected to {anonymous.get('Location')} instead of login")
        for role in sorted(GEMEENTE_ROLES):
            client = world.client_for(role)
            if personal:
                own_url = _url_for(route, world, world.a, role)
                foreign_url = _url_for(route, world, world.b, role)
            allowed = kind in (PUBLIC, AUTHENTICATED) or (needed is not None and needed in ROLE_ACTIONS[role])
            if not allowed:
                response = _send(client, method, own_url)
                if response.status_code not in (403, 405):
                    problems.append(f"{method} as {role} (no right) gave {response.status_code}, expected 403")
                continue
            # Public pages (a password-reset link) hold no tenant object, so there is no 404 to expect.
            if foreign_url is not None and kind != PUBLIC:
                response = _send(client, method, foreign_url)
                if response.status_code not in (404, 405):
                    problems.append(f"{method} as {role} on another organisation's object gave {response.status_code}")
                if CANARY.encode() in response.content:
                    problems.append(f"{method} as {role} on a foreign object leaked a canary string")
            if method == "GET":
                response = _send(client, method, own_url)
                if response.status_code >= 400 and response.status_code != 405:
                    problems.append(f"GET as {role} (allowed) gave {response.status_code}")
                if CANARY.encode() in response.content:
                    problems.append(f"GET as {role} leaked a canary string of another organisation")
        analyst = world.client_for(Role.REGIO_ANALIST, world.riec)
        response = _send(analyst, method, own_url)
        analyst_allowed = kind in (PUBLIC, AUTHENTICATED) or (needed in ROLE_ACTIONS[Role.REGIO_ANALIST])
        if response.status_code >= 500:
            problems.append(f"{method} as regio-analist gave {response.status_code}")
        elif not analyst_allowed and response.status_code not in (403, 405):
            problems.append(f"{method} as regio-analist (no right) gave {response.status_code}, expected 403")
        elif analyst_allowed and tenant_bound and kind != PUBLIC and response.status_code not in (404, 405):
            problems.append(f"{method} as regio-analist on a gemeente's object gave {response.status_code}")
        if CANARY.encode() in response.content:
            problems.append(f"{method} as regio-analist leaked a canary string")
    return Verdict(route.pattern, problems)
