"""Meeting Guide JSON (code4recovery/spec): a JSON array of meeting objects.

Normalises what real feeds get wrong (days as text or arrays, 12-hour times, types as text, names or
lower case, coordinates as text or 0,0...), each change a warning on its record: fields.py has one
normaliser per field.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .common import (
    ALIASES,
    FEED,
    KNOWN_EXTRA,
    MAX_RECORDS,
    SPEC_FIELDS,
    Context,
    FeedRefused,
    Parsed,
    describe_shape,
    finish,
    load_json,
    new_record,
    normalise,
    settle_duplicates,
)


def parse(data: bytes, ctx: Context) -> Parsed:
    document = load_json(data)
    if not isinstance(document, list):
        raise FeedRefused(_("This is not a Meeting Guide feed (an array of meetings): it is "
                            "%(shape)s. Nothing was changed.") % {"shape": describe_shape(document)})
    sample = document[:50]
    if sample and all(isinstance(r, dict) for r in sample) and not any(
            "slug" in r or "name" in r or "id" in r for r in sample):
        raise FeedRefused(_("This is not a Meeting Guide feed: it is %(shape)s. Nothing was "
                            "changed.") % {"shape": describe_shape(document)})
    if sample and all(isinstance(r, dict) for r in sample) and all(
            "weekday_tinyint" in r or "key_string" in r or "parent_id" in r for r in sample):
        raise FeedRefused(_("This is not a Meeting Guide feed: it is %(shape)s. Nothing was "
                            "changed.") % {"shape": describe_shape(document)})
    if len(document) > MAX_RECORDS:
        raise FeedRefused(_("The feed holds %(n)s records, more than %(max)s. Nothing was changed.")
                          % {"n": len(document), "max": MAX_RECORDS})
    result = Parsed()
    pairs = []
    for index, raw in enumerate(document, start=1):
        row = new_record(result.report, index)
        pairs.append((row, normalise(raw, row, ctx)))
    settle_duplicates(result, pairs)
    counts: dict[str, int] = {}
    for raw in document:
        if isinstance(raw, dict):
            for key in raw.keys() - KNOWN_EXTRA - SPEC_FIELDS - ALIASES.keys():
                counts[key] = counts.get(key, 0) + 1
    if counts:
        result.report.info(FEED, _("Fields outside the specification, kept with each meeting as "
                                   "extra data: %s.")
                           % ", ".join(f"{k} ({n})" for k, n in sorted(counts.items())),
                           code="extra_fields")
    return finish(result, ctx)
