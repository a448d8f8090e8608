"""A corpus as one stream of records: JSON Lines files, folders of articles and web archives.

Every record gets a stable id, so that a rerun can tell what is already done:

- JSON Lines: the record's own ``id`` (``line-<n>`` without one), as in ``kilde batch``;
- a folder: the file's path relative to the folder given (``2024/03/sak.html``);
- a single ``.txt`` or ``.html`` file: its name;
- a WARC record: its ``WARC-Record-ID`` (``urn:uuid:…``), with the URL as metadata.

Reading here is cheap (bytes off the disk, JSON parsing); decoding, HTML extraction and
analysis happen in ``prepare_document`` on the worker that analyses the record.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from kilde import KildeError
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
    "iter_corpus",
    "prepare_document",
    "record_key",
]


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
    """The inputs as paths, after making sure each exists and is a kind kilde reads (else ``KildeError``)."""
    paths = [Path(item) for item in inputs]
    if not paths:
        raise KildeError("no input given")
    for path in paths:
        if not path.exists():
            raise KildeError(f"no such file or folder: {path}")
        if path.is_file() and _kind(path) is None:
            raise KildeError(
                f"cannot tell how to read {path}: use .jsonl, .txt, .html, .warc or .warc.gz, or a folder"
            )
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
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            limit = MAX_INPUT_BYTES // 1024 // 1024
            reason = f"{path} is {size / 1024 / 1024:.1f} MB; kilde reads at most {limit} MB"
            return CorpusError(record_id, reason, str(path))
        data = path.read_bytes()
    except OSError as error:
        return CorpusError(record_id, f"cannot read {path}: {error.strerror or error}", str(path))
    return CorpusRecord(id=record_id, data=data, source=str(path))


def _jsonl(path: Path) -> Iterator[CorpusRecord | CorpusError]:
    for item in iter_jsonl_records(path):
        source = f"{path}:{item.line}"
        if isinstance(item, JsonlError):
            yield CorpusError(item.id, item.reason, source)
        else:
            yield CorpusRecord(
                id=item.id, text=item.text, language=item.language, metadata=item.metadata, source=source
            )


def _file(path: Path, record_id: str) -> Iterator[CorpusRecord | CorpusError]:
    kind = _kind(path)
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
                yield from _file(file, file.relative_to(path).as_posix())
        else:
            yield from _file(path, path.name)


def count_corpus(inputs: Iterable[Path | str]) -> int | None:
    """How many records the inputs hold, or None when that would mean reading a web archive twice."""
    total = 0
    for path in check_inputs(inputs):
        files = list(_walk(path)) if path.is_dir() else [path]
        for file in files:
            kind = _kind(file)
            if kind == "warc":
                return None
            total += count_jsonl_records(file) if kind == "jsonl" else 1
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


def normalize_date(value: str | None) -> str | None:
    """``YYYY-MM-DD`` from an ISO date or timestamp (``2024-03-05T10:00:00Z``), else None."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10]).isoformat()
    except ValueError:
        return None


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
