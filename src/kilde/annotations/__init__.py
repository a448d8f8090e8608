"""The hand-annotated reported-speech corpus, stored stand-off.

The repository holds only offsets, labels and canonical names (``annotations/``);
the article texts stay in the shared data folder (``../shared``) and are joined in
by :mod:`kilde.annotations.loader`, which yields the gold format ``kilde eval``
reads. See ``annotations/README.md`` for the format and the procedure.

Modules: :mod:`~kilde.annotations.store` (paths, source texts, reading and writing
stand-off files), :mod:`~kilde.annotations.draft` (the annotators' string-based
drafts, resolved to offsets), :mod:`~kilde.annotations.loader` (stand-off to
gold), :mod:`~kilde.annotations.validate`, :mod:`~kilde.annotations.stats` (counts
and folds), :mod:`~kilde.annotations.agreement` (gold against gold).
"""

from __future__ import annotations

FORMAT = "kilde-annotations/1"
"""The ``format`` value of every stand-off file."""

QUOTE_TYPES = ("direct", "indirect", "mixed")
SPEAKER_KINDS = ("person", "organization", "media", "document", "anonymous", "unknown")
LANGUAGES = ("nb", "nn")
RELAYED_KINDS = frozenset({"media", "document"})

__all__ = ["FORMAT", "LANGUAGES", "QUOTE_TYPES", "RELAYED_KINDS", "SPEAKER_KINDS"]
