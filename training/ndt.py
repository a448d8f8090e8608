"""Reading the Norwegian Dependency Treebank (NDT, with NorNE entities).

Shared by ``convert.py``, ``eval_tokenizer.py`` and the tests. Nothing here
copies treebank text anywhere; the functions read the files by path.

The NDT ``.conll`` format has ten tab-separated columns:
id, form, lemma, POS, POS, features (``a|b|c``), head, deprel, ``_``, and the
NorNE entity tag (``name=B-PER``). Sentences are separated by blank lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

LANG_DIRS = {"nb": "nob", "nn": "nno"}
UD_FILES = {
    "nb": "no_bokmaal-ud-{split}.conllu",
    "nn": "no_nynorsk-ud-{split}.conllu",
}


@dataclass
class Token:
    form: str
    lemma: str
    pos: str  # the NDT POS (column 4)
    feats: list[str]
    head: int  # 1-based, 0 = root
    deprel: str
    ent: str  # "O", "B-PER", "I-ORG", ...


@dataclass
class Sentence:
    tokens: list[Token]
    doc_id: str = ""  # the source document (ap001)
    file: str = ""  # the file (ap001_0002.conll)
    index: int = 0  # position in its file

    @property
    def words(self) -> list[str]:
        return [t.form for t in self.tokens]


@dataclass
class Document:
    """One NDT file (``ap001_0002``): the unit of the UD train/dev/test split.

    ``source`` is the document it is a part of (``ap001``).
    """

    doc_id: str
    source: str = ""
    sentences: list[Sentence] = field(default_factory=list)


def default_data_dir() -> Path:
    """``../shared/data`` relative to the repository root."""
    return Path(__file__).resolve().parent.parent.parent / "shared" / "data"


def document_id(path: Path) -> str:
    """``ap001_0002.conll`` -> ``ap001``: the ``_NNNN`` suffix numbers the parts of one document."""
    return re.sub(r"_\d+$", "", path.stem)


def is_headline_marker(tok: Token) -> bool:
    """NDT ends headlines etc. with a ``|`` token (lemma ``$|``) that never occurs in the running text.

    UD dropped these tokens; so do we (they are leaves attached to the root).
    """
    return tok.form == "|" and tok.lemma == "$|"


def read_conll(path: Path, drop_markers: bool = True) -> list[Sentence]:
    """Read one NDT file into sentences (``|`` headline markers removed, heads renumbered)."""
    sentences: list[Sentence] = []
    rows: list[list[str]] = []
    doc_id = document_id(path)

    def flush() -> None:
        if not rows:
            return
        toks = []
        for r in rows:
            feats = [] if r[5] in ("_", "") else r[5].split("|")
            ent = r[9][5:] if r[9].startswith("name=") else "O"
            toks.append(Token(r[1], r[2], r[3], feats, int(r[6]), r[7], ent))
        if drop_markers:
            toks = _drop_tokens(toks, [is_headline_marker(t) for t in toks])
        if toks:
            sentences.append(Sentence(toks, doc_id, path.name, len(sentences)))
        rows.clear()

    with path.open(encoding="utf8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line.strip():
                flush()
                continue
            cols = line.split("\t")
            if len(cols) < 10:
                raise ValueError(f"{path}: expected 10 columns, got {len(cols)}: {line!r}")
            rows.append(cols)
    flush()
    return sentences


def _drop_tokens(toks: list[Token], drop: list[bool]) -> list[Token]:
    if not any(drop):
        return toks
    new_index = {}
    j = 0
    for i, d in enumerate(drop, start=1):
        if not d:
            j += 1
            new_index[i] = j
    out = []
    for tok, d in zip(toks, drop, strict=True):
        if d:
            continue
        head = tok.head
        # a dropped token is a leaf in practice; if not, re-attach its dependents to its head
        while head and drop[head - 1]:
            head = toks[head - 1].head
        tok.head = new_index[head] if head else 0
        out.append(tok)
    return out


def read_documents(data_dir: Path, lang: str) -> list[Document]:
    """All NDT files of one language, in file-name order."""
    folder = data_dir / "norne" / "ndt" / LANG_DIRS[lang]
    return [Document(p.stem, document_id(p), read_conll(p)) for p in sorted(folder.glob("*.conll"))]


def read_ud_sentences(path: Path) -> Iterator[tuple[list[str], list[dict]]]:
    """Yield (forms, rows) per sentence of a CoNLL-U file; rows hold upos, feats, misc."""
    forms: list[str] = []
    rows: list[dict] = []
    with path.open(encoding="utf8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line:
                if forms:
                    yield forms, rows
                forms, rows = [], []
                continue
            if line.startswith("#"):
                continue
            cols = line.split("\t")
            if not cols[0].isdigit():  # multiword ranges / empty nodes
                continue
            forms.append(cols[1])
            rows.append(
                {
                    "form": cols[1],
                    "lemma": cols[2],
                    "upos": cols[3],
                    "feats": cols[5],
                    "head": int(cols[6]),
                    "deprel": cols[7],
                    "misc": cols[9],
                }
            )
    if forms:
        yield forms, rows


def ud_path(data_dir: Path, lang: str, split: str) -> Path:
    return data_dir / "norne" / "ud" / LANG_DIRS[lang] / UD_FILES[lang].format(split=split)


# --------------------------------------------------------------------------- spaces

NO_SPACE_BEFORE = {",", ".", ":", ";", "!", "?", ")", "]", "}", "»", "”", "...", "…"}
TOGGLE_QUOTES = {'"', "'"}
NO_SPACE_AFTER = {"(", "[", "{", "«", "“"}


def reconstruct_spaces(words: list[str]) -> list[bool]:
    """Guess ``spaces`` (whitespace after each token) for one sentence's tokens.

    No space before , . : ; ! ? ) » ” … and after ( « “; a straight ``"`` opens
    (no space after) when it is the 1st, 3rd, … in the sentence and closes (no
    space before) otherwise. The last token gets a space (sentences are joined).
    """
    n = len(words)
    spaces = [True] * n
    quote_open = dict.fromkeys(TOGGLE_QUOTES, False)
    for i, w in enumerate(words):
        if w in NO_SPACE_AFTER:
            spaces[i] = False
        if w in TOGGLE_QUOTES:
            if quote_open[w]:
                if i > 0:
                    spaces[i - 1] = False
            else:
                spaces[i] = False
            quote_open[w] = not quote_open[w]
        if i > 0 and w in NO_SPACE_BEFORE:
            spaces[i - 1] = False
    spaces[-1] = True
    return spaces


def sentence_text(words: list[str]) -> str:
    spaces = reconstruct_spaces(words)
    return "".join(w + (" " if s else "") for w, s in zip(words, spaces, strict=True)).rstrip()


# --------------------------------------------------------------------------- POS and features

UPOS = {
    "subst": "NOUN",
    "verb": "VERB",
    "adj": "ADJ",
    "adv": "ADV",
    "prep": "ADP",
    "konj": "CCONJ",
    "sbu": "SCONJ",
    "pron": "PRON",
    "det": "DET",
    "inf-merke": "PART",
    "interj": "INTJ",
    "clb": "PUNCT",
    "<komma>": "PUNCT",
    "<strek>": "PUNCT",
    "<anf>": "PUNCT",
    "<parentes-beg>": "PUNCT",
    "<parentes-slutt>": "PUNCT",
    "ukjent": "X",
    "symb": "SYM",
}

# UD Norwegian tags these lemmas AUX when they govern another verb (NDT: a dependent labelled INFV)
# and when "være"/"bli" are copulas (NDT: a dependent labelled SPRED); see convert.py --check-upos.
AUX_LEMMAS = {
    "ha",
    "være",
    "vere",
    "bli",
    "verte",
    "kunne",
    "skulle",
    "ville",
    "vilje",
    "måtte",
    "burde",
    "få",
    "tørre",
}
COPULA_LEMMAS = {"være", "vere"}
ADVERB_PREPS = {"her", "der", "dit", "hit", "hittil", "heretter", "derfra", "herfra"}
NUMBER_RE = re.compile(r"^[\d.,:/-]*\d[\d.,:/-]*$")
NUMBER_WORDS = {
    "null",
    "én",
    "éin",
    "eneste",
    "einaste",
    "ene",
    "eine",
    "halvannen",
    "to",
    "tri",
    "tre",
    "fire",
    "fem",
    "seks",
    "sju",
    "syv",
    "åtte",
    "ni",
    "ti",
    "elleve",
    "tolv",
    "tretten",
    "fjorten",
    "femten",
    "seksten",
    "sytten",
    "atten",
    "nitten",
    "tjue",
    "tjuge",
    "tretti",
    "førti",
    "femti",
    "seksti",
    "sytti",
    "åtti",
    "nitti",
    "hundre",
    "tusen",
}

# NDT feature -> (key, value). Documented in docs/models.md.
FEATURES: dict[str, tuple[str, str]] = {
    # gender
    "mask": ("Gender", "Masc"),
    "fem": ("Gender", "Fem"),
    "nøyt": ("Gender", "Neut"),
    "m/f": ("Gender", "Fem,Masc"),
    # number
    "ent": ("Number", "Sing"),
    "eint": ("Number", "Sing"),
    "fl": ("Number", "Plur"),
    # definiteness
    "be": ("Definite", "Def"),
    "bu": ("Definite", "Def"),
    "ub": ("Definite", "Ind"),
    # degree
    "pos": ("Degree", "Pos"),
    "komp": ("Degree", "Cmp"),
    "sup": ("Degree", "Sup"),
    # case, person
    "nom": ("Case", "Nom"),
    "akk": ("Case", "Acc"),
    "gen": ("Case", "Gen"),
    "1": ("Person", "1"),
    "2": ("Person", "2"),
    "3": ("Person", "3"),
    # verbs
    "pres": ("Tense", "Pres"),
    "pret": ("Tense", "Past"),
    "inf": ("VerbForm", "Inf"),
    "perf-part": ("VerbForm", "Part"),
    "<perf-part>": ("VerbForm", "Part"),
    "<pres-part>": ("VerbForm", "Part"),
    "imp": ("Mood", "Imp"),
    "pass": ("Voice", "Pass"),
    "<s-verb>": ("Voice", "Pass"),  # NDT: s-verb (bokmål)
    "<st-verb>": ("Voice", "Pass"),  # nynorsk -st verb
    "st-form": ("Voice", "Pass"),
    "<st-form>": ("Voice", "Pass"),
    # pronouns and determiners
    "pers": ("PronType", "Prs"),
    "dem": ("PronType", "Dem"),
    "sp": ("PronType", "Int"),
    "res": ("PronType", "Rcp"),
    "kvant": ("PronType", "Qnt"),
    "poss": ("Poss", "Yes"),
    "refl": ("Reflex", "Yes"),
    "forst": ("Emph", "Yes"),
    "hum": ("Animacy", "Hum"),
    "ikke-hum": ("Animacy", "Nhum"),
    "høflig": ("Polite", "Form"),
    # numerals
    "<ordenstall>": ("NumType", "Ord"),
    "<ordenstal>": ("NumType", "Ord"),
    "<romertall>": ("NumType", "Roman"),
    "<romartal>": ("NumType", "Roman"),
    "<dato>": ("NumType", "Date"),
    # other word-level properties
    "fork": ("Abbr", "Yes"),
    "samset": ("Compound", "Yes"),
    "unorm": ("Style", "Nonstd"),
    "ubøy": ("Infl", "No"),
    "ufl": ("Infl", "NoPlur"),
    "<adj>": ("Derived", "Adj"),
    "<adv>": ("Derived", "Adv"),
    "<tittel>": ("Title", "Yes"),
    # punctuation (on clb and the <...> punctuation POS)
    "<punkt>": ("PunctType", "Peri"),
    "<kolon>": ("PunctType", "Colo"),
    "<spm>": ("PunctType", "Qest"),
    "<utrop>": ("PunctType", "Excl"),
    "<semi>": ("PunctType", "Semi"),
    "<ellipse>": ("PunctType", "Elip"),
    "<overskrift>": ("PunctType", "Head"),
    "<anf>": ("PunctType", "Quot"),
}
PUNCT_POS_FEATURES = {
    "<komma>": ("PunctType", "Comm"),
    "<strek>": ("PunctType", "Dash"),
    "<anf>": ("PunctType", "Quot"),
    "<parentes-beg>": ("PunctType", "Brck"),
    "<parentes-slutt>": ("PunctType", "Brck"),
}
# Dropped: "appell"/"prop" (carried by pos_ NOUN/PROPN), "_", the clause-boundary marks on
# conjunctions ("clb", "<ikke-clb>", "<ikkje-clb>"), and the multiword-expression marks
# ("prep+subst", "konj+adv+adj", ...), which are properties of fixed phrases, not of tokens.
DROPPED_FEATURES = {"appell", "prop", "_", "clb", "<ikke-clb>", "<ikkje-clb>", "symb"}


def map_features(tok: Token) -> str:
    """NDT features -> a UD-style ``Key=Value|Key=Value`` string (sorted)."""
    feats: dict[str, set[str]] = {}

    def add(key: str, value: str) -> None:
        feats.setdefault(key, set()).update(value.split(","))

    if tok.pos in PUNCT_POS_FEATURES:
        add(*PUNCT_POS_FEATURES[tok.pos])
    for f in tok.feats:
        if f in DROPPED_FEATURES or "+" in f:
            continue
        if f in FEATURES:
            add(*FEATURES[f])
    if tok.pos == "verb":
        if "pres" in tok.feats or "pret" in tok.feats:
            add("VerbForm", "Fin")
            add("Mood", "Ind")
        elif "imp" in tok.feats:
            add("VerbForm", "Fin")
    return "|".join(f"{k}={','.join(sorted(v))}" for k, v in sorted(feats.items()))


def map_upos(tok: Token, children: Iterable[Token] = ()) -> str:
    """Coarse UD POS from the NDT POS, refined the way UD Norwegian does it.

    ``children`` are the token's dependents (needed for AUX and for prepositions
    that introduce infinitives). The refinements were checked against the UD
    dev/test files (``convert.py --check-upos``).
    """
    pos = tok.pos
    lemma = tok.lemma.lower()
    children = list(children)
    deps = {c.deprel for c in children}
    if pos == "subst" and "prop" in tok.feats:
        return "PROPN"
    if pos == "verb":
        if lemma in AUX_LEMMAS and "INFV" in deps:
            return "AUX"
        if lemma in COPULA_LEMMAS and "SPRED" in deps:
            return "AUX"
        return "VERB"
    if pos == "det":
        if "poss" in tok.feats:
            return "PRON"
        if "kvant" in tok.feats and (
            NUMBER_RE.match(tok.form) or tok.form.lower() in NUMBER_WORDS or lemma in NUMBER_WORDS
        ):
            return "NUM"
        return "DET"
    if pos == "prep":
        if lemma in ADVERB_PREPS:
            return "ADV"
        if lemma == "som" and tok.deprel in {"SPRED", "OPRED", "FSPRED"}:
            return "SCONJ"
        if any(c.deprel == "PUTFYLL" and c.pos in {"verb", "inf-merke"} for c in children):
            return "SCONJ"
        return "ADP"
    if pos == "sbu" and lemma == "som":
        return "PRON"
    if pos == "adv" and lemma in {"ikke", "ikkje"}:
        return "PART"
    return UPOS.get(pos, "X")


def lemma_of(tok: Token) -> str:
    """NDT marks punctuation lemmas with ``$`` (``$,``); the lemma of punctuation is its form."""
    if tok.lemma.startswith("$") and len(tok.lemma) > 1:
        return tok.form
    return tok.lemma


def entity_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """BIO tags -> (start, end, label); an ``I-`` without a matching opener starts a new entity."""
    spans = []
    start, label = None, None
    for i, tag in enumerate([*tags, "O"]):
        if tag == "O" or tag.startswith("B-") or (tag.startswith("I-") and tag[2:] != label):
            if start is not None:
                spans.append((start, i, label))
                start, label = None, None
            if tag != "O":
                start, label = i, tag[2:]
    return spans
