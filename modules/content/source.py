"""Reading a content file: UTF-8 only, line endings normalised, problems located by line."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from modules.content.problems import Problems

MAX_FILE_BYTES = 1_000_000


@dataclass(frozen=True)
class SourceFile:
    path: Path
    text: str  # "\n" line endings, no byte-order mark


def read_source(path: Path, problems: Problems) -> SourceFile | None:
    """Read a Markdown file as UTF-8 text, or report why it cannot be read."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.error(1, 1, f"cannot read this file ({exc.strerror or exc})")
        return None
    if len(data) > MAX_FILE_BYTES:
        problems.error(1, 1, f"file is too large ({len(data):,} bytes; at most {MAX_FILE_BYTES:,})")
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _position_of_byte(data, exc.start)
        problems.error(
            line, col,
            f"file is not UTF-8 text (byte 0x{data[exc.start]:02X} here): save it as UTF-8",
        )
        return None
    if "\x00" in text:
        line, col = _position_of_byte(data, data.index(b"\x00"))
        problems.error(line, col, "file is not UTF-8 text (it contains a zero byte): save it as UTF-8")
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return SourceFile(path=path, text=text)


def _position_of_byte(data: bytes, offset: int) -> tuple[int, int]:
    before = data[:offset]
    line = before.count(b"\n") + 1
    line_start = before.rfind(b"\n") + 1
    col = len(before[line_start:].decode("utf-8", errors="replace")) + 1
    return line, col
