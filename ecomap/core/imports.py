"""The one import report: what an importer read, kept, changed and refused, record by record.

Every importer (Network Canvas, GraphML, HSDS, meeting feeds) fills an `ImportReport`:

    report = ImportReport()
    row = report.record("meetings.json record 3", key="abc", name="Tuesday Step Study")
    row.warn(_("The time zone was taken from the coordinates."), code="timezone")
    row.reject(_("The day is missing."))
    report.warning("meetings.json", _("The feed names no time zone."))  # about the file itself

A record is *imported* when it went in as it was, *normalised* when it went in with a warning (a
value changed, a default taken: the user must be able to see what), and *rejected* with its reason.
An input refused as a whole raises `ImportRefused`, which carries the line that says why and
changes nothing. Messages are the translatable text the user reads; `code` is for filters and tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .refusal import Refusal

ERROR, WARNING, INFO = "error", "warning", "info"
IMPORTED, NORMALISED, REJECTED = "imported", "normalised", "rejected"


@dataclass(frozen=True)
class ReportLine:
    level: str  # ERROR (something was refused), WARNING (kept, but changed or to check), INFO
    location: str  # the file and row, line or record
    message: str
    code: str = ""

    def __str__(self) -> str:
        return f"{self.level}: {self.location}: {self.message}"


@dataclass
class RecordReport:
    """One record of the input: where it was, and what became of it."""

    location: str
    key: str = ""
    name: str = ""
    reason: str = ""  # why it was rejected
    warnings: list[ReportLine] = field(default_factory=list)
    rejected: bool = False
    count: int = 1  # rows made from this record (a meeting held on three days makes three)

    @property
    def outcome(self) -> str:
        if self.rejected:
            return REJECTED
        return NORMALISED if self.warnings else IMPORTED

    def warn(self, message: str, code: str = "") -> None:
        self.warnings.append(ReportLine(WARNING, self.location, str(message), code))

    def reject(self, reason: str) -> None:
        self.rejected, self.reason = True, str(reason)

    def as_data(self) -> dict:
        return {"location": self.location, "key": self.key, "name": self.name,
                "outcome": self.outcome, "reason": self.reason, "count": self.count,
                "warnings": [{"code": w.code, "message": w.message} for w in self.warnings]}


class ImportReport:
    def __init__(self):
        self.records: list[RecordReport] = []
        self._lines: list[ReportLine] = []  # about the input as a whole, or parts of no record

    # --- filling it --------------------------------------------------------------------------
    def record(self, location: str, *, key: str = "", name: str = "") -> RecordReport:
        entry = RecordReport(location, key=key, name=name)
        self.records.append(entry)
        return entry

    def error(self, location: str, message: str, code: str = "") -> None:
        self._lines.append(ReportLine(ERROR, location, str(message), code))

    def warning(self, location: str, message: str, code: str = "") -> None:
        self._lines.append(ReportLine(WARNING, location, str(message), code))

    def info(self, location: str, message: str, code: str = "") -> None:
        self._lines.append(ReportLine(INFO, location, str(message), code))

    # --- reading it --------------------------------------------------------------------------
    @property
    def lines(self) -> list[ReportLine]:
        """Every line: the input's own, then each record's rejection and warnings, in order."""
        found = list(self._lines)
        for entry in self.records:
            if entry.rejected:
                found.append(ReportLine(ERROR, entry.location, entry.reason, "rejected"))
            found.extend(entry.warnings)
        return found

    def lines_at(self, level: str) -> list[ReportLine]:
        return [line for line in self.lines if line.level == level]

    @property
    def read(self) -> int:
        return len(self.records)

    def _count(self, outcome: str) -> int:
        return sum(1 for entry in self.records if entry.outcome == outcome)

    @property
    def imported(self) -> int:
        """Records that went in, as they were or normalised."""
        return self.read - self.rejected

    @property
    def normalised(self) -> int:
        return self._count(NORMALISED)

    @property
    def rejected(self) -> int:
        return self._count(REJECTED)

    def summary(self) -> str:
        return _("%(read)s read, %(imported)s imported (%(normalised)s with a warning), "
                 "%(rejected)s rejected.") % {
            "read": self.read, "imported": self.imported, "normalised": self.normalised,
            "rejected": self.rejected}

    def as_data(self) -> dict:
        return {"read": self.read, "imported": self.imported, "normalised": self.normalised,
                "rejected": self.rejected,
                "lines": [{"level": line.level, "location": line.location, "code": line.code,
                           "message": line.message} for line in self._lines],
                "records": [entry.as_data() for entry in self.records]}


class ImportRefused(Refusal):
    """The whole input is refused, and nothing was imported; `line` says where and why."""

    def __init__(self, location: str, message: str, code: str = "refused"):
        self.line = ReportLine(ERROR, location, str(message), code)
        super().__init__(str(message))

