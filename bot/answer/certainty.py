"""How sure the model was of the words it chose: a claim it guessed is not shown as an answer.

A 1.5B model that picks the wrong sentence of its sources writes a backed, on-topic, wrong
claim that verification cannot catch. Where it had to choose, though, it was unsure: the
words it added to the question carry a low probability. The endpoint's log-probabilities of
the reply's tokens (llama.cpp, OpenAI and vLLM return them) are read per word, and the
least likely word the question did not already hold is the claim's certainty.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from bot.core.text import MARKER, fold, tokenize

_WORD = re.compile(rf"{MARKER.pattern}|\w+")


@dataclass(frozen=True)
class Piece:
    """A streamed piece of the reply and the log-probability of its tokens (None: the
    endpoint gave none)."""

    text: str
    logprob: float | None = None


@dataclass
class Reply:
    """The reply as streamed so far, and where each of its pieces began."""

    text: str = ""
    starts: list[tuple[int, float]] = field(default_factory=list)
    """Each piece's first visible character and its log-probability."""
    scored: bool = True
    """False once a piece came without log-probabilities: nothing can be said."""
    _pending: float = 0.0
    """Log-probability of pieces with no visible text yet (a character split over tokens)."""

    def add(self, piece: Piece) -> None:
        """Append a piece; one with no visible text lends its log-probability to the next."""
        if piece.logprob is None:
            self.scored = self.scored and not piece.text  # role and end chunks carry none
        start = len(self.text) + len(piece.text) - len(piece.text.lstrip())
        self.text += piece.text
        logprob = self._pending + (piece.logprob or 0.0)
        if start == len(self.text):
            self._pending = logprob
            return
        self._pending = 0.0
        self.starts.append((start, logprob))

    def words(self) -> list[tuple[str, float]]:
        """Each word (folded; `[n]` markers left out) and the summed log-probability of the
        pieces that began in it."""
        spans = [(fold(m.group()), m.span()) for m in _WORD.finditer(self.text)]
        return [
            (word, sum(lp for at, lp in self.starts if begin <= at < end))
            for word, (begin, end) in spans
            if not word.startswith("[")
        ]

    def certainty(self, sentence: str, question: str) -> float | None:
        """The probability of the sentence's least likely word that the question lacks;
        None when the endpoint gave no log-probabilities or the sentence adds no word."""
        if not self.scored:
            return None
        asked = set(tokenize(question))
        said = [w for w in (fold(m.group()) for m in _WORD.finditer(sentence)) if w[0] != "["]
        scores = [lp for w, lp in _find(self.words(), said) if w not in asked]
        return math.exp(min(scores)) if scores else None


def _find(words: list[tuple[str, float]], said: list[str]) -> list[tuple[str, float]]:
    """The run of `words` that spells `said` (its first occurrence), or none."""
    size = len(said)
    for i in range(len(words) - size + 1):
        if [w for w, _ in words[i : i + size]] == said:
            return words[i : i + size]
    return []
