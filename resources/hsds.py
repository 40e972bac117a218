"""Open Referral HSDS 3.0 import and export for the referral directory.

Import reads a tabular data package (a folder of CSV files, one per table,
with datapackage.json) or HSDS JSON (one service, a list of services, an API
page `{"contents": [...]}`, organizations with nested services, or the
`{"services.csv": [rows]}` form of the spec's tabular example). Everything
becomes the same rows, then `import_tables` writes them:

- idempotent: every row is matched on its HSDS `id` (our `hsds_id`), so a
  second import updates rather than duplicates;
- atomic: one transaction; the first bad value raises HSDSError naming the
  file, row and field, and nothing is kept;
- lenient where the spec's own examples are: references that are only
  descriptive (a term's parent or taxonomy, an attribute linked to something
  we do not keep) are dropped when they point nowhere; references the
  directory needs (a service's organization) must resolve.

Export writes both forms to a folder: CSV files plus datapackage.json, and
services.json (a list of full service objects). docs/directory.md maps each
field.
"""

from __future__ import annotations

import csv
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, date, time
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from resources.listing import touch_services
from resources.models import (
    Address,
    CostOption,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
    forget_directory_chips,
)
from resources.service_kinds import NAMESPACE

# Our own attributes: what a peer needs that HSDS has no column for. Each is
# an HSDS attribute linked to one of these terms, its value in `value`.
ACCESS_TERM = ("PC-ACCESS", "Access: walk-in or appointment")
TIME_ZONE_TERM = ("PC-TZ", "Time zone of the service's hours (IANA name)")
ATTRIBUTE_TERMS = dict([ACCESS_TERM, TIME_ZONE_TERM])

# HSDS table name -> file name in a tabular package (as in the spec's tabular schema).
TABLE_FILES = {
    "taxonomies": "taxonomies.csv",
    "taxonomy_terms": "taxonomy_terms.csv",
    "organizations": "organizations.csv",
    "services": "services.csv",
    "locations": "locations.csv",
    "addresses": "addresses.csv",
    "service_at_location": "service_at_location.csv",
    "phones": "phones.csv",
    "schedules": "schedules.csv",
    "languages": "languages.csv",
    "cost_options": "cost_options.csv",
    "required_documents": "required_documents.csv",
    "attributes": "attributes.csv",
}
FILE_TABLES = {path: table for table, path in TABLE_FILES.items()}
# The spec's schema names each table in the singular.
SCHEMA_NAMES = {
    "taxonomies": "taxonomy",
    "taxonomy_terms": "taxonomy_term",
    "organizations": "organization",
    "services": "service",
    "locations": "location",
    "addresses": "address",
    "service_at_location": "service_at_location",
    "phones": "phone",
    "schedules": "schedule",
    "languages": "language",
    "cost_options": "cost_option",
    "required_documents": "required_document",
    "attributes": "attribute",
}


class HSDSError(Exception):
    """A bad value in an import: says where (file, row, field) and what is wrong."""

    def __init__(self, source: str, row: str, field: str, message: str):
        self.source, self.row, self.field = source, row, field
        super().__init__(f"{source}, {row}, field {field!r}: {message}")


@dataclass
class Row:
    source: str  # file name
    where: str  # "row 3" in a CSV (the header is row 1), a JSON path in JSON
    data: dict

    def error(self, field: str, message: str) -> HSDSError:
        return HSDSError(self.source, self.where, field, message)

    def text(self, field: str, model=None, model_field: str | None = None) -> str:
        value = self.data.get(field)
        if value is None:
            return ""
        if isinstance(value, (dict, list)):
            raise self.error(field, "expected text, got a nested object")
        value = str(value).strip()
        if model is not None:
            limit = model._meta.get_field(model_field or field).max_length
            if limit and len(value) > limit:
                raise self.error(field, f"is {len(value)} characters long; the most we keep is {limit}")
        return value

    def uuid(self, field: str, required: bool = False) -> uuid.UUID | None:
        value = self.text(field)
        if not value:
            if required:
                raise self.error(field, "is required")
            return None
        try:
            return uuid.UUID(value)
        except ValueError:
            raise self.error(field, f"{value!r} is not a UUID") from None

    def date(self, field: str) -> date | None:
        value = self.text(field)
        if not value:
            return None
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            raise self.error(field, f"{value!r} is not a date (YYYY-MM-DD)") from None

    def time(self, field: str) -> time | None:
        value = self.text(field)
        if not value:
            return None
        try:
            parsed = time.fromisoformat(value.replace("Z", ""))
        except ValueError:
            raise self.error(field, f"{value!r} is not a time (HH:MM or HH:MM:SS)") from None
        return parsed.replace(tzinfo=None)

    def number(self, field: str, integer: bool = False) -> Decimal | int | None:
        value = self.text(field)
        if not value:
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise self.error(field, f"{value!r} is not a number") from None
        if integer:
            if number != number.to_integral_value():
                raise self.error(field, f"{value!r} is not a whole number")
            return int(number)
        return number

    def choice(self, field: str, choices, default: str = "") -> str:
        value = self.text(field)
        if not value:
            return default
        allowed = [c.value for c in choices]
        if value not in allowed:
            raise self.error(field, f"{value!r} is not one of {', '.join(a for a in allowed if a)}")
        return value


Tables = dict[str, list[Row]]


# Reading --------------------------------------------------------------------


def read_path(path: str | Path) -> Tables:
    """Rows of every table we keep, from a package folder or a JSON file."""
    path = Path(path)
    if path.is_dir():
        return read_package(path)
    if path.suffix.lower() == ".json":
        return read_json(path)
    raise HSDSError(str(path), "-", "-", "expected a folder with datapackage.json, or a .json file")


def read_package(folder: Path) -> Tables:
    files = _package_files(folder)
    tables: Tables = {table: [] for table in TABLE_FILES}
    for table, file in files.items():
        try:
            with file.open(newline="", encoding="utf-8-sig") as handle:
                reader = csv.DictReader(handle)
                if not reader.fieldnames or "id" not in reader.fieldnames:
                    raise HSDSError(file.name, "row 1", "id", "the header has no id column")
                for line, record in enumerate(reader, start=2):
                    if None in record:
                        raise HSDSError(
                            file.name, f"row {line}", "-", "more values than the header has columns"
                        )
                    tables[table].append(Row(file.name, f"row {line}", record))
        except UnicodeDecodeError:
            raise HSDSError(file.name, "-", "-", "is not UTF-8 text") from None
    return tables


def _package_files(folder: Path) -> dict[str, Path]:
    descriptor = folder / "datapackage.json"
    if not descriptor.exists():
        raise HSDSError(str(folder), "-", "-", "no datapackage.json: is this an HSDS tabular data package?")
    text = descriptor.read_text(encoding="utf-8")
    try:
        package = json.loads(text)
    except json.JSONDecodeError as error:
        target = folder / text.strip()
        if text.strip().endswith(".json") and "\n" not in text.strip():
            # A git symlink checked out as a file holds the link's target (the
            # spec's examples/csv does this). Follow it; when the target is not
            # there either, the CSV files carry the spec's standard names.
            if target.exists():
                return _package_files_from(folder, json.loads(target.read_text(encoding="utf-8")))
            return {t: folder / f for t, f in TABLE_FILES.items() if (folder / f).exists()}
        raise HSDSError(
            descriptor.name, f"line {error.lineno}", "-", f"is not valid JSON ({error.msg})"
        ) from None
    return _package_files_from(folder, package)


def _package_files_from(folder: Path, package: dict) -> dict[str, Path]:
    files = {}
    for resource in package.get("resources", []):
        name = Path(str(resource.get("path", ""))).name
        table = FILE_TABLES.get(name)
        if table is None:
            continue  # a table the directory does not keep (funding, contacts, …)
        file = folder / resource["path"]
        if not file.exists():
            raise HSDSError(
                "datapackage.json",
                f"resource {resource.get('name', name)!r}",
                "path",
                f"{resource['path']} does not exist",
            )
        files[table] = file
    return files


def read_json(file: Path) -> Tables:
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise HSDSError(file.name, f"line {error.lineno}", "-", f"is not valid JSON ({error.msg})") from None
    except UnicodeDecodeError:
        raise HSDSError(file.name, "-", "-", "is not UTF-8 text") from None
    flat = _Flattener(file.name)
    if isinstance(data, dict) and any(key.endswith(".csv") for key in data):
        # The spec's tabular example: {"services.csv": [rows], ...}
        for key, rows in data.items():
            table = FILE_TABLES.get(key)
            if table:
                for index, row in enumerate(rows):
                    flat.add(table, f"{key}[{index}]", row)
        return flat.tables
    if isinstance(data, dict) and "contents" in data:
        data = data["contents"]
    items = data if isinstance(data, list) else [data]
    for index, item in enumerate(items):
        where = f"[{index}]" if isinstance(data, list) else "$"
        if not isinstance(item, dict):
            raise HSDSError(file.name, where, "-", "expected an object")
        if isinstance(item.get("service"), dict) or isinstance(item.get("location"), dict):
            flat.service_at_location(item, where)
        elif "location_type" in item:
            flat.location(item, where)
        elif "services" in item or ("name" in item and "status" not in item and "organization" not in item):
            flat.organization(item, where)
        else:
            flat.service(item, where)
    return flat.tables


class _Flattener:
    """Turns nested HSDS JSON into table rows, setting the foreign keys nesting implies."""

    def __init__(self, source: str):
        self.source = source
        self.tables: Tables = {table: [] for table in TABLE_FILES}

    def add(self, table: str, where: str, data: dict, **links) -> dict:
        if not isinstance(data, dict):
            raise HSDSError(self.source, where, "-", "expected an object")
        row = {k: v for k, v in data.items() if not isinstance(v, (list, dict))}
        row.update({k: v for k, v in links.items() if v and not row.get(k)})
        self.tables[table].append(Row(self.source, where, row))
        return row

    def organization(self, data: dict, where: str) -> None:
        self.add("organizations", where, data)
        for i, location in enumerate(data.get("locations") or []):
            self.location(location, f"{where}.locations[{i}]", organization_id=data.get("id"))
        for i, phone in enumerate(data.get("phones") or []):
            self.add("phones", f"{where}.phones[{i}]", phone, organization_id=data.get("id"))
        for i, service in enumerate(data.get("services") or []):
            self.service(service, f"{where}.services[{i}]", organization_id=data.get("id"))

    def location(self, data: dict, where: str, **links) -> None:
        self.add("locations", where, data, **links)
        lid = data.get("id")
        for i, address in enumerate(data.get("addresses") or []):
            self.add("addresses", f"{where}.addresses[{i}]", address, location_id=lid)
        for i, phone in enumerate(data.get("phones") or []):
            self.add("phones", f"{where}.phones[{i}]", phone, location_id=lid)
        for i, schedule in enumerate(data.get("schedules") or []):
            self.add("schedules", f"{where}.schedules[{i}]", schedule, location_id=lid)
        for i, language in enumerate(data.get("languages") or []):
            self.add("languages", f"{where}.languages[{i}]", language, location_id=lid)

    def service_at_location(self, data: dict, where: str) -> None:
        """A service_at_location object with its service and location nested (the API's form)."""
        service, location = data.get("service"), data.get("location")
        if isinstance(service, dict):
            self.service(service, f"{where}.service")
        if isinstance(location, dict):
            self.location(location, f"{where}.location")
        self.add(
            "service_at_location",
            where,
            data,
            service_id=service.get("id") if isinstance(service, dict) else None,
            location_id=location.get("id") if isinstance(location, dict) else None,
        )
        for i, phone in enumerate(data.get("phones") or []):
            self.add("phones", f"{where}.phones[{i}]", phone, service_at_location_id=data.get("id"))
        for i, schedule in enumerate(data.get("schedules") or []):
            self.add("schedules", f"{where}.schedules[{i}]", schedule, service_at_location_id=data.get("id"))

    def service(self, data: dict, where: str, organization_id: str | None = None) -> None:
        organization = data.get("organization")
        if isinstance(organization, dict):
            self.organization(organization, f"{where}.organization")
            organization_id = organization.get("id")
        sid = data.get("id")
        self.add("services", where, data, organization_id=organization_id)
        for i, phone in enumerate(data.get("phones") or []):
            self.add("phones", f"{where}.phones[{i}]", phone, service_id=sid)
        for i, schedule in enumerate(data.get("schedules") or []):
            self.add("schedules", f"{where}.schedules[{i}]", schedule, service_id=sid)
        for i, language in enumerate(data.get("languages") or []):
            self.add("languages", f"{where}.languages[{i}]", language, service_id=sid)
        for i, cost in enumerate(data.get("cost_options") or []):
            self.add("cost_options", f"{where}.cost_options[{i}]", cost, service_id=sid)
        for i, document in enumerate(data.get("required_documents") or []):
            self.add("required_documents", f"{where}.required_documents[{i}]", document, service_id=sid)
        for i, sal in enumerate(data.get("service_at_locations") or []):
            sal_where = f"{where}.service_at_locations[{i}]"
            location = sal.get("location") if isinstance(sal, dict) else None
            if isinstance(location, dict):
                self.location(location, f"{sal_where}.location")
            self.add(
                "service_at_location",
                sal_where,
                sal,
                service_id=sid,
                location_id=location.get("id") if isinstance(location, dict) else None,
            )
            for j, schedule in enumerate(sal.get("schedules") or []):
                self.add(
                    "schedules", f"{sal_where}.schedules[{j}]", schedule, service_at_location_id=sal.get("id")
                )
        for i, attribute in enumerate(data.get("attributes") or []):
            a_where = f"{where}.attributes[{i}]"
            term = attribute.get("taxonomy_term") if isinstance(attribute, dict) else None
            if isinstance(term, dict):
                detail = term.get("taxonomy_detail")
                if isinstance(detail, dict):
                    self.add("taxonomies", f"{a_where}.taxonomy_term.taxonomy_detail", detail)
                self.add(
                    "taxonomy_terms",
                    f"{a_where}.taxonomy_term",
                    term,
                    taxonomy_id=detail.get("id") if isinstance(detail, dict) else None,
                )
            self.add(
                "attributes",
                a_where,
                attribute,
                link_id=sid,
                link_entity="service",
                taxonomy_term_id=term.get("id") if isinstance(term, dict) else None,
            )


# Writing --------------------------------------------------------------------


def _by_id(model, rows_found: dict, row: Row, field: str, required: bool = False, strict: bool = True):
    """The object an id refers to: one imported in this run, or one already in the database."""
    ref = row.uuid(field, required=required)
    if ref is None:
        return None
    found = rows_found.get(ref) or model.objects.filter(hsds_id=ref).first()
    if found is None and strict:
        raise row.error(field, f"no {model._meta.verbose_name} with id {ref} in this import or the directory")
    return found


def _time_zone_from_offset(row: Row) -> str | None:
    offset = row.number("timezone")
    if offset is None:
        return None
    if offset != int(offset) or not -14 <= offset <= 14:
        raise row.error("timezone", f"{offset} is not a whole-hour UTC offset")
    # POSIX-style names count the other way: UTC+3 is Etc/GMT-3.
    return "Etc/UTC" if offset == 0 else f"Etc/GMT{-int(offset):+d}"


@transaction.atomic
def import_tables(tables: Tables) -> dict[str, int]:
    """Write the rows (see the module docstring). Returns how many rows of each table were imported."""
    found: dict[str, dict] = {table: {} for table in TABLE_FILES}
    counts = {table: len(rows) for table, rows in tables.items() if rows}

    for row in tables["taxonomies"]:
        obj, _ = Taxonomy.objects.update_or_create(
            hsds_id=row.uuid("id", required=True),
            defaults={
                "name": row.text("name", Taxonomy) or "Taxonomy",
                "description": row.text("description"),
                "uri": row.text("uri", Taxonomy),
                "version": row.text("version", Taxonomy),
            },
        )
        found["taxonomies"][obj.hsds_id] = obj
    parents = []
    for row in tables["taxonomy_terms"]:
        taxonomy = _by_id(Taxonomy, found["taxonomies"], row, "taxonomy_id", strict=False)
        defaults = {
            "code": row.text("code", TaxonomyTerm),
            "name": row.text("name", TaxonomyTerm),
            "description": row.text("description"),
            "language": row.text("language", TaxonomyTerm),
            "term_uri": row.text("term_uri", TaxonomyTerm),
            "taxonomy": taxonomy,
        }
        if not defaults["name"]:
            raise row.error("name", "is required")
        if taxonomy is None:
            defaults.pop("taxonomy")  # keep what a term already belongs to
        obj, created = TaxonomyTerm.objects.get_or_create(
            hsds_id=row.uuid("id", required=True), defaults=defaults
        )
        if not created and obj.facet == TaxonomyTerm.Facet.OTHER:
            # Our own vocabulary (facet set) keeps its names; imported terms follow the file.
            TaxonomyTerm.objects.filter(pk=obj.pk).update(**defaults)
        found["taxonomy_terms"][obj.hsds_id] = obj
        parents.append((obj, row))
    for obj, row in parents:
        parent = _by_id(TaxonomyTerm, found["taxonomy_terms"], row, "parent_id", strict=False)
        if parent is not None and parent.pk != obj.pk and obj.facet == TaxonomyTerm.Facet.OTHER:
            TaxonomyTerm.objects.filter(pk=obj.pk).update(parent=parent)

    for row in tables["organizations"]:
        name = row.text("name", Organization)
        if not name:
            raise row.error("name", "is required")
        obj, _ = Organization.objects.update_or_create(
            hsds_id=row.uuid("id", required=True),
            defaults={
                "name": name,
                "alternate_name": row.text("alternate_name", Organization),
                "description": row.text("description"),
                "email": row.text("email", Organization),
                "website": row.text("website", Organization),
            },
        )
        found["organizations"][obj.hsds_id] = obj

    for row in tables["services"]:
        name = row.text("name", Service)
        if not name:
            raise row.error("name", "is required")
        organization = _by_id(Organization, found["organizations"], row, "organization_id", required=True)
        defaults = {
            "organization": organization,
            "name": name,
            "alternate_name": row.text("alternate_name", Service),
            "description": row.text("description"),
            "url": row.text("url", Service),
            "email": row.text("email", Service),
            "status": row.choice("status", Service.Status, default="") or _missing(row, "status"),
            "interpretation_services": row.text("interpretation_services"),
            "application_process": row.text("application_process"),
            "fees_description": row.text("fees_description"),
            "eligibility_description": row.text("eligibility_description"),
            "minimum_age": row.number("minimum_age", integer=True),
            "maximum_age": row.number("maximum_age", integer=True),
            "alert": row.text("alert"),
            "last_verified_on": row.date("assured_date"),
            "assurer_email": row.text("assurer_email", Service),
        }
        for age in ("minimum_age", "maximum_age"):
            if defaults[age] is not None and not 0 <= defaults[age] <= 150:
                raise row.error(age, f"{defaults[age]} is not an age")
        obj, _ = Service.objects.update_or_create(hsds_id=row.uuid("id", required=True), defaults=defaults)
        found["services"][obj.hsds_id] = obj

    for row in tables["locations"]:
        organization = _by_id(Organization, found["organizations"], row, "organization_id", strict=False)
        defaults = {
            "organization": organization,
            "location_type": row.choice("location_type", Location.Type, default=Location.Type.PHYSICAL),
            "name": row.text("name", Location),
            "alternate_name": row.text("alternate_name", Location),
            "description": row.text("description"),
            "transportation": row.text("transportation"),
            "latitude": _coordinate(row, "latitude"),
            "longitude": _coordinate(row, "longitude"),
        }
        obj, _ = Location.objects.update_or_create(hsds_id=row.uuid("id", required=True), defaults=defaults)
        found["locations"][obj.hsds_id] = obj

    for row in tables["addresses"]:
        location = _by_id(Location, found["locations"], row, "location_id", required=True)
        defaults = {"location": location}
        for field in (
            "attention",
            "address_1",
            "address_2",
            "city",
            "region",
            "state_province",
            "postal_code",
            "country",
        ):
            defaults[field] = row.text(field, Address)
        for field in ("address_1", "city"):
            if not defaults[field]:
                raise row.error(field, "is required")
        defaults["address_type"] = row.choice("address_type", Address.Type, default=Address.Type.PHYSICAL)
        Address.objects.update_or_create(hsds_id=row.uuid("id", required=True), defaults=defaults)

    for row in tables["service_at_location"]:
        obj, _ = ServiceAtLocation.objects.update_or_create(
            hsds_id=row.uuid("id", required=True),
            defaults={
                "service": _by_id(Service, found["services"], row, "service_id", required=True),
                "location": _by_id(Location, found["locations"], row, "location_id", required=True),
                "description": row.text("description"),
            },
        )
        found["service_at_location"][obj.hsds_id] = obj

    for row in tables["phones"]:
        number = row.text("number", Phone).strip('"')
        if not number:
            raise row.error("number", "is required")
        service = _by_id(Service, found["services"], row, "service_id")
        sal = _by_id(ServiceAtLocation, found["service_at_location"], row, "service_at_location_id")
        obj, _ = Phone.objects.update_or_create(
            hsds_id=row.uuid("id", required=True),
            defaults={
                "service": service or (sal.service if sal else None),
                "location": _by_id(Location, found["locations"], row, "location_id"),
                "organization": _by_id(Organization, found["organizations"], row, "organization_id"),
                "number": number,
                "extension": row.text("extension", Phone),
                "type": row.text("type", Phone),
                "description": row.text("description", Phone),
            },
        )
        found["phones"][obj.hsds_id] = obj

    for row in tables["schedules"]:
        sal = _by_id(ServiceAtLocation, found["service_at_location"], row, "service_at_location_id")
        service = _by_id(Service, found["services"], row, "service_id") or (sal.service if sal else None)
        freq = row.text("freq").upper()
        if freq and freq not in Schedule.Freq.values:
            raise row.error("freq", f"{freq!r} is not one of WEEKLY, MONTHLY")
        byday = row.text("byday", Schedule).upper().replace(" ", "")
        for code in filter(None, byday.split(",")):
            if code[-2:] not in ("MO", "TU", "WE", "TH", "FR", "SA", "SU") or not _ordinal(code[:-2]):
                raise row.error("byday", f"{code!r} is not a day (MO, TU, …, or 1MO, -1FR)")
        zone = _time_zone_from_offset(row)
        if zone and service is not None and service.time_zone != zone:
            service.time_zone = zone
            service.save(update_fields=["time_zone"])
        Schedule.objects.update_or_create(
            hsds_id=row.uuid("id", required=True),
            defaults={
                "service": service,
                "service_at_location": sal,
                "location": _by_id(Location, found["locations"], row, "location_id"),
                "freq": freq or Schedule.Freq.WEEKLY,
                "interval": row.number("interval", integer=True),
                "byday": byday,
                "bymonthday": row.text("bymonthday", Schedule),
                "opens_at": row.time("opens_at"),
                "closes_at": row.time("closes_at"),
                "valid_from": row.date("valid_from"),
                "valid_to": row.date("valid_to"),
                "dtstart": row.date("dtstart"),
                "until": row.date("until"),
                "description": row.text("description"),
                "attending_type": row.text("attending_type", Schedule),
                "notes": row.text("notes"),
            },
        )

    for row in tables["languages"]:
        name = row.text("name", Language)
        if not name and not row.text("code"):
            raise row.error("name", "a language needs a name or a code")
        Language.objects.update_or_create(
            hsds_id=row.uuid("id", required=True),
            defaults={
                "service": _by_id(Service, found["services"], row, "service_id"),
                "location": _by_id(Location, found["locations"], row, "location_id"),
                "phone": _by_id(Phone, found["phones"], row, "phone_id", strict=False),
                "name": name or row.text("code"),
                "code": row.text("code", Language),
                "note": row.text("note", Language),
            },
        )

    for row in tables["cost_options"]:
        CostOption.objects.update_or_create(
            hsds_id=row.uuid("id", required=True),
            defaults={
                "service": _by_id(Service, found["services"], row, "service_id", required=True),
                "option": row.text("option", CostOption),
                "amount": row.number("amount"),
                "currency": row.text("currency", CostOption).upper(),
                "amount_description": row.text("amount_description", CostOption),
                "valid_from": row.date("valid_from"),
                "valid_to": row.date("valid_to"),
            },
        )

    documents: dict[Service, list[str]] = {}
    for row in tables["required_documents"]:
        row.uuid("id", required=True)
        service = _by_id(Service, found["services"], row, "service_id", required=True)
        if row.text("document"):
            documents.setdefault(service, []).append(row.text("document"))
    for service, lines in documents.items():
        Service.objects.filter(pk=service.pk).update(what_to_bring="\n".join(lines))

    tagged: dict[Service, list[TaxonomyTerm]] = {}
    for row in tables["attributes"]:
        row.uuid("id", required=True)
        if row.text("link_entity") not in ("service", ""):
            continue  # attributes of things the directory does not keep
        service = _by_id(Service, found["services"], row, "link_id", strict=False)
        term = _by_id(TaxonomyTerm, found["taxonomy_terms"], row, "taxonomy_term_id", strict=False)
        if service is None or term is None:
            continue
        if term.code == ACCESS_TERM[0]:
            service.access = row.choice("value", Service.Access, default="")
            service.save(update_fields=["access"])
        elif term.code == TIME_ZONE_TERM[0]:
            service.time_zone = _valid_zone(row)
            service.save(update_fields=["time_zone"])
        else:
            tagged.setdefault(service, []).append(term)
    for service, terms in tagged.items():
        service.set_terms(terms)

    # Some writes above bypass auto_now (update(), update_fields): say every imported
    # service changed, so the directory draws its row again (resources/listing.py).
    touch_services(service.pk for service in found["services"].values())
    forget_directory_chips()
    for service in found["services"].values():
        service.refresh_from_db()
        service.refresh_search_document()
    return counts


def _missing(row: Row, field: str):
    raise row.error(field, "is required")


def _ordinal(text: str) -> bool:
    return text == "" or text.lstrip("+-").isdigit()


def _coordinate(row: Row, field: str) -> Decimal | None:
    value = row.number(field)
    if value is None:
        return None
    if abs(value) >= 1000:
        raise row.error(field, f"{value} is out of range")
    return value.quantize(Decimal("0.000001"))


def _valid_zone(row: Row) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    value = row.text("value")
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise row.error("value", f"{value!r} is not a time zone name") from None
    return value


def import_path(path: str | Path) -> dict[str, int]:
    return import_tables(read_path(path))


# Export ---------------------------------------------------------------------


def _id(kind: str, *parts) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join([kind, *map(str, parts)])))


def _clean(data: dict, keep: tuple[str, ...] = ()) -> dict:
    """Drop empty values: the schemas check formats (email, uri) of any value present."""
    return {k: v for k, v in data.items() if k in keep or v not in (None, "", [])}


def _number(value):
    if value is None:
        return None
    return int(value) if value == int(value) else float(value)


def _attribute_terms() -> dict[str, TaxonomyTerm]:
    from resources.service_kinds import TAXONOMY_ID, term_id

    taxonomy = Taxonomy.objects.filter(hsds_id=TAXONOMY_ID).first()
    terms = {}
    for code, name in ATTRIBUTE_TERMS.items():
        terms[code], _ = TaxonomyTerm.objects.get_or_create(
            hsds_id=term_id(code), defaults={"code": code, "name": name, "taxonomy": taxonomy}
        )
    return terms


def export_services(services=None) -> list[dict]:
    """Every service as an HSDS 3.0 service object (service_with_definitions.json)."""
    attribute_terms = _attribute_terms()
    services = (
        (services if services is not None else Service.objects.all())
        .select_related("organization", "last_verified_by")
        .prefetch_related(
            "phones",
            "schedules",
            "languages",
            "cost_options",
            "terms__taxonomy",
            "service_at_locations__location__addresses",
        )
        .order_by("pk")
    )
    return [_service_object(service, attribute_terms) for service in services]


def _term_object(term: TaxonomyTerm) -> dict:
    data = {
        "id": str(term.hsds_id),
        "code": term.code,
        "name": term.name,
        "description": term.description,
        "parent_id": str(term.parent.hsds_id) if term.parent_id else None,
        "taxonomy": term.taxonomy.name if term.taxonomy_id else None,
        "language": term.language,
        "term_uri": term.term_uri,
    }
    if term.taxonomy_id:
        data["taxonomy_detail"] = _clean(
            {
                "id": str(term.taxonomy.hsds_id),
                "name": term.taxonomy.name,
                "description": term.taxonomy.description,
                "uri": term.taxonomy.uri,
                "version": term.taxonomy.version,
            },
            keep=("description",),
        )
    return _clean(data, keep=("description",))


def _service_object(service: Service, attribute_terms) -> dict:
    org = service.organization
    verifier_email = service.last_verified_by.email if service.last_verified_by else ""
    attributes = [
        {
            "id": _id("attribute", service.hsds_id, term.hsds_id),
            "link_id": str(service.hsds_id),
            "link_type": term.get_facet_display().lower(),
            "link_entity": "service",
            "taxonomy_term": _term_object(term),
        }
        for term in service.terms.all()
    ]
    for code, value in ((ACCESS_TERM[0], service.access), (TIME_ZONE_TERM[0], service.time_zone)):
        if value:
            term = attribute_terms[code]
            attributes.append(
                {
                    "id": _id("attribute", service.hsds_id, code),
                    "link_id": str(service.hsds_id),
                    "link_type": code,
                    "link_entity": "service",
                    "value": value,
                    "taxonomy_term": _term_object(term),
                }
            )
    return _clean(
        {
            "id": str(service.hsds_id),
            "organization_id": str(org.hsds_id),
            "name": service.name,
            "alternate_name": service.alternate_name,
            "description": service.description,
            "url": service.url,
            "email": service.email,
            "status": service.status,
            "interpretation_services": service.interpretation_services,
            "application_process": service.application_process,
            "fees_description": service.fees_description,
            "eligibility_description": service.eligibility_description,
            "minimum_age": service.minimum_age,
            "maximum_age": service.maximum_age,
            "assured_date": service.last_verified_on.isoformat() if service.last_verified_on else None,
            "assurer_email": verifier_email or service.assurer_email,
            "alert": service.alert,
            "last_modified": service.updated_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
            "organization": _clean(
                {
                    "id": str(org.hsds_id),
                    "name": org.name,
                    "alternate_name": org.alternate_name,
                    "description": org.description,
                    "email": org.email,
                    "website": org.website,
                },
                keep=("description",),
            ),
            "phones": [
                _clean(
                    {
                        "id": str(p.hsds_id),
                        "number": p.number,
                        "extension": _number_or_none(p.extension),
                        "type": p.type,
                        "description": p.description,
                    }
                )
                for p in service.phones.all()
            ],
            "schedules": [_schedule_object(s, service) for s in service.schedules.all()],
            "service_at_locations": [
                _clean(
                    {
                        "id": str(sal.hsds_id),
                        "description": sal.description,
                        "location": _location_object(sal.location),
                    }
                )
                for sal in service.service_at_locations.all()
            ],
            "languages": [
                _clean({"id": str(lang.hsds_id), "name": lang.name, "code": lang.code, "note": lang.note})
                for lang in service.languages.all()
            ],
            "cost_options": [_cost_object(c) for c in service.cost_options.all()],
            "required_documents": [
                {"id": _id("document", service.hsds_id, i), "document": line}
                for i, line in enumerate(service.what_to_bring_list())
            ],
            "attributes": attributes,
        }
    )


def _number_or_none(text: str):
    return int(text) if text and text.isdigit() else None


def _schedule_object(s: Schedule, service: Service | None) -> dict:
    offset = None
    zone = service.time_zone if service else ""
    if zone.startswith("Etc/GMT") and zone[7:]:
        offset = -int(zone[7:])  # Etc/GMT-3 is UTC+3
    return _clean(
        {
            "id": str(s.hsds_id),
            "freq": s.freq,
            "interval": s.interval,
            "byday": s.byday,
            "bymonthday": s.bymonthday,
            "opens_at": s.opens_at.isoformat() if s.opens_at else None,
            "closes_at": s.closes_at.isoformat() if s.closes_at else None,
            "valid_from": s.valid_from.isoformat() if s.valid_from else None,
            "valid_to": s.valid_to.isoformat() if s.valid_to else None,
            "dtstart": s.dtstart.isoformat() if s.dtstart else None,
            "until": s.until.isoformat() if s.until else None,
            "timezone": offset,
            "description": s.description,
            "attending_type": s.attending_type,
            "notes": s.notes,
        }
    )


def _location_object(location: Location) -> dict:
    return _clean(
        {
            "id": str(location.hsds_id),
            "location_type": location.location_type,
            "name": location.name,
            "alternate_name": location.alternate_name,
            "description": location.description,
            "transportation": location.transportation,
            "latitude": _number(location.latitude),
            "longitude": _number(location.longitude),
            "organization_id": str(location.organization.hsds_id) if location.organization_id else None,
            "addresses": [_address_object(a) for a in location.addresses.all()],
        }
    )


def _address_object(a: Address) -> dict:
    return _clean(
        {
            "id": str(a.hsds_id),
            "attention": a.attention,
            "address_1": a.address_1,
            "address_2": a.address_2,
            "city": a.city,
            "region": a.region,
            "state_province": a.state_province,
            "postal_code": a.postal_code,
            "country": a.country,
            "address_type": a.address_type,
        },
        keep=("state_province", "postal_code", "country"),
    )


def _cost_object(c: CostOption) -> dict:
    return _clean(
        {
            "id": str(c.hsds_id),
            "option": c.option,
            "amount": _number(c.amount),
            "currency": c.currency,
            "amount_description": c.amount_description,
            "valid_from": c.valid_from.isoformat() if c.valid_from else None,
            "valid_to": c.valid_to.isoformat() if c.valid_to else None,
        }
    )


def services_to_tables(objects: list[dict]) -> dict[str, dict[str, dict]]:
    """Service objects to tabular rows, keyed by id (shared rows, such as organizations, appear once)."""
    tables: dict[str, dict[str, dict]] = {table: {} for table in TABLE_FILES}

    def put(table, row):
        tables[table][row["id"]] = row

    for service in objects:
        sid = service["id"]
        org = service["organization"]
        put("organizations", org)
        put("services", {k: v for k, v in service.items() if not isinstance(v, (list, dict))})
        for phone in service.get("phones", []):
            put("phones", {**phone, "service_id": sid})
        for schedule in service.get("schedules", []):
            put("schedules", {**schedule, "service_id": sid})
        for language in service.get("languages", []):
            put("languages", {**language, "service_id": sid})
        for cost in service.get("cost_options", []):
            put("cost_options", {**cost, "service_id": sid})
        for document in service.get("required_documents", []):
            put("required_documents", {**document, "service_id": sid})
        for sal in service.get("service_at_locations", []):
            location = sal["location"]
            put("locations", {k: v for k, v in location.items() if k != "addresses"})
            for address in location.get("addresses", []):
                put("addresses", {**address, "location_id": location["id"]})
            put(
                "service_at_location",
                {
                    "id": sal["id"],
                    "service_id": sid,
                    "location_id": location["id"],
                    "description": sal.get("description"),
                },
            )
        for attribute in service.get("attributes", []):
            term = attribute["taxonomy_term"]
            detail = term.get("taxonomy_detail")
            if detail:
                put("taxonomies", detail)
            put(
                "taxonomy_terms",
                {
                    **{k: v for k, v in term.items() if k != "taxonomy_detail"},
                    "taxonomy_id": detail["id"] if detail else None,
                },
            )
            put(
                "attributes",
                {
                    **{k: v for k, v in attribute.items() if k != "taxonomy_term"},
                    "taxonomy_term_id": term["id"],
                },
            )
    return tables


# Each table's columns, in the order of the spec's tabular schema (schema/compiled/tabular.json);
# the numeric ones are typed "number" in datapackage.json.
TABLE_COLUMNS = {
    "organizations": (
        "id name alternate_name description email website tax_status tax_id "
        "year_incorporated legal_status logo uri parent_organization_id"
    ),
    "services": (
        "id organization_id program_id name alternate_name description url email status "
        "interpretation_services application_process fees_description wait_time fees "
        "accreditations eligibility_description minimum_age maximum_age assured_date "
        "assurer_email licenses alert last_modified"
    ),
    "locations": (
        "id location_type url organization_id name alternate_name description "
        "transportation latitude longitude external_identifier external_identifier_type"
    ),
    "addresses": (
        "id location_id attention address_1 address_2 city region state_province "
        "postal_code country address_type"
    ),
    "service_at_location": ("id service_id location_id description"),
    "phones": (
        "id location_id service_id organization_id contact_id service_at_location_id "
        "number extension type description"
    ),
    "schedules": (
        "id service_id location_id service_at_location_id valid_from valid_to dtstart "
        "timezone until count wkst freq interval byday byweekno bymonthday byyearday "
        "description opens_at closes_at schedule_link attending_type notes"
    ),
    "languages": ("id service_id location_id phone_id name code note"),
    "cost_options": ("id service_id valid_from valid_to option currency amount amount_description"),
    "required_documents": ("id service_id document uri"),
    "taxonomies": ("id name description uri version"),
    "taxonomy_terms": ("id code name description parent_id taxonomy language taxonomy_id term_uri"),
    "attributes": ("id link_id taxonomy_term_id link_type link_entity value"),
}
NUMBER_COLUMNS = {
    "year_incorporated",
    "minimum_age",
    "maximum_age",
    "latitude",
    "longitude",
    "extension",
    "timezone",
    "count",
    "interval",
    "amount",
}


def export_path(folder: str | Path) -> dict[str, int]:
    """Write services.json and a CSV tabular data package into `folder`. Returns rows per table."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    objects = export_services()
    (folder / "services.json").write_text(json.dumps(objects, indent=2, ensure_ascii=False) + "\n")
    tables = services_to_tables(objects)
    resources = []
    for table, rows in tables.items():
        columns = TABLE_COLUMNS[table].split()
        path = TABLE_FILES[table]
        with (folder / path).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
            writer.writeheader()
            for row in rows.values():
                writer.writerow({k: "" if row.get(k) is None else row.get(k) for k in columns})
        resources.append(
            {
                "name": SCHEMA_NAMES[table],
                "path": path,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": [
                        {"name": c, "type": "number" if c in NUMBER_COLUMNS else "string"} for c in columns
                    ],
                    "primaryKey": "id",
                },
            }
        )
    package = {
        "name": "peer-companion-directory",
        "title": "Referral directory (HSDS 3.0)",
        "profile": "tabular-data-package",
        "created": timezone.now().isoformat(),
        "resources": resources,
    }
    (folder / "datapackage.json").write_text(json.dumps(package, indent=2) + "\n")
    return {table: len(rows) for table, rows in tables.items()}
