"""The stand-off corpus tools (kilde.annotations), on a made-up shared folder.

Every text here is invented for the tests. The shared root and the annotations
root are pointed at temporary folders, so nothing depends on ../shared; the last
test checks the real corpus when ../shared is present and skips otherwise.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kilde.annotations import store
from kilde.annotations.agreement import agreement
from kilde.annotations.draft import DraftError, resolve_draft, to_draft
from kilde.annotations.loader import ExportFilter, export, gold_record, load_gold_records
from kilde.annotations.stats import assign_folds, corpus_stats, folded_annotations, read_folds, write_folds
from kilde.annotations.store import (
    Annotation,
    AnnotationError,
    Quote,
    annotation_path,
    load_source,
    read_annotation,
    segment_ranges,
    skeleton,
    write_annotation,
)
from kilde.annotations.validate import validate
from kilde.cli import app
from kilde.evaluate import evaluate_directory

runner = CliRunner()

NB_TEXT = (
    "Brann i fjøs på Hedmarken\n"
    "Hopp til innhold\n"
    "Et fjøs brant ned natt til søndag. Ingen dyr omkom, opplyser politiet til Bygdeposten.\n"
    "– Vi fikk ut alle kuene i tide, sier bonde Kari Nordmo.\n"
    "Ifølge politiet startet brannen trolig i et elektrisk anlegg.\n"
    "«Det var et lite mirakel», sier hun, «at ingen ble skadet.»\n"
    "Nabo Per Li sier at han så røyken fra kjøkkenet, skriver avisa Glåmdalen.\n"
    "Foto: Ola Hansen\n"
)
NN_TEXT = (
    "Ny bru over elva\n"
    "Kommunen vil byggje ny bru i år, seier ordførar Liv Dale.\n"
    "– Vi har venta lenge, seier ho.\n"
    "Brua skal ha kosta fem millionar, meiner Dale.\n"
)
NARC_TEXT = "Regjeringen vil kutte skatten |\nFinansministeren sier at kuttet er nødvendig .\n"
NDT_TEXT = (
    "Første sak\n\nIngressen til første sak.\n\n\n\n\nBrødteksten der noen sier noe.\n"
    "Andre sak\n\nIngressen til andre sak.\n\n\n\n\nMer brødtekst her.\n"
)
# Two sentences in the treebank's 10-column format (only the word forms are read).
CONLL_TEXT = "".join(
    f"{n}\t{word}\t_\t_\t_\t_\t0\t_\t_\tname=O\n" if word else "\n"
    for n, word in enumerate(
        ["Nemnda", "skriv", "at", "vegen", "må", "utbetrast", ".", "", "Det", "seier", "ho", ".", ""]
    )
)


@pytest.fixture
def shared(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A made-up shared folder with every source set, and an empty annotations folder."""
    root = tmp_path / "shared"
    web = root / "data" / "web-news"
    web.mkdir(parents=True)
    records = [
        {
            "id": "avis-2024-brann",
            "language": "nb",
            "outlet": "Bygdeposten",
            "published": "2024-05",
            "text": NB_TEXT,
        },
        {
            "id": "avis-2024-bru",
            "language": "nn",
            "outlet": "Fjordposten",
            "published": None,
            "text": NN_TEXT,
        },
    ]
    (web / "articles.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    for folder in ("annotation_bokmaal", "annotation_nynorsk"):
        (root / "data" / "narc" / folder).mkdir(parents=True)
    (root / "data" / "narc" / "annotation_bokmaal" / "avis_01.txt").write_text(NARC_TEXT, encoding="utf-8")
    (root / "data" / "ndt-raw").mkdir(parents=True)
    (root / "data" / "ndt-raw" / "avis_001.txt").write_text(NDT_TEXT, encoding="utf-8")
    (root / "data" / "norne" / "ndt" / "nno").mkdir(parents=True)
    (root / "data" / "norne" / "ndt" / "nno" / "melding_0000.conll").write_text(CONLL_TEXT, encoding="utf-8")
    dev = root / "eval" / "dev"
    dev.mkdir(parents=True)
    dev_text = "Ordføreren sier at budsjettet er stramt i år og at skolene må spare mer enn før."
    (dev / "dev_01.json").write_text(
        json.dumps({"id": "dev_01", "language": "nb", "text": dev_text, "quotes": []}, ensure_ascii=False),
        encoding="utf-8",
    )
    (root / "eval" / "heldout-shingles.txt").write_text("", encoding="utf-8")
    monkeypatch.setenv(store.SHARED_ENV, str(root))
    monkeypatch.setenv(store.ANNOTATIONS_ENV, str(tmp_path / "annotations"))
    monkeypatch.delenv("KILDE_ANNOTATOR", raising=False)
    return root


NB_DRAFT = {
    "quotes": [
        {
            "line": 3,
            "type": "indirect",
            "content": "Ingen dyr omkom",
            "cue": "opplyser",
            "speaker_mention": "politiet",
            "speaker": "politiet",
            "speaker_kind": "organization",
            "addressee": "Bygdeposten",
        },
        {
            "line": 4,
            "type": "direct",
            "content": "Vi fikk ut alle kuene i tide",
            "cue": "sier",
            "speaker_mention": "bonde Kari Nordmo",
            "speaker": "Kari Nordmo",
            "speaker_aliases": ["Nordmo"],
            "speaker_kind": "person",
        },
        {
            "line": 5,
            "type": "indirect",
            "content": "startet brannen trolig i et elektrisk anlegg",
            "cue": "Ifølge",
            "speaker_mention": {"text": "politiet", "line": 5},
            "speaker": "politiet",
            "speaker_kind": "organization",
        },
        {
            "type": "direct",
            "content": ["Det var et lite mirakel", "at ingen ble skadet."],
            "cue": "sier",
            "speaker_mention": {"text": "hun", "in": "sier hun"},
            "speaker": "Kari Nordmo",
            "speaker_kind": "person",
        },
        {
            "type": "indirect",
            "content": "Nabo Per Li sier at han så røyken fra kjøkkenet",
            "cue": "skriver",
            "speaker_mention": "avisa Glåmdalen",
            "speaker": "Glåmdalen",
            "speaker_kind": "media",
        },
        {
            "type": "indirect",
            "content": "han så røyken fra kjøkkenet",
            "cue": {"text": "sier", "line": 7},
            "speaker_mention": "Nabo Per Li",
            "speaker": "Per Li",
            "speaker_kind": "person",
            "nested_in": 5,
        },
    ],
    "hedges": [{"text": "trolig"}],
    "boilerplate": ["Hopp til innhold", {"line": 8}],
}


def annotate(set_name: str, article_id: str, draft: dict, annotator: str = "tester") -> Annotation:
    source = load_source(set_name, article_id)
    resolved = resolve_draft(source.text, draft)
    annotation = skeleton(source, annotator)
    annotation.quotes, annotation.hedges, annotation.boilerplate = (
        resolved.quotes,
        resolved.hedges,
        resolved.boilerplate,
    )
    annotation.status = "done"
    write_annotation(annotation, annotation_path(set_name, article_id))
    return annotation


# ------------------------------------------------------------------- sources


def test_sources_of_every_set(shared: Path) -> None:
    web = load_source("web-news", "avis-2024-bru")
    assert web.text == NN_TEXT and web.language == "nn" and web.outlet == "Fjordposten"
    narc = load_source("narc-nb", "avis_01")
    assert narc.text == NARC_TEXT and narc.language == "nb" and narc.range is None
    spans = segment_ranges(NDT_TEXT)
    assert [NDT_TEXT[s:e].split("\n")[0] for s, e in spans] == ["Første sak", "Andre sak"]
    ndt = load_source("ndt-raw", store.range_id("avis_001", spans[1]))
    assert ndt.text.startswith("Andre sak") and ndt.text.endswith("brødtekst her.") and ndt.range == spans[1]
    assert load_source("dev", "dev_01").text.startswith("Ordføreren")
    treebank = load_source("ndt-nn", "melding_0000")
    assert treebank.text == "Nemnda skriv at vegen må utbetrast .\nDet seier ho .\n"
    assert treebank.language == "nn" and store.list_source_ids("ndt-nn") == ["melding_0000"]
    with pytest.raises(AnnotationError):
        load_source("ndt-raw", "avis_001")  # a multi-article file needs a range
    with pytest.raises(AnnotationError):
        load_source("web-news", "finnes-ikke")
    with pytest.raises(AnnotationError):
        load_source("aviser", "x")


def test_missing_shared_folder_is_one_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(store.SHARED_ENV, str(tmp_path / "nowhere"))
    monkeypatch.setenv(store.ANNOTATIONS_ENV, str(tmp_path / "annotations"))
    with pytest.raises(store.SharedMissing):
        load_source("web-news", "x")
    result = runner.invoke(app, ["annotations", "new", "web-news", "x", "-a", "t"])
    assert result.exit_code == 1 and "shared data folder is absent" in result.output
    result = runner.invoke(app, ["annotations", "stats"])
    assert result.exit_code == 0 and "articles" in result.output


# --------------------------------------------------------------------- drafts


def test_draft_resolves_strings_to_exact_offsets(shared: Path) -> None:
    resolved = resolve_draft(NB_TEXT, NB_DRAFT)
    q = resolved.quotes
    assert [x.id for x in q] == ["q1", "q2", "q3", "q4", "q5", "q6"]
    assert NB_TEXT[slice(*q[1].content[0])] == "Vi fikk ut alle kuene i tide"
    assert NB_TEXT[slice(*q[1].cue)] == "sier" and q[1].cue[0] > q[1].content[0][1]  # the cue of line 4
    assert NB_TEXT[slice(*q[2].speaker_mention)] == "politiet" and q[2].speaker_mention[0] > q[1].cue[0]
    assert [NB_TEXT[s:e] for s, e in q[3].content] == ["Det var et lite mirakel", "at ingen ble skadet."]
    assert NB_TEXT[slice(*q[3].speaker_mention)] == "hun"
    assert q[5].nested_in == "q5" and NB_TEXT[slice(*q[5].cue)] == "sier"
    assert [NB_TEXT[s:e] for s, e in resolved.hedges] == ["trolig"]
    assert [NB_TEXT[s:e] for s, e in resolved.boilerplate] == ["Hopp til innhold", "Foto: Ola Hansen"]
    assert any("q2" in note for note in resolved.notes)


def test_draft_gap_and_pins(shared: Path) -> None:
    draft = {
        "quotes": [
            {
                "type": "direct",
                "content": "Vi fikk [...] i tide",
                "cue": "sier",
                "speaker_mention": None,
                "speaker": None,
                "speaker_kind": "unknown",
            }
        ]
    }
    (quote,) = resolve_draft(NB_TEXT, draft).quotes
    assert NB_TEXT[slice(*quote.content[0])] == "Vi fikk ut alle kuene i tide"
    start = NB_TEXT.index("kuene")
    pinned = {"text": "kuene", "start": start}
    draft["quotes"][0]["content"] = pinned
    assert resolve_draft(NB_TEXT, draft).quotes[0].content == [(start, start + 5)]
    draft["quotes"][0]["content"] = [start, start + 5]
    assert resolve_draft(NB_TEXT, draft).quotes[0].content == [(start, start + 5)]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"content": "sier"}, "occurs"),  # ambiguous content is refused, never guessed
        ({"content": "Vi fikk ut alle kyrne"}, "not in the text"),
        ({"content": "Vi fikk ut", "line": 2}, "not in the text in line 2"),
        ({"type": "sitat"}, "type"),
        ({"speaker_kind": "folk"}, "speaker_kind"),
        ({"speaker": None}, "needs a canonical speaker"),
        ({"content": "«Det var et lite mirakel"}, "quote marks"),
        ({"nested_in": 1}, "nested_in"),
        ({"speaker_mentions": "x"}, "unknown key"),
        ({"content": {"text": "kuene", "start": 3}}, "not at offset 3"),
    ],
)
def test_draft_errors_say_what_to_fix(change: dict, message: str) -> None:
    quote = {
        "type": "direct",
        "content": "Vi fikk ut alle kuene i tide",
        "cue": "sier",
        "speaker_mention": "bonde Kari Nordmo",
        "speaker": "Kari Nordmo",
        "speaker_kind": "person",
    }
    quote.update(change)
    with pytest.raises(DraftError, match=message):
        resolve_draft(NB_TEXT, {"quotes": [quote]})


def test_missing_required_key_and_ambiguous_hedge() -> None:
    with pytest.raises(DraftError, match="missing cue"):
        resolve_draft(
            NB_TEXT,
            {
                "quotes": [
                    {
                        "type": "direct",
                        "content": "Vi fikk ut",
                        "speaker": None,
                        "speaker_mention": None,
                        "speaker_kind": "unknown",
                    }
                ]
            },
        )
    with pytest.raises(DraftError, match="occurs 3 times"):
        resolve_draft(NB_TEXT, {"hedges": ["sier"]})
    cycle = {
        "quotes": [
            {
                "type": "indirect",
                "content": "Ingen dyr omkom",
                "cue": None,
                "speaker_mention": None,
                "speaker": None,
                "speaker_kind": "unknown",
                "nested_in": 2,
            },
            {
                "type": "direct",
                "content": "Vi fikk ut",
                "cue": None,
                "speaker_mention": None,
                "speaker": None,
                "speaker_kind": "unknown",
                "nested_in": 1,
            },
        ]
    }
    with pytest.raises(DraftError, match="cycle"):
        resolve_draft(NB_TEXT, cycle)


COMPACT = """
// the same annotation as NB_DRAFT, as compact rows
S p Kari Nordmo;Nordmo
S o politiet
i 3 | Ingen dyr omkom | opplyser | politiet | politiet | to=Bygdeposten
d 4 | Vi fikk ut alle kuene i tide | sier | bonde Kari Nordmo | Nordmo
i 5 | startet brannen trolig i et elektrisk anlegg | Ifølge | politiet@5 | politiet
d 6 | Det var et lite mirakel || at ingen ble skadet. | sier | hun<<sier hun | Kari Nordmo/p
i 7 | Nabo Per Li sier at han så røyken fra kjøkkenet | skriver | avisa Glåmdalen | Glåmdalen/m
i 7 | han så røyken fra kjøkkenet | sier@7 | Nabo Per Li | Per Li/p | n=-1
h 5 | trolig
b 2
b 8
"""


def test_compact_rows_give_the_same_annotation() -> None:
    from kilde.annotations.draft import parse_compact

    compact = resolve_draft(NB_TEXT, parse_compact(COMPACT))
    full = resolve_draft(NB_TEXT, NB_DRAFT)
    assert [q.to_json() for q in compact.quotes] == [q.to_json() for q in full.quotes]
    assert compact.hedges == full.hedges and compact.boilerplate == full.boilerplate
    with pytest.raises(DraftError, match="row 2"):
        parse_compact("S p Kari\nd 4 | Vi fikk | sier | x | Ola Nordmann")


def test_to_draft_round_trips(shared: Path) -> None:
    annotation = annotate("web-news", "avis-2024-brann", NB_DRAFT)
    again = resolve_draft(NB_TEXT, to_draft(annotation, NB_TEXT))
    assert [q.to_json() for q in again.quotes] == [q.to_json() for q in annotation.quotes]
    assert again.hedges == annotation.hedges and again.boilerplate == annotation.boilerplate


# ---------------------------------------------------------------- stand-off


def test_file_holds_offsets_and_no_text(shared: Path) -> None:
    annotation = annotate("web-news", "avis-2024-brann", NB_DRAFT)
    path = annotation_path("web-news", "avis-2024-brann")
    raw = path.read_text(encoding="utf-8")
    data = json.loads(raw)
    assert data["format"] == "kilde-annotations/1" and data["sha256"] == store.sha256(NB_TEXT)
    assert data["quotes"][5]["nested_in"] == "q5"
    assert "kuene" not in raw and "Hopp til" not in raw and "trolig" not in raw  # offsets only
    back = read_annotation(path)
    assert [q.to_json() for q in back.quotes] == [q.to_json() for q in annotation.quotes]
    path.write_text(raw.replace('"type": "direct"', '"type": "sitat"', 1), encoding="utf-8")
    with pytest.raises(AnnotationError, match="type"):
        read_annotation(path)


# ------------------------------------------------------------------ loader


def test_gold_export_is_what_kilde_eval_reads(shared: Path, tmp_path: Path) -> None:
    annotation = annotate("web-news", "avis-2024-brann", NB_DRAFT)
    record = gold_record(annotation, load_source("web-news", "avis-2024-brann"))
    assert record["text"] == NB_TEXT and record["language"] == "nb"
    assert (
        record["quotes"][1]["content"] == "Vi fikk ut alle kuene i tide"
        and record["quotes"][1]["cue"] == "sier"
    )
    assert record["quotes"][3]["content"] == ["Det var et lite mirakel", "at ingen ble skadet."]
    assert record["quotes"][5]["nested_in"] == 5
    assert record["quotes"][2]["speaker_mention"] == "politiet" and "occurrence" not in record["quotes"][2]
    assert record["hedges"] == [{"marker": "trolig", "occurrence": 1}]
    assert record["boilerplate"] == ["Hopp til innhold", "Foto: Ola Hansen"]
    (gold,) = load_gold_records([record])
    assert [list(q.spans) for q in gold.quotes] == [q.content for q in annotation.quotes]
    out = tmp_path / "gold"
    written = export([annotation], out)
    assert [p.name for p in written] == ["web-news__avis-2024-brann.json"]
    with pytest.raises(AnnotationError, match="--overwrite"):
        export([annotation], out)
    assert export([annotation], out, overwrite=True)

    def perfect(text: str, language: str, doc_id: str) -> dict:
        from kilde.annotations.agreement import prediction

        return prediction(load_gold_records([json.loads(written[0].read_text(encoding="utf-8"))])[0])

    metrics = evaluate_directory(out, analyze=perfect)
    assert metrics["overall"]["attribution"]["f1"] == 1.0
    assert metrics["overall"]["hedges"]["f1"] == 1.0 and metrics["overall"]["boilerplate"]["f1"] == 1.0


def test_repeated_content_gets_its_occurrence(shared: Path) -> None:
    text = "– Ja, sier han.\n– Ja, sier hun.\n"
    draft = {
        "quotes": [
            {
                "line": 2,
                "type": "direct",
                "content": "Ja",
                "cue": "sier",
                "speaker_mention": "hun",
                "speaker": "hun",
                "speaker_kind": "person",
            }
        ]
    }
    resolved = resolve_draft(text, draft)
    annotation = Annotation("web-news", "x", "p", store.sha256(text), "nb", "t", quotes=resolved.quotes)
    source = store.Source("web-news", "x", "p", None, text, "nb")
    record = gold_record(annotation, source)
    assert record["quotes"][0]["occurrence"] == 2
    (gold,) = load_gold_records([record])
    assert gold.quotes[0].spans == ((text.index("Ja", 5), text.index("Ja", 5) + 2),)


# --------------------------------------------------------------- validation


def test_validate_accepts_good_and_catches_bad(shared: Path) -> None:
    annotate("web-news", "avis-2024-brann", NB_DRAFT)
    annotate(
        "web-news",
        "avis-2024-bru",
        {
            "quotes": [
                {
                    "line": 2,
                    "type": "indirect",
                    "content": "Kommunen vil byggje ny bru i år",
                    "cue": "seier",
                    "speaker_mention": "ordførar Liv Dale",
                    "speaker": "Liv Dale",
                    "speaker_kind": "person",
                }
            ],
            "hedges": ["skal ha"],
        },
    )
    report = validate()
    assert not report.errors, [p.line() for p in report.errors]
    path = annotation_path("web-news", "avis-2024-bru")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["quotes"][0]["content"] = [[0, 10_000]]
    data["boilerplate"] = [[0, 3]]
    data["sha256"] = "0" * 64
    path.write_text(json.dumps(data), encoding="utf-8")
    messages = " ".join(p.message for p in validate([path]).errors)
    assert "sha256 differs" in messages
    data["sha256"] = store.sha256(NN_TEXT)
    path.write_text(json.dumps(data), encoding="utf-8")
    messages = " ".join(p.message for p in validate([path]).errors)
    assert "ends after the text" in messages and "not a whole line" in messages


def test_validate_refuses_dev_text_and_duplicates(shared: Path, tmp_path: Path) -> None:
    web = shared / "data" / "web-news" / "articles.jsonl"
    dev_text = json.loads((shared / "eval" / "dev" / "dev_01.json").read_text(encoding="utf-8"))["text"]
    with web.open("a", encoding="utf-8") as stream:
        stream.write(json.dumps({"id": "kopi", "language": "nb", "text": "Innledning.\n" + dev_text}) + "\n")
    result = runner.invoke(app, ["annotations", "new", "web-news", "kopi", "-a", "t"])
    assert result.exit_code == 1 and "evaluation sets" in result.output
    source = load_source("web-news", "kopi")
    write_annotation(skeleton(source, "t"), annotation_path("web-news", "kopi"))
    assert any("evaluation sets" in p.message for p in validate().errors)
    # the same article under two ids
    (shared / "data" / "narc" / "annotation_bokmaal" / "avis_02.txt").write_text(NB_TEXT, encoding="utf-8")
    annotate("web-news", "avis-2024-brann", NB_DRAFT)
    annotate("narc-nb", "avis_02", NB_DRAFT)
    assert any("the same text as" in p.message for p in validate().errors)
    # dev articles are for agreement studies only
    agreement_dir = tmp_path / "annotations" / "agreement" / "blind"
    write_annotation(skeleton(load_source("dev", "dev_01"), "t"), agreement_dir / "dev_01.json")
    assert not [p for p in validate([agreement_dir]).errors]
    write_annotation(
        skeleton(load_source("dev", "dev_01"), "t"), tmp_path / "annotations" / "dev" / "dev_01.json"
    )
    assert any("agreement" in p.message for p in validate([tmp_path / "annotations" / "dev"]).errors)


# -------------------------------------------------------------- stats, folds


def _fake(set_name: str, article_id: str, language: str, quotes: int = 2, kind: str = "person") -> Annotation:
    return Annotation(
        set_name,
        article_id,
        "p",
        "0" * 64,
        language,
        "t",
        quotes=[
            Quote(f"q{n}", "direct", [(n * 10, n * 10 + 5)], speaker="X", speaker_kind=kind)
            for n in range(quotes)
        ],
    )


def test_stats_counts() -> None:
    items = [
        _fake("web-news", "a", "nb"),
        _fake("web-news", "b", "nn", 3, "media"),
        _fake("narc-nn", "c", "nn", 1),
    ]
    items[1].quotes[1].nested_in = "q0"
    items[1].quotes[2].nested_in = "q1"
    stats = corpus_stats(items)
    assert stats["overall"]["articles"] == 3 and stats["overall"]["attributions"] == 6
    assert (
        stats["by_language"]["nn"]["attributions"] == 4 and stats["by_source_set"]["narc-nn"]["articles"] == 1
    )
    assert stats["overall"]["relayed"] == 3 and stats["overall"]["nested"] == 2
    assert stats["overall"]["nested_depth_2_plus"] == 1
    assert stats["nynorsk_share"]["attributions"] == round(4 / 6, 4)


def test_folds_are_stratified_and_never_move(tmp_path: Path) -> None:
    items = [_fake("web-news", f"nb{i}", "nb") for i in range(10)] + [
        _fake("narc-nn", f"nn{i}", "nn") for i in range(5)
    ]
    folds = assign_folds(items)
    assert assign_folds(items) == folds  # deterministic
    for prefix, per_fold in (("web-news/nb", 2), ("narc-nn/nn", 1)):
        counts = [sum(1 for k, f in folds.items() if k.startswith(prefix) and f == n) for n in range(1, 6)]
        assert counts == [per_fold] * 5
    more = [*items, *(_fake("web-news", f"new{i}", "nb") for i in range(3))]
    extended = assign_folds(more, folds)
    assert all(extended[k] == v for k, v in folds.items()) and len(extended) == 18
    write_folds(extended, root=tmp_path)
    assert read_folds(tmp_path) == extended
    chosen = ExportFilter(fold=1).select(more, extended)
    assert chosen and all(extended[a.key] == 1 for a in chosen)
    rest = ExportFilter(not_fold=1, language="nb").select(more, extended)
    assert all(extended[a.key] != 1 and a.language == "nb" for a in rest)
    with pytest.raises(AnnotationError, match="no fold"):
        ExportFilter(fold=1).select([_fake("web-news", "x", "nb")], extended)


def test_cross_validation_reads_the_finished_annotations_that_have_a_fold(
    shared: Path, tmp_path: Path
) -> None:
    root = tmp_path / "annotations"
    with pytest.raises(AnnotationError, match="kilde annotations folds"):
        folded_annotations(root)
    empty = {"quotes": [], "hedges": [], "boilerplate": []}
    with_fold = annotate("web-news", "avis-2024-brann", NB_DRAFT)
    annotate("web-news", "avis-2024-bru", empty)  # done, but given no fold yet
    write_folds({with_fold.key: 3}, root=root)
    assert [(a.key, fold) for a, fold in folded_annotations(root)] == [(with_fold.key, 3)]


# ---------------------------------------------------------------- agreement


def test_agreement_of_an_annotation_with_itself_and_with_a_variant(shared: Path, tmp_path: Path) -> None:
    annotate("web-news", "avis-2024-brann", NB_DRAFT)
    exported = export(store.load_annotations(), tmp_path / "a")
    same = agreement([tmp_path / "a"], [store.annotations_root()])
    assert (
        same["overall"]["attribution"]["f1"] == 1.0 and same["field_agreement"]["nested_in"]["ratio"] == 1.0
    )
    variant = json.loads(exported[0].read_text(encoding="utf-8"))
    variant["quotes"][1]["speaker"] = "Ola Nordmann"
    del variant["quotes"][4]
    del variant["quotes"][4]  # the nested quote goes with its outer one
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "v.json").write_text(json.dumps(variant, ensure_ascii=False), encoding="utf-8")
    other = agreement([tmp_path / "a"], [tmp_path / "b"])
    assert other["overall"]["attribution"]["precision"] == 0.75
    assert other["overall"]["attribution"]["recall"] == 0.5


# ---------------------------------------------------------------------- CLI


def test_cli_workflow(shared: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["annotations", "new", "web-news", "avis-2024-brann", "-a", "tester"])
    assert result.exit_code == 0, result.output
    assert "\n4 @" in result.output and "| – Vi fikk ut" in result.output
    assert read_annotation(annotation_path("web-news", "avis-2024-brann")).status == "todo"
    again = runner.invoke(app, ["annotations", "new", "web-news", "avis-2024-brann", "-a", "tester"])
    assert again.exit_code == 1 and "exists already" in again.output
    result = runner.invoke(app, ["annotations", "rows"])
    assert result.exit_code == 0 and "TYPE LINE" in result.output
    result = runner.invoke(
        app, ["annotations", "apply", "web-news", "avis-2024-brann", "-", "--dry-run"], input=COMPACT
    )
    assert result.exit_code == 0 and "6 quotes" in result.output, result.output
    draft = tmp_path / "draft.json"
    draft.write_text(json.dumps(NB_DRAFT, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(app, ["annotations", "apply", "web-news", "avis-2024-brann", str(draft)])
    assert result.exit_code == 0, result.output
    assert "wrote" in result.output and "6 quotes" in result.output
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "quotes": [
                    {
                        "type": "direct",
                        "content": "sier",
                        "cue": None,
                        "speaker_mention": None,
                        "speaker": None,
                        "speaker_kind": "unknown",
                    }
                ]
            }
        ),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["annotations", "apply", "web-news", "avis-2024-brann", str(bad)])
    assert result.exit_code == 1 and "pin it" in result.output
    assert len(read_annotation(annotation_path("web-news", "avis-2024-brann")).quotes) == 6  # unchanged
    result = runner.invoke(app, ["annotations", "find", "web-news", "avis-2024-brann", "sier"])
    assert result.exit_code == 0 and "occurrence 2  line 6" in result.output
    result = runner.invoke(app, ["annotations", "show", "web-news", "avis-2024-brann", "--draft"])
    assert json.loads(result.output)["quotes"][1]["speaker"] == "Kari Nordmo"
    result = runner.invoke(app, ["annotations", "validate"])
    assert result.exit_code == 0 and "0 errors" in result.output, result.output
    result = runner.invoke(app, ["annotations", "folds", "--update"])
    assert result.exit_code == 0 and "fold " in result.output
    result = runner.invoke(app, ["annotations", "stats", "--json"])
    stats = json.loads(result.output)
    assert stats["overall"]["attributions"] == 6 and stats["overall"]["nested"] == 1
    out = tmp_path / "gold"
    result = runner.invoke(app, ["annotations", "export", str(out), "--language", "nb"])
    assert result.exit_code == 0 and "1 gold files (6 attributions)" in result.output
    result = runner.invoke(app, ["annotations", "export", str(tmp_path / "none"), "--language", "nn"])
    assert result.exit_code == 1 and "no annotated article" in result.output
    result = runner.invoke(app, ["annotations", "agree", str(out), str(store.annotations_root()), "--json"])
    assert result.exit_code == 0 and json.loads(result.output)["overall"]["attribution"]["f1"] == 1.0


# ------------------------------------------------------------ the real corpus

REAL_SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.mark.skipif(not (REAL_SHARED / "data").is_dir(), reason="the shared data folder is absent")
def test_the_corpus_in_the_repository_validates(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(store.SHARED_ENV, str(REAL_SHARED))
    monkeypatch.delenv(store.ANNOTATIONS_ENV, raising=False)
    report = validate()
    assert not report.errors, [p.line() for p in report.errors[:20]]


def test_names_are_labels_not_copied_text() -> None:
    from kilde.annotations.store import Annotation, Quote
    from kilde.annotations.validate import _names

    text = "Styreleiar i det vesle lokale fotballaget Ola Nordmann seier at banen er klar for sesongen."
    long_alias = "Styreleiar i det vesle lokale fotballaget Ola Nordmann"
    quote = Quote(
        id="q1",
        type="indirect",
        heading=False,
        content=[(60, 89)],
        cue=(54, 59),
        speaker_mention=(0, 53),
        speaker="Ola Nordmann",
        speaker_aliases=["Nordmann", long_alias],
        speaker_kind="person",
        addressee=None,
        nested_in=None,
    )
    problems: list[tuple[str, str]] = []
    article = Annotation(
        source_set="web-news", id="a1", path="x", sha256="0", language="nn", annotator="test", quotes=[quote]
    )
    _names(article, text, lambda level, message: problems.append((level, message)))
    assert [level for level, _ in problems] == ["error", "error"]
    quote.speaker_aliases = ["Nordmann", "styreleiar"]
    problems.clear()
    _names(article, text, lambda level, message: problems.append((level, message)))
    assert problems == []
