"""A spaCy ``Language`` for Nynorsk (``nn``), which spaCy itself does not ship.

Nynorsk shares punctuation and most abbreviations with Bokmål, so it reuses
spaCy's Norwegian defaults; the language code keeps the two apart in
pipelines and trained models.
"""

from __future__ import annotations

from spacy.lang.nb import NorwegianDefaults
from spacy.language import Language
from spacy.util import registry


class NynorskDefaults(NorwegianDefaults):
    pass


@registry.languages("nn")
class Nynorsk(Language):
    lang = "nn"
    Defaults = NynorskDefaults


__all__ = ["Nynorsk"]
