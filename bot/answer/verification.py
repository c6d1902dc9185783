"""One answer's sentences checked as they arrive: the question and its chunks' sentences are
embedded once, and each sentence is backed by the chunks `Grounder.supports` accepts."""

from __future__ import annotations

import numpy as np

from bot.answer.amounts import (
    changes_amount,
    currencies,
    in_readers_amounts,
    in_readers_marks,
    quantities,
    with_currencies,
)
from bot.answer.claims import attributes_truly
from bot.answer.dates import in_readers_dates
from bot.answer.grounding import Grounder
from bot.core.language import detect_language
from bot.core.results import Citation
from bot.core.text import (
    content_words,
    has_digit,
    markers,
    name_tokens,
    respelled,
    stems,
    tokenize,
    without_markers,
)

MADE_UP_NAME = 2
"""Name words no document writes that make a name up: one may be a translation."""


class Verifier:
    """Verifies the sentences of one answer as they arrive, in order."""

    def __init__(
        self,
        grounder: Grounder,
        question: str,
        contexts: list[Citation],
        vocabularies: dict[str, frozenset[str]] | None = None,
    ) -> None:
        self.grounder = grounder
        self.contexts = contexts
        self.asked = question
        self.names = frozenset(name_tokens(question))
        self.named = frozenset(stems(self.names))
        # The question's names another language's documents never write are translated there
        # (Germany / Đức, Kublai / Hốt Tất Liệt): a chunk in it is not asked for them. In the
        # question's own language, a name its documents never write is a missing name.
        self.vocabularies = vocabularies or {}
        asked_in = detect_language(question)
        self.translated = {
            language: frozenset(n for n in self.names if n not in words)
            for language, words in (vocabularies or {}).items()
            if language != asked_in
        }
        self.words = frozenset(stems(content_words(question)))
        self.question_vector = grounder.vectors.embed_query(question)
        # Sentences, not whole excerpts: a claim is as close to the sentence that states it,
        # and each excerpt's own vector took 0.1 s of e5 while the model waited.
        self.sentences = [grounder.vectors.sentence_vectors(c.passage) for c in contexts]
        self.tokens = [set(tokenize(c.passage)) for c in contexts]
        self.quantities = [quantities(c.passage, c.language) for c in contexts]
        # Who published each chunk's article may be credited with what the chunk says.
        articles = [c.article for c in contexts]
        self.credited = [
            " ".join([c.passage, *a.named_sources]) for c, a in zip(contexts, articles, strict=True)
        ]
        self.publishers = frozenset(stems(t for a in articles for t in a.source_tokens))
        self.credited_words = frozenset().union(*map(tokenize, self.credited))

    def named_in(self, language: str) -> frozenset[str]:
        """The question's names (stemmed) a chunk in `language` can be asked to write: all of
        them, less those its language translates."""
        return frozenset(stems(self.names - self.translated.get(language, frozenset())))

    def invents(self, text: str, language: str) -> bool:
        """Whether the sentence writes a full name (two name words or more) the question does
        not and no document does, in a language the corpus is written in: a person the model
        made up ("rejected by Al Gore"), which a chunk holding most of the sentence's other
        names would back. One such word may be a name translated ("Chine" for "Trung
        Quốc"), and in a language no document is written in any may be."""
        if language not in self.vocabularies:
            return False
        added = {t for t in name_tokens(text) - self.names if not has_digit(t)}
        unwritten = [t for t in added if not self._known(t)]
        return len(unwritten) >= MADE_UP_NAME

    def _known(self, token: str) -> bool:
        """Whether a document, or a source an article credits, writes the folded token."""
        return token in self.credited_words or self._written(token)

    def _written(self, token: str) -> bool:
        """Whether any document writes the folded token (looked up in each language's
        words, not their union: copying a large corpus's vocabulary per answer is slow)."""
        return any(token in words for words in self.vocabularies.values())

    def as_shown(self, sentence: str, reader: str) -> str:
        """The checked sentence as the reader sees it. Each amount a chunk it cites states,
        in that chunk's words ("97,4 milliards de dollars" in a Vietnamese sentence), is
        written in the `reader`'s: those words were checked, and the reader should not have
        to read them in another language. An amount the chunk does not state at that value
        is left as written; one written without a unit gets the currency the chunk states
        it in. A name no document writes is spelled as the chunk spells it (`respelled`);
        decimals are marked, and dates written, as the reader's language does."""
        for n in markers(sentence):
            chunk = self.contexts[n - 1]
            stated = {value for told in self.quantities[n - 1].values() for value, _ in told}
            sentence = in_readers_amounts(sentence, chunk.language, reader, stated)
            sentence = with_currencies(sentence, reader, currencies(chunk.passage, chunk.language))
            sentence = respelled(sentence, chunk.passage, self._known)
        return in_readers_dates(in_readers_marks(sentence, reader), reader)

    def check(self, sentence: str) -> list[int]:
        """The chunk numbers that back the sentence, the ones it claimed first; [] if none."""
        text = without_markers(sentence)
        vector = self.grounder.vectors.embed_query(text)
        if float(vector @ self.question_vector) < self.grounder.thresholds.on_topic:
            return []
        sims = [float(np.max(sentences @ vector)) for sentences in self.sentences]
        language = detect_language(text)
        if self.invents(text, language):
            return []
        subject = self.named & stems(tokenize(text))
        echoed = self.words & stems(content_words(text))
        told = quantities(text, language)
        backing = [
            i + 1
            for i, (tokens, chunk) in enumerate(zip(self.tokens, self.contexts, strict=True))
            if attributes_truly(text, self.credited[i])
            and not changes_amount(told, self.quantities[i])
            and self.grounder.supports(
                text,
                tokens,
                sims[i],
                translated=language != chunk.language,
                subject=subject,
                echoed=echoed,
                unwritten=self.translated.get(chunk.language, frozenset()),
            )
        ]
        claimed = [m for m in markers(sentence) if m in backing]
        return claimed or ([max(backing, key=lambda m: sims[m - 1])] if backing else [])
