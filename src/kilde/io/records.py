"""The records of a corpus run: an article still to be read and analysed, or why one cannot be."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

RecordId = str | int


@dataclass(frozen=True)
class CorpusRecord:
    """One article of a corpus, as cheap to read and ship to a worker as possible.

    Exactly one of ``text`` (ready text, from JSON Lines) and ``data`` (the raw bytes of a
    file or an HTTP body, decoded and, for HTML, extracted by ``prepare_document`` in the
    worker) is set. ``source`` says where the record came from, for error messages.
    """

    id: RecordId
    text: str | None = None
    data: bytes | None = None
    language: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    source: str = ""


@dataclass(frozen=True)
class CorpusError:
    """An input record that cannot be analysed, with the id to report it under and why."""

    id: RecordId
    reason: str
    source: str = ""


def record_key(record_id: RecordId) -> str:
    """A string that tells ids apart by type too (``2`` and ``"2"``): how runs remember what is done."""
    return json.dumps(record_id, ensure_ascii=False)
