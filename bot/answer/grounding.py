"""Verification: a sentence is shown only when a retrieved chunk backs it, with that chunk's `[n]`.

A chunk backs a sentence when, together: the sentence addresses the question (its e5
embedding is close to the question's), it makes a claim (enough content words), every number
it states occurs in the chunk, most of its words (accent-folded) occur there too, or, for a
sentence in another language than the chunk, all of its names do, and its embedding is
close to the chunk's. A chunk in the sentence's own language must also name all that the
sentence repeats of the question's names: a passage about Jacksonville does not back "the
first settlement in Newcastle was Fort Caroline", however many of its other words it
shares; and hold at least half of the question's words the sentence says back: a passage
where Jean Ribault charts a river does not back "Jean Ribault invited Huguenot immigration".
`verification.Verifier` applies this to one answer's sentences; when nothing the model wrote
is backed, `quoting.quote` picks chunk sentences.
"""

from __future__ import annotations

from langchain_core.embeddings import Embeddings

from bot.answer.vectors import SentenceVectors
from bot.core.stats import Durations
from bot.core.text import (
    content_words,
    name_tokens,
    stated_numbers,
    stems,
)
from bot.core.thresholds import Thresholds


class Grounder:
    """The support rule: whether a chunk backs a sentence, at the tuned thresholds."""

    def __init__(self, embeddings: Embeddings, thresholds: Thresholds | None = None) -> None:
        self.vectors = SentenceVectors(embeddings)
        self.thresholds = thresholds or Thresholds()
        self.judging = Durations()
        """Seconds a sentence takes to verify with the model writing beside it (its decoding
        slows embedding several-fold on 2 cores), measured as answers stream."""

    def supports(
        self,
        sentence: str,
        chunk_tokens: set[str],
        similarity: float,
        translated: bool = False,
        subject: frozenset[str] = frozenset(),
        echoed: frozenset[str] = frozenset(),
        unwritten: frozenset[str] = frozenset(),
    ) -> bool:
        """Close in meaning, every number and most names in the chunk, and most words too
        (across languages, where only names and numbers carry over, closer in meaning).

        `subject`: the question's names the sentence repeats, stemmed; a chunk in the
        sentence's language must name them all, or the sentence has pinned the question's
        subject onto a passage about something else. `echoed`: all the question's words the
        sentence says back, stemmed; such a chunk must hold half of them, or the sentence
        has pinned the question's claim onto it ("Jean Ribault invited Huguenot immigration"
        on a passage where he charts a river). `unwritten`: the question's names the chunk's
        language translates; across languages their absence says nothing, while a name the
        sentence adds (a place of birth) is its own claim and must be there.
        """
        limits = self.thresholds
        words = content_words(sentence)
        if len(words) < limits.min_words or similarity < limits.similarity:
            return False
        if not translated and (subject or echoed):
            held = stems(chunk_tokens)
            if not subject <= held or len(echoed & held) < limits.echoed * len(echoed):
                return False
        # A number the sentence states, in digits or in words, the chunk must state too,
        # either way ("two universities" backs "2 universities", nothing backs "bốn phần").
        told = set().union(*stated_numbers(words))
        if told and not told <= set().union(*stated_numbers(chunk_tokens)):
            return False
        # A wrong name (Grok for ChatGPT) keeps the topic but changes the claim; some names
        # are translated (China / Trung Quốc), so most, not all, must be in the chunk.
        names = name_tokens(sentence) - (unwritten if translated else frozenset())
        if names and len(names & chunk_tokens) / len(names) < limits.lexical:
            return False
        if len(words & chunk_tokens) / len(words) >= limits.lexical:
            return True
        return translated and bool(names) and similarity >= limits.cross_lingual_similarity
