"""Processen as a sheet: keyed by their code (P-012), or by name for rows without a code."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from weerbaar.catalogue.models import Circumstance, CircumstanceKind, ReferenceProcess
from weerbaar.catalogue.selectors import category_list, effective
from weerbaar.core.models import Membership, Organisation, User
from weerbaar.core.tenancy import current_organisation
from weerbaar.register import services
from weerbaar.register.models import MAX_YEARLY_VOLUME, Executor, Position, Process
from weerbaar.register.transfer.common import (
    CREATE,
    STATUS_CHOICES,
    UNCHANGED,
    UPDATE,
    ImportPlan,
    Kind,
    RowError,
    RowErrors,
    RowPlan,
    UnitLookup,
    duplicate_check,
    gather,
    join_list,
    parse_choice,
    parse_int,
    parse_status,
    row_issue,
    split_list,
    status_text,
    text_of,
    validation_messages,
)
from weerbaar.spreadsheets import Column, Table

COLUMNS = (
    Column("code", "Code"),
    Column("name", "Naam", required=True, aliases=("Proces", "Procesnaam", "Naam van het proces")),
    Column("description", "Omschrijving"),
    Column("category", "Categorie"),
    Column("unit", "Afdeling", aliases=("Afdeling of team",)),
    Column("owner", "Eigenaar (e-mail)", aliases=("Eigenaar", "Proceseigenaar")),
    Column("positions", "Functies", aliases=("Betrokken functies",)),
    Column("reference_process", "Referentieproces"),
    Column("circumstances", "Interne omstandigheden"),
    Column("yearly_volume", "Aantal per jaar"),
    Column("executor", "Uitgevoerd door"),
    Column("executor_name", "Partner", aliases=("Naam van de partner",)),
    Column("status", "Status"),
)
HEADERS = {column.key: column.header for column in COLUMNS} | {"is_active": "Status"}
SCALARS = (
    "name",
    "description",
    "category",
    "unit",
    "owner",
    "reference_process",
    "yearly_volume",
    "executor",
    "executor_name",
)
RELATIONS = ("positions", "circumstances")


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _index(items: Iterable[Any], names: Callable[[Any], tuple[str, ...]]) -> dict[str, Any]:
    """Items by each of their folded names; the first item wins a name two items share."""
    index: dict[str, Any] = {}
    for item in items:
        for name in names(item):
            index.setdefault(_fold(name), item)
    return index


class Lookups:
    """Everything a process row can name, loaded once per import (a handful of queries)."""

    def __init__(self) -> None:
        organisation = current_organisation()
        assert organisation is not None
        self.units = UnitLookup()
        self.categories = list(category_list())
        self.members = {
            membership.user.email.casefold(): membership for membership in Membership.objects.select_related("user")
        }
        self.positions = list(Position.objects.select_related("unit").order_by("name", "pk"))
        self.position_names: dict[str, list[Position]] = {}
        for position in self.positions:
            self.position_names.setdefault(_fold(position.name), []).append(position)
        self.references = list(effective(ReferenceProcess, organisation=organisation).order_by("name", "pk"))
        self.circumstances = list(
            effective(Circumstance, organisation=organisation)
            .filter(kind=CircumstanceKind.INTERNAL)
            .order_by("group", "position", "name", "pk")
        )
        # Lookup tables by folded name and by catalogue key: a thousand rows cost no scans.
        self.category_keys = _index(self.categories, lambda each: (each.name, each.key))
        self.reference_keys = _index(self.references, lambda each: (each.name, each.ref))
        self.circumstance_keys = _index(self.circumstances, lambda each: (each.name, each.ref))
        self.qualified_positions = {
            _fold(self.position_label(position, qualified=True)): position for position in self.positions
        }

    # -- finding by text --

    def category(self, text: str) -> Any:
        column = HEADERS["category"]
        if not text:
            raise RowError(column, _("Kies een categorie uit de lijst."))
        found = self.category_keys.get(_fold(text))
        if found is not None:
            return found
        names = ", ".join(category.name for category in self.categories)
        raise RowError(column, _("Kies een categorie uit de lijst: %(names)s.") % {"names": names})

    def owner(self, text: str) -> Membership | None:
        if not text:
            return None
        member = self.members.get(text.strip().casefold())
        if member is None:
            raise RowError(
                HEADERS["owner"],
                _("Niemand met het e-mailadres “%(email)s” werkt in uw organisatie.") % {"email": text},
            )
        return member

    def position(self, text: str) -> Position:
        column = HEADERS["positions"]
        matches = self.position_names.get(_fold(text), [])
        if len(matches) == 1:
            return matches[0]
        qualified = self.qualified_positions.get(_fold(text))
        if qualified is not None:
            return qualified
        if matches:
            raise RowError(
                column,
                _("Er zijn meer functies met de naam “%(name)s”. Schrijf de afdeling erbij: “%(label)s”.")
                % {"name": text, "label": self.position_label(matches[0], qualified=True)},
            )
        raise RowError(column, _("De functie “%(name)s” staat niet in het register.") % {"name": text})

    def reference(self, text: str) -> ReferenceProcess | None:
        if not text:
            return None
        found = self.reference_keys.get(_fold(text))
        if found is not None:
            return found
        raise RowError(
            HEADERS["reference_process"],
            _("“%(name)s” staat niet in de catalogus als referentieproces.") % {"name": text},
        )

    def circumstance(self, text: str) -> Circumstance:
        found = self.circumstance_keys.get(_fold(text))
        if found is not None:
            return found
        raise RowError(
            HEADERS["circumstances"], _("“%(name)s” is geen interne omstandigheid uit de catalogus.") % {"name": text}
        )

    # -- writing as text --

    def position_label(self, position: Position, *, qualified: bool = False) -> str:
        if not qualified and len(self.position_names.get(_fold(position.name), [])) <= 1:
            return position.name
        unit = self.units.text(position.unit) if position.unit else _("geen afdeling")
        return f"{position.name} ({unit})"

    def text(self, field: str, value: Any) -> str:
        if value is None:
            return ""
        if field in ("category", "reference_process"):
            return str(value.name)
        if field == "unit":
            return self.units.text(value)
        if field == "owner":
            return str(value.user.email)
        if field == "executor":
            return str(Executor(value).label)
        if field == "positions":
            return join_list(sorted(self.position_label(each) for each in value))
        if field == "circumstances":
            return join_list(sorted(each.name for each in value))
        return text_of(value)


def instructions() -> list[str]:
    return [
        _("Eén regel per proces. Verplicht: Naam, en Categorie voor een nieuw proces."),
        _(
            "Code: laat leeg voor een nieuw proces; Weerbaar geeft het een code (P-001, P-002, …). Met een code "
            "werkt u het bestaande proces bij, ook als u de naam wijzigt."
        ),
        _("Zonder code wordt een proces herkend aan zijn naam."),
        _("Categorie en Uitgevoerd door: kies uit de lijst. Leeg bij Uitgevoerd door is “Eigen organisatie”."),
        _("Eigenaar (e-mail): het e-mailadres van een collega die in Weerbaar werkt."),
        _("Functies en Interne omstandigheden: gescheiden door een puntkomma, zoals ze in Weerbaar heten."),
        _("Referentieproces: de naam van een referentieproces uit de catalogus, of leeg."),
        _("Partner: alleen als een partner het proces uitvoert, bijvoorbeeld “Omgevingsdienst Zuidwaard”."),
        _("Status: Actief of Gearchiveerd. Leeg is Actief. Verwijderen kan niet: archiveer een proces."),
        _("Formules worden niet overgenomen: typ waarden altijd zelf."),
    ]


def choices() -> dict[str, Sequence[str]]:
    lookups = Lookups()
    return {
        "category": [category.name for category in lookups.categories],
        "unit": lookups.units.choices(),
        "owner": sorted(email for email, member in lookups.members.items() if member.is_active),
        "reference_process": sorted({reference.name for reference in lookups.references}, key=str.casefold),
        "executor": [str(label) for _value, label in Executor.choices],
        "status": list(STATUS_CHOICES),
    }


def export_rows(processes: Iterable[Process] | None = None) -> Iterable[Sequence[object]]:
    lookups = Lookups()
    rows = processes if processes is not None else _all_processes()
    for process in rows:
        yield (
            process.code,
            process.name,
            process.description,
            lookups.text("category", process.category),
            lookups.text("unit", process.unit),
            lookups.text("owner", process.owner),
            lookups.text("positions", process.positions.all()),
            lookups.text("reference_process", process.reference_process),
            lookups.text("circumstances", process.circumstances.all()),
            process.yearly_volume,
            lookups.text("executor", process.executor),
            process.executor_name,
            status_text(process.is_active),
        )


def _all_processes() -> Any:
    return (
        Process.objects.select_related("category", "unit", "owner__user", "reference_process")
        .prefetch_related(Prefetch("positions", queryset=Position.objects.select_related("unit")), "circumstances")
        .order_by("code", "pk")
    )


def _values(row: dict[str, str], lookups: Lookups, *, existing: Process | None) -> dict[str, Any]:
    def name() -> str:
        text = " ".join(row.get("name", "").split())
        if not text:
            raise RowError(HEADERS["name"], _("Vul de naam van het proces in."))
        return text

    category_text = row.get("category", "")
    values = gather(
        {
            "name": name,
            "description": lambda: row.get("description", "").strip(),
            "category": lambda: (
                lookups.category(category_text) if category_text or existing is None else existing.category
            ),
            "unit": lambda: lookups.units.find(row.get("unit", ""), HEADERS["unit"]),
            "owner": lambda: lookups.owner(row.get("owner", "")),
            "reference_process": lambda: lookups.reference(row.get("reference_process", "")),
            "yearly_volume": lambda: parse_int(
                row.get("yearly_volume", ""), HEADERS["yearly_volume"], minimum=0, maximum=MAX_YEARLY_VOLUME
            ),
            "executor": lambda: parse_choice(
                row.get("executor", ""), HEADERS["executor"], Executor.choices, default=Executor.OWN
            ),
            "executor_name": lambda: " ".join(row.get("executor_name", "").split()),
            "positions": lambda: [lookups.position(text) for text in split_list(row.get("positions", ""))],
            "circumstances": lambda: [lookups.circumstance(text) for text in split_list(row.get("circumstances", ""))],
        }
    )
    if values["executor"] == Executor.OWN:
        values["executor_name"] = ""
    return values


def _check(values: dict[str, Any], existing: Process | None) -> None:
    candidate = Process(**{field: values[field] for field in SCALARS}, code="P-000")
    candidate.clean_fields(exclude=["organisation", "uuid", "category", "unit", "owner", "reference_process"])
    candidate.clean()
    owner = values["owner"]
    if owner is not None and not owner.is_active and (existing is None or existing.owner_id != owner.pk):
        raise RowError(HEADERS["owner"], _("Deze collega is niet meer actief. Kies een actieve eigenaar."))


def _same(field: str, old: Any, new: Any) -> bool:
    if field in RELATIONS:
        return {each.pk for each in old} == {each.pk for each in new}
    return bool(old == new)


def plan(table: Table) -> ImportPlan:
    """The dry run: about ten queries for lookups and the register, whatever the row count."""
    result = ImportPlan(kind="processen")
    lookups = Lookups()
    processes = list(_all_processes())
    by_code = {process.code.casefold(): process for process in processes}
    by_name = {_fold(process.name): process for process in processes}
    seen_codes: dict[Any, int] = {}
    seen_names: dict[Any, int] = {}
    for row in table.rows:
        try:
            code = row.values.get("code", "").strip()
            if code:
                target = by_code.get(code.casefold())
                if target is None:
                    raise RowError(
                        HEADERS["code"],
                        _("Code %(code)s bestaat niet in het register. Laat de code leeg voor een nieuw proces.")
                        % {"code": code},
                    )
                duplicate_check(seen_codes, code.casefold(), row, HEADERS["code"])
            else:
                target = by_name.get(_fold(row.values.get("name", "")))
            if _fold(row.values.get("name", "")):
                duplicate_check(seen_names, _fold(row.values.get("name", "")), row, HEADERS["name"])
            values = _values(row.values, lookups, existing=target)
            clash = by_name.get(_fold(values["name"]))
            if clash is not None and clash is not target:
                raise RowError(
                    HEADERS["name"], _("Er is al een ander proces met deze naam (%(code)s).") % {"code": clash.code}
                )
            if target is not None and target.code.casefold() not in seen_codes:
                duplicate_check(seen_codes, target.code.casefold(), row, HEADERS["name"])
            active = parse_status(row.values.get("status", ""), HEADERS["status"])
            _check(values, target)
        except (RowError, RowErrors) as error:
            row_issue(result, row, error)
            continue
        except ValidationError as error:
            for column, message in validation_messages(error, HEADERS):
                row_issue(result, row, RowError(column, message))
            continue
        if target is None:
            changes = [
                (HEADERS[field], "", lookups.text(field, value))
                for field, value in values.items()
                if value not in (None, "", [])
            ]
            status = None if active else False
            result.rows.append(RowPlan(row.number, CREATE, values["name"], changes, values=values, status=status))
            continue
        current = {field: getattr(target, field) for field in SCALARS}
        current |= {field: list(getattr(target, field).all()) for field in RELATIONS}
        changed = {field: value for field, value in values.items() if not _same(field, current[field], value)}
        changes = [
            (HEADERS[field], lookups.text(field, current[field]), lookups.text(field, value))
            for field, value in changed.items()
        ]
        status = None if active == target.is_active else active
        if status is not None:
            changes.append((HEADERS["status"], status_text(target.is_active), status_text(active)))
        label = f"{target.code} {values['name']}"
        result.rows.append(
            RowPlan(row.number, UPDATE if changes else UNCHANGED, label, changes, target, changed, status)
        )
    return result


def apply_row(row: RowPlan, *, actor: User, organisation: Organisation, created: dict[str, Any]) -> None:
    if row.action == CREATE:
        if "next_code" not in created:  # read the register's codes once per import, then count on
            created["next_code"] = int(services.next_process_code(organisation).removeprefix("P-"))
        code = f"P-{created['next_code']:03d}"
        created["next_code"] += 1
        process = services.process_create(actor=actor, organisation=organisation, code=code, **row.values)
    else:
        process = row.target
        if row.values:
            process = services.process_update(actor=actor, process=process, version=process.version, **row.values)
    if row.status is False:
        services.process_archive(actor=actor, process=process, version=process.version)
    elif row.status is True:
        services.process_reactivate(actor=actor, process=process, version=process.version)


KIND = Kind(
    key="processen",
    label=gettext_lazy("processen"),
    import_title=gettext_lazy("Processen importeren"),
    columns=COLUMNS,
    instructions=instructions,
    choices=choices,
    export_rows=export_rows,
    plan=plan,
    apply_row=apply_row,
    headers=HEADERS,
)
