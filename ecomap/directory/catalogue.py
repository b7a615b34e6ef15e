"""The catalogue of psychosocial service types, read from content/service_types.yaml.

The types are exported to HSDS as a taxonomy of their own (ecomap's service types), with stable ids
derived from the keys, so that a service is linked to a type by an HSDS attribute row and a package
read back keeps the same term ids. Every problem in the file is reported with the file name, the
type and the field.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

from ecomap.core.content import ContentError, read_yaml, registry

CATALOGUE_PATH = Path(__file__).parent / "content" / "service_types.yaml"
TYPE_FIELDS = {"key", "name", "description", "source", "needs"}
OPTIONAL_FIELDS = {"parent"}
SOURCE_FIELDS = {"title", "publisher", "url", "note"}

# The HSDS taxonomies ecomap publishes. Ids are fixed so that every ecomap installation exports the
# same taxonomy and term ids for the same keys.
NAMESPACE = uuid.UUID("6a1f0c52-0d4e-5b7a-9f3c-2e8d4b1a7c90")
SERVICE_TYPE_TAXONOMY_ID = str(uuid.uuid5(NAMESPACE, "taxonomy:service-types"))
SERVICE_TYPE_TAXONOMY_NAME = "ecomap psychosocial service types"
FACET_TAXONOMY_ID = str(uuid.uuid5(NAMESPACE, "taxonomy:facets"))
FACET_TAXONOMY_NAME = "ecomap service facets"
INSURANCE_TERM_ID = str(uuid.uuid5(NAMESPACE, "facet:insurance_accepted"))
INSURANCE_TERM_CODE = "insurance_accepted"
SERVICE_TYPE_LINK_TYPE = "service_type"
INSURANCE_LINK_TYPE = "insurance_accepted"


CONTENT_KEY = "directory.catalogue"


class CatalogueError(ContentError):
    pass


@dataclass(frozen=True)
class Source:
    key: str
    title: str
    publisher: str
    url: str
    note: str


@dataclass(frozen=True)
class ServiceType:
    key: str
    name: str
    description: str
    source: Source
    section: str
    needs: tuple[str, ...]
    parent: str | None = None

    @property
    def term_id(self) -> str:
        return term_id(self.key)

    @property
    def citation(self) -> str:
        parts = [self.source.title, self.source.publisher]
        if self.section:
            parts.append(self.section)
        return ", ".join(parts)


@dataclass(frozen=True)
class Catalogue:
    domains: tuple[str, ...]
    sources: dict
    types: tuple[ServiceType, ...]

    def by_key(self) -> dict[str, ServiceType]:
        return {t.key: t for t in self.types}

    def for_need(self, domain: str) -> list[ServiceType]:
        return [t for t in self.types if domain in t.needs]


def term_id(key: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"service-type:{key}"))


def parse(text: str, where: str = CATALOGUE_PATH.name) -> Catalogue:
    """Read and check the catalogue; every error names the file, the type and the field."""
    data = read_yaml(text, where, CatalogueError)
    if not isinstance(data, dict):
        raise CatalogueError(f"{where}: the file must be a mapping with needs_domains, sources, types")
    for name in ("needs_domains", "sources", "types"):
        if name not in data:
            raise CatalogueError(f"{where}: field {name!r} is missing")
    domains = data["needs_domains"]
    if not isinstance(domains, list) or not domains or not all(isinstance(d, str) for d in domains):
        raise CatalogueError(f"{where}: field 'needs_domains' must be a list of names")
    if not isinstance(data["sources"], dict):
        raise CatalogueError(f"{where}: field 'sources' must be a mapping")
    sources = {}
    for key, raw in data["sources"].items():
        at = f"{where}: source {key!r}"
        if (not isinstance(raw, dict) or set(raw) - SOURCE_FIELDS
                or not {"title", "publisher"} <= set(raw)):
            raise CatalogueError(f"{at}: needs title and publisher (and may have url, note)")
        sources[key] = Source(key, str(raw["title"]), str(raw["publisher"]), str(raw.get("url") or ""),
                              str(raw.get("note") or ""))
    if not isinstance(data["types"], list) or not data["types"]:
        raise CatalogueError(f"{where}: field 'types' must be a non-empty list")
    types, seen = [], set()
    for index, raw in enumerate(data["types"], start=1):
        key = raw.get("key", "?") if isinstance(raw, dict) else "?"
        at = f"{where}: type {index} ({key})"
        if not isinstance(raw, dict):
            raise CatalogueError(f"{at}: must be a mapping")
        missing = TYPE_FIELDS - set(raw)
        if missing:
            raise CatalogueError(f"{at}: field {sorted(missing)[0]!r} is missing")
        unknown = set(raw) - TYPE_FIELDS - OPTIONAL_FIELDS
        if unknown:
            raise CatalogueError(f"{at}: field {sorted(unknown)[0]!r} is not known")
        if not isinstance(key, str) or not key.replace("_", "").isalnum() or key != key.lower():
            raise CatalogueError(f"{at}: field 'key' must be lower-case letters, digits and _")
        if key in seen:
            raise CatalogueError(f"{at}: field 'key' is used twice")
        seen.add(key)
        for name in ("name", "description"):
            if not isinstance(raw[name], str) or not raw[name].strip():
                raise CatalogueError(f"{at}: field {name!r} must be a non-empty text")
        source = raw["source"]
        if not isinstance(source, dict) or set(source) != {"ref", "section"}:
            raise CatalogueError(f"{at}: field 'source' needs exactly ref and section")
        if source["ref"] not in sources:
            raise CatalogueError(f"{at}: field 'source': unknown source {source['ref']!r}")
        needs = raw["needs"]
        if not isinstance(needs, list) or not needs:
            raise CatalogueError(f"{at}: field 'needs' must be a non-empty list")
        for need in needs:
            if need not in domains:
                raise CatalogueError(f"{at}: field 'needs': unknown domain {need!r}")
        types.append(ServiceType(key=key, name=raw["name"].strip(),
                                 description=" ".join(raw["description"].split()),
                                 source=sources[source["ref"]], section=str(source["section"] or ""),
                                 needs=tuple(needs), parent=raw.get("parent")))
    for index, item in enumerate(types, start=1):
        if item.parent is not None and (item.parent not in seen or item.parent == item.key):
            raise CatalogueError(f"{where}: type {index} ({item.key}): field 'parent': unknown type "
                                 f"{item.parent!r}")
    return Catalogue(domains=tuple(domains), sources=sources, types=tuple(types))


def load() -> Catalogue:
    """The registered loader (apps.py): read once, checked at start-up by the content check."""
    return parse(CATALOGUE_PATH.read_text(encoding="utf-8"), CATALOGUE_PATH.name)


def catalogue() -> Catalogue:
    return registry.get(CONTENT_KEY)


def service_types() -> tuple[ServiceType, ...]:
    return catalogue().types


def type_for_term(term_id_: str) -> ServiceType | None:
    return {t.term_id: t for t in service_types()}.get(term_id_)
