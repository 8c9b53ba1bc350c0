"""Load the national catalogue from ``data/catalogue.yaml`` (format: var/CATALOGUE-SCHEMA.md).

The file is validated strictly first (Dutch messages naming the entry and the field), then the
national rows are upserted by key in one transaction. Loading is idempotent: an unchanged file is
recognised by its checksum and writes nothing. A new version records a :class:`CatalogueRelease`
with what it added, changed and removed. Removed entries are deactivated, never deleted (scans and
registers keep pointing at them), and rows of organisations are never read or written here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import sys
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.db import models, transaction
from django.utils import timezone

from weerbaar.catalogue.models import (
    CIRCUMSTANCE_GROUPS,
    MAX_REVIEW_MONTHS,
    MIN_REVIEW_MONTHS,
    RELEASE_KINDS,
    SCALE_LEVELS,
    CatalogueRelease,
    Characteristic,
    Circumstance,
    EffectStrength,
    Measure,
    MeasureEffect,
    MeasureGroup,
    MeasureScope,
    ProcessCategory,
    ReferenceProcess,
)

logger = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_PATH = DATA_DIR / "catalogue.yaml"
CHANGELOG_NAME = "CHANGELOG.md"

CHARACTERISTIC_COUNT = 8
KEY_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
VERSION_PATTERN = re.compile(r"^[0-9]{4}\.[0-9]{1,3}$")
#: Path segments the catalogue pages use next to ``<key>``; a national key must not shadow them.
RESERVED_KEYS = frozenset({"nieuw"})
MAX_KEY_LENGTH = 80
MAX_NAME_LENGTH = 200
MAX_LIST_ITEMS = 10

TOP_LEVEL = ("version", "released", "characteristics", "categories", "reference_processes", "circumstances", "measures")
ENTRY_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # kind: (required fields, optional fields)
    "characteristics": (("key", "code", "name", "why", "examples", "questions", "scale"), ()),
    "categories": (("key", "name", "description"), ()),
    "reference_processes": (("key", "name", "category", "typical_unit", "description", "characteristics"), ()),
    "circumstances": (("key", "kind", "group", "name", "description"), ("characteristics",)),
    "measures": (("key", "group", "name", "description", "scope", "effects", "review_cadence_months"), ()),
}
KIND_LABELS = {
    "characteristics": "kenmerk",
    "categories": "categorie",
    "reference_processes": "referentieproces",
    "circumstances": "omstandigheid",
    "measures": "maatregel",
}


class CatalogueError(Exception):
    """The data file breaks the contract; ``errors`` holds every problem found, in Dutch."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("De catalogus is niet geladen:\n- " + "\n- ".join(errors))


@dataclass(frozen=True)
class Catalogue:
    """The validated file: per kind a list of plain dicts in model-field terms, in file order."""

    version: str
    released: dt.date
    entries: dict[str, list[dict[str, Any]]]


@dataclass(frozen=True)
class LoadResult:
    version: str
    #: False when the file was already applied and nothing was written.
    applied: bool
    release_created: bool
    changes: dict[str, dict[str, list[dict[str, Any]]]] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(items for kind in self.changes.values() for items in kind.values())

    def summary(self) -> str:
        if not self.applied:
            return f"Catalogus {self.version} was al geladen; niets gewijzigd."
        parts = []
        for kind in RELEASE_KINDS:
            counts = {change: len(items) for change, items in self.changes.get(kind, {}).items() if items}
            if counts:
                text = ", ".join(f"{count} {DUTCH_CHANGES[change]}" for change, count in counts.items())
                parts.append(f"{KIND_LABELS[kind]}: {text}")
        detail = "; ".join(parts) if parts else "geen inhoudelijke wijzigingen"
        return f"Catalogus {self.version} geladen ({detail})."


DUTCH_CHANGES = {"added": "toegevoegd", "changed": "gewijzigd", "removed": "verwijderd"}


# --- reading ---------------------------------------------------------------------------------


class _StrictLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe YAML, but a key written twice in one block is an error instead of silently the last."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                duplicate = key in seen
                seen.add(key)
            except TypeError:
                continue
            if duplicate:
                line = key_node.start_mark.line + 1
                raise CatalogueError([f"regel {line}: “{key}” staat twee keer in hetzelfde blok."])
        return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]


def parse(text: str | bytes) -> Catalogue:
    """Parse and validate; raises :class:`CatalogueError` listing every problem."""
    try:
        raw = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"regel {mark.line + 1}: " if mark is not None else ""
        raise CatalogueError([f"{where}het bestand is geen geldige YAML ({getattr(exc, 'problem', exc)})."]) from exc
    return _Validator().validate(raw)


class _Validator:
    def __init__(self) -> None:
        self.errors: list[str] = []
        self.keys: dict[str, set[str]] = {kind: set() for kind in ENTRY_FIELDS}

    def error(self, message: str) -> None:
        self.errors.append(message)

    def validate(self, raw: Any) -> Catalogue:
        if not isinstance(raw, dict):
            raise CatalogueError(["het bestand moet beginnen met de velden version, released, characteristics, …"])
        for name in raw:
            if name not in TOP_LEVEL:
                self.error(f"onbekend veld “{name}” bovenaan het bestand.")
        for name in TOP_LEVEL:
            if name not in raw:
                self.error(f"het veld “{name}” ontbreekt bovenaan het bestand.")
        version = raw.get("version")
        if not isinstance(version, str) or not VERSION_PATTERN.match(version):
            self.error(f'version moet tekst zijn zoals "2026.1" (tussen aanhalingstekens), niet {version!r}.')
        released = raw.get("released")
        if isinstance(released, str):
            try:
                released = dt.date.fromisoformat(released)
            except ValueError:
                released = None
        if not isinstance(released, dt.date) or isinstance(released, dt.datetime):
            self.error("released moet een datum zijn (JJJJ-MM-DD).")
            released = None

        characteristics = self._entries(raw, "characteristics", self._characteristic)
        count = len(raw["characteristics"]) if isinstance(raw.get("characteristics"), list) else 0
        if count != CHARACTERISTIC_COUNT:
            self.error(f"er moeten precies {CHARACTERISTIC_COUNT} kenmerken zijn, niet {count}.")
        # Keys of entries with other problems still count as known: one mistake, one message.
        self.characteristic_keys = self.keys["characteristics"]
        categories = self._entries(raw, "categories", self._category)
        self.category_keys = self.keys["categories"]
        processes = self._entries(raw, "reference_processes", self._process)
        circumstances = self._entries(raw, "circumstances", self._circumstance)
        measures = self._entries(raw, "measures", self._measure)
        if self.errors:
            raise CatalogueError(self.errors)
        assert isinstance(version, str) and isinstance(released, dt.date)
        return Catalogue(
            version=version,
            released=released,
            entries={
                "characteristics": characteristics,
                "categories": categories,
                "reference_processes": processes,
                "circumstances": circumstances,
                "measures": measures,
            },
        )

    def _entries(
        self, raw: dict[str, Any], kind: str, check: Callable[[str, dict[str, Any]], dict[str, Any]]
    ) -> list[dict[str, Any]]:
        items = raw.get(kind)
        if items is None:
            return []
        if not isinstance(items, list):
            self.error(f"“{kind}” moet een lijst zijn.")
            return []
        label = KIND_LABELS[kind]
        required, optional = ENTRY_FIELDS[kind]
        seen: set[str] = set()
        result = []
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                self.error(f"{label} nummer {index + 1}: moet een blok met velden zijn.")
                continue
            key = item.get("key")
            where = f"{label} “{key}”" if isinstance(key, str) and key else f"{label} nummer {index + 1}"
            for name in item:
                if name not in required and name not in optional:
                    self.error(f"{where}: onbekend veld “{name}”.")
            missing = [name for name in required if name not in item]
            for name in missing:
                self.error(f"{where}: het veld “{name}” ontbreekt.")
            if not self._key(where, key):
                continue
            assert isinstance(key, str)
            if key in seen:
                self.error(f"{where}: deze sleutel komt twee keer voor.")
                continue
            seen.add(key)
            self.keys[kind].add(key)
            if missing:
                continue
            before = len(self.errors)
            entry = check(where, item)
            if len(self.errors) == before:
                entry["key"] = key
                entry["position"] = index
                result.append(entry)
        return result

    def _key(self, where: str, key: Any) -> bool:
        if not isinstance(key, str) or not KEY_PATTERN.match(key) or len(key) > MAX_KEY_LENGTH:
            self.error(
                f"{where}: sleutel “{key}” is geen geldige slug (kleine letters a-z, cijfers en koppeltekens, "
                f"hoogstens {MAX_KEY_LENGTH} tekens)."
            )
            return False
        if key in RESERVED_KEYS or _looks_like_uuid(key):
            self.error(f"{where}: sleutel “{key}” is gereserveerd; kies een andere.")
            return False
        return True

    # -- field helpers --

    def _text(self, where: str, item: dict[str, Any], name: str, *, max_length: int | None = None) -> str:
        value = item.get(name)
        if not isinstance(value, str) or not value.strip():
            self.error(f"{where}, veld “{name}”: moet tekst zijn en mag niet leeg zijn.")
            return ""
        value = value.strip()
        if max_length is not None and len(value) > max_length:
            self.error(f"{where}, veld “{name}”: hoogstens {max_length} tekens, nu {len(value)}.")
        return value

    def _texts(self, where: str, item: dict[str, Any], name: str) -> list[str]:
        value = item.get(name)
        if not isinstance(value, list) or not value or len(value) > MAX_LIST_ITEMS:
            self.error(f"{where}, veld “{name}”: moet een lijst van 1 tot {MAX_LIST_ITEMS} teksten zijn.")
            return []
        if not all(isinstance(text, str) and text.strip() for text in value):
            self.error(f"{where}, veld “{name}”: elke regel moet tekst zijn en mag niet leeg zijn.")
            return []
        return [text.strip() for text in value]

    def _choice(self, where: str, item: dict[str, Any], name: str, allowed: Iterable[str]) -> str:
        value = item.get(name)
        options = list(allowed)
        if value not in options:
            self.error(f"{where}, veld “{name}”: “{value}” is geen geldige waarde (kies uit {', '.join(options)}).")
            return ""
        return str(value)

    def _characteristic_keys(self, where: str, item: dict[str, Any], name: str) -> list[str]:
        value = item.get(name, [])
        if value is None:
            value = []
        if not isinstance(value, list):
            self.error(f"{where}, veld “{name}”: moet een lijst van kenmerk-sleutels zijn.")
            return []
        keys: list[str] = []
        for key in value:
            if not isinstance(key, str) or key not in self.characteristic_keys:
                self.error(f"{where}, veld “{name}”: onbekend kenmerk “{key}”.")
            elif key in keys:
                self.error(f"{where}, veld “{name}”: kenmerk “{key}” staat er twee keer in.")
            else:
                keys.append(key)
        return sorted(keys)

    # -- per kind --

    def _characteristic(self, where: str, item: dict[str, Any]) -> dict[str, Any]:
        code = item.get("code")
        entry = {
            "code": code,
            "name": self._text(where, item, "name", max_length=MAX_NAME_LENGTH),
            "why": self._text(where, item, "why"),
            "examples": self._texts(where, item, "examples"),
            "questions": self._texts(where, item, "questions"),
            "scale": self._scale(where, item.get("scale")),
        }
        if not isinstance(code, str) or not re.fullmatch(r"K[1-8]", code):
            self.error(f"{where}, veld “code”: “{code}” moet K1 tot en met K8 zijn.")
        else:
            # The entry's own key was counted just before this check: its place in the list.
            expected = f"K{len(self.keys['characteristics'])}"
            if code != expected:
                self.error(f"{where}, veld “code”: verwacht {expected} (de kenmerken staan in de volgorde K1..K8).")
        return entry

    def _scale(self, where: str, scale: Any) -> dict[str, str]:
        if not isinstance(scale, dict):
            self.error(f"{where}, veld “scale”: moet de niveaus 0 tot en met 4 bevatten.")
            return {}
        levels = {str(level): text for level, text in scale.items()}
        for level in levels:
            if level not in SCALE_LEVELS:
                self.error(f"{where}, veld “scale”: onbekend niveau {level} (alleen 0 tot en met 4).")
        result = {}
        for level in SCALE_LEVELS:
            text = levels.get(level)
            if level not in levels:
                self.error(f"{where}, veld “scale”: niveau {level} ontbreekt.")
            elif not isinstance(text, str) or not text.strip():
                self.error(f"{where}, veld “scale”: niveau {level} moet tekst zijn en mag niet leeg zijn.")
            else:
                result[level] = text.strip()
        return result

    def _category(self, where: str, item: dict[str, Any]) -> dict[str, Any]:
        return {
            "name": self._text(where, item, "name", max_length=MAX_NAME_LENGTH),
            "description": self._text(where, item, "description"),
        }

    def _process(self, where: str, item: dict[str, Any]) -> dict[str, Any]:
        category = item.get("category")
        if category not in self.category_keys:
            self.error(f"{where}, veld “category”: onbekende categorie “{category}”.")
        return {
            "name": self._text(where, item, "name", max_length=MAX_NAME_LENGTH),
            "category": category,
            "typical_unit": self._text(where, item, "typical_unit", max_length=MAX_NAME_LENGTH),
            "description": self._text(where, item, "description"),
            "characteristics": self._characteristic_keys(where, item, "characteristics"),
        }

    def _circumstance(self, where: str, item: dict[str, Any]) -> dict[str, Any]:
        kind = self._choice(where, item, "kind", CIRCUMSTANCE_GROUPS)
        group = ""
        if kind:
            group = self._choice(where, item, "group", CIRCUMSTANCE_GROUPS[kind])
        return {
            "kind": kind,
            "group": group,
            "name": self._text(where, item, "name", max_length=MAX_NAME_LENGTH),
            "description": self._text(where, item, "description"),
            "characteristics": self._characteristic_keys(where, item, "characteristics"),
        }

    def _measure(self, where: str, item: dict[str, Any]) -> dict[str, Any]:
        cadence = item.get("review_cadence_months")
        if (
            isinstance(cadence, bool)
            or not isinstance(cadence, int)
            or not (MIN_REVIEW_MONTHS <= cadence <= MAX_REVIEW_MONTHS)
        ):
            self.error(
                f"{where}, veld “review_cadence_months”: moet een heel getal van {MIN_REVIEW_MONTHS} "
                f"tot en met {MAX_REVIEW_MONTHS} zijn, niet {cadence!r}."
            )
        return {
            "group": self._choice(where, item, "group", MeasureGroup.values),
            "name": self._text(where, item, "name", max_length=MAX_NAME_LENGTH),
            "description": self._text(where, item, "description"),
            "scope": self._choice(where, item, "scope", MeasureScope.values),
            "review_cadence_months": cadence,
            "effects": self._effects(where, item.get("effects")),
        }

    def _effects(self, where: str, effects: Any) -> dict[str, int]:
        if not isinstance(effects, list) or not effects:
            self.error(f"{where}, veld “effects”: noem ten minste één kenmerk dat deze maatregel verzwakt.")
            return {}
        result: dict[str, int] = {}
        for effect in effects:
            if not isinstance(effect, dict) or set(effect) != {"characteristic", "strength"}:
                self.error(f"{where}, veld “effects”: elk effect heeft precies de velden characteristic en strength.")
                continue
            key, strength = effect["characteristic"], effect["strength"]
            if not isinstance(key, str) or key not in self.characteristic_keys:
                self.error(f"{where}, veld “effects”: onbekend kenmerk “{key}”.")
            elif key in result:
                self.error(f"{where}, veld “effects”: kenmerk “{key}” staat er twee keer in.")
            elif isinstance(strength, bool) or strength not in EffectStrength.values:
                self.error(f"{where}, veld “effects”: sterkte bij “{key}” moet 1, 2 of 3 zijn, niet {strength!r}.")
            else:
                result[key] = int(strength)
        return result


def _looks_like_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def changelog_section(text: str, version: str) -> str:
    """The part of CHANGELOG.md under the heading that names ``version`` (up to the next such heading)."""
    lines = text.splitlines()
    pattern = re.compile(rf"(?<![0-9.]){re.escape(version)}(?![0-9])")
    for start, line in enumerate(lines):
        if line.startswith("#") and pattern.search(line):
            level = len(line) - len(line.lstrip("#"))
            body = []
            for following in lines[start + 1 :]:
                if following.startswith("#") and len(following) - len(following.lstrip("#")) <= level:
                    break
                body.append(following)
            return "\n".join(body).strip()
    return ""


# --- applying --------------------------------------------------------------------------------

#: Compared and reported as "changed"; ``position`` only follows the file order and is not a change.
COMPARED_FIELDS: dict[str, tuple[str, ...]] = {
    "characteristics": ("code", "name", "why", "examples", "questions", "scale"),
    "categories": ("name", "description"),
    "reference_processes": ("name", "category", "typical_unit", "description", "characteristics"),
    "circumstances": ("kind", "group", "name", "description", "characteristics"),
    "measures": ("group", "name", "description", "scope", "review_cadence_months", "effects"),
}
MODELS: dict[str, type[models.Model]] = {
    "characteristics": Characteristic,
    "categories": ProcessCategory,
    "reference_processes": ReferenceProcess,
    "circumstances": Circumstance,
    "measures": Measure,
}
RELATION_FIELDS = frozenset({"category", "characteristics", "effects"})


def load_catalogue(path: Path | str | None = None, *, using: str = "default", force: bool = False) -> LoadResult:
    """Validate the file and bring the national rows in line with it (idempotent)."""
    path = Path(path) if path is not None else DEFAULT_PATH
    content = path.read_bytes()
    checksum = hashlib.sha256(content).hexdigest()
    if not force:
        latest = CatalogueRelease.objects.using(using).order_by("-loaded_at", "-pk").first()
        if latest is not None and latest.checksum == checksum and Characteristic.objects.using(using).exists():
            return LoadResult(version=latest.version, applied=False, release_created=False)
    catalogue = parse(content)
    changelog_path = path.parent / CHANGELOG_NAME
    changelog = (
        changelog_section(changelog_path.read_text(encoding="utf-8"), catalogue.version)
        if changelog_path.exists()
        else ""
    )
    return _apply(catalogue, checksum=checksum, changelog=changelog, using=using)


def _apply(catalogue: Catalogue, *, checksum: str, changelog: str, using: str) -> LoadResult:
    with transaction.atomic(using=using):
        applier = _Applier(using)
        changes = {kind: applier.upsert(kind, catalogue.entries[kind]) for kind in RELEASE_KINDS}
        has_changes = any(items for kind in changes.values() for items in kind.values())
        release = CatalogueRelease.objects.using(using).select_for_update().filter(version=catalogue.version).first()
        created = release is None
        if release is None:
            release = CatalogueRelease(version=catalogue.version, changes=changes)
        elif has_changes:
            # The same version applied again with other content (a correction before release):
            # keep one record per version that lists everything it brought.
            release.changes = _merge_changes(release.changes, changes)
        elif not applier.wrote and (release.checksum, release.released, release.changelog) == (
            checksum,
            catalogue.released,
            changelog,
        ):
            return LoadResult(version=catalogue.version, applied=False, release_created=False)
        release.released = catalogue.released
        release.checksum = checksum
        release.changelog = changelog
        release.loaded_at = timezone.now()
        release.save(using=using)
    return LoadResult(version=catalogue.version, applied=True, release_created=created, changes=changes)


def _merge_changes(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for kind in RELEASE_KINDS:
        before, now = old.get(kind, {}), new.get(kind, {})
        merged[kind] = {}
        for change in ("added", "changed", "removed"):
            items = {item["key"]: item for item in before.get(change, [])}
            items.update({item["key"]: item for item in now.get(change, [])})
            merged[kind][change] = list(items.values())
        # An entry added in this version and edited or removed again before release is reported once.
        added = {item["key"] for item in merged[kind]["added"]}
        removed = {item["key"] for item in now.get("removed", [])}
        merged[kind]["added"] = [item for item in merged[kind]["added"] if item["key"] not in removed]
        merged[kind]["changed"] = [
            item for item in merged[kind]["changed"] if item["key"] not in added and item["key"] not in removed
        ]
    return merged


class _Applier:
    """Upserts one kind at a time; relations are resolved by key against the rows written earlier."""

    def __init__(self, using: str) -> None:
        self.using = using
        self.characteristic_ids: dict[str, int] = {}
        self.category_ids: dict[str, int] = {}
        #: Whether any row was written (also a mere change of order, which is not reported).
        self.wrote = False

    def _national(self, model: type[models.Model]) -> models.QuerySet[Any]:
        manager = getattr(model, "national_objects", None) or model._default_manager
        return manager.db_manager(self.using).all()  # type: ignore[no-any-return]

    def upsert(self, kind: str, entries: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
        model = MODELS[kind]
        queryset = self._national(model)
        if kind == "reference_processes":
            queryset = queryset.select_related("category")
        if kind in ("reference_processes", "circumstances"):
            queryset = queryset.prefetch_related("characteristics")
        if kind == "measures":
            queryset = queryset.prefetch_related("effects__characteristic")
        existing = {row.key: row for row in queryset}
        changes: dict[str, list[dict[str, Any]]] = {"added": [], "changed": [], "removed": []}
        wanted = {entry["key"] for entry in entries}

        # Deactivate first: a removed K3 frees its code for a new K3 in the same release.
        for key, row in existing.items():
            if key not in wanted and row.is_active:
                row.is_active = False
                row.save(using=self.using, update_fields=["is_active"])
                self.wrote = True
                changes["removed"].append({"key": key, "name": row.name})

        new_rows: list[tuple[models.Model, dict[str, Any]]] = []
        for entry in entries:
            row = existing.get(entry["key"])
            if row is None:
                row = model(**self._plain_fields(kind, entry))
                new_rows.append((row, entry))
                changes["added"].append({"key": entry["key"], "name": entry["name"]})
                continue
            before = self._current(kind, row)
            differences = {
                name: [before[name], entry[name]] for name in COMPARED_FIELDS[kind] if before[name] != entry[name]
            }
            if not row.is_active:
                changes["added"].append({"key": entry["key"], "name": entry["name"]})
            elif differences:
                changes["changed"].append({"key": entry["key"], "name": entry["name"], "fields": differences})
            if differences or not row.is_active or row.position != entry["position"]:
                for name, value in self._plain_fields(kind, entry).items():
                    setattr(row, name, value)
                row.is_active = True
                row.save(using=self.using)
                self.wrote = True
                self._set_relations(kind, row, entry, changed=set(differences))

        if new_rows:
            self._national(model).bulk_create([row for row, _entry in new_rows])
            self.wrote = True
            self._bulk_relations(kind, new_rows)
        self._remember_ids(kind)
        return changes

    def _plain_fields(self, kind: str, entry: dict[str, Any]) -> dict[str, Any]:
        values = {name: value for name, value in entry.items() if name not in RELATION_FIELDS}
        if kind == "reference_processes":
            values["category_id"] = self.category_ids[entry["category"]]
        return values

    def _current(self, kind: str, row: Any) -> dict[str, Any]:
        values = {name: getattr(row, name) for name in COMPARED_FIELDS[kind] if name not in RELATION_FIELDS}
        if kind == "reference_processes":
            values["category"] = row.category.key
        if kind in ("reference_processes", "circumstances"):
            values["characteristics"] = sorted(c.key for c in row.characteristics.all())
        if kind == "measures":
            values["effects"] = {effect.characteristic.key: effect.strength for effect in row.effects.all()}
        return values

    def _remember_ids(self, kind: str) -> None:
        if kind == "characteristics":
            self.characteristic_ids = dict(
                Characteristic.objects.using(self.using).values_list("key", "pk")  # type: ignore[arg-type]
            )
        elif kind == "categories":
            self.category_ids = dict(
                ProcessCategory.objects.using(self.using).values_list("key", "pk")  # type: ignore[arg-type]
            )

    def _set_relations(self, kind: str, row: Any, entry: dict[str, Any], *, changed: set[str]) -> None:
        if kind in ("reference_processes", "circumstances") and "characteristics" in changed:
            row.characteristics.set([self.characteristic_ids[key] for key in entry["characteristics"]])
        if kind == "measures" and "effects" in changed:
            MeasureEffect.objects.using(self.using).filter(measure=row).delete()
            self._create_effects([(row, entry)])

    def _bulk_relations(self, kind: str, rows: list[tuple[Any, dict[str, Any]]]) -> None:
        if kind in ("reference_processes", "circumstances"):
            through = MODELS[kind].characteristics.through  # type: ignore[attr-defined]
            owner = "referenceprocess_id" if kind == "reference_processes" else "circumstance_id"
            through.objects.using(self.using).bulk_create(
                [
                    through(**{owner: row.pk, "characteristic_id": self.characteristic_ids[key]})
                    for row, entry in rows
                    for key in entry["characteristics"]
                ]
            )
        elif kind == "measures":
            self._create_effects(rows)

    def _create_effects(self, rows: list[tuple[Any, dict[str, Any]]]) -> None:
        MeasureEffect.objects.using(self.using).bulk_create(
            [
                MeasureEffect(measure=row, characteristic_id=self.characteristic_ids[key], strength=strength)
                for row, entry in rows
                for key, strength in entry["effects"].items()
            ]
        )


# --- after migrate ---------------------------------------------------------------------------


def _schema_is_current(state_apps: Any) -> bool:
    """True when the migrated state has every catalogue table with the columns the models expect.

    ``migrate`` to an older catalogue migration (or ``zero``) also sends post_migrate; loading
    with today's models would then fail, so the load waits for the next full migrate.
    """
    if state_apps is None:
        return True
    checked: tuple[type[models.Model], ...] = (*MODELS.values(), MeasureEffect, CatalogueRelease)
    for model in checked:
        try:
            state_model = state_apps.get_model(model._meta.app_label, model._meta.model_name)
        except LookupError:
            return False
        columns = {f.column for f in state_model._meta.concrete_fields}
        if columns != {f.column for f in model._meta.concrete_fields}:
            return False
    return True


def load_after_migrate(*, using: str, state_apps: Any, verbosity: int) -> LoadResult | None:
    if not DEFAULT_PATH.exists():
        logger.warning("Geen catalogus geladen: %s bestaat niet.", DEFAULT_PATH)
        return None
    if not _schema_is_current(state_apps):
        return None
    try:
        result = load_catalogue(using=using)
    except CatalogueError as exc:
        # Do not block migrate (or every test run) on a content mistake: the `load_catalogue`
        # command and the catalogue tests fail loudly on the same file.
        print(f"  {exc}", file=sys.stderr)
        return None
    if result.applied and verbosity >= 1:
        print(f"  {result.summary()}")
    return result
