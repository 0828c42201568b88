"""The streamed ZIP: a valid archive, chunk by chunk, exactly as long as announced."""
from __future__ import annotations

import io
import os
import tracemalloc
import zipfile
from datetime import UTC, datetime

import pytest

from modules.certificates.zipstream import ZipMember, stream_zip, zip_size

WHEN = datetime(2026, 11, 25, 14, 30, 12, tzinfo=UTC)


def fake_pdf(n: int, size: int = 2000) -> bytes:
    head = f"%PDF-1.7 fake certificate {n}\n".encode()
    return (head + os.urandom(max(size - len(head), 0)))[:size]


def members_with_data(names_and_sizes):
    return [
        (ZipMember(name, size, WHEN), fake_pdf(i, size))
        for i, (name, size) in enumerate(names_and_sizes)
    ]


@pytest.mark.parametrize("names_and_sizes", [
    [],
    [("NSCP-2026-000001 Jordan Sample CSE-L1.pdf", 31_000)],
    [("a.pdf", 100), ("b.pdf", 90_000), ("c.pdf", 1)],
    # Non-ASCII names are stored as UTF-8: their byte length counts, not their characters.
    [("NSCP-2026-000002 Zoë Ndiaye-Øster CSE-L1.pdf", 20_000), ("Łukasz Wróbel.pdf", 500)],
])
def test_the_archive_is_exactly_as_long_as_zip_size_says(names_and_sizes):
    files = members_with_data(names_and_sizes)
    archive = b"".join(stream_zip(files))
    assert len(archive) == zip_size(member for member, _ in files)


def test_the_archive_unpacks_to_the_same_files_names_and_times():
    files = members_with_data([("first.pdf", 3000), ("Zoë second.pdf", 4000)])
    archive = zipfile.ZipFile(io.BytesIO(b"".join(stream_zip(files))))
    assert archive.testzip() is None  # every CRC checks out
    assert archive.namelist() == ["first.pdf", "Zoë second.pdf"]
    for member, data in files:
        assert archive.read(member.name) == data
        info = archive.getinfo(member.name)
        assert info.compress_type == zipfile.ZIP_STORED
        assert info.date_time == (2026, 11, 25, 14, 30, 12)


def test_each_member_is_yielded_as_soon_as_it_is_written():
    consumed = []

    def files():
        for i in range(3):
            consumed.append(i)
            yield ZipMember(f"{i}.pdf", 1000, WHEN), fake_pdf(i, 1000)

    stream = stream_zip(files())
    first = next(stream)
    assert consumed == [0]  # the generator is read lazily, one member ahead at most
    assert first.startswith(b"PK\x03\x04") and len(first) > 1000
    rest = list(stream)
    assert consumed == [0, 1, 2]
    assert len(rest) == 3  # two members, then the central directory


def test_memory_stays_flat_however_many_members():
    def files(count):
        data = fake_pdf(0, 30_000)
        for i in range(count):
            yield ZipMember(f"{i:05d}.pdf", len(data), WHEN), data

    def peak_while_streaming(count):
        tracemalloc.start()
        total = 0
        for chunk in stream_zip(files(count)):
            total += len(chunk)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return peak, total

    small_peak, small_total = peak_while_streaming(20)
    large_peak, large_total = peak_while_streaming(400)
    assert large_total > 19 * small_total
    # Twenty times the data (12 MB), but the peak grows only by the index the archive must end
    # with (zipfile keeps about a kilobyte per member for it), never by the members' data.
    assert large_peak - small_peak < 380 * 2_000
    assert large_peak < large_total / 10


def test_a_member_with_the_wrong_size_is_refused():
    stream = stream_zip([(ZipMember("x.pdf", 10, WHEN), b"123")])
    with pytest.raises(ValueError, match="x.pdf: 3 bytes, but 10 were announced"):
        list(stream)


def test_zip64_sized_archives_get_no_predicted_size():
    huge = [ZipMember("big.pdf", 0xFFFFFFFF, WHEN)]
    assert zip_size(huge) is None
    many = (ZipMember(f"{i}.pdf", 1, WHEN) for i in range(70_000))
    assert zip_size(many) is None
