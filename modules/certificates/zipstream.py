"""A ZIP file written as a stream of chunks, in constant memory, with its exact size known first.

``zipfile`` can write to a stream that cannot seek: it then puts each member's CRC and sizes in a
"data descriptor" after the data instead of going back to patch the header. We give it a sink
that only collects what it writes, and hand each member's bytes on as soon as they are written,
so memory holds one member at a time however many there are.

Members are *stored*, not deflated: a PDF is already compressed inside, so deflating gains a few
per cent for a lot of CPU. Storing also makes the archive's size a simple sum, so
:func:`zip_size` can give the exact ``Content-Length`` before a byte is written: the browser then
shows a real progress bar (percentage and time left) for a large download, with no background job
and no script. ``tests/certificates/test_zipstream.py`` holds the formula to what ``zipfile``
actually writes.
"""
from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

# Sizes of the fixed parts of a ZIP (PKWARE APPNOTE 4.3): local file header, data descriptor
# (signature, CRC-32, two 4-byte sizes), central directory header, end of central directory.
LOCAL_HEADER = 30
DATA_DESCRIPTOR = 16
CENTRAL_HEADER = 46
END_OF_CENTRAL_DIRECTORY = 22
# Beyond these the archive needs ZIP64 records, whose size we do not predict.
_ZIP64_BYTES = 0xFFFFFFFF - 1
_ZIP64_MEMBERS = 0xFFFF - 1


@dataclass(frozen=True)
class ZipMember:
    """One file in the archive: its name inside the ZIP, size in bytes and modification time."""

    name: str
    size: int
    modified: datetime

    @property
    def encoded_name_length(self) -> int:
        # zipfile stores names as ASCII, or UTF-8 with the language-encoding flag: same length.
        return len(self.name.encode("utf-8"))


def zip_size(members: Iterable[ZipMember]) -> int | None:
    """The exact size of the archive :func:`stream_zip` writes for ``members``.

    :return: None when the archive would need ZIP64 (4 GiB or 65,535 members), whose extra
        records are not worth predicting: the download then goes without a Content-Length.
    """
    total = END_OF_CENTRAL_DIRECTORY
    count = 0
    for member in members:
        count += 1
        name = member.encoded_name_length
        total += LOCAL_HEADER + name + member.size + DATA_DESCRIPTOR + CENTRAL_HEADER + name
    if count > _ZIP64_MEMBERS or total > _ZIP64_BYTES:
        return None
    return total


class _ChunkSink:
    """A write-only file object: keeps what zipfile writes until :meth:`take` hands it on.

    It has no ``tell`` or ``seek``, which is how zipfile knows to stream (data descriptors).
    """

    def __init__(self) -> None:
        self._parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        chunk = b"".join(self._parts)
        self._parts.clear()
        return chunk


def _date_time(moment: datetime) -> tuple[int, int, int, int, int, int]:
    # ZIP timestamps are local, two-second, and start in 1980.
    moment = max(moment, datetime(1980, 1, 1, tzinfo=moment.tzinfo))
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)


def stream_zip(files: Iterable[tuple[ZipMember, bytes]]) -> Iterator[bytes]:
    """Yield a ZIP archive of ``files`` chunk by chunk (one chunk per member, then the index).

    ``files`` is consumed lazily, so it can be a generator reading from the database.

    :raise ValueError: if a member's data is not the size its :class:`ZipMember` announced (the
        announced sizes are what the Content-Length was computed from).
    """
    sink = _ChunkSink()
    with zipfile.ZipFile(sink, mode="w", compression=zipfile.ZIP_STORED) as archive:
        for member, data in files:
            if len(data) != member.size:
                raise ValueError(
                    f"{member.name}: {len(data)} bytes, but {member.size} were announced"
                )
            info = zipfile.ZipInfo(member.name, date_time=_date_time(member.modified))
            info.compress_type = zipfile.ZIP_STORED
            info.external_attr = 0o644 << 16  # -rw-r--r-- when unpacked
            archive.writestr(info, data)
            yield sink.take()
    yield sink.take()  # the central directory, written when the archive closes
