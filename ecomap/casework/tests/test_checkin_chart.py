"""The check-in chart is an accessible picture drawn with ecomap.core.svg."""

from datetime import date
from types import SimpleNamespace

from ecomap.casework import checkin_chart, content
from ecomap.core.svg import ALARM, LINE


def test_the_chart_has_a_title_a_description_and_the_site_colours():
    definition = content.checkin()
    checkins = [SimpleNamespace(checked_on=date(2026, 1, 5), total=4, high_strain=False),
                SimpleNamespace(checked_on=date(2026, 2, 5), total=definition.maximum,
                                high_strain=True)]
    svg = str(checkin_chart.svg(checkins, definition))
    assert svg.startswith("<svg") and svg.endswith("</svg>") and 'role="img"' in svg
    assert '<title id="checkin-chart-title">Caregiver check-in totals</title>' in svg
    assert "from 2026-01-05 to 2026-02-05: 4, " in svg  # the description: every number
    assert f'fill="{ALARM}"' in svg and f'stroke="{LINE}"' in svg
    assert "style=" not in svg and "<script" not in svg
