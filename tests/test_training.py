"""Tests for the training tools in training/: treebank conversion and a tiny smoke training.

The conversion tests read the shared treebank (``../shared/data``) and are skipped
when it is absent. The smoke training uses a handful of sentences written here.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc, DocBin, Span
from spacy.training import Example

ROOT = Path(__file__).resolve().parent.parent
TRAINING = ROOT / "training"
DATA = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(TRAINING))

import convert  # noqa: E402
import ndt  # noqa: E402
import tokenizer_fixes  # noqa: E402

needs_data = pytest.mark.skipif(not (DATA / "norne" / "ndt").is_dir(), reason="shared treebank data absent")

# Two made-up sentences in NDT's 10-column format (not from the treebank).
NDT_SAMPLE = textwrap.dedent(
    """\
    1\tKari\tKari\tsubst\tsubst\tprop|fem\t2\tSUBJ\t_\tname=B-PER
    2\tsa\tsi\tverb\tverb\tpret\t0\tFINV\t_\tname=O
    3\tat\tat\tsbu\tsbu\t_\t5\tSBU\t_\tname=O
    4\tBergen\tBergen\tsubst\tsubst\tprop\t5\tSUBJ\t_\tname=B-GPE_LOC
    5\ter\tvære\tverb\tverb\tpres\t2\tDOBJ\t_\tname=O
    6\tfin\tfin\tadj\tadj\tm/f|ub|ent|pos\t5\tSPRED\t_\tname=O
    7\t.\t$.\tclb\tclb\t<punkt>\t2\tIP\t_\tname=O

    1\tHan\than\tpron\tpron\tent|mask|3|pers|hum|nom\t2\tSUBJ\t_\tname=O
    2\thar\tha\tverb\tverb\tpres\t0\tFINV\t_\tname=O
    3\tikke\tikke\tadv\tadv\t_\t2\tADV\t_\tname=O
    4\tlest\tlese\tverb\tverb\tperf-part\t2\tINFV\t_\tname=O
    5\t«\t$«\t<anf>\t<anf>\t_\t6\tIK\t_\tname=O
    6\tDagbladet\tDagbladet\tsubst\tsubst\tprop\t4\tDOBJ\t_\tname=B-ORG
    7\t»\t$»\t<anf>\t<anf>\t_\t6\tIK\t_\tname=O
    8\t|\t$|\tclb\tclb\t<overskrift>\t2\tIP\t_\tname=O
    """
)


@pytest.fixture
def sample_file(tmp_path: Path) -> Path:
    path = tmp_path / "xx001_0000.conll"
    path.write_text(NDT_SAMPLE, encoding="utf8")
    return path


def test_read_conll_drops_headline_marker(sample_file: Path) -> None:
    sents = ndt.read_conll(sample_file)
    assert [len(s.tokens) for s in sents] == [7, 7]
    assert sents[1].words[-1] == "»"
    assert sents[0].doc_id == "xx001"


def test_spaces_reconstruction() -> None:
    words = ["«", "Ja", "»", ",", "sa", "hun", "(", "igjen", ")", ":", '"', "Nei", '"', "."]
    assert ndt.sentence_text(words) == '«Ja», sa hun (igjen): "Nei".'


def test_feature_and_pos_mapping(sample_file: Path) -> None:
    sent = ndt.read_conll(sample_file)[1]
    children = convert.sentence_children(sent)
    upos = [ndt.map_upos(t, c) for t, c in zip(sent.tokens, children, strict=True)]
    assert upos == ["PRON", "AUX", "PART", "VERB", "PUNCT", "PROPN", "PUNCT"]
    assert ndt.map_features(sent.tokens[0]) == (
        "Animacy=Hum|Case=Nom|Gender=Masc|Number=Sing|Person=3|PronType=Prs"
    )
    assert ndt.map_features(sent.tokens[1]) == "Mood=Ind|Tense=Pres|VerbForm=Fin"


def test_make_doc_from_sample(sample_file: Path) -> None:
    sents = ndt.read_conll(sample_file)
    doc = convert.make_doc(spacy.blank("nb").vocab, sents)
    assert doc.text == "Kari sa at Bergen er fin. Han har ikke lest «Dagbladet»"
    assert [t.tag_ for t in doc[:3]] == ["subst", "verb", "sbu"]
    assert [t.lemma_ for t in doc[:2]] == ["Kari", "si"]
    assert doc[6].lemma_ == "."
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Kari", "PER"),
        ("Bergen", "GPE_LOC"),
        ("Dagbladet", "ORG"),
    ]
    assert [s.text for s in doc.sents] == ["Kari sa at Bergen er fin.", "Han har ikke lest «Dagbladet»"]
    assert doc[0].head.i == 1 and doc[0].dep_ == "SUBJ" and doc[1].dep_ == "ROOT"
    assert doc[12].head.i == 10  # «Dagbladet» → Dagbladet: heads are offset per sentence
    assert str(doc[5].morph) == "Definite=Ind|Degree=Pos|Gender=Fem,Masc|Number=Sing"


def test_entity_spans() -> None:
    tags = ["B-PER", "I-PER", "O", "I-ORG", "B-LOC", "B-LOC"]
    assert ndt.entity_spans(tags) == [(0, 2, "PER"), (3, 4, "ORG"), (4, 5, "LOC"), (5, 6, "LOC")]


def test_tokenizer_fixes() -> None:
    nlp = tokenizer_fixes.apply(spacy.blank("nb"))
    words = [
        t.text for t in nlp("Vi bodde der i 2005. Ho kom no. Det kostar 15.000. Møtet er kap. 3 t.d. i dag.")
    ]
    assert words[:6] == ["Vi", "bodde", "der", "i", "2005", "."]
    assert "no" in words and "15.000" in words and "kap." in words and "t.d." in words
    assert [t.text for t in nlp("Kampen endte 4-1 etter 2-1-scoringen")][2:5] == ["4", "-", "1"]
    assert "2-1-scoringen" in [t.text for t in nlp("Kampen endte 4-1 etter 2-1-scoringen")]


@needs_data
def test_convert_real_documents() -> None:
    docs = ndt.read_documents(DATA, "nb")[:3]
    vocab = spacy.blank("nb").vocab
    for document in docs:
        doc = convert.make_doc(vocab, document.sentences[:10])
        gold = [t for s in document.sentences[:10] for t in s.tokens]
        assert [t.text for t in doc] == [t.form for t in gold]
        assert [t.tag_ for t in doc] == [t.pos for t in gold]
        assert len(list(doc.sents)) == min(10, len(document.sentences))
        n_gold_ents = sum(t.ent.startswith("B-") for t in gold)
        assert len(doc.ents) == n_gold_ents
        for sent, gsent in zip(doc.sents, document.sentences[:10], strict=True):
            for tok, g in zip(sent, gsent.tokens, strict=True):
                expected = sent.start + g.head - 1 if g.head else tok.i
                assert tok.head.i == expected


@needs_data
def test_split_matches_ud_files() -> None:
    docs = ndt.read_documents(DATA, "nn")
    assignment, report = convert.assign_splits(DATA, "nn", docs)
    counts = {"dev": 0, "test": 0}
    for doc in docs:
        if assignment[doc.doc_id] in counts:
            counts[assignment[doc.doc_id]] += len(doc.sentences)
    assert counts == {k: report["ud_sentences"][k] for k in counts}
    assert not any(m["dev"] and m["test"] for m in report["mixed_files"].values())


# --------------------------------------------------------------------------- smoke training

SMOKE = [
    (
        "Ola Nordmann bor i Tromsø .",
        ["PROPN", "PROPN", "VERB", "ADP", "PROPN", "PUNCT"],
        [1, 2, 2, 2, 3, 2],
        ["FLAT", "SUBJ", "ROOT", "ADV", "PUTFYLL", "IP"],
        [(0, 2, "PER"), (4, 5, "GPE_LOC")],
    ),
    (
        "Statoil kjøper aksjer .",
        ["PROPN", "VERB", "NOUN", "PUNCT"],
        [1, 1, 1, 1],
        ["SUBJ", "ROOT", "DOBJ", "IP"],
        [(0, 1, "ORG")],
    ),
    (
        "Hun sa at Kari Hansen kom .",
        ["PRON", "VERB", "SCONJ", "PROPN", "PROPN", "VERB", "PUNCT"],
        [1, 1, 5, 5, 3, 1, 1],
        ["SUBJ", "ROOT", "SBU", "SUBJ", "FLAT", "DOBJ", "IP"],
        [(3, 5, "PER")],
    ),
]


def smoke_docs(nlp) -> list[Doc]:
    docs = []
    for text, pos, heads, deps, ents in SMOKE:
        words = text.split()
        doc = Doc(
            nlp.vocab,
            words=words,
            spaces=[True] * (len(words) - 2) + [False, False],
            pos=pos,
            tags=[p.lower() for p in pos],
            lemmas=[w.lower() for w in words],
            heads=heads,
            deps=deps,
            morphs=["Number=Sing" if p == "NOUN" else "" for p in pos],
        )
        doc.ents = [Span(doc, s, e, label=label) for s, e, label in ents]
        docs.append(doc)
    return docs


def test_smoke_training_with_base_config(tmp_path: Path) -> None:
    """The committed config trains, saves and reloads (a few steps on made-up sentences)."""
    from spacy.training.initialize import init_nlp
    from spacy.util import load_config

    blank = spacy.blank("nn")
    train = tmp_path / "train.spacy"
    DocBin(docs=smoke_docs(blank)).to_disk(train)
    config = load_config(
        TRAINING / "configs" / "base.cfg",
        overrides={
            "paths.train": str(train),
            "paths.dev": str(train),
            "nlp.lang": "nn",
            "components.tok2vec.model.embed.rows": [200, 50, 50, 20],
            "components.tok2vec.model.encode.width": 16,
            "components.tok2vec.model.encode.depth": 1,
            "components.parser.min_action_freq": 1,
        },
    )
    nlp = init_nlp(config)
    assert nlp.pipe_names == ["tok2vec", "morphologizer", "tagger", "parser", "trainable_lemmatizer", "ner"]
    optimizer = nlp.create_optimizer()
    examples = [Example(nlp.make_doc(d.text), d) for d in smoke_docs(nlp)]
    losses: dict = {}
    for _ in range(3):
        nlp.update(examples, sgd=optimizer, losses=losses)
    assert set(losses) >= {"ner", "parser", "morphologizer"}
    nlp.to_disk(tmp_path / "model")
    nlp2 = spacy.load(tmp_path / "model")
    doc = nlp2("Kari Hansen bur i Tromsø.")
    assert doc.has_annotation("DEP") and doc.has_annotation("POS")
    scores = nlp2.evaluate(examples)
    assert "ents_f" in scores and "dep_las" in scores


def test_pretrained_weights_load_into_the_ner_tok2vec(tmp_path: Path) -> None:
    """pretrain.cfg's tok2vec has ner.cfg's architecture, and the callback loads its weights."""
    import ner_tok2vec  # noqa: F401  (registers kilde.load_ner_tok2vec.v1)
    from spacy.training.initialize import init_nlp
    from spacy.util import load_config

    train = tmp_path / "train.spacy"
    DocBin(docs=smoke_docs(spacy.blank("nb"))).to_disk(train)
    pretrain_config = load_config(
        TRAINING / "configs" / "pretrain.cfg", overrides={"paths.raw_text": str(train)}
    )
    pretrained = spacy.util.load_model_from_config(pretrain_config, auto_fill=True)
    pretrained.initialize()
    weights = tmp_path / "model0.bin"
    weights.write_bytes(pretrained.get_pipe("tok2vec").model.to_bytes())

    ner_config = load_config(
        TRAINING / "configs" / "ner.cfg",
        overrides={"paths.train": str(train), "paths.dev": str(train), "paths.ner_tok2vec": str(weights)},
    )
    nlp = init_nlp(ner_config)
    inner = nlp.get_pipe("ner").model.get_ref("tok2vec").layers[0]
    assert inner.to_bytes() == weights.read_bytes()
    assert set(nlp.get_pipe("ner").labels) == {"PER", "ORG", "GPE_LOC"}
