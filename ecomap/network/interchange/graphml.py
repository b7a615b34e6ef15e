"""GraphML: the export as Network Canvas writes it, and the import of one person's network (as
`export_graphml`, Network Canvas or networkx write it).

GraphML writes every value, including false and 0, where Network Canvas leaves out falsy values.
Every XML read goes through defusedxml: a document with a DTD, an entity declaration or an
external reference is refused with a clear message, and nothing is ever expanded or fetched.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime
from xml.parsers import expat

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser
from django.utils.translation import gettext as _

from ecomap.core.imports import ImportRefused, ImportReport

from ..graph import Network
from .common import (
    BOOLEAN_COLUMNS,
    EDGE_TYPE,
    KNOWN,
    MAX_IMPORT_BYTES,
    MAX_MEMBERS,
    MEMBER_COLUMNS,
    NC_TYPE,
    NC_UUID,
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

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
NC_NS = "http://schema.networkcanvas.com/xmlns"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"

# --- export ---------------------------------------------------------------------------------------


def export_graphml(network: Network, *, ego_id: str, ego_attributes: dict, session_id: str | None = None,
                   exported_at: datetime | None = None, redact_labels: bool = False) -> bytes:
    """GraphML as Network Canvas writes it: undirected, `nc:` session attributes on <graph>, ego id and
    ego attributes as graph-level <data>, members as nodes (id = nodeID) and ties as edges.

    Same arguments as `export_network_canvas_csv`. Characters that XML 1.0 cannot carry (control
    characters other than tab and newlines, lone surrogates) are written as U+FFFD.
    """
    check_ego(ego_id, ego_attributes)
    check_members(network)
    session = session_id if session_id is not None else default_session(ego_id)
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
               f'nc:sessionExportTime="{timestamp(exported_at)}">')

    def data(indent, key_id, value):
        out.append(f'{indent}<data key="{_xml_attr(key_id)}">{_xml_text(cell(value))}</data>')

    data("    ", NC_UUID, ego_id)
    for name, value in ego_attributes.items():
        if value is not None:
            data("    ", ego_keys[name], value)
    for m in network.members:
        values = member_values(m, node_ids[m.key], redact_labels)
        out.append(f'    <node id="{node_ids[m.key]}">')
        data("      ", NC_UUID, m.key)
        data("      ", NC_TYPE, NODE_TYPES[m.kind])
        data("      ", "label", values["name"])
        for column in MEMBER_COLUMNS:
            data("      ", column, values[column])
        out.append("    </node>")
    for i, (a, b) in enumerate(sorted(network.ties), start=1):
        out.append(f'    <edge id="{i}" source="{node_ids[a]}" target="{node_ids[b]}">')
        data("      ", NC_UUID, tie_uuid(a, b))
        data("      ", NC_TYPE, EDGE_TYPE)
        data("      ", SOURCE_UUID, a)
        data("      ", TARGET_UUID, b)
        out.append("    </edge>")
    out += ["  </graph>", "</graphml>", ""]
    return "\n".join(out).encode("utf-8")


_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


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
    return True if column in BOOLEAN_COLUMNS else 1 if column == "circle" else ""



# --- import ---------------------------------------------------------------------------------------

_GRAPHML_KNOWN = {**KNOWN, token(NC_TYPE): NC_TYPE, "kind": "kind"}
_XML_DECLARATION = re.compile(r"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']+)["']""")


class _LineBuilder(ET.TreeBuilder):
    """A tree builder that notes the line each element starts on, for the report."""

    def __init__(self):
        super().__init__()
        self.parser: DefusedXMLParser | None = None
        self.lines: dict[ET.Element, int] = {}

    def start(self, tag, attrs):
        element = super().start(tag, attrs)
        self.lines[element] = self.parser.parser.CurrentLineNumber
        return element


def _parse_xml(text: str, data: bytes, where: str):
    """Parse with defusedxml: a DTD, an entity declaration or an external reference is refused."""
    if (match := _XML_DECLARATION.match(text)) and match[1].lower().replace("_", "-") not in (
            "utf-8", "utf8"):
        raise ImportRefused(f"{where}, line 1", _("declared encoding %(encoding)r: only UTF-8 is "
                                                  "accepted") % {"encoding": match[1]})
    builder = _LineBuilder()
    parser = DefusedXMLParser(target=builder, encoding="utf-8", forbid_dtd=True,
                              forbid_entities=True, forbid_external=True)
    builder.parser = parser
    try:
        parser.feed(bytes(data))
        root = parser.close()
    except DefusedXmlException:
        raise ImportRefused(f"{where}, line {parser.parser.CurrentLineNumber}", _(
            "DTD and entity declarations are not accepted (they can expand or fetch entities); "
            "remove them"), code="unsafe_xml") from None
    except ET.ParseError as exc:
        line, column = exc.position
        raise ImportRefused(f"{where}, line {line}, column {column + 1}", _(
            "malformed XML (%(problem)s); nothing was imported") % {
            "problem": expat.ErrorString(exc.code)}) from None
    return root, builder.lines


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
    return run_import(_import_graphml, data, name)


def _keys(root, where: str, lines) -> dict[str, dict]:
    keys: dict[str, dict] = {}
    for element in _children(root, "key"):
        key_id = element.get("id")
        if not key_id:
            raise ImportRefused(f"{where}, line {lines[element]}", _("a <key> has no id"))
        default = _children(element, "default")
        keys[key_id] = {"name": element.get("attr.name") or key_id, "type": element.get("attr.type"),
                        "for": element.get("for", "all"),
                        "default": (default[0].text or "") if default else None}
    return keys


def _graph(root, where: str, lines, keys):
    graphs = _children(root, "graph")
    if len(graphs) != 1:
        raise ImportRefused(where, _("%(n)s <graph> elements: ecomap imports one person's network, "
                                     "one graph per file") % {"n": len(graphs)}
                            if graphs else _("no <graph> element"))
    graph = graphs[0]
    for item in graph.iter():
        if item is not graph and _local(item.tag) == "graph":
            raise ImportRefused(f"{where}, line {lines[item]}", _("nested graphs are not supported"))
        if _local(item.tag) == "data" and item.get("key") not in keys:
            raise ImportRefused(f"{where}, line {lines[item]}",
                                _("<data> names the undeclared key %(key)r") % {"key": item.get("key")})
    return graph


def _import_graphml(report: ImportReport, data: bytes, where: str):
    if isinstance(data, bytes | bytearray) and len(data) > MAX_IMPORT_BYTES:
        raise too_big(len(data), where)
    text = decode_utf8(data, where)
    root, lines = _parse_xml(text, bytes(data).removeprefix(b"\xef\xbb\xbf"), where)
    if _local(root.tag) != "graphml":
        raise ImportRefused(where, _("not a GraphML document (the root element is <%(tag)s>)")
                            % {"tag": root.tag})
    keys = _keys(root, where, lines)
    graph = _graph(root, where, lines, keys)

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
        report.info(where, _("%(n)s ego attribute(s) read: %(names)s; they are returned to the "
                             "caller, not stored on the network") % {
            "n": len(ego_attributes), "names": ", ".join(ego_attributes)}, code="ego_attributes")

    members, refused, xml_ids = _read_nodes(graph, keys, values, lines, where, report)
    ties = Ties({m.key for m in members}, refused)
    _read_edges(graph, values, lines, where, report, ties, xml_ids)
    return Network.build(members, ties.seen), ego_id, ego_attributes


def _read_nodes(graph, keys, values, lines, where: str, report: ImportReport):
    nodes = _children(graph, "node")
    if len(nodes) > MAX_MEMBERS:
        raise too_many(len(nodes), where)
    node_keys = [k for k in keys.values() if k["for"] in ("node", "all")]
    columns = Columns([k["name"] for k in node_keys], where, report, _GRAPHML_KNOWN,
                      ignore=("label",) if any(k["name"] == "name" for k in node_keys) else ())
    members, refused, xml_ids = [], {}, {}
    tally = Tally()
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
        entry = report.record(location, key=record.get(NC_UUID, ""))
        if "name" in found and "label" in found and found["label"] != found["name"]:
            entry.warn(_("label %(label)r differs from name %(name)r; the name was used") % {
                "label": found["label"], "name": found["name"]}, code="label_differs")
        kind, problems = _node_kind(record), []
        if not xml_id:
            problems.append(_("the node has no id"))
        elif xml_id in xml_ids:
            problems.append(_("node id %(id)r is used twice (first at %(first)s)") % {
                "id": xml_id, "first": xml_ids[xml_id][1]})
        if kind is None:
            written = record.get(NC_TYPE) or record.get("kind") or ""
            problems.append(_("node type %(type)r is not one of %(types)s") % {
                "type": written, "types": ", ".join(NODE_TYPES.values())})
        member, more = decode_member(record, kind or "person", location, columns, tally, entry)
        problems += more
        if member is not None and member.key in seen:
            problems.append(_("duplicate %(column)s %(raw)r (first at %(first)s)") % {
                "column": NC_UUID, "raw": record.get(NC_UUID), "first": seen[member.key]})
        if problems:
            entry.reject(_("node refused: %(problems)s") % {"problems": "; ".join(problems)})
            raw = record.get(NC_UUID, "")
            if raw.strip() and member_key(raw) not in seen:
                refused.setdefault(member_key(raw), location)
            if xml_id and xml_id not in xml_ids:
                xml_ids[xml_id] = (None, location)
            continue
        entry.name = member.label
        seen[member.key] = location
        xml_ids[xml_id] = (member.key, location)
        members.append(member)
    tally.flush(where, report)
    return members, refused, xml_ids


def _read_edges(graph, values, lines, where: str, report: ImportReport, ties: Ties, xml_ids):
    directed = graph.get("edgedefault") == "directed"
    for element in _children(graph, "hyperedge"):
        report.record(f"{where}, line {lines[element]}").reject(
            _("hyperedge refused: an ecomap tie joins two members"))
    unused = set()
    for element in _children(graph, "edge"):
        entry = report.record(f"{where}, line {lines[element]} (edge {element.get('id', '')!r})",
                              key=element.get("id", ""))
        directed = directed or element.get("directed") == "true"
        found = values(element)
        unused |= found.keys() - {NC_UUID, NC_TYPE, SOURCE_UUID, TARGET_UUID, "id", "label"}
        ends, problems = [], []
        for end in ("source", "target"):
            xml_id = element.get(end) or ""
            if not xml_id:
                problems.append(_("%(end)s is missing") % {"end": end})
            elif xml_id not in xml_ids:
                problems.append(_("%(end)s %(id)r is not a node in the file") % {
                    "end": end, "id": xml_id})
            elif xml_ids[xml_id][0] is None:
                problems.append(_("%(end)s node %(id)r was refused above (%(location)s)") % {
                    "end": end, "id": xml_id, "location": xml_ids[xml_id][1]})
            else:
                ends.append((xml_ids[xml_id][0], f"node {xml_id!r}"))
        if problems:
            entry.reject(_("tie refused: %(problems)s") % {"problems": "; ".join(problems)})
            continue
        (a, shown_a), (b, shown_b) = ends
        edge_type = (found.get(NC_TYPE) or EDGE_TYPE).strip().lower()
        ties.add(a, b, entry, edge_type, (shown_a, shown_b))
    if unused:
        report.info(where, _("edge attributes that ecomap does not use were ignored: %(names)s")
                    % {"names": ", ".join(repr(n) for n in sorted(unused))}, code="column_ignored")
    if directed:
        report.info(where, _("directed edges were read as undirected ties (who knows whom)"),
                    code="directed")


def _node_kind(record: dict[str, str]) -> str | None:
    written = record.get(NC_TYPE) or record.get("kind") or ""
    return {v.lower(): k for k, v in NODE_TYPES.items()}.get(written.strip().lower())


def _typed(text: str, attr_type: str | None, name: str, where: str, report: ImportReport):
    try:
        if attr_type == "boolean":
            return {"true": True, "false": False, "1": True, "0": False}[text.strip().lower()]
        if attr_type in ("int", "long"):
            return int(text)
        if attr_type in ("float", "double"):
            return float(text)
    except (KeyError, ValueError):
        report.warning(where, _("ego attribute %(name)r is declared %(type)s but holds %(text)r; "
                                "kept as text") % {"name": name, "type": attr_type, "text": text},
                       code="ego_attribute_type")
    return text
