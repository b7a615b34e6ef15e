"""Research exports and imports of a client's network in Network Canvas's CSV layout and in GraphML.

Pure functions over `graph.Network` (no ORM, no networkx at run time). The layout follows Network
Canvas's exporter (complexdatacollective/network-exporters: `src/formatters/csv/{ego-list,attribute-list,
edge-list}.js`, `src/formatters/network.js`, `src/formatters/graphml/createGraphML.js`,
`src/utils/general.js`), so that R's `egor::threefiles_to_egor(..., ID.vars = list(ego =
"networkCanvasEgoUUID", alter = "networkCanvasUUID", source = "networkCanvasSourceUUID", target =
"networkCanvasTargetUUID"))`, `ideanet::nc_read()` and `networkx.read_graphml` read it unchanged.

CSV files (UTF-8, CRLF, minimal quoting, booleans `true`/`false`, one export = one session):

    <prefix>_ego.csv                   networkCanvasEgoUUID, networkCanvasCaseID, networkCanvasSessionID,
                                       networkCanvasProtocolName, sessionStart, sessionFinish,
                                       sessionExported, then the ego attributes the caller chose
    <prefix>_attributeList_<Type>.csv  nodeID, networkCanvasEgoUUID, networkCanvasUUID, then
                                       MEMBER_COLUMNS; one file per node type: Person, Group, Service
    <prefix>_edgeList_knows.csv        edgeID, from, to, networkCanvasEgoUUID, networkCanvasUUID,
                                       networkCanvasSourceUUID, networkCanvasTargetUUID

`<prefix>` is `<caseID>_<sessionID>` as in Network Canvas. `nodeID` numbers the members 1..n across the
node types in network order; `from`/`to` are nodeIDs; each undirected tie is written once. Categorical
variables (relationship, support received, support given) become one boolean column per option,
`<variable>_<option>`, as Network Canvas writes them. Ordinal variables (circle, contact, valence,
substance_use, recovery_stance) stay one column. The member's label is Network Canvas's `name` variable.

Two deliberate differences from Network Canvas: all three attribute lists and the edge list are always
written, header only when empty, so that batch scripts find the same files for every client; and GraphML
writes every value, including false and 0, where Network Canvas leaves out falsy values.

Imports read the same files back (also a zip of them, and GraphML) into a `Network` with a report.
Nothing is dropped silently: a refused row, a mapped value or an ignored column each gives a
`ReportLine`. Problems that make the whole input untrustworthy (not UTF-8, malformed CSV or XML, a
missing required column, more than one ego, oversized input) refuse the import: `network` is None.

XML safety: defusedxml is not installed, so GraphML is parsed with the standard library's expat. Before
parsing, documents with a DOCTYPE or ENTITY declaration are refused, and the expat handlers refuse them
again during the parse (no DTD, no entity expansion, no external entity is ever fetched).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import posixpath
import re
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import UTC, datetime
from xml.parsers import expat

from ecomap.core.archives import ArchiveError, csv_bytes, unzip, zip_bytes

from .choices import (
    Circle,
    Contact,
    MemberKind,
    RecoveryStance,
    Relationship,
    SubstanceUse,
    SupportFunction,
    Valence,
)
from .graph import Member, Network

__all__ = [
    "ATTRIBUTE_LIST_COLUMNS",
    "EDGE_LIST_COLUMNS",
    "EGO_COLUMNS",
    "MAX_FILES",
    "MAX_IMPORT_BYTES",
    "MAX_MEMBERS",
    "MEMBER_COLUMNS",
    "ImportResult",
    "ReportLine",
    "export_graphml",
    "export_network_canvas_csv",
    "export_prefix",
    "import_graphml",
    "import_network_canvas_csv",
    "import_network_canvas_zip",
    "zip_bytes",
]

# ---------------------------------------------------------------------------------------------------
# Vocabulary of the files

MAX_IMPORT_BYTES = 5 * 1024 * 1024  # per import: all files together, or one GraphML document
MAX_MEMBERS = 500
MAX_FILES = 50

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
_DEFAULTS = {f.name: f.default for f in dataclasses.fields(Member)
             if f.default is not dataclasses.MISSING}


def _options(var: str) -> list[str]:
    return [f"{var}_{option}" for option in CATEGORICAL[var]]


MEMBER_COLUMNS = ("name", *_options("relationship"), "circle", "contact", *_options("support_received"),
                  *_options("support_given"), "valence", "substance_use", "recovery_stance",
                  "could_join_sessions")
ATTRIBUTE_LIST_COLUMNS = (NODE_ID, EGO_UUID, NC_UUID, *MEMBER_COLUMNS)
_BOOLEAN_COLUMNS = frozenset({*_options("relationship"), *_options("support_received"),
                              *_options("support_given"), "could_join_sessions"})
# Names that ego attributes may not take: they would collide with the fixed columns or keys.
_RESERVED = frozenset({*EGO_COLUMNS, NC_UUID, NC_TYPE, "label"})

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
NC_NS = "http://schema.networkcanvas.com/xmlns"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"

# Stable ids for things ecomap has no uuid for: ties, default sessions, non-UUID keys in imported files.
_TIE_NS = uuid.UUID("0b6f3e52-6a8e-5d0c-9a7e-3c2f1f4e8d21")
_SESSION_NS = uuid.UUID("5d1c0e7a-2b4f-5e39-8c61-7a0d9e3b4f12")
_KEY_NS = uuid.UUID("9e2a4c71-3d5b-5f80-b1c6-4e7f0a2d8c35")

# ---------------------------------------------------------------------------------------------------
# Report


@dataclass(frozen=True)
class ReportLine:
    level: str  # "error" (something was refused), "warning" (something was changed), "info"
    location: str  # file and row or line, or node id
    message: str

    def __str__(self) -> str:
        return f"{self.level}: {self.location}: {self.message}"


@dataclass(frozen=True)
class ImportResult:
    network: Network | None  # None when the whole input was refused
    report: list[ReportLine]
    ego_id: str | None = None  # networkCanvasEgoUUID as found in the files
    # Ego attributes as found: text from CSV, typed from GraphML. Not part of the client's network: the
    # caller decides whether any of them is used.
    ego_attributes: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.network is not None

    def lines(self, level: str) -> list[ReportLine]:
        return [line for line in self.report if line.level == level]


class _Refused(Exception):
    """The whole input is refused; carries the report line that says why."""

    def __init__(self, location: str, message: str):
        super().__init__(message)
        self.line = ReportLine("error", location, message)


class _Report:
    def __init__(self):
        self.lines: list[ReportLine] = []

    def error(self, location, message):
        self.lines.append(ReportLine("error", location, message))

    def warning(self, location, message):
        self.lines.append(ReportLine("warning", location, message))

    def info(self, location, message):
        self.lines.append(ReportLine("info", location, message))


# ---------------------------------------------------------------------------------------------------
# Export


def export_prefix(ego_id: str, session_id: str | None = None) -> str:
    """Network Canvas names files `<caseID>_<sessionID>_...`; both parts made safe for file names."""
    session = session_id if session_id is not None else _default_session(ego_id)
    return f"{_file_part(ego_id)}_{_file_part(session)}"


def export_network_canvas_csv(network: Network, *, ego_id: str, ego_attributes: dict,
                              session_id: str | None = None, exported_at: datetime | None = None,
                              redact_labels: bool = False) -> dict[str, bytes]:
    """The Network Canvas CSV files of one client's network, by file name.

    `ego_id` must be a pseudonymous research id, never the client's name: these files leave the agency.
    `ego_attributes` (name -> str, int, float, bool or None) are written as they are; the caller chooses
    them. `session_id` defaults to a UUID derived from `ego_id`; pass the assessment's id to tell
    assessments apart. `redact_labels` writes "Person 3" instead of the members' labels.
    """
    _check_ego(ego_id, ego_attributes)
    _check_members(network)
    session = session_id if session_id is not None else _default_session(ego_id)
    prefix = export_prefix(ego_id, session)
    node_ids = {m.key: i for i, m in enumerate(network.members, start=1)}

    ego = _cell(ego_id)
    ego_row = [ego, ego, _cell(session), PROTOCOL_NAME, "", "", _timestamp(exported_at)]
    files = {f"{prefix}_ego.csv": csv_bytes([[*EGO_COLUMNS, *map(_cell, ego_attributes)],
                                              [*ego_row, *map(_cell, ego_attributes.values())]])}
    for kind, type_name in NODE_TYPES.items():
        rows = [list(ATTRIBUTE_LIST_COLUMNS)]
        for m in network.members:
            if m.kind == kind:
                values = _member_values(m, node_ids[m.key], redact_labels)
                rows.append([str(node_ids[m.key]), ego, m.key,
                             *(_cell(values[c]) for c in MEMBER_COLUMNS)])
        files[f"{prefix}_attributeList_{type_name}.csv"] = csv_bytes(rows)
    rows = [list(EDGE_LIST_COLUMNS)]
    for i, (a, b) in enumerate(sorted(network.ties), start=1):
        rows.append([str(i), str(node_ids[a]), str(node_ids[b]), ego, _tie_uuid(a, b), a, b])
    files[f"{prefix}_edgeList_{EDGE_TYPE}.csv"] = csv_bytes(rows)
    return files


def export_graphml(network: Network, *, ego_id: str, ego_attributes: dict, session_id: str | None = None,
                   exported_at: datetime | None = None, redact_labels: bool = False) -> bytes:
    """GraphML as Network Canvas writes it: undirected, `nc:` session attributes on <graph>, ego id and
    ego attributes as graph-level <data>, members as nodes (id = nodeID) and ties as edges.

    Same arguments as `export_network_canvas_csv`. Characters that XML 1.0 cannot carry (control
    characters other than tab and newlines, lone surrogates) are written as U+FFFD.
    """
    _check_ego(ego_id, ego_attributes)
    _check_members(network)
    session = session_id if session_id is not None else _default_session(ego_id)
    node_ids = {m.key: i for i, m in enumerate(network.members, start=1)}
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<graphml xmlns="{GRAPHML_NS}" xmlns:xsi="{XSI_NS}" xsi:schemaLocation="{GRAPHML_NS} '
           f'{GRAPHML_NS}/1.0/graphml.xsd" xmlns:nc="{NC_NS}">']

    def key(key_id, name, attr_type, domain):
        out.append(f'  <key id="{_xml_attr(key_id)}" attr.name="{_xml_attr(name)}" '
                   f'attr.type="{attr_type}" for="{domain}"/>')

    key("label", "label", "string", "all")
    key(NC_TYPE, NC_TYPE, "string", "all")
    key(NC_UUID, NC_UUID, "string", "all")
    ego_keys = {}
    for i, (name, value) in enumerate(ego_attributes.items(), start=1):
        ego_keys[name] = f"ego{i}"
        key(ego_keys[name], name, _graphml_type(value), "graph")
    for column in MEMBER_COLUMNS:
        key(column, column, _graphml_type(_example(column)), "node")
    key(TARGET_UUID, TARGET_UUID, "string", "edge")
    key(SOURCE_UUID, SOURCE_UUID, "string", "edge")

    out.append(f'  <graph edgedefault="undirected" nc:caseId="{_xml_attr(ego_id)}" '
               f'nc:sessionUUID="{_xml_attr(session)}" nc:protocolName="{PROTOCOL_NAME}" '
               f'nc:sessionExportTime="{_timestamp(exported_at)}">')

    def data(indent, key_id, value):
        out.append(f'{indent}<data key="{_xml_attr(key_id)}">{_xml_text(_cell(value))}</data>')

    data("    ", NC_UUID, ego_id)
    for name, value in ego_attributes.items():
        if value is not None:
            data("    ", ego_keys[name], value)
    for m in network.members:
        values = _member_values(m, node_ids[m.key], redact_labels)
        out.append(f'    <node id="{node_ids[m.key]}">')
        data("      ", NC_UUID, m.key)
        data("      ", NC_TYPE, NODE_TYPES[m.kind])
        data("      ", "label", values["name"])
        for column in MEMBER_COLUMNS:
            data("      ", column, values[column])
        out.append("    </node>")
    for i, (a, b) in enumerate(sorted(network.ties), start=1):
        out.append(f'    <edge id="{i}" source="{node_ids[a]}" target="{node_ids[b]}">')
        data("      ", NC_UUID, _tie_uuid(a, b))
        data("      ", NC_TYPE, EDGE_TYPE)
        data("      ", SOURCE_UUID, a)
        data("      ", TARGET_UUID, b)
        out.append("    </edge>")
    out += ["  </graph>", "</graphml>", ""]
    return "\n".join(out).encode("utf-8")


def _member_values(m: Member, node_id: int, redact_labels: bool) -> dict[str, object]:
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


def _check_members(network: Network) -> None:
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


def _check_ego(ego_id: str, ego_attributes: dict) -> None:
    if not isinstance(ego_id, str) or not ego_id.strip():
        raise ValueError("ego_id must be a non-empty pseudonymous id")
    for name, value in ego_attributes.items():
        if not isinstance(name, str) or not name.strip() or name != name.strip():
            raise ValueError(f"ego attribute names must be non-empty, unpadded strings, not {name!r}")
        if _token(name) in {_token(r) for r in _RESERVED}:
            raise ValueError(f"ego attribute {name!r} would collide with a Network Canvas column")
        if value is not None and not isinstance(value, str | int | float):
            raise ValueError(f"ego attribute {name!r}: {type(value).__name__} values cannot be exported")


def _default_session(ego_id: str) -> str:
    return str(uuid.uuid5(_SESSION_NS, ego_id))


def _tie_uuid(a: str, b: str) -> str:
    return str(uuid.uuid5(_TIE_NS, f"{a}|{b}"))


def _file_part(text: str) -> str:
    return re.sub(r"[^\w.-]", "", text, flags=re.ASCII).strip(".") or "ego"


def _timestamp(at: datetime | None) -> str:
    at = (at or datetime.now(UTC)).astimezone(UTC)
    return at.isoformat(timespec="milliseconds").replace("+00:00", "Z")


_SURROGATES = re.compile("[\ud800-\udfff]")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return _SURROGATES.sub("\ufffd", str(value))


def _xml_text(text: str) -> str:
    text = _XML_ILLEGAL.sub("\ufffd", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _xml_attr(text: str) -> str:
    return _xml_text(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


def _graphml_type(value) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "int" if -(2**31) <= value < 2**31 else "long"
    if isinstance(value, float):
        return "double"
    return "string"


def _example(column: str):
    return True if column in _BOOLEAN_COLUMNS else 1 if column == "circle" else ""


# ---------------------------------------------------------------------------------------------------
# Import: shared decoding of one member record


def _token(text: str) -> str:
    """The safe mapping for names and values: case, surrounding space, inner spaces or hyphens."""
    return re.sub(r"[\s-]+", "_", text.strip().lower())


_KNOWN = {_token(c): c for c in (NODE_ID, EGO_UUID, NC_UUID, *MEMBER_COLUMNS, "relationship", "label")}
_GRAPHML_KNOWN = {**_KNOWN, _token(NC_TYPE): NC_TYPE, "kind": "kind"}


class _Columns:
    """The columns of one attribute list (or the node keys of a GraphML document), by canonical name."""

    def __init__(self, names, where: str, report: _Report, known: dict[str, str], ignore=()):
        self.canonical: dict[str, str] = {}  # name as written -> canonical name
        self.unknown_options: dict[str, dict[str, str]] = {var: {} for var in CATEGORICAL}
        mapped, ignored = [], []
        for name in names:
            if name in ignore:
                continue
            token = _token(name)
            if name in known.values():
                canonical = name
            elif token in known:
                canonical = known[token]
                mapped.append(f"{name!r} as {canonical!r}")
            else:
                var = next((v for v in CATEGORICAL if token.startswith(v + "_")), None)
                if var is None:
                    ignored.append(name)
                    continue
                canonical = f"{var}_{token[len(var) + 1:]}"
                self.unknown_options[var][canonical] = name
            if canonical in self.canonical.values():
                raise _Refused(where, f"two columns both mean {canonical!r}; keep one of them")
            self.canonical[name] = canonical
        if mapped:
            report.warning(where, f"columns read ignoring case and spacing: {', '.join(mapped)}")
        if ignored:
            report.info(where, "columns that ecomap does not use were ignored: "
                               + ", ".join(repr(n) for n in ignored))
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
            raise _Refused(where, "missing required columns: " + ", ".join(missing)
                           + ". ecomap reads files that use its own variable names (see "
                           "ecomap/network/interchange.py)")

    def report_absent(self, where: str, report: _Report) -> None:
        absent = [c for c in MEMBER_COLUMNS[1:] if c not in self.present
                  and not (c.startswith("relationship_") and not self.expanded_relationship)]
        if absent:
            shown = [f"{c} ({_cell(_DEFAULTS.get(c, False))})" for c in absent]
            report.info(where, "columns absent, so every member gets the default: " + ", ".join(shown))
        if "relationship" in self.present and self.expanded_relationship:
            report.info(where, "the relationship column was ignored: the relationship_<option> columns "
                               "were read instead")


class _Tally:
    """Values that were mapped or defaulted, reported once per file and column rather than per cell."""

    def __init__(self):
        self.mapped: dict[str, list] = {}
        self.defaulted: dict[str, list] = {}
        self.keys: list = []

    def flush(self, where: str, report: _Report) -> None:
        for column, seen in self.mapped.items():
            location, raw, value = seen[0]
            report.warning(where, f"{column}: {len(seen)} value(s) read ignoring case and spacing, "
                                  f"e.g. {location}: {raw!r} as {value!r}")
        for column, seen in self.defaulted.items():
            default = _cell(_DEFAULTS.get(column, False))
            report.info(where, f"{column}: {len(seen)} empty value(s) read as the default {default!r} "
                               f"(first at {seen[0]})")
        if self.keys:
            location, raw, key = self.keys[0]
            report.warning(where, f"{len(self.keys)} member id(s) were not canonical UUIDs and were "
                                  f"replaced by stable UUIDs derived from them, e.g. {location}: "
                                  f"{raw!r} as {key}")


def _key(raw: str) -> str:
    """Member keys are UUID strings; other ids in imported files map to stable UUIDs made from them."""
    try:
        return str(uuid.UUID(raw.strip()))
    except ValueError:
        return str(uuid.uuid5(_KEY_NS, raw.strip()))


def _decode_member(record: dict[str, str], kind: str, location: str, columns: _Columns,
                   tally: _Tally) -> tuple[Member | None, list[str]]:
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
        if _token(raw) in options:
            tally.mapped.setdefault(column, []).append((location, raw, _token(raw)))
            return _token(raw)
        problems.append(f"{column} {raw!r} is not one of {', '.join(options)}")
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
        problems.append(f"{column} {raw!r} is not true or false")
        return False

    def chosen(var):
        picked = [o for o in CATEGORICAL[var] if boolean(f"{var}_{o}")]
        for column, written in columns.unknown_options[var].items():
            if boolean(column, defaulted=False):
                problems.append(f"{written} is true, but {column[len(var) + 1:]!r} is not an ecomap "
                                f"{var.replace('_', ' ')} option ({', '.join(CATEGORICAL[var])})")
        return picked

    raw_key = record.get(NC_UUID) or ""
    key = _key(raw_key) if raw_key.strip() else ""
    if not key:
        problems.append(f"{NC_UUID} is empty")
    elif key != raw_key:
        tally.keys.append((location, raw_key, key))
    label = record.get("name") if "name" in columns.present else record.get("label")
    if not (label or "").strip():
        problems.append("name is empty")
    if columns.expanded_relationship:
        before = len(problems)
        picked = chosen("relationship")
        if len(picked) > 1:
            problems.append(f"more than one relationship is true: {', '.join(picked)}")
        elif not picked and len(problems) == before:
            problems.append("no relationship_<option> column is true")
        relationship = picked[0] if picked else ""
    else:
        raw = record.get("relationship") or ""
        relationship = choice("relationship", RELATIONSHIPS, "") if raw.strip() else ""
        if not raw.strip():
            problems.append("relationship is empty")
    raw_circle = (record.get("circle") or "").strip()
    circle = int(raw_circle) if raw_circle in {str(c) for c in CIRCLES} else 0
    if not circle:
        problems.append(f"circle {raw_circle!r} is not 1 (inner), 2 (middle) or 3 (outer)"
                        if raw_circle else "circle is empty")
    values = {var: choice(var, options, _DEFAULTS[var]) for var, options in ORDINAL.items()}
    received, given = chosen("support_received"), chosen("support_given")
    could_join = boolean("could_join_sessions")
    if problems:
        return None, problems
    return Member(key=key, label=label, kind=kind, relationship=relationship, circle=circle,
                  support_received=frozenset(received), support_given=frozenset(given),
                  could_join_sessions=could_join, **values), []


class _Ties:
    """Collects ties, refusing self-ties and unknown members, de-duplicating repeats."""

    def __init__(self, known: set[str], refused: dict[str, str], report: _Report):
        self.known, self.refused, self.report = known, refused, report
        self.seen: dict[tuple[str, str], tuple[str, str]] = {}  # pair -> (location, edge type)

    def add(self, a: str, b: str, location: str, edge_type: str, shown: tuple[str, str]) -> None:
        if a == b:
            self.report.error(location, f"tie refused: a member cannot be tied to itself ({shown[0]})")
            return
        for key, raw in ((a, shown[0]), (b, shown[1])):
            if key not in self.known:
                where = (f"was refused above ({self.refused[key]})" if key in self.refused
                         else "is not a member in the file(s)")
                self.report.error(location, f"tie refused: {raw} {where}")
                return
        pair = (a, b) if a < b else (b, a)
        if pair in self.seen:
            first, first_type = self.seen[pair]
            if first_type == edge_type:
                self.report.warning(location, f"duplicate tie {shown[0]} - {shown[1]} "
                                              f"(first at {first}) was read once")
            else:
                self.report.info(location, f"tie {shown[0]} - {shown[1]} is also a {first_type!r} tie "
                                           f"({first}); ecomap records it once")
            return
        self.seen[pair] = (location, edge_type)


def _decode_utf8(data: bytes, where: str) -> str:
    if not isinstance(data, bytes | bytearray):
        raise _Refused(where, f"expected bytes, got {type(data).__name__}")
    try:
        text = bytes(data).decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise _Refused(f"{where}, line {line}",
                       f"not UTF-8 text: byte 0x{data[exc.start]:02x} at line {line}, column {column} "
                       f"(byte offset {exc.start}); save the file as UTF-8 and try again") from None
    text = text.removeprefix("\ufeff")
    if "\x00" in text:
        offset = text.index("\x00")
        raise _Refused(f"{where}, line {text.count(chr(10), 0, offset) + 1}",
                       "contains a NUL character: this is not a text file")
    return text


def _too_big(size: int, where: str) -> _Refused:
    return _Refused(where, f"{size:,} bytes is more than the {MAX_IMPORT_BYTES:,}-byte limit "
                           "for an import")


def _too_many(count: int, where: str) -> _Refused:
    return _Refused(where, f"{count} members is more than the limit of {MAX_MEMBERS} for one network")


# ---------------------------------------------------------------------------------------------------
# Import: Network Canvas CSV

_ATTRIBUTE_FILE = re.compile(r"(?:^|_)attributeList(?:_(?P<type>.+?))?\.csv$", re.IGNORECASE)
_EDGE_FILE = re.compile(r"(?:^|_)edgeList(?:_(?P<type>.+?))?\.csv$", re.IGNORECASE)
_EGO_FILE = re.compile(r"(?:^|_)ego\.csv$", re.IGNORECASE)


@dataclass
class _Table:
    name: str
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (row number, header name -> value), header is row 1


def _read_csv(name: str, data: bytes) -> _Table:
    text = _decode_utf8(data, name)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records = []
    try:
        for record in reader:
            records.append(record)
    except csv.Error as exc:
        raise _Refused(f"{name}, line {reader.line_num}",
                       f"malformed CSV ({exc}); nothing was imported") from None
    if not records or not any(cell.strip() for cell in records[0]):
        raise _Refused(name, "the file is empty: no header row")
    header = [cell.strip() for cell in records[0]]
    named = [h for h in header if h]
    if len(set(named)) != len(named):
        twice = sorted({h for h in named if named.count(h) > 1})
        raise _Refused(f"{name}, row 1", f"columns appear twice in the header: {', '.join(twice)}")
    rows = []
    for number, record in enumerate(records[1:], start=2):
        if not record or (len(record) == 1 and not record[0].strip() and len(header) > 1):
            continue  # a blank line holds no data
        if len(record) != len(header):
            raise _Refused(f"{name}, row {number}", f"{len(record)} fields where the header has "
                                                    f"{len(header)}; nothing was imported")
        rows.append((number, {h: v for h, v in zip(header, record, strict=True) if h}))
    return _Table(name, header, rows)


def import_network_canvas_zip(data: bytes, *, name: str = "upload.zip") -> ImportResult:
    """`import_network_canvas_csv` for a zip of the files, with limits on entries and unpacked size."""
    try:
        if len(data) > MAX_IMPORT_BYTES:
            raise _too_big(len(data), name)
        files = _unzip(data, name)
    except _Refused as refused:
        return ImportResult(None, [refused.line])
    return import_network_canvas_csv(files)


def _unzip(data: bytes, name: str) -> dict[str, bytes]:
    try:
        return unzip(data, max_files=MAX_FILES, max_bytes=MAX_IMPORT_BYTES)
    except ArchiveError as error:
        raise _Refused(f"{name}: {error.entry}" if error.entry else name, str(error)) from None


def import_network_canvas_csv(files: dict[str, bytes]) -> ImportResult:
    """Read one session's Network Canvas CSV files (ego, attributeList_<Type>, edgeList_<Type>) back
    into a Network. Keys are file names (folders are ignored); values are the raw bytes."""
    report = _Report()
    try:
        network, ego_id, ego_attributes = _import_csv(files, report)
    except _Refused as refused:
        return ImportResult(None, [*report.lines, refused.line])
    return ImportResult(network, report.lines, ego_id, ego_attributes)


def _import_csv(files: dict[str, bytes], report: _Report):
    if len(files) > MAX_FILES:
        raise _Refused("upload", f"{len(files)} files is more than the limit of {MAX_FILES}")
    total = sum(len(data) if isinstance(data, bytes | bytearray) else 0 for data in files.values())
    if total > MAX_IMPORT_BYTES:
        raise _too_big(total, "upload")

    ego_files, attribute_files, edge_files = [], [], []
    for path in sorted(files):
        base = posixpath.basename(path.replace("\\", "/"))
        if base.startswith(".") or "__MACOSX/" in path.replace("\\", "/") or not base:
            report.info(path, "ignored: not part of the export (hidden or system file)")
        elif match := _ATTRIBUTE_FILE.search(base):
            attribute_files.append((base, match["type"], files[path]))
        elif match := _EDGE_FILE.search(base):
            edge_files.append((base, match["type"], files[path]))
        elif _EGO_FILE.search(base):
            ego_files.append((base, files[path]))
        elif "adjacencymatrix" in base.lower():
            report.info(base, "ignored: ecomap reads ties from the edge list, not the adjacency matrix")
        else:
            report.warning(base, "ignored: not an ego, attributeList_<Type> or edgeList_<Type> CSV file")
    if not attribute_files:
        raise _Refused("upload", "no attribute list (a file named ..._attributeList_<Type>.csv): "
                                 "there are no members to import")

    ego_tables = [_read_csv(name, data) for name, data in ego_files]
    attribute_tables = [(_read_csv(name, data), node_type) for name, node_type, data in attribute_files]
    edge_tables = [(_read_csv(name, data), edge_type) for name, edge_type, data in edge_files]

    ego_id, ego_attributes = _read_ego(ego_tables, report)
    _check_single_ego(ego_id, [t for t, _ in attribute_tables] + [t for t, _ in edge_tables])
    count = sum(len(table.rows) for table, _ in attribute_tables)
    if count > MAX_MEMBERS:
        raise _too_many(count, "upload")

    members, refused, node_ids = _read_members(attribute_tables, report)
    ties = _Ties({m.key for m in members}, refused, report)
    for table, edge_type in edge_tables:
        _read_edges(table, edge_type, node_ids, ties, report)
    return Network.build(members, ties.seen), ego_id, ego_attributes


def _ego_column(table: _Table) -> str | None:
    return next((h for h in table.header if _token(h) == _token(EGO_UUID)), None)


def _read_ego(tables: list[_Table], report: _Report) -> tuple[str | None, dict]:
    if not tables:
        report.warning("upload", "no ego file (..._ego.csv): ego attributes were not read")
        return None, {}
    if len(tables) > 1:
        names = ", ".join(t.name for t in tables)
        raise _Refused("upload", f"{len(tables)} ego files ({names}): import one person's network "
                                 "at a time")
    table = tables[0]
    column = _ego_column(table)
    if column is None:
        raise _Refused(table.name, f"missing required column: {EGO_UUID}")
    if len(table.rows) > 1:
        raise _Refused(table.name, f"{len(table.rows)} egos: import one person's network at a time")
    if not table.rows:
        report.warning(table.name, "the ego file has no row: ego attributes were not read")
        return None, {}
    number, row = table.rows[0]
    fixed = {_token(c) for c in EGO_COLUMNS}
    attributes = {h: v for h, v in row.items() if _token(h) not in fixed}
    if attributes:
        report.info(f"{table.name}, row {number}",
                    f"{len(attributes)} ego attribute(s) read: {', '.join(attributes)}; they are "
                    "returned to the caller, not stored on the network")
    ego_id = row[column].strip() or None
    if ego_id is None:
        report.warning(f"{table.name}, row {number}", f"{EGO_UUID} is empty")
    return ego_id, attributes


def _check_single_ego(ego_id: str | None, tables: list[_Table]) -> None:
    egos = {ego_id} if ego_id else set()
    for table in tables:
        column = _ego_column(table)
        for _, row in (table.rows if column else ()):
            if row[column].strip():
                egos.add(row[column].strip())
    if len(egos) > 1:
        shown = ", ".join(sorted(egos)[:5]) + (", ..." if len(egos) > 5 else "")
        raise _Refused("upload", f"the files hold {len(egos)} different egos ({EGO_UUID}: {shown}); "
                                 "import one person's network at a time")


def _read_members(tables, report: _Report):
    """Members from the attribute lists, in nodeID order; of two rows with one key, the first is kept."""
    candidates = []  # (sort position, location, member, nodeID as written, key as written)
    refused: dict[str, str] = {}  # key -> location of a refused row
    for order, (table, node_type) in enumerate(tables):
        kind = {v.lower(): k for k, v in NODE_TYPES.items()}.get((node_type or "").lower())
        if not table.rows:
            report.info(table.name, "no members in this file")
            continue
        if kind is None:
            what = (f"node type {node_type!r} is not one of {', '.join(NODE_TYPES.values())}"
                    if node_type else
                    "the file name does not say the node type (..._attributeList_<Type>.csv)")
            rows = f"rows {table.rows[0][0]}-{table.rows[-1][0]}"
            report.error(table.name, f"{what}: {len(table.rows)} row(s) refused ({rows})")
            continue
        columns = _Columns(table.header, table.name, report, _KNOWN)
        columns.require(table.name)
        columns.report_absent(table.name, report)
        tally = _Tally()
        for number, row in table.rows:
            location = f"{table.name}, row {number}"
            record = {columns.canonical[h]: v for h, v in row.items() if h in columns.canonical}
            member, problems = _decode_member(record, kind, location, columns, tally)
            if problems:
                report.error(location, "row refused: " + "; ".join(problems))
                if record.get(NC_UUID, "").strip():
                    refused.setdefault(_key(record[NC_UUID]), location)
                continue
            node_id = (record.get(NODE_ID) or "").strip()
            position = int(node_id) if node_id.isdigit() else float("inf")
            candidates.append(((position, order, number), location, member, node_id, record[NC_UUID]))
        tally.flush(table.name, report)

    candidates.sort(key=lambda candidate: candidate[0])
    members, seen = [], {}  # key -> location of the kept row
    node_ids: dict[str, str | None] = {}  # nodeID as written -> key (None when ambiguous)
    for _, location, member, node_id, raw_key in candidates:
        if member.key in seen:
            report.error(location, f"row refused: duplicate {NC_UUID} {raw_key!r} (first at "
                                   f"{seen[member.key]})")
            continue
        seen[member.key] = location
        members.append(member)
        if node_id in node_ids:
            report.warning(location, f"{NODE_ID} {node_id} is used twice; edge rows that name it by "
                                     "from/to cannot be resolved")
            node_ids[node_id] = None
        elif node_id:
            node_ids[node_id] = member.key
    return members, refused, node_ids


def _read_edges(table: _Table, edge_type: str | None, node_ids: dict, ties: _Ties,
                report: _Report) -> None:
    if not table.rows:
        return
    known = {_token(c): c for c in EDGE_LIST_COLUMNS}
    canonical = {h: known[_token(h)] for h in table.header if _token(h) in known}
    others = [h for h in table.header if h and h not in canonical]
    if others:
        report.info(table.name, "edge variables that ecomap does not use were ignored: "
                                + ", ".join(repr(h) for h in others))
    column = {c: h for h, c in canonical.items()}
    by_uuid = SOURCE_UUID in column and TARGET_UUID in column
    by_node_id = "from" in column and "to" in column
    if not by_uuid and not by_node_id:
        raise _Refused(table.name, f"missing required columns: {SOURCE_UUID} and {TARGET_UUID} "
                                   "(or from and to)")
    if not by_uuid and not node_ids:
        raise _Refused(table.name, f"ties are given by from/to, but the attribute lists have no "
                                   f"{NODE_ID}")
    if edge_type and edge_type.lower() != EDGE_TYPE:
        report.info(table.name, f"edge type {edge_type!r} read as member-member ties (ecomap records "
                                "only who knows whom)")
    for number, row in table.rows:
        location = f"{table.name}, row {number}"
        ends, problems = [], []
        for uuid_column, id_column in ((SOURCE_UUID, "from"), (TARGET_UUID, "to")):
            raw_id = row[column[id_column]].strip() if by_node_id else ""
            by_id = node_ids.get(raw_id) if raw_id else None
            if by_uuid:
                raw = row[column[uuid_column]]
                if not raw.strip():
                    problems.append(f"{uuid_column} is empty")
                    continue
                key = _key(raw)
                if by_id and by_id != key:
                    problems.append(f"{id_column} {raw_id} is member {by_id}, but {uuid_column} "
                                    f"is {raw!r}")
                ends.append((key, repr(raw)))
            elif not raw_id:
                problems.append(f"{id_column} is empty")
            elif by_id is None:
                problems.append(f"{id_column} {raw_id!r} is not a {NODE_ID} of an accepted member, "
                                "or is used twice")
            else:
                ends.append((by_id, f"nodeID {raw_id}"))
        if problems:
            report.error(location, "tie refused: " + "; ".join(problems))
            continue
        (a, shown_a), (b, shown_b) = ends
        ties.add(a, b, location, (edge_type or EDGE_TYPE).lower(), (shown_a, shown_b))


# ---------------------------------------------------------------------------------------------------
# Import: GraphML

_DECLARATIONS = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']+)["']""")


class _Forbidden(Exception):
    pass


def _parse_xml(text: str, data: bytes, where: str):
    """Parse with expat into ElementTree elements; DTDs and entities are refused, not expanded."""
    if match := _DECLARATIONS.search(text):
        line = text.count("\n", 0, match.start()) + 1
        raise _Refused(f"{where}, line {line}", f"<!{match[1].upper()}> declarations are not accepted "
                                                "(they can expand or fetch entities); remove them")
    if (match := _XML_DECLARATION.match(text)) and match[1].lower().replace("_", "-") not in (
            "utf-8", "utf8"):
        raise _Refused(f"{where}, line 1", f"declared encoding {match[1]!r}: only UTF-8 is accepted")
    builder = ET.TreeBuilder()
    lines: dict[ET.Element, int] = {}
    parser = expat.ParserCreate("UTF-8", namespace_separator="}")

    def name(raw):
        return "{" + raw if "}" in raw else raw

    def start(tag, attributes):
        element = builder.start(name(tag), {name(k): v for k, v in attributes.items()})
        lines[element] = parser.CurrentLineNumber

    def forbid(*_args):
        raise _Forbidden

    parser.StartElementHandler = start
    parser.EndElementHandler = lambda tag: builder.end(name(tag))
    parser.CharacterDataHandler = builder.data
    parser.StartDoctypeDeclHandler = forbid
    parser.EntityDeclHandler = forbid
    parser.ExternalEntityRefHandler = forbid
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.buffer_text = True
    try:
        parser.Parse(bytes(data), True)
    except _Forbidden:
        raise _Refused(f"{where}, line {parser.CurrentLineNumber}",
                       "DTD or entity declarations are not accepted") from None
    except expat.ExpatError as exc:
        raise _Refused(f"{where}, line {exc.lineno}, column {exc.offset + 1}",
                       f"malformed XML ({expat.ErrorString(exc.code)}); nothing was imported") from None
    return builder.close(), lines


def _local(tag: str) -> str | None:
    """The GraphML element name, for elements in the GraphML namespace or in none; None otherwise."""
    if tag.startswith("{" + GRAPHML_NS + "}"):
        return tag[len(GRAPHML_NS) + 2:]
    return None if tag.startswith("{") else tag


def _children(element, name: str):
    return [child for child in element if _local(child.tag) == name]


def import_graphml(data: bytes, *, name: str = "network.graphml") -> ImportResult:
    """Read one person's network from GraphML (as `export_graphml` or Network Canvas write it, or as
    networkx writes it back) into a Network."""
    report = _Report()
    try:
        network, ego_id, ego_attributes = _import_graphml(data, name, report)
    except _Refused as refused:
        return ImportResult(None, [*report.lines, refused.line])
    return ImportResult(network, report.lines, ego_id, ego_attributes)


def _import_graphml(data: bytes, where: str, report: _Report):
    if isinstance(data, bytes | bytearray) and len(data) > MAX_IMPORT_BYTES:
        raise _too_big(len(data), where)
    text = _decode_utf8(data, where)
    root, lines = _parse_xml(text, bytes(data).removeprefix(b"\xef\xbb\xbf"), where)
    if _local(root.tag) != "graphml":
        raise _Refused(where, f"not a GraphML document (the root element is <{root.tag}>)")
    keys: dict[str, dict] = {}
    for element in _children(root, "key"):
        key_id = element.get("id")
        if not key_id:
            raise _Refused(f"{where}, line {lines[element]}", "a <key> has no id")
        default = _children(element, "default")
        keys[key_id] = {"name": element.get("attr.name") or key_id, "type": element.get("attr.type"),
                        "for": element.get("for", "all"),
                        "default": (default[0].text or "") if default else None}
    graphs = _children(root, "graph")
    if len(graphs) != 1:
        raise _Refused(where, f"{len(graphs)} <graph> elements: ecomap imports one person's network, "
                              "one graph per file" if graphs else "no <graph> element")
    graph = graphs[0]
    for nested in graph.iter():
        if nested is not graph and _local(nested.tag) == "graph":
            raise _Refused(f"{where}, line {lines[nested]}", "nested graphs are not supported")

    for item in graph.iter():
        if _local(item.tag) == "data" and item.get("key") not in keys:
            raise _Refused(f"{where}, line {lines[item]}",
                           f"<data> names the undeclared key {item.get('key')!r}")

    def values(element) -> dict[str, str]:
        return {keys[item.get("key")]["name"]: "".join(item.itertext())
                for item in _children(element, "data")}

    ego_id, ego_attributes = None, {}
    for item in _children(graph, "data"):
        key, content = keys[item.get("key")], "".join(item.itertext())
        if key["name"] == NC_UUID:
            ego_id = content.strip() or None
        else:
            ego_attributes[key["name"]] = _typed(content, key["type"], key["name"], where, report)
    if ego_attributes:
        report.info(where, f"{len(ego_attributes)} ego attribute(s) read: {', '.join(ego_attributes)}; "
                           "they are returned to the caller, not stored on the network")

    nodes = _children(graph, "node")
    if len(nodes) > MAX_MEMBERS:
        raise _too_many(len(nodes), where)
    node_keys = [k for k in keys.values() if k["for"] in ("node", "all")]
    columns = _Columns([k["name"] for k in node_keys], where, report, _GRAPHML_KNOWN,
                       ignore=("label",) if any(k["name"] == "name" for k in node_keys) else ())
    members, refused, xml_ids = [], {}, {}
    tally = _Tally()
    if nodes:
        columns.require(where, graphml=True)
        columns.report_absent(where, report)
    defaults = {k["name"]: k["default"] for k in node_keys if k["default"] is not None}
    seen: dict[str, str] = {}
    for element in nodes:
        xml_id = element.get("id") or ""
        location = f"{where}, line {lines[element]} (node {xml_id!r})"
        found = {**defaults, **values(element)}
        record = {c: found.get(n, "") for n, c in columns.canonical.items()}
        if NC_UUID not in columns.present:
            record[NC_UUID] = xml_id
        if "name" in found and "label" in found and found["label"] != found["name"]:
            report.warning(location, f"label {found['label']!r} differs from name {found['name']!r}; "
                                     "the name was used")
        kind, problems = _node_kind(record), []
        if not xml_id:
            problems.append("the node has no id")
        elif xml_id in xml_ids:
            problems.append(f"node id {xml_id!r} is used twice (first at {xml_ids[xml_id][1]})")
        if kind is None:
            written = record.get(NC_TYPE) or record.get("kind") or ""
            problems.append(f"node type {written!r} is not one of {', '.join(NODE_TYPES.values())}")
        member, more = _decode_member(record, kind or "person", location, columns, tally)
        problems += more
        if member is not None and member.key in seen:
            problems.append(f"duplicate {NC_UUID} {record.get(NC_UUID)!r} (first at {seen[member.key]})")
        if problems:
            report.error(location, "node refused: " + "; ".join(problems))
            raw = record.get(NC_UUID, "")
            if raw.strip() and _key(raw) not in seen:
                refused.setdefault(_key(raw), location)
            if xml_id and xml_id not in xml_ids:
                xml_ids[xml_id] = (None, location)
            continue
        seen[member.key] = location
        xml_ids[xml_id] = (member.key, location)
        members.append(member)
    tally.flush(where, report)

    ties = _Ties({m.key for m in members}, refused, report)
    directed = graph.get("edgedefault") == "directed"
    for element in _children(graph, "hyperedge"):
        report.error(f"{where}, line {lines[element]}",
                     "hyperedge refused: an ecomap tie joins two members")
    unused = set()
    for element in _children(graph, "edge"):
        location = f"{where}, line {lines[element]} (edge {element.get('id', '')!r})"
        directed = directed or element.get("directed") == "true"
        found = values(element)
        unused |= found.keys() - {NC_UUID, NC_TYPE, SOURCE_UUID, TARGET_UUID, "id", "label"}
        ends, problems = [], []
        for end in ("source", "target"):
            xml_id = element.get(end) or ""
            if not xml_id:
                problems.append(f"{end} is missing")
            elif xml_id not in xml_ids:
                problems.append(f"{end} {xml_id!r} is not a node in the file")
            elif xml_ids[xml_id][0] is None:
                problems.append(f"{end} node {xml_id!r} was refused above ({xml_ids[xml_id][1]})")
            else:
                ends.append((xml_ids[xml_id][0], f"node {xml_id!r}"))
        if problems:
            report.error(location, "tie refused: " + "; ".join(problems))
            continue
        (a, shown_a), (b, shown_b) = ends
        edge_type = (found.get(NC_TYPE) or EDGE_TYPE).strip().lower()
        ties.add(a, b, location, edge_type, (shown_a, shown_b))
    if unused:
        report.info(where, "edge attributes that ecomap does not use were ignored: "
                           + ", ".join(repr(n) for n in sorted(unused)))
    if directed:
        report.info(where, "directed edges were read as undirected ties (who knows whom)")
    return Network.build(members, ties.seen), ego_id, ego_attributes


def _node_kind(record: dict[str, str]) -> str | None:
    written = record.get(NC_TYPE) or record.get("kind") or ""
    return {v.lower(): k for k, v in NODE_TYPES.items()}.get(written.strip().lower())


def _typed(text: str, attr_type: str | None, name: str, where: str, report: _Report):
    try:
        if attr_type == "boolean":
            return {"true": True, "false": False, "1": True, "0": False}[text.strip().lower()]
        if attr_type in ("int", "long"):
            return int(text)
        if attr_type in ("float", "double"):
            return float(text)
    except (KeyError, ValueError):
        report.warning(where, f"ego attribute {name!r} is declared {attr_type} but holds {text!r}; "
                              "kept as text")
    return text
