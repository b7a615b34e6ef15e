"""What the Network Canvas and GraphML formats share: the vocabulary of the files, the values of a
member, the decoding of one member record and the ties between them, and the import's result.

Importers fill an `ecomap.core.imports.ImportReport`: every member and every tie is a record
(imported, normalised with a warning, or rejected with its reason); what is about a file or a column
is a line of its own. A problem that makes the whole input untrustworthy raises `ImportRefused`.
"""

from __future__ import annotations

import dataclasses
import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.utils.translation import gettext as _

from ecomap.core.imports import ImportRefused, ImportReport, ReportLine

from ..choices import (
    Circle,
    Contact,
    MemberKind,
    RecoveryStance,
    Relationship,
    SubstanceUse,
    SupportFunction,
    Valence,
)
from ..graph import Member, Network

MAX_IMPORT_BYTES = 5 * 1024 * 1024  # per import: all files together, or one GraphML document
MAX_MEMBERS = 500
MAX_FILES = 50
# A name longer than this is kept whole, and said so: the map shows names much shorter.
LONG_NAME = 80

PROTOCOL_NAME = "ecomap"
EDGE_TYPE = "knows"
NODE_TYPES = {MemberKind.PERSON.value: "Person", MemberKind.GROUP.value: "Group",
              MemberKind.SERVICE.value: "Service"}

EGO_UUID = "networkCanvasEgoUUID"
CASE_ID = "networkCanvasCaseID"
SESSION_ID = "networkCanvasSessionID"
PROTOCOL = "networkCanvasProtocolName"
NC_UUID = "networkCanvasUUID"
NC_TYPE = "networkCanvasType"
SOURCE_UUID = "networkCanvasSourceUUID"
TARGET_UUID = "networkCanvasTargetUUID"
NODE_ID = "nodeID"
EDGE_ID = "edgeID"

EGO_COLUMNS = (EGO_UUID, CASE_ID, SESSION_ID, PROTOCOL,
               "sessionStart", "sessionFinish", "sessionExported")
EDGE_LIST_COLUMNS = (EDGE_ID, "from", "to", EGO_UUID, NC_UUID, SOURCE_UUID, TARGET_UUID)

RELATIONSHIPS = tuple(Relationship.values)
SUPPORT_FUNCTIONS = tuple(SupportFunction.values)
CIRCLES = tuple(Circle.values)
# Multi-valued or unordered variables, written as one boolean column per option.
CATEGORICAL = {"relationship": RELATIONSHIPS, "support_received": SUPPORT_FUNCTIONS,
               "support_given": SUPPORT_FUNCTIONS}
# Single-valued ordered variables, written as one column.
ORDINAL = {"contact": tuple(Contact.values), "valence": tuple(Valence.values),
           "substance_use": tuple(SubstanceUse.values), "recovery_stance": tuple(RecoveryStance.values)}
DEFAULTS = {f.name: f.default for f in dataclasses.fields(Member)
            if f.default is not dataclasses.MISSING}


def _options(var: str) -> list[str]:
    return [f"{var}_{option}" for option in CATEGORICAL[var]]


MEMBER_COLUMNS = ("name", *_options("relationship"), "circle", "contact", *_options("support_received"),
                  *_options("support_given"), "valence", "substance_use", "recovery_stance",
                  "could_join_sessions")
ATTRIBUTE_LIST_COLUMNS = (NODE_ID, EGO_UUID, NC_UUID, *MEMBER_COLUMNS)
BOOLEAN_COLUMNS = frozenset({*_options("relationship"), *_options("support_received"),
                             *_options("support_given"), "could_join_sessions"})
# Names that ego attributes may not take: they would collide with the fixed columns or keys.
_RESERVED = frozenset({*EGO_COLUMNS, NC_UUID, NC_TYPE, "label"})

# Stable ids for things ecomap has no uuid for: ties, default sessions, non-UUID keys in imported files.
_TIE_NS = uuid.UUID("0b6f3e52-6a8e-5d0c-9a7e-3c2f1f4e8d21")
_SESSION_NS = uuid.UUID("5d1c0e7a-2b4f-5e39-8c61-7a0d9e3b4f12")
_KEY_NS = uuid.UUID("9e2a4c71-3d5b-5f80-b1c6-4e7f0a2d8c35")


@dataclass(frozen=True)
class ImportResult:
    network: Network | None  # None when the whole input was refused
    report: ImportReport
    ego_id: str | None = None  # networkCanvasEgoUUID as found in the files
    # Ego attributes as found: text from CSV, typed from GraphML. Not part of the client's network: the
    # caller decides whether any of them is used.
    ego_attributes: dict = field(default_factory=dict)
    refusal: ReportLine | None = None  # why the whole input was refused

    @property
    def ok(self) -> bool:
        return self.network is not None

    def lines(self, level: str) -> list[ReportLine]:
        return self.report.lines_at(level)


def run_import(read, *args) -> ImportResult:
    """Call `read(report, *args)` -> (network, ego_id, ego_attributes); a refusal becomes the result."""
    report = ImportReport()
    try:
        network, ego_id, ego_attributes = read(report, *args)
    except ImportRefused as refused:
        report.error(refused.line.location, refused.line.message, code=refused.line.code)
        return ImportResult(None, report, refusal=refused.line)
    return ImportResult(network, report, ego_id, ego_attributes)


# --- export helpers -------------------------------------------------------------------------------


def member_values(m: Member, node_id: int, redact_labels: bool) -> dict[str, object]:
    values: dict[str, object] = {
        "name": f"{NODE_TYPES[m.kind]} {node_id}" if redact_labels else m.label,
        "circle": m.circle, "contact": m.contact, "valence": m.valence, "substance_use": m.substance_use,
        "recovery_stance": m.recovery_stance, "could_join_sessions": m.could_join_sessions,
    }
    chosen = {"relationship": {m.relationship}, "support_received": m.support_received,
              "support_given": m.support_given}
    for var, options in CATEGORICAL.items():
        for option in options:
            values[f"{var}_{option}"] = option in chosen[var]
    return values


def check_members(network: Network) -> None:
    """Refuse to write a member whose values the importer would refuse: exports must read back."""
    for m in network.members:
        problems = []
        if m.kind not in NODE_TYPES:
            problems.append(f"kind {m.kind!r}")
        if m.relationship not in RELATIONSHIPS:
            problems.append(f"relationship {m.relationship!r}")
        if m.circle not in CIRCLES or isinstance(m.circle, bool):
            problems.append(f"circle {m.circle!r}")
        for var, options in ORDINAL.items():
            if getattr(m, var) not in options:
                problems.append(f"{var} {getattr(m, var)!r}")
        for var in ("support_received", "support_given"):
            if not set(getattr(m, var)) <= set(SUPPORT_FUNCTIONS):
                problems.append(f"{var} {sorted(getattr(m, var))!r}")
        if not isinstance(m.could_join_sessions, bool):
            problems.append(f"could_join_sessions {m.could_join_sessions!r}")
        if not m.label.strip():
            problems.append("an empty label")
        if problems:
            raise ValueError(f"member {m.key} cannot be exported: {', '.join(problems)}")


def check_ego(ego_id: str, ego_attributes: dict) -> None:
    if not isinstance(ego_id, str) or not ego_id.strip():
        raise ValueError("ego_id must be a non-empty pseudonymous id")
    for name, value in ego_attributes.items():
        if not isinstance(name, str) or not name.strip() or name != name.strip():
            raise ValueError(f"ego attribute names must be non-empty, unpadded strings, not {name!r}")
        if token(name) in {token(r) for r in _RESERVED}:
            raise ValueError(f"ego attribute {name!r} would collide with a Network Canvas column")
        if value is not None and not isinstance(value, str | int | float):
            raise ValueError(f"ego attribute {name!r}: {type(value).__name__} values cannot be exported")


def default_session(ego_id: str) -> str:
    return str(uuid.uuid5(_SESSION_NS, ego_id))


def tie_uuid(a: str, b: str) -> str:
    return str(uuid.uuid5(_TIE_NS, f"{a}|{b}"))


def timestamp(at: datetime | None) -> str:
    at = (at or datetime.now(UTC)).astimezone(UTC)
    return at.isoformat(timespec="milliseconds").replace("+00:00", "Z")


_SURROGATES = re.compile("[\ud800-\udfff]")


def cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return _SURROGATES.sub("\ufffd", str(value))


# --- import: the decoding of one member record ----------------------------------------------------


def token(text: str) -> str:
    """The safe mapping for names and values: case, surrounding space, inner spaces or hyphens."""
    return re.sub(r"[\s-]+", "_", text.strip().lower())


KNOWN = {token(c): c for c in (NODE_ID, EGO_UUID, NC_UUID, *MEMBER_COLUMNS, "relationship", "label")}


def _quoted(names) -> str:
    return ", ".join(repr(n) for n in names)


class Columns:
    """The columns of one attribute list (or the node keys of a GraphML document), by canonical name."""

    def __init__(self, names, where: str, report: ImportReport, known: dict[str, str], ignore=()):
        self.canonical: dict[str, str] = {}  # name as written -> canonical name
        self.unknown_options: dict[str, dict[str, str]] = {var: {} for var in CATEGORICAL}
        mapped, ignored = [], []
        for name in names:
            if name in ignore:
                continue
            key = token(name)
            if name in known.values():
                canonical = name
            elif key in known:
                canonical = known[key]
                mapped.append(f"{name!r} as {canonical!r}")
            else:
                var = next((v for v in CATEGORICAL if key.startswith(v + "_")), None)
                if var is None:
                    ignored.append(name)
                    continue
                canonical = f"{var}_{key[len(var) + 1:]}"
                self.unknown_options[var][canonical] = name
            if canonical in self.canonical.values():
                raise ImportRefused(where, _("two columns both mean %(name)r; keep one of them")
                                    % {"name": canonical})
            self.canonical[name] = canonical
        if mapped:
            report.warning(where, _("columns read ignoring case and spacing: %(columns)s")
                           % {"columns": ", ".join(mapped)}, code="column_mapped")
        if ignored:
            report.info(where, _("columns that ecomap does not use were ignored: %(columns)s")
                        % {"columns": _quoted(ignored)}, code="column_ignored")
        self.present = set(self.canonical.values())

    @property
    def expanded_relationship(self) -> bool:
        return any(c.startswith("relationship_") for c in self.present)

    def require(self, where: str, graphml: bool = False) -> None:
        # GraphML without networkCanvasUUID keys falls back on the node ids.
        required = ("circle",) if graphml else (NC_UUID, "circle")
        missing = [c for c in required if c not in self.present]
        if "name" not in self.present and "label" not in self.present:
            missing.append("name")
        if "relationship" not in self.present and not self.expanded_relationship:
            missing.append("relationship_<option> (or relationship)")
        if graphml and NC_TYPE not in self.present and "kind" not in self.present:
            missing.append(NC_TYPE)
        if missing:
            raise ImportRefused(where, _(
                "missing required columns: %(columns)s. ecomap reads files that use its own "
                "variable names (see ecomap/network/interchange/)") % {"columns": ", ".join(missing)})

    def report_absent(self, where: str, report: ImportReport) -> None:
        absent = [c for c in MEMBER_COLUMNS[1:] if c not in self.present
                  and not (c.startswith("relationship_") and not self.expanded_relationship)]
        if absent:
            shown = [f"{c} ({cell(DEFAULTS.get(c, False))})" for c in absent]
            report.info(where, _("columns absent, so every member gets the default: %(columns)s")
                        % {"columns": ", ".join(shown)}, code="column_absent")
        if "relationship" in self.present and self.expanded_relationship:
            report.info(where, _("the relationship column was ignored: the relationship_<option> "
                                 "columns were read instead"), code="column_ignored")


class Tally:
    """Values that were mapped or defaulted, reported once per file and column rather than per cell
    (each record they changed also carries a warning)."""

    def __init__(self):
        self.mapped: dict[str, list] = {}
        self.defaulted: dict[str, list] = {}
        self.keys: list = []

    def flush(self, where: str, report: ImportReport) -> None:
        for column, seen in self.mapped.items():
            location, raw, value = seen[0]
            report.warning(where, _("%(column)s: %(n)s value(s) read ignoring case and spacing, "
                                    "e.g. %(location)s: %(raw)r as %(value)r") % {
                "column": column, "n": len(seen), "location": location, "raw": raw, "value": value},
                code="value_mapped")
        for column, seen in self.defaulted.items():
            default = cell(DEFAULTS.get(column, False))
            report.info(where, _("%(column)s: %(n)s empty value(s) read as the default %(default)r "
                                 "(first at %(location)s)") % {
                "column": column, "n": len(seen), "default": default, "location": seen[0]},
                code="value_defaulted")
        if self.keys:
            location, raw, key = self.keys[0]
            report.warning(where, _("%(n)s member id(s) were not canonical UUIDs and were replaced "
                                    "by stable UUIDs derived from them, e.g. %(location)s: %(raw)r "
                                    "as %(key)s") % {
                "n": len(self.keys), "location": location, "raw": raw, "key": key}, code="key_mapped")


def member_key(raw: str) -> str:
    """Member keys are UUID strings; other ids in imported files map to stable UUIDs made from them."""
    try:
        return str(uuid.UUID(raw.strip()))
    except ValueError:
        return str(uuid.uuid5(_KEY_NS, raw.strip()))


def decode_member(record: dict[str, str], kind: str, location: str, columns: Columns,
                  tally: Tally, row) -> tuple[Member | None, list[str]]:
    """The member of one row or node, or None and the problems that refuse it. A value read
    ignoring case, a non-UUID id or a long name is a warning on `row` (the record's report)."""
    problems: list[str] = []

    def choice(column, options, default):
        raw = record.get(column)
        if raw is None:
            return default
        if not raw.strip():
            tally.defaulted.setdefault(column, []).append(location)
            return default
        if raw in options:
            return raw
        if token(raw) in options:
            tally.mapped.setdefault(column, []).append((location, raw, token(raw)))
            row.warn(_("%(column)s %(raw)r read as %(value)r") % {
                "column": column, "raw": raw, "value": token(raw)}, code="value_mapped")
            return token(raw)
        problems.append(_("%(column)s %(raw)r is not one of %(options)s") % {
            "column": column, "raw": raw, "options": ", ".join(options)})
        return default

    def boolean(column, defaulted=True):
        raw = record.get(column)
        if raw is None:
            return False
        value = raw.strip().lower()
        if value in ("true", "1"):
            return True
        if value in ("false", "0"):
            return False
        if not value:
            if defaulted:
                tally.defaulted.setdefault(column, []).append(location)
            return False
        problems.append(_("%(column)s %(raw)r is not true or false") % {"column": column, "raw": raw})
        return False

    def chosen(var):
        picked = [o for o in CATEGORICAL[var] if boolean(f"{var}_{o}")]
        for column, written in columns.unknown_options[var].items():
            if boolean(column, defaulted=False):
                problems.append(_("%(written)s is true, but %(option)r is not an ecomap %(var)s "
                                  "option (%(options)s)") % {
                    "written": written, "option": column[len(var) + 1:],
                    "var": var.replace("_", " "), "options": ", ".join(CATEGORICAL[var])})
        return picked

    raw_key = record.get(NC_UUID) or ""
    key = member_key(raw_key) if raw_key.strip() else ""
    if not key:
        problems.append(_("%(column)s is empty") % {"column": NC_UUID})
    elif key != raw_key:
        tally.keys.append((location, raw_key, key))
        row.warn(_("the id %(raw)r is not a canonical UUID: read as %(key)s") % {
            "raw": raw_key, "key": key}, code="key_mapped")
    label = record.get("name") if "name" in columns.present else record.get("label")
    if not (label or "").strip():
        problems.append(_("name is empty"))
    elif len(label) > LONG_NAME:
        row.warn(_("the name is %(n)s characters long: it is kept whole, but the eco-map shows "
                   "only its beginning") % {"n": len(label)}, code="long_value")
    if columns.expanded_relationship:
        before = len(problems)
        picked = chosen("relationship")
        if len(picked) > 1:
            problems.append(_("more than one relationship is true: %(options)s")
                            % {"options": ", ".join(picked)})
        elif not picked and len(problems) == before:
            problems.append(_("no relationship_<option> column is true"))
        relationship = picked[0] if picked else ""
    else:
        raw = record.get("relationship") or ""
        relationship = choice("relationship", RELATIONSHIPS, "") if raw.strip() else ""
        if not raw.strip():
            problems.append(_("relationship is empty"))
    raw_circle = (record.get("circle") or "").strip()
    circle = int(raw_circle) if raw_circle in {str(c) for c in CIRCLES} else 0
    if not circle:
        problems.append(_("circle %(raw)r is not 1 (inner), 2 (middle) or 3 (outer)")
                        % {"raw": raw_circle} if raw_circle else _("circle is empty"))
    values = {var: choice(var, options, DEFAULTS[var]) for var, options in ORDINAL.items()}
    received, given = chosen("support_received"), chosen("support_given")
    could_join = boolean("could_join_sessions")
    if problems:
        return None, problems
    return Member(key=key, label=label, kind=kind, relationship=relationship, circle=circle,
                  support_received=frozenset(received), support_given=frozenset(given),
                  could_join_sessions=could_join, **values), []


class Ties:
    """Collects ties, refusing self-ties and unknown members, de-duplicating repeats."""

    def __init__(self, known: set[str], refused: dict[str, str]):
        self.known, self.refused = known, refused
        self.seen: dict[tuple[str, str], tuple[str, str]] = {}  # pair -> (location, edge type)

    def add(self, a: str, b: str, row, edge_type: str, shown: tuple[str, str]) -> None:
        """Add the tie a-b read as `row` (its report record): rejected, warned or kept."""
        if a == b:
            row.reject(_("tie refused: a member cannot be tied to itself (%(end)s)")
                       % {"end": shown[0]})
            return
        for key, raw in ((a, shown[0]), (b, shown[1])):
            if key not in self.known:
                if key in self.refused:
                    row.reject(_("tie refused: %(end)s was refused above (%(location)s)")
                               % {"end": raw, "location": self.refused[key]})
                else:
                    row.reject(_("tie refused: %(end)s is not a member in the file(s)")
                               % {"end": raw})
                return
        pair = (a, b) if a < b else (b, a)
        if pair in self.seen:
            first, first_type = self.seen[pair]
            if first_type == edge_type:
                row.warn(_("duplicate tie %(a)s - %(b)s (first at %(first)s) was read once")
                         % {"a": shown[0], "b": shown[1], "first": first}, code="duplicate")
            else:
                row.warn(_("tie %(a)s - %(b)s is also a %(type)r tie (%(first)s); ecomap records "
                           "it once") % {"a": shown[0], "b": shown[1], "type": first_type,
                                         "first": first}, code="duplicate")
            return
        self.seen[pair] = (row.location, edge_type)


def decode_utf8(data: bytes, where: str) -> str:
    if not isinstance(data, bytes | bytearray):
        raise ImportRefused(where, _("expected bytes, got %(type)s") % {"type": type(data).__name__})
    try:
        text = bytes(data).decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ImportRefused(f"{where}, line {line}", _(
            "not UTF-8 text: byte 0x%(byte)02x at line %(line)s, column %(column)s (byte offset "
            "%(offset)s); save the file as UTF-8 and try again") % {
            "byte": data[exc.start], "line": line, "column": column, "offset": exc.start}) from None
    text = text.removeprefix("\ufeff")
    if "\x00" in text:
        offset = text.index("\x00")
        raise ImportRefused(f"{where}, line {text.count(chr(10), 0, offset) + 1}",
                            _("contains a NUL character: this is not a text file"))
    return text


def too_big(size: int, where: str) -> ImportRefused:
    return ImportRefused(where, _("%(size)s bytes is more than the %(limit)s-byte limit for an "
                                  "import") % {"size": f"{size:,}", "limit": f"{MAX_IMPORT_BYTES:,}"})


def too_many(count: int, where: str) -> ImportRefused:
    return ImportRefused(where, _("%(n)s members is more than the limit of %(limit)s for one network")
                         % {"n": count, "limit": MAX_MEMBERS})
