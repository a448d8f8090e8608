"""Speaker labels: the script layout of transcripts and printed conversations.

A parliament record gives each turn as ``Statsråd Kari Holm: …`` or ``Per Lie (H): …``, and a
printed conversation as a line ``Elling:`` over the lines that person says. Each turn is an
indirect quote (no quote marks) of the person the label names, from the label to the next
label. A label names someone: capitalised words (``Kari Holm``), a role noun (``Faren``,
``Presidenten``) or a known first name; a picture's caption (``Hard på fela:``) or a topic line
(``Kjærligheten:``) names no one.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from kilde.roles import RoleNouns
from kilde.text import BLANK_LINE, Paragraph, trim, words

MAX_LABEL_WORDS = 4
"""A speaker label is a name with a title at most (``Statsråd Kari Holm``)."""
MIN_TURNS = 2
"""A script gives someone the word at least twice: one ``Politiet: …`` line is a headline."""
MAX_TURN_LINES = 60
ASIDES = re.compile(r"\s*[(\[][^)\]]*[)\]]")
"""``(SV)``, ``[ 11:47:58 ]``: the party and the time after a name in a parliament record."""
LABEL_LINE = re.compile(r"^(?P<label>[^:\n]{1,80}?)\s*:(?:\s+|$)(?P<rest>.*)$")
QUOTE_OPENING = re.compile(r"\s*[-–—«“\"]")


@dataclass(frozen=True)
class SpeakerLabels:
    """Reads speaker labels with the language's role nouns and first names."""

    roles: RoleNouns
    first_names: frozenset[str]

    def label(self, text: str, start: int, end: int, in_script: bool = False) -> tuple[int, int] | None:
        """The speaker label ``text[start:end]`` (without its colon) names, or None; in a script
        (``in_script``) a one-word label is a name whatever the word."""
        raw = text[start:end]
        stripped = raw.rstrip().removesuffix(":").rstrip().lstrip(' «“"–—-')
        bare = ASIDES.sub("", stripped).strip()
        label_words = words(bare)
        if not label_words or len(label_words) > MAX_LABEL_WORDS or any(c.isdigit() for c in bare):
            return None
        if not label_words[0][:1].isupper() or bare.isupper():
            return None  # "NABO: …" labels a picture; "NTB:" is no one's name
        named = len(label_words) >= 2 and all(w[:1].isupper() for w in label_words)
        role = len(label_words) <= 2 and self.roles.matches(label_words[-1].lower())
        first_name = len(label_words) == 1 and (in_script or label_words[0].lower() in self.first_names)
        if not (named or role or first_name):
            return None
        label_start = start + raw.index(stripped)
        return trim(text, label_start, label_start + len(_before_asides(stripped)))

    def line_label(
        self, text: str, para: Paragraph, match: re.Match[str], in_script: bool
    ) -> tuple[tuple[int, int], int] | None:
        """The label a paragraph opens with (``match`` of :data:`LABEL_LINE` on its text) and
        where the turn's words begin on that line (the paragraph's end when they follow on the
        next lines); None when the label names no one or the line opens a quote."""
        if QUOTE_OPENING.match(para.text):
            return None
        label = self.label(
            text, para.start + match.start("label"), para.start + match.end("label"), in_script
        )
        if label is None:
            return None
        rest = match.group("rest")
        return label, (para.start + match.start("rest") if rest.strip() else para.end)

    def turns(self, text: str, paras: Sequence[Paragraph]) -> list[tuple[tuple[int, int], tuple[int, int]]]:
        """Each turn of a script as (label, content): the content runs from the label to the
        next label, a blank line, a dash or quote line, a heading or a question line (the
        interviewer's), never over more than :data:`MAX_TURN_LINES` lines."""
        # A script gives someone the word more than once: a label that recurs. A list of names
        # and titles ("Kari Holm: Bjørnen") has each label once. In a script every one-word
        # label names a person ("Olve:").
        matches = {p.index: m for p in paras if (m := LABEL_LINE.match(p.text))}
        counts = Counter(m.group("label").strip() for m in matches.values())
        if not any(n >= MIN_TURNS for n in counts.values()):
            return []
        script_labels = frozenset(label for label in counts if len(label.split()) == 1)
        labelled = {
            index: found
            for index, m in matches.items()
            if (found := self.line_label(text, paras[index], m, m.group("label").strip() in script_labels))
        }
        if len(labelled) < MIN_TURNS:
            return []
        turns = []
        for index, (label, words_start) in sorted(labelled.items()):
            first = paras[index]
            start, end = (words_start, first.end) if words_start < first.end else (None, None)
            last = first
            for para in paras[index + 1 : index + 1 + MAX_TURN_LINES]:
                if para.index in labelled or BLANK_LINE.search(text, last.end, para.start):
                    break
                if QUOTE_OPENING.match(para.text) or para.text.rstrip().endswith("|"):
                    break  # a quote of its own, or a heading
                if para.text.rstrip().endswith("?") and _opens_sentence(last, para):
                    break  # the interviewer's question between two answers
                start = para.start if start is None else start
                end, last = para.end, para
            if start is not None and end is not None:
                turns.append((label, trim(text, start, end)))
        return turns


def _before_asides(label: str) -> str:
    """``Per Lie (H)`` -> ``Per Lie``: the name before the party or the time."""
    aside = ASIDES.search(label)
    return label[: aside.start()].rstrip() if aside else label


def _opens_sentence(previous: Paragraph, para: Paragraph) -> bool:
    """Whether ``para`` starts a sentence of its own, not a hard-wrapped line of the one before."""
    return previous.text.rstrip().endswith((".", "!", "?", ":")) and para.text.lstrip()[:1].isupper()
