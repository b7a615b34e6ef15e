"""Network Canvas's CSV layout: the export of one session's files, and their import (also zipped).

CSV files (UTF-8, CRLF, minimal quoting, booleans `true`/`false`, one export = one session):

    <prefix>_ego.csv                   networkCanvasEgoUUID, networkCanvasCaseID, networkCanvasSessionID,
                                       networkCanvasProtocolName, sessionStart, sessionFinish,
                                       sessionExported, then the ego attributes the caller chose
    <prefix>_attributeList_<Type>.csv  nodeID, networkCanvasEgoUUID, networkCanvasUUID, then
                                       MEMBER_COLUMNS; one file per node type: Person, Group, Service
    <prefix>_edgeList_knows.csv        edgeID, from, to, networkCanvasEgoUUID, networkCanvasUUID,
                                       networkCanvasSourceUUID, networkCanvasTargetUUID

`<prefix>` is `<caseID>_<sessionID>` as in Network Canvas. `nodeID` numbers the members 1..n across the
node types in network order; `from`/`to` are nodeIDs; each undirected tie is written once. All three
attribute lists and the edge list are always written, header only when empty, so that batch scripts
find the same files for every client.
"""

from __future__ import annotations

import csv
import io
import posixpath
import re
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from ecomap.core.archives import ArchiveError, csv_bytes, unzip
from ecomap.core.imports import ImportRefused, ImportReport

from ..graph import Network
from .common import (
    ATTRIBUTE_LIST_COLUMNS,
    EDGE_LIST_COLUMNS,
    EDGE_TYPE,
    EGO_COLUMNS,
    EGO_UUID,
    KNOWN,
    MAX_FILES,
    MAX_IMPORT_BYTES,
    MAX_MEMBERS,
    MEMBER_COLUMNS,
    NC_UUID,
    NODE_ID,
    NODE_TYPES,
    PROTOCOL_NAME,
    SOURCE_UUID,
    TARGET_UUID,
    Columns,
    ImportResult,
    Tally,
    Ties,
    cell,
    check_ego,
    check_members,
    decode_member,
    decode_utf8,
    default_session,
    member_key,
    member_values,
    run_import,
    tie_uuid,
    timestamp,
    token,
    too_big,
    too_many,
)

# --- export ---------------------------------------------------------------------------------------


def _file_part(text: str) -> str:
    return re.sub(r"[^\w.-]", "", text, flags=re.ASCII).strip(".") or "ego"


def export_prefix(ego_id: str, session_id: str | None = None) -> str:
    """Network Canvas names files `<caseID>_<sessionID>_...`; both parts made safe for file names."""
    session = session_id if session_id is not None else default_session(ego_id)
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
    check_ego(ego_id, ego_attributes)
    check_members(network)
    session = session_id if session_id is not None else default_session(ego_id)
    prefix = export_prefix(ego_id, session)
    node_ids = {m.key: i for i, m in enumerate(network.members, start=1)}

    ego = cell(ego_id)
    ego_row = [ego, ego, cell(session), PROTOCOL_NAME, "", "", timestamp(exported_at)]
    files = {f"{prefix}_ego.csv": csv_bytes([[*EGO_COLUMNS, *map(cell, ego_attributes)],
                                              [*ego_row, *map(cell, ego_attributes.values())]])}
    for kind, type_name in NODE_TYPES.items():
        rows = [list(ATTRIBUTE_LIST_COLUMNS)]
        for m in network.members:
            if m.kind == kind:
                values = member_values(m, node_ids[m.key], redact_labels)
                rows.append([str(node_ids[m.key]), ego, m.key,
                             *(cell(values[c]) for c in MEMBER_COLUMNS)])
        files[f"{prefix}_attributeList_{type_name}.csv"] = csv_bytes(rows)
    rows = [list(EDGE_LIST_COLUMNS)]
    for i, (a, b) in enumerate(sorted(network.ties), start=1):
        rows.append([str(i), str(node_ids[a]), str(node_ids[b]), ego, tie_uuid(a, b), a, b])
    files[f"{prefix}_edgeList_{EDGE_TYPE}.csv"] = csv_bytes(rows)
    return files


# --- import ---------------------------------------------------------------------------------------

_ATTRIBUTE_FILE = re.compile(r"(?:^|_)attributeList(?:_(?P<type>.+?))?\.csv$", re.IGNORECASE)
_EDGE_FILE = re.compile(r"(?:^|_)edgeList(?:_(?P<type>.+?))?\.csv$", re.IGNORECASE)
_EGO_FILE = re.compile(r"(?:^|_)ego\.csv$", re.IGNORECASE)


@dataclass
class _Table:
    name: str
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (row number, header name -> value), header is row 1


def _read_csv(name: str, data: bytes) -> _Table:
    text = decode_utf8(data, name)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records = []
    try:
        for record in reader:
            records.append(record)
    except csv.Error as exc:
        raise ImportRefused(f"{name}, line {reader.line_num}",
                            _("malformed CSV (%(problem)s); nothing was imported")
                            % {"problem": exc}) from None
    if not records or not any(c.strip() for c in records[0]):
        raise ImportRefused(name, _("the file is empty: no header row"))
    header = [c.strip() for c in records[0]]
    named = [h for h in header if h]
    if len(set(named)) != len(named):
        twice = sorted({h for h in named if named.count(h) > 1})
        raise ImportRefused(f"{name}, row 1", _("columns appear twice in the header: %(columns)s")
                            % {"columns": ", ".join(twice)})
    rows = []
    for number, record in enumerate(records[1:], start=2):
        if not record or (len(record) == 1 and not record[0].strip() and len(header) > 1):
            continue  # a blank line holds no data
        if len(record) != len(header):
            raise ImportRefused(f"{name}, row {number}", _(
                "%(n)s fields where the header has %(header)s; nothing was imported") % {
                "n": len(record), "header": len(header)})
        rows.append((number, {h: v for h, v in zip(header, record, strict=True) if h}))
    return _Table(name, header, rows)


def import_network_canvas_zip(data: bytes, *, name: str = "upload.zip") -> ImportResult:
    """`import_network_canvas_csv` for a zip of the files, with limits on entries and unpacked size."""
    def read(report):
        if len(data) > MAX_IMPORT_BYTES:
            raise too_big(len(data), name)
        try:
            files = unzip(data, max_files=MAX_FILES, max_bytes=MAX_IMPORT_BYTES)
        except ArchiveError as error:
            raise ImportRefused(f"{name}: {error.entry}" if error.entry else name,
                                str(error)) from None
        return _import_csv(report, files)

    return run_import(read)


def import_network_canvas_csv(files: dict[str, bytes]) -> ImportResult:
    """Read one session's Network Canvas CSV files (ego, attributeList_<Type>, edgeList_<Type>) back
    into a Network. Keys are file names (folders are ignored); values are the raw bytes."""
    return run_import(_import_csv, files)


def _import_csv(report: ImportReport, files: dict[str, bytes]):
    if len(files) > MAX_FILES:
        raise ImportRefused("upload", _("%(n)s files is more than the limit of %(limit)s")
                            % {"n": len(files), "limit": MAX_FILES})
    total = sum(len(data) if isinstance(data, bytes | bytearray) else 0 for data in files.values())
    if total > MAX_IMPORT_BYTES:
        raise too_big(total, "upload")

    ego_files, attribute_files, edge_files = [], [], []
    for path in sorted(files):
        base = posixpath.basename(path.replace("\\", "/"))
        if base.startswith(".") or "__MACOSX/" in path.replace("\\", "/") or not base:
            report.info(path, _("ignored: not part of the export (hidden or system file)"),
                        code="file_ignored")
        elif match := _ATTRIBUTE_FILE.search(base):
            attribute_files.append((base, match["type"], files[path]))
        elif match := _EDGE_FILE.search(base):
            edge_files.append((base, match["type"], files[path]))
        elif _EGO_FILE.search(base):
            ego_files.append((base, files[path]))
        elif "adjacencymatrix" in base.lower():
            report.info(base, _("ignored: ecomap reads ties from the edge list, not the adjacency "
                                "matrix"), code="file_ignored")
        else:
            report.warning(base, _("ignored: not an ego, attributeList_<Type> or edgeList_<Type> "
                                   "CSV file"), code="file_ignored")
    if not attribute_files:
        raise ImportRefused("upload", _("no attribute list (a file named "
                                        "..._attributeList_<Type>.csv): there are no members to "
                                        "import"))

    ego_tables = [_read_csv(name, data) for name, data in ego_files]
    attribute_tables = [(_read_csv(name, data), node_type) for name, node_type, data in attribute_files]
    edge_tables = [(_read_csv(name, data), edge_type) for name, edge_type, data in edge_files]

    ego_id, ego_attributes = _read_ego(ego_tables, report)
    _check_single_ego(ego_id, [t for t, _type in attribute_tables] + [t for t, _type in edge_tables])
    count = sum(len(table.rows) for table, _type in attribute_tables)
    if count > MAX_MEMBERS:
        raise too_many(count, "upload")

    members, refused, node_ids = _read_members(attribute_tables, report)
    ties = Ties({m.key for m in members}, refused)
    for table, edge_type in edge_tables:
        _read_edges(table, edge_type, node_ids, ties, report)
    return Network.build(members, ties.seen), ego_id, ego_attributes


def _ego_column(table: _Table) -> str | None:
    return next((h for h in table.header if token(h) == token(EGO_UUID)), None)


def _read_ego(tables: list[_Table], report: ImportReport) -> tuple[str | None, dict]:
    if not tables:
        report.warning("upload", _("no ego file (..._ego.csv): ego attributes were not read"),
                       code="no_ego")
        return None, {}
    if len(tables) > 1:
        raise ImportRefused("upload", _("%(n)s ego files (%(names)s): import one person's network "
                                        "at a time") % {
            "n": len(tables), "names": ", ".join(t.name for t in tables)})
    table = tables[0]
    column = _ego_column(table)
    if column is None:
        raise ImportRefused(table.name, _("missing required column: %(column)s")
                            % {"column": EGO_UUID})
    if len(table.rows) > 1:
        raise ImportRefused(table.name, _("%(n)s egos: import one person's network at a time")
                            % {"n": len(table.rows)})
    if not table.rows:
        report.warning(table.name, _("the ego file has no row: ego attributes were not read"),
                       code="no_ego")
        return None, {}
    number, row = table.rows[0]
    fixed = {token(c) for c in EGO_COLUMNS}
    attributes = {h: v for h, v in row.items() if token(h) not in fixed}
    if attributes:
        report.info(f"{table.name}, row {number}", _(
            "%(n)s ego attribute(s) read: %(names)s; they are returned to the caller, not stored "
            "on the network") % {"n": len(attributes), "names": ", ".join(attributes)},
            code="ego_attributes")
    ego_id = row[column].strip() or None
    if ego_id is None:
        report.warning(f"{table.name}, row {number}", _("%(column)s is empty") % {"column": EGO_UUID},
                       code="no_ego")
    return ego_id, attributes


def _check_single_ego(ego_id: str | None, tables: list[_Table]) -> None:
    egos = {ego_id} if ego_id else set()
    for table in tables:
        column = _ego_column(table)
        for _number, row in (table.rows if column else ()):
            if row[column].strip():
                egos.add(row[column].strip())
    if len(egos) > 1:
        shown = ", ".join(sorted(egos)[:5]) + (", ..." if len(egos) > 5 else "")
        raise ImportRefused("upload", _("the files hold %(n)s different egos (%(column)s: "
                                        "%(egos)s); import one person's network at a time") % {
            "n": len(egos), "column": EGO_UUID, "egos": shown})


def _read_members(tables, report: ImportReport):
    """Members from the attribute lists, in nodeID order; of two rows with one key, the first is kept."""
    candidates = []  # (sort position, row report, member, nodeID as written, key as written)
    refused: dict[str, str] = {}  # key -> location of a refused row
    for order, (table, node_type) in enumerate(tables):
        kind = {v.lower(): k for k, v in NODE_TYPES.items()}.get((node_type or "").lower())
        if not table.rows:
            report.info(table.name, _("no members in this file"), code="empty_file")
            continue
        if kind is None:
            what = (_("node type %(type)r is not one of %(types)s") % {
                "type": node_type, "types": ", ".join(NODE_TYPES.values())} if node_type else
                _("the file name does not say the node type (..._attributeList_<Type>.csv)"))
            for number, row in table.rows:
                report.record(f"{table.name}, row {number}", key=row.get(NC_UUID, "")).reject(
                    _("row refused: %(why)s") % {"why": what})
            continue
        columns = Columns(table.header, table.name, report, KNOWN)
        columns.require(table.name)
        columns.report_absent(table.name, report)
        tally = Tally()
        for number, row in table.rows:
            location = f"{table.name}, row {number}"
            record = {columns.canonical[h]: v for h, v in row.items() if h in columns.canonical}
            entry = report.record(location, key=record.get(NC_UUID, ""))
            member, problems = decode_member(record, kind, location, columns, tally, entry)
            if problems:
                entry.reject(_("row refused: %(problems)s") % {"problems": "; ".join(problems)})
                if record.get(NC_UUID, "").strip():
                    refused.setdefault(member_key(record[NC_UUID]), location)
                continue
            entry.name = member.label
            node_id = (record.get(NODE_ID) or "").strip()
            position = int(node_id) if node_id.isdigit() else float("inf")
            candidates.append(((position, order, number), entry, member, node_id, record[NC_UUID]))
        tally.flush(table.name, report)

    candidates.sort(key=lambda candidate: candidate[0])
    members, seen = [], {}  # key -> location of the kept row
    node_ids: dict[str, str | None] = {}  # nodeID as written -> key (None when ambiguous)
    for _position, entry, member, node_id, raw_key in candidates:
        if member.key in seen:
            entry.reject(_("row refused: duplicate %(column)s %(raw)r (first at %(first)s)") % {
                "column": NC_UUID, "raw": raw_key, "first": seen[member.key]})
            continue
        seen[member.key] = entry.location
        members.append(member)
        if node_id in node_ids:
            entry.warn(_("%(column)s %(id)s is used twice; edge rows that name it by from/to "
                         "cannot be resolved") % {"column": NODE_ID, "id": node_id},
                       code="duplicate")
            node_ids[node_id] = None
        elif node_id:
            node_ids[node_id] = member.key
    return members, refused, node_ids


def _read_edges(table: _Table, edge_type: str | None, node_ids: dict, ties: Ties,
                report: ImportReport) -> None:
    if not table.rows:
        return
    known = {token(c): c for c in EDGE_LIST_COLUMNS}
    canonical = {h: known[token(h)] for h in table.header if token(h) in known}
    others = [h for h in table.header if h and h not in canonical]
    if others:
        report.info(table.name, _("edge variables that ecomap does not use were ignored: %(names)s")
                    % {"names": ", ".join(repr(h) for h in others)}, code="column_ignored")
    column = {c: h for h, c in canonical.items()}
    by_uuid = SOURCE_UUID in column and TARGET_UUID in column
    by_node_id = "from" in column and "to" in column
    if not by_uuid and not by_node_id:
        raise ImportRefused(table.name, _("missing required columns: %(source)s and %(target)s "
                                          "(or from and to)") % {
            "source": SOURCE_UUID, "target": TARGET_UUID})
    if not by_uuid and not node_ids:
        raise ImportRefused(table.name, _("ties are given by from/to, but the attribute lists "
                                          "have no %(column)s") % {"column": NODE_ID})
    if edge_type and edge_type.lower() != EDGE_TYPE:
        report.info(table.name, _("edge type %(type)r read as member-member ties (ecomap records "
                                  "only who knows whom)") % {"type": edge_type}, code="edge_type")
    for number, row in table.rows:
        entry = report.record(f"{table.name}, row {number}", key=row.get(column.get(NC_UUID), ""))
        ends, problems = [], []
        for uuid_column, id_column in ((SOURCE_UUID, "from"), (TARGET_UUID, "to")):
            raw_id = row[column[id_column]].strip() if by_node_id else ""
            by_id = node_ids.get(raw_id) if raw_id else None
            if by_uuid:
                raw = row[column[uuid_column]]
                if not raw.strip():
                    problems.append(_("%(column)s is empty") % {"column": uuid_column})
                    continue
                key = member_key(raw)
                if by_id and by_id != key:
                    problems.append(_("%(id_column)s %(id)s is member %(member)s, but "
                                      "%(uuid_column)s is %(raw)r") % {
                        "id_column": id_column, "id": raw_id, "member": by_id,
                        "uuid_column": uuid_column, "raw": raw})
                ends.append((key, repr(raw)))
            elif not raw_id:
                problems.append(_("%(column)s is empty") % {"column": id_column})
            elif by_id is None:
                problems.append(_("%(column)s %(id)r is not a %(node_id)s of an accepted member, "
                                  "or is used twice") % {
                    "column": id_column, "id": raw_id, "node_id": NODE_ID})
            else:
                ends.append((by_id, f"nodeID {raw_id}"))
        if problems:
            entry.reject(_("tie refused: %(problems)s") % {"problems": "; ".join(problems)})
            continue
        (a, shown_a), (b, shown_b) = ends
        ties.add(a, b, entry, (edge_type or EDGE_TYPE).lower(), (shown_a, shown_b))
