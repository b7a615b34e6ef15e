"""Content files (modules, instruments, rules, catalogues): read, checked and cached in one place.

`registry` holds every content file an app reads: `registry.register(key, loader)` in the app's
ready(), `registry.get(key)` where it is used; a system check loads them all at start-up.
`read_yaml` parses a file and names the line of a syntax error; `FieldReader` reads it field by field.

A `FieldReader` wraps one mapping from a YAML file and names the file and the field path in every
error (`mspss.yaml.scores[1].bands[2].min: expected a number`), so a clinician who edits a file
learns exactly what to fix. An app subclasses it to set its own error class and schema document.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

KEY_RE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)*$")
SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
KEY_MAX, SLUG_MAX = 60, 80  # the columns that store them
REQUIRED = object()  # the default of a field that must be given


class ContentError(ValueError):
    """A content file breaks its schema; the message names the file and the field."""


class FieldReader:
    """Reads one mapping; nested mappings and list entries are read by the same class."""

    error: type[Exception] = ContentError
    schema_doc = "the app's README"

    def __init__(self, data: Any, where: str):
        if not isinstance(data, dict):
            raise self.error(f"{where}: expected a mapping of fields")
        self.data, self.where, self.used = data, where, set()

    def fail(self, name: str, message: str):
        raise self.error(f"{self.where}.{name}: {message}")

    def get(self, name: str, required: bool):
        self.used.add(name)
        if name not in self.data or self.data[name] is None:
            if required:
                self.fail(name, "required field is missing")
            return None
        return self.data[name]

    def text(self, name: str, required: bool = True) -> str:
        value = self.get(name, required)
        if value is None:
            return ""
        if not isinstance(value, str) or not value.strip():
            self.fail(name, "expected non-empty text")
        return " ".join(value.split())

    def key(self, name: str = "key", pattern: re.Pattern = KEY_RE) -> str:
        value = self.get(name, True)
        longest = KEY_MAX if pattern is KEY_RE else SLUG_MAX
        if isinstance(value, str) and len(value) > longest:
            self.fail(name, f"longer than {longest} characters")
        if not isinstance(value, str) or not pattern.match(value):
            kind = "key (lower-case letters and digits joined by single underscores)" \
                if pattern is KEY_RE else "slug (lower-case letters and digits joined by hyphens)"
            self.fail(name, f"{value!r} is not a valid {kind}")
        return value

    def integer(self, name: str, default: Any = REQUIRED, minimum: int = 0) -> int | None:
        value = self.get(name, default is REQUIRED)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.fail(name, f"expected a whole number of at least {minimum}")
        return value

    def boolean(self, name: str, default: bool) -> bool:
        value = self.get(name, False)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.fail(name, "expected true or false")
        return value

    def choice(self, name: str, allowed: tuple[str, ...], default: Any = REQUIRED) -> str:
        value = self.get(name, default is REQUIRED)
        if value is None:
            return default
        if value not in allowed:
            self.fail(name, f"{value!r} is not one of {', '.join(allowed)}")
        return value

    def entries(self, name: str, required: bool = True) -> list:
        value = self.get(name, required)
        if value is None:
            return []
        if not isinstance(value, list) or not value:
            self.fail(name, "expected a non-empty list")
        return [type(self)(entry, f"{self.where}.{name}[{i}]") for i, entry in enumerate(value)]

    def texts(self, name: str, required: bool = False) -> tuple[str, ...]:
        value = self.get(name, required)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.fail(name, "expected a list of texts")
        return tuple(" ".join(v.split()) for v in value)

    def keys(self, name: str) -> tuple[str, ...]:
        values = self.texts(name)
        for value in values:
            if not KEY_RE.match(value):
                self.fail(name, f"{value!r} is not a valid key")
        return values

    def mapping(self, name: str, required: bool = True):
        value = self.get(name, required)
        return None if value is None else type(self)(value, f"{self.where}.{name}")

    def unknown(self) -> list[str]:
        return sorted(set(map(str, self.data)) - self.used)

    def done(self) -> None:
        """Refuse fields nobody read: a misspelt field name must not be silently ignored."""
        unknown = self.unknown()
        if unknown:
            raise self.error(f"{self.where}.{unknown[0]}: unknown field "
                             f"(see {self.schema_doc} for the schema)")


# --- reading YAML and the content registry -----------------------------------------------------


def read_yaml(text: str, name: str, error: type[Exception] = ContentError):
    """Parse a content file's YAML; a syntax error names the file, line and column."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as problem:
        mark = getattr(problem, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise error(f"{name}: not valid YAML{where}") from None


def read_yaml_file(path: Path, error: type[Exception] = ContentError):
    return read_yaml(path.read_text(encoding="utf-8"), path.name, error)


@dataclass
class _Source:
    loader: Callable[[], Any]
    settings: tuple[str, ...]
    hint: str = ""
    loaded: bool = False
    value: Any = None


class ContentRegistry:
    """Every content file the apps read (modules, instruments, rules, catalogues), loaded once.

    An app registers a loader in its AppConfig.ready(); pages call `registry.get(key)`. The loader
    parses and checks the file(s) and raises a `ContentError` naming the file and field. All of them
    are loaded by a system check at start-up, so a broken file stops `serve` and `check`, not a page.
    A loader that reads a setting (a folder of licensed files) names it, and is read afresh when the
    setting changes (tests, `override_settings`).
    """

    def __init__(self):
        self._sources: dict[str, _Source] = {}
        self._lock = threading.RLock()  # a loader may read another registered file

    def register(self, key: str, loader: Callable[[], Any], *, settings: tuple[str, ...] = (),
                 hint: str = ""):
        """`hint` tells whoever reads the start-up check where the schema is documented."""
        if key in self._sources and self._sources[key].loader is not loader:
            raise ValueError(f"content {key!r} is registered twice")
        self._sources.setdefault(key, _Source(loader, tuple(settings), hint))
        return loader

    def get(self, key: str) -> Any:
        source = self._sources[key]
        if not source.loaded:
            with self._lock:
                if not source.loaded:
                    source.value, source.loaded = source.loader(), True
        return source.value

    def keys(self) -> list[str]:
        return sorted(self._sources)

    def clear(self, key: str | None = None) -> None:
        for name, source in self._sources.items():
            if key is None or name == key:
                source.loaded, source.value = False, None

    def setting_changed(self, setting: str) -> None:
        for source in self._sources.values():
            if setting in source.settings:
                source.loaded, source.value = False, None

    def failures(self) -> list[tuple[str, str]]:
        """Load every registered file: (key, message) of each that fails."""
        found = []
        for key in self.keys():
            try:
                self.get(key)
            except (ContentError, OSError, ValueError) as error:
                found.append((key, str(error)))
        return found

    def problems(self) -> list[str]:
        """Load every registered file; the messages of those that fail."""
        return [message for _key, message in self.failures()]

    def check(self, app_configs=None, **kwargs) -> list:
        """The system check: one `ecomap.E100` error per content file that does not load."""
        from django.core import checks

        return [checks.Error(message, hint=self._sources[key].hint or _CONTENT_HINT,
                             id="ecomap.E100")
                for key, message in self.failures()]

    def register_check(self) -> None:
        from django.core import checks
        from django.test.signals import setting_changed

        def content_files(app_configs=None, **kwargs):
            return self.check(app_configs, **kwargs)

        checks.register(content_files)
        setting_changed.connect(lambda *, setting, **kw: self.setting_changed(setting),
                                weak=False, dispatch_uid="ecomap_content_registry")


_CONTENT_HINT = "Fix the content file named; the message gives the field."
registry = ContentRegistry()
