"""The quote: when nothing the model wrote is backed, the chunk sentences that best answer
the question, each with its `[n]`: those that state what the model's own, unbacked, reply
said (a number, a name, most of its new words), as the model read its answer there and only
failed to word it; or, when the reply claims nothing, those stating a number a how-many
question lacks; else the closest to the question. A quote is backed by construction, but
backed is not answering: whether it answers is for the extraction to tell (`extracting`).
"""

from __future__ import annotations

import re

import numpy as np

from bot.answer.claims import added_terms, claimed, corroboration, states_what_is_asked
from bot.answer.extracting import answers_in
from bot.answer.verification import Verifier
from bot.core.language import detect_language
from bot.core.patterns import INJECTION, QUANTITY
from bot.core.text import (
    content_words,
    split_sentences,
    stems,
    unbulleted,
    with_markers,
    written_names,
)

# A whole statement: it holds a word and ends with a full stop, not a heading or a cut; its
# last word may be an abbreviation or a number ("in the U.S.).", "family size was 3.62.").
_STATEMENT = re.compile(r"[^\W\d_]{2}.*[.!。][\"'»”)]*$")


def quote(verifier: Verifier, reply: str = "", reading: str = "") -> list[str]:
    """The chunk sentences that best answer the question, each with its `[n]`; among them,
    those that corroborate the model's unbacked `reply` when any does. A sentence that
    writes the words the second `reading` copied out as the answer is one."""
    limits = verifier.grounder.thresholds
    candidates = [
        (n, s)
        for n, chunk in enumerate(verifier.contexts, 1)
        for s in map(unbulleted, split_sentences(chunk.passage))
        if len(content_words(s)) >= limits.min_words
        and _STATEMENT.search(s)
        and not s.startswith("…")
        and not INJECTION.search(s)
    ]
    # The sentences that write the words the second reading copied out as the answer: there
    # the model read it, whatever names they write (the German term, not "Đức").
    read = {s for _, s in candidates if answers_in(reading, s, verifier.asked, limits.span_new)}
    # A quote must be about what the question names: a question on Nvidia's share price is
    # not answered by a sentence on capital spending that never mentions Nvidia; and it
    # must write the name as a name (the "Who" of "Doctor Who", not "people who").
    # A name the chunk's language translates (Germany / Đức) cannot be asked of it, and a
    # chunk whose language translates all of them is asked for none.
    if verifier.named:
        asked = [verifier.named_in(chunk.language) for chunk in verifier.contexts]
        candidates = [
            (n, s)
            for n, s in candidates
            if s in read or not asked[n - 1] or asked[n - 1] & stems(written_names(s))
        ]
    if not candidates:
        return []
    vectors = verifier.grounder.vectors.embed_sentences([s for _, s in candidates])
    # Sentences pull towards the question's language as chunks do: each gets its chunk's
    # language gap (relevance - score), so an answer in another language is not outranked
    # by a same-language sentence on another topic.
    gaps = [
        verifier.contexts[n - 1].relevance - verifier.contexts[n - 1].score for n, _ in candidates
    ]
    closeness = vectors @ verifier.question_vector + np.array(gaps)
    # On topic as a sentence of the model's must be (`on_topic`): a passage on something
    # else is no answer, whatever words it shares with the reply or the reading copied.
    kept = np.flatnonzero(closeness >= limits.on_topic)
    if not len(kept):
        return []
    candidates, closeness = [candidates[i] for i in kept], closeness[kept]
    asked = content_words(verifier.asked)
    overlap = [len(asked & content_words(s)) / max(len(asked), 1) for _, s in candidates]
    scores = closeness + limits.quote_overlap_weight * np.array(overlap)
    # What the reply claims, not its talk about the sources or the question said back.
    fixed, words = added_terms(claimed(reply, verifier.asked), verifier.asked)
    # Who published a source (its header) is no part of an answer drawn from its text.
    fixed -= verifier.publishers
    spoken = detect_language(reply) if reply else ""
    # A new word the reply's language never writes in any document came from a passage in
    # another: a term copied as it stands ("ergänzungsschulen", "plea bargain").
    written = verifier.vocabularies.get(spoken)
    foreign = {w for w in words if written and w not in written and f"{w}s" not in written}
    if not (fixed or words) and QUANTITY.search(verifier.asked):
        # A reply that claims nothing (the question said back) has nothing to corroborate;
        # then the only evidence is the answer's kind: a number the question lacks, for a
        # question asking how many or how much.
        told = [int(states_what_is_asked(s, verifier.asked)) for _, s in candidates]
    else:
        told = [
            corroboration(
                s,
                fixed | foreign,
                words,
                limits.corroborated,
                verifier.contexts[n - 1].language == spoken,
            )
            if states_what_is_asked(s, verifier.asked)
            else 0
            for n, s in candidates
        ]
    # The sentence that states most of what the model said, its reading among it, is the one
    # it read its answer in.
    told = [t + (s in read) for t, (_, s) in zip(told, candidates, strict=True)]
    most = max(told)
    pool = np.flatnonzero(np.array(told) == most)
    order = pool[np.argsort(-scores[pool])][: limits.quote_limit]
    best = float(scores[order[0]])
    chosen = [i for i in order if float(scores[i]) >= best - limits.quote_margin]
    return [with_markers(candidates[i][1], [candidates[i][0]]) for i in sorted(chosen)]
