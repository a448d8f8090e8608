"""Where things are, the source texts, and the stand-off files themselves.

A stand-off file (``annotations/<source-set>/<id>.json``) names one article of the
shared data by source set, id, path and (for one article of a multi-article file)
character range, pins its text with a sha256, and holds every annotated item as
``[start, end]`` character offsets (Python string indices, code points) into that
text, plus labels and canonical names. It never holds article text.

The shared folder is ``../shared`` beside the repository unless ``KILDE_SHARED``
names another; the annotations folder is ``annotations/`` in the repository unless
``KILDE_ANNOTATIONS`` names another. Nothing here needs the shared folder except
reading source texts, which raises :class:`SharedMissing` when it is absent.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from kilde.annotations import FORMAT, LANGUAGES, QUOTE_TYPES, SPEAKER_KINDS
from kilde.errors import KildeError

SHARED_ENV = "KILDE_SHARED"
ANNOTATIONS_ENV = "KILDE_ANNOTATIONS"
AGREEMENT_DIR = "agreement"
"""Sub-folder of the annotations root for agreement studies: never part of the corpus."""
FOLDS_FILE = "folds.json"

Span = tuple[int, int]


class AnnotationError(KildeError):
    """A stand-off file or draft that cannot be read or resolved."""


class SharedMissing(KildeError):
    """The shared data folder (the texts) is not there."""


# ------------------------------------------------------------------------ paths


def repo_root() -> Path:
    return Path(__file__).resolve().parents[3]


def shared_root() -> Path | None:
    """The shared folder, or None when it is absent."""
    path = Path(os.environ.get(SHARED_ENV) or repo_root().parent / "shared")
    return path if path.is_dir() else None


def require_shared() -> Path:
    path = shared_root()
    if path is None:
        raise SharedMissing(
            f"the shared data folder is absent (looked for ../shared; set {SHARED_ENV} to its path)"
        )
    return path


def annotations_root() -> Path:
    return Path(os.environ.get(ANNOTATIONS_ENV) or repo_root() / "annotations")


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------------- sources


@dataclass(frozen=True)
class SourceSet:
    """A family of shared texts and how one article of it is found."""

    name: str
    location: str
    """Path inside the shared folder: a JSON Lines file or a folder."""
    kind: str
    """``jsonl`` (records with id and text), ``file`` (one article per .txt file),
    ``range`` (several articles per .txt file, one chosen by character range),
    ``conll`` (one part of a treebank document per .conll file, read as its tokens
    joined by spaces, one sentence a line, as NARC writes its texts) or ``dev`` (the
    ``text`` of a dev gold file; agreement studies only)."""
    language: str | None = None
    corpus: bool = True


SOURCE_SETS: dict[str, SourceSet] = {
    s.name: s
    for s in (
        SourceSet("web-news", "data/web-news/articles.jsonl", "jsonl"),
        SourceSet("narc-nb", "data/narc/annotation_bokmaal", "file", "nb"),
        SourceSet("narc-nn", "data/narc/annotation_nynorsk", "file", "nn"),
        SourceSet("ndt-raw", "data/ndt-raw", "range", "nb"),
        # Treebank parts that NARC left out (white papers, weekly and blog texts,
        # parliament debates): NARC's own files hold the rest of the treebank.
        SourceSet("ndt-nn", "data/norne/ndt/nno", "conll", "nn"),
        SourceSet("ndt-nb", "data/norne/ndt/nob", "conll", "nb"),
        SourceSet("dev", "eval/dev", "dev", corpus=False),
    )
}
CORPUS_SETS = tuple(name for name, s in SOURCE_SETS.items() if s.corpus)


@dataclass(frozen=True)
class Source:
    """One article's text as the shared folder gives it, with what is known about it."""

    source_set: str
    id: str
    path: str
    range: Span | None
    text: str
    language: str
    outlet: str | None = None
    published: str | None = None
    url: str | None = None

    @property
    def sha256(self) -> str:
        return sha256(self.text)


def source_set(name: str) -> SourceSet:
    try:
        return SOURCE_SETS[name]
    except KeyError:
        raise AnnotationError(f"unknown source set {name!r} (known: {', '.join(SOURCE_SETS)})") from None


def _read_text(path: Path) -> str:
    """A file's text exactly, without newline translation."""
    try:
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise AnnotationError(f"no such source file: {path}") from None


@lru_cache(maxsize=8)
def _jsonl_records(path: str, mtime: float) -> dict[str, dict[str, Any]]:
    records: dict[str, dict[str, Any]] = {}
    for line in Path(path).read_bytes().decode("utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            records[str(record["id"])] = record
    return records


def jsonl_records(path: Path) -> dict[str, dict[str, Any]]:
    if not path.is_file():
        raise AnnotationError(f"no such source file: {path}")
    return _jsonl_records(str(path), path.stat().st_mtime)


def conll_text(conll: str) -> str:
    """A treebank file as text: each sentence's word forms (column 2) joined by spaces,
    one sentence a line, ending in a newline, the way NARC's ``.txt`` files are written."""
    sentences: list[str] = []
    words: list[str] = []
    for line in conll.splitlines():
        if not line.strip():
            if words:
                sentences.append(" ".join(words))
                words = []
        elif not line.startswith("#"):
            columns = line.split("\t")
            if len(columns) < 2:
                raise AnnotationError(f"not a CoNLL line: {line[:60]!r}")
            words.append(columns[1])
    if words:
        sentences.append(" ".join(words))
    return "".join(sentence + "\n" for sentence in sentences)


def split_range_id(article_id: str) -> tuple[str, Span | None]:
    """``vg_002@100-2000`` -> (``vg_002``, (100, 2000)); an id without ``@`` has no range."""
    stem, at, rest = article_id.rpartition("@")
    if not at:
        return article_id, None
    try:
        start, end = (int(x) for x in rest.split("-"))
    except ValueError:
        raise AnnotationError(f"bad range in id {article_id!r} (want FILE@START-END)") from None
    return stem, (start, end)


def range_id(stem: str, span: Span) -> str:
    return f"{stem}@{span[0]}-{span[1]}"


def load_source(set_name: str, article_id: str, shared: Path | None = None) -> Source:
    """The text of one article; raises :class:`SharedMissing` without the shared folder."""
    spec = source_set(set_name)
    root = shared or require_shared()
    base = root / spec.location
    if spec.kind == "jsonl":
        record = jsonl_records(base).get(article_id)
        if record is None:
            raise AnnotationError(f"{set_name} has no article {article_id!r}")
        return Source(
            set_name,
            article_id,
            spec.location,
            None,
            record["text"],
            record.get("language") or "nb",
            record.get("outlet"),
            record.get("published"),
            record.get("url"),
        )
    if spec.kind == "dev":
        path = base / f"{article_id}.json"
        if not path.is_file():
            raise AnnotationError(f"no dev article {article_id!r}")
        record = json.loads(_read_text(path))
        return Source(
            set_name,
            article_id,
            f"{spec.location}/{path.name}",
            None,
            record["text"],  # only the text: the gold fields are never read here
            record.get("language") or "nb",
            record.get("outlet"),
            record.get("published"),
        )
    if spec.kind == "conll":
        path = base / f"{article_id}.conll"
        return Source(
            set_name,
            article_id,
            f"{spec.location}/{path.name}",
            None,
            conll_text(_read_text(path)),
            spec.language or "nb",
        )
    stem, span = split_range_id(article_id) if spec.kind == "range" else (article_id, None)
    if spec.kind == "range" and span is None:
        raise AnnotationError(f"{set_name} ids name a character range: {stem}@START-END")
    if spec.kind == "file" and span is not None:
        raise AnnotationError(f"{set_name} articles are whole files: give the file name only")
    path = base / f"{stem}.txt"
    text = _read_text(path)
    if span is not None:
        start, end = span
        if not 0 <= start < end <= len(text):
            raise AnnotationError(f"range {start}-{end} is outside {path.name} ({len(text)} characters)")
        text = text[start:end]
    return Source(set_name, article_id, f"{spec.location}/{path.name}", span, text, spec.language or "nb")


def list_source_ids(set_name: str, shared: Path | None = None) -> list[str]:
    """Every article id of a set (for ``range`` sets: the file stems, to be segmented)."""
    spec = source_set(set_name)
    base = (shared or require_shared()) / spec.location
    if spec.kind == "jsonl":
        return list(jsonl_records(base))
    if spec.kind == "dev":
        return sorted(p.stem for p in base.glob("*.json"))
    if spec.kind == "conll":
        return sorted(p.stem for p in base.glob("*.conll"))
    return sorted(p.stem for p in base.glob("*.txt"))


def segment_ranges(text: str, min_gap: int = 4) -> list[Span]:
    """Likely article boundaries in a multi-article treebank file (``ndt-raw``).

    In those files a headline line is followed by at most one blank line and a lead
    line, and the lead by a run of ``min_gap`` or more blank lines; an article runs
    until the next such headline. This is a proposal for the annotator, who checks
    it by reading: each range starts at a line start and ends at its last non-blank
    character.
    """
    lines = text.split("\n")
    offsets, position = [], 0
    for line in lines:
        offsets.append(position)
        position += len(line) + 1

    def blank_run(i: int) -> int:
        n = 0
        while i + n < len(lines) and not lines[i + n].strip():
            n += 1
        return n

    starts: list[int] = []
    i = 0
    while i < len(lines):
        if lines[i].strip():
            j = i + 1 + blank_run(i + 1)
            if (
                j < len(lines)
                and j - i - 1 <= 1
                and (not starts or i > starts[-1] + 1)
                and blank_run(j + 1) >= min_gap
            ):
                starts.append(i)
        i += 1
    if not starts or starts[0] != next((k for k, line in enumerate(lines) if line.strip()), 0):
        first = next((k for k, line in enumerate(lines) if line.strip()), None)
        if first is not None:
            starts.insert(0, first)
    spans: list[Span] = []
    for n, line_no in enumerate(starts):
        start = offsets[line_no]
        stop = offsets[starts[n + 1]] if n + 1 < len(starts) else len(text)
        end = len(text[:stop].rstrip())
        if end > start:
            spans.append((start, end))
    return spans


# ------------------------------------------------------------------ stand-off


@dataclass
class Quote:
    """One attribution as offsets: content parts, cue, mention and addressee spans, plus labels."""

    id: str
    type: str
    content: list[Span]
    cue: Span | None = None
    speaker_mention: Span | None = None
    speaker: str | None = None
    speaker_aliases: list[str] = field(default_factory=list)
    speaker_kind: str = "unknown"
    addressee: Span | None = None
    heading: bool = False
    nested_in: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "heading": self.heading,
            "content": [list(s) for s in self.content],
            "cue": list(self.cue) if self.cue else None,
            "speaker_mention": list(self.speaker_mention) if self.speaker_mention else None,
            "speaker": self.speaker,
            "speaker_aliases": list(self.speaker_aliases),
            "speaker_kind": self.speaker_kind,
            "addressee": list(self.addressee) if self.addressee else None,
            "nested_in": self.nested_in,
        }


@dataclass
class Annotation:
    """One stand-off file."""

    source_set: str
    id: str
    path: str
    sha256: str
    language: str
    annotator: str
    range: Span | None = None
    status: str = "done"
    """``todo`` (claimed by ``kilde annotations new``, nothing annotated yet) or ``done``."""
    quotes: list[Quote] = field(default_factory=list)
    hedges: list[Span] = field(default_factory=list)
    boilerplate: list[Span] = field(default_factory=list)
    file: Path | None = None

    @property
    def key(self) -> str:
        return f"{self.source_set}/{self.id}"

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "source_set": self.source_set,
            "id": self.id,
            "path": self.path,
            "range": list(self.range) if self.range else None,
            "sha256": self.sha256,
            "language": self.language,
            "annotator": self.annotator,
            "status": self.status,
            "quotes": [q.to_json() for q in self.quotes],
            "hedges": [list(s) for s in self.hedges],
            "boilerplate": [list(s) for s in self.boilerplate],
        }


def _span(value: Any, where: str, allow_null: bool = False) -> Span | None:
    if value is None and allow_null:
        return None
    if (
        isinstance(value, list | tuple)
        and len(value) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        and 0 <= value[0] < value[1]
    ):
        return (value[0], value[1])
    raise ValueError(f"{where}: want [start, end] with 0 <= start < end, got {value!r}")


def quote_from_json(raw: Any, where: str) -> Quote:
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: a quote must be an object")
    qtype = raw.get("type")
    if qtype not in QUOTE_TYPES:
        raise ValueError(f"{where}: type {qtype!r} is not one of {', '.join(QUOTE_TYPES)}")
    kind = raw.get("speaker_kind")
    if kind not in SPEAKER_KINDS:
        raise ValueError(f"{where}: speaker_kind {kind!r} is not one of {', '.join(SPEAKER_KINDS)}")
    content = raw.get("content")
    if not isinstance(content, list) or not content:
        raise ValueError(f"{where}: content must be a non-empty list of [start, end]")
    aliases = raw.get("speaker_aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a for a in aliases):
        raise ValueError(f"{where}: speaker_aliases must be a list of strings")
    speaker = raw.get("speaker")
    if speaker is not None and (not isinstance(speaker, str) or not speaker.strip()):
        raise ValueError(f"{where}: speaker must be a non-empty string or null")
    nested = raw.get("nested_in")
    if nested is not None and not isinstance(nested, str):
        raise ValueError(f"{where}: nested_in must be another quote's id or null")
    if not isinstance(raw.get("id"), str) or not raw["id"]:
        raise ValueError(f"{where}: id missing")
    return Quote(
        id=raw["id"],
        type=qtype,
        content=[_span(s, f"{where} content") for s in content],  # type: ignore[misc]
        cue=_span(raw.get("cue"), f"{where} cue", True),
        speaker_mention=_span(raw.get("speaker_mention"), f"{where} speaker_mention", True),
        speaker=speaker,
        speaker_aliases=list(aliases),
        speaker_kind=kind,
        addressee=_span(raw.get("addressee"), f"{where} addressee", True),
        heading=bool(raw.get("heading", False)),
        nested_in=nested,
    )


def annotation_from_json(raw: Any) -> Annotation:
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise ValueError(f'not a stand-off file (want "format": "{FORMAT}")')
    for key in ("source_set", "id", "path", "sha256", "annotator"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise ValueError(f"{key} missing")
    source_set(raw["source_set"])
    if raw.get("language") not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}")
    status = raw.get("status", "done")
    if status not in ("todo", "done"):
        raise ValueError("status must be todo or done")
    quotes = [quote_from_json(q, f"quote {n}") for n, q in enumerate(raw.get("quotes") or [], 1)]
    return Annotation(
        source_set=raw["source_set"],
        id=raw["id"],
        path=raw["path"],
        sha256=raw["sha256"],
        language=raw["language"],
        annotator=raw["annotator"],
        range=_span(raw.get("range"), "range", True),
        status=status,
        quotes=quotes,
        hedges=[_span(s, f"hedge {n}") for n, s in enumerate(raw.get("hedges") or [], 1)],  # type: ignore[misc]
        boilerplate=[
            _span(s, f"boilerplate {n}")  # type: ignore[misc]
            for n, s in enumerate(raw.get("boilerplate") or [], 1)
        ],
    )


def read_annotation(path: Path | str) -> Annotation:
    path = Path(path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise AnnotationError(f"cannot read {path}: {error}".replace("\n", " ")) from None
    try:
        annotation = annotation_from_json(raw)
    except (ValueError, TypeError, AnnotationError) as error:
        raise AnnotationError(f"{path}: {error}") from None
    annotation.file = path
    return annotation


def dumps(annotation: Annotation) -> str:
    """The file's JSON: one key a line, one quote or span list a line (short, readable diffs)."""
    data = annotation.to_json()
    lines = ["{"]
    items = list(data.items())
    for n, (key, value) in enumerate(items):
        comma = "," if n < len(items) - 1 else ""
        if key == "quotes" and value:
            lines.append(f'  "{key}": [')
            for k, quote in enumerate(value):
                tail = "," if k < len(value) - 1 else ""
                lines.append("    " + json.dumps(quote, ensure_ascii=False) + tail)
            lines.append(f"  ]{comma}")
        else:
            lines.append(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def write_annotation(annotation: Annotation, path: Path | str) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.tmp")
    temp.write_text(dumps(annotation), encoding="utf-8")
    os.replace(temp, path)
    annotation.file = path
    return path


def file_name(article_id: str) -> str:
    if "/" in article_id or article_id.startswith("."):
        raise AnnotationError(f"article id {article_id!r} cannot be a file name")
    return f"{article_id}.json"


def annotation_path(set_name: str, article_id: str, root: Path | None = None) -> Path:
    """Where the corpus keeps one article: ``<root>/<source-set>/<id>.json``."""
    source_set(set_name)
    return (root or annotations_root()) / set_name / file_name(article_id)


def iter_annotation_files(
    paths: list[Path] | None = None, root: Path | None = None, include_agreement: bool = False
) -> Iterator[Path]:
    """Stand-off files, sorted: under ``paths`` (files or folders, recursively), else the corpus.

    The corpus is every ``<root>/<source-set>/*.json``; the ``agreement`` folder is
    left out unless a path names it (or ``include_agreement``).
    """
    root = root or annotations_root()
    if not paths:
        folders = [root / name for name in CORPUS_SETS]
        if include_agreement:
            folders.append(root / AGREEMENT_DIR)
        paths = [f for f in folders if f.is_dir()]
    seen: set[Path] = set()
    found: list[Path] = []
    for path in paths:
        if path.is_file():
            candidates = [path]
        elif path.is_dir():
            candidates = sorted(path.rglob("*.json"))
        else:
            raise AnnotationError(f"no such file or folder: {path}")
        for candidate in candidates:
            if candidate.name == FOLDS_FILE or candidate.name.startswith("."):
                continue
            resolved = candidate.resolve()
            if resolved not in seen:
                seen.add(resolved)
                found.append(candidate)
    return iter(sorted(found))


def load_annotations(
    paths: list[Path] | None = None, root: Path | None = None, include_todo: bool = False
) -> list[Annotation]:
    annotations = [read_annotation(p) for p in iter_annotation_files(paths, root)]
    return [a for a in annotations if include_todo or a.status == "done"]


def skeleton(source: Source, annotator: str) -> Annotation:
    return Annotation(
        source_set=source.source_set,
        id=source.id,
        path=source.path,
        sha256=source.sha256,
        language=source.language,
        annotator=annotator,
        range=source.range,
        status="todo",
    )
