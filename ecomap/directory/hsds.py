"""Open Referral HSDS tabular data packages: reading (with a validation report) and writing.

ecomap follows the HSDS 3.0 Tabular Data Package serialisation (openreferral/specification,
`datapackage.json` version 3.0.0 and `docs/hsds/serialization.md`; notes in docs/research/hsds.md):
one CSV file per table, with a `datapackage.json` descriptor (Frictionless Tabular Data Package) that
lists each resource, its file and its fields. Rows refer to each other by `id`.

Reading never trusts the input, and says what it did in the kernel's `ImportReport`
(ecomap.core.imports), one record per table row ("services.csv row 2", the row as a spreadsheet
numbers it):

* The whole package is refused (`ImportRefused`, nothing is imported) when it cannot be read
  reliably: not a zip, a file that is not UTF-8, malformed CSV (a broken quote, a row with more or
  fewer cells than the header), malformed JSON in datapackage.json, a missing `id` or required
  column, a resource that names a file not in the package, or an oversized package. The report
  says which file and line.
* Otherwise each row is checked; a row with a missing required value, a bad reference, a bad date,
  time, day or number is rejected with the reason naming the column, and rows that depend on it
  are rejected too. Values that are kept but look wrong (an e-mail, a web address, an unknown
  taxonomy term, which is kept verbatim) or were normalised (a rounded number) give warnings.
* Free text (names, descriptions, addresses, web addresses, ...) is kept whole, however long: its
  columns are unbounded. Only ids, references and short codes have a bound.

`check_package()` reads and validates; `services.import_package()` writes the accepted rows in one
transaction (upsert by id, so importing the same package twice changes nothing the second time).
`export_package()` writes the directory back as a package that this reader accepts unchanged.
"""

from __future__ import annotations

import csv
import io
import json
import posixpath
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.translation import gettext as _

from ecomap.core.archives import ArchiveError, csv_bytes, unzip
from ecomap.core.archives import zip_bytes as zip_bytes  # part of this module's API
from ecomap.core.imports import ImportRefused, ImportReport

from . import catalogue
from .models import (
    Address,
    Attribute,
    Contact,
    CostOption,
    Language,
    Location,
    Organization,
    Phone,
    RequiredDocument,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)

MAX_IMPORT_BYTES = 10 * 1024 * 1024  # all files together, uncompressed
MAX_FILES = 60
MAX_ROWS = 50_000  # per table
HSDS_VERSION = "3.0.0"
DESCRIPTOR = "datapackage.json"

# ---------------------------------------------------------------------------------------------------
# The tables ecomap reads and writes (HSDS 3.0 names, in an order where references point backwards)


@dataclass(frozen=True)
class Field:
    name: str
    kind: str = "text"  # text, ref, softref, enum, date, int, decimal, time, email, url, ...
    required: bool = False
    target: str | None = None  # the table a ref/softref points to
    choices: tuple[str, ...] = ()
    places: int = 0  # decimal places for decimals
    low: float | None = None
    high: float | None = None

    @property
    def hsds_type(self) -> str:
        return {"date": "date", "int": "integer", "decimal": "number", "time": "time",
                "year": "integer"}.get(self.kind, "string")


@dataclass(frozen=True)
class Table:
    name: str
    path: str
    model: type
    fields: tuple[Field, ...]
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.required)


def F(name, kind="text", **kw):  # noqa: N802 - a short constructor for the table list
    return Field(name, kind, **kw)


ID = F("id", "id", required=True)
DAYS = ("SU", "MO", "TU", "WE", "TH", "FR", "SA")
WKST = (*DAYS, "MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
FREQS_HSDS = ("WEEKLY", "MONTHLY")
FREQS_RFC = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
LOCATION_TYPES = ("physical", "postal", "virtual")
STATUSES = ("active", "inactive", "defunct", "temporarily closed")

TABLES: tuple[Table, ...] = (
    Table("taxonomy", "taxonomies.csv", Taxonomy, (
        ID, F("name", required=True), F("description", required=True), F("uri"), F("version"))),
    Table("taxonomy_term", "taxonomy_terms.csv", TaxonomyTerm, (
        ID, F("code"), F("name", required=True), F("description", required=True),
        F("parent_id", "softref", target="taxonomy_term"), F("taxonomy"), F("language"),
        F("taxonomy_id", "softref", target="taxonomy"), F("term_uri"))),
    Table("organization", "organizations.csv", Organization, (
        ID, F("name", required=True), F("alternate_name"), F("description", required=True),
        F("email", "email"), F("website", "url"), F("year_incorporated", "year", low=1000, high=9999),
        F("legal_status"), F("logo", "url"), F("uri"),
        F("parent_organization_id", "softref", target="organization"))),
    Table("location", "locations.csv", Location, (
        ID, F("location_type", "enum", required=True, choices=LOCATION_TYPES), F("url", "url"),
        F("organization_id", "ref", target="organization"), F("name"), F("alternate_name"),
        F("description"), F("transportation"),
        F("latitude", "decimal", places=6, low=-90, high=90),
        F("longitude", "decimal", places=6, low=-180, high=180),
        F("external_identifier"), F("external_identifier_type"))),
    Table("service", "services.csv", Service, (
        ID, F("organization_id", "ref", required=True, target="organization"),
        F("program_id", "softref", target="program"), F("name", required=True), F("alternate_name"),
        F("description"), F("url", "url"), F("email", "email"),
        F("status", "enum", required=True, choices=STATUSES), F("interpretation_services"),
        F("application_process"), F("fees_description"), F("accreditations"),
        F("eligibility_description"), F("minimum_age", "int", low=0, high=150),
        F("maximum_age", "int", low=0, high=150), F("assured_date", "date"),
        F("assurer_email", "email"), F("alert"))),
    Table("service_at_location", "service_at_location.csv", ServiceAtLocation, (
        ID, F("service_id", "ref", required=True, target="service"),
        F("location_id", "ref", required=True, target="location"), F("description")),
        aliases=("services_at_location.csv", "service_at_locations.csv")),
    Table("address", "addresses.csv", Address, (
        ID, F("location_id", "ref", target="location"), F("attention"),
        F("address_1", required=True), F("address_2"), F("city", required=True), F("region"),
        F("state_province", required=True), F("postal_code", required=True),
        F("country", "country", required=True),
        F("address_type", "enum", required=True, choices=LOCATION_TYPES)),
        aliases=("address.csv", "addresss.csv")),
    Table("contact", "contacts.csv", Contact, (
        ID, F("organization_id", "ref", target="organization"),
        F("service_id", "ref", target="service"),
        F("service_at_location_id", "ref", target="service_at_location"),
        F("location_id", "ref", target="location"), F("name"), F("title"), F("department"),
        F("email", "email"))),
    Table("phone", "phones.csv", Phone, (
        ID, F("location_id", "ref", target="location"), F("service_id", "ref", target="service"),
        F("organization_id", "ref", target="organization"), F("contact_id", "ref", target="contact"),
        F("service_at_location_id", "ref", target="service_at_location"),
        F("number", required=True), F("extension", "int", low=0, high=999_999_999), F("type"),
        F("description"))),
    Table("schedule", "schedules.csv", Schedule, (
        ID, F("service_id", "ref", target="service"), F("location_id", "ref", target="location"),
        F("service_at_location_id", "ref", target="service_at_location"),
        F("valid_from", "date"), F("valid_to", "date"), F("dtstart", "date"),
        F("timezone", "decimal", places=2, low=-14, high=14), F("until", "date"),
        F("count", "int", low=0, high=1_000_000), F("wkst", "wkst"), F("freq", "freq"),
        F("interval", "int", low=1, high=1000), F("byday", "byday"), F("byweekno", "intlist"),
        F("bymonthday", "intlist"), F("byyearday", "intlist"), F("description"),
        F("opens_at", "time"), F("closes_at", "time"), F("schedule_link", "url"),
        F("attending_type"), F("notes"))),
    Table("language", "languages.csv", Language, (
        ID, F("service_id", "ref", target="service"), F("location_id", "ref", target="location"),
        F("phone_id", "ref", target="phone"), F("name"), F("code"), F("note"))),
    Table("cost_option", "cost_options.csv", CostOption, (
        ID, F("service_id", "ref", required=True, target="service"), F("valid_from", "date"),
        F("valid_to", "date"), F("option"), F("currency", "currency"),
        F("amount", "decimal", places=2, low=0, high=9_999_999_999), F("amount_description"))),
    Table("required_document", "required_documents.csv", RequiredDocument, (
        ID, F("service_id", "ref", target="service"), F("document"), F("uri", "url"))),
    Table("service_area", "service_areas.csv", ServiceArea, (
        ID, F("service_id", "ref", target="service"), F("name"), F("description"), F("extent"),
        F("extent_type"), F("uri"))),
    Table("attribute", "attributes.csv", Attribute, (
        ID, F("link_id", "link", required=True), F("taxonomy_term_id", "term", required=True),
        F("link_type", required=True), F("link_entity", required=True), F("value"), F("label"))),
)
BY_NAME = {t.name: t for t in TABLES}
# Tables an attribute's link_entity may name and ecomap can check.
LINKABLE = ("organization", "service", "location", "service_at_location", "contact", "phone",
            "schedule")
_ECOMAP_TAXONOMIES = {catalogue.SERVICE_TYPE_TAXONOMY_ID, catalogue.FACET_TAXONOMY_ID}

# ---------------------------------------------------------------------------------------------------
# The result of a check: the accepted rows, and the kernel's import report of every row


@dataclass
class CheckResult:
    rows: dict[str, dict[str, dict]] | None  # table -> id -> values; None when refused
    report: ImportReport
    files: dict[str, bytes] = field(default_factory=dict)

    @classmethod
    def refused(cls, refusal: ImportRefused, report: ImportReport | None = None) -> CheckResult:
        """The package refused whole: the report ends with the line that says why."""
        report = report or ImportReport()
        line = refusal.line
        report.error(line.location, line.message, code=line.code)
        return cls(None, report)

    @property
    def ok(self) -> bool:
        return self.rows is not None

    def counts(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in (self.rows or {}).items() if rows}

    @property
    def total(self) -> int:
        return sum(self.counts().values())


def _refuse(location: str, reason: str) -> ImportRefused:
    return ImportRefused(location, _("%(reason)s Nothing was imported.") % {"reason": reason})


def _at_line(where: str, line: int) -> str:
    return _("%(file)s, line %(line)s") % {"file": where, "line": line}


# ---------------------------------------------------------------------------------------------------
# Reading the files


def read_zip(data: bytes, name: str = "package.zip") -> dict[str, bytes]:
    """The files of a zipped package by their path inside it (a single top folder is removed)."""
    try:
        files = unzip(data, max_files=MAX_FILES, max_bytes=MAX_IMPORT_BYTES, skip=_hidden)
    except ArchiveError as error:
        raise _refuse(f"{name}: {error.entry}" if error.entry else name, str(error)) from None
    names = list(files)
    tops = {n.split("/", 1)[0] for n in names}
    if len(tops) == 1 and all("/" in n for n in names):
        files = {n.split("/", 1)[1]: content for n, content in files.items()}
    return files


def _hidden(path: str) -> bool:
    """macOS and dot files that archivers add beside a package's own files."""
    return path.startswith("__MACOSX/") or posixpath.basename(path).startswith(".")


def read_folder(path: str | Path) -> dict[str, bytes]:
    """The files of a package kept as a folder (only its top level is read)."""
    folder = Path(path)
    files = {p.name: p.read_bytes() for p in sorted(folder.iterdir())
             if p.is_file() and not p.name.startswith(".")}
    if len(files) > MAX_FILES or sum(map(len, files.values())) > MAX_IMPORT_BYTES:
        raise _refuse(str(folder), _("The folder holds too many or too large files."))
    return files


def _text(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise _refuse(_at_line(where, line), _(
            "The file is not UTF-8 text (HSDS files are UTF-8); save it as UTF-8 and try again."
        )) from None


def _descriptor(files: dict[str, bytes], report: ImportReport) -> dict[str, str]:
    """Table name -> file path, from datapackage.json (or from HSDS's file names if it is absent)."""
    if DESCRIPTOR not in files:
        report.warning(DESCRIPTOR, _("The package has no datapackage.json; the files were read by "
                                     "their HSDS names."), code="no_descriptor")
        found = {}
        for table in TABLES:
            for candidate in (table.path, *table.aliases):
                if candidate in files:
                    found[table.name] = candidate
                    break
        return found
    text = _text(files[DESCRIPTOR], DESCRIPTOR)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise _refuse(_("%(file)s, line %(line)s, column %(column)s") % {
            "file": DESCRIPTOR, "line": error.lineno, "column": error.colno},
            _("Malformed JSON (%(error)s).") % {"error": error.msg}) from None
    if not isinstance(data, dict) or not isinstance(data.get("resources"), list):
        raise _refuse(DESCRIPTOR, _("A data package descriptor is a JSON object with a list of "
                                    "'resources'."))
    version = data.get("version")
    if version and not str(version).startswith("3."):
        report.warning(DESCRIPTOR, _("The package says HSDS version %(version)s; ecomap reads "
                                     "HSDS 3.0 tables and fields.") % {"version": version},
                       code="version")
    found, ignored = {}, []
    for index, resource in enumerate(data["resources"], start=1):
        where = _("%(file)s, resource %(index)s") % {"file": DESCRIPTOR, "index": index}
        if not isinstance(resource, dict) or not isinstance(resource.get("name"), str):
            raise _refuse(where, _("Each resource needs a 'name'."))
        name, path = resource["name"], resource.get("path")
        if name not in BY_NAME:
            ignored.append(name)
            continue
        where = f"{where} ({name})"
        if isinstance(path, list) and len(path) == 1:
            path = path[0]
        if not isinstance(path, str) or not path:
            raise _refuse(where, _("The resource needs one 'path' (a file in the package)."))
        if "://" in path or path.startswith("/") or ".." in path.split("/"):
            raise _refuse(where, _("The path '%(path)s' is not a file inside the package; ecomap "
                                   "does not fetch remote files.") % {"path": path})
        if path not in files:
            if "data" in resource:
                raise _refuse(where, _("Inline 'data' resources are not supported."))
            raise _refuse(where, _("The file '%(path)s' is not in the package.") % {"path": path})
        found[name] = path
    if ignored:
        report.info(DESCRIPTOR, _("Tables ecomap does not keep were not read: %(tables)s.") % {
            "tables": ", ".join(sorted(ignored))}, code="tables_ignored")
    return found


def _read_csv(data: bytes, where: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The header and the rows, each with its row number as a spreadsheet shows it (the header is
    row 1; a cell holding line breaks does not make more rows)."""
    text = _text(data, where)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise _refuse(where, _("The file is empty; it needs at least a header row."))
        header = [h.strip() for h in header]
        duplicates = sorted({h for h in header if header.count(h) > 1})
        if duplicates:
            raise _refuse(_at_line(where, 1), _("The column '%(column)s' appears twice.") % {
                "column": duplicates[0]})
        rows, start = [], reader.line_num + 1
        for cells in reader:
            line = start
            start = reader.line_num + 1
            if not cells or cells == [""]:
                continue
            if len(cells) != len(header):
                raise _refuse(_at_line(where, line), _(
                    "Malformed CSV: the row has %(cells)s cells, the header has %(columns)s.") % {
                    "cells": len(cells), "columns": len(header)})
            if len(rows) >= MAX_ROWS:
                raise _refuse(where, _("More than %(rows)s rows.") % {"rows": MAX_ROWS})
            rows.append((len(rows) + 2, dict(zip(header, cells, strict=True))))
    except csv.Error as error:
        raise _refuse(_at_line(where, reader.line_num),
                      _("Malformed CSV (%(error)s).") % {"error": error}) from None
    return header, rows


# ---------------------------------------------------------------------------------------------------
# Values

_TIME = re.compile(r"^(\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:?\d{2})?$")
_BYDAY = re.compile(r"^([+-]?\d{1,2})?(SU|MO|TU|WE|TH|FR|SA)$")
_INTLIST = re.compile(r"^[+-]?\d{1,3}(,[+-]?\d{1,3})*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_email = EmailValidator()
_url = URLValidator()
# Django's validator calls any address over 2,048 characters invalid; a long address is still an
# address, and kept whole, so only its form is checked (the package's size bounds the work).
_url.max_length = MAX_IMPORT_BYTES


def _value(f: Field, raw: str, model_field, warn) -> object:
    """The value to store for one cell. A value that cannot be kept raises ValueError with the
    reason (a translated sentence naming the column); one kept but to check calls warn(message)."""
    names = {"field": f.name, "value": raw.strip()}
    if "\x00" in raw:
        raise ValueError(_("%(field)s holds a NUL character") % names)
    value = raw.strip()
    if not value:
        if f.required:
            raise ValueError(_("%(field)s is required but empty") % names)
        return None if model_field.null else ""
    kind = f.kind
    if kind in ("int", "year"):
        if not re.fullmatch(r"[+-]?\d+", value):
            raise ValueError(_("%(field)s '%(value)s' is not a whole number") % names)
        number = int(value)
        if number < f.low or number > f.high:
            raise ValueError(_("%(field)s %(value)s is outside %(low)s to %(high)s") % {
                **names, "value": number, "low": f"{f.low:g}", "high": f"{f.high:g}"})
        return number
    if kind == "decimal":
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise ValueError(_("%(field)s '%(value)s' is not a number") % names) from None
        if not number.is_finite() or number < Decimal(str(f.low)) or number > Decimal(str(f.high)):
            raise ValueError(_("%(field)s '%(value)s' is outside %(low)s to %(high)s") % {
                **names, "low": f"{f.low:g}", "high": f"{f.high:g}"})
        rounded = number.quantize(Decimal(1).scaleb(-f.places), rounding=ROUND_HALF_EVEN)
        if rounded != number:
            warn(_("%(field)s: %(value)s was rounded to %(places)s decimal places") % {
                **names, "places": f.places})
        return rounded
    if kind == "date":
        if not _DATE.match(value):
            raise ValueError(_("%(field)s '%(value)s' is not a date (YYYY-MM-DD)") % names)
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValueError(_("%(field)s '%(value)s' is not a real date") % names) from None
    if kind == "time":
        match = _TIME.match(value)
        if (not match or int(match[1]) > 23 or int(match[2]) > 59
                or (match[3] and int(match[3]) > 59)):
            raise ValueError(_("%(field)s '%(value)s' is not a time (HH:MM, optionally with "
                               "seconds and a UTC offset)") % names)
        return value
    if kind == "byday":
        days = [d.strip().upper() for d in value.split(",")]
        for day in days:
            match = _BYDAY.match(day)
            if not match or (match[1] and not 1 <= abs(int(match[1])) <= 53):
                raise ValueError(_("%(field)s '%(value)s' is not a day (SU, MO, TU, WE, TH, FR, "
                                   "SA, optionally with a number before it such as 2MO or -1FR)")
                                 % {**names, "value": day})
        return ",".join(days)
    if kind == "wkst":
        if value.upper() not in WKST:
            raise ValueError(_("%(field)s '%(value)s' is not a day of the week") % names)
        return value.upper()
    if kind == "freq":
        if value.upper() not in FREQS_RFC:
            raise ValueError(_("%(field)s '%(value)s' is not a frequency (HSDS uses WEEKLY or "
                               "MONTHLY)") % names)
        if value.upper() not in FREQS_HSDS:
            warn(_("%(field)s: frequency %(value)s is RFC 5545, but HSDS 3.0 lists only WEEKLY "
                   "and MONTHLY") % {**names, "value": value.upper()})
        return value.upper()
    if kind == "intlist":
        compact = value.replace(" ", "")
        if not _INTLIST.match(compact):
            raise ValueError(_("%(field)s '%(value)s' is not a comma-separated list of whole "
                               "numbers") % names)
        value = compact
    elif kind == "enum":
        if value.lower() not in f.choices:
            raise ValueError(_("%(field)s '%(value)s' is not one of: %(choices)s") % {
                **names, "choices": ", ".join(f.choices)})
        return value.lower()
    elif kind == "country":
        if not re.fullmatch(r"[A-Za-z]{2}", value):
            raise ValueError(_("%(field)s '%(value)s' is not a two-letter ISO 3166-1 country "
                               "code") % names)
        return value.upper()
    elif kind == "currency":
        if not re.fullmatch(r"[A-Za-z]{3}", value):
            raise ValueError(_("%(field)s '%(value)s' is not a three-letter currency code")
                             % names)
        return value.upper()
    elif kind == "email":
        try:
            _email(value)
        except ValidationError:
            warn(_("%(field)s: '%(value)s' does not look like an e-mail address; kept as written")
                 % names)
    elif kind == "url":
        try:
            _url(value)
        except ValidationError:
            warn(_("%(field)s: '%(value)s' does not look like a web address; kept as written")
                 % names)
    elif kind == "id" and (any(c.isspace() for c in value) or "/" in value):
        raise ValueError(_("%(field)s '%(value)s' is not usable as an id (no spaces or slashes)")
                         % names)
    # Free text is kept whole (its columns are unbounded); only ids, references and short codes
    # have a bound, and a longer one is not a usable id or code.
    limit = getattr(model_field, "max_length", None)
    if limit and len(value) > limit:
        raise ValueError(_("%(field)s is longer than %(limit)s characters, too long for an id or "
                           "code") % {**names, "limit": limit})
    return value


# ---------------------------------------------------------------------------------------------------
# Checking a package


def check_package(files: dict[str, bytes], *, name: str = "package") -> CheckResult:
    """Read a package's files and check every row; nothing is written."""
    report = ImportReport()
    try:
        total = sum(len(v) for v in files.values())
        if total > MAX_IMPORT_BYTES:
            raise _refuse(name, _("The files are larger than %(mb)s MB.") % {
                "mb": MAX_IMPORT_BYTES // 1_000_000})
        if not files:
            raise _refuse(name, _("The package holds no files."))
        paths = _descriptor(files, report)
        if not paths:
            raise _refuse(name, _("The package holds none of the HSDS tables ecomap reads "
                                  "(organizations, services, locations, ...)."))
        tables = {}
        for table in TABLES:
            if table.name in paths:
                tables[table.name] = _columns(table, paths[table.name],
                                              *_read_csv(files[paths[table.name]], paths[table.name]),
                                              report)
        unread = sorted(set(files) - set(paths.values()) - {DESCRIPTOR})
        if unread:
            report.info(name, _("Files not read (not HSDS tables ecomap keeps): %(files)s.") % {
                "files": ", ".join(unread)}, code="files_ignored")
    except ImportRefused as refusal:
        return CheckResult.refused(refusal, report)
    rows = _Checker(paths, report).run(tables)
    return CheckResult(rows, report, files)


def _columns(table: Table, where: str, header, rows, report: ImportReport) -> list:
    known = set(table.names)
    missing = [n for n in table.required if n not in header]
    if "location_type" in missing and table.name == "location":
        missing.remove("location_type")
        report.warning(where, _("No location_type column (HSDS 3.0 asks for one); the locations "
                                "were read as physical."), code="location_type")
        rows = [(n, {**row, "location_type": "physical"}) for n, row in rows]
    if missing:
        raise _refuse(where, _("Missing required column '%(column)s'.") % {"column": missing[0]})
    extra = [h for h in header if h not in known]
    if extra:
        report.info(where, _("Columns ecomap does not keep were not read: %(columns)s.") % {
            "columns": ", ".join(f"'{h}'" for h in extra)}, code="columns_ignored")
    return rows


class _Checker:
    def __init__(self, paths: dict[str, str], report: ImportReport):
        self.paths = paths
        self.report = report
        self.accepted: dict[str, dict[str, dict]] = {t.name: {} for t in TABLES}
        self.refused: dict[str, dict[str, str]] = {t.name: {} for t in TABLES}  # id -> location

    def run(self, tables: dict[str, list]) -> dict[str, dict[str, dict]]:
        for table in TABLES:
            if table.name in tables:
                self._table(table, tables[table.name])
        return self.accepted

    def _known(self, target: str, values: set[str]) -> set[str]:
        """Which of `values` are ids of `target` rows already in the directory (one query)."""
        values = {v for v in values if v and v not in self.accepted.get(target, {})}
        if not values or target not in BY_NAME:
            return set()
        model = BY_NAME[target].model
        return set(model.objects.filter(pk__in=values).values_list("pk", flat=True))

    def _missing(self, column: str, value: str, target: str) -> str:
        """Why a reference to `target` that is not accepted refuses the row."""
        if value in self.refused[target]:
            return _("%(field)s '%(value)s' names a row refused at %(where)s") % {
                "field": column, "value": value, "where": self.refused[target][value]}
        return _("%(field)s '%(value)s': no %(table)s with this id in the package or the "
                 "directory") % {"field": column, "value": value,
                                 "table": target.replace("_", " ")}

    def _table(self, table: Table, rows: list) -> None:
        where_file = self.paths[table.name]
        model_fields = {f.name: table.model._meta.get_field(f.name) for f in table.fields}
        # One query per referenced table for the references that are not in the package.
        existing: dict[str, set[str]] = {}
        for f in table.fields:
            if f.kind in ("ref", "softref") and f.target in BY_NAME:
                existing.setdefault(f.target, set()).update(
                    self._known(f.target, {r.get(f.name, "").strip() for _n, r in rows}))
        if table.name == "attribute":
            for entity in LINKABLE:
                existing.setdefault(entity, set()).update(self._known(entity, {
                    r.get("link_id", "").strip() for _n, r in rows
                    if r.get("link_entity", "").strip() == entity}))
            existing.setdefault("taxonomy_term", set()).update(self._known(
                "taxonomy_term", {r.get("taxonomy_term_id", "").strip() for _n, r in rows}))
        not_uuid, program_ids, own = 0, 0, 0
        catalogue_terms = {t.term_id for t in catalogue.service_types()} | {catalogue.INSURANCE_TERM_ID}
        for number, raw in rows:
            where = _("%(file)s row %(row)s") % {"file": where_file, "row": number}
            values, problems, warnings = {}, [], []
            for f in table.fields:
                try:
                    values[f.name] = _value(f, raw.get(f.name, ""), model_fields[f.name],
                                            warnings.append)
                except ValueError as bad:
                    problems.append(str(bad))
            row_id = values.get("id")
            if row_id and not problems and row_id in self.accepted[table.name]:
                problems.append(_("id '%(id)s' is used twice (first at row %(row)s)") % {
                    "id": row_id, "row": self.accepted[table.name][row_id]["_row"]})
            for f in table.fields:
                value = values.get(f.name)
                if not value or f.kind not in ("ref", "softref"):
                    continue
                if value in self.accepted.get(f.target, {}) or value in existing.get(f.target, ()):
                    continue
                if f.kind == "softref" and value in catalogue_terms | _ECOMAP_TAXONOMIES:
                    continue
                if f.kind == "ref":
                    problems.append(self._missing(f.name, value, f.target))
                elif f.name == "program_id":
                    program_ids += 1
                else:
                    warnings.append(_("%(field)s '%(value)s' is not in the package or the "
                                      "directory; kept as written") % {"field": f.name,
                                                                        "value": value})
            if table.name == "attribute" and not problems:
                problems += self._attribute(values, existing, catalogue_terms, warnings)
            if table.name == "service" and not problems:
                low, high = values.get("minimum_age"), values.get("maximum_age")
                if low is not None and high is not None and low > high:
                    problems.append(_("minimum_age %(low)s is above maximum_age %(high)s") % {
                        "low": low, "high": high})
            if (table.name == "taxonomy_term" and values.get("taxonomy_id") in _ECOMAP_TAXONOMIES
                    or table.name == "taxonomy" and values.get("id") in _ECOMAP_TAXONOMIES):
                own += 1  # not a record of this import: ecomap's catalogue is the source
                continue
            row = self.report.record(where, key=row_id or raw.get("id", "").strip(),
                                     name=values.get("name") or "")
            if problems:
                row.reject("; ".join(problems))
                if row_id:
                    self.refused[table.name].setdefault(row_id, where)
                continue
            for message in warnings:
                row.warn(message)
            if not _UUID.match(row_id):
                not_uuid += 1
            values["_row"] = number
            self.accepted[table.name][row_id] = values
        if not_uuid:
            self.report.info(where_file, _("%(count)s id(s) are not UUIDs, as HSDS 3.0 asks; they "
                                           "were kept as written.") % {"count": not_uuid},
                             code="not_uuid")
        if own:
            self.report.info(where_file, _("%(count)s row(s) of ecomap's own taxonomies were not "
                                           "read: they come from ecomap's catalogue.") % {
                "count": own}, code="own_taxonomy")
        if program_ids:
            self.report.info(where_file, _("%(count)s program_id value(s) kept as written (ecomap "
                                           "does not keep programs).") % {"count": program_ids},
                             code="program_id")

    def _attribute(self, values, existing, catalogue_terms, warnings) -> list[str]:
        problems = []
        entity, link_id = values["link_entity"], values["link_id"]
        if entity in LINKABLE:
            if link_id not in self.accepted[entity] and link_id not in existing.get(entity, ()):
                problems.append(self._missing("link_id", link_id, entity))
        else:
            warnings.append(_("link_entity '%(value)s' is not a table ecomap checks; kept as "
                              "written") % {"value": entity})
        term = values["taxonomy_term_id"]
        if (term not in catalogue_terms and term not in self.accepted["taxonomy_term"]
                and term not in existing.get("taxonomy_term", ())):
            warnings.append(_("taxonomy_term_id '%(value)s' is not a known taxonomy term; kept "
                              "verbatim") % {"value": term})
        elif term in catalogue_terms and term != catalogue.INSURANCE_TERM_ID and entity != "service":
            warnings.append(_("an ecomap service type applied to something other than a service"))
        return problems


_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def model_values(table: Table, values: dict) -> dict:
    """Keyword arguments for the table's model from checked values (HSDS's column names are the
    models' attribute names; a foreign key's is its `<name>_id`)."""
    return {f.name: values.get(f.name) for f in table.fields if f.name != "id"}


# ---------------------------------------------------------------------------------------------------
# Writing a package


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return "0" if text in ("-0", "") else text
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def table_rows(table: Table) -> list[dict[str, str]]:
    """Every row of one table in the directory, as the cells written to the CSV file."""
    columns = [f.name for f in table.fields]
    queryset = table.model.objects.order_by("pk").values_list(*columns)
    if table.name == "taxonomy":
        queryset = queryset.exclude(pk__in=_ECOMAP_TAXONOMIES)
    if table.name == "taxonomy_term":
        queryset = queryset.exclude(taxonomy_id__in=_ECOMAP_TAXONOMIES)
    rows = [dict(zip(columns, map(_cell, values), strict=True)) for values in queryset]
    if table.name == "taxonomy":
        rows = sorted([*rows, *_catalogue_taxonomies()], key=lambda r: r["id"])
    if table.name == "taxonomy_term":
        rows = sorted([*rows, *_catalogue_terms()], key=lambda r: r["id"])
    return rows


def _catalogue_taxonomies() -> list[dict[str, str]]:
    return [
        {"id": catalogue.SERVICE_TYPE_TAXONOMY_ID, "name": catalogue.SERVICE_TYPE_TAXONOMY_NAME,
         "description": "Psychosocial service types of ecomap's catalogue (service_types.yaml).",
         "uri": "", "version": ""},
        {"id": catalogue.FACET_TAXONOMY_ID, "name": catalogue.FACET_TAXONOMY_NAME,
         "description": "Facets ecomap records on services; an attribute's value holds the detail.",
         "uri": "", "version": ""},
    ]


def _catalogue_terms() -> list[dict[str, str]]:
    types = catalogue.service_types()
    rows = [{"id": t.term_id, "code": t.key, "name": t.name, "description": t.description,
             "parent_id": catalogue.term_id(t.parent) if t.parent else "",
             "taxonomy": catalogue.SERVICE_TYPE_TAXONOMY_NAME, "language": "en",
             "taxonomy_id": catalogue.SERVICE_TYPE_TAXONOMY_ID, "term_uri": ""} for t in types]
    rows.append({"id": catalogue.INSURANCE_TERM_ID, "code": catalogue.INSURANCE_TERM_CODE,
                 "name": "Insurance accepted",
                 "description": "The service accepts the health insurance or payer named in the "
                                "attribute's value.",
                 "parent_id": "", "taxonomy": catalogue.FACET_TAXONOMY_NAME, "language": "en",
                 "taxonomy_id": catalogue.FACET_TAXONOMY_ID, "term_uri": ""})
    return rows


def descriptor() -> dict:
    """datapackage.json for the tables ecomap writes: each resource lists its file and fields."""
    resources = []
    for table in TABLES:
        foreign = [{"fields": f.name, "reference": {"resource": f.target, "fields": "id"}}
                   for f in table.fields if f.kind == "ref"]
        fields = []
        for f in table.fields:
            entry = {"name": f.name, "type": f.hsds_type,
                     "constraints": {"required": f.required, "unique": f.name == "id"}}
            if f.choices:
                entry["constraints"]["enum"] = list(f.choices)
            fields.append(entry)
        schema = {"primaryKey": "id", "fields": fields}
        if foreign:
            schema["foreignKeys"] = foreign
        resources.append({"name": table.name, "path": table.path, "format": "csv",
                          "mediatype": "text/csv", "encoding": "utf-8",
                          "profile": "tabular-data-resource", "schema": schema})
    return {"name": "ecomap-resource-directory", "title": "Resource directory (ecomap)",
            "description": "Organisations, services and locations in the Open Referral Human "
                           "Services Data Specification, tabular form.",
            "profile": "tabular-data-package", "version": HSDS_VERSION,
            "homepage": "https://docs.openreferral.org", "resources": resources}


def export_package() -> dict[str, bytes]:
    """The whole directory as a package: datapackage.json and one CSV file per table."""
    files = {DESCRIPTOR: (json.dumps(descriptor(), indent=2, ensure_ascii=False) + "\n").encode()}
    for table in TABLES:
        columns = list(table.names)
        rows = [columns, *([row[c] for c in columns] for row in table_rows(table))]
        files[table.path] = csv_bytes(rows)
    return files
