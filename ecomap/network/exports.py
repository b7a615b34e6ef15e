"""Network files for research tools: what goes into one, and whether it may leave the agency.

The view parses the form and calls `export_network_file`; everything the disclosure rules decide is
here. A file for a recipient outside the agency is a disclosure: the consent check, the disclosure
log with its 42 CFR 2.32 notice and the refusal's audit entry are
`consents.services.record_disclosure`'s.
The client appears in a file only under `pseudonym(client)`.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from ecomap.audit import services as audit
from ecomap.consents.models import InformationCategory, Method
from ecomap.consents.services import DisclosureRefused, record_disclosure

from . import interchange, services
from .models import Assessment

GRAPHML, NC_CSV = "graphml", "nc_csv"


@dataclass(frozen=True)
class NetworkFile:
    body: bytes
    filename: str
    content_type: str


def pseudonym(client) -> str:
    """A stable id for the client in research files that cannot be traced back without the key."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"ecomap-client:{client.pk}".encode(),
                      hashlib.sha256)
    return digest.hexdigest()[:16]


def categories_for(client) -> list[str]:
    """What a network file discloses: the network, and for a Part 2 client that they are in
    treatment (the ego row carries the programme)."""
    categories = [InformationCategory.SOCIAL_NETWORK]
    if client.is_part2:
        categories.append(InformationCategory.SUBSTANCE_USE)
    return categories


def _source(client, source: str):
    if source == "live":
        return services.current_network(client), "now"
    assessment = Assessment.objects.filter(client=client, pk=source).first()
    if assessment is None:
        raise services.NetworkError({"source": _("Choose an assessment of this client.")})
    return assessment.network, assessment.assessed_on.isoformat()


def export_network_file(client, *, actor, format: str, source: str = "live",
                        redact_labels: bool = False, recipient_name: str = "",
                        recipient_kind: str = "", purpose: str = "") -> NetworkFile:
    """The client's network (live, or an assessment's pk as `source`) as a GraphML or Network
    Canvas file. With a recipient outside the agency the file is made only when a consent permits
    the disclosure; otherwise `NetworkError` with the reasons, and nothing but the refusal's audit
    entry is written."""
    network, stamp = _source(client, source)
    disclosure = None
    if recipient_name.strip():
        try:
            disclosure = record_disclosure(
                client, actor=actor, recipient_name=recipient_name, recipient_kind=recipient_kind,
                categories=categories_for(client), purpose=purpose, method=Method.EXPORT,
                description=_("Network file (%(format)s, %(source)s), member names %(names)s.") % {
                    "format": format, "source": stamp,
                    "names": _("replaced") if redact_labels else _("included")})
        except DisclosureRefused as refused:
            raise services.NetworkError([
                _("The file was not made: no consent permits sending it to this recipient."),
                *refused.reasons]) from None
    ego_id = pseudonym(client)
    ego = {"programme": client.programme, "assessed": stamp}
    if format == GRAPHML:
        made = NetworkFile(interchange.export_graphml(network, ego_id=ego_id, ego_attributes=ego,
                                                      redact_labels=redact_labels),
                           f"{ego_id}_{stamp}.graphml", "application/graphml+xml")
    else:
        files = interchange.export_network_canvas_csv(network, ego_id=ego_id, ego_attributes=ego,
                                                      redact_labels=redact_labels)
        made = NetworkFile(interchange.zip_bytes(files), f"{ego_id}_{stamp}.zip",
                           "application/zip")
    audit.record("ecomap.network.exported", actor=actor, client=client,
                 data={"format": format, "source": source, "names_replaced": redact_labels,
                       "members": network.n,
                       "disclosure": disclosure.pk if disclosure else None})
    return made
