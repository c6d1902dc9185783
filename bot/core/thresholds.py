"""The tuned thresholds of verification and quoting, in one object the settings hold."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Thresholds:
    """How much overlap counts as support, and when a quote answers (docs/architecture.md;
    verification calibrated on labelled replies, `bot/eval/golden/verification.yaml`)."""

    min_words: int = 4
    lexical: float = 0.6
    similarity: float = 0.85
    cross_lingual_similarity: float = 0.85
    """A reply in another language than its chunk shares only names and numbers with it."""
    echoed: float = 0.5
    """A chunk in the sentence's language holds at least this share of the question's words
    the sentence says back, or the sentence pins the question's claim onto a passage that
    does not make it."""
    on_topic: float = 0.82
    """Sentences further than this from the question (e5 cosine) are asides: never shown."""
    quote_margin: float = 0.01
    """Quoted sentences beyond the best must score within this of it."""
    quote_limit: int = 3
    quote_overlap_weight: float = 0.1
    """e5 ranks sentences on the topic; the question's own words pick the one that answers."""
    corroborated: float = 0.5
    """A quote in the reply's language answers when it holds this share (and two or more) of
    the new words of the reply the model could not back, or one of its numbers or names."""
    span_new: float = 0.5
    """Words the model copies out of a passage as its answer are one only when more than this
    share of them are not the question's: the question's own words are no answer."""
    agreement: float = 0.5
    """An answer agrees with the words the model copies out of all the sources, read a second
    time, when it holds their numbers, else their names, else this share of their other new
    words."""
