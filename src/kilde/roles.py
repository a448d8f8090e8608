"""Role nouns: whether a word is, or ends in, one of a set of nouns (titles, institutions,
documents, media) through its inflected endings: ``UP-sjefen`` ends in ``sjef``, ``legane``
in ``lege``, ``Forsvarsdepartementet`` in ``departement``.

One matcher serves attribution (can a phrase name a speaker?) and coref (which title does a
mention carry, is its head an institution or a document?). The endings are language data
(``lang/common/definite_suffixes.txt``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RoleNouns:
    """Words that end in one of ``stems``, bare or with one of ``endings`` (longest first)."""

    stems: frozenset[str]
    endings: tuple[str, ...]

    def stem_of(self, word: str) -> str | None:
        """``word`` (lower case) without its ending, when that ends in one of the stems."""
        for ending in ("", *self.endings):
            if ending and not word.endswith(ending):
                continue
            stem = word[: len(word) - len(ending)] if ending else word
            if any(stem.endswith(s) for s in self.stems):
                return stem
        return None

    def matches(self, word: str) -> bool:
        """Whether ``word`` (lower case) is or ends in one of the stems, maybe inflected."""
        return self.stem_of(word) is not None

    def inflects(self, word: str, noun: str) -> bool:
        """Whether ``word`` is ``noun`` itself or ``noun`` with one of the endings."""
        return word == noun or any(word == noun + ending for ending in self.endings)
