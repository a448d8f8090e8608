"""Corpus counts and the fixed cross-validation folds.

Counts need no texts: they come from the stand-off files alone. Folds are by
article, stratified by (language, source set), and *stored* in
``annotations/folds.json`` so that they never move: ``assign_folds`` keeps every
existing assignment and puts each new article, in a fixed order (sha256 of its
key), into the fold that holds fewest articles of its stratum so far (ties: fewest
in all, then the lowest number). Folds are numbered from 1.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import Any

from kilde.annotations import QUOTE_TYPES, RELAYED_KINDS, SPEAKER_KINDS
from kilde.annotations.store import (
    FOLDS_FILE,
    Annotation,
    AnnotationError,
    annotations_root,
    load_annotations,
)

DEFAULT_FOLDS = 5
TARGETS = {"articles": 400, "attributions": 5000, "nynorsk_share": 0.40, "relayed": 700}
"""What issue 11 asks of the finished corpus."""


def _depth(annotation: Annotation, quote_id: str) -> int:
    by_id = {q.id: q for q in annotation.quotes}
    depth, current = 0, by_id[quote_id]
    while current.nested_in is not None and current.nested_in in by_id and depth < len(by_id):
        depth += 1
        current = by_id[current.nested_in]
    return depth


def corpus_stats(annotations: list[Annotation], folds: dict[str, int] | None = None) -> dict[str, Any]:
    """Every count, overall and by language and source set (``done`` articles only)."""
    done = [a for a in annotations if a.status == "done"]

    def block(items: list[Annotation]) -> dict[str, Any]:
        quotes = [q for a in items for q in a.quotes]
        types = Counter(q.type for q in quotes)
        kinds = Counter(q.speaker_kind for q in quotes)
        nested = [(a, q) for a in items for q in a.quotes if q.nested_in]
        return {
            "articles": len(items),
            "attributions": len(quotes),
            "types": {t: types.get(t, 0) for t in QUOTE_TYPES},
            "headings": sum(q.heading for q in quotes),
            "speaker_kinds": {k: kinds.get(k, 0) for k in SPEAKER_KINDS},
            "relayed": sum(q.speaker_kind in RELAYED_KINDS for q in quotes),
            "nested": len(nested),
            "nested_depth_2_plus": sum(_depth(a, q.id) >= 2 for a, q in nested),
            "articles_with_nesting": sum(any(q.nested_in for q in a.quotes) for a in items),
            "no_speaker": sum(q.speaker is None for q in quotes),
            "with_addressee": sum(q.addressee is not None for q in quotes),
            "multi_part": sum(len(q.content) > 1 for q in quotes),
            "hedges": sum(len(a.hedges) for a in items),
            "boilerplate_lines": sum(len(a.boilerplate) for a in items),
        }

    languages = sorted({a.language for a in done})
    sets = sorted({a.source_set for a in done})
    overall = block(done)
    nn = block([a for a in done if a.language == "nn"])
    result: dict[str, Any] = {
        "overall": overall,
        "by_language": {lang: block([a for a in done if a.language == lang]) for lang in languages},
        "by_source_set": {s: block([a for a in done if a.source_set == s]) for s in sets},
        "by_annotator": dict(sorted(Counter(a.annotator for a in done).items())),
        "todo": sum(a.status == "todo" for a in annotations),
        "nynorsk_share": {
            "articles": round(nn["articles"] / overall["articles"], 4) if overall["articles"] else None,
            "attributions": round(nn["attributions"] / overall["attributions"], 4)
            if overall["attributions"]
            else None,
        },
    }
    if folds is not None:
        per_fold: dict[int, list[Annotation]] = {}
        for a in done:
            if a.key in folds:
                per_fold.setdefault(folds[a.key], []).append(a)
        result["folds"] = {
            str(k): {
                "articles": len(v),
                "attributions": sum(len(a.quotes) for a in v),
                "nn_articles": sum(a.language == "nn" for a in v),
            }
            for k, v in sorted(per_fold.items())
        }
        result["without_fold"] = sum(a.key not in folds for a in done)
    share = result["nynorsk_share"]["attributions"] or 0.0
    result["targets"] = {
        "articles": [overall["articles"], TARGETS["articles"]],
        "attributions": [overall["attributions"], TARGETS["attributions"]],
        "nynorsk_share": [share, TARGETS["nynorsk_share"]],
        "relayed": [overall["relayed"], TARGETS["relayed"]],
    }
    return result


# ----------------------------------------------------------------------- folds


def folds_path(root: Path | None = None) -> Path:
    return (root or annotations_root()) / FOLDS_FILE


def read_folds(root: Path | None = None) -> dict[str, int] | None:
    path = folds_path(root)
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {str(k): int(v) for k, v in data["folds"].items()}
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise AnnotationError(f"cannot read {path}: {error}") from None


def folded_annotations(root: Path | None = None) -> list[tuple[Annotation, int]]:
    """Every finished annotation that has a fold, with its fold: what cross-validation reads."""
    folds = read_folds(root)
    if folds is None:
        raise AnnotationError(f"no {folds_path(root)}: run 'kilde annotations folds' first")
    return [(a, folds[a.key]) for a in load_annotations(root=root) if a.key in folds]


def _order(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def assign_folds(
    annotations: list[Annotation], existing: dict[str, int] | None = None, k: int = DEFAULT_FOLDS
) -> dict[str, int]:
    """Keep ``existing``; give every other ``done`` article a fold (see the module doc)."""
    folds = dict(existing or {})
    if any(not 1 <= v <= k for v in folds.values()):
        raise AnnotationError(f"the stored folds go beyond 1..{k}")
    stratum = {a.key: (a.language, a.source_set) for a in annotations if a.status == "done"}
    counts: Counter[tuple[tuple[str, str], int]] = Counter()
    totals: Counter[int] = Counter()
    for key, fold in folds.items():
        if key in stratum:
            counts[(stratum[key], fold)] += 1
        totals[fold] += 1
    for key in sorted((key for key in stratum if key not in folds), key=_order):
        fold = min(range(1, k + 1), key=lambda f, s=stratum[key]: (counts[(s, f)], totals[f], f))
        folds[key] = fold
        counts[(stratum[key], fold)] += 1
        totals[fold] += 1
    return folds


def write_folds(folds: dict[str, int], k: int = DEFAULT_FOLDS, root: Path | None = None) -> Path:
    path = folds_path(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "k": k,
        "stratified_by": ["language", "source_set"],
        "note": "Fixed folds by article (numbered from 1); 'kilde annotations folds --update' "
        "adds new articles and never moves one.",
        "folds": dict(sorted(folds.items())),
    }
    body = json.dumps(data, ensure_ascii=False, indent=1)
    path.write_text(body + "\n", encoding="utf-8")
    return path


# ----------------------------------------------------------------------- render


def render_stats(stats: dict[str, Any]) -> list[str]:
    """Plain-text tables of the counts."""
    cols = [
        "articles",
        "attributions",
        "direct",
        "indirect",
        "mixed",
        "headings",
        "relayed",
        "nested",
        "hedges",
        "boilerplate",
    ]

    def row(name: str, b: dict[str, Any]) -> str:
        values = [
            b["articles"],
            b["attributions"],
            *(b["types"][t] for t in QUOTE_TYPES),
            b["headings"],
            b["relayed"],
            b["nested"],
            b["hedges"],
            b["boilerplate_lines"],
        ]
        return f"{name:<22}" + "".join(f"{v:>13}" for v in values)

    out = [f"{'':<22}" + "".join(f"{c:>13}" for c in cols), row("all", stats["overall"])]
    for name, b in stats["by_language"].items():
        out.append(row(f"language {name}", b))
    for name, b in stats["by_source_set"].items():
        out.append(row(f"set {name}", b))
    out.append("")
    kinds = stats["overall"]["speaker_kinds"]
    out.append("speaker kinds: " + ", ".join(f"{k} {v}" for k, v in kinds.items()))
    o = stats["overall"]
    out.append(
        f"nesting: {o['nested']} nested quotes ({o['nested_depth_2_plus']} two or more levels deep) "
        f"in {o['articles_with_nesting']} articles; relayed (media/document speakers): {o['relayed']}"
    )
    out.append(
        f"no speaker: {o['no_speaker']}, with addressee: {o['with_addressee']}, "
        f"interrupted (several parts): {o['multi_part']}"
    )
    share = stats["nynorsk_share"]
    out.append(f"Nynorsk share: articles {share['articles']}, attributions {share['attributions']}")
    if stats.get("by_annotator"):
        out.append("annotators: " + ", ".join(f"{k} {v}" for k, v in stats["by_annotator"].items()))
    if stats.get("todo"):
        out.append(f"claimed, not yet annotated: {stats['todo']}")
    if "folds" in stats:
        out.append(
            "folds: "
            + ", ".join(
                f"{k}: {v['articles']} art./{v['attributions']} attr." for k, v in stats["folds"].items()
            )
            + (f"; without a fold: {stats['without_fold']}" if stats["without_fold"] else "")
        )
    t = stats["targets"]
    out.append(
        "targets (issue 11): "
        + ", ".join(
            f"{name} {have}/{want}" + (" ok" if have >= want else "") for name, (have, want) in t.items()
        )
    )
    return out
