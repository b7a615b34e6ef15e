"""The fellowship catalogue: content/fellowships.yaml, read and checked.

Every error names the file and the field it is in ("fellowships.yaml: fellowships[3] (cma).
medication.value: ..."), so a reviewer who edits the YAML sees exactly what to fix. The catalogue is
copied into the database by `sync()` (the `sync_fellowships` management command).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from ecomap.core.content import ContentError, read_yaml, registry

PATH = Path(__file__).parent / "content" / "fellowships.yaml"

AUDIENCES = ("self", "family")
PHILOSOPHIES = ("spiritual_12_step", "secular_cbt", "self_empowerment", "religious", "buddhist")
ADDRESSES = ("alcohol", "drugs", "any_addiction", "co_occurring", "families")
ABSTINENCE = ("aim", "flexible", "moderation", "not_applicable", "not_stated")
MEDICATION = ("supportive", "accepts_prescribed", "not_applicable", "not_stated")
FACTS = {"philosophy": PHILOSOPHIES, "addresses": ADDRESSES, "abstinence": ABSTINENCE,
         "medication": MEDICATION}
PLAIN = ("slug", "name", "abbreviation", "program", "audience", "website")
FACT_KEYS = {"value", "note", "sources", "unverified"}
SOURCE_KEYS = {"title", "publisher", "url", "note"}


class CatalogueError(ContentError):
    """The catalogue file is wrong; the message names the file and the field."""


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str
    url: str
    note: str = ""


@dataclass(frozen=True)
class Fact:
    value: str | tuple[str, ...]
    note: str
    sources: tuple[Source, ...]
    unverified: bool


@dataclass(frozen=True)
class Entry:
    slug: str
    name: str
    abbreviation: str
    program: str
    audience: str
    website: str
    facts: dict  # name -> Fact

    def as_data(self) -> dict:
        """The entry as plain data for the database (Fellowship.facts)."""
        return {name: {"value": list(f.value) if isinstance(f.value, tuple) else f.value,
                       "note": f.note, "unverified": f.unverified,
                       "sources": [{"id": s.id, "title": s.title, "publisher": s.publisher,
                                    "url": s.url, "note": s.note} for s in f.sources]}
                for name, f in self.facts.items()}


def _url(value, where: str) -> str:
    parsed = urlparse(value) if isinstance(value, str) else None
    if not parsed or parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise CatalogueError(f"{where}: must be an http(s) address, not {value!r}")
    return value


def _text(value, where: str, *, required: bool = True) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise CatalogueError(f"{where}: must be {'non-empty ' if required else ''}text")
    return " ".join(value.split())


def _sources(raw, where: str) -> dict[str, Source]:
    if not isinstance(raw, dict) or not raw:
        raise CatalogueError(f"{where}: must map source ids to sources")
    sources = {}
    for key, item in raw.items():
        here = f"{where}.{key}"
        if not isinstance(item, dict) or not {"title", "publisher", "url"} <= set(item) \
                or set(item) - SOURCE_KEYS:
            raise CatalogueError(f"{here}: needs title, publisher and url (and optionally note)")
        sources[key] = Source(id=key, title=_text(item["title"], f"{here}.title"),
                              publisher=_text(item["publisher"], f"{here}.publisher"),
                              url=_url(item["url"], f"{here}.url"),
                              note=_text(item.get("note"), f"{here}.note", required=False))
    return sources


def _fact(raw, name: str, allowed, sources: dict[str, Source], where: str) -> Fact:
    here = f"{where}.{name}"
    if not isinstance(raw, dict) or "value" not in raw or set(raw) - FACT_KEYS:
        raise CatalogueError(f"{here}: needs value and sources (and optionally note, unverified)")
    value = raw["value"]
    if name == "addresses":
        if not isinstance(value, list) or not value or any(v not in allowed for v in value):
            raise CatalogueError(f"{here}.value: a non-empty list from {', '.join(allowed)}")
        value = tuple(value)
    elif value not in allowed:
        raise CatalogueError(f"{here}.value: must be one of {', '.join(allowed)}, not {value!r}")
    ids = raw.get("sources")
    if not isinstance(ids, list) or not ids:
        raise CatalogueError(f"{here}.sources: name at least one source")
    unknown = [i for i in ids if i not in sources]
    if unknown:
        raise CatalogueError(f"{here}.sources: unknown source ids {unknown}")
    unverified = raw.get("unverified", False)
    if not isinstance(unverified, bool):
        raise CatalogueError(f"{here}.unverified: must be true or false")
    return Fact(value=value, note=_text(raw.get("note"), f"{here}.note", required=False),
                sources=tuple(sources[i] for i in ids), unverified=unverified)


def parse(text: str, filename: str = PATH.name) -> tuple[Entry, ...]:
    data = read_yaml(text, filename, CatalogueError)
    if not isinstance(data, dict) or set(data) != {"fellowships", "sources"}:
        raise CatalogueError(f"{filename}: the file holds exactly 'fellowships' and 'sources'")
    sources = _sources(data["sources"], f"{filename}: sources")
    if not isinstance(data["fellowships"], list) or not data["fellowships"]:
        raise CatalogueError(f"{filename}: fellowships: must be a non-empty list")
    entries, seen = [], set()
    for index, raw in enumerate(data["fellowships"], start=1):
        slug = raw.get("slug", "?") if isinstance(raw, dict) else "?"
        where = f"{filename}: fellowships[{index}] ({slug})"
        if not isinstance(raw, dict):
            raise CatalogueError(f"{where}: must be a mapping")
        missing = [k for k in (*PLAIN, *FACTS) if k not in raw]
        extra = sorted(set(raw) - set(PLAIN) - set(FACTS))
        if missing or extra:
            raise CatalogueError(f"{where}: missing fields {missing}" if missing
                                 else f"{where}: unknown fields {extra}")
        plain = {k: _text(raw[k], f"{where}.{k}") for k in PLAIN}
        if slug in seen:
            raise CatalogueError(f"{where}.slug: used twice")
        seen.add(slug)
        if plain["audience"] not in AUDIENCES:
            raise CatalogueError(f"{where}.audience: must be one of {', '.join(AUDIENCES)}")
        _url(plain["website"], f"{where}.website")
        facts = {name: _fact(raw[name], name, allowed, sources, where)
                 for name, allowed in FACTS.items()}
        entries.append(Entry(**plain, facts=facts))
    return tuple(entries)


def load() -> tuple[Entry, ...]:
    return parse(PATH.read_text(encoding="utf-8"))


KEY = "mutualaid.fellowships"  # registered in apps.py; loaded and checked at start-up


def entries() -> tuple[Entry, ...]:
    return registry.get(KEY)


def by_slug() -> dict[str, Entry]:
    return {e.slug: e for e in entries()}
