"""course.files: safe and reproducible writes."""

import io
import zipfile

import pytest

from course import files


def test_write_if_changed_keeps_the_mtime_of_unchanged_files(tmp_path):
    path = tmp_path / "a" / "b.txt"
    assert files.write_if_changed(path, b"un") is True
    before = path.stat().st_mtime_ns
    assert files.write_if_changed(path, b"un") is False
    assert path.stat().st_mtime_ns == before
    assert files.write_if_changed(path, b"deux") is True and path.read_bytes() == b"deux"
    assert [p.name for p in path.parent.iterdir()] == ["b.txt"]  # no temporary file left


def test_deterministic_zip_depends_only_on_names_and_contents():
    first = files.deterministic_zip({"b.txt": b"2", "a.txt": b"1"})
    assert first == files.deterministic_zip({"a.txt": b"1", "b.txt": b"2"})
    archive = zipfile.ZipFile(io.BytesIO(first))
    assert archive.namelist() == ["a.txt", "b.txt"]
    assert {i.date_time for i in archive.infolist()} == {files.ZIP_DATE}


def test_deterministic_zip_is_taken_from_the_cache_only_for_the_same_contents(
    tmp_path, monkeypatch
):
    cache = tmp_path / "zips"
    first = files.deterministic_zip({"a.txt": b"1"}, cache)
    assert first == files.deterministic_zip({"a.txt": b"1"})  # same bytes as without cache
    kept, digest = sorted(cache.iterdir())  # the zip and the SHA-256 of its bytes
    assert digest.name == kept.name + ".sha256"
    with monkeypatch.context() as patch:  # a hit reads the cache, it does not compress again
        patch.setattr(files, "_zip", lambda f: pytest.fail("compressed again"))
        assert files.deterministic_zip({"a.txt": b"1"}, cache) == first
    other = files.deterministic_zip({"a.txt": b"2"}, cache)
    assert zipfile.ZipFile(io.BytesIO(other)).read("a.txt") == b"2"
    renamed = files.deterministic_zip({"b.txt": b"1"}, cache)
    assert zipfile.ZipFile(io.BytesIO(renamed)).namelist() == ["b.txt"]


def test_a_cache_file_altered_since_it_was_written_is_reported_and_made_again(tmp_path):
    cache = tmp_path / "zips"
    good = files.deterministic_zip({"a.txt": b"1"}, cache)
    (kept,) = cache.glob("*.zip")
    kept.write_bytes(good[:-4] + b"xxxx")  # same size, last bytes changed
    reported = []
    again = files.deterministic_zip({"a.txt": b"1"}, cache, corrupt=reported.append)
    assert again == good and kept.read_bytes() == good
    assert reported == [kept]
    assert files.deterministic_zip({"a.txt": b"1"}, cache, corrupt=reported.append) == good
    assert reported == [kept]  # sound again: reported once


def test_a_cache_file_without_its_digest_is_made_again_silently(tmp_path):
    """A cache written before the digests existed: no false alarm, the entry is remade."""
    cache = tmp_path / "zips"
    good = files.deterministic_zip({"a.txt": b"1"}, cache)
    (digest,) = cache.glob("*.sha256")
    digest.unlink()
    (kept,) = cache.glob("*.zip")
    kept.write_bytes(b"old bytes")
    reported = []
    assert files.deterministic_zip({"a.txt": b"1"}, cache, corrupt=reported.append) == good
    assert reported == [] and digest.exists()
