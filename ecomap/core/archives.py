"""Zip and CSV files for imports and exports, written once for every app that reads or writes them.

`unzip` is the one way an upload is unpacked: it trusts nothing the archive declares about itself
(entry sizes can lie), reads each entry with a cap on what is left of the budget, and refuses
encrypted entries, so a zip bomb costs no more memory than the limit. `zip_bytes` and `csv_bytes`
write files that are the same bytes for the same input, so exports can be compared.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable


class ArchiveError(ValueError):
    """The archive is refused; str(error) is a sentence for the user, `entry` the file it is about."""

    def __init__(self, message: str, entry: str = ""):
        super().__init__(message)
        self.entry = entry


def _too_big(size: int, limit: int) -> ArchiveError:
    return ArchiveError(f"{size:,} bytes is more than the {limit:,}-byte limit for an import.")


def unzip(data: bytes, *, max_files: int, max_bytes: int,
          skip: Callable[[str], bool] = lambda name: False) -> dict[str, bytes]:
    """The files in a zip archive by their path inside it; folders and `skip`ped names left out."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ArchiveError("This is not a zip archive.") from None
    with archive:
        entries = [info for info in archive.infolist()
                   if not info.is_dir() and not skip(info.filename)]
        if len(entries) > max_files:
            raise ArchiveError(f"The archive holds {len(entries)} files; at most {max_files} "
                               "are read.")
        declared = sum(info.file_size for info in entries)
        if declared > max_bytes:
            raise _too_big(declared, max_bytes)
        files, total = {}, 0
        for info in entries:
            if info.flag_bits & 0x1:
                raise ArchiveError("Encrypted files in an archive are not accepted.", info.filename)
            try:
                with archive.open(info) as stream:
                    content = stream.read(max_bytes + 1 - total)
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError):
                raise ArchiveError("The file cannot be unpacked: the archive is damaged.",
                                   info.filename) from None
            total += len(content)
            if total > max_bytes:
                raise _too_big(total, max_bytes)
            files[info.filename] = content
    return files


def zip_bytes(files: dict[str, bytes]) -> bytes:
    """The files in one zip archive (same input, same bytes: fixed dates, sorted names)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name])
    return buffer.getvalue()


def csv_bytes(rows: list[list[str]]) -> bytes:
    """Rows as UTF-8 CSV with CRLF line ends (RFC 4180), as spreadsheets and R read it."""
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")
