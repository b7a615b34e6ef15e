import pytest

from ecomap.core.archives import ArchiveError, csv_bytes, unzip, zip_bytes


def test_unzip_reads_what_zip_bytes_wrote_and_skips_what_it_is_told():
    files = {"a.csv": csv_bytes([["x", "y"], ["1", "é"]]), ".hidden": b"", "dir/b.txt": b"b"}
    data = zip_bytes(files)
    assert data == zip_bytes(dict(reversed(files.items())))  # same input, same bytes
    assert unzip(data, max_files=5, max_bytes=100, skip=lambda n: n.startswith(".")) == {
        "a.csv": "x,y\r\n1,é\r\n".encode(), "dir/b.txt": b"b"}


def test_unzip_refuses_non_zips_too_many_files_and_too_many_bytes():
    with pytest.raises(ArchiveError, match="not a zip archive"):
        unzip(b"PK\x03\x04 junk", max_files=5, max_bytes=100)
    with pytest.raises(ArchiveError, match="holds 3 files; at most 2"):
        unzip(zip_bytes({"a": b"", "b": b"", "c": b""}), max_files=2, max_bytes=100)
    with pytest.raises(ArchiveError, match="101 bytes is more than the 100-byte limit"):
        unzip(zip_bytes({"a": b"x" * 60, "b": b"y" * 41}), max_files=5, max_bytes=100)
