"""Read batch input: JSON Lines with one article per line, ``{"id": ..., "text": ..., "language": ...}``.

A bad line never stops a batch: it becomes a ``JsonlError`` that the caller writes to the
output in the line's place. Blank (whitespace-only) lines are skipped and produce no
output line; line numbers still count them, so ``line-<n>`` ids match what an editor shows.
"""

from __future__ import annotations

import codecs
import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kilde import KildeError
from kilde.io.text import normalize_newlines

METADATA_FIELDS = ("url", "outlet", "published", "date", "title")
"""Optional string fields of a record that are kept as its ``metadata`` (corpus runs put them in tables)."""

LANGUAGES = ("nb", "nn", "auto")
"""Values accepted in a record's ``language`` field (``null`` means the batch default)."""

RecordId = str | int

_ID_IN_BROKEN_LINE = re.compile(r'"id"\s*:\s*(?:"((?:[^"\\]|\\.)*)"|(-?\d+)\b)')


@dataclass(frozen=True)
class JsonlRecord:
    """A valid input line. ``id`` is the record's own id, or ``line-<n>`` when it has none."""

    line: int
    id: RecordId
    text: str
    language: str | None = None
    # Not part of equality: two records with the same id, text and language are the same article.
    metadata: dict[str, str] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class JsonlError:
    """An input line that cannot be analysed, with the id to report it under and why."""

    line: int
    id: RecordId
    reason: str


def _recover_id(raw: str, line: int) -> RecordId:
    """The id of a line that is not valid JSON, when a plain ``"id": ...`` can still be read from it."""
    match = _ID_IN_BROKEN_LINE.search(raw)
    if match is None:
        return f"line-{line}"
    if match.group(2) is not None:
        return int(match.group(2))
    try:
        return str(json.loads(f'"{match.group(1)}"'))
    except json.JSONDecodeError:
        return f"line-{line}"


def parse_record(raw: str, line: int) -> JsonlRecord | JsonlError:
    """Check one line of batch input and turn it into a record or an error marker."""
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as error:
        return JsonlError(line, _recover_id(raw, line), f"invalid JSON: {error.msg} at column {error.colno}")
    except RecursionError:
        return JsonlError(line, _recover_id(raw, line), "invalid JSON: nested too deeply")
    if not isinstance(value, dict):
        return JsonlError(line, f"line-{line}", f"a line must be a JSON object, not {_json_type(value)}")
    record_id = value.get("id")
    if record_id is None:
        record_id = f"line-{line}"
    elif isinstance(record_id, bool) or not isinstance(record_id, str | int):
        reason = f'"id" must be a string or an integer, not {_json_type(record_id)}'
        return JsonlError(line, f"line-{line}", reason)
    if "text" not in value:
        return JsonlError(line, record_id, 'missing "text"')
    text = value["text"]
    if not isinstance(text, str):
        return JsonlError(line, record_id, f'"text" must be a string, not {_json_type(text)}')
    if not text.strip():
        return JsonlError(line, record_id, '"text" is empty')
    language = value.get("language")
    if language is not None and language not in LANGUAGES:
        shown = language if isinstance(language, str) else _json_type(language)
        return JsonlError(line, record_id, f'"language" must be "nb", "nn" or "auto", not {shown!r}')
    metadata = {key: value[key] for key in METADATA_FIELDS if isinstance(value.get(key), str) and value[key]}
    return JsonlRecord(line, record_id, normalize_newlines(text), language, metadata)


def _json_type(value: object) -> str:
    names = {
        dict: "an object",
        list: "an array",
        str: "a string",
        bool: "a boolean",
        int: "a number",
        float: "a number",
        type(None): "null",
    }
    return names.get(type(value), type(value).__name__)


def _check_path(path: Path) -> None:
    if not path.exists():
        raise KildeError(f"no such file: {path}")
    if path.is_dir():
        raise KildeError(f"{path} is a directory, not a file")


def _lines(path: Path) -> Iterator[tuple[int, bytes]]:
    with path.open("rb") as stream:
        for number, raw in enumerate(stream, 1):
            if number == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
            yield number, raw


def count_jsonl_records(path: Path | str) -> int:
    """How many non-blank lines (records, good or bad) the file holds; sizes a progress bar."""
    path = Path(path)
    _check_path(path)
    try:
        return sum(1 for _, raw in _lines(path) if raw.strip())
    except OSError as error:
        raise KildeError(f"cannot read {path}: {error.strerror or error}") from None


def iter_jsonl_records(path: Path | str) -> Iterator[JsonlRecord | JsonlError]:
    """One record or error marker per non-blank line of a JSON Lines file, in file order.

    A missing or unreadable file raises ``KildeError`` at once (not at the first ``next``);
    bad lines never raise.
    """
    path = Path(path)
    _check_path(path)
    try:
        lines = _lines(path)
        first = next(lines, None)
    except OSError as error:
        raise KildeError(f"cannot read {path}: {error.strerror or error}") from None
    return _records(first, lines)


def _records(
    first: tuple[int, bytes] | None, rest: Iterator[tuple[int, bytes]]
) -> Iterator[JsonlRecord | JsonlError]:
    if first is None:
        return
    for number, raw in itertools.chain([first], rest):
        if not raw.strip():
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            loose = raw.decode("utf-8", errors="replace")
            reason = f"invalid UTF-8 (byte 0x{raw[error.start]:02x} at offset {error.start} of the line)"
            yield JsonlError(number, _recover_id(loose, number), reason)
            continue
        yield parse_record(text.strip(), number)
