"""Open Referral HSDS 3.0 import and export for the referral directory.

Import reads a tabular data package (a folder of CSV files, one per table,
with datapackage.json) or HSDS JSON (one object, a list, an API page
`{"contents": [...]}`, or the `{"services.csv": [rows]}` form of the spec's
tabular example). HSDS 3.1 is read where it is 3.0-compatible; HSDS 1.x and
2.0 are refused with a message, never half-read. Then `Importer` writes the
records and returns a `Report`:

- every record is written (created, updated, unchanged), merged or refused
  with a reason. Nested JSON repeats a record wherever it is linked (the
  spec's service_full.json has one phone in ten places): the same id with the
  same content is one record, linked everywhere it appears; the same id with
  different content is an error naming both places;
- objects are told apart by their shape and the table a file describes;
  fields and tables we do not keep are counted for the end-of-import warning
  (`strict=True` makes them errors);
- updates by id change only the fields the file carries (a CSV column in the
  header, a JSON key present); `replace=True` clears absent ones;
- idempotent (matched on the HSDS `id`, our `hsds_id`) and atomic (one
  transaction; the first bad value raises HSDSError naming file, record,
  field and what to do, and nothing is kept);
- CSV is streamed a chunk of rows at a time, so memory grows only with the
  ids index (a few hundred bytes a record), not with the file. A JSON
  document is read whole (the standard library has no streaming parser),
  bounded by the file-size limit;
- lenient where the spec's own examples are: references that are only
  descriptive (a term's parent or taxonomy, a location's organization) are
  dropped and counted when they point nowhere; references the directory
  needs (a service's organization) must resolve.

Export writes both forms to a folder: CSV files plus datapackage.json, and
services.json (a list of full service objects). docs/directory.md maps each
field.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import time as clock
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from resources.listing import touch_services
from resources.models import (
    SEARCH_FIELDS,
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
    forget_directory_languages,
    rebuild_weekly_openings,
)
from resources.service_kinds import NAMESPACE

# Our own attributes: what a peer needs that HSDS has no column for. Each is
# an HSDS attribute linked to one of these terms, its value in `value`.
ACCESS_TERM = ("PC-ACCESS", gettext_noop("Access: walk-in or appointment"))
TIME_ZONE_TERM = ("PC-TZ", gettext_noop("Time zone of the service's hours (IANA name)"))
ATTRIBUTE_TERMS = dict([ACCESS_TERM, TIME_ZONE_TERM])

# HSDS table name -> file name in a tabular package (as in the spec's tabular schema),
# in the order they are written: every reference points to a table written before.
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
# A table by any name a package gives it: 3.0 files are plural, 3.1's examples singular.
TABLE_NAMES = {**{t: t for t in TABLE_FILES}, **{s: t for t, s in SCHEMA_NAMES.items()}}
# HSDS 3.0 and 3.1 tables the directory does not keep: named in the warning, never an error
# unless strict.
OTHER_TABLES = {
    "accessibility",
    "contacts",
    "contact",
    "funding",
    "service_areas",
    "service_area",
    "programs",
    "program",
    "organization_identifiers",
    "organization_identifier",
    "metadata",
    "meta_table_descriptions",
    "meta_table_description",
    "url",
    "urls",
    "service_capacity",
    "unit",
    "units",
}
# HSDS 1.x and 2.0 tables that 3.0 renamed or folded into others.
OLD_TABLES = {
    "services_at_location",
    "physical_addresses",
    "postal_addresses",
    "regular_schedules",
    "holiday_schedules",
    "service_attributes",
    "services_taxonomy",
    "accessibility_for_disabilities",
    "payments_accepted",
    "eligibility",
    "other_attributes",
}
# Import errors and warnings are the import_hsds command's console output, for operators: English.
OLD_VERSION_HELP = (
    "this import reads HSDS 3.0 (and 3.1 where it is 3.0-compatible). Convert the data to HSDS 3.0 "  # i18n: not shown
    "first: services_at_location became service_at_location, physical_addresses and postal_addresses "
    "became addresses, regular_schedules and holiday_schedules became schedules, and every id is a UUID."
)

# Long text (descriptions, eligibility, notes) has no column limit in the database; a
# service page and its search document should not become megabytes.
TEXT_LIMIT = 10_000
DEFAULT_MAX_MEGABYTES = 50
CHUNK = 500


class HSDSError(Exception):
    """A bad value in an import: says where (file, record, field) and what is wrong."""

    def __init__(self, source: str, row: str, field: str, message: str):
        self.source, self.row, self.field = source, row, field
        super().__init__(f"{source}, {row}, field {field!r}: {message}")


@dataclass
class Row:
    source: str  # file name
    where: str  # "row 3" in a CSV (the header is row 1), a JSON path in JSON
    data: dict  # the record's own fields
    # References implied by where a JSON object was nested (a phone under a service).
    links: dict = field(default_factory=dict)

    def error(self, field: str, message: str) -> HSDSError:
        return HSDSError(self.source, self.where, field, message)

    def has(self, field: str) -> bool:
        return field in self.data or self.links.get(field) is not None

    def get(self, field: str):
        value = self.data.get(field)
        return self.links.get(field) if value in (None, "") else value

    def text(self, field: str, limit: int | None = TEXT_LIMIT) -> str:
        value = self.get(field)
        if value is None:
            return ""
        if isinstance(value, (dict, list)):
            raise self.error(field, "expected text, got a nested object or list")
        value = str(value).strip()
        if "\x00" in value:
            raise self.error(field, "contains a NUL character (\\u0000), which no text field can keep")
        if limit and len(value) > limit:
            raise self.error(field, f"is {len(value):,} characters long; the most we keep is {limit:,}")
        return value

    def uuid(self, field: str, required: bool = False) -> uuid.UUID | None:
        value = self.text(field, limit=100)
        if not value:
            if required:
                raise self.error(field, "is required")
            return None
        try:
            return uuid.UUID(value)
        except ValueError:
            raise self.error(field, f"{value!r} is not a UUID") from None

    def date(self, field: str) -> date | None:
        value = self.text(field, limit=40)
        if not value:
            return None
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            raise self.error(field, f"{value!r} is not a date (YYYY-MM-DD)") from None

    def time(self, field: str) -> time | None:
        value = self.text(field, limit=40)
        if not value:
            return None
        try:
            parsed = time.fromisoformat(value.replace("Z", ""))
        except ValueError:
            raise self.error(field, f"{value!r} is not a time (HH:MM or HH:MM:SS)") from None
        return parsed.replace(tzinfo=None)

    def number(self, field: str, integer: bool = False) -> Decimal | int | None:
        value = self.get(field)
        if isinstance(value, bool):
            raise self.error(field, f"{value!r} is not a number")
        value = self.text(field, limit=40)
        if not value:
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise self.error(field, f"{value!r} is not a number") from None
        if not number.is_finite():
            raise self.error(field, f"{value!r} is not a number")
        if integer:
            if number != number.to_integral_value():
                raise self.error(field, f"{value!r} is not a whole number")
            return int(number)
        return number

    def choice(self, field: str, choices, default: str = "") -> str:
        value = self.text(field, limit=100)
        if not value:
            return default
        allowed = [c.value for c in choices]
        if value not in allowed:
            raise self.error(field, f"{value!r} is not one of {', '.join(a for a in allowed if a)}")
        return value


# Parsers: what a field of a row becomes in the model. Each also gives the value of an
# absent field (a new record, or --replace), as the field is then read as empty.


def _text(model, name: str) -> Callable[[Row, str], str]:
    limit = model._meta.get_field(name).max_length or TEXT_LIMIT
    return lambda row, field: row.text(field, limit)


def _email(model, name: str):
    parse = _text(model, name)

    def email(row: Row, field: str) -> str:
        value = parse(row, field)
        try:
            value and EmailValidator()(value)
        except ValidationError:
            raise row.error(field, f"{value!r} is not an email address") from None
        return value

    return email


def _url(model, name: str):
    parse = _text(model, name)

    def url(row: Row, field: str) -> str:
        value = parse(row, field)
        try:
            value and URLValidator()(value)
        except ValidationError:
            raise row.error(field, f"{value!r} is not a web address (http:// or https://)") from None
        return value

    return url


def _choice(choices, default=""):
    return lambda row, field: row.choice(field, choices, default=default)


def _date(row: Row, field: str):
    return row.date(field)


def _time(row: Row, field: str):
    return row.time(field)


def _age(row: Row, field: str) -> int | None:
    value = row.number(field, integer=True)
    if value is not None and not 0 <= value <= 150:
        raise row.error(field, f"{value} is not an age (0 to 150)")
    return value


def _coordinate(row: Row, field: str) -> Decimal | None:
    value = row.number(field)
    if value is None:
        return None
    if abs(value) >= 1000:
        raise row.error(field, f"{value} is out of range")
    return value.quantize(Decimal("0.000001"))


def _amount(row: Row, field: str) -> Decimal | None:
    value = row.number(field)
    if value is None:
        return None
    if not 0 <= value < 10**8:
        raise row.error(field, f"{value} is not an amount we can keep (0 to 99,999,999.99)")
    return value.quantize(Decimal("0.01"))


def _currency(row: Row, field: str) -> str:
    value = row.text(field, limit=3).upper()
    if value and not re.fullmatch(r"[A-Z]{3}", value):
        raise row.error(field, f"{value!r} is not a currency code (ISO 4217, e.g. USD)")
    return value


def _phone_number(row: Row, field: str) -> str:
    # The spec's examples quote the number inside the string: "\"+44 1234 234567\"".
    return row.text(field, Phone._meta.get_field("number").max_length).strip('"')


def _interval(row: Row, field: str) -> int | None:
    value = row.number(field, integer=True)
    if value is not None and value < 1:
        raise row.error(field, f"{value} is not an interval: RFC 5545 wants a whole number of 1 or more")
    if value is not None and value > 32767:
        raise row.error(field, f"{value} is more than the largest interval we keep, 32767")
    return value


def _freq(row: Row, field: str) -> str:
    value = row.text(field, limit=20).upper()
    if value and value not in Schedule.Freq.values:
        raise row.error(field, f"{value!r} is not one of WEEKLY, MONTHLY")
    return value or Schedule.Freq.WEEKLY


DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _byday(row: Row, field: str) -> str:
    value = row.text(field, Schedule._meta.get_field("byday").max_length).upper().replace(" ", "")
    for code in filter(None, value.split(",")):
        ordinal = code[:-2]
        if code[-2:] not in DAYS or not re.fullmatch(r"([+-]?([1-9]|[1-4][0-9]|5[0-3]))?", ordinal):
            raise row.error(
                field,
                f"{code!r} is not a day: RFC 5545 wants MO … SU, or a week number from 1 to 53 "
                "(or -1 to -53) before it, as in 1MO or -1FR",
            )
    return value


def _numbers(low: int, high: int, what: str, keep: bool = True):
    """A comma-separated BY… list of RFC 5545: each 1..high or -high..-1 (`low` 0 allows 0)."""

    def parse(row: Row, field: str) -> str:
        limit = Schedule._meta.get_field(field).max_length if keep else 200
        value = row.text(field, limit).replace(" ", "")
        for item in filter(None, value.split(",")):
            if not re.fullmatch(r"[+-]?\d{1,4}", item) or not (low <= abs(int(item)) <= high):
                raise row.error(field, f"{item!r} is not {what}: RFC 5545 wants 1 to {high}, or -1 to -{high}")
        return value

    return parse


def _count(row: Row, field: str):
    value = row.number(field, integer=True)
    if value is not None and value < 1:
        raise row.error(field, f"{value} is not a count: RFC 5545 wants a whole number of 1 or more")
    return value


def _wkst(row: Row, field: str):
    value = row.text(field, limit=10).upper()
    if value and value not in DAYS:
        raise row.error(field, f"{value!r} is not a day: RFC 5545 wants MO, TU, WE, TH, FR, SA or SU")
    return value


@dataclass(frozen=True)
class Ref:
    field: str  # the HSDS column, e.g. organization_id
    attname: str  # our foreign key column, e.g. organization_id
    table: str  # the table it points to
    strict: bool = True  # False: descriptive, dropped (and counted) when it points nowhere
    required: bool = False  # a new record needs it


@dataclass(frozen=True)
class Table:
    model: type[models.Model]
    fields: dict  # HSDS field -> (our field, parser)
    refs: tuple[Ref, ...] = ()
    required: tuple[str, ...] = ()  # HSDS fields a new record needs
    # Fields read and checked but not kept (listed in the warning like any other).
    checked: dict = field(default_factory=dict)


def _fields(model, spec: dict) -> dict:
    return {
        hsds: (name, parse(model, name) if parse in (_text, _email, _url) else parse)
        for hsds, (name, parse) in spec.items()
    }


TABLES: dict[str, Table] = {
    "taxonomies": Table(
        Taxonomy,
        _fields(
            Taxonomy,
            {
                "name": ("name", _text),
                "description": ("description", _text),
                "uri": ("uri", _url),
                "version": ("version", _text),
            },
        ),
        required=("name",),
    ),
    "taxonomy_terms": Table(
        TaxonomyTerm,
        _fields(
            TaxonomyTerm,
            {
                "code": ("code", _text),
                "name": ("name", _text),
                "description": ("description", _text),
                "language": ("language", _text),
                "term_uri": ("term_uri", _url),
            },
        ),
        refs=(Ref("taxonomy_id", "taxonomy_id", "taxonomies", strict=False),),
        required=("name",),
    ),
    "organizations": Table(
        Organization,
        _fields(
            Organization,
            {
                "name": ("name", _text),
                "alternate_name": ("alternate_name", _text),
                "description": ("description", _text),
                "email": ("email", _email),
                "website": ("website", _url),
            },
        ),
        required=("name",),
    ),
    "services": Table(
        Service,
        _fields(
            Service,
            {
                "name": ("name", _text),
                "alternate_name": ("alternate_name", _text),
                "description": ("description", _text),
                "url": ("url", _url),
                "email": ("email", _email),
                "status": ("status", _choice(Service.Status)),
                "interpretation_services": ("interpretation_services", _text),
                "application_process": ("application_process", _text),
                "fees_description": ("fees_description", _text),
                "eligibility_description": ("eligibility_description", _text),
                "minimum_age": ("minimum_age", _age),
                "maximum_age": ("maximum_age", _age),
                "alert": ("alert", _text),
                "assured_date": ("last_verified_on", _date),
                "assurer_email": ("assurer_email", _email),
            },
        ),
        refs=(Ref("organization_id", "organization_id", "organizations", required=True),),
        required=("name", "status"),
    ),
    "locations": Table(
        Location,
        _fields(
            Location,
            {
                "location_type": ("location_type", _choice(Location.Type, Location.Type.PHYSICAL)),
                "name": ("name", _text),
                "alternate_name": ("alternate_name", _text),
                "description": ("description", _text),
                "transportation": ("transportation", _text),
                "latitude": ("latitude", _coordinate),
                "longitude": ("longitude", _coordinate),
            },
        ),
        refs=(Ref("organization_id", "organization_id", "organizations", strict=False),),
    ),
    "addresses": Table(
        Address,
        _fields(
            Address,
            {
                **{
                    f: (f, _text)
                    for f in (
                        "attention",
                        "address_1",
                        "address_2",
                        "city",
                        "region",
                        "state_province",
                        "postal_code",
                        "country",
                    )
                },
                "address_type": ("address_type", _choice(Address.Type, Address.Type.PHYSICAL)),
            },
        ),
        refs=(Ref("location_id", "location_id", "locations", required=True),),
        required=("address_1", "city"),
    ),
    "service_at_location": Table(
        ServiceAtLocation,
        _fields(ServiceAtLocation, {"description": ("description", _text)}),
        refs=(
            Ref("service_id", "service_id", "services", required=True),
            Ref("location_id", "location_id", "locations", required=True),
        ),
    ),
    "phones": Table(
        Phone,
        _fields(
            Phone,
            {
                "number": ("number", _phone_number),
                "extension": ("extension", _text),
                "type": ("type", _text),
                "description": ("description", _text),
            },
        ),
        refs=(
            Ref("service_id", "service_id", "services"),
            Ref("service_at_location_id", "", "service_at_location"),
            Ref("location_id", "location_id", "locations"),
            Ref("organization_id", "organization_id", "organizations"),
        ),
        required=("number",),
    ),
    "schedules": Table(
        Schedule,
        _fields(
            Schedule,
            {
                "freq": ("freq", _freq),
                "interval": ("interval", _interval),
                "byday": ("byday", _byday),
                "bymonthday": ("bymonthday", _numbers(1, 31, "a day of the month")),
                "opens_at": ("opens_at", _time),
                "closes_at": ("closes_at", _time),
                "valid_from": ("valid_from", _date),
                "valid_to": ("valid_to", _date),
                "dtstart": ("dtstart", _date),
                "until": ("until", _date),
                "description": ("description", _text),
                "attending_type": ("attending_type", _text),
                "notes": ("notes", _text),
            },
        ),
        refs=(
            Ref("service_id", "service_id", "services"),
            Ref("service_at_location_id", "service_at_location_id", "service_at_location"),
            Ref("location_id", "location_id", "locations"),
        ),
        checked={
            "count": _count,
            "wkst": _wkst,
            "byweekno": _numbers(1, 53, "a week number", keep=False),
            "byyearday": _numbers(1, 366, "a day of the year", keep=False),
        },
    ),
    "languages": Table(
        Language,
        _fields(Language, {"name": ("name", _text), "code": ("code", _text), "note": ("note", _text)}),
        refs=(
            Ref("service_id", "service_id", "services"),
            Ref("location_id", "location_id", "locations"),
            Ref("phone_id", "phone_id", "phones", strict=False),
        ),
    ),
    "cost_options": Table(
        CostOption,
        _fields(
            CostOption,
            {
                "option": ("option", _text),
                "amount": ("amount", _amount),
                "currency": ("currency", _currency),
                "amount_description": ("amount_description", _text),
                "valid_from": ("valid_from", _date),
                "valid_to": ("valid_to", _date),
            },
        ),
        refs=(Ref("service_id", "service_id", "services", required=True),),
    ),
}
# Written by hand (they become Service fields and tags), read like the others.
SPECIAL_FIELDS = {
    "required_documents": {"service_id", "document"},
    "attributes": {"link_id", "link_type", "link_entity", "value", "taxonomy_term_id"},
    "taxonomy_terms": {"parent_id", "taxonomy"},  # taxonomy: the name, a copy of taxonomy_id's
    "schedules": {"timezone"},
}
KEPT_FIELDS = {
    table: {"id"}
    | set(spec.fields)
    | {r.field for r in spec.refs}
    | set(spec.checked)
    | SPECIAL_FIELDS.get(table, set())
    for table, spec in TABLES.items()
} | {table: {"id"} | fields for table, fields in SPECIAL_FIELDS.items() if table not in TABLES}
# Checked, so known, but not kept: still named in the warning.
NOT_KEPT_CHECKED = {("schedules", f) for f in TABLES["schedules"].checked}


# Report ---------------------------------------------------------------------


@dataclass
class Report:
    """What an import did, record by record, for the command's summary."""

    counts: dict[str, Counter] = field(default_factory=lambda: {t: Counter() for t in TABLE_FILES})
    skipped: list[str] = field(default_factory=list)  # one plain sentence a skipped record
    not_kept: Counter = field(default_factory=Counter)  # "services.wait_time" -> records carrying it
    tables_not_kept: Counter = field(default_factory=Counter)  # "contacts" -> records
    dropped_references: Counter = field(default_factory=Counter)  # "taxonomy_terms.parent_id" -> n
    records: int = 0
    seconds: float = 0.0

    def get(self, table: str, default: int = 0) -> int:
        """Records of `table` the directory now holds from the file (created, updated or unchanged):
        what import_path returned as a dict before it returned a Report."""
        count = self.counts.get(table)
        return count["created"] + count["updated"] + count["unchanged"] if count else default

    def skip(self, table: str, row: Row, reason: str) -> None:
        self.counts[table]["skipped"] += 1
        self.skipped.append(f"{row.source}, {row.where}: {reason}")

    def summary_lines(self) -> list[str]:
        lines = []
        for table, count in self.counts.items():
            if count:
                parts = [f"{count[k]} {k}" for k in ("created", "updated", "unchanged", "skipped") if count[k]]
                if count["repeated"]:
                    parts.append(f"{count['repeated']} repeated in the file (merged)")
                lines.append(f"{table}: {', '.join(parts) or 'nothing'}")
        return lines

    def warnings(self) -> list[str]:
        lines = []
        if self.not_kept:
            fields = ", ".join(f"{name} ({n})" for name, n in sorted(self.not_kept.items()))
            lines.append(f"Fields the directory does not keep (records carrying them): {fields}.")  # i18n: not shown
        if self.tables_not_kept:
            tables = ", ".join(f"{name} ({n})" for name, n in sorted(self.tables_not_kept.items()))
            lines.append(f"Tables the directory does not keep (records): {tables}.")  # i18n: not shown
        if self.dropped_references:
            refs = ", ".join(f"{name} ({n})" for name, n in sorted(self.dropped_references.items()))
            dropped = (
                f"References to records in neither the file nor the directory, dropped: {refs}."  # i18n: not shown
            )
            lines.append(dropped)
        return lines


# Reading --------------------------------------------------------------------


def _check_size(file: Path, max_bytes: int | None) -> None:
    if max_bytes is None:
        return
    size = file.stat().st_size
    if size > max_bytes:
        raise HSDSError(
            file.name,
            "-",
            "-",
            f"is {size / 1e6:.1f} MB, over the limit of {max_bytes / 1e6:g} MB. "  # i18n: not shown
            f"If the file is right, "
            f"raise the limit (import_hsds --max-size {int(size / 1e6) + 1}).",
        )


def _table_name(name: str) -> str:
    return Path(name).name.removesuffix(".csv").removesuffix(".json").lower()


def _digest(data: dict) -> int:
    digest = hashlib.blake2b(json.dumps(data, sort_keys=True, default=str).encode(), digest_size=8).digest()
    return int.from_bytes(digest)


class _Index(dict):
    """HSDS id (as an int) -> our pk, a digest of the record and its CSV row, packed in one int.

    The import keeps one entry a record, to resolve references to records of this
    run and to tell a repeated id from a new one; packed, an entry is about a
    hundred bytes, a tuple of the three took three times that.
    """

    def put(self, key: int, pk: int, digest: int, where: str) -> None:
        line = int(where[4:]) if where.startswith("row ") and where[4:].isdigit() else 0
        self[key] = (pk << 96) | (min(line, 2**32 - 1) << 64) | digest

    def pk(self, key: int) -> int | None:
        packed = self.get(key)
        return None if packed is None else packed >> 96

    def entry(self, key: int) -> tuple[int, int, str] | None:
        packed = self.get(key)
        if packed is None:
            return None
        line = (packed >> 64) & (2**32 - 1)
        return packed >> 96, packed & (2**64 - 1), f"row {line}" if line else "an earlier record"


class Source:
    """Rows of each table we keep, in write order, from a package folder or a JSON file."""

    def __init__(self, path: str | Path, report: Report, max_bytes: int | None):
        self.path, self.report, self.max_bytes = Path(path), report, max_bytes

    def tables(self) -> Iterator[tuple[str, Iterable[Row]]]:
        if self.path.is_dir():
            return self._package()
        if self.path.suffix.lower() == ".json":
            _check_size(self.path, self.max_bytes)
            return iter(read_json(self.path, self.report).items())
        raise HSDSError(str(self.path), "-", "-", "expected a folder with datapackage.json, or a .json file")

    def _package(self) -> Iterator[tuple[str, Iterable[Row]]]:
        files = _package_files(self.path, self.report)
        for file in files.values():
            _check_size(file, self.max_bytes)
        for table in TABLE_FILES:
            if table in files:
                yield table, _csv_rows(files[table], table, self.report)


def _csv_rows(file: Path, table: str, report: Report) -> Iterator[Row]:
    try:
        with file.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            if not reader.fieldnames or "id" not in reader.fieldnames:
                raise HSDSError(file.name, "row 1", "id", "the header has no id column")
            not_kept = [name for name in reader.fieldnames if name not in KEPT_FIELDS[table]]
            not_kept += [name for name in reader.fieldnames if (table, name) in NOT_KEPT_CHECKED]
            for line, record in enumerate(reader, start=2):
                if None in record:
                    raise HSDSError(file.name, f"row {line}", "-", "more values than the header has columns")
                for name in not_kept:
                    if record[name]:
                        report.not_kept[f"{table}.{name}"] += 1
                yield Row(file.name, f"row {line}", record)
    except UnicodeDecodeError:
        raise HSDSError(file.name, "-", "-", "is not UTF-8 text") from None
    except csv.Error as error:
        raise HSDSError(file.name, "-", "-", f"is not a readable CSV file ({error})") from None


def _count_rows(file: Path) -> int:
    try:
        with file.open(newline="", encoding="utf-8-sig") as handle:
            return max(sum(1 for _ in csv.reader(handle)) - 1, 0)
    except (UnicodeDecodeError, csv.Error):
        return 0


def _refuse_old_tables(names: Iterable[str], source: str) -> None:
    old = sorted({_table_name(n) for n in names} & OLD_TABLES)
    if old:
        raise HSDSError(
            source,
            "-",
            "-",
            f"has HSDS 1.x/2.0 tables ({', '.join(old)}). HSDS 1.1 is not supported: " + OLD_VERSION_HELP,
        )


def _package_files(folder: Path, report: Report) -> dict[str, Path]:
    descriptor = folder / "datapackage.json"
    if not descriptor.exists():
        problem = "no datapackage.json: is this an HSDS tabular data package?"  # i18n: not shown
        raise HSDSError(str(folder), "-", "-", problem)
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
                return _package_files_from(folder, json.loads(target.read_text(encoding="utf-8")), report)
            return _package_files_from(
                folder, {"resources": [{"path": p.name} for p in sorted(folder.glob("*.csv"))]}, report
            )
        raise HSDSError(descriptor.name, f"line {error.lineno}", "-", f"is not valid JSON ({error.msg})") from None
    if not isinstance(package, dict) or not isinstance(package.get("resources"), list):
        raise HSDSError(descriptor.name, "-", "resources", "expected a data package with a list of resources")
    return _package_files_from(folder, package, report)


def _package_files_from(folder: Path, package: dict, report: Report) -> dict[str, Path]:
    resources = [r for r in package["resources"] if isinstance(r, dict)]
    paths = [str(r.get("path", "")) for r in resources]
    # The folder too: 1.1's sample package lists only some of its files.
    names = paths + [str(r.get("name", "")) for r in resources] + [p.name for p in folder.glob("*.csv")]
    _refuse_old_tables(names, "datapackage.json")
    version = str(package.get("version", ""))
    if re.match(r"[12]\.", version):
        raise HSDSError(
            "datapackage.json", "-", "version", f"is {version}: HSDS {version} is not supported: " + OLD_VERSION_HELP
        )
    files = {}
    for resource in resources:
        path = str(resource.get("path", ""))
        name = _table_name(path) if path else _table_name(str(resource.get("name", "")))
        table = TABLE_NAMES.get(name) or TABLE_NAMES.get(_table_name(str(resource.get("name", ""))))
        file = folder / path
        if table is None:
            # A table the directory does not keep (funding, contacts, …) or one HSDS does not
            # have: counted for the warning.
            report.tables_not_kept[name] += _count_rows(file) if file.is_file() else 0
            continue
        if not path or not file.is_file():
            raise HSDSError(
                "datapackage.json",
                f"resource {resource.get('name', name)!r}",
                "path",
                f"{path or '(empty)'} does not exist in {folder.name}",
            )
        if table in files:
            raise HSDSError(
                "datapackage.json",
                f"resource {resource.get('name', name)!r}",
                "path",
                f"{path} is a second file for {table} ({files[table].name} is the first)",
            )
        files[table] = file
    return files


# JSON: which object is which, by shape. Each top-level type with the fields
# that it requires and the ones it may have (HSDS 3.0 schema, plus 3.1's additions).
SHAPES = {
    "services": (
        {"id", "name", "status"},
        set(
            """id organization_id program_id name alternate_name description url email status
        interpretation_services application_process fees_description wait_time fees accreditations
        eligibility_description minimum_age maximum_age assured_date assurer_email licenses alert
        last_modified phones schedules service_areas service_at_locations languages organization funding
        cost_options program required_documents contacts attributes metadata additional_urls
        capacities""".split()
        ),
    ),
    "organizations": (
        {"id", "name", "description"},
        set(
            """id name alternate_name description email website tax_status tax_id year_incorporated
        legal_status logo uri parent_organization_id funding contacts phones locations programs
        organization_identifiers attributes metadata services additional_websites""".split()
        ),
    ),
    "locations": (
        {"id", "location_type"},
        set(
            """id location_type url organization_id name alternate_name description transportation
        latitude longitude external_identifier external_identifier_type languages addresses contacts
        accessibility phones schedules attributes metadata""".split()
        ),
    ),
    "service_at_location": (
        {"id"},
        set(
            "id service_id location_id description contacts phones schedules location service attributes "
            "metadata".split()
        ),
    ),
    "taxonomies": ({"id", "name", "description"}, {"id", "name", "description", "uri", "version", "metadata"}),
    "taxonomy_terms": (
        {"id", "name", "description"},
        set(
            "id code name description parent_id taxonomy taxonomy_detail language taxonomy_id term_uri metadata".split()
        ),
    ),
}
# What an object may nest: key -> (table, the link the nesting sets on the child, extra links).
NESTED = {
    "organizations": {
        "locations": ("locations", "organization_id"),
        "phones": ("phones", "organization_id"),
        "services": ("services", "organization_id"),
    },
    "services": {
        "phones": ("phones", "service_id"),
        "schedules": ("schedules", "service_id"),
        "languages": ("languages", "service_id"),
        "cost_options": ("cost_options", "service_id"),
        "required_documents": ("required_documents", "service_id"),
        "service_at_locations": ("service_at_location", "service_id"),
        "attributes": ("attributes", "link_id", {"link_entity": "service"}),
    },
    "locations": {
        "addresses": ("addresses", "location_id"),
        "phones": ("phones", "location_id"),
        "schedules": ("schedules", "location_id"),
        "languages": ("languages", "location_id"),
    },
    "service_at_location": {
        "phones": ("phones", "service_at_location_id"),
        "schedules": ("schedules", "service_at_location_id"),
    },
    "phones": {"languages": ("languages", "phone_id")},
}
# One object nested inside another, which then refers to it: key -> (table, link on the parent).
NESTED_ONE = {
    "services": {"organization": ("organizations", "organization_id")},
    "service_at_location": {"location": ("locations", "location_id"), "service": ("services", "service_id")},
    "attributes": {"taxonomy_term": ("taxonomy_terms", "taxonomy_term_id")},
    "taxonomy_terms": {"taxonomy_detail": ("taxonomies", "taxonomy_id")},
}
API_PAGE_KEYS = {
    "total_items",
    "total_pages",
    "page_number",
    "size",
    "first_page",
    "last_page",
    "empty",
    "contents",
    "version",
    "profile",
}
SUPPORTED_VERSIONS = re.compile(r"3\.[01](\.\d+)?$")


def read_json(file: Path, report: Report | None = None) -> dict[str, list[Row]]:
    """Rows of every table we keep from one JSON document, repeats merged (see _Flattener)."""
    report = report or Report()
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise HSDSError(file.name, f"line {error.lineno}", "-", f"is not valid JSON ({error.msg})") from None
    except UnicodeDecodeError:
        raise HSDSError(file.name, "-", "-", "is not UTF-8 text") from None
    flat = _Flattener(file.name, report)
    if isinstance(data, dict) and data and all(str(key).endswith(".csv") for key in data):
        # The spec's tabular example: {"services.csv": [rows], ...}
        _refuse_old_tables(data, file.name)
        for key, rows in data.items():
            table = TABLE_NAMES.get(_table_name(key))
            if not isinstance(rows, list):
                raise HSDSError(file.name, key, "-", "expected a list of rows")
            if table is None:
                report.tables_not_kept[_table_name(key)] += len(rows)
                continue
            for index, row in enumerate(rows):
                flat.walk(table, row, f"{key}[{index}]", nest=False)
        return flat.rows()
    hint = _file_hint(file.name)
    items, path = _items(data, file.name)
    for index, item in enumerate(items):
        where = f"{path}[{index}]" if path is not None else "$"
        flat.walk(_shape(item, hint, file.name, where), item, where)
    return flat.rows()


def _file_hint(name: str) -> str | None:
    """The table a file's name says it holds: taxonomy_term_list.json -> taxonomy_terms."""
    stem = _table_name(name)
    for suffix in ("_full", "_list", "_simple", "s"):
        for candidate in (stem, stem.removesuffix(suffix)):
            if candidate in TABLE_NAMES and TABLE_NAMES[candidate] in SHAPES:
                return TABLE_NAMES[candidate]
    return None


def _items(data, source: str) -> tuple[list, str | None]:
    if isinstance(data, list):
        return data, "$"
    if not isinstance(data, dict):
        raise HSDSError(source, "$", "-", "expected an HSDS object, a list of them, or an API page")
    version = data.get("version")
    if "contents" in data or ("profile" in data and "id" not in data):
        if version is not None and not SUPPORTED_VERSIONS.match(str(version)):
            raise HSDSError(
                source, "$", "version", f"is {version!r}: HSDS {version} is not supported: " + OLD_VERSION_HELP
            )
    if "contents" in data:
        unknown = sorted(set(data) - API_PAGE_KEYS)
        if unknown:
            raise HSDSError(
                source,
                "$",
                unknown[0],
                f"unknown key beside 'contents' in an API page: "
                f"{', '.join(unknown)}; an HSDS page has {', '.join(sorted(API_PAGE_KEYS))}",
            )
        if not isinstance(data["contents"], list):
            raise HSDSError(source, "$", "contents", "expected a list of HSDS objects")
        return data["contents"], "$.contents"
    if "id" not in data and set(data) <= {"version", "profile", "openapi_url"}:
        raise HSDSError(
            source,
            "$",
            "-",
            "is an HSDS API's description (version, profile), not data: "
            "export services or organizations from that API and import those",
        )
    return [data], None


def _shape(item, hint: str | None, source: str, where: str) -> str:
    """The table a top-level object belongs to, by its keys (and the file's name on a tie)."""
    if not isinstance(item, dict):
        raise HSDSError(source, where, "-", "expected an object")
    keys = set(item)
    scores = {}
    for table, (required, known) in SHAPES.items():
        if not required <= keys:
            continue
        if table == "service_at_location" and not keys & {"service", "location", "service_id", "location_id"}:
            continue
        scores[table] = len(keys & known) - len(keys - known)
    if not scores:
        wrappers = sorted(k for k, v in item.items() if isinstance(v, list))
        if "id" not in keys and wrappers:
            raise HSDSError(
                source,
                where,
                wrappers[0],
                f"unknown wrapper key {', '.join(map(repr, wrappers))}: "
                'expected an HSDS object, a list of them, or an API page {"contents": [...]}',
            )
        raise HSDSError(
            source,
            where,
            "-",
            f"cannot tell what this object is from its keys ({', '.join(sorted(keys)) or 'none'}): "
            "a service needs id, name and status; an organization, taxonomy or taxonomy term id, name "
            "and description; a location id and location_type",
        )
    best = max(scores.values())
    tied = [t for t, s in scores.items() if s == best]
    if len(tied) == 1:
        return tied[0]
    if hint in tied:
        return hint
    raise HSDSError(
        source,
        where,
        "-",
        f"could be {' or '.join(SCHEMA_NAMES[t].replace('_', ' ') for t in tied)} by its keys; "
        f"name the file after its table (e.g. {tied[0]}.json) so the import knows which",
    )


class _Flattener:
    """Nested HSDS JSON to table rows, setting the references nesting implies.

    HSDS nests a record wherever it is linked, so one id may appear many times.
    The same id with the same fields (or only some of them: `{"id": …}` is a
    reference in the UK profile) is one record with every link it was found
    under; a different value for one field, or a link to a different parent,
    is an error naming both places.
    """

    def __init__(self, source: str, report: Report):
        self.source, self.report = source, report
        self.tables: dict[str, dict[str, Row]] = {table: {} for table in TABLE_FILES}
        self.others: dict[str, set] = {}  # tables we do not keep -> the ids found

    def rows(self) -> dict[str, list[Row]]:
        for name, ids in self.others.items():
            self.report.tables_not_kept[name] += len(ids)
        return {table: list(rows.values()) for table, rows in self.tables.items()}

    def walk(self, table: str, data, where: str, nest: bool = True, **links) -> str:
        if not isinstance(data, dict):
            raise HSDSError(self.source, where, "-", "expected an object")
        nested, nested_one = (NESTED.get(table, {}), NESTED_ONE.get(table, {})) if nest else ({}, {})
        scalars = {}
        for key, value in data.items():
            if key in nested or key in nested_one:
                continue
            if isinstance(value, (list, dict)) and key not in KEPT_FIELDS[table]:
                # Counted once an id, as the records we keep are: a contact nested in five places is one.
                name = key if table == "services" or key != "attributes" else f"attributes of {table}"
                for item in value if isinstance(value, list) else [value]:
                    item_id = item.get("id") if isinstance(item, dict) else None
                    self.others.setdefault(name, set()).add(str(item_id) if item_id else f"{where}.{key}{id(item)}")
                continue
            scalars[key] = value
        for key, (child_table, link) in nested_one.items():
            child = data.get(key)
            if isinstance(child, dict):
                links[link] = self.walk(child_table, child, f"{where}.{key}")
            elif child is not None:
                raise HSDSError(self.source, where, key, "expected an object")
        record_id = self.add(table, where, scalars, links)
        for key, (child_table, link, *extra) in nested.items():
            children = data.get(key)
            if children is None:
                continue
            if not isinstance(children, list):
                raise HSDSError(self.source, where, key, "expected a list")
            for i, child in enumerate(children):
                self.walk(child_table, child, f"{where}.{key}[{i}]", **{link: record_id}, **(extra[0] if extra else {}))
        return record_id

    def add(self, table: str, where: str, data: dict, links: dict) -> str:
        row = Row(self.source, where, data, {k: v for k, v in links.items() if v is not None})
        key = str(row.uuid("id", required=True))
        for link, value in row.links.items():
            own = data.get(link)
            # A reference the nesting implies must agree with the one the object states; a
            # default such as link_entity "service" gives way to the object's own value.
            if link.endswith("_id") and own not in (None, "") and str(own).strip().lower() != str(value).lower():
                raise row.error(link, f"is {own} but the object is nested under {value}")
        first = self.tables[table].get(key)
        if first is None:
            self.tables[table][key] = row
            for name, value in data.items():
                if (name not in KEPT_FIELDS[table] or (table, name) in NOT_KEPT_CHECKED) and value not in (None, ""):
                    self.report.not_kept[f"{table}.{name}"] += 1
            return key
        self.report.counts[table]["repeated"] += 1
        what = SCHEMA_NAMES[table].replace("_", " ")
        for name, value in data.items():
            if name in first.data and first.data[name] != value:
                raise row.error(
                    name,
                    f"the {what} {key} is also at {first.where} with {name} {first.data[name]!r}, here "
                    f"{value!r}: one id must be one record; give one of them its own id or make them agree",
                )
            first.data.setdefault(name, value)
        for link, value in row.links.items():
            old = first.get(link)
            if old not in (None, "") and str(old).lower() != str(value).lower():
                raise row.error(
                    link,
                    f"the {what} {key} is also at {first.where}, linked to {old}; here it is linked to "
                    f"{value}. A {what} has one {link}: give each its own id",
                )
            first.links[link] = value
        return key


# Writing --------------------------------------------------------------------


class Importer:
    """Writes what a Source reads; one instance per import (it holds the run's ids)."""

    def __init__(self, replace: bool = False, strict: bool = False, progress: Callable[[int], None] | None = None):
        self.replace, self.strict, self.progress = replace, strict, progress
        self.report = Report()
        # HSDS id (as an int) -> (our pk, digest of the row, where it was): resolves references
        # to records of this run and tells a repeated id from a new one.
        self.index: dict[str, _Index] = {t: _Index() for t in TABLE_FILES}
        self.affected: set[int] = set()  # services whose page or row may have changed
        self.changed_organizations: set[int] = set()
        self.changed_locations: set[int] = set()
        self.schedule_services: set[int] = set()  # services whose schedules were written
        self.sal_services: dict[int, int] = {}
        self.zones: dict[int, str] = {}
        self.term_parents: list[tuple[int, Row]] = []
        self.documents: dict[int, list[str]] = {}
        self.tagged: dict[int, tuple[int, ...]] = {}  # service pk -> term pks the file tags it with
        self.terms: dict[int, tuple[int, str] | None] = {}

    def run(self, source: Source) -> Report:
        started = clock.monotonic()
        with transaction.atomic():
            for table, rows in source.tables():
                self._table(table, rows)
            self._finish()
            if self.strict:
                problems = self.report.warnings() + self.report.skipped
                if problems:
                    raise HSDSError(str(source.path.name), "-", "-", "--strict: " + " ".join(problems[:20]))
        self.report.seconds = clock.monotonic() - started
        return self.report

    def _table(self, table: str, rows: Iterable[Row]) -> None:
        chunk = []
        for row in rows:
            self.report.records += 1
            if self.progress:
                self.progress(1)
            if table in ("required_documents", "attributes"):
                self._special(table, row)
                continue
            chunk.append(row)
            if len(chunk) >= CHUNK:
                self._write(table, chunk)
                chunk = []
        if chunk:
            self._write(table, chunk)

    def _seen(self, table: str, row: Row, hid: uuid.UUID, chunk_ids: dict) -> bool:
        """Whether this id was written already in this run; an error if with other content."""
        digest = _digest({**row.data, **row.links})
        earlier = self.index[table].entry(hid.int)
        if earlier is None:
            earlier = chunk_ids.get(hid.int)
        if earlier is None:
            chunk_ids[hid.int] = (0, digest, row.where)
            return False
        if earlier[1] != digest:
            raise row.error(
                "id",
                f"{hid} is also the id of {earlier[2]}, with different content: one id must be "
                "one record; give one of them its own id or make them agree",
            )
        self.report.counts[table]["repeated"] += 1
        return True

    def _write(self, table: str, rows: list[Row]) -> None:
        spec = TABLES[table]
        model, counts = spec.model, self.report.counts[table]
        parsed, chunk_ids = [], {}
        for row in rows:
            hid = row.uuid("id", required=True)
            if not self._seen(table, row, hid, chunk_ids):
                parsed.append((hid, row))
        refs = self._resolve(table, [row for _, row in parsed])
        existing = {o.hsds_id: o for o in model.objects.filter(hsds_id__in=[hid for hid, _ in parsed])}
        created, updated, changed_fields = [], [], set()
        for hid, row in parsed:
            obj = existing.get(hid)
            new = obj is None
            values = {}
            for name, (attname, parse) in spec.fields.items():
                if new or self.replace or row.has(name):
                    values[attname] = parse(row, name)
            for name, parse in spec.checked.items():
                parse(row, name)
            for ref in spec.refs:
                if ref.attname and (new or self.replace or row.has(ref.field)):
                    values[ref.attname] = refs.get((ref.field, row.where))
            if not self._complete(table, row, values, obj):
                continue
            self._check(table, row, values, obj)
            if new:
                obj = model(hsds_id=hid, **values)
                created.append((obj, row))
            elif table == "taxonomy_terms" and obj.facet != TaxonomyTerm.Facet.OTHER:
                # Our own vocabulary keeps its wording; an export of it re-imports unchanged.
                counts["unchanged"] += 1
            else:
                changed = {name for name, value in values.items() if getattr(obj, name) != value}
                if changed:
                    for name in changed:
                        setattr(obj, name, values[name])
                    updated.append((obj, row))
                    changed_fields |= changed
                else:
                    counts["unchanged"] += 1
                    self._remember(table, obj, row, changed=False)
        model.objects.bulk_create([obj for obj, _ in created], batch_size=CHUNK)
        if updated:
            model.objects.bulk_update([obj for obj, _ in updated], sorted(changed_fields), batch_size=CHUNK)
        counts["created"] += len(created)
        counts["updated"] += len(updated)
        for obj, row in created + updated:
            self._remember(table, obj, row, changed=True)

    def _complete(self, table: str, row: Row, values: dict, obj) -> bool:
        """Whether a record has what it needs; False (skipped, with a reason) if the schema allows it."""
        spec = TABLES[table]
        what = SCHEMA_NAMES[table].replace("_", " ")
        if obj is None and set(row.data) <= {"id"} and table != "service_at_location":
            # `{"id": …}` alone: a reference to a record defined elsewhere (the UK profile does this).
            self.report.skip(
                table,
                row,
                f"the {what} {row.get('id')} is only an id, and no {what} with that id "
                "is in the file or the directory: nothing to keep",
            )
            return False
        if table == "languages":
            if obj is None and not values.get("name") and not values.get("code"):
                self.report.skip(
                    table, row, f"the language {row.get('id')} has neither name nor code: nothing a peer could read"
                )
                return False
            values["name"] = values.get("name") or values.get("code") or (obj.name if obj else "")
        if obj is None:
            for name in spec.required:
                if not values.get(spec.fields[name][0]):
                    raise row.error(name, "is required")
            for ref in spec.refs:
                if ref.required and values.get(ref.attname) is None:
                    if table == "service_at_location" and set(row.data) <= {"id"}:
                        self.report.skip(
                            table,
                            row,
                            f"the service at location {row.get('id')} is only an id, "
                            "and none with that id is in the file or the directory",
                        )
                        return False
                    raise row.error(ref.field, f"is required (the directory needs every {what}'s {ref.table[:-1]})")
        return True

    def _check(self, table: str, row: Row, values: dict, obj) -> None:
        """Rules across fields (RFC 5545 for schedules)."""
        if table == "schedules":

            def value(name):  # noqa: E306
                return values[name] if name in values else getattr(obj, name, None)

            for start, end in (("dtstart", "until"), ("valid_from", "valid_to")):
                if value(start) and value(end) and value(end) < value(start):
                    raise row.error(end, f"{value(end)} is before {start} {value(start)}: it must come after")
        if table == "services":
            low, high = values.get("minimum_age"), values.get("maximum_age")
            if low is not None and high is not None and high < low:
                raise row.error("maximum_age", f"{high} is below minimum_age {low}")

    def _resolve(self, table: str, rows: list[Row]) -> dict[tuple[str, str], int | None]:
        """Our pk for each reference of these rows, from this run or the database: {(field, where): pk}."""
        spec, resolved = TABLES[table], {}
        for ref in spec.refs:
            wanted = {}
            for row in rows:
                ref_id = row.uuid(ref.field)
                if ref_id is not None:
                    wanted[row.where] = (row, ref_id)
            missing = {ref_id for _, ref_id in wanted.values() if ref_id.int not in self.index[ref.table]}
            found = {}
            if missing:
                found = dict(TABLES[ref.table].model.objects.filter(hsds_id__in=missing).values_list("hsds_id", "pk"))
            for where, (row, ref_id) in wanted.items():
                pk = self.index[ref.table].pk(ref_id.int)
                pk = found.get(ref_id) if pk is None else pk
                if pk is None:
                    if ref.strict:
                        what = SCHEMA_NAMES[ref.table].replace("_", " ")
                        raise row.error(ref.field, f"no {what} with id {ref_id} in this import or the directory")
                    self.report.dropped_references[f"{table}.{ref.field}"] += 1
                resolved[(ref.field, where)] = pk
            if ref.field == "service_at_location_id" and spec.model in (Phone, Schedule):
                # A phone or schedule given only its service at location belongs to that service.
                for where, (row, _) in wanted.items():
                    sal = resolved.get((ref.field, where))
                    if sal is not None and row.uuid("service_id") is None:
                        resolved[("service_id", where)] = self._sal_service(sal)
        return resolved

    def _sal_service(self, sal_pk: int) -> int | None:
        if sal_pk not in self.sal_services:
            self.sal_services[sal_pk] = (
                ServiceAtLocation.objects.filter(pk=sal_pk).values_list("service_id", flat=True).first()
            )
        return self.sal_services[sal_pk]

    def _remember(self, table: str, obj, row: Row, changed: bool) -> None:
        self.index[table].put(obj.hsds_id.int, obj.pk, _digest({**row.data, **row.links}), row.where)
        if table == "service_at_location":
            self.sal_services[obj.pk] = obj.service_id
        if table == "taxonomy_terms" and row.get("parent_id"):
            self.term_parents.append((obj.pk, row))
        if table == "schedules" and obj.service_id:
            if changed:
                self.schedule_services.add(obj.service_id)
            zone = _time_zone_from_offset(row)
            if zone:
                self.zones[obj.service_id] = zone
        if not changed:
            return
        if table == "services":
            self.affected.add(obj.pk)
        elif table in ("service_at_location", "phones", "schedules", "languages", "cost_options"):
            self.affected.add(obj.service_id)
        elif table == "organizations":
            self.changed_organizations.add(obj.pk)
        elif table in ("locations", "addresses"):
            self.changed_locations.add(obj.pk if table == "locations" else obj.location_id)

    def _special(self, table: str, row: Row) -> None:
        """Required documents and attributes become Service fields and tags: gathered, written at the end."""
        hid = row.uuid("id", required=True)
        if self._seen(table, row, hid, {}):
            return
        self.index[table].put(hid.int, 0, _digest({**row.data, **row.links}), row.where)
        if table == "attributes":
            self._attribute(row)
            return
        service = self._service(row, "service_id", strict=True)
        if service is None:
            raise row.error("service_id", "is required (a required document belongs to a service)")
        document = row.text("document")
        if document:
            self.documents.setdefault(service, []).append(document)
        else:
            self.report.skip(table, row, f"the required document {hid} has no text in 'document'")

    def _service(self, row: Row, field: str, strict: bool) -> int | None:
        ref_id = row.uuid(field)
        if ref_id is None:
            return None
        pk = self.index["services"].pk(ref_id.int)
        if pk is None:
            pk = Service.objects.filter(hsds_id=ref_id).values_list("pk", flat=True).first()
        if pk is None and strict:
            raise row.error(field, f"no service with id {ref_id} in this import or the directory")
        return pk

    def _finish(self) -> None:
        self._term_parents()
        self._documents()
        self._tags()
        for service, zone in self.zones.items():
            if Service.objects.filter(pk=service).exclude(time_zone=zone).update(time_zone=zone):
                self.affected.add(service)
        for pks, lookup in ((self.changed_organizations, "organization_id"), (self.changed_locations, "location")):
            pks = sorted(pks)
            for first in range(0, len(pks), CHUNK):
                model = Service if lookup == "organization_id" else ServiceAtLocation
                column = "pk" if model is Service else "service_id"
                some = model.objects.filter(**{f"{lookup}__in": pks[first : first + CHUNK]})
                self.affected.update(some.values_list(column, flat=True))
        self.affected.discard(None)
        # bulk writes send no signals: the derived rows and caches are ours to refresh.
        rebuild_weekly_openings(self.schedule_services)
        forget_directory_chips()
        forget_directory_languages()
        affected = sorted(self.affected)
        for first in range(0, len(affected), CHUNK):
            some = affected[first : first + CHUNK]
            touch_services(some)
            services = Service.objects.filter(pk__in=some).select_related("organization")
            services = list(services.prefetch_related("terms", "languages"))
            for service in services:
                service.refresh_search_document(save=False)
            Service.objects.bulk_update(services, SEARCH_FIELDS)

    def _term_parents(self) -> None:
        for pk, row in self.term_parents:
            parent_id = row.uuid("parent_id")
            parent = self.index["taxonomy_terms"].pk(parent_id.int)
            if parent is None:
                parent = TaxonomyTerm.objects.filter(hsds_id=parent_id).values_list("pk", flat=True).first()
            if parent is None:
                self.report.dropped_references["taxonomy_terms.parent_id"] += 1
            elif parent != pk:
                TaxonomyTerm.objects.filter(pk=pk, facet=TaxonomyTerm.Facet.OTHER).update(parent=parent)

    def _documents(self) -> None:
        counts = self.report.counts["required_documents"]
        for service in Service.objects.filter(pk__in=list(self.documents)).only("pk", "what_to_bring"):
            lines = self.documents[service.pk]
            before = set(service.what_to_bring_list())
            counts["unchanged"] += sum(1 for line in lines if line in before)
            counts["created"] += sum(1 for line in lines if line not in before)
            text = "\n".join(lines)
            if text != service.what_to_bring:
                Service.objects.filter(pk=service.pk).update(what_to_bring=text)
                self.affected.add(service.pk)

    def _attribute(self, row: Row) -> None:
        """An attribute of a service: a tag, or our access or time-zone value. Tags are gathered
        (service pk -> term pks, small) and written in bulk at the end."""
        counts = self.report.counts["attributes"]
        entity = row.text("link_entity", limit=100)
        if entity not in ("service", ""):
            self.report.tables_not_kept[f"attributes of {entity}"] += 1
            counts["skipped"] += 1
            return
        service = self._service(row, "link_id", strict=False)
        term = self._term(row.uuid("taxonomy_term_id"))
        if service is None or term is None:
            missing = "link_id" if service is None else "taxonomy_term_id"
            self.report.skip(
                "attributes",
                row,
                f"{missing} {row.get(missing) or '(empty)'} is not a "
                f"{'service' if service is None else 'taxonomy term'} in the file or the directory",
            )
            return
        pk, code = term
        if code in ATTRIBUTE_TERMS:
            name = "access" if code == ACCESS_TERM[0] else "time_zone"
            value = row.choice("value", Service.Access) if name == "access" else _valid_zone(row)
            changed = Service.objects.filter(pk=service).exclude(**{name: value}).update(**{name: value})
            counts["updated" if changed else "unchanged"] += 1
            if changed:
                self.affected.add(service)
        else:
            # A tuple, not a set: a set a service would be most of the memory this step takes.
            tags = self.tagged.get(service, ())
            if pk not in tags:
                self.tagged[service] = (*tags, pk)

    def _term(self, term_id: uuid.UUID | None) -> tuple[int, str] | None:
        if term_id is None:
            return None
        if term_id.int not in self.terms:
            self.terms[term_id.int] = TaxonomyTerm.objects.filter(hsds_id=term_id).values_list("pk", "code").first()
        return self.terms[term_id.int]

    def _tags(self) -> None:
        """Each tagged service gets the file's terms and their ancestors (as Service.set_terms does)."""
        counts = self.report.counts["attributes"]
        parents = dict(TaxonomyTerm.objects.values_list("pk", "parent_id"))
        through = Service.terms.through
        services = sorted(self.tagged)
        for first in range(0, len(services), CHUNK):
            some = services[first : first + CHUNK]
            before: dict[int, set[int]] = {pk: set() for pk in some}
            for service, term in through.objects.filter(service_id__in=some).values_list(
                "service_id", "taxonomyterm_id"
            ):
                before[service].add(term)
            added, removed = [], []
            for service in some:
                terms = set(self.tagged[service])
                counts["unchanged"] += len(terms & before[service])
                counts["created"] += len(terms - before[service])
                wanted = set()
                for term in terms:
                    while term is not None and term not in wanted:
                        wanted.add(term)
                        term = parents.get(term)
                if wanted != before[service]:
                    self.affected.add(service)
                    added += [through(service_id=service, taxonomyterm_id=t) for t in wanted - before[service]]
                    removed += [(service, t) for t in before[service] - wanted]
            through.objects.bulk_create(added, batch_size=CHUNK)
            for service, term in removed:
                through.objects.filter(service_id=service, taxonomyterm_id=term).delete()


def _time_zone_from_offset(row: Row) -> str | None:
    offset = row.number("timezone")
    if offset is None:
        return None
    if offset != int(offset) or not -14 <= offset <= 14:
        raise row.error("timezone", f"{offset} is not a whole-hour UTC offset (-14 to 14)")
    # POSIX-style names count the other way: UTC+3 is Etc/GMT-3.
    return "Etc/UTC" if offset == 0 else f"Etc/GMT{-int(offset):+d}"


def _valid_zone(row: Row) -> str:
    value = row.text("value", limit=64)
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise row.error("value", f"{value!r} is not a time zone name (IANA, e.g. America/Los_Angeles)") from None
    return value


def import_path(
    path: str | Path,
    *,
    replace: bool = False,
    strict: bool = False,
    max_megabytes: float | None = DEFAULT_MAX_MEGABYTES,
    progress: Callable[[int], None] | None = None,
) -> Report:
    """Import a package folder or JSON file (see the module docstring); all or nothing."""
    max_bytes = int(max_megabytes * 1_000_000) if max_megabytes else None
    importer = Importer(replace=replace, strict=strict, progress=progress)
    return importer.run(Source(path, importer.report, max_bytes))


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
        "id location_id attention address_1 address_2 city region state_province postal_code country address_type"
    ),
    "service_at_location": ("id service_id location_id description"),
    "phones": (
        "id location_id service_id organization_id contact_id service_at_location_id number extension type description"
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
                    "fields": [{"name": c, "type": "number" if c in NUMBER_COLUMNS else "string"} for c in columns],
                    "primaryKey": "id",
                },
            }
        )
    package = {
        "name": "peer-companion-directory",
        "title": "Referral directory (HSDS 3.0)",  # i18n: not shown
        "profile": "tabular-data-package",
        "created": timezone.now().isoformat(),
        "resources": resources,
    }
    (folder / "datapackage.json").write_text(json.dumps(package, indent=2) + "\n")
    return {table: len(rows) for table, rows in tables.items()}
