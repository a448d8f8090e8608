"""Check stand-off files: structure, offsets, hash, labels, exportability, no dev or held-out text.

Problems are errors (the file is wrong or must not be in the corpus) or warnings
(worth a look). The overlap test is ``../shared/tools/overlap.py``'s own: its
functions are loaded from there, so the corpus is held to exactly the rule the
shared data is, with the same thresholds (3 shared 8-word shingles with the dev
set or the held-out hashes).
"""

from __future__ import annotations

import importlib.util
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from types import ModuleType

from kilde.annotations.draft import QUOTE_MARKS, Lines, check_nesting
from kilde.annotations.loader import gold_record, load_gold_records
from kilde.annotations.store import (
    AGREEMENT_DIR,
    Annotation,
    AnnotationError,
    Source,
    annotations_root,
    file_name,
    iter_annotation_files,
    load_source,
    read_annotation,
    shared_root,
)

OVERLAP_LIMIT = 3
"""Shared shingles with dev or held-out texts from which a text is refused (overlap.py's rule)."""
DUPLICATE_ERROR = 0.25
DUPLICATE_WARNING = 5


@dataclass
class Problem:
    file: str
    level: str  # "error" or "warning"
    message: str

    def line(self) -> str:
        return f"{self.level}: {self.file}: {self.message}"


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    checked_texts: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "warning"]

    def summary(self) -> str:
        texts = "" if self.checked_texts == self.files else f" ({self.checked_texts} against their texts)"
        return f"{self.files} files{texts}: {len(self.errors)} errors, {len(self.warnings)} warnings"


# ---------------------------------------------------------------- overlap


def _fallback_overlap() -> ModuleType:
    module = ModuleType("overlap_fallback")

    def shingles(text: str, n: int = 8) -> set[str]:
        words = re.findall(r"\w+", text.lower())
        return {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}

    def digest(shingle: str) -> str:
        import hashlib

        return hashlib.sha256(shingle.encode()).hexdigest()[:16]

    module.shingles = shingles  # type: ignore[attr-defined]
    module.digest = digest  # type: ignore[attr-defined]
    return module


@lru_cache(maxsize=4)
def _overlap_sets(shared: str) -> tuple[ModuleType, frozenset[str], frozenset[str]]:
    root = Path(shared)
    tool = root / "tools" / "overlap.py"
    if tool.is_file():
        spec = importlib.util.spec_from_file_location("kilde_shared_overlap", tool)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    else:
        module = _fallback_overlap()
    heldout_file = root / "eval" / "heldout-shingles.txt"
    heldout = frozenset(heldout_file.read_text().split()) if heldout_file.is_file() else frozenset()
    dev: set[str] = set()
    for path in sorted((root / "eval" / "dev").glob("*.json")):
        dev |= module.shingles(json.loads(path.read_text(encoding="utf-8"))["text"])
    return module, heldout, frozenset(dev)


def overlap_counts(text: str, shared: Path) -> tuple[int, int]:
    """(held-out, dev) shingles that ``text`` shares, as ``overlap.py`` counts them."""
    module, heldout, dev = _overlap_sets(str(shared))
    shingles = module.shingles(text)
    return sum(module.digest(s) in heldout for s in shingles), len(shingles & dev)


def overlap_flagged(text: str, shared: Path) -> bool:
    held, dev = overlap_counts(text, shared)
    return held >= OVERLAP_LIMIT or dev >= OVERLAP_LIMIT


def shingle_set(text: str, shared: Path | None) -> set[str]:
    module = _overlap_sets(str(shared))[0] if shared else _fallback_overlap()
    return module.shingles(text)


@lru_cache(maxsize=2)
def _gold_checker(shared: str) -> Callable[[Path], tuple[list[str], int]] | None:
    tool = Path(shared) / "tools" / "validate_gold.py"
    if not tool.is_file():
        return None
    spec = importlib.util.spec_from_file_location("kilde_shared_validate_gold", tool)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.check_file


# ----------------------------------------------------------------- checks


MAX_NAME_WORDS = 7
"""A speaker name or alias is a label: a phrase of more words is text, kept as the mention's offsets."""


def _names(annotation: Annotation, text: str | None, add: Callable[[str, str], None]) -> None:
    """No article text in the repository, names included: a name or alias of more than
    ``MAX_NAME_WORDS`` words, or aliases that join into eight words of the text, are refused
    (the export adds each speaker's mention forms to its aliases from the offsets)."""
    passages = _eight_word_passages(text) if text is not None else set()
    for quote in annotation.quotes:
        names = [quote.speaker or "", *quote.speaker_aliases]
        for name in names:
            if len(re.findall(r"\w+", name)) > MAX_NAME_WORDS:
                add(
                    "error",
                    f"{quote.id}: the name {name!r} is over {MAX_NAME_WORDS} words "
                    "(a phrase of the text belongs to the mention)",
                )
        joined = " ".join(quote.speaker_aliases)  # side by side in the stored file
        if passages & _eight_word_passages(joined):
            add(
                "error", f"{quote.id}: its names join into a passage of the text; drop or reorder the aliases"
            )


def _eight_word_passages(text: str) -> set[str]:
    found = re.findall(r"\w+", text.lower())
    return {" ".join(found[i : i + 8]) for i in range(len(found) - 7)}


def _structure(annotation: Annotation, text: str | None, add: Callable[[str, str], None]) -> None:
    """Checks that need the text for offsets (or only the lengths when ``text`` is None)."""
    _names(annotation, text, add)
    n = len(text) if text is not None else None
    ids = [q.id for q in annotation.quotes]
    if len(set(ids)) != len(ids):
        add("error", "two quotes share an id")
    try:
        check_nesting(annotation.quotes)
    except AnnotationError as error:
        add("error", str(error))

    def inside(span: tuple[int, int] | None, what: str) -> bool:
        if span is None:
            return True
        if n is not None and span[1] > n:
            add("error", f"{what} {list(span)} ends after the text ({n} characters)")
            return False
        if text is not None:
            value = text[span[0] : span[1]]
            if value != value.strip():
                add("error", f"{what} {list(span)} starts or ends with whitespace")
        return True

    seen_content: dict[tuple[tuple[int, int], ...], str] = {}
    by_id = {q.id: q for q in annotation.quotes}
    for quote in annotation.quotes:
        w = f"quote {quote.id}"
        ok = all([inside(s, f"{w} content") for s in quote.content])
        for name in ("cue", "speaker_mention", "addressee"):
            ok &= inside(getattr(quote, name), f"{w} {name}")
        for a, b in pairwise(quote.content):
            if b[0] < a[1]:
                add("error", f"{w}: content parts overlap or are out of order")
        key = tuple(quote.content)
        if key in seen_content:
            add("error", f"{w}: the same content as quote {seen_content[key]}")
        seen_content[key] = quote.id
        if quote.speaker_mention is not None and quote.speaker is None:
            add("error", f"{w}: a speaker_mention needs a canonical speaker")
        if text is None or not ok:
            continue
        if quote.type == "direct":
            for s, e in quote.content:
                if text[s] in QUOTE_MARKS or text[e - 1] in QUOTE_MARKS:
                    add("error", f"{w}: direct content must not include the quote marks")
        for name in ("cue", "speaker_mention"):
            span = getattr(quote, name)
            if span and any(span[0] < e and s < span[1] for s, e in quote.content):
                add("warning", f"{w}: its {name} lies inside its own content")
        if quote.nested_in and quote.nested_in in by_id:
            outer = by_id[quote.nested_in]
            inner_spans = [*quote.content, quote.cue, quote.speaker_mention]
            if not any(
                span and any(s <= span[0] and span[1] <= e for s, e in outer.content) for span in inner_spans
            ):
                add(
                    "warning",
                    f"{w}: nested in {outer.id}, but neither its content nor its cue or speaker "
                    "lies inside that quote's content",
                )
    direct = [s for q in annotation.quotes if q.type == "direct" for s in q.content]
    for k, span in enumerate(annotation.hedges, 1):
        if inside(span, f"hedge {k}") and any(s <= span[0] and span[1] <= e for s, e in direct):
            add(
                "warning",
                f"hedge {k} {list(span)} lies inside a direct quote (the guidelines leave those out)",
            )
    if len(set(annotation.hedges)) != len(annotation.hedges):
        add("error", "a hedge is listed twice")
    if text is not None:
        lines = Lines(text)
        whole = {lines.stripped(k) for k in range(1, len(lines.starts) + 1)}
        for k, span in enumerate(annotation.boilerplate, 1):
            if inside(span, f"boilerplate {k}") and span not in whole:
                add("error", f"boilerplate {k} {list(span)} is not a whole line")
        marked = {text[s:e] for s, e in annotation.boilerplate}
        unmarked = [
            lines.number(s)
            for s, e in whole
            if s < e and text[s:e] in marked and (s, e) not in set(annotation.boilerplate)
        ]
        if unmarked:
            add(
                "warning",
                f"line(s) {unmarked} repeat a boilerplate line but are not marked "
                "(the gold format marks every equal line)",
            )
        quoted = [s for q in annotation.quotes for s in q.content]
        for s, e in annotation.boilerplate:
            if any(a < e and s < b for a, b in quoted):
                add("warning", f"boilerplate line {lines.number(s)} holds a quote's content")


def _roundtrip(annotation: Annotation, source: Source, shared: Path, add: Callable[[str, str], None]) -> None:
    """The export must locate every span where it was annotated, and pass the shared gold checker."""
    record = gold_record(annotation, source)
    try:
        (gold,) = load_gold_records([record])
    except Exception as error:  # the scorer's own message says what it could not read
        add("error", f"the gold export does not load: {error}")
        return
    for quote, located in zip(annotation.quotes, gold.quotes, strict=True):
        if list(located.spans) != [tuple(s) for s in quote.content]:
            add(
                "error",
                f"quote {quote.id}: the gold format cannot say where its content is "
                f"(a later part's string also occurs between the parts); split the parts differently",
            )
    located_hedges = sorted((h.start, h.end) for h in gold.hedges)
    if located_hedges != sorted(annotation.hedges):
        add("error", "the gold export does not locate the hedges where they were annotated")
    checker = _gold_checker(str(shared))
    if checker is not None:
        import tempfile

        with tempfile.TemporaryDirectory(prefix="kilde-check-") as folder:
            path = Path(folder) / "article.json"
            path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
            problems, _ = checker(path)
        for problem in problems:
            add("error", f"validate_gold.py: {problem}")


def validate(
    paths: Iterable[Path] | None = None,
    root: Path | None = None,
    shared: Path | None = None,
    use_shared: bool = True,
) -> Report:
    """Validate stand-off files (the corpus when ``paths`` is empty)."""
    root = root or annotations_root()
    shared = shared or (shared_root() if use_shared else None)
    report = Report()
    files = list(iter_annotation_files(list(paths) if paths else None, root))
    corpus_texts: list[tuple[Annotation, set[str], str]] = []
    for path in files:
        report.files += 1
        shown = str(path)

        def add(level: str, message: str, shown: str = shown) -> None:
            report.problems.append(Problem(shown, level, message))

        try:
            annotation = read_annotation(path)
        except AnnotationError as error:
            add("error", str(error).removeprefix(f"{path}: "))
            continue
        if path.name != file_name(annotation.id):
            add("error", f"the file should be named {file_name(annotation.id)}")
        in_agreement = _is_under(path, root / AGREEMENT_DIR)
        if not in_agreement and path.parent.name != annotation.source_set:
            add("error", f"a {annotation.source_set} article belongs in {annotation.source_set}/")
        if annotation.source_set == "dev" and not in_agreement:
            add("error", "dev articles may only be annotated for agreement studies (annotations/agreement/)")
        if annotation.status == "todo":
            add("warning", "status todo: claimed but not annotated yet")
        text = None
        source = None
        if shared is not None:
            try:
                source = load_source(annotation.source_set, annotation.id, shared)
            except AnnotationError as error:
                add("error", str(error))
            if source is not None:
                report.checked_texts += 1
                if source.sha256 != annotation.sha256:
                    add("error", "sha256 differs: the shared text is not the text that was annotated")
                    source = None
                else:
                    text = source.text
                    if source.language != annotation.language:
                        add("error", f"language {annotation.language} but the source says {source.language}")
        _structure(annotation, text, add)
        if source is None or shared is None:
            continue
        if not any(p.level == "error" and p.file == shown for p in report.problems):
            _roundtrip(annotation, source, shared, add)
        if annotation.source_set != "dev":
            held, dev = overlap_counts(source.text, shared)
            if held >= OVERLAP_LIMIT or dev >= OVERLAP_LIMIT:
                add(
                    "error",
                    f"shares passages with the evaluation sets (held-out {held}, dev {dev}): exclude it",
                )
        if not in_agreement and annotation.status == "done":
            corpus_texts.append((annotation, shingle_set(source.text, shared), shown))
    _duplicates(corpus_texts, report)
    return report


def _is_under(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


def _duplicates(items: list[tuple[Annotation, set[str], str]], report: Report) -> None:
    """The same article twice in the corpus (one story in NARC and ndt-raw, say) would leak across folds."""
    index: dict[str, list[int]] = {}
    for n, (_, shingles, _) in enumerate(items):
        for s in shingles:
            index.setdefault(s, []).append(n)
    shared_counts: dict[tuple[int, int], int] = {}
    for owners in index.values():
        if 1 < len(owners) <= 20:
            for i, a in enumerate(owners):
                for b in owners[i + 1 :]:
                    shared_counts[(a, b)] = shared_counts.get((a, b), 0) + 1
    for (a, b), count in sorted(shared_counts.items()):
        first, second = items[a], items[b]
        smaller = max(1, min(len(first[1]), len(second[1])))
        if count / smaller >= DUPLICATE_ERROR:
            report.problems.append(
                Problem(second[2], "error", f"the same text as {first[0].key} ({count} shared passages)")
            )
        elif count >= DUPLICATE_WARNING:
            report.problems.append(
                Problem(second[2], "warning", f"shares {count} passages with {first[0].key}")
            )


def render(report: Report, show_warnings: bool = True) -> list[str]:
    lines = [p.line() for p in report.problems if show_warnings or p.level == "error"]
    lines.append(report.summary())
    return lines


__all__ = ["Problem", "Report", "overlap_counts", "overlap_flagged", "render", "validate"]
