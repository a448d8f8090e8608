"""What every kilde pipeline component shares, as spaCy's own rule components have it
(``spacy/pipeline/span_ruler.py``): a scorer for ``nlp.evaluate`` and serialisation.

kilde's stages are rules over language data that ships with the package (``kilde/lang``),
so what they serialise is their settings: ``nlp.to_disk`` writes them beside the
pipeline's ``config.cfg`` and ``from_disk`` reads them back and checks them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import srsly
from spacy.training import Example

import kilde.scoring  # noqa: F401  (registers the kilde.*_scorer.v1 scorers the factories name)
from kilde.errors import KildeError
from kilde.lexicon import SUPPORTED_LANGUAGES, Lexicon

SETTINGS_FILE = "settings.json"

Scorer = Callable[..., dict[str, Any]]


def stage_config(stage: str, **settings: Any) -> dict[str, Any]:
    """A factory's ``default_config``: its settings and the scorer of ``stage``."""
    return {**settings, "scorer": {"@scorers": f"kilde.{stage}_scorer.v1"}}


class KildeComponent:
    """Mixin: ``score`` through the configured scorer, and settings-only serialisation.

    A subclass sets ``name``, ``language`` and ``scorer`` and may extend :meth:`settings`.
    """

    name: str
    language: str
    scorer: Scorer | None

    def settings(self) -> dict[str, Any]:
        """What configures this component beyond the packaged language data."""
        return {"component": type(self).__name__, "language": self.language}

    def score(self, examples: Iterable[Example], **kwargs: Any) -> dict[str, Any]:
        return self.scorer(examples, **kwargs) if self.scorer is not None else {}

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return srsly.json_dumps(self.settings()).encode("utf-8")

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> KildeComponent:
        self._check(srsly.json_loads(data.decode("utf-8")))
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=True)
        srsly.write_json(folder / SETTINGS_FILE, self.settings())

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> KildeComponent:
        file = Path(path) / SETTINGS_FILE
        if file.is_file():
            self._check(srsly.read_json(file))
        return self

    def _check(self, saved: Any) -> None:
        """A saved component must be the one its config builds (the config is the source of truth)."""
        if saved != self.settings():
            raise KildeError(
                f"component {self.name}: saved settings {saved} differ from the configured {self.settings()}"
            )


class LexiconComponent(KildeComponent):
    """A component that reads one language's data: its language is its lexicon's."""

    lexicon: Lexicon

    @property
    def language(self) -> str:  # type: ignore[override]
        return self.lexicon.language


def stage_lexicon(nlp_lang: str, language: str | None) -> Lexicon:
    """The language data for a stage: its ``language`` setting, else the pipeline's language."""
    chosen = language or nlp_lang
    try:
        return Lexicon.load(chosen)
    except ValueError:
        raise KildeError(
            f"kilde has language data for {', '.join(SUPPORTED_LANGUAGES)}, not {chosen!r}: "
            'set the component\'s "language" in its config'
        ) from None
