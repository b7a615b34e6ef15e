"""`ecomap check` (and every management command that runs the checks) loads the questionnaire
definitions, so a broken file, shipped or supplied by the deployment, is reported at start-up with
the file and the field named."""

from __future__ import annotations

from django.core import checks

from . import instruments


@checks.register()
def instrument_definitions(app_configs=None, **kwargs):
    try:
        instruments.registry()
    except instruments.DefinitionError as error:
        return [checks.Error(str(error), id="ecomap.measures.E001",
                             hint="See ecomap/measures/instruments/README.md for the schema.")]
    return []
