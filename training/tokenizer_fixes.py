"""Proposed fixes to spaCy's Norwegian tokenizer, measured by ``eval_tokenizer.py --fixes``.

These are meant for ``src/kilde/lang/`` (tokenizer exceptions and suffixes of the
``nb`` and ``nn`` defaults); here they are applied to a loaded pipeline so that
they can be measured against the treebank before anyone changes the package.

1. Remove exceptions that glue a sentence-final period to an ordinary word
   ("i.", "no." — Nynorsk "now" —, "to.", "min.", "eg." — Nynorsk "I" —, "ti.") and
   emoticons made of brackets and colons ("):" in "(...):").
2. Add abbreviations that spaCy lacks (Nynorsk "t.d.", "m.a.", "kap.", "St.meld.", ...).
3. Split a final period off numbers that cannot be ordinals: years and other
   4-digit numbers ("i 2005."), numbers with thousands groups or decimals
   ("15.000.", "7,5."), and clock times ("08:30.", "08.30.").
"""

from __future__ import annotations

from spacy.language import Language
from spacy.symbols import NORM, ORTH
from spacy.util import compile_infix_regex, compile_suffix_regex

REMOVE_EXCEPTIONS = {
    "i.",
    "I.",
    "no.",
    "No.",
    "to.",
    "To.",
    "min.",
    "Min.",
    "eg.",
    "Eg.",
    "ti.",
    "Ti.",
    "):",
    "(:",
    ")-:",
    "(-:",
}

ADD_ABBREVIATIONS = [
    # Nynorsk
    "t.d.",
    "m.a.",
    "m.a.o.",
    "o.a.",
    "pr.",
    # both
    "kap.",
    "Kap.",
    "St.meld.",
    "St.prp.",
    "Ot.prp.",
    "Innst.",
    "Prop.",
    "anm.",
    "red.anm.",
    "journ.",
    "str.",
    "frk.",
    "f.v.",
    "adm.",
    "dir.",
    "adm.dir.",
    "prof.",
    "avd.",
    "ordf.",
    "tidl.",
    "sekr.",
    "ass.",
    "stud.",
    "A/S",
    "AS.",
    "km/t",
    "D/S",
    "m/s",
]

NUMBER_SUFFIXES = [
    r"(?<=[0-9]{4})\.",  # years: "i 2005."
    r"(?<=[.,][0-9]{3})\.",  # "15.000." "1,250."
    r"(?<=,[0-9])\.",  # "7,5."
    r"(?<=,[0-9]{2})\.",  # "7,25."
    r"(?<=:[0-9]{2})\.",  # "08:30."
    r"(?<=[0-9]\.[0-9]{2})\.",  # "kl. 08.30." (dates are written "17. mai" or "17.05.2010")
]

# 4. Split a hyphen or dash between digits (scores, ranges: "4-1", "1990–95"), as the treebank does,
#    but not inside compounds ("2-1-seieren", "1980-90-talet").
NUMBER_INFIXES = [r"(?<=[0-9])[-–](?=[0-9]+(?:[^-–0-9]|$))"]


def apply(nlp: Language) -> Language:
    """Apply the fixes to ``nlp.tokenizer`` in place (and return ``nlp``)."""
    rules = {k: v for k, v in nlp.tokenizer.rules.items() if k not in REMOVE_EXCEPTIONS}
    for abbr in ADD_ABBREVIATIONS:
        rules.setdefault(abbr, [{ORTH: abbr, NORM: abbr}])
    nlp.tokenizer.rules = rules
    suffixes = list(nlp.Defaults.suffixes or []) + NUMBER_SUFFIXES
    nlp.tokenizer.suffix_search = compile_suffix_regex(suffixes).search
    infixes = list(nlp.Defaults.infixes or []) + NUMBER_INFIXES
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    return nlp
