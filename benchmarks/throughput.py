"""Corpus throughput: articles/s and words/s on one core, kilde vs the spaCy model alone,
1 vs 2 worker processes, and peak memory per worker.

    python benchmarks/throughput.py [--articles 2000] [--single 400] [--repeat 3]
                                    [--workers 1 2] [--write docs/performance.md]

The corpus is generated (``kilde.corpus.sample``: the bundled example articles plus
made-up stories), so the figures can be reproduced anywhere. One-core figures are CPU
time of this process (``time.process_time``, best of ``--repeat``), which other load on
the machine disturbs less than wall time; worker runs are wall time of a whole
``kilde batch``-equivalent run (shards, tables and all), with the start-up (spawning
workers, loading pipelines) reported apart. Worker runs need the cores to themselves:
on a shared Linux machine, other sessions' jobs take a fair share even when niced
(scheduler autogroups), so run it as ``setsid bash -c 'echo -10 > /proc/$$/autogroup;
exec python benchmarks/throughput.py'`` (root) or on an idle machine. ``--write`` replaces the "Corpus
throughput" section of the Markdown file and keeps every other section.
"""

from __future__ import annotations

import os

# One thread per process for numeric libraries (a trained model's matrix products): the
# comparison is per core. Set before spaCy (numpy, thinc) is imported.
for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import argparse  # noqa: E402
import cProfile  # noqa: E402
import datetime as dt  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import pstats  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections import defaultdict  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import spacy  # noqa: E402
from spacy.language import Language  # noqa: E402

from kilde.corpus import RunOptions, run_corpus  # noqa: E402
from kilde.corpus.sample import sample_records, write_jsonl  # noqa: E402
from kilde.corpus.tables import article_rows  # noqa: E402
from kilde.corpus.work import analyse_record  # noqa: E402
from kilde.io.records import CorpusRecord  # noqa: E402
from kilde.pipeline import MODELS_DIR, build_pipeline, load, load_model  # noqa: E402
from kilde.schema import doc_to_kilde  # noqa: E402

HEADING = "## Corpus throughput"

STAGE_NOTES = """\
Without a trained model, "the model alone" is spaCy's tokenizer plus a sentencizer, a fraction
of a millisecond per article, so any rule stage written in Python outweighs it many times over;
against a trained model they add about a third to a half again. Where the stages' time goes, and
what would cut it (these modules belong to the stages, not to the corpus runner):

- spaCy's `Matcher` (`transition_states`, `update_predicate_cache`, `find_matches`) tries every
  pattern at every token: the cue matcher (`cues.py`, used by `kilde_quotes` and
  `kilde_attribution`) and the hedge matcher (`hedges.py`) hold one pattern per word of the
  language files. One-word cues and hedges could become a set lookup on `token.lower_` (or one
  `{"LOWER": {"IN": [...]}}` pattern per label), leaving the `Matcher` the multi-word patterns.
- `coref.py` `_role_of` tests every title as a suffix of each word with `str.endswith`
  (the `endswith` row); a precompiled suffix regex or a cache per word form would remove it.
- Token objects made by iterating the `Doc` (`Doc.__iter__`, `token.pxd cinit`), mostly in
  `hedges._skal_markers` and `segmentation.sentence_starts`: reading the needed attributes once
  as arrays (`doc.to_array`) avoids creating a Python object per token per pass.
- The corpus runner's own share (the JSON line and the table rows) is the
  "JSON line + table rows" row above.
"""

WORKER_NOTES = """\
Start-up is the time until the first chunk came back: spawning the workers, importing spaCy and
building the pipeline (once per worker process). "After start-up" leaves it out; "overall" does
not. The in-process run is `--workers 1`, which analyses in the driver itself. Peak RSS is each
worker's own peak (`VmHWM`); `getrusage`'s `ru_maxrss`, which the workers also report, counts the
pages a spawned worker shared with its parent between fork and exec, so it reads at least the
size of the benchmark process that started it. spaCy's vocabulary grows with every new word form
(about 400 bytes each); a worker rebuilds its pipeline past 500,000 strings
(`kilde.corpus.work.VOCAB_LIMIT`), which keeps it far below 1 GB over millions of articles.
"""
TARGET_OVERHEAD = 0.25
TARGET_SPEEDUP = 1.7
TARGET_RSS_MB = 1024


def pipelines(language: str, model: Path | None) -> tuple[Language, Language, str]:
    """The spaCy model alone and the same model with every kilde stage, and what the model is.

    Without ``model``: the trained model packaged in src/kilde/models when there is one, else
    spaCy's tokenizer with kilde's sentencizer (what ``kilde.load`` builds on).
    """
    trained = load_model(language, model)
    if trained is not None:
        path = model or MODELS_DIR / language
        return trained, build_pipeline(language, model=model), f"trained model `{path}`"
    base = spacy.blank(language)
    base.add_pipe("kilde_sentencizer")
    return (
        base,
        build_pipeline(language),
        "tokenizer + kilde_sentencizer (no trained model in src/kilde/models)",
    )


def best_cpu_time(work: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        work()
        best = min(best, time.process_time() - started)
    return best


def analyse(nlp: Language, text: str, language: str) -> dict[str, Any]:
    """What ``kilde.analyze`` does once the language is known: the pipeline, then the kilde/1 object."""
    doc = nlp(text)
    doc._.kilde_language = language
    return doc_to_kilde(doc, "x")


def one_core(records: list[dict[str, Any]], repeat: int, model: Path | None = None) -> dict[str, Any]:
    """CPU seconds of the model alone, of the model with kilde's stages, and of a worker's whole job.

    With ``model`` (a trained Bokmål model folder) only the Bokmål articles are used.
    """
    if model is not None:
        records = [record for record in records if record["language"] == "nb"]
    languages = sorted({record["language"] for record in records})
    built = {language: pipelines(language, model) for language in languages}
    texts = [(record["text"], record["language"]) for record in records]
    for language, (base, full, _) in built.items():  # warm up before timing
        base(texts[0][0])
        analyse(full, texts[0][0], language)
    timings = {
        "model": best_cpu_time(lambda: [built[lang][0](text) for text, lang in texts], repeat),
        "kilde": best_cpu_time(lambda: [analyse(built[lang][1], text, lang) for text, lang in texts], repeat),
    }
    if model is None:  # the corpus runs' own per-record work (reading, JSON line, table rows) on top
        corpus_records = [
            CorpusRecord(id=r["id"], text=r["text"], language=r["language"], metadata={"outlet": r["outlet"]})
            for r in records
        ]
        analyse_record(corpus_records[0])
        timings["record"] = best_cpu_time(
            lambda: [analyse_record(record) for record in corpus_records], repeat
        )
    return {
        "timings": timings,
        "base": "; ".join(f"{language}: {built[language][2]}" for language in languages),
        "stages": stage_times(texts, {language: built[language][1] for language in languages}, repeat),
        "articles": len(texts),
        "words": sum(len(text.split()) for text, _ in texts),
    }


def stage_times(texts: list[tuple[str, str]], full: dict[str, Language], repeat: int) -> dict[str, float]:
    """CPU seconds per pipeline component, for the kilde/1 object, its JSON line and its table rows."""
    best: dict[str, float] = defaultdict(lambda: float("inf"))
    for _ in range(repeat):
        spent: dict[str, float] = defaultdict(float)
        for text, language in texts:
            nlp = full[language]
            started = time.process_time()
            doc = nlp.make_doc(text)
            spent["tokenizer"] += time.process_time() - started
            for name, component in nlp.pipeline:
                started = time.process_time()
                doc = component(doc)
                spent[name] += time.process_time() - started
            doc._.kilde_language = language
            started = time.process_time()
            result = doc_to_kilde(doc, "x")
            spent["kilde/1 object (output.py)"] += time.process_time() - started
            started = time.process_time()
            json.dumps(result, ensure_ascii=False)
            article_rows({**result, "id": "x"})
            spent["JSON line + table rows (corpus)"] += time.process_time() - started
        for name, seconds in spent.items():
            best[name] = min(best[name], seconds)
    return dict(best)


def hotspots(records: list[dict[str, Any]], top: int = 12) -> list[tuple[str, float]]:
    """The functions with the most own time inside kilde's stages (cProfile), as shares of the total."""
    docs = [(load(record["language"]).make_doc(record["text"]), record["language"]) for record in records]
    profile = cProfile.Profile()
    profile.enable()
    for doc, language in docs:
        for _name, component in load(language).pipeline:
            doc = component(doc)
    profile.disable()
    stats = pstats.Stats(profile)
    total = sum(entry[2] for entry in stats.stats.values())  # type: ignore[attr-defined]
    rows = []
    for (filename, line, function), entry in stats.stats.items():  # type: ignore[attr-defined]
        where = re.sub(r".*/(site-packages|src)/", "", filename)
        rows.append((f"`{where}:{line} {function}`", entry[2] / total))
    return sorted(rows, key=lambda row: -row[1])[:top]


def worker_runs(path: Path, counts: list[int], articles: int, words: int) -> list[dict[str, Any]]:
    """Whole corpus runs (shards, tables) with 1..n worker processes, and one in this process."""
    runs = []
    for label, workers, pool in [("in-process (no pool)", 1, False)] + [
        (f"{count} worker process{'es' if count > 1 else ''}", count, True) for count in counts
    ]:
        with tempfile.TemporaryDirectory(prefix="kilde-bench-") as folder:
            options = RunOptions(workers=workers, pool_for_one=pool, progress=False)
            started = time.perf_counter()
            summary = run_corpus([path], Path(folder) / "out", options)
            wall = time.perf_counter() - started
        assert summary.ok == articles, summary
        startup = summary.first_result_seconds or 0.0
        steady = wall - startup
        runs.append(
            {
                "label": label,
                "workers": workers,
                "wall": wall,
                "startup": startup,
                # The first chunk is what start-up produced; the rest ran at full speed.
                "rate": (articles - 32 * workers) / steady if steady > 0 else 0.0,
                "words_rate": words / wall,
                "peak_mb": max(summary.worker_peak_rss_mb.values()),
                "rusage_mb": max(summary.worker_getrusage_mb.values(), default=0.0),
                "end_rate": articles / wall,
            }
        )
    return runs


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def one_core_section(single: dict[str, Any], title: str, repeat: int) -> list[str]:
    n, words = single["articles"], single["words"]
    timings = single["timings"]
    overhead = timings["kilde"] / timings["model"] - 1
    lines = [
        f"### {title} (CPU time, best of {repeat}, {n} articles, {words:,} words)",
        "",
        f"Model alone: {single['base']}.",
        "",
        "| pipeline | articles/s | words/s | ms/article |",
        "|---|---:|---:|---:|",
    ]
    names = {
        "model": "spaCy model alone",
        "kilde": "model + kilde stages + kilde/1 object (`kilde.analyze`)",
        "record": "corpus work per record (analyze + JSON line + table rows)",
    }
    for key, label in names.items():
        if key in timings:
            seconds = timings[key]
            lines.append(
                f"| {label} | {n / seconds:,.1f} | {words / seconds:,.0f} | {seconds / n * 1000:.2f} |"
            )
    verdict = "meets" if overhead <= TARGET_OVERHEAD else "misses"
    lines += [
        "",
        f"kilde's own stages add **{overhead:.0%}** to the time of the model alone; this {verdict} the"
        f" target of at most {TARGET_OVERHEAD:.0%}. Where the time goes:",
        "",
        "| stage | ms/article | share |",
        "|---|---:|---:|",
    ]
    total = sum(single["stages"].values())
    for name, seconds in sorted(single["stages"].items(), key=lambda item: -item[1]):
        lines.append(f"| {name} | {seconds / n * 1000:.2f} | {seconds / total:.0%} |")
    return [*lines, ""]


def targets(singles: list[tuple[str, dict[str, Any]]], runs: list[dict[str, Any]]) -> list[str]:
    """The three targets, measured, at the top of the section."""
    overheads = [
        (title, single["timings"]["kilde"] / single["timings"]["model"] - 1) for title, single in singles
    ]
    one = next(run for run in runs if run["label"].startswith("1 worker"))
    two = next((run for run in runs if run["label"].startswith("2 worker")), None)
    pool_peak = max(run["peak_mb"] for run in runs if "worker" in run["label"])
    lines = [
        "| target | measured | |",
        "|---|---|---|",
        "| kilde's stages add ≤ 25 % to the model alone | "
        + "; ".join(
            f"{value:.0%} ({single['short']})"
            for (_, value), (_, single) in zip(overheads, singles, strict=True)
        )
        + f" | {'met' if all(v <= TARGET_OVERHEAD for _, v in overheads) else 'missed'} |",
    ]
    if two is not None:
        speedup = two["rate"] / one["rate"]
        verdict = "met" if speedup >= TARGET_SPEEDUP else "missed"
        lines.append(
            f"| 2 workers ≥ {TARGET_SPEEDUP}× one worker (2 cores) | {speedup:.2f}× after start-up,"
            f" {two['end_rate'] / one['end_rate']:.2f}× overall | {verdict} |"
        )
    lines.append(
        f"| peak memory ≤ 1 GB per worker | {pool_peak:.0f} MB |"
        f" {'met' if pool_peak <= TARGET_RSS_MB else 'missed'} |"
    )
    return [*lines, ""]


def render(
    singles: list[tuple[str, dict[str, Any]]], runs: list[dict[str, Any]], info: dict[str, Any]
) -> str:
    lines = [
        HEADING,
        "",
        f"`python benchmarks/throughput.py {info['argv']}` on {info['date']}: {info['cpu']},"
        f" {info['cores']} cores, Python {platform.python_version()}, spaCy {spacy.__version__};"
        f" load average {info['load_before']} before and {info['load_after']} after (other jobs shared"
        f" the machine{info['priority']}). The corpus comes from `kilde.corpus.sample` (the bundled"
        " example articles plus made-up stories, 80 % Bokmål):"
        f" {info['articles']} articles, {info['words']:,} words"
        f" ({info['words'] / info['articles']:.0f} per article).",
        "",
        *targets(singles, runs),
    ]
    for title, single in singles:
        lines += one_core_section(single, title, info["repeat"])
    lines += [
        "Hot spots inside kilde's stages (cProfile, own time, default pipeline):",
        "",
        "| function | share |",
        "|---|---:|",
        *(f"| {name} | {share:.0%} |" for name, share in info["hotspots"]),
        "",
        STAGE_NOTES,
    ]
    base = next(run for run in runs if run["label"].startswith("1 worker"))
    lines += [
        "",
        f"### Workers (wall time of whole runs: {info['articles']} articles into shards and tables)",
        "",
        "| run | wall s | start-up s | articles/s after start-up | articles/s overall | words/s overall"
        " | speed-up | peak RSS per worker (VmHWM) | getrusage ru_maxrss |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for run in runs:
        lines.append(
            f"| {run['label']} | {run['wall']:.1f} | {run['startup']:.1f} | {run['rate']:,.1f} |"
            f" {run['end_rate']:,.1f} | {run['words_rate']:,.0f} | {run['rate'] / base['rate']:.2f}× |"
            f" {run['peak_mb']:.0f} MB | {run['rusage_mb']:.0f} MB |"
        )
    two = next((run for run in runs if run["workers"] == 2 and run["label"].startswith("2 worker")), None)
    if two is not None:
        peak = max(run["peak_mb"] for run in runs if "worker" in run["label"])
        lines += [
            "",
            f"2 workers: {two['rate'] / base['rate']:.2f}× one worker after start-up (target ≥"
            f" {TARGET_SPEEDUP}×); peak memory {peak:.0f} MB per worker (limit {TARGET_RSS_MB} MB).",
            "",
            WORKER_NOTES,
        ]
    return "\n".join(lines) + "\n"


def write_section(path: Path, section: str) -> None:
    """Replace (or add) the "Corpus throughput" section; every other section stays as it is."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n"
    pattern = re.compile(rf"^{re.escape(HEADING)}\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


def priority_note() -> str:
    """How this run was prioritised against other sessions, when it was (Linux autogroups)."""
    try:
        nice = int(Path("/proc/self/autogroup").read_text().split("nice")[1])
    except (OSError, ValueError, IndexError):
        return ""
    if nice == 0:
        return ""
    # With autogroups, a background job started at nice 10 in another session still takes a
    # fair share of the cores; the benchmark's group was given priority so that it yields.
    return f"; the benchmark's scheduler autogroup ran at nice {nice}, so that background jobs yielded"


def load_average() -> str:
    try:
        return " ".join(f"{value:.1f}" for value in os.getloadavg())
    except OSError:
        return "?"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=2000, help="articles for the worker runs")
    parser.add_argument("--single", type=int, default=400, help="articles for the one-core figures")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--model", type=Path, help="also compare on this trained Bokmål model (one core)")
    parser.add_argument("--write", type=Path, help="Markdown file to put the section in")
    args = parser.parse_args(argv)

    load_before = load_average()
    single_records = list(sample_records(args.single, seed=1))
    default = one_core(single_records, args.repeat)
    default["short"] = "default pipeline" if "trained" in default["base"] else "tokenizer + sentencizer"
    singles = [("One core, default pipeline", default)]
    if args.model is not None:
        trained = one_core(single_records, args.repeat, args.model)
        trained["short"] = f"trained model {args.model}, Bokmål"
        singles.append((f"One core on a trained model (Bokmål articles only: `{args.model}`)", trained))
    info: dict[str, Any] = {
        "argv": " ".join(sys.argv[1:] if argv is None else argv),
        "articles": args.articles,
        "repeat": args.repeat,
        "hotspots": hotspots(single_records),
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "date": dt.date.today().isoformat(),
        "load_before": load_before,
        "priority": priority_note(),
    }
    with tempfile.TemporaryDirectory(prefix="kilde-corpus-") as folder:
        path = Path(folder) / "corpus.jsonl"
        info["words"] = write_jsonl(path, args.articles, seed=2)
        runs = worker_runs(path, args.workers, args.articles, info["words"])
    info["load_after"] = load_average()
    section = render(singles, runs, info)
    print(section)
    if args.write:
        write_section(args.write, section)
        print(f"wrote the section to {args.write}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
