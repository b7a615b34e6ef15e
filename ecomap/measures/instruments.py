"""Questionnaire definitions: YAML files read into frozen dataclasses, checked against the schema in
instruments/README.md, and the scoring that follows from them.

A broken file fails loudly at load with the file and the field named (`DefinitionError`), so a typo
in clinical content never reaches a client half-loaded. Each file may carry worked examples
(answers and the scores they must give); they are checked at load too.

Files come from the shipped folder `instruments/` and, when the deployment sets the environment
variable ECOMAP_INSTRUMENTS_DIR (the setting INSTRUMENTS_DIR), from that folder as well: that is where
licensed definitions of the "bring your own licence" instruments go (the project ships only a
descriptor for them, no items). `registry()` reads the files once, through the content registry
(checked at start-up, ecomap.E100), and again when the setting changes.

Scoring (`score`): each score is the sum or the mean of its items' values after reverse scoring
(value -> scale minimum + scale maximum - value). Missing items: a score is computed only while no
more than `max_missing` of its items are unanswered (default 0: every item). A mean is taken over
the answered items; a sum with `max_missing` above 0 must say `prorate: true` and is then the mean
of the answered items times the number of items. Values are exact fractions; bands are looked up on
the exact value, and the display is rounded to the score's `decimals`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

from django.conf import settings

from ecomap.core import content
from ecomap.core.content import KEY_RE, SLUG_RE, ContentError, FieldReader, read_yaml_file

SHIPPED_DIR = Path(__file__).parent / "instruments"
ENV_DIR = "ECOMAP_INSTRUMENTS_DIR"
SCHEMA_VERSION = 1
BYOL = "bring_your_own_licence"
LICENCE_STATUSES = (
    "free_with_credit",         # the author's permission text was read
    "permission_not_required",  # e.g. PhenX "freely available; permission not required"
    "public_domain",
    "unconfirmed",              # shipped, but no licence text was found: flagged for review
    "own_wording",              # ecomap's own wording of a generic technique
    BYOL,                       # the deployment supplies the licensed definition file
    "licensed_by_deployment",   # a deployment's own file, under its own licence
)
METHODS = ("sum", "mean")


class DefinitionError(ContentError):
    """A definition file breaks the schema; the message names the file and the field."""


# --------------------------------------------------------------------------------------------------
# The definition as data


@dataclass(frozen=True)
class Option:
    value: int | str
    label: str

    @property
    def display(self) -> str:
        if isinstance(self.value, int):
            return f"{self.value} – {self.label}" if self.label else str(self.value)
        return self.label


@dataclass(frozen=True)
class Scale:
    key: str
    options: tuple[Option, ...]

    @property
    def numeric(self) -> bool:
        return all(isinstance(o.value, int) for o in self.options)

    @property
    def values(self) -> tuple:
        return tuple(o.value for o in self.options)

    @property
    def low(self) -> int:
        return min(self.values)

    @property
    def high(self) -> int:
        return max(self.values)

    def label(self, value) -> str:
        return next((o.label or str(o.value) for o in self.options if o.value == value), "")


@dataclass(frozen=True)
class Item:
    key: str
    number: int
    text: str
    scale: Scale
    required: bool
    scored: bool
    reverse: bool


@dataclass(frozen=True)
class Band:
    label: str
    low: Fraction
    low_inclusive: bool
    high: Fraction
    high_inclusive: bool

    def contains(self, value: Fraction) -> bool:
        above = value >= self.low if self.low_inclusive else value > self.low
        below = value <= self.high if self.high_inclusive else value < self.high
        return above and below


@dataclass(frozen=True)
class ScoreDef:
    key: str
    label: str
    method: str
    items: tuple[str, ...]
    max_missing: int
    prorate: bool
    decimals: int
    higher_means: str
    bands: tuple[Band, ...]
    bands_note: str
    low: Fraction
    high: Fraction

    @property
    def integer_valued(self) -> bool:
        return self.method == "sum" and not self.prorate

    def band_for(self, value: Fraction | None) -> Band | None:
        if value is None:
            return None
        return next((band for band in self.bands if band.contains(value)), None)

    def display(self, value: Fraction | float | None) -> str:
        if value is None:
            return "—"
        return f"{float(value):.{self.decimals}f}"


@dataclass(frozen=True)
class Licence:
    status: str
    text: str
    url: str


@dataclass(frozen=True)
class Instrument:
    slug: str
    title: str
    short_title: str
    version: str
    description: str
    instructions: str
    licence: Licence
    citation: str
    url: str
    verified: str
    notes: tuple[str, ...]
    badge: str
    items: tuple[Item, ...]
    scores: tuple[ScoreDef, ...]
    primary: str
    item_count: int
    published_scoring: str
    path: str
    origin: str = "shipped"  # "shipped" or "deployment"
    scales: tuple[Scale, ...] = field(default=())

    def __str__(self) -> str:
        return self.title

    @property
    def installed(self) -> bool:
        """False for a bring-your-own-licence descriptor whose licensed file is not supplied."""
        return bool(self.items)

    @property
    def is_byol(self) -> bool:
        return self.licence.status == BYOL

    def item(self, key: str) -> Item | None:
        return next((item for item in self.items if item.key == key), None)

    def score_def(self, key: str) -> ScoreDef | None:
        return next((s for s in self.scores if s.key == key), None)

    @property
    def primary_score(self) -> ScoreDef | None:
        return self.score_def(self.primary) if self.primary else None


# --------------------------------------------------------------------------------------------------
# Reading and checking


def _number(value: Any) -> Fraction | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return Fraction(str(value))


class _Reader(FieldReader):
    """Reads one mapping, naming `where` (file and field path) in every error."""

    error = DefinitionError
    schema_doc = "measures/instruments/README.md"


def _scales(top: _Reader) -> dict[str, Scale]:
    reader = top.mapping("scales")
    scales = {}
    for key in reader.data:
        where = f"{reader.where}.{key}"
        if not isinstance(key, str) or not KEY_RE.match(key):
            raise DefinitionError(f"{where}: {key!r} is not a valid scale key")
        scale = _Reader(reader.data[key], where)
        options, seen = [], set()
        entries = scale.entries("options")
        if len(entries) < 2:
            scale.fail("options", "a scale needs two or more options")
        for entry in entries:
            value = entry.get("value", True)
            if isinstance(value, bool) or not isinstance(value, int | str) or (
                    isinstance(value, str) and not KEY_RE.match(value)):
                entry.fail("value", "expected a whole number, or a key for an unscored answer")
            if value in seen:
                entry.fail("value", f"{value!r} is used twice in this scale")
            seen.add(value)
            label = entry.text("label", required=isinstance(value, str))
            entry.done()
            options.append(Option(value, label))
        if len({type(o.value) for o in options}) > 1:
            scale.fail("options", "values are either all whole numbers or all keys")
        scale.done()
        reader.used.add(key)
        scales[key] = Scale(key, tuple(options))
    return scales


def _bands(reader: _Reader, score: ScoreDef) -> tuple[Band, ...]:
    bands = []
    for entry in reader.entries("bands", required=False):
        label = entry.text("label")
        bounds = {}
        for side, inclusive, exclusive in (("low", "min", "above"), ("high", "max", "below")):
            given = [name for name in (inclusive, exclusive) if entry.data.get(name) is not None]
            if len(given) != 1:
                entry.fail(inclusive, f"give exactly one of {inclusive} and {exclusive}")
            value = _number(entry.get(given[0], True))
            if value is None:
                entry.fail(given[0], "expected a number")
            entry.get(inclusive if given[0] == exclusive else exclusive, False)
            bounds[side] = (value, given[0] == inclusive)
        entry.done()
        band = Band(label, *bounds["low"], *bounds["high"])
        if band.high < band.low or (band.high == band.low
                                    and not (band.low_inclusive and band.high_inclusive)):
            entry.fail("max", "the band is empty (its upper bound is not above its lower bound)")
        if band.low < score.low or band.high > score.high:
            entry.fail("min", f"the band lies outside the score's range "
                              f"{score.display(score.low)} to {score.display(score.high)}")
        bands.append((entry, band))
    if not bands:
        return ()

    def as_integers(band: Band) -> tuple[int, int]:
        low = int(band.low) if band.low_inclusive and band.low.denominator == 1 else \
            int(band.low // 1) + 1
        high = int(band.high) if band.high_inclusive and band.high.denominator == 1 else \
            -int(-band.high // 1) - 1
        return low, high

    first_entry, first = bands[0]
    last_entry, last = bands[-1]
    if score.integer_valued:
        spans = [(entry, *as_integers(band)) for entry, band in bands]
        if spans[0][1] != score.low:
            first_entry.fail("min", f"the first band must start at the score's minimum "
                                    f"{score.display(score.low)} (bands leave a gap)")
        if spans[-1][2] != score.high:
            last_entry.fail("max", f"the last band must end at the score's maximum "
                                   f"{score.display(score.high)} (bands leave a gap)")
        for (_e, _lo, hi), (entry, lo, _hi) in zip(spans, spans[1:], strict=False):
            if lo <= hi:
                entry.fail("min", f"overlaps the band before it (both hold {lo})")
            if lo > hi + 1:
                entry.fail("min", f"leaves a gap after the band before it ({hi + 1} to {lo - 1} "
                                  "are in no band)")
        return tuple(band for _entry, band in bands)
    if not (first.low == score.low and first.low_inclusive):
        first_entry.fail("min", f"the first band must start at the score's minimum "
                                f"{score.display(score.low)}, inclusive (bands leave a gap)")
    if not (last.high == score.high and last.high_inclusive):
        last_entry.fail("max", f"the last band must end at the score's maximum "
                               f"{score.display(score.high)}, inclusive (bands leave a gap)")
    for (_e, before), (entry, band) in zip(bands, bands[1:], strict=False):
        if band.low > before.high or (band.low == before.high and not before.high_inclusive
                                      and not band.low_inclusive):
            entry.fail("min", f"leaves a gap after the band before it (at {float(before.high):g}"
                              f"{'' if band.low == before.high else f' to {float(band.low):g}'})")
        if band.low < before.high or (band.low == before.high and before.high_inclusive
                                      and band.low_inclusive):
            entry.fail("min", f"overlaps the band before it (at {float(band.low):g}); use "
                              "'above' or 'below' to leave the boundary to one band")
    return tuple(band for _entry, band in bands)


def _score(reader: _Reader, items: dict[str, Item]) -> ScoreDef:
    key, label = reader.key(), reader.text("label")
    method = reader.choice("method", METHODS)
    chosen = reader.get("items", True)
    if chosen == "all":
        keys = tuple(k for k, item in items.items() if item.scored)
    elif isinstance(chosen, list) and chosen:
        keys = tuple(chosen)
        for k in keys:
            if k not in items:
                reader.fail("items", f"{k!r} is not an item of this instrument")
            if not items[k].scored:
                reader.fail("items", f"{k!r} is marked scored: false and cannot count in a score")
        if len(set(keys)) != len(keys):
            reader.fail("items", "an item is listed twice")
    else:
        reader.fail("items", "expected 'all' or a list of item keys")
    for k in keys:
        if not items[k].scale.numeric:
            reader.fail("items", f"{k!r} has a scale without numbers and cannot be scored")
    max_missing = reader.integer("max_missing", default=0)
    if max_missing >= len(keys):
        reader.fail("max_missing", "must be less than the number of items in the score")
    prorate = reader.boolean("prorate", False)
    if method == "sum" and max_missing and not prorate:
        reader.fail("prorate", "a sum that allows missing items must say prorate: true")
    if method == "mean" and prorate:
        reader.fail("prorate", "a mean is always over the answered items; prorate is for sums")
    lows = [items[k].scale.low for k in keys]
    highs = [items[k].scale.high for k in keys]
    if method == "sum":
        low, high = Fraction(sum(lows)), Fraction(sum(highs))
    elif max_missing:
        low, high = Fraction(min(lows)), Fraction(max(highs))
    else:
        low, high = Fraction(sum(lows), len(keys)), Fraction(sum(highs), len(keys))
    decimals = reader.integer("decimals", default=0 if method == "sum" and not prorate else 2)
    score = ScoreDef(key, label, method, keys, max_missing, prorate, decimals,
                     reader.text("higher_means", False), (), reader.text("bands_note", False),
                     low, high)
    bands = _bands(reader, score)
    reader.done()
    return replace(score, bands=bands)


def parse(data: Any, path: str, origin: str = "shipped") -> Instrument:
    """Check one file's data against the schema and build its Instrument."""
    top = _Reader(data, path)
    if top.get("schema", True) != SCHEMA_VERSION:
        top.fail("schema", f"this version of ecomap reads schema {SCHEMA_VERSION}")
    slug = top.key("slug", SLUG_RE)
    licence_reader = top.mapping("licence")
    licence = Licence(licence_reader.choice("status", LICENCE_STATUSES),
                      licence_reader.text("text"), licence_reader.text("url", False))
    licence_reader.done()
    head = {
        "slug": slug, "title": top.text("title"), "short_title": top.text("short_title"),
        "version": top.text("version", False), "description": top.text("description"),
        "licence": licence, "citation": top.text("citation"), "url": top.text("url"),
        "verified": top.text("verified"), "notes": top.texts("notes"),
        "badge": top.text("badge", False),
        "published_scoring": top.text("published_scoring", False), "path": path,
        "origin": origin,
    }
    descriptor = licence.status == BYOL and "items" not in data
    if descriptor:
        # A bring-your-own-licence descriptor: what the UI lists as "not installed". No item text.
        for name in ("items", "scales", "scores", "instructions", "reverse", "examples"):
            if name in data:
                top.fail(name, "a bring-your-own-licence descriptor carries no items or scoring "
                               "definition; the deployment supplies them")
        if not head["published_scoring"]:
            top.fail("published_scoring", "required field is missing")
        instrument = Instrument(**head, instructions="", items=(), scores=(), primary="",
                                item_count=top.integer("item_count", minimum=1))
        top.done()
        return instrument
    if origin == "shipped" and licence.status == BYOL:
        top.fail("items", "the project ships no item text of a bring-your-own-licence instrument")

    scales = _scales(top)
    items: dict[str, Item] = {}
    for number, entry in enumerate(top.entries("items"), start=1):
        key = entry.key()
        if key in items:
            entry.fail("key", f"{key!r} is used twice in {path}.items")
        scale_key = entry.get("scale", True)
        if scale_key not in scales:
            entry.fail("scale", f"{scale_key!r} is not one of the scales ({', '.join(scales)})")
        items[key] = Item(key, number, entry.text("text"), scales[scale_key],
                          entry.boolean("required", True), entry.boolean("scored", True), False)
        entry.done()
    item_count = top.integer("item_count", default=len(items), minimum=1)
    if item_count != len(items):
        top.fail("item_count", f"says {item_count} items but the file defines {len(items)}")

    reverse = top.get("reverse", False) or []
    if not isinstance(reverse, list):
        top.fail("reverse", "expected a list of item keys")
    for key in reverse:
        if key not in items:
            top.fail("reverse", f"{key!r} is not an item of this instrument")
        if not items[key].scored or not items[key].scale.numeric:
            top.fail("reverse", f"{key!r} is not a scored item on a numbered scale")
        items[key] = replace(items[key], reverse=True)

    scores, seen = [], set()
    for entry in top.entries("scores", required=False):
        score = _score(entry, items)
        if score.key in seen:
            entry.fail("key", f"{score.key!r} is used twice in {path}.scores")
        seen.add(score.key)
        scores.append(score)
    primary = top.get("primary", False) or (scores[0].key if scores else "")
    if scores and primary not in seen:
        top.fail("primary", f"{primary!r} is not one of the scores ({', '.join(seen)})")

    instrument = Instrument(**head, instructions=top.text("instructions"),
                            items=tuple(items.values()), scores=tuple(scores), primary=primary,
                            item_count=item_count, scales=tuple(scales.values()))
    for index, example in enumerate(top.entries("examples", required=False)):
        _check_example(instrument, example, index)
    top.done()
    return instrument


def _check_example(instrument: Instrument, example: _Reader, index: int) -> None:
    """A worked example in the file: its answers must be valid and give exactly its scores."""
    answers = example.get("answers", True)
    expected = example.get("scores", True)
    if not isinstance(answers, dict) or not isinstance(expected, dict):
        example.fail("answers", "expected answers and scores as mappings")
    errors = answer_errors(instrument, answers, complete=False)
    if errors:
        key, message = next(iter(errors.items()))
        example.fail(f"answers.{key}", message)
    results = score(instrument, answers)
    for key, value in expected.items():
        if key not in results:
            example.fail(f"scores.{key}", "no score has this key")
        want = None if value is None else _number(value)
        got = results[key].value
        if value is not None and want is None:
            example.fail(f"scores.{key}", "expected a number or null")
        if (got is None) != (want is None) or (got is not None and abs(got - want) > Fraction(1, 200)):
            example.fail(f"scores.{key}", f"the answers score {results[key].display}, "
                                          f"not {value}")
    example.done()


def load_file(path: Path, origin: str = "shipped") -> Instrument:
    return parse(read_yaml_file(path, DefinitionError), path.name, origin)


CONTENT_KEY = "measures.instruments"


def load_all() -> dict[str, Instrument]:
    """Every instrument by slug, in title order (the content registry's loader)."""
    extra_dir = str(getattr(settings, "INSTRUMENTS_DIR", "") or "").strip()
    found: dict[str, Instrument] = {}
    for path in sorted(SHIPPED_DIR.glob("*.yaml")):
        instrument = load_file(path)
        if instrument.slug in found:
            raise DefinitionError(f"{path.name}.slug: {instrument.slug!r} is already defined in "
                                  f"{found[instrument.slug].path}")
        found[instrument.slug] = instrument
    if extra_dir:
        folder = Path(extra_dir)
        if not folder.is_dir():
            raise DefinitionError(f"{ENV_DIR}={extra_dir}: no such folder")
        for path in sorted(folder.glob("*.yaml")):
            instrument = load_file(path, origin="deployment")
            shipped = found.get(instrument.slug)
            if shipped is not None and (shipped.installed or shipped.origin == "deployment"):
                raise DefinitionError(
                    f"{path.name}.slug: {instrument.slug!r} is already defined in {shipped.path}; "
                    "a deployment file may only supply a bring-your-own-licence instrument or "
                    "a new one")
            if shipped is not None and instrument.item_count != shipped.item_count:
                raise DefinitionError(
                    f"{path.name}.items: {instrument.slug} has {shipped.item_count} items "
                    f"({shipped.path}), this file defines {instrument.item_count}")
            if not instrument.installed:
                raise DefinitionError(f"{path.name}.items: a deployment file defines the items")
            found[instrument.slug] = instrument
    return dict(sorted(found.items(), key=lambda pair: pair[1].title.casefold()))


def registry() -> dict[str, Instrument]:
    """Every instrument by slug, in title order; read once, and again when INSTRUMENTS_DIR changes."""
    return content.registry.get(CONTENT_KEY)


def register() -> None:
    """Called by the app's ready()."""
    content.registry.register(CONTENT_KEY, load_all, settings=("INSTRUMENTS_DIR",),
                              hint="See ecomap/measures/instruments/README.md for the schema.")


# --------------------------------------------------------------------------------------------------
# Answers and scores


@dataclass(frozen=True)
class ScoreResult:
    key: str
    label: str
    value: Fraction | None
    band: str
    answered: int
    needed: int
    display: str

    def as_json(self) -> dict:
        return {"label": self.label, "value": None if self.value is None else
                round(float(self.value), 4), "band": self.band, "display": self.display,
                "answered": self.answered}


def coerce(item: Item, raw: Any) -> int | str | None:
    """A posted or stored answer as the scale's value; None if empty; ValueError if not allowed."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool):
        raise ValueError(raw)
    if item.scale.numeric:
        try:
            value = int(str(raw).strip())
        except ValueError:
            raise ValueError(raw) from None
    else:
        value = str(raw)
    if value not in item.scale.values:
        raise ValueError(raw)
    return value


def answer_errors(instrument: Instrument, answers: dict, *, complete: bool) -> dict[str, str]:
    """Problems with a set of answers, by item key (plain English; the views translate theirs)."""
    errors = {}
    for key in answers:
        if instrument.item(str(key)) is None:
            errors[str(key)] = "not an item of this questionnaire"
    for item in instrument.items:
        try:
            value = coerce(item, answers.get(item.key))
        except ValueError:
            errors[item.key] = "the answer is not one of the scale's values"
            continue
        if value is None and complete and item.required:
            errors[item.key] = "this item needs an answer"
    return errors


def reversed_value(item: Item, value: int) -> int:
    return item.scale.low + item.scale.high - value if item.reverse else value


def score(instrument: Instrument, answers: dict) -> dict[str, ScoreResult]:
    """Every score of the instrument for valid answers (missing items allowed; see the module
    docstring for the rules). Raises ValueError for an answer outside its item's scale."""
    values = {}
    for item in instrument.items:
        value = coerce(item, answers.get(item.key))
        if value is not None and item.scored:
            values[item.key] = reversed_value(item, value)
    results = {}
    for definition in instrument.scores:
        answered = [values[k] for k in definition.items if k in values]
        missing = len(definition.items) - len(answered)
        value = None
        if answered and missing <= definition.max_missing:
            mean = Fraction(sum(answered), len(answered))
            if definition.method == "mean":
                value = mean
            elif definition.prorate:
                value = mean * len(definition.items)
            else:
                value = Fraction(sum(answered))
        band = definition.band_for(value)
        results[definition.key] = ScoreResult(
            definition.key, definition.label, value, band.label if band else "", len(answered),
            len(definition.items), definition.display(value))
    return results
