"""Module definitions: YAML files read into frozen dataclasses, checked against the schema in
content/README.md. A broken file stops the app at start-up (the content check, ecomap.E100, run by
`check` and `serve`) with the file and the field named, so a typo in clinical content never reaches a
session half-loaded.

Files come from `settings.MODULE_DIRS` (the shipped content folder unless a deployment adds its
own); `registry()` reads them once, through the content registry, and keeps them until the setting
changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from ecomap.core import content
from ecomap.core.content import SLUG_RE, ContentError, FieldReader, read_yaml_file

CONTENT_DIR = Path(__file__).parent / "content"
SCHEMA_VERSION = 1
STRATEGY_KEYS = ("motivational", "educational", "cognitive_behavioural")
CHECKLIST_KINDS = ("choose", "people")
QUESTION_KINDS = ("open", "multiple_choice", "true_false")
REVIEW_STATUSES = ("draft", "reviewed")
# The steps the session screen knows how to fill; a module lists them in its own order.
STEP_KEYS = ("socialize", "review", "homework_review", "goals", "agenda", "teach", "summarize",
             "homework_agree")


class DefinitionError(ContentError):
    """A module file breaks the schema; the message names the file and the field."""


@dataclass(frozen=True)
class Source:
    citation: str
    section: str
    url: str
    licence: str


@dataclass(frozen=True)
class Goal:
    key: str
    text: str


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    guidance: str
    prompt: str


@dataclass(frozen=True)
class Strategy:
    key: str
    title: str
    summary: str
    examples: tuple[str, ...]


@dataclass(frozen=True)
class Topic:
    key: str
    title: str
    summary: str
    checklists: tuple[str, ...]


@dataclass(frozen=True)
class Item:
    key: str
    text: str
    examples: str


@dataclass(frozen=True)
class Checklist:
    key: str
    title: str
    kind: str
    instructions: str
    allow_other: bool
    items: tuple[Item, ...]

    def item(self, key: str) -> Item | None:
        return next((item for item in self.items if item.key == key), None)


@dataclass(frozen=True)
class HomeworkIdea:
    key: str
    text: str
    checklist: str


@dataclass(frozen=True)
class Tip:
    key: str
    problem: str
    response: str


@dataclass(frozen=True)
class Choice:
    key: str
    text: str


@dataclass(frozen=True)
class ReviewQuestion:
    key: str
    kind: str
    text: str
    guidance: str
    choices: tuple[Choice, ...]
    answer: str | bool | None

    @property
    def auto_scored(self) -> bool:
        return self.kind != "open"


@dataclass(frozen=True)
class ModuleDef:
    slug: str
    title: str
    programme: str
    number: int | None
    summary: str
    source: Source
    authoring_note: str
    review_status: str
    goals: tuple[Goal, ...]
    sessions_min: int
    sessions_max: int
    pacing: str
    agenda: tuple[Step, ...]
    strategies: tuple[Strategy, ...]
    topics: tuple[Topic, ...]
    checklists: tuple[Checklist, ...]
    homework_ideas: tuple[HomeworkIdea, ...]
    tips: tuple[Tip, ...]
    review_questions: tuple[ReviewQuestion, ...]
    path: str

    def __str__(self) -> str:
        return self.title

    def topic(self, key: str) -> Topic | None:
        return next((t for t in self.topics if t.key == key), None)

    def checklist(self, key: str) -> Checklist | None:
        return next((c for c in self.checklists if c.key == key), None)

    def question(self, key: str) -> ReviewQuestion | None:
        return next((q for q in self.review_questions if q.key == key), None)

    def idea(self, key: str) -> HomeworkIdea | None:
        return next((i for i in self.homework_ideas if i.key == key), None)

    @property
    def full_title(self) -> str:
        prefix = f"{self.programme}, " if self.programme else ""
        number = f"module {self.number}: " if self.number else ""
        return f"{prefix}{number}{self.title}"


class _Reader(FieldReader):
    """Reads one mapping, naming `where` (file and field path) in every error."""

    error = DefinitionError
    schema_doc = "modules/content/README.md"

    def done(self) -> None:
        unknown = self.unknown()
        if unknown:
            raise DefinitionError(f"{self.where}: unknown field {unknown[0]!r} "
                                  f"(see {self.schema_doc} for the schema)")


def _unique(readers_and_keys: list[tuple[_Reader, str]], where: str) -> None:
    seen: set[str] = set()
    for reader, key in readers_and_keys:
        if key in seen:
            raise DefinitionError(f"{reader.where}.key: {key!r} is used twice in {where}")
        seen.add(key)


def parse(data: Any, path: str) -> ModuleDef:
    """Check one file's data against the schema and build its ModuleDef."""
    top = _Reader(data, path)
    if top.get("schema", True) != SCHEMA_VERSION:
        raise DefinitionError(f"{path}.schema: this version of ecomap reads schema {SCHEMA_VERSION}")
    source = top.mapping("source")
    source_def = Source(citation=source.text("citation"), section=source.text("section", False),
                        url=source.text("url", False), licence=source.text("licence"))
    source.done()

    sessions = top.mapping("sessions")
    sessions_min = sessions.integer("min", minimum=1)
    sessions_max = sessions.integer("max", minimum=1)
    if sessions_max < sessions_min:
        raise DefinitionError(f"{sessions.where}.max: must not be less than min ({sessions_min})")
    pacing = sessions.text("pacing", False)
    sessions.done()

    def keyed(name, build, required=True):
        readers = top.entries(name, required)
        built = [(reader, build(reader)) for reader in readers]
        _unique([(reader, obj.key) for reader, obj in built], f"{path}.{name}")
        for reader, _obj in built:
            reader.done()
        return tuple(obj for _reader, obj in built)

    goals = keyed("goals", lambda r: Goal(r.key(), r.text("text")))
    agenda = keyed("agenda", lambda r: Step(r.key(), r.text("title"), r.text("guidance"),
                                            r.text("prompt", False)))
    for step, reader in zip(agenda, top.entries("agenda"), strict=True):
        if step.key not in STEP_KEYS:
            raise DefinitionError(f"{reader.where}.key: {step.key!r} is not a session step "
                                  f"({', '.join(STEP_KEYS)})")
    strategies = keyed("strategies", lambda r: Strategy(
        r.choice("key", STRATEGY_KEYS), r.text("title"), r.text("summary"), r.texts("examples")))

    def checklist(r: _Reader) -> Checklist:
        items = []
        for item in r.entries("items"):
            items.append((item, Item(item.key(), item.text("text"), item.text("examples", False))))
            item.done()
        _unique([(reader, obj.key) for reader, obj in items], f"{r.where}.items")
        return Checklist(r.key(), r.text("title"), r.choice("kind", CHECKLIST_KINDS),
                         r.text("instructions"), r.boolean("allow_other", False),
                         tuple(obj for _reader, obj in items))

    checklists = keyed("checklists", checklist, required=False)
    checklist_keys = {c.key for c in checklists}

    def known_checklist(reader: _Reader, key: str, field: str) -> str:
        if key and key not in checklist_keys:
            raise DefinitionError(f"{reader.where}.{field}: no checklist has the key {key!r}")
        return key

    def topic(r: _Reader) -> Topic:
        keys = r.keys("checklists")
        for key in keys:
            known_checklist(r, key, "checklists")
        return Topic(r.key(), r.text("title"), r.text("summary"), keys)

    topics = keyed("topics", topic)
    ideas = keyed("homework_ideas", lambda r: HomeworkIdea(
        r.key(), r.text("text"), known_checklist(r, r.text("checklist", False), "checklist")),
        required=False)
    tips = keyed("tips", lambda r: Tip(r.key(), r.text("problem"), r.text("response")),
                 required=False)
    questions = keyed("review_questions", _question, required=False)
    # The session screen records topics and checklists at the "teach" step.
    if topics and "teach" not in {s.key for s in agenda}:
        raise DefinitionError(f"{path}.agenda: a module with topics needs a 'teach' step")

    module = ModuleDef(
        slug=top.key("slug", SLUG_RE), title=top.text("title"), programme=top.text("programme", False),
        number=top.integer("number", default=None, minimum=1), summary=top.text("summary"),
        source=source_def,
        authoring_note=top.text("authoring_note"),
        review_status=top.choice("review_status", REVIEW_STATUSES),
        goals=goals, sessions_min=sessions_min, sessions_max=sessions_max, pacing=pacing,
        agenda=agenda, strategies=strategies, topics=topics, checklists=checklists,
        homework_ideas=ideas, tips=tips, review_questions=questions, path=path,
    )
    top.done()
    return module


def _question(r: _Reader) -> ReviewQuestion:
    kind = r.choice("kind", QUESTION_KINDS)
    key, text, guidance = r.key(), r.text("text"), r.text("guidance", False)
    choices: tuple[Choice, ...] = ()
    answer: str | bool | None = None
    if kind == "multiple_choice":
        readers = r.entries("choices")
        if len(readers) < 2:
            raise DefinitionError(f"{r.where}.choices: a multiple-choice question needs two or more")
        choices = tuple(Choice(c.key(), c.text("text")) for c in readers)
        for c in readers:
            c.done()
        _unique(list(zip(readers, (c.key for c in choices), strict=True)), f"{r.where}.choices")
        answer = r.get("answer", True)
        if not isinstance(answer, str) or answer not in {c.key for c in choices}:
            raise DefinitionError(f"{r.where}.answer: {answer!r} is not one of the choices' keys")
    elif kind == "true_false":
        answer = r.get("answer", True)
        if not isinstance(answer, bool):
            raise DefinitionError(f"{r.where}.answer: a true/false question's answer is true or false")
    else:
        for field in ("choices", "answer"):
            if field in r.data:
                raise DefinitionError(f"{r.where}.{field}: an open question has no {field}")
    return ReviewQuestion(key, kind, text, guidance, choices, answer)


def load_file(path: Path) -> ModuleDef:
    return parse(read_yaml_file(path, DefinitionError), path.name)


CONTENT_KEY = "modules.definitions"


def load_all() -> dict[str, ModuleDef]:
    """Every module definition by slug, in title order (the content registry's loader)."""
    found: dict[str, ModuleDef] = {}
    for folder in getattr(settings, "MODULE_DIRS", [CONTENT_DIR]):
        for path in sorted(Path(folder).glob("*.yaml")):
            module = load_file(path)
            if module.slug in found:
                raise DefinitionError(f"{path.name}.slug: {module.slug!r} is already defined in "
                                      f"{found[module.slug].path}")
            found[module.slug] = module
    return dict(sorted(found.items(), key=lambda pair: pair[1].title))


def registry() -> dict[str, ModuleDef]:
    """Every module definition by slug, in title order: read once, checked at start-up."""
    return content.registry.get(CONTENT_KEY)


def get(slug: str) -> ModuleDef | None:
    return registry().get(slug)


def register() -> None:
    """Called by the app's ready(); the files are read again when MODULE_DIRS changes (tests)."""
    content.registry.register(CONTENT_KEY, load_all, settings=("MODULE_DIRS",))
