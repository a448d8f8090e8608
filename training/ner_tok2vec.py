"""Load `spacy pretrain` weights into the NER's own tok2vec (passed to `spacy train --code`).

spaCy's `[initialize] init_tok2vec` loads pretrained weights into a named layer of a component.
The transition-based NER exposes its tok2vec only wrapped with a projection layer (the "tok2vec"
reference is tok2vec >> list2array >> Linear), which the weights of a pretrained stand-alone
Tok2Vec do not fit. This callback loads them into the inner Tok2Vec itself, after initialization.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from spacy.language import Language
from spacy.util import registry


@registry.callbacks("kilde.load_ner_tok2vec.v1")
def create_load_ner_tok2vec(path: str | None, component: str = "ner") -> Callable[[Language], Language]:
    def load_ner_tok2vec(nlp: Language) -> Language:
        if not path:
            return nlp
        projected = nlp.get_pipe(component).model.get_ref("tok2vec")
        tok2vec = projected.layers[0]  # the Tok2Vec before list2array >> Linear
        tok2vec.from_bytes(Path(path).read_bytes())
        print(f"Loaded pretrained tok2vec for {component!r} from {path}")
        return nlp

    return load_ner_tok2vec
