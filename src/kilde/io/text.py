"""Read one article from a file or stdin, as plain text or HTML, and reject what kilde cannot analyse.

Every problem becomes a ``KildeError`` with a one-line message, so the command line
can print it without a traceback.
"""

from __future__ import annotations

import codecs
import stat
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from kilde.errors import KildeError
from kilde.io.html import declared_charset, extract_article, looks_like_html

MAX_INPUT_BYTES = 20 * 1024 * 1024
"""Largest input read (20 MB). Checked from the file size before reading, so huge files fail at once."""

CONTROL_SHARE = 0.10
"""Share of control characters above which input is treated as binary."""

NON_TEXT_SHARE = 0.30
"""Share of control or undecodable characters above which input is treated as binary.

Higher than ``CONTROL_SHARE`` so that short Latin-1 text gets the clearer "not valid UTF-8" message.
"""

_SAMPLE_BYTES = 8192
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v\x1b")
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF file"),
    (b"PK\x03\x04", "a ZIP archive (or a .docx/.odt document)"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\xd0\xcf\x11\xe0", "a Microsoft Office document"),
    (b"\x7fELF", "a program"),
)


@dataclass
class InputDocument:
    """One article ready for ``kilde.analyze``: its text, an id, and where it came from."""

    text: str
    id: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)


def normalize_newlines(text: str) -> str:
    """Turn Windows and old Mac line endings into ``\\n``; kilde's paragraph rules look for ``\\n\\n``."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _size_error(name: str, size: int | None = None) -> KildeError:
    limit = MAX_INPUT_BYTES / 1024 / 1024
    if size is None:
        return KildeError(f"{name} is larger than {limit:.0f} MB; kilde reads at most {limit:.0f} MB")
    return KildeError(f"{name} is {size / 1024 / 1024:.1f} MB; kilde reads at most {limit:.0f} MB")


def _read_path(path: Path) -> bytes:
    """The bytes of a file, refusing missing files, folders and files over the size limit before reading."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise KildeError(f"no such file: {path}") from None
    except OSError as error:
        raise KildeError(f"cannot read {path}: {error.strerror or error}") from None
    if stat.S_ISDIR(info.st_mode):
        raise KildeError(f"{path} is a directory, not a file")
    if stat.S_ISREG(info.st_mode) and info.st_size > MAX_INPUT_BYTES:
        raise _size_error(str(path), info.st_size)
    try:
        with path.open("rb") as stream:
            # Bounded even for regular files: pipes (/dev/fd/N) and growing files report no useful size.
            data = stream.read(MAX_INPUT_BYTES + 1)
    except OSError as error:
        raise KildeError(f"cannot read {path}: {error.strerror or error}") from None
    if len(data) > MAX_INPUT_BYTES:
        raise _size_error(str(path))
    return data


def _read_stream(stream: BinaryIO | None) -> bytes:
    if stream is None:
        stdin = sys.stdin
        if stdin is None:
            raise KildeError("there is no standard input to read")
        stream = getattr(stdin, "buffer", None)
        if stream is None:  # a text-only replacement of sys.stdin
            text = stdin.read(MAX_INPUT_BYTES + 1)
            data = text.encode("utf-8", errors="surrogateescape")
            if len(data) > MAX_INPUT_BYTES:
                raise _size_error("standard input")
            return data
    data = stream.read(MAX_INPUT_BYTES + 1)
    if len(data) > MAX_INPUT_BYTES:
        raise _size_error("standard input")
    return data


def _non_text_shares(text: str) -> tuple[float, float]:
    """Shares of control characters and of control characters plus decoding replacements."""
    if not text:
        return 0.0, 0.0
    controls = sum(1 for char in text if unicodedata.category(char) == "Cc" and char not in _ALLOWED_CONTROLS)
    replaced = text.count("\ufffd")
    return controls / len(text), (controls + replaced) / len(text)


def _mostly_non_text(text: str) -> bool:
    controls, non_text = _non_text_shares(text)
    return controls > CONTROL_SHARE or non_text > NON_TEXT_SHARE


def _binary_kind(data: bytes) -> str | None:
    """A description of binary input (by its signature or NUL bytes), else None."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "UTF-16 text; save it as UTF-8"
    if b"\x00" in data:
        return "it contains NUL bytes"
    if _mostly_non_text(data[:_SAMPLE_BYTES].decode("utf-8", errors="replace")):
        return "mostly non-text bytes"
    return None


def decode_text(data: bytes, name: str = "the input") -> str:
    """Decode input bytes as UTF-8 (a BOM is allowed) with ``\\n`` line endings.

    HTML that declares another charset in a ``<meta>`` tag is decoded with it when it is not valid UTF-8.
    """
    if not data:
        raise KildeError(f"{name} is empty")
    kind = _binary_kind(data)
    if kind:
        raise KildeError(f"{name} looks like binary data ({kind}), not text or HTML")
    bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        text = data[bom:].decode("utf-8")
    except UnicodeDecodeError as error:
        text = _decode_declared(data, error, name)
    if _mostly_non_text(text[:_SAMPLE_BYTES]):
        raise KildeError(f"{name} looks like binary data (mostly control characters), not text or HTML")
    text = normalize_newlines(text)
    if not text.strip():
        raise KildeError(f"{name} contains only whitespace")
    return text


def _decode_declared(data: bytes, error: UnicodeDecodeError, name: str) -> str:
    """Fall back on the charset an HTML page declares; otherwise say where the UTF-8 breaks."""
    bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    offset = error.start + bom
    charset = declared_charset(data)
    if charset and looks_like_html(data[:_SAMPLE_BYTES].decode("latin-1")):
        try:
            if codecs.lookup(charset).name != "utf-8":
                return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    raise KildeError(
        f"{name} is not valid UTF-8 (byte 0x{data[offset]:02x} at offset {offset}); "
        "convert it to UTF-8, e.g. with iconv -f latin1 -t utf-8"
    )


def document_from_bytes(data: bytes, doc_id: str | None = None, name: str = "the input") -> InputDocument:
    """Decode raw input and, when it is an HTML page, replace it with the extracted article text."""
    text = decode_text(data, name)
    metadata: dict[str, Any] = {"format": "text", "bytes": len(data)}
    if looks_like_html(text):
        try:
            article = extract_article(text)
        except Exception as error:  # third-party parsing of untrusted input: report, don't crash
            raise KildeError(f"could not read the HTML of {name}: {type(error).__name__}: {error}") from None
        if article is None:
            raise KildeError(f"found no article text in the HTML of {name}")
        text = normalize_newlines(article.text)
        metadata.update(article.metadata, format="html")
    return InputDocument(text=text, id=doc_id, metadata=metadata)


def read_document(source: Path | str | bytes, stdin: BinaryIO | None = None) -> InputDocument:
    """Read one article from a path, from ``"-"`` (standard input, or ``stdin`` when given) or raw bytes.

    A file's id is its name without the extension; stdin and bytes have no id.
    """
    if isinstance(source, bytes):
        document = document_from_bytes(source)
        document.metadata["source"] = "bytes"
        return document
    if isinstance(source, str) and source == "-":
        document = document_from_bytes(_read_stream(stdin), name="standard input")
        document.metadata["source"] = "-"
        return document
    path = Path(source)
    document = document_from_bytes(_read_path(path), doc_id=path.stem or path.name, name=str(path))
    document.metadata["source"] = str(path)
    return document
