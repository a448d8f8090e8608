"""The records of a corpus run: an article still to be read and analysed, or why one cannot be."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

RecordId = str | int

_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class CorpusRecord:
    """One article of a corpus, as cheap to read and ship to a worker as possible.

    Exactly one of ``text`` (ready text, from JSON Lines) and ``data`` (the raw bytes of a
    file or an HTTP body, decoded and, for HTML, extracted by ``prepare_document`` in the
    worker) is set. ``source`` says where the record came from, for error messages; ``key``
    is the record's place in the run (``input_key``), set by the runner.
    """

    id: RecordId
    text: str | None = None
    data: bytes | None = None
    language: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    source: str = ""
    key: str = ""


@dataclass(frozen=True)
class CorpusError:
    """An input record that cannot be analysed, with the id to report it under and why."""

    id: RecordId
    reason: str
    source: str = ""
    key: str = ""


def record_key(record_id: RecordId) -> str:
    """A string that tells ids apart by type too (``2`` and ``"2"``), in ASCII (JSON escapes).

    ASCII, so that an id holding a lone surrogate (``"\\ud800"`` in JSON) still has a key that
    can be written to a file, and one that differs from the key of the six characters ``\\ud800``.
    """
    return json.dumps(record_id)


def input_key(record_id: RecordId, occurrence: int = 0) -> str:
    """The key of the ``occurrence``-th record (0: the first) with this id in a run's input order.

    Runs remember what is done by these keys: the first record with an id is analysed, every
    later one is a duplicate and becomes an error record, so each input record has its own key
    and ends as exactly one result or error, however often a run is killed and run again.
    """
    key = record_key(record_id)
    return key if occurrence == 0 else f"{key}#{occurrence}"


def has_surrogates(text: str) -> bool:
    """True when ``text`` holds a lone surrogate, which no UTF-8 file can hold."""
    return _SURROGATE.search(text) is not None


def writable(text: str) -> str:
    """``text`` with each lone surrogate written as its escape (``\\ud800``), so it can be saved as UTF-8."""
    if not has_surrogates(text):
        return text
    return _SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def writable_id(record_id: RecordId) -> RecordId:
    """An id that can go into an output file: integers as they are, strings through ``writable``."""
    return writable(record_id) if isinstance(record_id, str) else record_id
