"""``kilde annotations``: build, check, count and export the stand-off corpus."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from kilde.errors import KildeError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="The hand-annotated corpus (annotations/): annotate, validate, count, export for 'kilde eval'.",
)

ANNOTATOR_ENV = "KILDE_ANNOTATOR"

SourceSetArg = Annotated[
    str, typer.Argument(metavar="SOURCE-SET", help="web-news, narc-nb, narc-nn, ndt-raw (or dev).")
]
IdArg = Annotated[
    str, typer.Argument(metavar="ID", help="Article id; ndt-raw: FILE@START-END (see 'segments').")
]
IntoOpt = Annotated[
    Path | None,
    typer.Option(
        "--into",
        metavar="DIR",
        help="Keep the file in DIR/<id>.json instead of annotations/<source-set>/ (agreement studies).",
    ),
]
PathsArg = Annotated[
    list[Path] | None,
    typer.Argument(metavar="[PATH]...", help="Stand-off files or folders (default: the whole corpus)."),
]


def _fail(message: str) -> None:
    typer.echo(f"kilde: error: {' '.join(str(message).split())}", err=True)
    raise typer.Exit(1)


def _file_for(set_name: str, article_id: str, into: Path | None) -> Path:
    from kilde.annotations.store import annotation_path, file_name

    return into / file_name(article_id) if into else annotation_path(set_name, article_id)


def _annotator(value: str | None) -> str:
    name = value or os.environ.get(ANNOTATOR_ENV)
    if not name:
        _fail(f"say who annotates: --annotator NAME or {ANNOTATOR_ENV}=NAME")
    return name  # type: ignore[return-value]


def _numbered(text: str) -> list[str]:
    from kilde.annotations.draft import Lines

    lines = Lines(text)
    width = len(str(len(lines.starts)))
    out = []
    for number in range(1, len(lines.starts) + 1):
        start, end = lines.span(number)
        out.append(f"{number:>{width}} @{start:<6}| {text[start:end]}")
    return out


def _header(source: Any, flagged: tuple[int, int] | None) -> list[str]:
    out = [
        f"# {source.source_set}/{source.id}  language {source.language}  {len(source.text)} characters"
        + (f"  outlet {source.outlet}" if source.outlet else ""),
        f"# sha256 {source.sha256}",
    ]
    if source.range:
        out.append(f"# range {source.range[0]}-{source.range[1]} of {source.path}")
    if flagged is not None:
        out.append(f"# overlap.py: held-out {flagged[0]}, dev {flagged[1]}")
    out.append("# line @offset | text")
    return out


@app.command("new")
def new_command(
    source_set: SourceSetArg,
    article_id: IdArg,
    annotator: Annotated[
        str | None,
        typer.Option("--annotator", "-a", metavar="NAME", help=f"Who annotates (or {ANNOTATOR_ENV})."),
    ] = None,
    into: IntoOpt = None,
    print_only: Annotated[
        bool, typer.Option("--print-only", help="Only print the text; claim nothing.")
    ] = False,
) -> None:
    """Claim an article (a skeleton with its sha256, status todo); print its text with lines and offsets."""
    from kilde.annotations.store import load_source, shared_root, skeleton, write_annotation
    from kilde.annotations.validate import OVERLAP_LIMIT, overlap_counts

    try:
        source = load_source(source_set, article_id)
        shared = shared_root()
        counts = overlap_counts(source.text, shared) if shared else None
        if counts and source_set != "dev" and max(counts) >= OVERLAP_LIMIT:
            _fail(
                f"{source_set}/{article_id} shares passages with the evaluation sets "
                f"(held-out {counts[0]}, dev {counts[1]}): it must not be annotated for the corpus"
            )
        target = _file_for(source_set, article_id, into)
        if not print_only:
            if target.exists():
                _fail(f"{target} exists already (someone has claimed or annotated this article)")
            write_annotation(skeleton(source, _annotator(annotator)), target)
    except KildeError as error:
        _fail(str(error))
    for line in _header(source, counts):
        typer.echo(line)
    for line in _numbered(source.text):
        typer.echo(line)
    if not print_only:
        typer.echo(
            f"# claimed: {target}; write a draft, then: "
            f"kilde annotations apply {source_set} {article_id} DRAFT.json"
        )


@app.command("show")
def show_command(
    source_set: SourceSetArg,
    article_id: IdArg,
    into: IntoOpt = None,
    draft: Annotated[
        bool, typer.Option("--draft", help="Print the annotation as an editable draft (JSON).")
    ] = False,
    no_text: Annotated[bool, typer.Option("--no-text", help="Leave out the numbered text.")] = False,
) -> None:
    """Print an article's text with line numbers and offsets, and what is annotated in it."""
    from kilde.annotations.draft import Lines, context, describe_quote, to_draft
    from kilde.annotations.loader import source_for
    from kilde.annotations.store import load_source, read_annotation

    target = _file_for(source_set, article_id, into)
    try:
        annotation = read_annotation(target) if target.exists() else None
        source = source_for(annotation) if annotation else load_source(source_set, article_id)
    except KildeError as error:
        _fail(str(error))
    text = source.text
    if draft:
        if annotation is None:
            _fail(f"{target} does not exist")
        typer.echo(json.dumps(to_draft(annotation, text), ensure_ascii=False, indent=1))
        return
    if not no_text:
        for line in [*_header(source, None), *_numbered(text)]:
            typer.echo(line)
    if annotation is None:
        typer.echo("# not annotated")
        return
    lines = Lines(text)
    typer.echo(
        f"# {target}: status {annotation.status}, annotator {annotation.annotator}, "
        f"{len(annotation.quotes)} quotes"
    )
    for number, quote in enumerate(annotation.quotes, 1):
        for line in describe_quote(text, quote, number, lines):
            typer.echo(line)
    for k, span in enumerate(annotation.hedges, 1):
        typer.echo(f"hedge {k} (line {lines.number(span[0])}): {context(text, span, 25)}")
    for span in annotation.boilerplate:
        typer.echo(f"boilerplate line {lines.number(span[0])}: {text[span[0] : span[1]][:70]}")


@app.command("find")
def find_command(
    source_set: SourceSetArg,
    article_id: IdArg,
    string: Annotated[str, typer.Argument(metavar="STRING", help="Exact text to look for.")],
) -> None:
    """Every occurrence of a string in an article: occurrence number, line, offsets and context."""
    from kilde.annotations.draft import Lines, context, occurrences
    from kilde.annotations.store import load_source

    try:
        text = load_source(source_set, article_id).text
    except KildeError as error:
        _fail(str(error))
    lines = Lines(text)
    found = occurrences(text, string)
    for n, start in enumerate(found, 1):
        span = (start, start + len(string))
        typer.echo(
            f"occurrence {n}  line {lines.number(start)}  [{span[0]}, {span[1]}]  {context(text, span)}"
        )
    if not found:
        typer.echo("not found")
        raise typer.Exit(1)


def _read_draft(path: str) -> dict[str, Any]:
    """A JSON draft, or compact rows when the input does not start with '{'."""
    from kilde.annotations.draft import parse_compact

    raw = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    if not raw.lstrip().startswith("{"):
        try:
            return parse_compact(raw)
        except KildeError as error:
            _fail(str(error))
    try:
        return json.loads(raw)
    except json.JSONDecodeError as error:
        _fail(f"the draft is not valid JSON: {error}")
    return {}


@app.command("apply")
def apply_command(
    source_set: SourceSetArg,
    article_id: IdArg,
    draft_path: Annotated[str, typer.Argument(metavar="DRAFT", help="Draft JSON file, or - for stdin.")],
    annotator: Annotated[
        str | None,
        typer.Option("--annotator", "-a", metavar="NAME", help=f"Who annotates (or {ANNOTATOR_ENV})."),
    ] = None,
    into: IntoOpt = None,
    append: Annotated[
        bool, typer.Option("--append", help="Add to the quotes, hedges and lines already there.")
    ] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Resolve and print; write nothing.")] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print only warnings and the summary.")
    ] = False,
) -> None:
    """Resolve a draft (strings from the text) to offsets and write the stand-off file (status done).

    The draft is the gold format with conveniences (see annotations/README.md): spans
    as exact strings, "first words [...] last words", or {"text", "line"|"occurrence"|"in"|"start"};
    a quote's "line" says where its content is. Ambiguous content or hedges are refused.
    A draft that does not start with '{' is read as compact rows ('kilde annotations rows').
    """
    from kilde.annotations.draft import resolve_draft
    from kilde.annotations.store import load_source, read_annotation, skeleton, write_annotation
    from kilde.annotations.validate import validate

    draft = _read_draft(draft_path)
    target = _file_for(source_set, article_id, into)
    try:
        source = load_source(source_set, article_id)
        existing = read_annotation(target) if target.exists() else None
        if existing is not None and existing.sha256 != source.sha256:
            _fail(f"{target} was made for another text (sha256 differs)")
        name = annotator or os.environ.get(ANNOTATOR_ENV) or (existing.annotator if existing else None)
        annotation = existing or skeleton(source, _annotator(name))
        if name:
            annotation.annotator = name
        resolved = resolve_draft(source.text, draft, annotation.quotes if append else None)
    except KildeError as error:
        _fail(str(error))
    if append:
        annotation.quotes += resolved.quotes
        annotation.hedges += [h for h in resolved.hedges if h not in annotation.hedges]
        annotation.boilerplate += [b for b in resolved.boilerplate if b not in annotation.boilerplate]
    else:
        annotation.quotes, annotation.hedges, annotation.boilerplate = (
            resolved.quotes,
            resolved.hedges,
            resolved.boilerplate,
        )
    annotation.status = "done"
    for note in resolved.notes:
        if not quiet or note.lstrip().startswith("!"):
            typer.echo(note)
    if dry_run:
        typer.echo(
            f"dry run: {len(annotation.quotes)} quotes, {len(annotation.hedges)} hedges, "
            f"{len(annotation.boilerplate)} boilerplate lines; nothing written"
        )
        return
    previous = target.read_bytes() if target.exists() else None
    write_annotation(annotation, target)
    report = validate([target], use_shared=True)
    for problem in report.problems:
        typer.echo(problem.line())
    if report.errors:
        if previous is None:
            target.unlink()
        else:
            target.write_bytes(previous)
        _fail("the result does not validate; nothing was changed")
    typer.echo(
        f"wrote {target}: {len(annotation.quotes)} quotes, {len(annotation.hedges)} hedges, "
        f"{len(annotation.boilerplate)} boilerplate lines"
    )


@app.command("rows")
def rows_command() -> None:
    """Explain the compact row format that 'apply' also reads (shorter to write than JSON)."""
    from kilde.annotations.draft import COMPACT_HELP

    typer.echo(COMPACT_HELP)


@app.command("list")
def list_command(
    source_set: SourceSetArg,
    free: Annotated[bool, typer.Option("--free", help="Only articles nobody has claimed.")] = False,
    language: Annotated[
        str | None, typer.Option("--language", "-l", metavar="LANG", help="nb or nn.")
    ] = None,
    check_overlap: Annotated[
        bool, typer.Option("--check-overlap", help="Run the overlap test on each.")
    ] = False,
) -> None:
    """The articles of a source set (ndt-raw: its files) with language and status."""
    from kilde.annotations.store import (
        annotation_path,
        list_source_ids,
        load_source,
        read_annotation,
        shared_root,
    )
    from kilde.annotations.validate import overlap_flagged

    try:
        ids = list_source_ids(source_set)
        shared = shared_root()
        for article_id in ids:
            if source_set == "ndt-raw":
                typer.echo(article_id)
                continue
            source = load_source(source_set, article_id)
            if language and source.language != language:
                continue
            path = annotation_path(source_set, article_id)
            status = read_annotation(path).status if path.exists() else "free"
            if free and status != "free":
                continue
            flag = ""
            if check_overlap and shared is not None:
                flag = "  OVERLAP" if overlap_flagged(source.text, shared) else "  ok"
            typer.echo(f"{article_id}\t{source.language}\t{status}{flag}")
    except KildeError as error:
        _fail(str(error))


@app.command("segments")
def segments_command(
    stem: Annotated[str, typer.Argument(metavar="FILE", help="An ndt-raw file name without .txt.")],
) -> None:
    """Propose article ranges in an ndt-raw file (check them by reading), with their overlap test."""
    from kilde.annotations.store import load_source, range_id, require_shared, segment_ranges, source_set
    from kilde.annotations.validate import overlap_counts

    try:
        shared = require_shared()
        path = shared / source_set("ndt-raw").location / f"{stem}.txt"
        text = path.read_bytes().decode("utf-8")
        for span in segment_ranges(text):
            article_id = range_id(stem, span)
            source = load_source("ndt-raw", article_id)
            held, dev = overlap_counts(source.text, shared)
            flag = "OVERLAP" if max(held, dev) >= 3 else "ok"
            first = source.text.split("\n", 1)[0][:60]
            typer.echo(f"{article_id}\t{span[1] - span[0]} chars\t{flag}\t{first}")
    except (KildeError, OSError) as error:
        _fail(str(error))


@app.command("export")
def export_command(
    out_dir: Annotated[Path, typer.Argument(metavar="DIR", help="Folder for the gold JSON files.")],
    paths: Annotated[
        list[Path] | None,
        typer.Option(
            "--path",
            "-p",
            metavar="PATH",
            help="Export these stand-off files or folders instead of the corpus.",
        ),
    ] = None,
    fold: Annotated[int | None, typer.Option("--fold", metavar="K", help="Only this fold (1..k).")] = None,
    not_fold: Annotated[
        int | None, typer.Option("--not-fold", metavar="K", help="Everything but this fold (training).")
    ] = None,
    language: Annotated[
        str | None, typer.Option("--language", "-l", metavar="LANG", help="nb or nn.")
    ] = None,
    set_name: Annotated[
        str | None, typer.Option("--source-set", "-s", metavar="SET", help="Only this source set.")
    ] = None,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace the .json files already in DIR.")
    ] = False,
) -> None:
    """Write gold files (annotation-guidelines.md format) that 'kilde eval DIR' scores."""
    from kilde.annotations.loader import ExportFilter, export
    from kilde.annotations.stats import read_folds
    from kilde.annotations.store import load_annotations

    try:
        annotations = load_annotations(paths or None)
        folds = read_folds() if (fold is not None or not_fold is not None) else None
        chosen = ExportFilter(fold, not_fold, language, set_name).select(annotations, folds)
        if not chosen:
            _fail("no annotated article matches")
        written = export(chosen, out_dir, overwrite=overwrite)
    except KildeError as error:
        _fail(str(error))
    quotes = sum(len(a.quotes) for a in chosen)
    typer.echo(f"wrote {len(written)} gold files ({quotes} attributions) to {out_dir}")


@app.command("validate")
def validate_command(
    paths: PathsArg = None,
    errors_only: Annotated[bool, typer.Option("--errors-only", help="Do not print warnings.")] = False,
) -> None:
    """Check stand-off files: offsets, sha256, labels, export, no dev or held-out texts, no duplicates."""
    from kilde.annotations.store import shared_root
    from kilde.annotations.validate import render, validate

    try:
        report = validate(paths or None)
    except KildeError as error:
        _fail(str(error))
    for line in render(report, show_warnings=not errors_only):
        typer.echo(line)
    if shared_root() is None:
        typer.echo(
            "the shared folder is absent: offsets, hashes and overlap were not checked against the texts"
        )
    if report.errors:
        raise typer.Exit(1)


@app.command("stats")
def stats_command(
    paths: PathsArg = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the counts as JSON.")] = False,
) -> None:
    """Corpus counts by language, source set, quote type and speaker kind; nesting and relayed sources."""
    from kilde.annotations.stats import corpus_stats, read_folds, render_stats
    from kilde.annotations.store import load_annotations

    try:
        annotations = load_annotations(paths or None, include_todo=True)
        stats = corpus_stats(annotations, None if paths else read_folds())
    except KildeError as error:
        _fail(str(error))
    if as_json:
        typer.echo(json.dumps(stats, ensure_ascii=False, indent=2))
    else:
        for line in render_stats(stats):
            typer.echo(line)


@app.command("folds")
def folds_command(
    update: Annotated[
        bool, typer.Option("--update", help="Give new articles a fold (existing ones never move).")
    ] = False,
    k: Annotated[
        int, typer.Option("--k", min=2, metavar="N", help="Number of folds (only when none are stored yet).")
    ] = 5,
) -> None:
    """Show, or with --update extend, the fixed folds in annotations/folds.json."""
    from kilde.annotations.stats import assign_folds, corpus_stats, folds_path, read_folds, write_folds
    from kilde.annotations.store import load_annotations

    try:
        annotations = load_annotations()
        stored = read_folds()
        if stored is not None:
            k = json.loads(folds_path().read_text(encoding="utf-8")).get("k", k)
        folds = stored or {}
        if update:
            folds = assign_folds(annotations, stored, k)
            write_folds(folds, k)
        stats = corpus_stats(annotations, folds)
    except KildeError as error:
        _fail(str(error))
    for name, v in stats.get("folds", {}).items():
        typer.echo(
            f"fold {name}: {v['articles']} articles ({v['nn_articles']} nn), {v['attributions']} attributions"
        )
    if stats.get("without_fold"):
        typer.echo(f"{stats['without_fold']} articles without a fold: run with --update")
    if update:
        typer.echo(f"wrote {folds_path()}")


@app.command("agree")
def agree_command(
    reference: Annotated[
        Path,
        typer.Argument(
            metavar="REFERENCE", help="Reference: gold files or stand-off files (file or folder)."
        ),
    ],
    other: Annotated[
        Path, typer.Argument(metavar="OTHER", help="The other annotation of the same texts (file or folder).")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the metrics as JSON.")] = False,
    errors: Annotated[
        Path | None, typer.Option("--errors", metavar="ERRORS.json", help="Write every disagreement here.")
    ] = None,
) -> None:
    """Score one annotation against another as 'kilde eval' scores kilde (articles paired by text)."""
    from kilde.annotations.agreement import agreement, render_field_agreement
    from kilde.evaluate import render_metrics

    try:
        metrics = agreement([reference], [other], collect_errors=errors is not None)
    except KildeError as error:
        _fail(str(error))
    if errors is not None:
        errors.write_text(
            json.dumps(metrics.pop("errors", []), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    if as_json:
        typer.echo(json.dumps(metrics, ensure_ascii=False, indent=2))
        return
    render_metrics(metrics)
    for line in render_field_agreement(metrics):
        typer.echo(line)
