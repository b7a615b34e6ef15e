"""Research exports and imports of a client's network in Network Canvas's CSV layout and in GraphML.

Pure functions over `graph.Network` (no ORM, no networkx at run time), one module per format:
`networkcanvas` (the CSV files, zipped or not) and `graphml`; `common` holds what both share. The
layout follows Network Canvas's exporter (complexdatacollective/network-exporters:
`src/formatters/csv/{ego-list,attribute-list,edge-list}.js`, `src/formatters/network.js`,
`src/formatters/graphml/createGraphML.js`, `src/utils/general.js`), so that R's
`egor::threefiles_to_egor(..., ID.vars = list(ego = "networkCanvasEgoUUID", alter =
"networkCanvasUUID", source = "networkCanvasSourceUUID", target = "networkCanvasTargetUUID"))`,
`ideanet::nc_read()` and `networkx.read_graphml` read it unchanged.

Categorical variables (relationship, support received, support given) become one boolean column per
option, `<variable>_<option>`, as Network Canvas writes them. Ordinal variables (circle, contact,
valence, substance_use, recovery_stance) stay one column. The member's label is Network Canvas's
`name` variable.

Imports read the same files back into a `Network` with an `ecomap.core.imports.ImportReport`: each
member and each tie is a record, imported, normalised (with the warning that says what changed) or
rejected (with its reason); nothing is dropped or shortened silently. Problems that make the whole
input untrustworthy (not UTF-8, malformed CSV or XML, a DTD or entity, a missing required column,
more than one ego, oversized input) refuse the import: `network` is None and `refusal` says why.
"""

from ecomap.core.archives import zip_bytes
from ecomap.core.imports import ReportLine

from .common import (
    ATTRIBUTE_LIST_COLUMNS,
    EDGE_LIST_COLUMNS,
    EGO_COLUMNS,
    MAX_FILES,
    MAX_IMPORT_BYTES,
    MAX_MEMBERS,
    MEMBER_COLUMNS,
    ImportResult,
)
from .graphml import GRAPHML_NS, NC_NS, export_graphml, import_graphml
from .networkcanvas import (
    export_network_canvas_csv,
    export_prefix,
    import_network_canvas_csv,
    import_network_canvas_zip,
)

__all__ = [
    "ATTRIBUTE_LIST_COLUMNS",
    "EDGE_LIST_COLUMNS",
    "EGO_COLUMNS",
    "MAX_FILES",
    "MAX_IMPORT_BYTES",
    "MAX_MEMBERS",
    "MEMBER_COLUMNS",
    "GRAPHML_NS",
    "NC_NS",
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
