"""Read batch input: JSON Lines with one article per line, ``{"id": ..., "text": ..., "language": ...}``.

A bad line never stops a batch: it becomes a ``JsonlError`` that the caller writes to the
output in the line's place. Blank (whitespace-only) lines are skipped and produce no
output line; line numbers still count them, so ``line-<n>`` ids match what an editor shows.

"A bad line" is anything: invalid JSON or UTF-8, a number too long for Python to convert
(over 4,300 digits), an id or metadata field holding a lone surrogate (``"\\ud800"``, which
no output file could hold), a line over ``MAX_LINE_BYTES``.
"""

from __future__ import annotations

import codecs
import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kilde.errors import KildeError
from kilde.io.records import has_surrogates
from kilde.io.text import MAX_INPUT_BYTES, normalize_newlines

METADATA_FIELDS = ("url", "outlet", "published", "date", "title")
"""Optional string fields of a record that are kept as its ``metadata`` (corpus runs put them in tables)."""

LANGUAGES = ("nb", "nn", "auto")
"""Values accepted in a record's ``language`` field (``null`` means the batch default)."""

RecordId = str | int

MAX_LINE_BYTES = 4 * MAX_INPUT_BYTES
"""Longest line read (80 MB); a longer one is skipped unread and becomes an error, not a MemoryError."""

_READ_BLOCK = 1 << 20

_ID_IN_BROKEN_LINE = re.compile(r'"id"\s*:\s*(?:"((?:[^"\\]|\\.)*)"|(-?\d{1,4000})\b)')


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
    try:
        if match.group(2) is not None:
            return int(match.group(2))
        return str(json.loads(f'"{match.group(1)}"'))
    except ValueError:  # JSONDecodeError is one
        return f"line-{line}"


def parse_record(raw: str, line: int) -> JsonlRecord | JsonlError:
    """Check one line of batch input and turn it into a record or an error marker."""
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as error:
        return JsonlError(line, _recover_id(raw, line), f"invalid JSON: {error.msg} at column {error.colno}")
    except RecursionError:
        return JsonlError(line, _recover_id(raw, line), "invalid JSON: nested too deeply")
    except ValueError:  # Python's limit on int-string conversion: a number of over 4,300 digits
        reason = "a number in the line has more digits than kilde reads (4,300)"
        return JsonlError(line, _recover_id(raw, line), reason)
    if not isinstance(value, dict):
        return JsonlError(line, f"line-{line}", f"a line must be a JSON object, not {_json_type(value)}")
    record_id = value.get("id")
    if record_id is None:
        record_id = f"line-{line}"
    elif isinstance(record_id, bool) or not isinstance(record_id, str | int):
        reason = f'"id" must be a string or an integer, not {_json_type(record_id)}'
        return JsonlError(line, f"line-{line}", reason)
    if isinstance(record_id, str) and has_surrogates(record_id):
        return JsonlError(line, record_id, _surrogate_reason("id", record_id))
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
    for key, field_value in metadata.items():
        if has_surrogates(field_value):
            return JsonlError(line, record_id, _surrogate_reason(key, field_value))
    return JsonlRecord(line, record_id, normalize_newlines(text), language, metadata)


def _surrogate_reason(name: str, value: str) -> str:
    """Why a field with a lone surrogate is refused: say which field and which code point."""
    match = next(char for char in value if "\ud800" <= char <= "\udfff")
    return (
        f'"{name}" holds a lone surrogate (\\u{ord(match):04x}), which is no character'
        " and cannot be written as UTF-8"
    )


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


def _lines(path: Path) -> Iterator[tuple[int, bytes | None]]:
    """Numbered lines of the file; None for a line over ``MAX_LINE_BYTES``, which is skipped unread."""
    with path.open("rb") as stream:
        number = 0
        while raw := stream.readline(MAX_LINE_BYTES + 1):
            number += 1
            if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
                while (rest := stream.readline(_READ_BLOCK)) and not rest.endswith(b"\n"):
                    pass
                yield number, None
                continue
            if number == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
            yield number, raw


def count_jsonl_records(path: Path | str) -> int:
    """How many non-blank lines (records, good or bad) the file holds; sizes a progress bar."""
    path = Path(path)
    _check_path(path)
    try:
        return sum(1 for _, raw in _lines(path) if raw is None or raw.strip())
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
    first: tuple[int, bytes | None] | None, rest: Iterator[tuple[int, bytes | None]]
) -> Iterator[JsonlRecord | JsonlError]:
    if first is None:
        return
    for number, raw in itertools.chain([first], rest):
        if raw is None:
            limit = MAX_LINE_BYTES // 1024 // 1024
            reason = f"the line is longer than {limit} MB, the most kilde reads of one line"
            yield JsonlError(number, f"line-{number}", reason)
            continue
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
