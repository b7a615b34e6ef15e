"""Training programmes: YAML files in content/ (schema in content/README.md), read into frozen
dataclasses through the content registry. A broken file stops start-up naming its file and field.
Another programme is another file in the folder; no code changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from ecomap.core.content import SLUG_RE, ContentError, FieldReader, read_yaml_file, registry

KEY = "training.programmes"
CONTENT_DIR = Path(__file__).parent / "content"
TASKS = (
    ("explore", _("Explore the resources")),
    ("debate", _("The debate")),
    ("study_group", _("Study-group discussion")),
)
TASK_KEYS = tuple(key for key, _label in TASKS)
TASK_LABELS = dict(TASKS)
TASK_SHORT = (("explore", _("Explore")), ("debate", _("Debate")), ("study_group", _("Group")))


class ProgrammeFileError(ContentError):
    """A programme file breaks the schema; the message names the file and the field."""


class Reader(FieldReader):
    error = ProgrammeFileError
    schema_doc = "ecomap/training/content/README.md"

    def day(self, name: str, required: bool = True) -> date | None:
        value = self.get(name, required)
        if value is None and not required:
            return None
        if not isinstance(value, date):
            self.fail(name, "expected a date written YYYY-MM-DD")
        return value

    def number(self, name: str) -> float:
        value = self.get(name, True)
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            self.fail(name, "expected a positive number of hours")
        return float(value)


@dataclass(frozen=True)
class Resource:
    title: str
    url: str
    checked: date | None  # None: nobody has opened the link yet to check it


@dataclass(frozen=True)
class PracticeLink:
    title: str
    url_name: str

    @property
    def url(self) -> str:
        return reverse(self.url_name)


@dataclass(frozen=True)
class Task:
    key: str
    title: str
    hours: float


@dataclass(frozen=True)
class Topic:
    key: str
    title: str
    summary: str
    questions: tuple[str, ...]
    motion: str
    study_group: str
    resources: tuple[Resource, ...]
    practice: tuple[PracticeLink, ...]
    tasks: tuple[Task, ...]
    open_meetings: bool = False  # the study group plans visits to open mutual-aid meetings


@dataclass(frozen=True)
class Outcome:
    key: str
    text: str


@dataclass(frozen=True)
class Tutor:
    name: str
    role: str


@dataclass(frozen=True)
class Scale:
    minimum: int
    maximum: int
    labels: tuple[str, ...]

    def choices(self):
        return [(value, f"{value}: {label}") for value, label
                in zip(range(self.minimum, self.maximum + 1), self.labels, strict=True)]


@dataclass(frozen=True)
class ProgrammeContent:
    slug: str
    title: str
    summary: str
    approach: str
    prerequisite: str
    prerequisite_note: str
    tutors: tuple[Tutor, ...]
    outcomes: tuple[Outcome, ...]
    scale: Scale
    topics: tuple[Topic, ...]
    source_title: str
    citation: str
    source_file: str
    file: str

    def topic(self, key: str) -> Topic | None:
        return next((topic for topic in self.topics if topic.key == key), None)

    @property
    def suggested_hours(self) -> float:
        return sum(task.hours for topic in self.topics for task in topic.tasks)


def _url_name(reader: Reader, name: str) -> str:
    value = reader.text(name)
    try:
        reverse(value)
    except NoReverseMatch:
        reader.fail(name, f"{value!r} is not a page of ecomap (a URL name without arguments)")
    return value


def _topic(reader: Reader, hours: dict[str, float]) -> Topic:
    resources = []
    for entry in reader.entries("resources"):
        url = entry.text("url")
        if not url.startswith("https://"):
            entry.fail("url", "expected an https:// address")
        resources.append(Resource(entry.text("title"), url, entry.day("checked", required=False)))
        entry.done()
    practice = []
    for entry in reader.entries("practice"):
        practice.append(PracticeLink(entry.text("title"), _url_name(entry, "url_name")))
        entry.done()
    key = reader.key()
    topic = Topic(
        key=key, title=reader.text("title"), summary=reader.text("summary"),
        questions=reader.texts("questions", required=True), motion=reader.text("motion"),
        study_group=reader.text("study_group"), resources=tuple(resources),
        practice=tuple(practice),
        # The labels are lazy: shown in the user's language.
        tasks=tuple(Task(k, label, hours[k]) for k, label in TASKS),
        open_meetings=reader.boolean("open_meetings", False),
    )
    reader.done()
    return topic


def parse(data, name: str) -> ProgrammeContent:
    reader = Reader(data, name)
    slug = reader.key("slug", SLUG_RE)
    prerequisite = reader.mapping("prerequisite")
    prerequisite_title, prerequisite_note = prerequisite.text("title"), prerequisite.text("note")
    prerequisite.done()
    tutors = []
    for entry in reader.entries("tutors"):
        tutors.append(Tutor(entry.text("name"), entry.text("role")))
        entry.done()
    outcomes = []
    for entry in reader.entries("outcomes"):
        outcomes.append(Outcome(entry.key(), entry.text("text")))
        entry.done()
    scale_reader = reader.mapping("rating_scale")
    low, high = scale_reader.integer("min", minimum=0), scale_reader.integer("max", minimum=1)
    labels = scale_reader.texts("labels", required=True)
    if high <= low or len(labels) != high - low + 1:
        scale_reader.fail("labels", f"expected one label for each point from {low} to {high}")
    scale_reader.done()
    hours_reader = reader.mapping("hours")
    hours = {key: hours_reader.number(key) for key in TASK_KEYS}
    hours_reader.done()
    source = reader.mapping("source")
    source_title, citation, source_file = (source.text("title"), source.text("citation"),
                                           source.text("file"))
    source.done()
    topics = [_topic(entry, hours) for entry in reader.entries("topics")]
    seen = set()
    for i, topic in enumerate(topics):
        if topic.key in seen:
            raise ProgrammeFileError(f"{name}.topics[{i}].key: {topic.key!r} is used twice")
        seen.add(topic.key)
    programme = ProgrammeContent(
        slug=slug, title=reader.text("title"), summary=reader.text("summary"),
        approach=reader.text("approach"), prerequisite=prerequisite_title,
        prerequisite_note=prerequisite_note, tutors=tuple(tutors), outcomes=tuple(outcomes),
        scale=Scale(low, high, labels), topics=tuple(topics), source_title=source_title,
        citation=citation, source_file=source_file, file=name,
    )
    reader.done()
    return programme


def load(folder: Path = CONTENT_DIR) -> dict[str, ProgrammeContent]:
    """Every programme file in the folder, by slug."""
    programmes: dict[str, ProgrammeContent] = {}
    for path in sorted(folder.glob("*.yaml")):
        programme = parse(read_yaml_file(path, ProgrammeFileError), path.name)
        if programme.slug in programmes:
            raise ProgrammeFileError(f"{path.name}.slug: {programme.slug!r} is used by another file")
        programmes[programme.slug] = programme
    return programmes


def programmes() -> dict[str, ProgrammeContent]:
    return registry.get(KEY)


def programme(slug: str) -> ProgrammeContent | None:
    return programmes().get(slug)
