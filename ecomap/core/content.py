"""Reading content files (module definitions, questionnaire definitions) field by field.

A `FieldReader` wraps one mapping from a YAML file and names the file and the field path in every
error (`mspss.yaml.scores[1].bands[2].min: expected a number`), so a clinician who edits a file
learns exactly what to fix. An app subclasses it to set its own error class and schema document.
"""

from __future__ import annotations

import re
from typing import Any

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
