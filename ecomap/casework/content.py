"""The casework content files (content/*.yaml), read and checked once.

- needs.yaml: the needs domains, each with the service types recommended for it;
- documents.yaml: the documents an application usually asks for, and the defaults per service type;
- caregiver_checkin.yaml: the caregiver check-in (a practice rule of thumb, not a validated scale).

Every service-type key must exist in the directory's catalogue and every domain must be one of its
needs domains: a mistake stops the start with the file and the field named (core/content.py). The
files are registered in apps.py with `ecomap.core.content.registry` and read through it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ecomap.core.content import ContentError, FieldReader, read_yaml, registry
from ecomap.directory import catalogue

CONTENT_DIR = Path(__file__).parent / "content"
NEEDS, DOCUMENTS, CHECKIN = "casework.needs", "casework.documents", "casework.caregiver_checkin"


class CaseworkContentError(ContentError):
    pass


class Reader(FieldReader):
    error = CaseworkContentError
    schema_doc = "the comments at the top of the file"

    def optional(self, name: str) -> str:
        """A text that may be missing or empty."""
        value = self.get(name, False)
        if value is None or value == "":
            return ""
        if not isinstance(value, str):
            self.fail(name, "expected text")
        return " ".join(value.split())


def _load(name: str, text: str | None = None) -> Reader:
    text = (CONTENT_DIR / name).read_text(encoding="utf-8") if text is None else text
    return Reader(read_yaml(text, name, CaseworkContentError), name)


def _service_type(reader: Reader, field: str, value: str) -> str:
    if value not in catalogue.catalogue().by_key():
        reader.fail(field, f"{value!r} is not a service type of the directory catalogue")
    return value


# --- needs ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    title: str
    publisher: str
    url: str
    note: str
    section: str = ""

    @property
    def citation(self) -> str:
        return ", ".join(p for p in (self.title, self.publisher, self.section) if p)


@dataclass(frozen=True)
class Domain:
    key: str
    name: str
    prompt: str
    recommended: tuple[str, ...]
    source: Source
    note: str = ""

    @property
    def service_types(self) -> list:
        types = catalogue.catalogue().by_key()
        return [types[key] for key in self.recommended]


def parse_needs(text: str | None = None) -> tuple[Domain, ...]:
    root = _load("needs.yaml", text)
    sources_reader = root.mapping("sources")
    sources = {}
    for key in sources_reader.data:
        entry = sources_reader.mapping(str(key))
        sources[key] = Source(entry.text("title"), entry.text("publisher"),
                              entry.optional("url"), entry.optional("note"))
        entry.done()
    sources_reader.done()
    known = set(catalogue.catalogue().domains)
    domains, seen = [], set()
    for entry in root.entries("domains"):
        key = entry.key()
        if key not in known:
            entry.fail("key", f"{key!r} is not a needs domain of the directory catalogue")
        if key in seen:
            entry.fail("key", f"{key!r} is listed twice")
        seen.add(key)
        recommended = entry.keys("recommended")
        for value in recommended:
            _service_type(entry, "recommended", value)
        source = entry.mapping("source")
        ref = source.text("ref")
        if ref not in sources:
            source.fail("ref", f"unknown source {ref!r}")
        section = source.optional("section")
        source.done()
        base = sources[ref]
        domains.append(Domain(key=key, name=entry.text("name"), prompt=entry.text("prompt"),
                              recommended=recommended, note=entry.optional("note"),
                              source=Source(base.title, base.publisher, base.url, base.note,
                                            section)))
        entry.done()
    root.done()
    missing = known - seen
    if missing:
        raise CaseworkContentError(f"needs.yaml.domains: no entry for {sorted(missing)[0]!r}")
    return tuple(domains)


def domains() -> tuple[Domain, ...]:
    return registry.get(NEEDS)


def domain_map() -> dict[str, Domain]:
    return {d.key: d for d in domains()}


# --- documents ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentKind:
    key: str
    name: str
    matches: tuple[str, ...]

    def matches_text(self, text: str) -> bool:
        text = " ".join(text.casefold().split())
        return any(word in text for word in self.matches)


@dataclass(frozen=True)
class Documents:
    kinds: tuple[DocumentKind, ...]
    defaults: dict[str, tuple[str, ...]]
    source: Source

    def by_key(self) -> dict[str, DocumentKind]:
        return {k.key: k for k in self.kinds}

    def for_types(self, type_keys) -> list[DocumentKind]:
        """The default checklist for a service with these types, in the file's order."""
        wanted = set(self.defaults.get("any", ()))
        for key in type_keys:
            wanted |= set(self.defaults.get(key, ()))
        return [k for k in self.kinds if k.key in wanted]

    def kind_of(self, text: str) -> DocumentKind | None:
        """The document kind a free description (a directory entry) names, if any."""
        return next((k for k in self.kinds if k.matches_text(text)), None)


def parse_documents(text: str | None = None) -> Documents:
    root = _load("documents.yaml", text)
    source = root.mapping("source")
    src = Source(source.text("title"), source.text("publisher"), "", source.optional("note"),
                 source.optional("section"))
    source.done()
    kinds, seen = [], set()
    for entry in root.entries("documents"):
        key = entry.key()
        if key in seen:
            entry.fail("key", f"{key!r} is listed twice")
        seen.add(key)
        kinds.append(DocumentKind(key, entry.text("name"),
                                  tuple(m.casefold() for m in entry.texts("matches"))))
        entry.done()
    defaults_reader = root.mapping("defaults")
    defaults = {}
    for type_key in defaults_reader.data:
        type_key = str(type_key)
        if type_key != "any":
            _service_type(defaults_reader, type_key, type_key)
        values = defaults_reader.keys(type_key)
        for value in values:
            if value not in seen:
                defaults_reader.fail(type_key, f"{value!r} is not a document key")
        defaults[type_key] = values
    defaults_reader.done()
    root.done()
    return Documents(tuple(kinds), defaults, src)


def documents() -> Documents:
    return registry.get(DOCUMENTS)


# --- caregiver check-in ---------------------------------------------------------------------


@dataclass(frozen=True)
class Support:
    key: str
    name: str
    text: str
    service_type: str
    search_text: str
    source: Source


@dataclass(frozen=True)
class CheckIn:
    key: str
    title: str
    version: int
    status: str
    period: str
    instructions: str
    scale: tuple[tuple[int, str], ...]
    items: tuple[tuple[str, str], ...]
    high_total: int
    high_item: int
    high_label: str
    supports: tuple[Support, ...]

    @property
    def maximum(self) -> int:
        return max(v for v, _ in self.scale) * len(self.items)

    @property
    def item_keys(self) -> list[str]:
        return [key for key, _ in self.items]

    def total(self, answers: dict[str, int]) -> int:
        return sum(answers[key] for key in self.item_keys)

    def high_strain(self, answers: dict[str, int]) -> bool:
        """The practice rule of thumb (see the file): not a validated cut-off."""
        return (self.total(answers) >= self.high_total
                or any(answers[key] >= self.high_item for key in self.item_keys))


def parse_checkin(text: str | None = None) -> CheckIn:
    root = _load("caregiver_checkin.yaml", text)
    scale = []
    for entry in root.entries("scale"):
        scale.append((entry.integer("value"), entry.text("label")))
        entry.done()
    values = [v for v, _ in scale]
    if values != list(range(len(values))):
        root.fail("scale", "values must be 0, 1, 2, ... in order")
    items, seen = [], set()
    for entry in root.entries("items"):
        key = entry.key()
        if key in seen:
            entry.fail("key", f"{key!r} is listed twice")
        seen.add(key)
        items.append((key, entry.text("text")))
        entry.done()
    high = root.mapping("high_strain")
    high_total, high_item = high.integer("total_at_least", minimum=1), high.integer("any_item_at")
    label = high.text("label")
    high.done()
    if high_total > values[-1] * len(items):
        root.fail("high_strain.total_at_least", "higher than the highest possible total")
    if high_item > values[-1]:
        root.fail("high_strain.any_item_at", "higher than the top of the scale")
    supports = []
    for entry in root.entries("supports"):
        source = entry.mapping("source")
        src = Source(source.text("title"), source.text("publisher"), "", "",
                     source.optional("section"))
        source.done()
        service_type = entry.optional("service_type")
        if service_type:
            _service_type(entry, "service_type", service_type)
        search_text = entry.optional("search_text")
        if not service_type and not search_text:
            entry.fail("service_type", "give a service type or a search_text")
        supports.append(Support(entry.key(), entry.text("name"), entry.text("text"),
                                service_type, search_text, src))
        entry.done()
    checkin = CheckIn(
        key=root.key(), title=root.text("title"), version=root.integer("version", minimum=1),
        status=root.text("status"), period=root.text("period"),
        instructions=root.text("instructions"), scale=tuple(scale), items=tuple(items),
        high_total=high_total, high_item=high_item, high_label=label, supports=tuple(supports))
    root.done()
    return checkin


def checkin() -> CheckIn:
    return registry.get(CHECKIN)


def register() -> None:
    """Register the files (apps.py): each is read once, and checked at start-up by the content
    check, so a broken file stops the start with the file and field named."""
    registry.register(NEEDS, parse_needs)
    registry.register(DOCUMENTS, parse_documents)
    registry.register(CHECKIN, parse_checkin)
