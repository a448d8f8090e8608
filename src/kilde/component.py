"""What every kilde pipeline component shares, as spaCy's own rule components have it
(``spacy/pipeline/span_ruler.py``): a scorer for ``nlp.evaluate`` and serialisation.

kilde's stages are rules over language data that ships with the package (``kilde/lang``),
so what they serialise is their settings: ``nlp.to_disk`` writes them beside the
pipeline's ``config.cfg`` and ``from_disk`` reads them back and checks them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, ClassVar

import srsly
from spacy.training import Example

import kilde.scoring  # noqa: F401  (registers the kilde.*_scorer.v1 scorers the factories name)
from kilde.errors import KildeError
from kilde.lexicon import SUPPORTED_LANGUAGES, Lexicon
from kilde.linear import LinearModel

SETTINGS_FILE = "settings.json"
PACKAGED = "packaged"
"""A learned component's ``model`` setting for the model packaged under ``kilde/models``."""

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


class LearnedComponent(KildeComponent):
    """A rule component with a small learned model (:class:`kilde.linear.LinearModel`) in ``model``.

    The model is learned data, so it travels with the component as spaCy's trained components
    keep their weights: ``to_disk`` writes it beside the settings (``model_file``),
    ``to_bytes`` holds it, and a loaded pipeline uses the saved model, not the packaged one.
    """

    model: LinearModel | None
    model_file: ClassVar[str]
    model_task: ClassVar[str]

    def settings(self) -> dict[str, Any]:
        return {**super().settings(), "model": self.model is not None}

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        model = self.model.to_dict() if self.model is not None else None
        return srsly.json_dumps({"settings": self.settings(), "model": model}).encode("utf-8")

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> LearnedComponent:
        saved = srsly.json_loads(data.decode("utf-8"))
        model = saved.get("model") if isinstance(saved, dict) else None
        self.model = LinearModel.from_dict(model, self.model_task) if model else None
        self._check(saved.get("settings") if isinstance(saved, dict) else saved)
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        super().to_disk(path, exclude=exclude)
        if self.model is not None:
            self.model.to_disk(Path(path) / self.model_file)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> LearnedComponent:
        file = Path(path) / self.model_file
        self.model = LinearModel.from_disk(file, self.model_task) if file.is_file() else None
        super().from_disk(path, exclude=exclude)
        return self


def packaged_or_path(setting: str | None, task: str, packaged: Path) -> LinearModel | None:
    """The model a component's ``model`` setting names: ``"packaged"`` (``packaged``, when it is
    installed), a model file's path, or None or ``""`` for none."""
    if not setting:
        return None
    if setting == PACKAGED:
        return LinearModel.from_disk(packaged, task) if packaged.is_file() else None
    return LinearModel.from_disk(setting, task)


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
