"""PDF documents from templates, with WeasyPrint (HTML and print CSS to PDF).

Documents embed everything they show (the eco-map is inline SVG, the stylesheet is inline), so the
renderer is given a URL fetcher that refuses every URL: a template can never make the server fetch
anything. WeasyPrint needs the Pango library of the operating system (Debian: libpango-1.0-0); where
it is missing, `PdfUnavailable` carries a message the page can show.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from ecomap.accounts.models import Agency


class PdfUnavailable(RuntimeError):
    pass


def _refuse(url, *args, **kwargs):
    raise ValueError("documents may not load external resources")


def render_pdf(template_name: str, context: dict) -> bytes:
    """The document as PDF; its header names the agency (`agency` in the context: the agency as it
    was recorded when a frozen document was made, else the agency now)."""
    if "agency" not in context:
        agency = Agency.current()
        context = {**context, "agency": agency.as_data() if agency.configured else None}
    html = render_to_string(template_name, context)
    try:
        import weasyprint
    except (ImportError, OSError) as error:  # OSError: the Pango library is missing
        raise PdfUnavailable(_(
            "PDF documents cannot be made on this server: the operating system's Pango library "
            "is missing (on Debian or Ubuntu: apt-get install libpango-1.0-0 libpangoft2-1.0-0)."
        )) from error
    return weasyprint.HTML(string=html, url_fetcher=_refuse).write_pdf()
