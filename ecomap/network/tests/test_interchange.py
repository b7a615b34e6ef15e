"""Network Canvas CSV and GraphML interchange: layout, loaders, round trips and the import report."""

from __future__ import annotations

import csv
import io
import uuid
import xml.etree.ElementTree as ET
import zipfile
from datetime import UTC, datetime

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecomap.network import interchange as ix
from ecomap.network.choices import (
    Contact,
    MemberKind,
    RecoveryStance,
    Relationship,
    SubstanceUse,
    SupportFunction,
    Valence,
)
from ecomap.network.graph import Member, Network
from ecomap.network.interchange import common

WHEN = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
K = [str(uuid.UUID(int=i)) for i in range(1, 8)]


def _net():
    members = [
        Member(K[0], 'Avery "A", Jr', "person", "partner", 1, contact="daily",
               support_received=frozenset({"emotional", "financial"}),
               support_given=frozenset({"practical"}), valence="mixed", substance_use="heavy",
               recovery_stance="against"),
        Member(K[1], "Tuesday AA", "group", "mutual_aid_group", 2, contact="weekly",
               could_join_sessions=True),
        Member(K[2], "Housing office", "service", "service", 3, contact="less"),
        Member(K[3], "Sam", "person", "friend", 2, recovery_stance="supportive"),
    ]
    return Network.build(members, [(K[1], K[0]), (K[3], K[0]), (K[2], K[3])])


NET = _net()


def _export(network=NET, **kw):
    kw = {"ego_id": "P1", "ego_attributes": {}, "session_id": "s1", "exported_at": WHEN} | kw
    return ix.export_network_canvas_csv(network, **kw)


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def _levels(result, level):
    return [str(line) for line in result.lines(level)]


# --- export layout -------------------------------------------------------------------------------------


def test_csv_files_use_network_canvas_names_and_headers():
    files = _export(ego_attributes={"age_band": "30-39", "cohort": 2, "enrolled": True, "note": None})
    assert sorted(files) == ["P1_s1_attributeList_Group.csv", "P1_s1_attributeList_Person.csv",
                             "P1_s1_attributeList_Service.csv", "P1_s1_edgeList_knows.csv",
                             "P1_s1_ego.csv"]
    assert all(b"\r\n" in data for data in files.values())

    ego = _rows(files["P1_s1_ego.csv"])
    assert ego[0] == ["networkCanvasEgoUUID", "networkCanvasCaseID", "networkCanvasSessionID",
                      "networkCanvasProtocolName", "sessionStart", "sessionFinish", "sessionExported",
                      "age_band", "cohort", "enrolled", "note"]
    assert ego[1] == ["P1", "P1", "s1", "ecomap", "", "", "2026-03-02T09:00:00.000Z",
                      "30-39", "2", "true", ""]

    person = _rows(files["P1_s1_attributeList_Person.csv"])
    assert person[0][:4] == ["nodeID", "networkCanvasEgoUUID", "networkCanvasUUID", "name"]
    assert person[0] == list(ix.ATTRIBUTE_LIST_COLUMNS)
    assert {"relationship_partner", "relationship_mutual_aid_group", "support_received_emotional",
            "support_given_financial", "circle", "contact", "valence", "substance_use",
            "recovery_stance", "could_join_sessions"} <= set(person[0])
    avery = dict(zip(person[0], person[1], strict=True))
    assert avery["nodeID"] == "1" and avery["networkCanvasUUID"] == K[0]
    assert avery["networkCanvasEgoUUID"] == "P1" and avery["name"] == 'Avery "A", Jr'
    assert avery["relationship_partner"] == "true" and avery["relationship_friend"] == "false"
    assert avery["support_received_emotional"] == avery["support_received_financial"] == "true"
    assert avery["support_received_practical"] == "false" and avery["support_given_practical"] == "true"
    assert (avery["circle"], avery["contact"], avery["valence"]) == ("1", "daily", "mixed")
    assert [r[0] for r in person[1:]] == ["1", "4"]  # nodeIDs run across node types in network order
    assert [r[0] for r in _rows(files["P1_s1_attributeList_Group.csv"])[1:]] == ["2"]

    edges = _rows(files["P1_s1_edgeList_knows.csv"])
    assert edges[0] == ["edgeID", "from", "to", "networkCanvasEgoUUID", "networkCanvasUUID",
                        "networkCanvasSourceUUID", "networkCanvasTargetUUID"]
    assert len(edges) == 1 + len(NET.ties)  # each undirected tie once
    node_id = {K[i]: str(i + 1) for i in range(4)}
    for row in edges[1:]:
        record = dict(zip(edges[0], row, strict=True))
        assert (record["networkCanvasSourceUUID"], record["networkCanvasTargetUUID"]) in NET.ties
        assert record["from"] == node_id[record["networkCanvasSourceUUID"]]
        assert record["to"] == node_id[record["networkCanvasTargetUUID"]]
        uuid.UUID(record["networkCanvasUUID"])


def test_empty_network_still_writes_every_file_with_headers():
    files = _export(Network())
    assert len(files) == 5
    assert _rows(files["P1_s1_edgeList_knows.csv"]) == [list(ix.EDGE_LIST_COLUMNS)]
    result = ix.import_network_canvas_csv(files)
    assert result.network == Network() and not result.lines("error")


def test_default_session_and_prefix_are_stable_and_file_safe():
    files = ix.export_network_canvas_csv(NET, ego_id="P 1/../x", ego_attributes={})
    prefix = ix.export_prefix("P 1/../x")
    assert all(name.startswith(prefix + "_") and "/" not in name for name in files)
    assert prefix == ix.export_prefix("P 1/../x")


def test_redacted_labels_leave_no_member_label_in_the_files():
    files = _export(redact_labels=True)
    text = b"".join(files.values()).decode()
    assert "Avery" not in text and "Housing" not in text
    assert ix.import_network_canvas_csv(files).network.members[1].label == "Group 2"
    assert b"Avery" not in ix.export_graphml(NET, ego_id="P1", ego_attributes={}, redact_labels=True)


@pytest.mark.parametrize("kw", [
    {"ego_id": ""}, {"ego_id": "   "}, {"ego_attributes": {"sessionStart": "x"}},
    {"ego_attributes": {"NetworkCanvasUUID": "x"}}, {"ego_attributes": {" padded": 1}},
    {"ego_attributes": {"when": WHEN}},
])
def test_export_refuses_bad_ego_arguments(kw):
    with pytest.raises(ValueError):
        _export(**kw)
    with pytest.raises(ValueError):
        ix.export_graphml(NET, **({"ego_id": "P1", "ego_attributes": {}} | kw))


def test_export_refuses_members_the_import_would_refuse():
    bad = Network.build([Member(K[0], "A", "person", "cousin", 1)])
    with pytest.raises(ValueError, match="relationship"):
        _export(bad)
    with pytest.raises(ValueError, match="circle"):
        ix.export_graphml(Network.build([Member(K[0], "A", "person", "friend", 7)]), ego_id="P1",
                          ego_attributes={})


def test_zip_is_deterministic_and_reads_back():
    files = _export()
    data = ix.zip_bytes(files)
    assert data == ix.zip_bytes(dict(reversed(files.items())))
    assert sorted(zipfile.ZipFile(io.BytesIO(data)).namelist()) == sorted(files)
    assert ix.import_network_canvas_zip(data).network == NET


# --- GraphML and networkx ------------------------------------------------------------------------------


def test_graphml_loads_unchanged_in_networkx_with_every_attribute():
    ego = {"age": 41, "score": 2.5, "enrolled": False, "cohort": "B", "missing": None}
    data = ix.export_graphml(NET, ego_id="P1", ego_attributes=ego, session_id="s1", exported_at=WHEN)
    graph = nx.read_graphml(io.BytesIO(data))
    assert not graph.is_directed() and graph.number_of_nodes() == 4 and graph.number_of_edges() == 3
    assert {k: graph.graph[k] for k in ("networkCanvasUUID", "age", "score", "enrolled", "cohort")} == {
        "networkCanvasUUID": "P1", "age": 41, "score": 2.5, "enrolled": False, "cohort": "B"}
    by_key = {attrs["networkCanvasUUID"]: attrs for _, attrs in graph.nodes(data=True)}
    for m in NET.members:
        attrs = by_key[m.key]
        assert attrs["networkCanvasType"] == m.kind.capitalize()
        assert attrs["label"] == attrs["name"] == m.label
        assert attrs["circle"] == m.circle and isinstance(attrs["circle"], int)
        for var in ("contact", "valence", "substance_use", "recovery_stance"):
            assert attrs[var] == getattr(m, var)
        assert attrs["could_join_sessions"] is m.could_join_sessions
        for option in Relationship.values:
            assert attrs[f"relationship_{option}"] is (option == m.relationship)
        for option in SupportFunction.values:
            assert attrs[f"support_received_{option}"] is (option in m.support_received)
            assert attrs[f"support_given_{option}"] is (option in m.support_given)
    ties = {tuple(sorted((graph.nodes[a]["networkCanvasUUID"], graph.nodes[b]["networkCanvasUUID"])))
            for a, b in graph.edges()}
    assert ties == set(NET.ties)
    for a, b, attrs in graph.edges(data=True):
        assert {attrs["networkCanvasSourceUUID"], attrs["networkCanvasTargetUUID"]} == {
            graph.nodes[a]["networkCanvasUUID"], graph.nodes[b]["networkCanvasUUID"]}
        assert attrs["networkCanvasType"] == "knows"


def test_graphml_carries_network_canvas_namespace_and_session_attributes():
    data = ix.export_graphml(NET, ego_id="P1", ego_attributes={}, session_id="s1", exported_at=WHEN)
    root = ET.fromstring(data)  # noqa: S314 (our own export, not untrusted input)
    graph = root.find(f"{{{ix.GRAPHML_NS}}}graph")
    assert graph.get("edgedefault") == "undirected"
    assert graph.get(f"{{{ix.NC_NS}}}caseId") == "P1" and graph.get(f"{{{ix.NC_NS}}}sessionUUID") == "s1"
    assert graph.get(f"{{{ix.NC_NS}}}sessionExportTime") == "2026-03-02T09:00:00.000Z"
    keys = {k.get("attr.name"): (k.get("attr.type"), k.get("for"))
            for k in root.iter(f"{{{ix.GRAPHML_NS}}}key")}
    assert keys["circle"] == ("int", "node") and keys["relationship_partner"] == ("boolean", "node")
    assert keys["networkCanvasUUID"] == ("string", "all")


def test_graphml_written_back_by_networkx_imports_again():
    data = ix.export_graphml(NET, ego_id="P1", ego_attributes={"age": 41})
    buffer = io.BytesIO()
    nx.write_graphml(nx.read_graphml(io.BytesIO(data)), buffer)
    result = ix.import_graphml(buffer.getvalue())
    assert result.network == NET and result.ego_id == "P1" and result.ego_attributes == {"age": 41}
    assert not result.lines("error") and not result.lines("warning")


def test_xml_illegal_characters_become_replacement_characters():
    net = Network.build([Member(K[0], "A\x01B\ud800", "person", "friend", 1)])
    data = ix.export_graphml(net, ego_id="P1", ego_attributes={"x": "\x02"})
    assert nx.read_graphml(io.BytesIO(data)).nodes["1"]["name"] == "A\ufffdB\ufffd"
    assert ix.import_network_canvas_csv(_export(net)).network.members[0].label == "A\x01B\ufffd"


# --- round trips ----------------------------------------------------------------------------------

# Any text XML 1.0 can carry, with the characters that stress CSV quoting and XML line handling.
_text = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Cn"),
                      include_characters="\t\n\r,\"'")
_labels = st.text(_text, min_size=1, max_size=10).filter(str.strip)


@st.composite
def networks(draw, max_members=8, labels=_labels):
    n = draw(st.integers(0, max_members))
    keys = draw(st.lists(st.uuids().map(str), min_size=n, max_size=n, unique=True))
    functions = st.frozensets(st.sampled_from(SupportFunction.values))
    members = [Member(
        key=key, label=draw(labels), kind=draw(st.sampled_from(MemberKind.values)),
        relationship=draw(st.sampled_from(Relationship.values)), circle=draw(st.sampled_from([1, 2, 3])),
        contact=draw(st.sampled_from(Contact.values)), support_received=draw(functions),
        support_given=draw(functions), valence=draw(st.sampled_from(Valence.values)),
        substance_use=draw(st.sampled_from(SubstanceUse.values)),
        recovery_stance=draw(st.sampled_from(RecoveryStance.values)),
        could_join_sessions=draw(st.booleans()),
    ) for key in keys]
    pairs = st.tuples(st.sampled_from(keys), st.sampled_from(keys)).filter(lambda p: p[0] != p[1])
    ties = draw(st.lists(pairs, max_size=12)) if n > 1 else []
    return Network.build(members, ties)


ego_attributes = st.dictionaries(
    st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True).filter(
        lambda name: common.token(name) not in {common.token(r) for r in common._RESERVED}),
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.floats(allow_nan=False)
    | st.text(_text, max_size=8), max_size=4)

_settings = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _as_csv_text(value):
    return "" if value is None else ("true" if value else "false") if isinstance(value, bool) else (
        repr(value) if isinstance(value, float) else str(value))


@_settings
@given(networks(), ego_attributes)
def test_csv_round_trip(network, ego):
    files = ix.export_network_canvas_csv(network, ego_id="P-42", ego_attributes=ego)
    zipped = ix.zip_bytes(files)
    for result in (ix.import_network_canvas_csv(files), ix.import_network_canvas_zip(zipped)):
        assert result.network == network
        assert result.ego_id == "P-42"
        assert result.ego_attributes == {k: _as_csv_text(v) for k, v in ego.items()}
        assert not result.lines("error") and not result.lines("warning")


@_settings
@given(networks(), ego_attributes)
def test_graphml_round_trip(network, ego):
    data = ix.export_graphml(network, ego_id="P-42", ego_attributes=ego)
    result = ix.import_graphml(data)
    assert result.network == network
    assert result.ego_id == "P-42"
    assert result.ego_attributes == {k: v for k, v in ego.items() if v is not None}
    assert not result.lines("error") and not result.lines("warning")
    graph = nx.read_graphml(io.BytesIO(data))
    assert graph.number_of_nodes() == network.n and graph.number_of_edges() == len(network.ties)
    names = [graph.nodes[str(i)]["name"] for i in range(1, network.n + 1)]
    assert names == [m.label for m in network.members]


@settings(max_examples=25, deadline=None)
@given(networks(labels=st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Cn")),
                               min_size=1, max_size=10).filter(str.strip)))
def test_graphml_round_trip_through_networkx(network):
    # networkx's writer turns \r into \n, so these labels have none.
    buffer = io.BytesIO()
    data = ix.export_graphml(network, ego_id="P", ego_attributes={})
    nx.write_graphml(nx.read_graphml(io.BytesIO(data)), buffer)
    assert ix.import_graphml(buffer.getvalue()).network == network


# --- a Network Canvas export written by hand -------------------------------------------------------

EGO = "3f2a9c1e-7b4d-4e8a-9f10-2c6d8e4b1a57"
ALEX, BEA, CLINIC = ("8d1f0b7e-1c2a-4b3d-8e9f-0a1b2c3d4e5f", "c47e2a90-5b6c-4d7e-9f80-1a2b3c4d5e6f",
                     "E9B0C1D2-3E4F-4A5B-8C6D-7E8F9A0B1C2D")
NC_FILES = {
    "networkCanvasExport/P007_ab12_ego.csv": (
        "networkCanvasEgoUUID,networkCanvasCaseID,networkCanvasSessionID,networkCanvasProtocolName,"
        "sessionStart,sessionFinish,sessionExported,ego_age\r\n"
        f"{EGO},P007,ab12,ecomap-nc,2026-03-01T10:00:00.000Z,2026-03-01T10:40:12.312Z,"
        "2026-03-02T09:00:00.000Z,41\r\n"),
    "networkCanvasExport/P007_ab12_attributeList_Person.csv": (
        "nodeID,networkCanvasEgoUUID,networkCanvasUUID,name,relationship_partner,relationship_friend,"
        "relationship_sponsor,circle,contact,support_received_emotional,support_received_practical,"
        "valence,substance_use,recovery_stance,could_join_sessions,layout_x,layout_y,age\r\n"
        f'1,{EGO},{ALEX},"Alex, the sponsor",false,false,true,1,weekly,true,true,supportive,none,'
        "supportive,true,0.31,0.4,52\r\n"
        f"2,{EGO},{BEA},Bea,false,true,false,2,daily,false,false,stressful,heavy,against,false,0.62,0.24,\r\n"),
    "networkCanvasExport/P007_ab12_attributeList_Service.csv": (
        "nodeID,networkCanvasEgoUUID,networkCanvasUUID,name,relationship_partner,relationship_friend,"
        "relationship_sponsor,circle,contact,support_received_emotional,support_received_practical,"
        "valence,substance_use,recovery_stance,could_join_sessions,layout_x,layout_y,age\r\n"
        f"3,{EGO},{CLINIC},Clinic,false,false,false,3,,false,true,,,,,0.5,0.5,\r\n"),
    "networkCanvasExport/P007_ab12_edgeList_knows.csv": (
        "edgeID,from,to,networkCanvasEgoUUID,networkCanvasUUID,networkCanvasSourceUUID,"
        "networkCanvasTargetUUID,know_strength\r\n"
        f"1,1,2,{EGO},0f1e2d3c-4b5a-4987-8654-3210fedcba98,{ALEX},{BEA},2\r\n"),
    "networkCanvasExport/P007_ab12_adjacencyMatrix_knows.csv": "x,1,2\r\n1,0,1\r\n2,1,0\r\n",
}


def _nc_files():
    return {name: text.encode() for name, text in NC_FILES.items()}


def test_hand_written_network_canvas_export_imports():
    # The Service file's relationship has no true option in this protocol: refused, with the reason.
    result = ix.import_network_canvas_csv(_nc_files())
    assert result.ok and result.ego_id == EGO and result.ego_attributes == {"ego_age": "41"}
    alex, bea = result.network.members
    assert alex == Member(ALEX, "Alex, the sponsor", "person", "sponsor", 1, contact="weekly",
                          support_received=frozenset({"emotional", "practical"}), substance_use="none",
                          recovery_stance="supportive", could_join_sessions=True)
    assert bea == Member(BEA, "Bea", "person", "friend", 2, contact="daily", valence="stressful",
                         substance_use="heavy", recovery_stance="against")
    assert result.network.ties == {(ALEX, BEA)}
    infos = " ".join(_levels(result, "info"))
    assert "'layout_x', 'layout_y', 'age'" in infos  # unknown NC variables: ignored, and said so
    assert "know_strength" in infos and "adjacency matrix" in infos
    assert "relationship_parent (false)" in infos  # options the protocol lacks: read as false
    errors = _levels(result, "error")
    assert len(errors) == 1 and "attributeList_Service.csv, row 2" in errors[0]
    assert "no relationship_<option> column is true" in errors[0]


def test_hand_written_export_with_a_known_relationship_fills_defaults_and_canonicalises_ids():
    files = _nc_files()
    name = "networkCanvasExport/P007_ab12_attributeList_Service.csv"
    files[name] = files[name].replace(b"Clinic,false,false,false", b"Clinic,false,false,  TRUE ")
    result = ix.import_network_canvas_csv(files)
    assert not result.lines("error")
    clinic = result.network.members[2]
    assert clinic == Member(CLINIC.lower(), "Clinic", "service", "sponsor", 3,
                            support_received=frozenset({"practical"}))
    text = " ".join(_levels(result, "info") + _levels(result, "warning"))
    assert "contact: 1 empty value(s) read as the default 'monthly'" in text
    assert "not canonical UUIDs" in text


# --- malformed CSV: each problem gives its report line --------------------------------------------


def _edit(files, suffix, row, column, value):
    """Set one cell (row 1 = first data row) of the file whose name ends with suffix."""
    name = next(n for n in files if n.endswith(suffix))
    rows = _rows(files[name])
    rows[row][rows[0].index(column)] = value
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return {**files, name: buffer.getvalue().encode()}


def _replace(files, suffix, old: bytes, new: bytes):
    name = next(n for n in files if n.endswith(suffix))
    return {**files, name: files[name].replace(old, new, 1)}


def _keys(result):
    return [m.key for m in result.network.members]


def test_unknown_category_value_refuses_the_row_only():
    result = ix.import_network_canvas_csv(_edit(_export(), "Person.csv", 1, "contact", "sometimes"))
    row, *ties = result.lines("error")
    assert row.location == "P1_s1_attributeList_Person.csv, row 2"
    assert "contact 'sometimes' is not one of daily, weekly, monthly, less, none" in row.message
    assert _keys(result) == [K[1], K[2], K[3]]
    assert result.network.members == NET.members[1:]
    assert len(ties) == 2 and result.network.ties == {(K[2], K[3])}


def test_ties_to_a_refused_member_are_reported():
    result = ix.import_network_canvas_csv(_edit(_export(), "Person.csv", 1, "circle", "4"))
    errors = _levels(result, "error")
    assert "circle '4' is not 1 (inner), 2 (middle) or 3 (outer)" in errors[0]
    assert sum("was refused above (P1_s1_attributeList_Person.csv, row 2)" in e for e in errors) == 2
    assert result.network.ties == {(K[2], K[3])}


def test_unknown_option_column_that_is_true_refuses_the_row():
    files = _export()
    name = "P1_s1_attributeList_Person.csv"
    rows = _rows(files[name])
    rows[0].append("relationship_cousin")
    rows[1].append("true")
    rows[2].append("false")
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    result = ix.import_network_canvas_csv({**files, name: buffer.getvalue().encode()})
    error = result.lines("error")[0]
    assert error.location == f"{name}, row 2"
    assert ("relationship_cousin is true, but 'cousin' is not an ecomap relationship option"
            in error.message)
    assert K[3] in _keys(result) and K[0] not in _keys(result)


@pytest.mark.parametrize(("column", "value", "problem"), [
    ("relationship_friend", "true", "more than one relationship is true: partner, friend"),
    ("relationship_partner", "false", "no relationship_<option> column is true"),
    ("could_join_sessions", "maybe", "could_join_sessions 'maybe' is not true or false"),
    ("name", "  ", "name is empty"),
    ("networkCanvasUUID", "", "networkCanvasUUID is empty"),
    ("circle", "", "circle is empty"),
])
def test_bad_cells_refuse_the_row(column, value, problem):
    result = ix.import_network_canvas_csv(_edit(_export(), "Person.csv", 1, column, value))
    assert problem in result.lines("error")[0].message
    assert result.lines("error")[0].location.endswith("row 2")
    assert K[0] not in _keys(result) and len(result.network.members) == 3


def test_case_and_whitespace_are_mapped_with_a_warning():
    files = _edit(_export(), "Person.csv", 1, "contact", " Daily ")
    files = _edit(files, "Person.csv", 2, "recovery_stance", "SUPPORTIVE")
    files = _edit(files, "Person.csv", 2, "could_join_sessions", "FALSE")  # R's spelling: no warning
    result = ix.import_network_canvas_csv(files)
    assert result.network == NET and not result.lines("error")
    warnings = _levels(result, "warning")
    # One line per column for the file, and a warning on each record that was changed.
    assert len(warnings) == 4
    assert warnings[0].endswith("contact: 1 value(s) read ignoring case and spacing, e.g. "
                                "P1_s1_attributeList_Person.csv, row 2: ' Daily ' as 'daily'")
    assert "row 2: contact ' Daily ' read as 'daily'" in warnings[2]
    assert (result.report.read, result.report.normalised, result.report.rejected) == (7, 2, 0)


def test_header_case_is_mapped_with_a_warning():
    result = ix.import_network_canvas_csv(_replace(_export(), "Person.csv", b",circle,", b",Circle,"))
    assert result.network == NET
    assert "'Circle' as 'circle'" in _levels(result, "warning")[0]


@pytest.mark.parametrize("column", ["circle", "networkCanvasUUID", "name"])
def test_missing_required_column_refuses_the_import(column):
    files = _export()
    name = "P1_s1_attributeList_Person.csv"
    i = _rows(files[name])[0].index(column)
    rows = [row[:i] + row[i + 1:] for row in _rows(files[name])]
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    result = ix.import_network_canvas_csv({**files, name: buffer.getvalue().encode()})
    assert result.network is None and result.ego_attributes == {}
    assert result.refusal.level == "error" and column in result.refusal.message
    assert result.refusal.location == name


def test_missing_relationship_columns_refuse_the_import():
    files = _export()
    name = "P1_s1_attributeList_Person.csv"
    rows = _rows(files[name])
    keep = [i for i, c in enumerate(rows[0]) if not c.startswith("relationship_")]
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows([[r[i] for i in keep] for r in rows])
    result = ix.import_network_canvas_csv({**files, name: buffer.getvalue().encode()})
    assert result.network is None and "relationship_<option>" in result.refusal.message


def test_single_relationship_column_is_accepted():
    files = {"a_attributeList_Person.csv": f"networkCanvasUUID,name,relationship,circle\r\n{K[0]},Ann,"
                                           "Recovery peer,2\r\n".encode()}
    result = ix.import_network_canvas_csv(files)
    assert result.network.members[0].relationship == "recovery_peer"
    warnings = " | ".join(_levels(result, "warning"))
    assert "'Recovery peer' as 'recovery_peer'" in warnings and "no ego file" in warnings
    assert any("columns absent" in line for line in _levels(result, "info"))


def test_duplicate_node_ids_refuse_the_second_row():
    files = _edit(_export(), "Group.csv", 1, "networkCanvasUUID", K[0])
    result = ix.import_network_canvas_csv(files)
    (error,) = [e for e in result.lines("error") if "duplicate" in e.message]
    assert error.location == "P1_s1_attributeList_Group.csv, row 2"  # nodeID 2: Avery is nodeID 1
    assert error.message == (f"row refused: duplicate networkCanvasUUID '{K[0]}' (first at "
                             "P1_s1_attributeList_Person.csv, row 2)")
    assert result.network.members == (NET.members[0], *NET.members[2:])


def test_tie_to_unknown_node_is_refused():
    stranger = str(uuid.UUID(int=99))
    files = _edit(_export(), "edgeList_knows.csv", 1, "networkCanvasTargetUUID", stranger)
    files = _edit(files, "edgeList_knows.csv", 1, "to", "")
    result = ix.import_network_canvas_csv(files)
    (error,) = result.lines("error")
    assert error.location == "P1_s1_edgeList_knows.csv, row 2"
    assert f"'{stranger}' is not a member in the file(s)" in error.message
    assert len(result.network.ties) == 2 and len(result.network.members) == 4


def test_from_to_that_contradict_the_uuids_refuse_the_tie():
    files = _edit(_export(), "edgeList_knows.csv", 1, "to", "3")
    result = ix.import_network_canvas_csv(files)
    assert "to 3 is member" in result.lines("error")[0].message and len(result.network.ties) == 2


def test_ties_by_node_id_alone_are_resolved():
    files = _export()
    name = "P1_s1_edgeList_knows.csv"
    rows = [row[:3] for row in _rows(files[name])]
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    assert ix.import_network_canvas_csv({**files, name: buffer.getvalue().encode()}).network == NET


def test_self_tie_is_refused():
    files = _edit(_export(), "edgeList_knows.csv", 1, "networkCanvasTargetUUID", K[0])
    files = _edit(files, "edgeList_knows.csv", 1, "networkCanvasSourceUUID", K[0])
    files = _edit(files, "edgeList_knows.csv", 1, "to", "1")
    files = _edit(files, "edgeList_knows.csv", 1, "from", "1")
    result = ix.import_network_canvas_csv(files)
    (error,) = result.lines("error")
    assert "cannot be tied to itself" in error.message and error.location.endswith("row 2")


def test_duplicate_and_reversed_ties_are_read_once_with_a_warning():
    files = _export()
    name = "P1_s1_edgeList_knows.csv"
    rows = _rows(files[name])
    first = rows[1]
    reversed_row = ["9", first[2], first[1], "P1", "x", first[6], first[5]]
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows([*rows, first, reversed_row])
    result = ix.import_network_canvas_csv({**files, name: buffer.getvalue().encode()})
    assert result.network == NET
    warnings = result.lines("warning")
    assert [w.location for w in warnings] == [f"{name}, row 5", f"{name}, row 6"]
    assert all("duplicate tie" in w.message and "read once" in w.message for w in warnings)


def test_other_edge_types_are_read_as_ties_with_an_info_line():
    files = _export()
    knows = files.pop("P1_s1_edgeList_knows.csv")
    result = ix.import_network_canvas_csv({**files, "P1_s1_edgeList_close.csv": knows,
                                           "P1_s1_edgeList_knows.csv": knows})
    assert result.network == NET and not result.lines("error")
    assert any("edge type 'close' read as member-member ties" in line
               for line in _levels(result, "info"))
    # A tie read twice is one record kept and one merged into it, with a warning.
    assert sum("also a 'close' tie" in line or "also a 'knows' tie" in line
               for line in _levels(result, "warning")) == 3


def test_unknown_node_type_refuses_its_rows():
    files = _export()
    files["P1_s1_attributeList_Venue.csv"] = files.pop("P1_s1_attributeList_Service.csv")
    result = ix.import_network_canvas_csv(files)
    errors = _levels(result, "error")
    assert errors[0] == ("error: P1_s1_attributeList_Venue.csv, row 2: row refused: node type "
                         "'Venue' is not one of Person, Group, Service")
    assert K[2] not in _keys(result)
    assert any("was refused above" not in e and "not a member" in e for e in errors[1:])


def test_non_utf8_csv_is_refused_with_its_position():
    files = _replace(_export(), "Person.csv", b"Avery", "Av\xe9ry".encode("latin-1"))
    result = ix.import_network_canvas_csv(files)
    assert result.network is None
    (line,) = result.report.lines
    assert line == result.refusal
    assert line.location == "P1_s1_attributeList_Person.csv, line 2"
    assert "not UTF-8 text: byte 0xe9 at line 2, column" in line.message


def test_utf8_bom_is_accepted():
    files = _export()
    name = "P1_s1_attributeList_Person.csv"
    assert ix.import_network_canvas_csv({**files, name: b"\xef\xbb\xbf" + files[name]}).network == NET


@pytest.mark.parametrize(("edit", "where", "words"), [
    ((b"Sam", b'"Sam'), "line 3", "malformed CSV"),
    ((b",Sam,", b",Sam,extra,"), "row 3", "fields where the header has"),
    ((b"nodeID,", b"nodeID,nodeID,"), "row 1", "columns appear twice"),
    ((b"Sam", b"S\x00m"), "line 3", "NUL"),
])
def test_malformed_csv_refuses_the_import(edit, where, words):
    result = ix.import_network_canvas_csv(_replace(_export(), "Person.csv", *edit))
    assert result.network is None
    assert result.refusal.location == f"P1_s1_attributeList_Person.csv, {where}"
    assert words in result.refusal.message


def test_empty_file_is_refused():
    result = ix.import_network_canvas_csv({**_export(), "P1_s1_attributeList_Person.csv": b""})
    assert result.network is None and "no header row" in result.refusal.message


def test_more_than_one_ego_is_refused():
    result = ix.import_network_canvas_csv(_edit(_export(), "Group.csv", 1, "networkCanvasEgoUUID", "P2"))
    assert result.network is None and "2 different egos" in result.refusal.message
    ego = _export()["P1_s1_ego.csv"]
    result = ix.import_network_canvas_csv({**_export(), "P1_s1_ego.csv": ego + ego.splitlines(True)[1]})
    assert result.network is None and "2 egos" in result.refusal.message


def test_oversized_input_is_refused():
    files = {**_export(), "padding_attributeList_Person.csv": b"x" * ix.MAX_IMPORT_BYTES}
    result = ix.import_network_canvas_csv(files)
    assert result.network is None and "byte limit" in result.refusal.message
    assert ix.import_graphml(b" " * (ix.MAX_IMPORT_BYTES + 1)).network is None
    assert ix.import_network_canvas_zip(b"\0" * (ix.MAX_IMPORT_BYTES + 1)).network is None


def test_too_many_members_are_refused():
    many = Network.build([Member(str(uuid.UUID(int=i + 1)), f"M{i}", "person", "friend", 3)
                          for i in range(ix.MAX_MEMBERS + 1)])
    result = ix.import_network_canvas_csv(_export(many))
    assert result.network is None and "501 members" in result.refusal.message
    result = ix.import_graphml(ix.export_graphml(many, ego_id="P", ego_attributes={}))
    assert result.network is None and "501 members" in result.refusal.message


def test_file_set_problems():
    assert "no attribute list" in ix.import_network_canvas_csv({}).refusal.message
    files = {**_export(), "__MACOSX/._P1_s1_ego.csv": b"\x00\x05", "notes.txt": b"hello",
             "P1_s1.graphml": b"<graphml/>"}
    result = ix.import_network_canvas_csv(files)
    assert result.network == NET
    assert any("hidden or system file" in line for line in _levels(result, "info"))
    assert len(result.lines("warning")) == 2  # notes.txt and the GraphML file: named, not read
    too_many = {f"f{i}.csv": b"" for i in range(ix.MAX_FILES + 1)}
    assert ix.import_network_canvas_csv(too_many).network is None


def test_zip_problems_are_refused():
    assert "not a zip archive" in ix.import_network_canvas_zip(b"PK\x03\x04junk").refusal.message
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb_attributeList_Person.csv", b"0" * (ix.MAX_IMPORT_BYTES + 1))
    result = ix.import_network_canvas_zip(buffer.getvalue())
    assert len(buffer.getvalue()) < 100_000 and result.network is None
    assert "byte limit" in result.refusal.message


# --- malformed GraphML ---------------------------------------------------------------------------------


def _graphml(**kw):
    return ix.export_graphml(NET, **({"ego_id": "P1", "ego_attributes": {}} | kw)).decode()


def _node_line(text, xml_id):
    return text[:text.index(f'<node id="{xml_id}">')].count("\n") + 1


@pytest.mark.parametrize(("data", "where", "words"), [
    (b'<?xml version="1.0"?>\n<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n<graph>\n</graphml>',
     "line 4, column 3", "malformed XML (mismatched tag)"),
    (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>\n'
     b"<graphml>&lol2;</graphml>", "line 2", "DTD and entity declarations are not accepted"),
    (b'<?xml version="1.0"?>\n<!DOCTYPE g [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><graphml>&xxe;</graphml>',
     "line 2", "not accepted"),
    (b'<?xml version="1.0" encoding="ISO-8859-1"?><graphml/>', "line 1", "only UTF-8"),
    (b"<graphml>\n<key id='a'/>\n<graph>\n<node id='1'><data key='b'>x</data></node></graph></graphml>",
     "line 4", "undeclared key 'b'"),
    (b"<html/>", "", "not a GraphML document"),
    (b"<graphml><graph/><graph/></graphml>", "", "2 <graph> elements"),
    (b"<graphml><graph><node id='1'><graph/></node></graph></graphml>", "line 1", "nested graphs"),
    ("<graphml>\n<graph>\n<node id='1'/></graph>\n</graphml>\xe9".encode("latin-1"), "line 4",
     "not UTF-8 text: byte 0xe9"),
])
def test_malformed_graphml_refuses_the_import(data, where, words):
    result = ix.import_graphml(data, name="g.graphml")
    assert result.network is None and result.ego_attributes == {}
    assert result.refusal.level == "error" and words in result.refusal.message
    assert result.refusal.location == "g.graphml" + (f", {where}" if where else "")


def test_graphml_without_a_required_key_is_refused():
    text = _graphml().replace('<key id="circle" attr.name="circle"', '<key id="circle" attr.name="ring"')
    result = ix.import_graphml(text.encode())
    assert result.network is None and "missing required columns: circle" in result.refusal.message


def test_graphml_node_problems_refuse_the_node_and_its_edges():
    text = _graphml()
    line = _node_line(text, 1)
    text = text.replace('<data key="valence">mixed</data>', '<data key="valence">grumpy</data>', 1)
    result = ix.import_graphml(text.encode(), name="g.graphml")
    errors = result.lines("error")
    assert errors[0].location == f"g.graphml, line {line} (node '1')"
    assert "valence 'grumpy' is not one of supportive, mixed, stressful" in errors[0].message
    assert sum("source node '1' was refused above" in e.message for e in errors) == 2
    assert [m.key for m in result.network.members] == [K[1], K[2], K[3]]


def test_graphml_duplicates_self_loops_unknown_ends_and_hyperedges():
    text = _graphml()
    extra = ('<edge source="2" target="1"/><edge source="1" target="2"/><edge source="3" target="3"/>'
             '<edge source="1" target="99"/><hyperedge><endpoint node="1"/></hyperedge>'
             f'<node id="2"><data key="networkCanvasUUID">{K[5]}</data></node>'
             '<node id="9"><data key="networkCanvasUUID">' + K[0].upper() + "</data>"
             '<data key="networkCanvasType">Person</data><data key="name">Twin</data>'
             '<data key="relationship_friend">true</data><data key="circle">1</data></node>')
    result = ix.import_graphml(text.replace("  </graph>", extra + "</graph>").encode())
    assert result.network == NET
    messages = " | ".join(_levels(result, "error") + _levels(result, "warning"))
    assert "node id '2' is used twice" in messages
    assert f"duplicate networkCanvasUUID '{K[0].upper()}'" in messages
    assert messages.count("duplicate tie") == 2
    assert "cannot be tied to itself" in messages
    assert "target '99' is not a node in the file" in messages
    assert "hyperedge refused" in messages


def test_graphml_from_networkx_without_network_canvas_ids():
    graph = nx.Graph(ego="x")
    graph.add_node("ann", name="Ann", kind="person", relationship="friend", circle=1)
    graph.add_node("bob", name="Bob", kind="Group", relationship="mutual_aid_group", circle=2,
                   could_join_sessions=True)
    graph.add_edge("ann", "bob", weight=2)
    buffer = io.BytesIO()
    nx.write_graphml(graph, buffer)
    result = ix.import_graphml(buffer.getvalue())
    assert [(m.label, m.kind, m.circle, m.could_join_sessions) for m in result.network.members] == [
        ("Ann", "person", 1, False), ("Bob", "group", 2, True)]
    assert len(result.network.ties) == 1 and result.ego_attributes == {"ego": "x"}
    assert "not canonical UUIDs" in " ".join(_levels(result, "warning"))
    assert "edge attributes that ecomap does not use were ignored: 'weight'" in " ".join(
        _levels(result, "info"))
    assert result.network.members[0].key == ix.import_graphml(buffer.getvalue()).network.members[0].key


# --- robustness: whatever arrives, the importers answer with a report, never an exception --------


@st.composite
def corrupted(draw, data: bytes):
    start = draw(st.integers(0, len(data)))
    end = draw(st.integers(start, min(len(data), start + 40)))
    patch = draw(st.binary(max_size=12) | st.sampled_from(
        [b",", b'"', b"\r\n", b"<", b"&", b"true", b"", b"\xff", b"</node>", b"<!DOCTYPE x>"]))
    return data[:start] + patch + data[end:]


_CSV_EXPORT = _export()
_GRAPHML_EXPORT = ix.export_graphml(NET, ego_id="P1", ego_attributes={"age": 3})


def _check_answer(result):
    assert isinstance(result, ix.ImportResult)
    assert all(line.level in ("error", "warning", "info") and line.location and line.message
               for line in result.report.lines)
    if result.network is None:
        assert result.refusal.level == "error"


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(sorted(_CSV_EXPORT)), st.data())
def test_corrupted_csv_never_raises(name, data):
    _check_answer(ix.import_network_canvas_csv(
        {**_CSV_EXPORT, name: data.draw(corrupted(_CSV_EXPORT[name]))}))


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_corrupted_graphml_never_raises(data):
    _check_answer(ix.import_graphml(data.draw(corrupted(_GRAPHML_EXPORT))))


@settings(max_examples=50, deadline=None)
@given(st.binary(max_size=200))
def test_arbitrary_bytes_never_raise(data):
    _check_answer(ix.import_graphml(data))
    _check_answer(ix.import_network_canvas_zip(data))
    _check_answer(ix.import_network_canvas_csv({"x_attributeList_Person.csv": data}))


# --- the import report: records counted, nothing shortened, unsafe XML refused ---------------------


def test_every_member_and_tie_is_a_counted_record():
    result = ix.import_network_canvas_csv(_edit(_export(), "Person.csv", 1, "circle", "4"))
    report = result.report
    # 4 member rows and 3 edge rows; the refused member takes its two ties with it.
    assert (report.read, report.imported, report.rejected) == (7, 4, 3)
    outcomes = [r["outcome"] for r in report.as_data()["records"]]
    assert outcomes.count("rejected") == 3
    assert "7 read, 4 imported" in report.summary()


def test_a_long_name_is_kept_whole_with_a_warning_on_its_record():
    long_name = ("The housing office at the county council, second floor, ask for the duty worker "
                 "at the desk")
    assert len(long_name) > common.LONG_NAME
    network = Network.build([Member(K[0], long_name, "service", "service", 3)], [])
    for result in (ix.import_network_canvas_csv(_export(network)),
                   ix.import_graphml(ix.export_graphml(network, ego_id="P1", ego_attributes={}))):
        assert result.network.members[0].label == long_name
        (record,) = result.report.records
        assert record.outcome == "normalised" and record.name == long_name
        assert "kept whole" in record.warnings[0].message


@pytest.mark.parametrize("document", [
    # billion laughs
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    b' <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n'
    b' <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">\n]>\n'
    b"<graphml>&lol3;</graphml>",
    # external entity
    b'<?xml version="1.0"?>\n<!DOCTYPE g [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    b"<graphml>&xxe;</graphml>",
    # a DTD alone
    b'<?xml version="1.0"?>\n'
    b'<!DOCTYPE graphml SYSTEM "http://example.org/graphml.dtd">\n<graphml/>',
])
def test_unsafe_xml_is_refused_with_a_clear_message(document):
    result = ix.import_graphml(document, name="g.graphml")
    assert result.network is None and result.refusal.code == "unsafe_xml"
    assert result.refusal.location == "g.graphml, line 2"
    assert "DTD and entity declarations are not accepted" in result.refusal.message
