"""Tell Bokmål from Nynorsk by frequent words that differ between the two."""

from __future__ import annotations

import re

# Frequent function words and forms that are distinctive for one written standard.
NYNORSK_MARKERS = frozenset(
    [
        "ikkje",
        "eg",
        "ho",
        "dei",
        "dykk",
        "kva",
        "korleis",
        "kvifor",
        "kven",
        "seier",
        "frå",
        "vere",
        "berre",
        "meir",
        "noko",
        "nokon",
        "mykje",
        "heilt",
        "eit",
        "ein",
        "eitt",
        "òg",
        "no",
        "difor",
        "kvar",
        "veit",
        "vart",
        "blei",
        "vore",
        "sjølv",
        "saman",
        "heile",
        "vidare",
        "sidan",
        "medan",
    ]
)
BOKMAL_MARKERS = frozenset(
    [
        "ikke",
        "jeg",
        "hun",
        "de",
        "dere",
        "hva",
        "hvordan",
        "hvorfor",
        "hvem",
        "sier",
        "fra",
        "være",
        "bare",
        "mer",
        "noe",
        "noen",
        "mye",
        "helt",
        "et",
        "nå",
        "derfor",
        "hver",
        "vet",
        "ble",
        "vært",
        "selv",
        "sammen",
        "hele",
        "videre",
        "siden",
        "mens",
    ]
)
_WORD = re.compile(r"[a-zæøåéèò]+")


def detect_language(text: str) -> str:
    """``nn`` when Nynorsk markers outnumber Bokmål ones, else ``nb`` (the more common standard)."""
    nynorsk = bokmal = 0
    for word in _WORD.findall(text.lower()):
        if word in NYNORSK_MARKERS:
            nynorsk += 1
        elif word in BOKMAL_MARKERS:
            bokmal += 1
    return "nn" if nynorsk > bokmal else "nb"
