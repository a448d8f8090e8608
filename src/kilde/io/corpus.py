"""A corpus as one stream of records: JSON Lines files, folders of articles and web archives.

Every record gets a stable id, so that a rerun can tell what is already done:

- JSON Lines: the record's own ``id`` (``line-<n>`` without one), as in ``kilde batch``;
- a folder: the file's path relative to the folder given (``2024/03/sak.html``; bytes of a
  name that are not UTF-8 written as ``\\xff``);
- a single ``.txt`` or ``.html`` file: its name;
- a WARC record: its ``WARC-Record-ID`` (``urn:uuid:…``), with the URL as metadata.

Only regular files are read (symbolic links are followed to one): a named pipe, a device or a
socket in a folder, such as a link to ``/dev/zero``, becomes an error record, as does a
``.txt``/``.html`` file over ``MAX_INPUT_BYTES``; the files are never read past that limit.

Reading here is cheap (bytes off the disk, JSON parsing); decoding, HTML extraction and
analysis happen in ``prepare_document`` on the worker that analyses the record.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from kilde.errors import KildeError
from kilde.io.jsonl import JsonlError, count_jsonl_records, iter_jsonl_records
from kilde.io.records import CorpusError, CorpusRecord, RecordId, record_key
from kilde.io.text import MAX_INPUT_BYTES, InputDocument, document_from_bytes
from kilde.io.warc import is_warc, iter_warc_records

JSONL_SUFFIXES = (".jsonl", ".ndjson")
DOCUMENT_SUFFIXES = (".txt", ".html", ".htm", ".xhtml")

__all__ = [
    "CorpusError",
    "CorpusRecord",
    "RecordId",
    "corpus_metadata",
    "count_corpus",
    "date_precision",
    "iter_corpus",
    "normalize_date",
    "prepare_document",
    "record_key",
]

_FILE_TYPES = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class _Unreadable(Exception):
    """A file that kilde will not read, with the reason (one line)."""


def path_text(path: Path | str) -> str:
    """A path as text that any file can hold: bytes of the name that are not UTF-8 as ``\\xff``."""
    return os.fsencode(path).decode("utf-8", errors="backslashreplace")


def _file_type(mode: int) -> str:
    return next((name for test, name in _FILE_TYPES if test(mode)), "not a regular file")


def _not_regular(path: Path, mode: int) -> str:
    return f"{path_text(path)} is {_file_type(mode)}, not a regular file; kilde reads only regular files"


def _regular(path: Path) -> os.stat_result:
    """The ``stat`` of a regular file (after following links), else ``_Unreadable`` saying what it is."""
    try:
        info = path.stat()
    except OSError as error:
        raise _Unreadable(f"cannot read {path_text(path)}: {error.strerror or error}") from None
    if not stat.S_ISREG(info.st_mode):
        raise _Unreadable(_not_regular(path, info.st_mode))
    return info


def _size_reason(path: Path, size: int | None) -> str:
    limit = MAX_INPUT_BYTES // 1024 // 1024
    if size is None:
        return f"{path_text(path)} is larger than {limit} MB; kilde reads at most {limit} MB"
    return f"{path_text(path)} is {size / 1024 / 1024:.1f} MB; kilde reads at most {limit} MB"


def read_regular_file(path: Path, limit: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, never reading more than that.

    Checked before opening (a pipe is never opened, so never waited on) and again on the open
    file (non-blocking), in case the file was swapped in between; ``_Unreadable`` otherwise.
    """
    info = _regular(path)
    if info.st_size > limit:
        raise _Unreadable(_size_reason(path, info.st_size))
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise _Unreadable(f"cannot read {path_text(path)}: {error.strerror or error}") from None
    with os.fdopen(descriptor, "rb") as stream:
        mode = os.fstat(stream.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise _Unreadable(_not_regular(path, mode))
        try:
            data = stream.read(limit + 1)
        except OSError as error:
            raise _Unreadable(f"cannot read {path_text(path)}: {error.strerror or error}") from None
    if len(data) > limit:  # the file grew after the check
        raise _Unreadable(_size_reason(path, None))
    return data


def _kind(path: Path) -> str | None:
    name = path.name.lower()
    if name.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if is_warc(path):
        return "warc"
    if name.endswith(DOCUMENT_SUFFIXES):
        return "document"
    return None


def check_inputs(inputs: Iterable[Path | str]) -> list[Path]:
    """The inputs as paths, after making sure each exists and is a kind kilde reads (else ``KildeError``).

    A JSON Lines file or web archive may also be a named pipe, read as a stream; devices are refused.
    """
    paths = [Path(item) for item in inputs]
    if not paths:
        raise KildeError("no input given")
    for path in paths:
        try:
            mode = path.stat().st_mode
        except OSError:
            raise KildeError(f"no such file or folder: {path_text(path)}") from None
        if stat.S_ISDIR(mode):
            continue
        if _kind(path) is None:
            raise KildeError(
                f"cannot tell how to read {path_text(path)}: use .jsonl, .txt, .html, .warc or .warc.gz,"
                " or a folder"
            )
        if not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode)):
            raise KildeError(f"{path_text(path)} is {_file_type(mode)}, not a file kilde can read")
    return paths


def _walk(folder: Path) -> Iterator[Path]:
    """Readable files under ``folder`` in a stable order (sorted relative paths); hidden entries skipped."""
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(name for name in dirs if not name.startswith("."))
        for name in sorted(names):
            path = Path(root, name)
            if not name.startswith(".") and _kind(path) is not None:
                yield path


def _document(path: Path, record_id: str) -> CorpusRecord | CorpusError:
    """A ``.txt``/``.html`` file as a record holding its raw bytes (decoded later, by the worker)."""
    try:
        data = read_regular_file(path)
    except _Unreadable as error:
        return CorpusError(record_id, str(error), path_text(path))
    return CorpusRecord(id=record_id, data=data, source=path_text(path))


def _jsonl(path: Path) -> Iterator[CorpusRecord | CorpusError]:
    try:
        items = iter_jsonl_records(path)
    except KildeError as error:  # unreadable (a folder's file that went away, no permission)
        yield CorpusError(path_text(path), str(error), path_text(path))
        return
    for item in items:
        source = f"{path_text(path)}:{item.line}"
        if isinstance(item, JsonlError):
            yield CorpusError(item.id, item.reason, source)
        else:
            yield CorpusRecord(
                id=item.id, text=item.text, language=item.language, metadata=item.metadata, source=source
            )


def _file(path: Path, record_id: str, walked: bool) -> Iterator[CorpusRecord | CorpusError]:
    """The records of one file; a file found in a folder must be a regular file (``walked``)."""
    kind = _kind(path)
    if walked and kind != "document":  # a document is checked as it is read
        try:
            _regular(path)
        except _Unreadable as error:
            yield CorpusError(record_id, str(error), path_text(path))
            return
    if kind == "jsonl":
        yield from _jsonl(path)
    elif kind == "warc":
        yield from iter_warc_records(path)
    elif kind == "document":
        yield _document(path, record_id)


def iter_corpus(inputs: Iterable[Path | str]) -> Iterator[CorpusRecord | CorpusError]:
    """Every record of every input, in a stable order: inputs as given; in a folder, its files
    (sorted by name) before its subfolders (sorted, depth first).

    Missing inputs and unknown file kinds raise ``KildeError`` before the first record;
    a bad record never raises, it becomes a ``CorpusError``.
    """
    paths = check_inputs(inputs)
    return _records(paths)


def _records(paths: list[Path]) -> Iterator[CorpusRecord | CorpusError]:
    for path in paths:
        if path.is_dir():
            for file in _walk(path):
                yield from _file(file, path_text(file.relative_to(path).as_posix()), walked=True)
        else:
            yield from _file(path, path_text(path.name), walked=False)


def count_corpus(inputs: Iterable[Path | str]) -> int | None:
    """How many records the inputs hold, or None when that would mean reading a web archive twice."""
    total = 0
    for path in check_inputs(inputs):
        walked = path.is_dir()
        for file in _walk(path) if walked else [path]:
            kind = _kind(file)
            try:
                regular = stat.S_ISREG(file.stat().st_mode)
            except OSError:
                regular = False
            if not regular and not walked:
                return None  # a stream: counting would consume it
            if kind == "warc" and regular:
                return None
            if kind == "jsonl" and regular:
                try:
                    total += count_jsonl_records(file)
                except KildeError:
                    total += 1
            else:
                total += 1  # a document, or a file that will be one error record
    return total


# --- in the worker: from a record to the text to analyse ------------------------------------------


def _host(url: str | None) -> str | None:
    """The outlet of a URL: its host name without ``www.`` (``https://www.nrk.no/x`` gives ``nrk.no``)."""
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None


_YEAR = re.compile(r"[0-9]{4}")
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")

DATE_PRECISIONS = {4: "year", 7: "month", 10: "day"}
"""The precision of a normalised date, by its length."""


def normalize_date(value: object) -> str | None:
    """An ISO date at the precision given, else None: nothing is dropped and nothing is made up.

    ``YYYY-MM-DD`` from a date or timestamp (``2024-03-05``, ``2024-03-05T10:00:00Z``),
    ``YYYY-MM`` from a month (``2019-11``), ``YYYY`` from a year (``2019``).
    """
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    try:
        return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        pass
    month = _MONTH.fullmatch(value)
    if month and int(month.group(1)) > 0 and 1 <= int(month.group(2)) <= 12:
        return value
    if _YEAR.fullmatch(value) and int(value) > 0:
        return value
    return None


def date_precision(value: str | None) -> str | None:
    """``year``, ``month`` or ``day`` for a date from ``normalize_date``, else None."""
    return DATE_PRECISIONS.get(len(value)) if value else None


def corpus_metadata(record: dict[str, Any], extracted: dict[str, Any]) -> dict[str, str]:
    """URL, outlet and publication date of an article, from the input record and the page itself.

    The input's own fields win (a JSON Lines ``outlet``, the URL a WARC captured). The outlet is
    the host name, which stays the same across a site's pages, else the page's site name; the date
    is the page's publication date (trafilatura), else the capture date of the WARC record.
    """
    url = record.get("url") or extracted.get("url")
    outlet = record.get("outlet") or _host(url) or extracted.get("sitename")
    published = (
        normalize_date(record.get("published"))
        or normalize_date(record.get("date"))
        or normalize_date(extracted.get("date"))
        or normalize_date(record.get("warc_date"))
    )
    title = record.get("title") or extracted.get("title")
    found = {"url": url, "outlet": outlet, "published": published, "title": title}
    return {key: value for key, value in found.items() if value}


def _transcode(data: bytes, charset: str | None) -> bytes:
    """Bytes in UTF-8 when they are not, and the HTTP header named their charset.

    A page's ``<meta>`` charset is handled by ``decode_text``; this covers pages that only
    declare it in the HTTP response, which a WARC keeps.
    """
    if not charset:
        return data
    try:
        data.decode("utf-8")
        return data
    except UnicodeDecodeError:
        pass
    try:
        return data.decode(charset).encode("utf-8")
    except (LookupError, UnicodeDecodeError):
        return data


def prepare_document(record: CorpusRecord) -> InputDocument:
    """The text to analyse and its corpus metadata; ``KildeError`` when there is no article to read."""
    if record.text is not None:
        document = InputDocument(text=record.text, id=str(record.id))
    else:
        data = _transcode(record.data or b"", record.metadata.get("charset"))
        document = document_from_bytes(data, doc_id=str(record.id), name=record.source or str(record.id))
    document.metadata = corpus_metadata(record.metadata, document.metadata)
    return document
